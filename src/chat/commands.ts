import { distinctCitations, type DocumentInfo, formatCitation } from '../domain';
import type { LastAnswer } from './memory';
import { formatDocumentList, wantsDocumentList } from './doc-list';
import { msg } from './messages';
import { cutAtWord, fold } from '../text';

export interface ParsedCommand {
  /** Lower-cased command name without "/" and "@bot" suffix. */
  name: string;
  /** The "@BotName" suffix, when present. */
  target?: string;
  /** Text after the command. */
  args: string;
  /** Typed with "/" (a bare word is a command only in the table's exact shapes). */
  slash: boolean;
}

/** Who handles a command: the chat core itself, or the attendance module (which parses its own arguments). */
type Owner = 'core' | 'attendance';

interface CommandSpec {
  name: string;
  owner: Owner;
  /** Shown in Telegram's command menu with this description. */
  description?: string;
  /** Words that mean the command without "/" on every channel (folded, spaces removed), and the arguments they imply. */
  bare?: Record<string, string>;
}

/** Every command, once: the menu, the router and the bare-word grammar are derived from this table. */
const COMMANDS: CommandSpec[] = [
  { name: 'start', owner: 'core', description: 'Giới thiệu trợ lý và cách sử dụng', bare: { start: '', batdau: '' } },
  { name: 'help', owner: 'core', description: 'Hướng dẫn sử dụng', bare: { help: '', huongdan: '' } },
  { name: 'trogiup', owner: 'core', bare: { trogiup: '' } },
  { name: 'hoi', owner: 'core', description: 'Hỏi về thủ tục hành chính (dùng trong nhóm)', bare: { hoi: '' } },
  { name: 'thutuc', owner: 'core', description: 'Tra cứu thủ tục theo lĩnh vực', bare: { thutuc: '' } },
  {
    name: 'nguon',
    owner: 'core',
    description: 'Nguồn của câu trả lời gần nhất; /nguon tatca: danh sách văn bản và hiệu lực',
    bare: { nguon: '', vanban: 'tatca', danhsachvanban: 'tatca' },
  },
  { name: 'diemdanh', owner: 'attendance', description: 'Điểm danh: /diemdanh <mã> Họ và tên' },
  { name: 'dd', owner: 'attendance' },
  { name: 'comat', owner: 'attendance' },
  { name: 'mo', owner: 'attendance', description: 'Giảng viên: mở buổi điểm danh' },
  { name: 'dong', owner: 'attendance', description: 'Giảng viên: đóng buổi điểm danh' },
  { name: 'ds', owner: 'attendance', description: 'Giảng viên: xem danh sách điểm danh' },
  { name: 'danhsach', owner: 'attendance' },
  { name: 'xuat', owner: 'attendance', description: 'Giảng viên: xuất danh sách ra tệp CSV/Excel' },
  { name: 'vang', owner: 'attendance', description: 'Giảng viên: xem ai vắng buổi đang mở hoặc buổi gần nhất' },
  { name: 'them', owner: 'attendance', description: 'Giảng viên: thêm người đến muộn vào buổi' },
  { name: 'lop', owner: 'attendance', description: 'Giảng viên: danh sách học viên của lớp' },
  { name: 'dangnhap', owner: 'attendance', description: 'Giảng viên: nhận mã đăng nhập trang web' },
  { name: 'id', owner: 'attendance', description: 'Xem mã người dùng và vai trò của bạn', bare: { id: '' } },
];

/** Bot commands with Vietnamese descriptions, for Telegram setMyCommands (menu order: the table's). */
export const BOT_COMMANDS: { command: string; description: string }[] = COMMANDS.flatMap((c) =>
  c.description ? [{ command: c.name, description: c.description }] : [],
);

const BY_NAME = new Map(COMMANDS.map((c) => [c.name, c]));
const BARE = new Map(
  COMMANDS.flatMap((c) => Object.entries(c.bare ?? {}).map(([word, args]) => [word, { name: c.name, args }] as const)),
);

/** The attendance module parses these itself (with their "@bot" suffix and arguments). */
export const isAttendanceCommand = (name: string): boolean => BY_NAME.get(name)?.owner === 'attendance';

/**
 * "/hoi@MyBot  câu hỏi" → { name: 'hoi', target: 'MyBot', args: 'câu hỏi' }. The same words without "/" on every
 * channel: "help", "Thủ tục", "văn bản" (→ /nguon tatca), "hỏi <câu hỏi>". Undefined when not a command.
 */
export function parseCommand(text: string): ParsedCommand | undefined {
  const t = text.trim();
  const m = /^\/([\p{L}\p{N}_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s+([\s\S]*))?$/u.exec(t);
  if (m) return { name: m[1].toLowerCase(), target: m[2], args: (m[3] ?? '').trim(), slash: true };
  const whole = t.length <= 40 ? BARE.get(fold(t).replace(/[\s.!]+/g, '')) : undefined;
  if (whole) return { name: whole.name, args: whole.args, slash: false };
  // "hỏi"/"hoi" + question (the exact word only: "Hội nông dân…" folds to "hoi" too and must stay a question).
  const ask = /^(hoi|hỏi)[\s:,]+(\S[\s\S]*)$/iu.exec(t.normalize('NFC'));
  return ask ? { name: 'hoi', args: ask[2].trim(), slash: false } : undefined;
}

/** The /nguon reply: every distinct source of the chat's last answer, with its address when known. */
function formatSources(last: LastAnswer | undefined): string {
  if (!last) return msg.noSources;
  const cites = distinctCitations(last.citations);
  if (cites.length === 0) return msg.declinedNoSources;
  const lines = [msg.sourcesHeader];
  cites.forEach((c, i) => {
    lines.push(`${i + 1}. ${formatCitation(c)}`);
    if (c.url) lines.push(`   ${c.url}`);
  });
  return lines.join('\n');
}

/**
 * /nguon: the last answer's sources; "/nguon tatca" the document list with validity; "/nguon <words>" the documents
 * whose name or number contains the words. Without a last answer, the document list follows the hint.
 */
export function sourcesReply(args: string, last: LastAnswer | undefined, docs: DocumentInfo[], now?: Date): string {
  if (wantsDocumentList(args)) return formatDocumentList(docs, '', now);
  if (args.trim()) return formatDocumentList(docs, args.trim(), now);
  if (!last) return `${msg.noSources}\n\n${formatDocumentList(docs, '', now)}`;
  return formatSources(last);
}

/** Cuts a question to at most `max` characters, at a word boundary when one is near. */
export function truncateQuestion(text: string, max: number): string {
  return cutAtWord(text, max, 0.8);
}
