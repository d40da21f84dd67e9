// Documents page: drag and drop, uploads through the JSON API, and live job progress. The parts of the page that
// change (jobs, documents) are rendered by the server and fetched again while a job runs.
(() => {
  const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
  const form = document.getElementById('upload');
  if (!form) return;
  const input = document.getElementById('files');
  const drop = form.querySelector('.drop');
  const status = form.querySelector('.upload-status');
  const maxBytes = Number(form.dataset.maxBytes) || Infinity;

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle('error', Boolean(isError));
  }

  async function refresh(part, id) {
    const r = await fetch(`/admin/documents?part=${part}`, {
      headers: { accept: 'text/html' },
      credentials: 'same-origin',
    });
    if (!r.ok) return;
    const t = document.createElement('template');
    t.innerHTML = (await r.text()).trim();
    const next = t.content.firstElementChild;
    const old = document.getElementById(id);
    if (next && old) {
      // Keep open what the official opened (a job's log, a document's edit form).
      const open = new Set(
        [...old.querySelectorAll('details[open]')].map(
          (d) =>
            d.closest('[data-job],[data-source]')?.getAttribute('data-job') ??
            d.closest('[data-source]')?.getAttribute('data-source'),
        ),
      );
      for (const d of next.querySelectorAll('details')) {
        const key =
          d.closest('[data-job],[data-source]')?.getAttribute('data-job') ??
          d.closest('[data-source]')?.getAttribute('data-source');
        if (open.has(key)) d.open = true;
      }
      old.replaceWith(next);
    }
  }

  let polling = false;
  async function poll() {
    if (polling) return;
    polling = true;
    try {
      for (;;) {
        await refresh('jobs', 'jobs');
        if (document.getElementById('jobs')?.dataset.active !== '1') break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      await refresh('table', 'documents');
      say('');
    } catch {
      say('Mất kết nối với máy chủ; tải lại trang để xem tiến độ.', true);
    } finally {
      polling = false;
    }
  }

  async function send(files) {
    const fd = new FormData();
    for (const f of files) fd.append('file', f, f.name);
    fd.append('folder', form.querySelector('#folder').value);
    const r = await fetch('/admin/api/documents', {
      method: 'POST',
      body: fd,
      headers: { 'X-CSRF-Token': csrf, accept: 'application/json' },
      credentials: 'same-origin',
    });
    const body = await r.json().catch(() => ({}));
    if (r.status === 202) return null;
    const details = (body.files ?? []).map((f) => `${f.name}: ${f.error}`).join(' ');
    return [body.error ?? `Lỗi ${r.status}.`, details].filter(Boolean).join(' ');
  }

  async function upload(list) {
    const files = [...list];
    if (!files.length) return;
    const total = files.reduce((s, f) => s + f.size, 0);
    // Together too large: one request per file (each still within the limit, or refused with its own reason).
    const batches = total > maxBytes && files.length > 1 ? files.map((f) => [f]) : [files];
    say(`Đang gửi ${files.length} tệp…`);
    const errors = [];
    for (const b of batches) {
      try {
        const err = await send(b);
        if (err) errors.push(err);
      } catch {
        errors.push('Mất kết nối; hãy thử lại.');
      }
    }
    input.value = '';
    if (errors.length) say(errors.join(' '), true);
    else say('Đã nhận tệp; đang kiểm tra và lập chỉ mục…');
    poll();
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!input.files?.length) return say('Hãy chọn ít nhất một tệp.', true);
    upload(input.files);
  });
  for (const ev of ['dragenter', 'dragover']) {
    drop.addEventListener(ev, (e) => {
      e.preventDefault();
      drop.classList.add('over');
    });
  }
  for (const ev of ['dragleave', 'drop']) drop.addEventListener(ev, () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    if (e.dataTransfer?.files?.length) upload(e.dataTransfer.files);
  });
  document.addEventListener('submit', (e) => {
    const f = e.target instanceof HTMLFormElement ? e.target : null;
    if (f?.dataset.confirm && !window.confirm(f.dataset.confirm)) e.preventDefault();
  });
  if (document.getElementById('jobs')?.dataset.active === '1') poll();
})();
