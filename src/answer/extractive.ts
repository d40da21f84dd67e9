import {
  type Chunk,
  type Citation,
  distinctCitations,
  formatCitation,
  locator,
  type ScoredChunk,
  askedSections,
  labelsOfDoc,
  CARD_FIELDS,
  LIST_SECTIONS,
  SECTION,
  sectionText,
} from '../domain';
import { contentSyllables, isYesNo, QUESTION_WORDS } from '../text';
import { readPassage, type ReadOptions } from './reader';

interface Composed {
  text: string;
  used: Citation[];
}

const body = sectionText;

function firstSentence(s: string, max = 220): string {
  const flat = s
    .replace(/\n+/g, ' ')
    .replace(/^[-•*]\s*/, '')
    .trim();
  const m = /^(.{20,}?[.;])(\s|$)/u.exec(flat);
  const out = m ? m[1] : flat;
  return out.length > max ? `${out.slice(0, max - 1).trimEnd()}…` : out;
}

function bullets(s: string, maxLines: number): string {
  const lines = s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const shown = lines
    .slice(0, maxLines)
    .map((l) => (/^([-*+]|\d+\.)\s/.test(l) ? `• ${l.replace(/^([-*+]|\d+\.)\s*/, '')}` : l));
  if (lines.length > maxLines) shown.push('…');
  return shown.join('\n');
}

/** Sections of one document, in document order. */
function sectionsOf(all: Chunk[], docId: string): Map<string, Chunk[]> {
  const out = new Map<string, Chunk[]>();
  for (const c of labelsOfDoc(all, docId).map((l) => all[l])) {
    if (!c.citation.section) continue;
    const list = out.get(c.citation.section) ?? [];
    list.push(c);
    out.set(c.citation.section, list);
  }
  return out;
}

/** The card of an answer: the main fields after the section shown (the documents are that section by default). */
const CARD = CARD_FIELDS.filter((f) => f.section !== SECTION.documents);

/** True when the question only names the procedure ("thủ tục đăng ký kết hôn"): answer with a card. */
function namesOnlyProcedure(question: string, top: Chunk): boolean {
  const own = new Set(contentSyllables([top.citation.title, ...(top.keywords ?? [])].join(' ')));
  const q = contentSyllables(question).filter((t) => !QUESTION_WORDS.has(t) && !CARD_WORDS.has(t));
  return q.every((t) => own.has(t));
}

const CARD_WORDS = new Set([
  'thu',
  'tuc',
  'lam',
  'nhu',
  'the',
  'nao',
  'can',
  'gi',
  'huong',
  'dan',
  'quy',
  'dinh',
  've',
]);

/**
 * A procedure answer: the section the question asks for (giấy tờ → Thành phần hồ sơ, bao lâu → Thời hạn, ...);
 * for a question that only names the procedure, a short card of the main fields; otherwise the passages found.
 */
export function composeProcedure(
  question: string,
  top: ScoredChunk,
  all: Chunk[],
  results: ScoredChunk[],
  read: ReadOptions,
): Composed {
  const sections = sectionsOf(all, top.citation.docId);
  // Passages the search returned already hold their text; the index's chunks would read it from disk again.
  const loaded = new Map(results.map((r) => [r.id, r]));
  const bodyOf = (c: Chunk) => body(loaded.get(c.id) ?? c);
  const wanted = askedSections(question).filter((s) => sections.has(s));
  const title = top.citation.title;
  const used: Citation[] = [];
  const parts: string[] = [];
  // A question about a detail ("có tính tiền theo số trang không?", "cấp lại khi bị mất") gets the lines that
  // answer it; a question that only names the section gets the section's first lines.
  const yesNo = isYesNo(question);
  const specific = yesNo || !namesOnlyProcedure(question, top);
  const context = [title, ...(top.keywords ?? [])].join(' ');
  const show = (name: string, maxLines: number, asked = false) => {
    const chunks = sections.get(name)!;
    used.push(chunks[0].citation);
    const text = chunks.map(bodyOf).join('\n');
    // A short section is shown whole; a long one is cut to its first lines, or to the lines a detail asks for.
    const short = text.length <= read.budget && text.split('\n').length <= maxLines;
    // "Cần giấy tờ gì", "các bước": the question asks for the list itself.
    const list = asked && LIST_SECTIONS.has(name) && !yesNo;
    const shown =
      specific && !short && !list
        ? readPassage(question, text, {
            ...read,
            budget: Math.min(read.budget, maxLines * 60),
            context: `${context} ${name}`,
          }).text
        : bullets(text, maxLines);
    parts.push(`${title} — ${name.toLowerCase()}:\n${shown}`);
  };
  if (wanted.length) {
    wanted.slice(0, 2).forEach((s, i) => show(s, i === 0 ? 10 : 4, true));
    return { text: parts.join('\n\n'), used };
  }
  const found = top.citation.section && sections.has(top.citation.section) ? top.citation.section : SECTION.documents;
  if (specific) {
    // A specific question ("bán hàng rong có phải đăng ký không?"): the passages that matched, best first.
    if (sections.has(found)) show(found, 8);
    return { text: parts.join('\n\n'), used };
  }
  if (sections.has(found)) show(found, 8);
  const card: string[] = [];
  for (const { section: name, label } of CARD) {
    if (name === found || !sections.has(name)) continue;
    const c = sections.get(name)![0];
    card.push(`${label}: ${firstSentence(bodyOf(c), 160)}`);
    used.push(c.citation);
  }
  if (card.length) parts.push(card.join('\n'));
  return { text: parts.join('\n\n'), used };
}

const ARTICLE_HEADING = /^Điều\s+\d+[a-zđ]?\s*[.:]\s*(.*)$/u;

/** A regulation or news answer: the clause (khoản/điểm) or sentences of the passage that answer, cited exactly. */
export function composePassage(question: string, top: ScoredChunk, read: ReadOptions): Composed {
  const c = top.citation;
  const lines = body(top).split('\n');
  const heading = ARTICLE_HEADING.exec(lines[0] ?? '');
  const reading = readPassage(question, (heading ? lines.slice(1) : lines).join('\n'), {
    ...read,
    context: top.headingPath.join(' '),
    heading: heading?.[0],
  });
  // Cite the clause actually quoted when the chunk holds several ("khoản 1–3" -> "khoản 2").
  const cited: Citation = reading.label && c.article ? { ...c, clause: reading.label } : c;
  const where = locator(cited);
  const named = heading?.[1] ? `${where}${where ? ' ' : ''}(${heading[1].replace(/[.:]$/, '')})` : where;
  const lead =
    c.kind === 'regulation'
      ? `Theo ${c.docNumber ? `${c.docNumber}` : c.title}${named ? `, ${named}` : ''}:`
      : `${c.title}${where ? ` (${where})` : ''}:`;
  return { text: `${lead}\n${reading.text || lines.join('\n')}`, used: [cited] };
}

/** "Nguồn:" lines; several sections of one procedure collapse into one line naming them. */
export function sourcesBlock(used: Citation[]): string {
  const lines: string[] = [];
  const byProcedure = new Map<string, Citation[]>();
  for (const c of distinctCitations(used)) {
    if (c.kind !== 'procedure') {
      lines.push(formatCitation(c));
      continue;
    }
    if (!byProcedure.has(c.docId)) lines.push(`@proc:${c.docId}`);
    byProcedure.set(c.docId, [...(byProcedure.get(c.docId) ?? []), c]);
  }
  const rendered = lines.map((l) => {
    if (!l.startsWith('@proc:')) return l;
    const cs = byProcedure.get(l.slice(6))!;
    const sections = cs
      .map((c) => c.section)
      .filter(Boolean)
      .map((s) => s!.toLowerCase());
    return formatCitation({ ...cs[0], section: sections.join(', ') || undefined });
  });
  if (rendered.length === 1) return `Nguồn: ${rendered[0]}.`;
  return `Nguồn:\n${rendered.map((l) => `• ${l}`).join('\n')}`;
}
