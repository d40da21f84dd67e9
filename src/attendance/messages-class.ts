// Vietnamese replies of the class-running commands (/id, /dangnhap, /vang, /them, /lop), NFC with full diacritics.
import type { Role } from '../domain';
import { MAX_GRACE_MINUTES } from './grammar-class';
import { formatBirthDate } from './learner';
import type { FieldError } from './learner';
import type { LearnerRecordSummary, SessionReport } from './roster';
import { formatSignInCode, SIGN_IN_CODE_TTL_MS } from './sign-in';
import { formatDate, formatDateTime, formatHmMaybeDate } from './time';
import type { ClassRecord, LearnerRecord, SessionRecord } from './types';

const MAX_ROSTER_LINES = 100;

const ROLE_VI: Record<Role, string> = { admin: 'quản trị viên', trainer: 'giảng viên', user: 'người dùng' };

const learnerLine = (l: LearnerRecord): string =>
  [l.name, l.phone, l.birthDate ? `sinh ${formatBirthDate(l.birthDate)}` : null, l.village].filter(Boolean).join(' — ');

const sessionLabel = (s: SessionRecord): string =>
  `"${s.className}", buổi ${formatDateTime(s.openedAt)} (mã ${s.code})`;

const FIELD_VI: Record<FieldError, string> = {
  'no-name': 'thiếu họ tên',
  'bad-name': 'họ tên có ký tự lạ',
  'bad-phone': 'số điện thoại không hợp lệ',
  'bad-date': 'ngày sinh không hợp lệ (dd/mm/yyyy hoặc năm sinh)',
  'too-long': 'quá dài',
};

export const classMsg = {
  identity(identity: string, role: Role, web: boolean): string {
    const lines = [`Mã người dùng của bạn: ${identity}`, `Vai trò: ${ROLE_VI[role]}.`];
    if (role === 'user' && !web)
      lines.push('Nếu bạn là giảng viên, hãy gửi mã này cho quản trị viên để được thêm vào danh sách giảng viên.');
    if (role === 'user' && web) {
      lines.push(
        'Mã này chỉ gắn với trình duyệt này. Giảng viên hãy gửi /dangnhap cho bot trên Telegram hoặc Zalo để nhận mã đăng nhập trang web.',
      );
    }
    return lines.join('\n');
  },
  signInCode(code: string, loginUrl: string): string {
    return [
      `Mã đăng nhập trang web: ${formatSignInCode(code)}`,
      `Mở ${loginUrl} và nhập mã này. Mã chỉ dùng được một lần, hết hạn sau ${SIGN_IN_CODE_TTL_MS / 60_000} phút.`,
      'Đừng đưa mã này cho người khác.',
    ].join('\n');
  },
  signInPrivateOnly: 'Vì an toàn, hãy gửi /dangnhap trong tin nhắn riêng với bot, không gửi trong nhóm.',
  signInFromWeb:
    'Bạn đang dùng trang web. Hãy gửi /dangnhap cho bot trên Telegram hoặc Zalo để nhận mã, rồi nhập mã ở trang "Đăng nhập giảng viên".',
  askName: 'Bạn vui lòng cho biết họ và tên để điểm danh (chỉ hỏi một lần trên trình duyệt này).',
  noRoster(cls: ClassRecord): string {
    return `Lớp "${cls.name}" chưa có danh sách học viên nên chưa biết ai vắng.\nThêm học viên: /lop ${cls.name} them Họ tên, SĐT; Họ tên 2, SĐT 2 — hoặc tải tệp danh sách lên trang quản trị.`;
  },
  absent(r: SessionReport, nowMs: number): string {
    const head = `Vắng mặt — ${sessionLabel(r.session)}: ${r.absent.length}/${r.expected.length} người.`;
    const lines = r.absent.slice(0, MAX_ROSTER_LINES).map((l, i) => `${i + 1}. ${learnerLine(l)}`);
    if (r.absent.length === 0) lines.push('Không ai vắng. 🎉');
    if (r.absent.length > MAX_ROSTER_LINES)
      lines.push(`… và ${r.absent.length - MAX_ROSTER_LINES} người khác (xem trên trang quản trị).`);
    return [head, ...lines, classMsg.summary(r, nowMs)].join('\n');
  },
  /** "Có mặt 12/15 (2 muộn), vắng 3. Ngoài danh sách: 1 lượt (Nguyen An 09:05)." */
  summary(r: SessionReport, nowMs: number): string {
    let s = `Có mặt ${r.present.length}/${r.expected.length}${r.late ? ` (${r.late} muộn)` : ''}, vắng ${r.absent.length}.`;
    if (r.unmatched.length) {
      const names = r.unmatched
        .slice(0, 10)
        .map((c) => `${c.name} ${formatHmMaybeDate(c.checkedInAt, nowMs)}`)
        .join('; ');
      s += `\nKhông khớp danh sách lớp: ${r.unmatched.length} lượt (${names}${r.unmatched.length > 10 ? '; …' : ''}). Sửa trên trang quản trị nếu cần.`;
    }
    return s;
  },
  addLateUsage:
    'Cú pháp: /them Họ và tên (nhiều người: /them Tên 1; Tên 2). Người được thêm ghi nhận có mặt vào buổi đang mở hoặc buổi gần nhất.',
  addedLate(s: SessionRecord, lines: string[]): string {
    return [`Buổi ${sessionLabel(s)}:`, ...lines].join('\n');
  },
  addedLine(name: string, atText: string, late: boolean, onRoster: boolean, hasRoster: boolean): string {
    return `✅ Đã thêm: ${name} — ${atText}${late ? ' (muộn)' : ''}${hasRoster && !onRoster ? ' (không có trong danh sách lớp)' : ''}`;
  },
  alreadyPresent(name: string, atText: string): string {
    return `• ${name} đã có mặt lúc ${atText}.`;
  },
  sessionFullLine(name: string, capacity: number): string {
    return `• ${name}: buổi đã đủ ${capacity} người.`;
  },
  noClasses:
    'Bạn chưa có lớp nào. Mở buổi điểm danh đầu tiên: /mo <tên lớp>, hoặc thêm học viên: /lop <tên lớp> them Họ tên, SĐT',
  classes(list: { cls: ClassRecord; learners: number; sessions: number }[]): string {
    const lines = list.map((x, i) => `${i + 1}. ${x.cls.name} — ${x.learners} học viên, ${x.sessions} buổi`);
    return ['Lớp của bạn:', ...lines, 'Xem danh sách một lớp: /lop <tên lớp>'].join('\n');
  },
  classNotFound(name: string): string {
    return `Không tìm thấy lớp "${name}" trong các lớp của bạn. Gõ /lop để xem các lớp.`;
  },
  classAmbiguous(names: string[]): string {
    return `Có nhiều lớp khớp: ${names.map((n) => `"${n}"`).join(', ')}. Hãy ghi đầy đủ tên lớp.`;
  },
  roster(cls: ClassRecord, rows: { learner: LearnerRecord; sum: LearnerRecordSummary }[], sessions: number): string {
    const head = `Lớp "${cls.name}" — ${rows.length} học viên, ${sessions} buổi; điểm danh sau ${cls.graceMinutes} phút tính là muộn.`;
    if (rows.length === 0) return `${head}\nChưa có học viên nào.\n${classMsg.rosterHelp(cls)}`;
    const lines = rows.slice(0, MAX_ROSTER_LINES).map(({ learner, sum }, i) => {
      const record = sessions ? ` — có mặt ${sum.attended}/${sum.held}${sum.late ? ` (${sum.late} muộn)` : ''}` : '';
      return `${i + 1}. ${learnerLine(learner)}${record}`;
    });
    if (rows.length > MAX_ROSTER_LINES)
      lines.push(`… và ${rows.length - MAX_ROSTER_LINES} người khác (xem trên trang quản trị).`);
    return [head, ...lines, classMsg.rosterHelp(cls)].join('\n');
  },
  rosterHelp(cls: ClassRecord): string {
    return [
      `Thêm: /lop ${cls.name} them Họ tên, SĐT, ngày sinh, thôn`,
      `Xoá: /lop ${cls.name} xoa <số thứ tự>`,
      `Xem một người: /lop ${cls.name} xem <số thứ tự>`,
      `Đổi số phút tính muộn: /lop ${cls.name} muon <số phút>`,
    ].join('\n');
  },
  addUsage(cls: string): string {
    return `Cú pháp: /lop ${cls} them Họ tên, SĐT, ngày sinh, thôn (nhiều người: cách nhau bằng dấu ; hoặc xuống dòng).`;
  },
  learnerError(entry: string, e: FieldError): string {
    return `Chưa thêm được "${entry}": ${FIELD_VI[e]}. Không ai được thêm; hãy sửa rồi gửi lại.`;
  },
  learnerDuplicate(entry: string): string {
    return `"${entry}" đã có trong danh sách lớp (cùng họ tên hoặc số điện thoại). Không ai được thêm.`;
  },
  added(cls: ClassRecord, added: LearnerRecord[], total: number): string {
    return [
      `Đã thêm ${added.length} học viên vào lớp "${cls.name}" (tổng ${total}):`,
      ...added.map((l) => `${l.position}. ${learnerLine(l)}`),
    ].join('\n');
  },
  learnerNotFound(target: string): string {
    return `Không tìm thấy học viên "${target}" trong lớp. Gõ /lop <tên lớp> để xem số thứ tự.`;
  },
  learnerAmbiguous(target: string): string {
    return `Có nhiều học viên tên "${target}". Hãy dùng số thứ tự trong danh sách.`;
  },
  removed(cls: ClassRecord, l: LearnerRecord): string {
    return `Đã xoá ${l.name} khỏi danh sách lớp "${cls.name}". Các lượt điểm danh trước đây của người này vẫn được giữ.`;
  },
  graceUsage: `Cú pháp: /lop <tên lớp> muon <số phút từ 0 đến ${MAX_GRACE_MINUTES}>`,
  graceSet(cls: ClassRecord, minutes: number): string {
    return `Lớp "${cls.name}": điểm danh sau ${minutes} phút kể từ lúc mở buổi sẽ tính là muộn.`;
  },
  learnerRecord(l: LearnerRecord, sum: LearnerRecordSummary, absentDates: number[]): string {
    const lines = [
      `${learnerLine(l)}`,
      `Có mặt ${sum.attended}/${sum.held} buổi${sum.late ? `, ${sum.late} lần muộn` : ''}.`,
    ];
    if (sum.dates.length) lines.push(`Các buổi có mặt: ${sum.dates.map(formatDate).join(', ')}`);
    if (absentDates.length) lines.push(`Các buổi vắng: ${absentDates.map(formatDate).join(', ')}`);
    return lines.join('\n');
  },
};
