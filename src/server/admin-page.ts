// Server-rendered pages of the attendance dashboard (Vietnamese, no script needed).
import { formatDate, formatDateTime, formatHm } from '../attendance';
import { barChart } from './chart';
import { filterQueryString, type DashboardData, type SessionStatus } from './dashboard-data';
import { html } from 'hono/html';
import type { Html } from './types';
import type { Viewer } from './types';

const CHANNEL_NAMES: Record<string, string> = {
  telegram: 'Telegram',
  zalo: 'Zalo',
  'zalo-oa': 'Zalo OA',
  web: 'Web',
  cli: 'Dòng lệnh',
};
const MODE_NAMES: Record<string, string> = {
  extractive: 'Trích dẫn',
  llm: 'Mô hình AI',
  declined: 'Không tìm thấy',
  unknown: 'Không rõ',
};
const STATUS: Record<SessionStatus, { text: string; cls: string }> = {
  open: { text: 'Đang mở', cls: 'open' },
  closed: { text: 'Đã đóng', cls: 'closed' },
  expired: { text: 'Hết hạn', cls: 'expired' },
};

export const channelName = (c: string) => CHANNEL_NAMES[c] ?? c;
const modeName = (m: string | undefined) => MODE_NAMES[m ?? 'unknown'] ?? m ?? '';
const clip = (s: string | undefined, n: number) => (!s ? '' : s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function layout(title: string, body: Html, opts: { wide?: boolean; csrf?: string; script?: string } = {}): Html {
  return html`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
${opts.csrf ? html`<meta name="csrf-token" content="${opts.csrf}">` : ''}
<title>${title} · Trợ lý Hành chính số</title>
<link rel="stylesheet" href="/static/admin.css">
${opts.script ? html`<script src="/static/${opts.script}" defer></script>` : ''}
</head>
<body class="${opts.wide ? 'wide' : 'narrow'}">
${body}
</body>
</html>`;
}

export function loginPage(o: { adminToken: boolean; error?: string }): Html {
  return layout(
    'Đăng nhập',
    html`<main class="login">
  <section class="card">
    <h1>Đăng nhập giảng viên</h1>
    <p class="muted">Gửi <strong>/dangnhap</strong> cho bot trên Telegram hoặc Zalo (tin nhắn riêng), rồi nhập mã 8 chữ số bot gửi lại.</p>
    ${o.error ? html`<p class="error" role="alert">${o.error}</p>` : ''}
    <form method="post" action="/admin/login/code">
      <label for="code">Mã đăng nhập</label>
      <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{8,9}" maxlength="9" placeholder="1234 5678" required autofocus>
      <button type="submit">Đăng nhập</button>
    </form>
  </section>
  <section class="card">
    <h2>Quản trị viên</h2>
    ${
      o.adminToken
        ? html`<form method="post" action="/admin/login">
      <label for="token">Mã quản trị</label>
      <input id="token" name="token" type="password" autocomplete="current-password" required>
      <button type="submit" class="secondary">Đăng nhập quản trị</button>
    </form>`
        : html`<p class="muted">Máy chủ chưa đặt mã quản trị (ADMIN_TOKEN): mở trang <a href="/admin">/admin</a> ngay trên máy chủ.</p>`
    }
  </section>
  <p><a href="/">← Về trang hỏi đáp</a></p>
</main>`,
  );
}

export function notFoundPage(): Html {
  return layout(
    'Không tìm thấy trang',
    html`<main class="login card">
  <h1>Không tìm thấy trang này</h1>
  <p>Địa chỉ có thể đã gõ sai, hoặc trang đã được chuyển đi.</p>
  <p><a class="button" href="/">Về trang hỏi đáp</a> <a class="button secondary" href="/admin">Bảng điều khiển</a></p>
</main>`,
  );
}

/** The red bar of the inner pages, with a way back. */
export function subHeader(title: string, subtitle: string, back = '/admin'): Html {
  return html`<header class="topbar">
  <div><p class="back"><a href="${back}">← Quay lại</a></p><h1>${title}</h1><p class="muted">${subtitle}</p></div>
</header>`;
}

export function forbiddenPage(): Html {
  return layout(
    'Không có quyền truy cập',
    html`<main class="login card">
  <h1>Không có quyền truy cập</h1>
  <p>Máy chủ chưa đặt mã quản trị (biến môi trường <code>ADMIN_TOKEN</code>), nên bảng điều khiển chỉ mở được
  ngay trên máy chủ (địa chỉ localhost).</p>
  <p>Để quản trị từ máy khác, hãy đặt <code>ADMIN_TOKEN</code> (một chuỗi bí mật dài, ít nhất 16 ký tự) rồi khởi động lại máy chủ;
  khi đó trang này sẽ yêu cầu đăng nhập.</p>
  <p>Giảng viên: <a href="/admin/login">đăng nhập bằng mã</a> do bot gửi (lệnh /dangnhap).</p>
  <p><a href="/">← Về trang hỏi đáp</a></p>
</main>`,
  );
}

function filterForm(d: DashboardData, error?: string): Html {
  const f = d.filter;
  const qs = filterQueryString(f);
  const options = d.classes.map(
    (c) => html`<option value="${c.id}"${f.classId === c.id ? html` selected` : ''}>${c.name}</option>`,
  );
  const date = (
    id: string,
    name: string,
    label: string,
    value?: string,
  ) => html`<div class="field"><label for="${id}">${label}</label>
    <input id="${id}" name="${name}" value="${value ?? ''}" placeholder="dd/mm/yyyy" inputmode="numeric" pattern="\\d{1,2}/\\d{1,2}/\\d{4}|\\d{4}-\\d{2}-\\d{2}" autocomplete="off"></div>`;
  return html`<form class="filters card" method="get" action="/admin">
  <div class="field"><label for="f-class">Lớp</label>
    <select id="f-class" name="class"><option value="">Tất cả các lớp</option>${options}</select></div>
  <div class="field"><label for="f-code">Mã buổi</label>
    <input id="f-code" name="code" value="${f.code ?? ''}" maxlength="16" placeholder="VD: K7QXM2P9"></div>
  ${date('f-from', 'from', 'Từ ngày', f.from)}${date('f-to', 'to', 'Đến ngày', f.to)}
  <div class="actions">
    <button type="submit">Lọc</button>
    <a class="button ghost" href="/admin">Xoá lọc</a>
    <a class="button secondary" href="/admin/export.csv${qs}" download>⬇ Tải CSV</a>
    <a class="button secondary" href="/admin/export.xlsx${qs}" download>⬇ Tải Excel</a>
  </div>
  ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
</form>`;
}

function stat(label: string, value: number | string, cls = ''): Html {
  return html`<div class="stat card ${cls}"><div class="num">${value}</div><div class="muted">${label}</div></div>`;
}

function sessionsTable(d: DashboardData): Html {
  if (!d.sessions.length) return html`<p class="empty">Chưa có buổi điểm danh nào phù hợp.</p>`;
  const rows = d.sessions.map((s) => {
    const closes = s.closedAt ?? s.expiresAt;
    const st = STATUS[s.status];
    return html`<tr><td data-label="Lớp" class="name"><a href="/admin/classes/${s.classId}">${s.className}</a></td>
      <td data-label="Mã"><a class="code" href="/admin/sessions/${s.code}">${s.code}</a></td>
      <td data-label="Mở lúc" class="nowrap">${formatDateTime(s.openedAt)}</td><td data-label="Đóng lúc" class="nowrap">${formatDateTime(closes)}</td>
      <td data-label="Trạng thái"><span class="badge ${st.cls}">${st.text}</span></td><td data-label="Giảng viên" class="mono">${s.openedBy}</td>
      <td data-label="Số người" class="num">${s.checkins}${s.capacity !== null ? ` / ${s.capacity}` : ''}</td></tr>`;
  });
  const more =
    d.totalSessions > d.sessions.length
      ? html`<p class="muted">Hiển thị ${d.sessions.length}/${d.totalSessions} buổi mới nhất.</p>`
      : '';
  return html`<div class="table-wrap"><table class="cards"><thead><tr><th>Lớp</th><th>Mã</th><th>Mở lúc</th><th>Đóng lúc</th>
    <th>Trạng thái</th><th>Giảng viên</th><th class="num">Số người</th></tr></thead><tbody>${rows}</tbody></table></div>${more}`;
}

function classesTable(d: DashboardData, canCreate: boolean): Html {
  const create = canCreate
    ? html`<form class="inline-form" method="post" action="/admin/classes"><label for="new-class">Lớp mới</label>
      <input id="new-class" name="name" placeholder="Lớp kỹ năng số thôn 3" maxlength="120" required><button type="submit">Tạo lớp</button></form>`
    : '';
  if (!d.classes.length)
    return html`<p class="empty">Chưa có lớp nào. Giảng viên mở lớp bằng lệnh /mo &lt;tên lớp&gt;.</p>${create}`;
  const rows = d.classes.map(
    (
      c,
    ) => html`<tr><td data-label="Lớp" class="name"><a href="/admin/classes/${c.id}">${c.name}</a></td><td data-label="Giảng viên" class="mono">${c.owner}</td>
      <td data-label="Số buổi" class="num">${c.sessions}</td><td data-label="Lượt điểm danh" class="num">${c.checkins}</td>
      <td data-label="Buổi gần nhất" class="nowrap">${c.lastOpenedAt ? formatDateTime(c.lastOpenedAt) : '—'}</td></tr>`,
  );
  return html`<div class="table-wrap"><table class="cards" id="classes"><thead><tr><th>Lớp</th><th>Giảng viên</th><th class="num">Số buổi</th>
    <th class="num">Lượt điểm danh</th><th>Buổi gần nhất</th></tr></thead><tbody>${rows}</tbody></table></div>${create}`;
}

function checkinsTable(d: DashboardData): Html {
  if (!d.checkins.length) return html`<p class="empty">Chưa có lượt điểm danh nào.</p>`;
  const rows = d.checkins.map(
    (
      r,
    ) => html`<tr><td data-label="Họ tên">${r.name}</td><td data-label="Lớp" class="name">${r.className}</td><td data-label="Mã" class="code">${r.sessionCode}</td>
      <td data-label="Kênh">${channelName(r.channel)}</td><td data-label="Thời gian" class="nowrap">${formatDateTime(r.checkedInAt)}</td></tr>`,
  );
  const more =
    d.checkinsTotal > d.checkins.length
      ? html`<p class="muted">Hiển thị ${d.checkins.length}/${d.checkinsTotal} lượt mới nhất; tải CSV để xem đủ.</p>`
      : '';
  return html`<div class="table-wrap"><table class="cards" id="checkins"><thead><tr><th>Họ tên</th><th>Lớp</th><th>Mã</th><th>Kênh</th>
    <th>Thời gian</th></tr></thead><tbody>${rows}</tbody></table></div>${more}`;
}

function feedbackSection(d: DashboardData): Html {
  const s = d.feedbackStats;
  const byMode = Object.entries(s.byMode).map(([m, v]) => html`<li>${modeName(m)}: 👍 ${v.up} · 👎 ${v.down}</li>`);
  const rows = d.feedback.map(
    (
      f,
    ) => html`<tr><td data-label="Thời gian" class="nowrap">${formatDateTime(f.at.getTime())}</td><td data-label="Kênh">${channelName(f.channel)}</td>
      <td data-label="Đánh giá" class="vote ${f.vote}">${f.vote === 'up' ? '👍 Hữu ích' : '👎 Chưa tốt'}</td><td data-label="Chế độ">${modeName(f.mode)}</td>
      <td data-label="Câu hỏi" class="question">${clip(f.question, 160) || html`<span class="muted">(không còn lưu câu hỏi)</span>`}</td></tr>`,
  );
  const table = rows.length
    ? html`<div class="table-wrap"><table class="cards" id="feedback"><thead><tr><th>Thời gian</th><th>Kênh</th><th>Đánh giá</th><th>Chế độ</th>
      <th>Câu hỏi</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : html`<p class="empty">Chưa có góp ý nào.</p>`;
  return html`<p>Tổng cộng <strong>${s.total}</strong> góp ý: 👍 ${s.up} · 👎 ${s.down}</p>
    ${byMode.length ? html`<ul class="inline">${byMode}</ul>` : ''}${table}`;
}

export function dashboardPage(
  d: DashboardData,
  opts: { viewer: Viewer; canLogout: boolean; error?: string; links?: { documents?: boolean; questions?: boolean } },
): Html {
  const recent = d.checkinsRecentOnly ? ` (${30} ngày gần nhất)` : ' (theo bộ lọc)';
  const v = opts.viewer;
  const admin = v.role === 'admin';
  const who = v.identity
    ? `${admin ? 'Quản trị viên' : 'Giảng viên'} ${v.name ? `${v.name} (${v.identity})` : v.identity}`
    : 'Quản trị viên';
  const chartTitle = d.chartKind === 'rate' ? 'Tỉ lệ có mặt theo buổi (%)' : 'Số người điểm danh theo buổi';
  const chartNote =
    d.chartKind === 'count' && d.chart.length
      ? html`<p class="muted">Thêm danh sách học viên cho lớp để xem tỉ lệ có mặt thay vì số người.</p>`
      : '';
  return layout(
    'Bảng điều khiển điểm danh',
    html`<header class="topbar">
  <div><h1>Bảng điều khiển điểm danh</h1><p class="muted">${who} · cập nhật lúc ${formatHm(d.nowMs)} ngày ${formatDate(d.nowMs)}</p></div>
  <nav><a href="/">Trang hỏi đáp</a>${admin ? html`<a href="/admin/trainers">Giảng viên</a>` : ''}${admin && opts.links?.documents ? html`<a href="/admin/documents">Văn bản</a>` : ''}${admin && opts.links?.questions ? html`<a href="/admin/questions">Câu hỏi chưa trả lời được</a>` : ''}${opts.canLogout ? html`<form method="post" action="/admin/logout"><button class="ghost" type="submit">Đăng xuất</button></form>` : ''}</nav>
</header>
<main>
${filterForm(d, opts.error)}
<section class="stats">
  ${stat('Lớp học', d.classes.length)}${stat('Buổi điểm danh', d.totalSessions)}${stat('Lượt điểm danh', d.totalCheckins)}
  ${stat('Buổi đang mở', d.openSessions, d.openSessions ? 'live' : '')}${admin ? stat('Góp ý 👍 / 👎', `${d.feedbackStats.up} / ${d.feedbackStats.down}`) : ''}
</section>
<section class="card"><h2>${chartTitle}</h2>
  ${barChart(d.chart, chartTitle, 'Chưa có buổi điểm danh nào để vẽ biểu đồ.', d.chartKind === 'rate' ? { unit: '%', max: 100, noun: 'có mặt' } : { unit: '', noun: 'người' })}${chartNote}</section>
<section class="card"><h2>Lớp học</h2>${classesTable(d, v.identity !== undefined)}</section>
<section class="card"><h2>Các buổi điểm danh</h2>${sessionsTable(d)}</section>
<section class="card"><h2>Lượt điểm danh${recent}</h2>${checkinsTable(d)}</section>
${admin ? html`<section class="card"><h2>Góp ý về câu trả lời</h2>${feedbackSection(d)}</section>` : ''}
<footer class="muted">Giờ hiển thị theo giờ Việt Nam (Asia/Ho_Chi_Minh).</footer>
</main>`,
    { wide: true },
  );
}
