// Every Vietnamese string the attendance module shows to users (NFC, full diacritics).
import { type ExportError, MAX_CAPACITY, MAX_MINUTES, type OpenError } from './grammar';
import { formatHmMaybeDate, formatWhen } from './time';
import type { CheckinRecord, SessionRecord } from './types';

const MAX_LISTED = 100;

export const msg = {
  opened(s: SessionRecord, nowMs: number): string {
    const lines = [
      `Đã mở điểm danh "${s.className}".`,
      `Mã điểm danh: ${s.code}`,
      `Học viên gửi: diemdanh ${s.code} Họ và tên — hạn đến ${formatWhen(s.expiresAt, nowMs)}.`,
    ];
    if (s.isGroup) lines.push('Trong nhóm này chỉ cần gửi: có mặt');
    if (s.capacity !== null) lines.push(`Sĩ số tối đa: ${s.capacity} người.`);
    return lines.join('\n');
  },
  openUsage: 'Cú pháp mở điểm danh: /mo <tên lớp> [số phút] [sĩ số N]\nVí dụ: /mo Lớp kỹ năng số thôn 3 45 sĩ số 40',
  openError(e: OpenError): string {
    if (e === 'minutes') return `Số phút phải từ 1 đến ${MAX_MINUTES} (${MAX_MINUTES / 60} giờ).\n` + msg.openUsage;
    if (e === 'capacity') return `Sĩ số phải là số từ 1 đến ${MAX_CAPACITY}.\n` + msg.openUsage;
    return msg.openUsage;
  },
  closed(s: SessionRecord, count: number): string {
    return `Đã đóng điểm danh "${s.className}" (mã ${s.code}): ${count} người có mặt.`;
  },
  alreadyClosed(s: SessionRecord, nowMs: number): string {
    return `Buổi điểm danh mã ${s.code} đã đóng từ ${formatHmMaybeDate(s.closedAt ?? s.expiresAt, nowMs)}.`;
  },
  noOpenSession: 'Bạn không có buổi điểm danh nào đang mở. Mở buổi mới: /mo <tên lớp> [số phút]',
  noSession: 'Bạn chưa mở buổi điểm danh nào. Mở buổi mới: /mo <tên lớp> [số phút]',
  notYours(code: string): string {
    return `Buổi điểm danh mã ${code} không thuộc lớp của bạn.`;
  },
  trainerOnly: 'Xin lỗi, chỉ giảng viên mới dùng được lệnh này. Nếu bạn là học viên, hãy gửi: diemdanh <mã> Họ và tên.',
  list(s: SessionRecord, rows: CheckinRecord[], nowMs: number): string {
    const head = `Điểm danh "${s.className}" — mã ${s.code} (${status(s, nowMs)}):`;
    if (rows.length === 0) return `${head}\nChưa có ai điểm danh.`;
    const lines = rows
      .slice(0, MAX_LISTED)
      .map((r, i) => `${i + 1}. ${r.name} — ${formatHmMaybeDate(r.checkedInAt, nowMs)}`);
    if (rows.length > MAX_LISTED) {
      lines.push(`… và ${rows.length - MAX_LISTED} người khác. Gửi /xuat ${s.code} để lấy đủ danh sách.`);
    }
    return [head, ...lines, `Tổng: ${rows.length} người.`].join('\n');
  },
  checkedIn(name: string, s: SessionRecord, c: CheckinRecord, nowMs: number): string {
    return `✅ Đã điểm danh: ${name} — ${s.className}, ${formatHmMaybeDate(c.checkedInAt, nowMs)}.`;
  },
  repeat(c: CheckinRecord, nameChanged: boolean, nowMs: number): string {
    const base = `Bạn đã điểm danh lúc ${formatHmMaybeDate(c.checkedInAt, nowMs)} rồi.`;
    return nameChanged ? `${base} Đã cập nhật tên: ${c.name}.` : base;
  },
  /** A wrong, closed or expired code: the same words for all three, naming no class. */
  unknownCode(code: string): string {
    return `Mã điểm danh ${code} không đúng hoặc đã hết hạn. Kiểm tra lại mã với giảng viên; nếu bạn có mặt mà không điểm danh được, hãy báo giảng viên.`;
  },
  tooManyCodeAttempts(seconds: number, scope: 'client' | 'global'): string {
    const wait = seconds < 120 ? `${Math.max(1, seconds)} giây` : `${Math.ceil(seconds / 60)} phút`;
    const why =
      scope === 'client'
        ? 'Bạn đã nhập sai mã điểm danh nhiều lần.'
        : 'Hệ thống đang nhận quá nhiều mã điểm danh sai nên tạm ngừng kiểm tra mã của bạn.';
    return `${why} Vui lòng đợi khoảng ${wait} rồi thử lại, hoặc hỏi lại mã với giảng viên.`;
  },
  sessionFull(s: SessionRecord, capacity: number): string {
    return `Buổi điểm danh mã ${s.code} ("${s.className}") đã đủ ${capacity} người. Vui lòng báo giảng viên.`;
  },
  checkinHint:
    'Để điểm danh, gửi: diemdanh <mã> Họ và tên\nVí dụ: diemdanh K7QXM2P9 Nguyễn Văn An\nMã điểm danh do giảng viên cung cấp.',
  groupNoSession:
    'Nhóm này chưa có buổi điểm danh nào đang mở. Gửi: diemdanh <mã> Họ và tên (mã do giảng viên cung cấp).',
  exportDone(count: number, sessions: number, what: string): string {
    return `Đã xuất ${count} lượt điểm danh (${sessions} buổi)${what ? ` — ${what}` : ''}. Tệp CSV và Excel đính kèm.`;
  },
  exportEmpty: 'Không có lượt điểm danh nào phù hợp để xuất.',
  exportUsage:
    'Cú pháp xuất: /xuat [mã | tên lớp] [từ ngày] [đến ngày]\nNgày dạng dd/mm/yyyy hoặc yyyy-mm-dd. Ví dụ: /xuat Lớp kỹ năng số thôn 3 01/11/2025 30/11/2025',
  exportError(e: ExportError): string {
    if (e.kind === 'date') return `Ngày không hợp lệ: ${e.token}.\n${msg.exportUsage}`;
    if (e.kind === 'range') return `Ngày bắt đầu phải trước ngày kết thúc.\n${msg.exportUsage}`;
    return msg.exportUsage;
  },
  classNotFound(name: string): string {
    return `Không tìm thấy lớp "${name}" trong các lớp của bạn.`;
  },
  busy: 'Hệ thống đang bận, chưa ghi nhận được. Vui lòng gửi lại sau ít phút.',
};

function status(s: SessionRecord, nowMs: number): string {
  if (s.closedAt !== null) return `đã đóng lúc ${formatHmMaybeDate(s.closedAt, nowMs)}`;
  if (s.expiresAt <= nowMs) return `đã hết hạn lúc ${formatHmMaybeDate(s.expiresAt, nowMs)}`;
  return `đang mở đến ${formatHmMaybeDate(s.expiresAt, nowMs)}`;
}
