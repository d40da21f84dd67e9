// Server-rendered class, session and learner pages (Vietnamese). Tables carry data-label on every cell so that
// admin.css can show them as cards on a phone.
import {
  type ClassReport,
  formatBirthDate,
  formatDate,
  formatDateTime,
  formatHm,
  type LearnerRecord,
  learnerSummary,
  MARK_TEXT,
  MAX_ROSTER_ROWS,
  type RosterSyncResult,
  type SessionReport,
} from '../attendance';
import { layout, subHeader } from './admin-page';
import { html } from 'hono/html';
import type { Html } from './types';

export type ClassNotice = { imported: RosterSyncResult } | { saved: true } | { errors: string[]; file?: string };

const pct = (a: number, b: number): string => (b ? `${Math.round((a / b) * 100)}%` : '—');

function noticeBox(n: ClassNotice | undefined): Html | string {
  if (!n) return '';
  if ('saved' in n) return html`<p class="ok" role="status">Đã lưu.</p>`;
  if ('imported' in n) {
    const r = n.imported;
    return html`<p class="ok" role="status">Đã nhập danh sách: thêm ${r.added}, cập nhật ${r.updated}, giữ nguyên ${r.unchanged}, đánh dấu rời lớp ${r.removed}.</p>`;
  }
  const head = n.file ? html`Không nhập tệp <strong>${n.file}</strong> (chưa có gì thay đổi):` : '';
  return html`<div class="error" role="alert">${head}<ul>${n.errors.slice(0, 50).map((e) => html`<li>${e}</li>`)}</ul>
    ${n.errors.length > 50 ? html`<p>… và ${n.errors.length - 50} lỗi khác.</p>` : ''}</div>`;
}

function rosterTable(r: ClassReport): Html {
  const active = r.learners.filter((l) => l.removedAt === null);
  if (!active.length)
    return html`<p class="empty">Lớp chưa có học viên. Tải tệp danh sách lên ở trên, hoặc gửi cho bot: /lop ${r.cls.name} them Họ tên, SĐT</p>`;
  const rows = active.map((l, i) => {
    const s = learnerSummary(r, l.id);
    return html`<tr><td data-label="STT" class="num">${i + 1}</td>
      <td data-label="Họ và tên"><a href="/admin/learners/${l.id}">${l.name}</a></td>
      <td data-label="Điện thoại" class="nowrap">${l.phone ?? ''}</td><td data-label="Ngày sinh" class="nowrap">${formatBirthDate(l.birthDate)}</td>
      <td data-label="Thôn">${l.village ?? ''}</td>
      <td data-label="Có mặt" class="num nowrap">${s.attended}/${s.held}${s.late ? html` <span class="muted">(${s.late} muộn)</span>` : ''}</td>
      <td data-label="Tỉ lệ" class="num">${pct(s.attended, s.held)}</td>
      <td class="act"><form method="post" action="/admin/classes/${r.cls.id}/learners/${l.id}/remove"><button class="ghost small" type="submit">Xoá khỏi lớp</button></form></td></tr>`;
  });
  return html`<div class="table-wrap"><table class="cards" id="roster"><thead><tr><th class="num">STT</th><th>Họ và tên</th><th>Điện thoại</th>
    <th>Ngày sinh</th><th>Thôn</th><th class="num">Có mặt</th><th class="num">Tỉ lệ</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function sessionsTable(r: ClassReport): Html {
  if (!r.sessions.length) return html`<p class="empty">Lớp chưa có buổi nào. Mở buổi bằng lệnh /mo ${r.cls.name}.</p>`;
  const rows = [...r.sessions].reverse().map(
    (s) => html`<tr><td data-label="Ngày" class="nowrap">${formatDateTime(s.session.openedAt)}</td>
      <td data-label="Mã"><a class="code" href="/admin/sessions/${s.session.code}">${s.session.code}</a></td>
      <td data-label="Có mặt" class="num">${s.expected.length ? `${s.present.length}/${s.expected.length}` : s.session.checkins}</td>
      <td data-label="Muộn" class="num">${s.late}</td><td data-label="Vắng" class="num">${s.absent.length}</td>
      <td data-label="Ngoài danh sách" class="num">${s.unmatched.length}</td></tr>`,
  );
  return html`<div class="table-wrap"><table class="cards"><thead><tr><th>Ngày</th><th>Mã</th><th class="num">Có mặt</th>
    <th class="num">Muộn</th><th class="num">Vắng</th><th class="num">Ngoài danh sách</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

export function classPage(
  r: ClassReport,
  o: { notice?: ClassNotice; from?: string; to?: string; nowMs: number },
): Html {
  const cls = r.cls;
  const removed = r.learners.filter((l) => l.removedAt !== null);
  const qs = new URLSearchParams(
    Object.entries({ from: o.from ?? '', to: o.to ?? '' }).filter(([, v]) => v),
  ).toString();
  return layout(
    cls.name,
    html`${subHeader(cls.name, `Giảng viên ${cls.owner} · ${r.learners.filter((l) => l.removedAt === null).length} học viên · ${r.sessions.length} buổi`)}
<main>
${noticeBox(o.notice)}
<section class="card"><h2>Danh sách học viên</h2>
  <form class="upload" method="post" action="/admin/classes/${cls.id}/roster" enctype="multipart/form-data">
    <label for="roster-file">Tải lên tệp CSV hoặc Excel (.xlsx): cột <strong>Họ và tên</strong>, <strong>Số điện thoại</strong> hoặc
      <strong>Ngày sinh</strong>, và <strong>Thôn</strong> (không bắt buộc). Tối đa ${MAX_ROSTER_ROWS} người.</label>
    <input id="roster-file" name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required>
    <button type="submit">Tải danh sách lên</button>
    <p class="muted">Tệp mới thay cho danh sách hiện tại. Người không còn trong tệp được đánh dấu đã rời lớp; các lượt điểm danh cũ của họ vẫn giữ. Tệp có lỗi sẽ không được nhập dòng nào.</p>
  </form>
  ${rosterTable(r)}
  ${removed.length ? html`<details><summary>Đã rời lớp (${removed.length})</summary><ul>${removed.map((l) => html`<li><a href="/admin/learners/${l.id}">${l.name}</a> — từ ${formatDate(l.removedAt!)}</li>`)}</ul></details>` : ''}
</section>
<section class="card"><h2>Các buổi học</h2>${sessionsTable(r)}</section>
<section class="card"><h2>Bảng điểm danh (học viên × buổi)</h2>
  <form class="filters" method="get" action="/admin/classes/${cls.id}/matrix.xlsx">
    <div class="field"><label for="m-from">Từ ngày</label><input id="m-from" name="from" value="${o.from ?? ''}" placeholder="dd/mm/yyyy" inputmode="numeric" pattern="\\d{1,2}/\\d{1,2}/\\d{4}" autocomplete="off"></div>
    <div class="field"><label for="m-to">Đến ngày</label><input id="m-to" name="to" value="${o.to ?? ''}" placeholder="dd/mm/yyyy" inputmode="numeric" pattern="\\d{1,2}/\\d{1,2}/\\d{4}" autocomplete="off"></div>
    <div class="actions"><button type="submit">⬇ Tải Excel</button>
      <button type="submit" class="secondary" formaction="/admin/classes/${cls.id}/matrix.csv">⬇ Tải CSV</button></div>
  </form>
  ${qs ? '' : html`<p class="muted">Để trống ngày để lấy mọi buổi. Ô: Có, Muộn, Vắng; người điểm danh mà không có trong danh sách được ghi ở cuối bảng.</p>`}
</section>
<section class="card"><h2>Giờ tính muộn</h2>
  <form class="inline-form" method="post" action="/admin/classes/${cls.id}/grace">
    <label for="grace">Điểm danh sau bao nhiêu phút kể từ lúc mở buổi thì tính là muộn?</label>
    <input id="grace" name="minutes" value="${cls.graceMinutes}" inputmode="numeric" pattern="\\d{1,3}" size="4" required> <span>phút</span>
    <button type="submit">Lưu</button>
  </form>
</section>
</main>`,
    { wide: true },
  );
}

function learnerOptions(r: ClassReport, selected: number | null | undefined): Html[] {
  return r.learners.map(
    (l) => html`<option value="${l.id}"${selected === l.id ? html` selected` : ''}>${l.position}. ${l.name}</option>`,
  );
}

export function sessionPage(
  r: ClassReport,
  s: SessionReport,
  o: { nowMs: number; error?: string; saved?: boolean },
): Html {
  const roster = s.expected.length > 0;
  const fix = (
    checkinId: number,
    selected: number | null | undefined,
  ) => html`<form class="fix" method="post" action="/admin/sessions/${s.session.code}/link">
      <input type="hidden" name="checkin" value="${checkinId}">
      <label class="visually-hidden" for="fix-${checkinId}">Đúng người</label>
      <select id="fix-${checkinId}" name="learner"><option value="auto">Tự động khớp</option>${learnerOptions(r, selected)}
        <option value="none"${selected === null ? html` selected` : ''}>Không có trong danh sách</option></select>
      <button class="secondary small" type="submit">Sửa</button></form>`;
  const present = s.present.map(
    (p) => html`<tr><td data-label="Họ và tên"><a href="/admin/learners/${p.learner.id}">${p.learner.name}</a></td>
      <td data-label="Tên đã gửi">${p.checkin.name}</td><td data-label="Giờ" class="nowrap">${formatHm(p.checkin.checkedInAt)}${p.late ? html` <span class="badge expired">muộn</span>` : ''}</td>
      <td data-label="Khớp đúng?">${fix(p.checkin.id, p.learner.id)}</td></tr>`,
  );
  const absent = s.absent.map(
    (
      l,
    ) => html`<tr><td data-label="Họ và tên"><a href="/admin/learners/${l.id}">${l.name}</a></td><td data-label="Điện thoại" class="nowrap">${l.phone ?? ''}</td>
      <td data-label="Thôn">${l.village ?? ''}</td><td><form method="post" action="/admin/sessions/${s.session.code}/present">
      <input type="hidden" name="learner" value="${l.id}"><button class="secondary small" type="submit">Có mặt (thêm tay)</button></form></td></tr>`,
  );
  const unmatched = s.unmatched.map(
    (
      c,
    ) => html`<tr><td data-label="Tên đã gửi">${c.name}</td><td data-label="Giờ" class="nowrap">${formatHm(c.checkedInAt)}</td>
      <td data-label="Ghép với">${fix(c.id, c.linkedLearnerId)}</td></tr>`,
  );
  const counts = roster
    ? `Có mặt ${s.present.length}/${s.expected.length} (${pct(s.present.length, s.expected.length)}) · ${s.late} muộn · ${s.absent.length} vắng · ${s.unmatched.length} ngoài danh sách`
    : `${s.session.checkins} người điểm danh · lớp chưa có danh sách học viên`;
  return layout(
    `Buổi ${s.session.code}`,
    html`${subHeader(`Buổi ${s.session.code} — ${r.cls.name}`, `Mở lúc ${formatDateTime(s.session.openedAt)} · tính muộn sau ${r.cls.graceMinutes} phút`, `/admin/classes/${r.cls.id}`)}
<main>
${o.saved ? html`<p class="ok" role="status">Đã lưu.</p>` : ''}${o.error ? html`<p class="error" role="alert">${o.error}</p>` : ''}
<section class="stats">
  <div class="stat card"><div class="num">${s.present.length}${roster ? `/${s.expected.length}` : ''}</div><div class="muted">Có mặt</div></div>
  <div class="stat card"><div class="num">${s.late}</div><div class="muted">Muộn</div></div>
  <div class="stat card"><div class="num">${roster ? s.absent.length : '—'}</div><div class="muted">Vắng</div></div>
  <div class="stat card"><div class="num">${s.unmatched.length}</div><div class="muted">Ngoài danh sách</div></div>
</section>
<p class="muted">${counts}</p>
${roster ? html`<section class="card"><h2>Vắng (${s.absent.length})</h2>${absent.length ? html`<div class="table-wrap"><table class="cards" id="absent"><thead><tr><th>Họ và tên</th><th>Điện thoại</th><th>Thôn</th><th></th></tr></thead><tbody>${absent}</tbody></table></div>` : html`<p class="empty">Không ai vắng.</p>`}</section>` : ''}
<section class="card"><h2>Có mặt (${s.present.length})</h2>${present.length ? html`<div class="table-wrap"><table class="cards" id="present"><thead><tr><th>Họ và tên</th><th>Tên đã gửi</th><th>Giờ</th><th>Khớp đúng?</th></tr></thead><tbody>${present}</tbody></table></div>` : html`<p class="empty">Chưa ai khớp với danh sách lớp.</p>`}</section>
<section class="card"><h2>Không khớp danh sách (${s.unmatched.length})</h2>
  <p class="muted">Những lượt điểm danh này không tìm được người trong danh sách (tên khác, trùng tên, hoặc người ngoài lớp). Chọn đúng người rồi bấm Sửa.</p>
  ${unmatched.length ? html`<div class="table-wrap"><table class="cards" id="unmatched"><thead><tr><th>Tên đã gửi</th><th>Giờ</th><th>Ghép với</th></tr></thead><tbody>${unmatched}</tbody></table></div>` : html`<p class="empty">Không có.</p>`}</section>
</main>`,
    { wide: true },
  );
}

export function learnerPage(r: ClassReport, l: LearnerRecord): Html {
  const sum = learnerSummary(r, l.id);
  const marks = r.marks.get(l.id) ?? [];
  const rows = r.sessions.map((s, i) => {
    const p = s.present.find((x) => x.learner.id === l.id);
    const m = marks[i] ?? 'none';
    return html`<tr><td data-label="Buổi" class="nowrap">${formatDateTime(s.session.openedAt)}</td>
      <td data-label="Mã"><a class="code" href="/admin/sessions/${s.session.code}">${s.session.code}</a></td>
      <td data-label="Kết quả"><span class="mark ${m}">${m === 'none' ? 'Chưa vào lớp' : MARK_TEXT[m]}</span></td>
      <td data-label="Giờ điểm danh" class="nowrap">${p ? formatHm(p.checkin.checkedInAt) : ''}</td></tr>`;
  });
  const details = [l.phone, l.birthDate ? `sinh ${formatBirthDate(l.birthDate)}` : '', l.village]
    .filter(Boolean)
    .join(' · ');
  return layout(
    l.name,
    html`${subHeader(l.name, `${r.cls.name}${details ? ` · ${details}` : ''}${l.removedAt !== null ? ` · đã rời lớp từ ${formatDate(l.removedAt)}` : ''}`, `/admin/classes/${r.cls.id}`)}
<main>
<section class="stats">
  <div class="stat card"><div class="num">${sum.attended}/${sum.held}</div><div class="muted">Số buổi có mặt</div></div>
  <div class="stat card"><div class="num">${pct(sum.attended, sum.held)}</div><div class="muted">Tỉ lệ</div></div>
  <div class="stat card"><div class="num">${sum.late}</div><div class="muted">Lần muộn</div></div>
</section>
<section class="card"><h2>Các buổi</h2>${rows.length ? html`<div class="table-wrap"><table class="cards" id="history"><thead><tr><th>Buổi</th><th>Mã</th><th>Kết quả</th><th>Giờ điểm danh</th></tr></thead><tbody>${rows}</tbody></table></div>` : html`<p class="empty">Lớp chưa có buổi nào.</p>`}
  ${sum.dates.length ? html`<p>Có mặt các ngày: ${sum.dates.map(formatDate).join(', ')}</p>` : ''}</section>
</main>`,
    { wide: true },
  );
}
