// Grammar of the class-running commands, kept apart from grammar.ts:
//   /id (or "id")                       who am I (channel:userId and role)
//   /dangnhap (or "đăng nhập")          one-time code to sign in to the web pages as a trainer
//   /vang [mã] (or "vắng")              who is absent from the current or last session
//   /them Tên[; Tên 2]                  trainer adds a late learner by hand
//   /lop                                my classes
//   /lop <tên lớp>                      the roster with each learner's attendance
//   /lop <tên lớp> them Tên, SĐT, ngày sinh, thôn[; …]   add learners
//   /lop <tên lớp> xoa <số | tên>       remove a learner (their past check-ins stay)
//   /lop <tên lớp> muon <phút>          grace period before a check-in counts as late
//   /lop <tên lớp> xem <số | tên>       one learner's record
// and two check-in shapes: a code glued to "dd" ("dd2Q79XK4M") and a bare code while a session is open in that chat
// ("2Q79XK4M Nguyễn Văn An"; the service checks the code against that chat's open session).
import { CODE_RE, normalizeCode } from './code';
import { cleanName, cleanText, fold, matchesWord, stripPunct } from './text';

export type ClassAction =
  | { kind: 'list' }
  | { kind: 'show'; className: string }
  | { kind: 'add'; className: string; entries: string[] }
  | { kind: 'remove'; className: string; target: string }
  | { kind: 'grace'; className: string; minutes: number | null }
  | { kind: 'learner'; className: string; target: string };

export type ClassCommand =
  | { kind: 'identity'; explicit: boolean }
  | { kind: 'signin'; explicit: boolean }
  | { kind: 'absent'; explicit: boolean; code?: string }
  | { kind: 'add-late'; explicit: boolean; names: string[] }
  | { kind: 'class'; explicit: boolean; action: ClassAction };

export const MAX_GRACE_MINUTES = 240;

const commandName = (token: string): string | null =>
  token.startsWith('/') ? fold(token.slice(1).replace(/@[\w.]+$/u, '')) : null;

/** The raw text after the first `skip` words, newlines kept (lists of learners are often one per line). */
function rawAfter(input: string, skip: number): string {
  const rest = input.normalize('NFC').replace(/^\s*(?:@\S+\s+)*/u, '');
  // One pass over the words (no re-slicing per word: a long list stays linear).
  const word = /\S+\s*/uy;
  let at = 0;
  for (let i = 0; i < skip && word.exec(rest); i++) at = word.lastIndex;
  return rest.slice(at);
}

/** "An; Bình\nCường" -> ["An", "Bình", "Cường"]. */
function splitEntries(raw: string, alsoComma: boolean): string[] {
  const sep = alsoComma ? /[\n;,]+/ : /[\n;]+/;
  return raw
    .split(sep)
    .map((s) => cleanText(s))
    .filter(Boolean);
}

const ACTIONS: [string[], ClassAction['kind']][] = [
  [['thêm'], 'add'],
  [['xóa', 'xoá'], 'remove'],
  [['muộn', 'trễ'], 'grace'],
  [['xem'], 'learner'],
];

function actionOf(token: string): ClassAction['kind'] | null {
  const t = stripPunct(token);
  for (const [words, kind] of ACTIONS) if (words.some((w) => matchesWord(t, w))) return kind;
  return null;
}

function parseClass(tokens: string[], input: string, skip: number): ClassAction {
  if (tokens.length === 0) return { kind: 'list' };
  const at = tokens.findIndex((t, i) => i > 0 && actionOf(t) !== null);
  const className = cleanText(tokens.slice(0, at < 0 ? undefined : at).join(' ')).replace(/^["“'‘]+|["”'’]+$/gu, '');
  if (at < 0) return { kind: 'show', className };
  const kind = actionOf(tokens[at])!;
  const rest = tokens.slice(at + 1);
  const restText = cleanText(rest.join(' '));
  switch (kind) {
    case 'add':
      return { kind, className, entries: splitEntries(rawAfter(input, skip + at + 1), false) };
    case 'remove':
    case 'learner':
      return { kind, className, target: restText };
    case 'grace': {
      const n = /^(\d{1,4})\s*(?:p|ph|phút|phut)?$/iu.exec(restText);
      const minutes = n ? Number(n[1]) : null;
      return { kind, className, minutes: minutes !== null && minutes <= MAX_GRACE_MINUTES ? minutes : null };
    }
    default:
      return { kind: 'show', className };
  }
}

/** The class-running commands; null when the message is none of them. `tokens` are cleaned words, mentions dropped. */
export function parseClassCommand(tokens: string[], input: string): ClassCommand | null {
  if (tokens.length === 0) return null;
  const name = commandName(tokens[0]);
  const whole = fold(tokens.map(stripPunct).join(' '));
  if (name === 'id' || (tokens.length === 1 && whole === 'id')) return { kind: 'identity', explicit: name !== null };
  if (name === 'dangnhap' || whole === 'dang nhap' || whole === 'dangnhap')
    return { kind: 'signin', explicit: name !== null };
  if (name === 'vang' || (tokens.length === 1 && matchesWord(stripPunct(tokens[0]), 'vắng'))) {
    const code = tokens[1] ? normalizeCode(stripPunct(tokens[1])) : null;
    return { kind: 'absent', explicit: name !== null, code: code ?? undefined };
  }
  if (name === 'them')
    return { kind: 'add-late', explicit: true, names: splitEntries(rawAfter(input, 1), true).map(cleanName) };
  if (name === 'lop') return { kind: 'class', explicit: true, action: parseClass(tokens.slice(1), input, 1) };
  return null;
}

/**
 * "dd2Q79XK4M" / "/diemdanh2Q79-XK4M" -> ["dd", "2Q79XK4M"]: a code glued to the keyword (codes always contain a
 * digit). The lengths are normalizeCode's: 8-10 characters today, 4-7 for sessions opened by older versions.
 */
export function splitGluedCode(tokens: string[]): string[] {
  if (tokens.length === 0) return tokens;
  const m = /^(\/?)(dd|diemdanh|điểmdanh)([A-Za-z0-9]{4,10}|[A-Za-z0-9]{4}-[A-Za-z0-9]{4,6})([,.:;!]?)$/iu.exec(
    tokens[0].normalize('NFC'),
  );
  if (!m || !/\d/.test(m[3]) || !/[A-Za-z]/.test(m[3])) return tokens;
  return [`${m[1]}${m[2]}`, m[3], ...tokens.slice(1)];
}

/**
 * "2Q79XK4M Nguyễn Văn An": a code-shaped first word (letters and a digit) and a name. Only a candidate: the service
 * accepts it when that chat has an open session with this code, so "A4B5C6D7 là gì" in a chat without one is a question.
 */
export function parseBareCode(tokens: string[]): { code: string; name?: string } | null {
  if (tokens.length === 0 || tokens.length > 7) return null;
  const code = normalizeCode(stripPunct(tokens[0]));
  if (!code || !CODE_RE.test(code) || !/\d/.test(code) || !/[A-Z]/.test(code)) return null;
  const name = cleanName(tokens.slice(1).join(' '));
  if (/[?？]|\d/.test(name)) return null;
  return { code, name: name || undefined };
}
