// The trainers page of the dashboard (admins only).
import { formatDate, type TrainerRecord } from '../attendance';
import { layout, subHeader } from './admin-page';
import { html } from 'hono/html';
import type { Html } from './types';
import type { RoleConfig } from './trainer-auth';

export function trainersPage(o: { stored: TrainerRecord[]; roles: RoleConfig; error?: string; saved?: string }): Html {
  const rows = o.stored.map(
    (t) => html`<tr><td data-label="Họ tên">${t.name}</td><td data-label="Mã người dùng" class="mono">${t.identity}</td>
      <td data-label="Thêm ngày" class="nowrap">${formatDate(t.addedAt)}</td>
      <td class="act"><form method="post" action="/admin/trainers/remove"><input type="hidden" name="identity" value="${t.identity}">
      <button class="ghost small" type="submit">Bỏ quyền giảng viên</button></form></td></tr>`,
  );
  const fromConfig = [
    ...o.roles.ADMIN_IDS.map((id) => html`<li><span class="mono">${id}</span> — quản trị viên</li>`),
    ...o.roles.TRAINER_IDS.map((id) => html`<li><span class="mono">${id}</span> — giảng viên</li>`),
  ];
  const saved =
    o.saved === 'added'
      ? 'Đã thêm giảng viên.'
      : o.saved === 'removed'
        ? 'Đã bỏ quyền giảng viên (các phiên đăng nhập web của người này cũng kết thúc).'
        : '';
  return layout(
    'Giảng viên',
    html`${subHeader('Giảng viên', 'Ai được mở buổi điểm danh, quản lý danh sách lớp và xem báo cáo lớp của mình')}
<main>
${saved ? html`<p class="ok" role="status">${saved}</p>` : ''}${o.error ? html`<p class="error" role="alert">${o.error}</p>` : ''}
<section class="card"><h2>Thêm giảng viên</h2>
  <p class="muted">Giảng viên gửi <strong>/id</strong> cho bot (trên Zalo gõ <strong>id</strong>) để biết mã người dùng của mình, rồi gửi mã đó cho bạn.</p>
  <form class="filters" method="post" action="/admin/trainers">
    <div class="field"><label for="t-id">Mã người dùng</label><input id="t-id" name="identity" placeholder="telegram:123456789" autocomplete="off" required></div>
    <div class="field"><label for="t-name">Họ tên</label><input id="t-name" name="name" placeholder="Nguyễn Thị Hoa" required></div>
    <div class="actions"><button type="submit">Thêm</button></div>
  </form>
</section>
<section class="card"><h2>Giảng viên đã thêm (${o.stored.length})</h2>
  ${rows.length ? html`<div class="table-wrap"><table class="cards" id="trainers"><thead><tr><th>Họ tên</th><th>Mã người dùng</th><th>Thêm ngày</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>` : html`<p class="empty">Chưa có.</p>`}
</section>
<section class="card"><h2>Trong cấu hình máy chủ</h2>
  ${fromConfig.length ? html`<ul>${fromConfig}</ul>` : html`<p class="empty">Không có (biến ADMIN_IDS và TRAINER_IDS để trống).</p>`}
  <p class="muted">Những người này được đặt trong biến môi trường ADMIN_IDS / TRAINER_IDS; sửa ở đó rồi khởi động lại máy chủ.</p>
</section>
</main>`,
    { wide: true },
  );
}
