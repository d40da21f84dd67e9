// The documents page of the dashboard (admins): upload, the jobs that build the index, and the corpus's documents
// with their validity, passages, pages and OCR, each with a metadata form and a delete button. Works without
// script; admin-documents.js adds drag and drop and live progress.
import { html } from 'hono/html';
import { formatDateTime } from '../attendance';
import { type DocumentRow, type Job, type JobFile, UPLOAD_FOLDERS } from '../corpus';
import type { DocKind } from '../domain';
import { STATUS_LABEL } from '../ingest';
import { layout, subHeader } from './admin-page';
import type { Html } from './types';

const KIND: Record<DocKind, string> = { procedure: 'Thủ tục', regulation: 'Văn bản pháp luật', news: 'Tin tức' };
const JOB_KIND: Record<Job['kind'], string> = {
  upload: 'Tải lên',
  metadata: 'Sửa thông tin',
  delete: 'Xoá văn bản',
  rebuild: 'Lập lại chỉ mục',
};
const JOB_STATE: Record<Job['state'], string> = {
  queued: 'Đang chờ lượt',
  running: 'Đang xử lý',
  done: 'Xong',
  failed: 'Không thành công',
};
const PHASE: Record<Job['progress']['phase'], string> = {
  queued: 'đang chờ lượt',
  checking: 'kiểm tra tệp',
  indexing: 'lập chỉ mục',
  saving: 'ghi chỉ mục',
  swapping: 'đưa chỉ mục mới vào sử dụng',
  finished: 'kết thúc',
};
const FILE_STATUS: Record<JobFile['status'], string> = {
  waiting: 'chờ',
  checking: 'đang kiểm tra',
  accepted: 'hợp lệ',
  rejected: 'bị từ chối',
  indexed: 'đã tra cứu được',
  failed: 'lỗi',
};

const when = (iso?: string) => (iso ? formatDateTime(Date.parse(iso)) : '—');
const ddmmyyyy = (iso?: string) => (iso ? iso.split('-').reverse().join('/') : '');
const n = (x: number) => x.toLocaleString('vi-VN');

export interface DocumentsPageData {
  documents: DocumentRow[];
  jobs: Job[];
  csrf: string;
  limits: { maxMb: number; maxFiles: number };
  notice?: string;
  error?: string;
  errors?: { name: string; error: string }[];
}

function progressText(j: Job): string {
  const p = j.progress;
  const parts = [PHASE[p.phase]];
  if (p.filesTotal) parts.push(`${n(p.filesDone)}/${n(p.filesTotal)} tệp`);
  if (p.pages) parts.push(`${n(p.pages)} trang`);
  if (p.ocrPages) parts.push(`${n(p.ocrPages)} trang quét (OCR)`);
  if (p.ocrTotal && p.ocrDone < p.ocrTotal) parts.push(`đang nhận dạng chữ trang ${n(p.ocrDone + 1)}/${n(p.ocrTotal)}`);
  return parts.join(' · ');
}

function jobFile(f: JobFile): Html {
  const facts = [
    f.pages ? `${n(f.pages)} trang` : '',
    f.ocrPages ? `${n(f.ocrPages)} trang OCR` : '',
    f.chunks ? `${n(f.chunks)} đoạn` : '',
    f.replaces ? 'thay bản cũ' : '',
  ]
    .filter(Boolean)
    .join(', ');
  return html`<li class="file ${f.status}"><span class="name">${f.name}</span> — <strong>${FILE_STATUS[f.status]}</strong>${facts ? ` (${facts})` : ''}
    ${f.reason ? html`<br><span class="why">${f.reason}</span>${f.detail ? html` <span class="muted mono">${f.detail}</span>` : ''}` : ''}</li>`;
}

export function jobsSection(jobs: Job[]): Html {
  const active = jobs.some((j) => j.state === 'queued' || j.state === 'running');
  const items = jobs.map((j) => {
    const total = j.progress.filesTotal || 1;
    const pct =
      j.state === 'done'
        ? 100
        : j.state === 'running'
          ? Math.min(95, Math.round((100 * j.progress.filesDone) / total))
          : 0;
    return html`<li class="job ${j.state}" data-job="${j.id}" data-state="${j.state}">
  <div class="job-head"><strong>${JOB_KIND[j.kind]}</strong>${j.target ? html` <span class="mono">${j.target}</span>` : ''}
    <span class="badge ${j.state}">${JOB_STATE[j.state]}</span> <span class="muted">${when(j.createdAt)} · ${j.by}</span></div>
  ${j.state === 'running' || j.state === 'queued' ? html`<progress max="100" value="${pct}" aria-label="Tiến độ">${pct}%</progress><p class="muted progress-text">${progressText(j)}</p>` : ''}
  ${j.files.length ? html`<ul class="files">${j.files.map(jobFile)}</ul>` : ''}
  ${j.result ? html`<p class="ok">Xong: chỉ mục có ${n(j.result.documents)} văn bản, ${n(j.result.chunks)} đoạn (${(j.result.durationMs / 1000).toFixed(1)} giây).</p>` : ''}
  ${j.error ? html`<p class="error" role="alert">${j.error}</p>` : ''}
  ${j.log.length ? html`<details><summary>Nhật ký (${j.log.length})</summary><ol class="log">${j.log.map((l) => html`<li><span class="muted">${when(l.at)}</span> ${l.text}</li>`)}</ol></details>` : ''}
</li>`;
  });
  return html`<section class="card" id="jobs" data-active="${active ? '1' : '0'}"><h2>Việc lập chỉ mục</h2>
  ${items.length ? html`<ul class="jobs">${items}</ul>` : html`<p class="empty">Chưa có việc nào từ khi máy chủ khởi động.</p>`}
  <p class="muted">Mỗi lần chỉ lập một chỉ mục; việc đến sau chờ lượt. Trong lúc lập, câu hỏi vẫn được trả lời bằng chỉ mục cũ.</p>
</section>`;
}

function validityCell(d: DocumentRow): Html {
  if (!d.validityLabel) return html`—`;
  const repl = d.currentReplacement ?? d.replacedBy;
  return html`<span class="validity ${d.validity}">${d.validityLabel}</span>${d.expiredFrom ? html`<br><span class="muted">từ ${ddmmyyyy(d.expiredFrom)}</span>` : ''}${repl ? html`<br><span class="muted">thay bằng ${repl}</span>` : ''}`;
}

function textFromCell(d: DocumentRow): Html | string {
  if (d.pages === undefined) return d.state === 'indexed' ? d.format.toUpperCase() : '';
  const from =
    d.textFrom === 'ocr'
      ? html`<span class="badge ocr">OCR</span>`
      : d.textFrom === 'mixed'
        ? html`<span class="badge ocr">OCR ${n(d.ocrPages ?? 0)} trang</span>`
        : html`<span class="badge text">lớp chữ</span>`;
  return html`${n(d.pages)} ${from}`;
}

function editForm(d: DocumentRow, csrf: string): Html {
  const statusOptions = [['', 'Theo văn bản / chưa rõ'], ...Object.values(STATUS_LABEL).map((l) => [l, l])].map(
    ([v, label]) =>
      html`<option value="${v}"${d.status && STATUS_LABEL[d.status as keyof typeof STATUS_LABEL] === v ? html` selected` : ''}>${label}</option>`,
  );
  const field = (name: string, label: string, value: string | undefined, placeholder = '') =>
    html`<div class="field"><label for="${name}-${d.id}">${label}</label><input id="${name}-${d.id}" name="${name}" value="${value ?? ''}" placeholder="${placeholder}" autocomplete="off"></div>`;
  return html`<details class="edit"><summary>Sửa thông tin</summary>
  <form class="filters" method="post" action="/admin/documents/${d.id}/edit">
    <input type="hidden" name="_csrf" value="${csrf}">
    ${field('title', 'Tên văn bản', d.title)}
    ${field('docNumber', 'Số hiệu', d.docNumber, '12/2025/QĐ-UBND')}
    ${field('docType', 'Loại văn bản', d.docType, 'Quyết định')}
    <div class="field"><label for="status-${d.id}">Tình trạng</label><select id="status-${d.id}" name="status">${statusOptions}</select></div>
    ${field('effectiveFrom', 'Hiệu lực từ', ddmmyyyy(d.effectiveFrom), 'dd/mm/yyyy')}
    ${field('expiredFrom', 'Hết hiệu lực từ', ddmmyyyy(d.expiredFrom), 'dd/mm/yyyy')}
    ${field('replacedBy', 'Được thay thế bởi (số hiệu)', d.replacedBy, '15/2026/QĐ-UBND')}
    <div class="actions"><button type="submit">Lưu và lập chỉ mục lại</button></div>
  </form>
  <form method="post" action="/admin/documents/${d.id}/delete" class="delete" data-confirm="Xoá văn bản &quot;${d.title}&quot; khỏi kho tra cứu?">
    <input type="hidden" name="_csrf" value="${csrf}">
    <button class="secondary small" type="submit">Xoá khỏi kho</button>
    <span class="muted">Tệp được chuyển vào thùng rác của máy chủ, không mất hẳn. Văn bản hết hiệu lực nên được đánh dấu “hết hiệu lực” thay vì xoá.</span>
  </form>
</details>`;
}

export function documentsTable(docs: DocumentRow[], csrf: string): Html {
  if (!docs.length)
    return html`<section class="card" id="documents"><h2>Văn bản</h2><p class="empty">Kho văn bản trống.</p></section>`;
  const failed = docs.filter((d) => d.state !== 'indexed').length;
  const rows = docs.map(
    (d) => html`<tr class="${d.state}${d.pending ? ' pending' : ''}" data-source="${d.source}">
  <td data-label="Văn bản" class="name"><div><strong class="doc-title">${d.title}</strong><br><span class="muted mono">${d.source}</span>
    ${d.pending ? html`<br><span class="badge queued">${d.pending === 'delete' ? 'đang chờ xoá' : 'đang chờ cập nhật'}</span>` : ''}</div></td>
  <td data-label="Số hiệu" class="nowrap">${d.docNumber ?? '—'}</td>
  <td data-label="Loại"><div>${d.kind ? KIND[d.kind] : '—'}${d.docType ? html`<br><span class="muted">${d.docType}</span>` : ''}</div></td>
  <td data-label="Hiệu lực"><div>${validityCell(d)}</div></td>
  <td data-label="Đoạn" class="num">${d.state === 'indexed' ? n(d.chunks) : '—'}</td>
  <td data-label="Trang"><div>${textFromCell(d)}</div></td>
  <td data-label="Lập chỉ mục" class="nowrap">${when(d.indexedAt)}</td>
  <td data-label="Lỗi, cảnh báo" class="problems">${d.error || d.warnings.length ? html`<div>${d.error ? html`<span class="error-text">Không tra cứu được: ${d.error}</span>` : ''}${d.warnings.map((w) => html`<span class="warn">${w}</span>`)}</div>` : ''}</td>
  <td class="act">${d.state === 'indexed' ? editForm(d, csrf) : ''}</td>
</tr>`,
  );
  return html`<section class="card" id="documents"><h2>Văn bản (${n(docs.length)}${failed ? `, ${n(failed)} lỗi` : ''})</h2>
  <div class="table-wrap"><table class="cards docs"><thead><tr><th>Văn bản</th><th>Số hiệu</th><th>Loại</th><th>Hiệu lực</th><th class="num">Đoạn</th>
  <th>Trang</th><th>Lập chỉ mục</th><th>Lỗi, cảnh báo</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>
</section>`;
}

export function documentsPage(d: DocumentsPageData): Html {
  const folders = Object.entries(UPLOAD_FOLDERS).map(([k, f]) => html`<option value="${k}">${f.label}</option>`);
  return layout(
    'Văn bản',
    html`${subHeader('Văn bản trong kho tra cứu', 'Thêm, cập nhật và gỡ văn bản; bot trả lời theo các văn bản này')}
<main>
${d.notice ? html`<p class="ok" role="status">${d.notice}</p>` : ''}
${d.error ? html`<div class="error" role="alert">${d.error}${d.errors?.length ? html`<ul>${d.errors.map((e) => html`<li>${e.name}: ${e.error}</li>`)}</ul>` : ''}</div>` : ''}
<section class="card"><h2>Thêm văn bản</h2>
  <form class="upload" id="upload" method="post" action="/admin/documents/upload" enctype="multipart/form-data" data-max-bytes="${d.limits.maxMb * 1024 * 1024}">
    <input type="hidden" name="_csrf" value="${d.csrf}">
    <label class="drop" for="files"><span class="drop-title">Kéo thả tệp vào đây</span> <span class="muted">hoặc bấm để chọn tệp (chọn được nhiều tệp)</span></label>
    <input id="files" name="file" type="file" multiple required accept=".pdf,.docx,.md,.markdown,.txt,.html,.htm,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain,text/markdown,text/html">
    <div class="field"><label for="folder">Đưa vào mục</label><select id="folder" name="folder">${folders}</select></div>
    <p class="muted">PDF (kể cả bản scan: chữ được nhận dạng tự động), Word .docx, Markdown, TXT, HTML. Tối đa ${d.limits.maxMb} MB và ${d.limits.maxFiles} tệp mỗi lần.
      Tệp trùng tên với văn bản đã có sẽ thay bản cũ (giữ thông tin đã sửa).</p>
    <button type="submit">Tải lên</button>
    <p class="upload-status" role="status" aria-live="polite"></p>
  </form>
</section>
${jobsSection(d.jobs)}
${documentsTable(d.documents, d.csrf)}
</main>`,
    { wide: true, csrf: d.csrf, script: 'admin-documents.js' },
  );
}
