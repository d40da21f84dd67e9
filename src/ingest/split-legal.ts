import { articleHeading } from './detect';
import {
  MAX_CHUNK_CHARS,
  isMarkdownHeading,
  packBlocks,
  paragraphs,
  splitLongText,
  type DraftChunk,
} from './split-common';
import { splitPlain } from './split-plain';
import type { Line } from './types';

// "Chương II. TITLE", "Mục 1: TITLE", "Phần I TITLE": numbered by a Roman numeral or a number. A line such as
// "Chương trình kỳ họp …" or "Mục 3 Phần VI này." is prose, not structure (see isStructureLine).
const STRUCTURE =
  /^(#{1,6}\s*)?(Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC)\s+([IVXLC]+|\d{1,3}[a-z]?)(?=$|[\s.:–-])[.:–-]?\s*(.*)$/u;
const CLAUSE = /^(\d{1,3})\.\s+\S/;
const POINT = /^([a-zđ])\)\s+\S/u;

type Level = 'part' | 'chapter' | 'section';
const LEVELS: Level[] = ['part', 'chapter', 'section'];

export interface Block {
  heading: string;
  article?: string;
  lines: Line[];
  path: string[];
  /** Short labels of the path ("Chương II", "Mục 1"), for the citation. */
  chapter?: string;
}

/** A structure heading, or undefined when the line only starts with one of the words. */
function structureLine(text: string): { word: string; no: string; rest: string } | undefined {
  const s = STRUCTURE.exec(text);
  if (!s || articleHeading(text)) return undefined;
  const rest = s[4].trim();
  // Plain-text headings are in capitals; a Markdown heading may use any case.
  if (!s[1] && rest && rest !== rest.toUpperCase()) return undefined;
  return { word: s[2], no: s[3], rest };
}

function levelOf(word: string): Level {
  const w = word.toLowerCase();
  return w === 'phần' ? 'part' : w === 'chương' ? 'chapter' : 'section';
}

/**
 * Legal texts: structure by Phần / Chương / Mục / Điều / Khoản / Điểm. A chunk never spans two articles; a long
 * article is split by khoản (then điểm) with the article heading repeated in every piece.
 */
export function splitLegal(lines: Line[], title: string): DraftChunk[] {
  const path: Record<Level, string | undefined> = { part: undefined, chapter: undefined, section: undefined };
  const short: Record<Level, string | undefined> = { part: undefined, chapter: undefined, section: undefined };
  const currentPath = () => LEVELS.map((l) => path[l]).filter((x): x is string => Boolean(x));
  const currentChapter = () =>
    LEVELS.map((l) => short[l])
      .filter(Boolean)
      .join(', ') || undefined;
  const preamble: Line[] = [];
  const blocks: Block[] = [];
  let block: Block | undefined;

  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const s = structureLine(l.text);
    if (s) {
      const level = levelOf(s.word);
      const label = `${s.word[0].toUpperCase()}${s.word.slice(1).toLowerCase()} ${s.no}`;
      let name = label;
      let rest = s.rest;
      // "Chương I" followed by its title in capitals on the next line.
      const next = lines[i + 1]?.text ?? '';
      if (!rest && next && next === next.toUpperCase() && /\p{Lu}/u.test(next) && !articleHeading(next)) {
        rest = next;
        i++;
      }
      if (rest) name += `. ${rest}`;
      path[level] = name;
      short[level] = label;
      for (const deeper of LEVELS.slice(LEVELS.indexOf(level) + 1)) path[deeper] = short[deeper] = undefined;
      block = undefined;
      continue;
    }
    const art = articleHeading(l.text);
    const md = isMarkdownHeading(l.text);
    if (art || (md && md.level >= 2)) {
      const heading = l.text.replace(/^#{1,6}\s*/, '');
      block = {
        heading,
        article: art ? `Điều ${art.number}` : undefined,
        lines: [],
        path: currentPath(),
        chapter: currentChapter(),
      };
      blocks.push(block);
      continue;
    }
    if (md && md.level === 1) continue;
    if (block) block.lines.push({ text: l.text, page: l.page ?? block.lines[0]?.page });
    else preamble.push(l);
  }

  // A short preamble (the title again, a one-line note) is not worth a chunk of its own.
  const preambleChars = preamble.reduce((n, l) => n + l.text.length, 0);
  const out: DraftChunk[] = preambleChars < 250 ? [] : splitPlain(preamble, [title]).filter((c) => c.text !== title);
  for (const b of blocks) out.push(...splitBlock(b, title));
  return out;
}

/**
 * One article (or appendix item) into chunks: whole when it fits, else by numbered item ("khoản" in an article,
 * "mục" in an appendix), then by điểm, with the heading repeated in every piece.
 */
export function splitBlock(b: Block, title: string, unit = 'khoản'): DraftChunk[] {
  const paras = paragraphs(b.lines);
  const headingPath = [title, ...b.path, b.heading];
  const base = {
    headingPath,
    article: b.article,
    section: b.article ? undefined : b.heading,
    ...(b.chapter ? { chapter: b.chapter } : {}),
  };
  const body = paras.map((p) => p.text).join('\n');
  const firstPage = paras[0]?.page;
  if (b.heading.length + body.length + 1 <= MAX_CHUNK_CHARS) {
    return [{ ...base, text: body ? `${b.heading}\n${body}` : b.heading, page: firstPage }];
  }

  // Group paragraphs into clauses: a line "2. ..." starts khoản 2; anything before the first khoản is the lead-in.
  const clauses: { no?: string; text: string; paras: Line[]; page?: number }[] = [];
  for (const p of paras) {
    const m = CLAUSE.exec(p.text);
    if (m || !clauses.length) clauses.push({ no: m?.[1], text: p.text, paras: [p], page: p.page });
    else {
      const c = clauses[clauses.length - 1];
      c.text += `\n${p.text}`;
      c.paras.push(p);
    }
  }

  const out: DraftChunk[] = [];
  for (const group of packBlocks(clauses, MAX_CHUNK_CHARS, b.heading)) {
    const nos = group.map((c) => c.no).filter((x): x is string => Boolean(x));
    const clause =
      nos.length === 0
        ? undefined
        : nos.length === 1
          ? `${unit} ${nos[0]}`
          : `${unit} ${nos[0]}–${nos[nos.length - 1]}`;
    const text = group.map((c) => c.text).join('\n');
    if (b.heading.length + text.length + 1 <= MAX_CHUNK_CHARS) {
      out.push({ ...base, clause, text: `${b.heading}\n${text}`, page: group[0].page });
      continue;
    }
    // One khoản alone is too long: split by điểm, repeating the khoản's lead line; then by sentences.
    const c = group[0];
    const lead = c.paras[0].text;
    const leadShort = lead.length <= 300 ? lead : '';
    const rest = leadShort ? c.paras.slice(1) : c.paras;
    const points = rest.flatMap((p) =>
      splitLongText(p.text, MAX_CHUNK_CHARS - b.heading.length - leadShort.length - 2).map((t) => ({
        text: t,
        page: p.page,
        point: POINT.exec(t)?.[1],
      })),
    );
    for (const pg of packBlocks(points, MAX_CHUNK_CHARS, `${b.heading}\n${leadShort}`)) {
      const pts = pg.map((p) => p.point).filter(Boolean);
      const pointLabel = pts.length ? ` điểm ${pts[0]}${pts.length > 1 ? `–${pts[pts.length - 1]}` : ''}` : '';
      out.push({
        ...base,
        clause: clause ? `${clause}${pointLabel}` : undefined,
        text: [b.heading, leadShort, ...pg.map((p) => p.text)].filter(Boolean).join('\n'),
        page: pg[0].page,
      });
    }
  }
  return out;
}
