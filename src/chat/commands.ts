import { distinctCitations, type DocumentInfo, formatCitation } from '../domain';
import type { LastAnswer } from './memory';
import { formatDocumentList, wantsDocumentList } from './doc-list';
import { msg } from './messages';

export interface ParsedCommand {
  /** Lower-cased command name without "/" and "@bot" suffix. */
  name: string;
  /** The "@BotName" suffix, when present. */
  target?: string;
  /** Text after the command. */
  args: string;
}

/** Attendance commands: the attendance module parses them itself (with their "@bot" suffix and arguments). */
export const ATTENDANCE_COMMANDS = new Set([
  'mo', 'dong', 'ds', 'xuat', 'diemdanh', 'dd', 'comat', 'danhsach', 'id', 'dangnhap', 'vang', 'them', 'lop',
]);

/** "/hoi@MyBot  câu hỏi" → { name: 'hoi', target: 'MyBot', args: 'câu hỏi' }; undefined when not a command. */
export function parseCommand(text: string): ParsedCommand | undefined {
  const m = /^\/([\p{L}\p{N}_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s+([\s\S]*))?$/u.exec(text.trim());
  if (!m) return undefined;
  return { name: m[1].toLowerCase(), target: m[2], args: (m[3] ?? '').trim() };
}

/** The /nguon reply: every distinct source of the chat's last answer, with its address when known. */
export function formatSources(last: LastAnswer | undefined): string {
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
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max).join('');
  const space = cut.lastIndexOf(' ');
  return (space > max * 0.8 ? cut.slice(0, space) : cut).trimEnd();
}
