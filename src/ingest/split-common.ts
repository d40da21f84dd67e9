import type { Line } from './types';

/** A chunk before ids and citations are attached. */
export interface DraftChunk {
  text: string;
  headingPath: string[];
  article?: string;
  clause?: string;
  section?: string;
  /** Structure above the article or appendix item: "Chương II, Mục 1", "Phần V, C". */
  chapter?: string;
  page?: number;
}

export const MAX_CHUNK_CHARS = 1400;

export function isMarkdownHeading(text: string): { level: number; title: string } | undefined {
  const m = /^(#{1,6})\s+(.+)$/.exec(text);
  return m ? { level: m[1].length, title: m[2].trim() } : undefined;
}

/** Group lines into paragraphs (blank-line separated), unwrapping hard line breaks inside prose. */
export function paragraphs(lines: Line[]): Line[] {
  const out: Line[] = [];
  let cur: Line | undefined;
  for (const l of lines) {
    if (!l.text) {
      cur = undefined;
      continue;
    }
    // List items and numbered clauses stay on their own line.
    const startsItem = /^([-*•+]|\d+[.)]|[a-zđ]\))\s/u.test(l.text);
    if (!cur || startsItem) {
      cur = { text: l.text, page: l.page };
      out.push(cur);
    } else {
      cur.text += ' ' + l.text;
    }
  }
  return out;
}

/** Split an over-long string at sentence boundaries into pieces of at most `max` characters. */
export function splitLongText(text: string, max = MAX_CHUNK_CHARS): string[] {
  if (text.length <= max) return [text];
  const sentences = text.match(/[^.;!?]+[.;!?]+["”)]?\s*|[^.;!?]+$/gu) ?? [text];
  const out: string[] = [];
  let cur = '';
  for (const s of sentences) {
    if (cur && cur.length + s.length > max) {
      out.push(cur.trim());
      cur = '';
    }
    if (s.length > max) {
      for (let i = 0; i < s.length; i += max) out.push(s.slice(i, i + max).trim());
    } else cur += s;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/**
 * Pack text blocks into pieces of at most `max` characters, never splitting a block unless it alone is too long.
 * `prefix` (e.g. an article heading) is repeated at the top of every piece.
 */
export function packBlocks<T extends { text: string }>(blocks: T[], max: number, prefix = ''): T[][] {
  const groups: T[][] = [];
  let cur: T[] = [];
  let len = prefix.length;
  for (const b of blocks) {
    if (cur.length && len + b.text.length + 1 > max) {
      groups.push(cur);
      cur = [];
      len = prefix.length;
    }
    cur.push(b);
    len += b.text.length + 1;
  }
  if (cur.length) groups.push(cur);
  return groups;
}
