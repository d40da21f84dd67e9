// Message grammar: turns a chat text into an attendance command, or null when it is something else
// (a question for the answer path). Role-agnostic; permissions are the service's job.
//
// A command may start with "/" (Telegram, web) or not (Zalo users rarely type it). Case, diacritics, extra
// spaces and a Telegram "@BotName" suffix ("/mo@MyBot") are tolerated. Without "/", trainer commands are only
// recognised in unambiguous shapes so that "đóng bảo hiểm xã hội ở đâu" or "mở tài khoản" stay questions:
//   mở/mo  <tên lớp> …      only when the name starts with "lớp", or a number of minutes / capacity is given,
//                           or the form is "mở điểm danh <tên lớp>";
//   đóng/dong, ds [mã]      only alone or with a code (codes always contain a digit);
//   xuất/xuat [...]         only alone, with a code, dates, a name starting with "lớp", or "xuất điểm danh …".
//
// Open syntax: /mo <tên lớp> [N | N phút | Np] [sĩ số M | tối đa M | M người]. A bare trailing number is
// minutes ("Lớp kỹ năng số thôn 3 45" = class "… thôn 3", 45 minutes) unless it follows a numbering word
// ("thôn 3", "lớp 12", "tổ 5") or exceeds 1440; write "45 phút" to force minutes.
import { normalizeCode } from './code';
import { parseBareCode, parseClassCommand, splitGluedCode, type ClassCommand } from './grammar-class';
import { cleanName, cleanText, fold, matchesWord, stripPunct } from './text';
import { looksLikeDate, parseDateArg, type DateOnly } from './time';

const DEFAULT_MINUTES = 30;
export const MAX_MINUTES = 24 * 60;
export const MAX_CAPACITY = 10_000;

export type OpenError = 'usage' | 'minutes' | 'capacity';
export type ExportError = { kind: 'date'; token: string } | { kind: 'range' } | { kind: 'usage' };

export type Command =
  | { kind: 'open'; explicit: boolean; className: string; minutes: number; capacity: number | null }
  | { kind: 'open-invalid'; explicit: boolean; error: OpenError }
  | { kind: 'close'; explicit: boolean; code?: string }
  | { kind: 'list'; explicit: boolean; code?: string }
  | { kind: 'export'; explicit: boolean; target?: string; from?: DateOnly; to?: DateOnly }
  | { kind: 'export-invalid'; explicit: boolean; error: ExportError }
  /**
   * A check-in. `code` is what looks like a code (upper-cased, not checked against the alphabet); `name` the rest.
   * `nameIfNoCode` is the whole tail, used when the "code" turns out to be the first word of a name.
   */
  | { kind: 'checkin'; explicit: boolean; code?: string; name?: string; nameIfNoCode?: string; bare?: boolean }
  | ClassCommand;

type Keyword = 'open' | 'close' | 'list' | 'export' | 'checkin';

const ONE_WORD: [string, Keyword][] = [
  ['mở', 'open'],
  ['đóng', 'close'],
  ['ds', 'list'],
  ['danhsách', 'list'],
  ['xuất', 'export'],
  ['điểmdanh', 'checkin'],
  ['dd', 'checkin'],
  ['cómặt', 'checkin'],
];
const TWO_WORDS: [string, string, Keyword][] = [
  ['điểm', 'danh', 'checkin'],
  ['có', 'mặt', 'checkin'],
];

/** Words after which a number belongs to the name: "thôn 3", "lớp 12", "tổ 5". ("số" is not one: "kỹ năng số 45".) */
const NUMBERING_WORDS = new Set(
  'thon lop to buon xom ap khu phuong xa doi nhom khoa buoi bai phan tuan thang nam ngay ky dot cum khom ban lang hem ngo duong tiet phong tang'.split(
    ' ',
  ),
);

/** Folded phrases that make a message a question about attendance rather than a check-in. */
const QUESTION_PHRASES = [
  'la gi',
  'gi',
  'the nao',
  'nhu nao',
  'o dau',
  'bao gio',
  'bao nhieu',
  'khi nao',
  'sao',
  'cach',
  'huong dan',
  'khong',
  'ko',
  'co phai',
  'giup',
  'cho hoi',
  'hoi',
  'nghia la',
  'de lam',
  'lam gi',
  'duoc chua',
  'chua',
];

const isInt = (t: string): boolean => /^\d{1,6}$/.test(t);

function isQuestionLike(text: string): boolean {
  if (/[?？]/.test(text)) return true;
  const f = ` ${fold(text)
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()} `;
  return QUESTION_PHRASES.some((p) => f.includes(` ${p} `));
}

/** Plausible as a person's name typed without a code: short, no digits, not a question. */
function plausibleName(text: string): boolean {
  return !isQuestionLike(text) && !/\d/.test(text) && text.split(' ').length <= 6;
}

function keywordOf(tokens: string[]): { keyword: Keyword; explicit: boolean; used: number } | null {
  if (tokens.length === 0) return null;
  let first = tokens[0];
  const explicit = first.startsWith('/');
  if (explicit) first = first.slice(1).replace(/@[\w.]+$/u, '');
  first = stripPunct(first);
  for (const [word, keyword] of ONE_WORD) if (matchesWord(first, word)) return { keyword, explicit, used: 1 };
  if (!explicit && tokens.length >= 2) {
    const second = stripPunct(tokens[1]);
    for (const [a, b, keyword] of TWO_WORDS) {
      if (matchesWord(first, a) && matchesWord(second, b)) return { keyword, explicit, used: 2 };
    }
  }
  return null;
}

/** Drops a leading "điểm danh" / "diemdanh" after a trainer keyword ("mở điểm danh Lớp A"). */
function stripDiemDanh(rest: string[]): { rest: string[]; stripped: boolean } {
  if (rest.length >= 1 && matchesWord(stripPunct(rest[0]), 'điểmdanh')) return { rest: rest.slice(1), stripped: true };
  if (rest.length >= 2 && matchesWord(rest[0], 'điểm') && matchesWord(stripPunct(rest[1]), 'danh')) {
    return { rest: rest.slice(2), stripped: true };
  }
  return { rest, stripped: false };
}

/** No attendance command is longer (class names stop at 120 characters, names at 80): longer text is a question. */
const MAX_COMMAND_CHARS = 400;
/** ...except a list of learners (`/lop <lớp> them …`, `/them …`): up to one Telegram message (4,096 characters). */
const MAX_LIST_COMMAND_CHARS = 4096;
const LIST_COMMAND = /^\s*(?:@\S{1,64}\s+){0,3}\/(?:lop|them)(?:@[\w.]{1,64})?(?:\s|$)/iu;

export function parseAttendance(input: string): Command | null {
  // Checked before any clean-up or split, so a megabyte-long message costs nothing here.
  if (input.length > MAX_COMMAND_CHARS && (input.length > MAX_LIST_COMMAND_CHARS || !LIST_COMMAND.test(input)))
    return null;
  const text = cleanText(input);
  if (!text) return null;
  const all = text.split(' ');
  let first = 0;
  while (first < all.length && /^@\S+$/u.test(all[first])) first++; // leading mentions
  let tokens = first ? all.slice(first) : all;
  const classCommand = parseClassCommand(tokens, input);
  if (classCommand) return classCommand;
  tokens = splitGluedCode(tokens);
  const kw = keywordOf(tokens);
  if (!kw) {
    const bare = parseBareCode(tokens);
    return bare ? { kind: 'checkin', explicit: false, code: bare.code, name: bare.name, bare: true } : null;
  }
  const rest = tokens.slice(kw.used);
  switch (kw.keyword) {
    case 'checkin':
      return parseCheckin(rest, kw.explicit);
    case 'open':
      return parseOpen(rest, kw.explicit);
    case 'close':
    case 'list':
      return parseCodeOnly(kw.keyword, rest, kw.explicit);
    case 'export':
      return parseExport(rest, kw.explicit);
  }
}

/**
 * Drops the words people say before a code or a name ("mã K7QX", "mã số K7QX", "tên là Nguyễn Văn An"), as
 * spoken check-ins come out of speech-to-text. "mã" is only a label before a code with a digit ("Mã Thị Lan" is
 * a name).
 */
function dropLabel(toks: string[], label: string[][], before?: (next: string | undefined) => boolean): string[] {
  for (const words of label) {
    const n = words.length;
    if (toks.length > n && words.every((w, i) => matchesWord(stripPunct(toks[i]), w)) && (!before || before(toks[n])))
      return toks.slice(n);
  }
  return toks;
}

const CODE_LABELS = [['mã', 'số'], ['mã']];
const NAME_LABELS = [
  ['họ', 'và', 'tên', 'là'],
  ['họ', 'và', 'tên'],
  ['họ', 'tên', 'là'],
  ['họ', 'tên'],
  ['tên', 'là'],
  ['tên'],
  ['là'],
];
const isCodeWithDigit = (t: string | undefined) => {
  const code = t === undefined ? null : normalizeCode(stripPunct(t));
  return code !== null && /\d/.test(code);
};

function parseCheckin(rest0: string[], explicit: boolean): Command | null {
  const rest = dropLabel(rest0, CODE_LABELS, isCodeWithDigit);
  const toks = rest.map((t, i) => (i === 0 ? stripPunct(t) : t)).filter((t) => t && !/^[-–—:,.]+$/u.test(t));
  const tail = cleanName(toks.join(' '));
  const code = toks.length ? normalizeCode(stripPunct(toks[0])) : null;
  if (code) {
    // Codes always contain a digit; without one this is probably the first word of a sentence or a name.
    if (!explicit && !/\d/.test(code) && !plausibleName(tail)) return null;
    const name = cleanName(dropLabel(toks.slice(1), /\d/.test(code) ? NAME_LABELS : []).join(' '));
    return { kind: 'checkin', explicit, code, name: name || undefined, nameIfNoCode: tail || undefined };
  }
  if (!tail) return { kind: 'checkin', explicit };
  if (!explicit && !plausibleName(tail)) return null; // "điểm danh là gì", "có mặt ở đâu"
  return { kind: 'checkin', explicit, name: tail, nameIfNoCode: tail };
}

function parseCodeOnly(kind: 'close' | 'list', rest0: string[], explicit: boolean): Command | null {
  const { rest } = stripDiemDanh(rest0);
  if (rest.length === 0) return { kind, explicit };
  const code = normalizeCode(stripPunct(rest[0]));
  if (explicit) return { kind, explicit, code: code ?? stripPunct(rest[0]).toUpperCase() };
  if (rest.length === 1 && code && /\d/.test(code) && /[A-Z]/.test(code)) return { kind, explicit, code };
  return null;
}

function parseOpen(rest0: string[], explicit: boolean): Command | null {
  const { rest, stripped } = stripDiemDanh(rest0);
  let toks = [...rest];
  const f = (i: number): string => fold(stripPunct(toks[i] ?? ''));
  const num = (i: number): number | null => (isInt(stripPunct(toks[i] ?? '')) ? Number(stripPunct(toks[i])) : null);

  // Capacity: "sĩ số 40", "tối đa 40", "max 40", "40 người", "40 học viên", "40 hv".
  let capacity: number | null = null;
  let capacityError = false;
  for (let i = 0; i < toks.length; i++) {
    let span = 0;
    let n: number | null = null;
    if ((f(i) === 'si' && f(i + 1) === 'so') || (f(i) === 'toi' && f(i + 1) === 'da')) [span, n] = [3, num(i + 2)];
    else if (f(i) === 'siso' || f(i) === 'max') [span, n] = [2, num(i + 1)];
    else if (num(i) !== null && (f(i + 1) === 'nguoi' || f(i + 1) === 'hv')) [span, n] = [2, num(i)];
    else if (num(i) !== null && f(i + 1) === 'hoc' && f(i + 2) === 'vien') [span, n] = [3, num(i)];
    if (!span) continue;
    if (n === null || n < 1 || n > MAX_CAPACITY) capacityError = true;
    else capacity = n;
    toks = [...toks.slice(0, i), ...toks.slice(i + span)];
    break;
  }

  // Minutes at the end.
  let minutes: number | null = null;
  let explicitMinutes = false;
  const last = toks.length - 1;
  const unit = /^(\d{1,6})(p|ph|phut|')$/.exec(f(last));
  if (unit) {
    [minutes, explicitMinutes] = [Number(unit[1]), true];
    toks = toks.slice(0, last);
  } else if (last >= 1 && ['phut', 'p', 'ph'].includes(f(last)) && num(last - 1) !== null) {
    [minutes, explicitMinutes] = [num(last - 1), true];
    toks = toks.slice(0, last - 1);
  } else if (last >= 1 && num(last) !== null) {
    const n = num(last)!;
    const prev = f(last - 1);
    if (!NUMBERING_WORDS.has(prev) && n >= 1 && n <= MAX_MINUTES) {
      minutes = n;
      toks = toks.slice(0, last);
    }
  }

  const className = cleanText(toks.join(' '))
    .replace(/^["“'‘]+|["”'’]+$/gu, '')
    .trim();
  const recognised =
    explicit || stripped || minutes !== null || capacity !== null || capacityError || /^lop\b/.test(fold(className));
  if (!recognised) return null;
  if (capacityError) return { kind: 'open-invalid', explicit, error: 'capacity' };
  if (explicitMinutes && (minutes! < 1 || minutes! > MAX_MINUTES))
    return { kind: 'open-invalid', explicit, error: 'minutes' };
  if (!className || [...className].length > 120) return { kind: 'open-invalid', explicit, error: 'usage' };
  return { kind: 'open', explicit, className, minutes: minutes ?? DEFAULT_MINUTES, capacity };
}

const FILLERS = new Set(['tu', 'den', 'toi', '-', '–', '—', '->', '→']);

function parseExport(rest0: string[], explicit: boolean): Command | null {
  const { rest, stripped } = stripDiemDanh(rest0);
  const dates: DateOnly[] = [];
  const target: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const t = stripPunct(rest[i]) || rest[i];
    if (looksLikeDate(t)) {
      const d = parseDateArg(t);
      if (!d) return { kind: 'export-invalid', explicit, error: { kind: 'date', token: t } };
      dates.push(d);
    } else if (FILLERS.has(fold(t)) && i + 1 < rest.length && looksLikeDate(stripPunct(rest[i + 1]))) {
    } else {
      target.push(rest[i]);
    }
  }
  const targetText = cleanText(target.join(' '))
    .replace(/^["“'‘]+|["”'’]+$/gu, '')
    .trim();
  const code = target.length === 1 ? normalizeCode(stripPunct(target[0])) : null;
  const recognised =
    explicit || stripped || !targetText || (code !== null && /\d/.test(code)) || /^lop\b/.test(fold(targetText));
  if (!recognised) return null;
  if (dates.length > 2) return { kind: 'export-invalid', explicit, error: { kind: 'usage' } };
  const [from, to] = dates;
  const key = (d: DateOnly): number => d.year * 10000 + d.month * 100 + d.day;
  if (from && to && key(from) > key(to)) return { kind: 'export-invalid', explicit, error: { kind: 'range' } };
  return { kind: 'export', explicit, target: targetText || undefined, from, to };
}
