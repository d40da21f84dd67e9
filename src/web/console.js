// Web console of Trợ lý Hành chính số: plain JS, no build step. Every text from the server is inserted with
// textContent (never parsed as HTML), and links are only http(s).
(function () {
  var SESSION_KEY = 'tlhc-session';
  var NAME_KEY = 'tlhc-name';
  var TEXT = {
    thinking: 'Đang tìm câu trả lời…',
    working: 'Đang xử lý…',
    retry: '↻ Thử lại',
    networkKept: 'Không kết nối được máy chủ. Câu hỏi vẫn còn trong ô nhập; kiểm tra mạng rồi bấm Thử lại.',
    namePlaceholder: 'Họ và tên của bạn',
    nameSubmit: 'Điểm danh',
    nameLabel: 'Họ và tên',
    trainer: 'Giảng viên',
    trainerIn: '👤 Giảng viên',
    sources: 'Nguồn',
    docNumber: 'Số hiệu: ',
    basis: 'Căn cứ: ',
    status: 'Tình trạng: ',
    openDoc: 'Xem văn bản ↗',
    download: '⬇ Tải ',
    network: 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng rồi thử lại.',
    server: 'Xin lỗi, máy chủ đang gặp lỗi. Vui lòng thử lại sau.',
    modeExtractive: 'Trích từ văn bản',
    modeLlm: 'Trả lời bởi mô hình AI, dựa trên văn bản',
    you: 'Bạn',
    bot: 'Trợ lý',
  };

  var messages = document.getElementById('messages');
  var form = document.getElementById('composer');
  var input = document.getElementById('question');
  var sendBtn = document.getElementById('send');
  var toast = document.getElementById('toast');
  var trainerLink = document.getElementById('trainer-link');
  var busy = false;
  var sessionId = loadSessionId();

  function storedName() {
    try {
      return localStorage.getItem(NAME_KEY) || '';
    } catch (e) {
      return '';
    }
  }

  function rememberName(name) {
    try {
      localStorage.setItem(NAME_KEY, name);
    } catch (e) {
      /* private mode: the name is asked again next time */
    }
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes); // available on plain http too (randomUUID is not)
    return (
      'w' +
      Array.prototype.map
        .call(bytes, function (b) {
          return ('0' + b.toString(16)).slice(-2);
        })
        .join('')
    );
  }

  function loadSessionId() {
    try {
      var id = localStorage.getItem(SESSION_KEY);
      if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
        id = randomId();
        localStorage.setItem(SESSION_KEY, id);
      }
      return id;
    } catch (e) {
      return randomId();
    }
  }

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = text;
    return n;
  }

  function scrollDown() {
    messages.scrollTop = messages.scrollHeight;
  }

  function addMessage(who, cls) {
    var art = el('article', 'msg ' + who + (cls ? ' ' + cls : ''));
    art.setAttribute('aria-label', who === 'user' ? TEXT.you : TEXT.bot);
    var bubble = el('div', 'bubble');
    art.appendChild(bubble);
    messages.appendChild(art);
    scrollDown();
    return bubble;
  }

  function addUser(text) {
    addMessage('user').appendChild(el('p', 'text', text));
  }

  function showToast(text) {
    if (!text) return;
    toast.textContent = text;
    toast.hidden = false;
    clearTimeout(showToast.timer);
    showToast.timer = setTimeout(function () {
      toast.hidden = true;
    }, 2500);
  }

  function safeUrl(u) {
    return typeof u === 'string' && /^https?:\/\//i.test(u) ? u : null;
  }

  function renderSources(citations) {
    var d = el('details', 'sources');
    d.appendChild(el('summary', null, TEXT.sources + ' (' + citations.length + ')'));
    var ol = el('ol');
    citations.forEach(function (c) {
      var li = el('li');
      if (typeof c.ref === 'number') li.value = c.ref; // the [n] the answer text uses
      li.appendChild(el('strong', 'src-title', c.title));
      if (c.docNumber && String(c.title).indexOf(c.docNumber) < 0)
        li.appendChild(el('span', 'src-meta', TEXT.docNumber + c.docNumber));
      if (c.where) li.appendChild(el('span', 'src-meta', c.where));
      if (c.chapter && c.where && c.where.indexOf(c.chapter) < 0) li.appendChild(el('span', 'src-meta', c.chapter));
      if (c.status) li.appendChild(el('span', 'src-meta src-status', TEXT.status + c.status));
      if (c.basis && c.basis.length) li.appendChild(el('span', 'src-meta', TEXT.basis + c.basis.join('; ')));
      var url = safeUrl(c.url);
      if (url) {
        var a = el('a', 'src-link', TEXT.openDoc);
        a.href = url;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        li.appendChild(a);
      }
      ol.appendChild(li);
    });
    d.appendChild(ol);
    return d;
  }

  function renderButtons(rows, holder) {
    var box = el('div', 'chips');
    (rows || []).forEach(function (row) {
      row.forEach(function (b) {
        var btn = el('button', 'chip', b.text);
        btn.type = 'button';
        // The server's button actions are handed back as they came; only their type decides how they look.
        var type = b.action && b.action.type;
        if (type === 'voted') {
          btn.disabled = true;
          btn.classList.add('done');
        } else if (type === 'vote') {
          btn.classList.add('vote');
          btn.setAttribute('aria-label', b.action.vote === 'up' ? 'Câu trả lời hữu ích' : 'Câu trả lời chưa tốt');
        }
        btn.addEventListener('click', function () {
          if (busy) return;
          var isVote = type === 'vote' || type === 'voted';
          send({ action: b.action }, isVote ? null : b.text, isVote ? holder : null);
        });
        box.appendChild(btn);
      });
    });
    return box;
  }

  /** The web has no profile name: ask once, remember it in this browser, resend the check-in with it. */
  function renderNamePrompt(prompt) {
    var f = el('form', 'name-form');
    var id = 'name-' + Math.random().toString(36).slice(2);
    var label = el('label', 'visually-hidden', TEXT.nameLabel);
    label.htmlFor = id;
    var field = el('input');
    field.id = id;
    field.name = 'name';
    field.autocomplete = 'name';
    field.placeholder = TEXT.namePlaceholder;
    field.required = true;
    field.maxLength = Number(form.getAttribute('data-max-name')) || 80;
    field.value = storedName();
    var btn = el('button', null, TEXT.nameSubmit);
    btn.type = 'submit';
    f.appendChild(label);
    f.appendChild(field);
    f.appendChild(btn);
    f.addEventListener('submit', function (e) {
      e.preventDefault();
      var name = field.value.trim();
      if (!name || busy) return;
      rememberName(name);
      f.remove();
      var text = prompt.command + ' ' + name;
      send({ text: text }, text, null);
    });
    setTimeout(function () {
      field.focus();
    }, 0);
    return f;
  }

  function addBot(reply) {
    var bubble = addMessage('bot', reply.mode === 'declined' ? 'declined' : '');
    if (reply.text) bubble.appendChild(el('p', 'text', reply.text));
    if (reply.prompt && reply.prompt.kind === 'name' && typeof reply.prompt.command === 'string') {
      bubble.appendChild(renderNamePrompt(reply.prompt));
    }
    (reply.files || []).forEach(function (f) {
      if (!/^\/api\/files\//.test(f.url)) return;
      var a = el('a', 'file', TEXT.download + f.filename);
      a.href = f.url;
      a.setAttribute('download', f.filename);
      bubble.appendChild(a);
    });
    if (reply.mode === 'extractive' || reply.mode === 'llm') {
      bubble.appendChild(el('p', 'mode', reply.mode === 'llm' ? TEXT.modeLlm : TEXT.modeExtractive));
    }
    if (reply.citations && reply.citations.length) bubble.appendChild(renderSources(reply.citations));
    var holder = el('div', 'actions');
    if (reply.buttons && reply.buttons.length) holder.appendChild(renderButtons(reply.buttons, holder));
    bubble.appendChild(holder);
    scrollDown();
  }

  /** An error bubble; with `retry`, a button that removes the bubble and tries again. */
  function addError(text, retry) {
    var bubble = addMessage('bot', 'error');
    bubble.appendChild(el('p', 'text', text));
    if (!retry) return;
    var btn = el('button', 'chip retry', TEXT.retry);
    btn.type = 'button';
    btn.addEventListener('click', function () {
      if (busy) return;
      bubble.parentNode.remove();
      retry();
    });
    var box = el('div', 'chips');
    box.appendChild(btn);
    bubble.appendChild(box);
  }

  function setBusy(on) {
    busy = on;
    sendBtn.disabled = on;
    messages.setAttribute('aria-busy', on ? 'true' : 'false');
  }

  /** Sends a question or a button tap; `shown` is echoed as the user's bubble, `holder` gets edited buttons. */
  function send(payload, shown, holder, fromComposer, isRetry) {
    if (busy) return;
    setBusy(true);
    if (shown && !isRetry) addUser(shown);
    var typing = null;
    if (!holder) {
      typing = addMessage('bot', 'typing');
      var question = payload.text && !/^\s*\//.test(payload.text);
      typing.appendChild(el('p', 'text', question ? TEXT.thinking : TEXT.working));
    }
    var body = Object.assign({ sessionId: sessionId }, payload);
    var name = storedName();
    if (name) body.userName = name;
    var again = function () {
      // A retry is a new delivery of the same message: the server treats it as new (the first never arrived).
      if (fromComposer && input.value.trim() === payload.text) input.value = '';
      autosize();
      send(payload, shown, holder, fromComposer, true);
    };
    fetch('/api/chat', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (res) {
        return res.json().then(
          function (data) {
            return { ok: res.ok, status: res.status, data: data };
          },
          function () {
            return { ok: false, status: res.status, data: {} };
          },
        );
      })
      .then(function (r) {
        if (typing) typing.parentNode.remove();
        if (!r.ok) {
          // 4xx: the request itself is wrong, retrying changes nothing; 5xx: the server may recover.
          var message = r.data && r.data.error ? r.data.error : TEXT.server;
          return addError(message, r.status >= 500 ? again : null);
        }
        var reply = r.data;
        if (holder && reply.editButtons) {
          holder.textContent = '';
          holder.appendChild(renderButtons(reply.editButtons, holder));
        }
        if (reply.text || (reply.files && reply.files.length)) addBot(reply);
        if (reply.notice) showToast(reply.notice);
      })
      .catch(function () {
        if (typing) typing.parentNode.remove();
        // Keep what was typed: put it back in the box unless something new was typed meanwhile.
        if (fromComposer && payload.text && !input.value.trim()) {
          input.value = payload.text;
          autosize();
        }
        addError(fromComposer ? TEXT.networkKept : TEXT.network, again);
      })
      .then(function () {
        setBusy(false);
        if (fromComposer) input.focus(); // not after a chip tap: on a phone that would pop up the keyboard
      });
  }

  /** The header shows whether this browser is signed in as a trainer. */
  function loadMe() {
    if (!trainerLink) return;
    fetch('/api/me', { headers: { Accept: 'application/json' } })
      .then(function (res) {
        return res.ok ? res.json() : null;
      })
      .then(function (me) {
        if (!me || !me.signedIn) return;
        trainerLink.textContent = TEXT.trainerIn;
        trainerLink.href = '/admin';
        trainerLink.title = (me.name ? me.name + ' — ' : '') + me.identity;
      })
      .catch(function () {
        /* offline: the link still leads to the sign-in page */
      });
  }

  function autosize() {
    if (!input.value) {
      input.style.height = '';
      return;
    }
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight, 160) + 'px';
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text || busy) return;
    input.value = '';
    autosize();
    send({ text: text }, text, null, true);
  });

  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit ? form.requestSubmit() : sendBtn.click();
    }
  });
  input.addEventListener('input', autosize);

  loadMe();

  document.querySelectorAll('[data-text]').forEach(function (b) {
    b.addEventListener('click', function () {
      send({ text: b.getAttribute('data-text') }, b.getAttribute('data-label') || b.getAttribute('data-text'), null);
    });
  });
})();
