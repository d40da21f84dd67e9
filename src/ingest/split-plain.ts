import { MAX_CHUNK_CHARS, isMarkdownHeading, paragraphs, splitLongText, type DraftChunk } from './split-common';
import type { Line } from './types';

const TARGET = 900;
const OVERLAP = 200;

/** Anything without legal or procedure structure: paragraphs packed into windows with some overlap. */
export function splitPlain(lines: Line[], basePath: string[] = []): DraftChunk[] {
  const chunks: DraftChunk[] = [];
  let heading: string | undefined;
  let buf: Line[] = [];

  const flush = () => {
    const paras = paragraphs(buf);
    buf = [];
    let cur = '';
    let page: number | undefined;
    const emit = () => {
      if (!cur.trim()) return;
      for (const piece of splitLongText(cur.trim(), MAX_CHUNK_CHARS)) {
        chunks.push({ text: piece, headingPath: heading ? [...basePath, heading] : basePath, section: heading, page });
      }
    };
    for (const p of paras) {
      if (cur && cur.length + p.text.length > TARGET) {
        emit();
        // Carry the tail of the previous window so a sentence cut at the boundary is still found whole; the tail
        // starts where a sentence or line starts, never inside a word.
        const tail = overlapTail(cur);
        cur = `${tail}\n`;
        page = p.page;
      }
      if (!cur) page = p.page;
      cur += `${p.text}\n`;
    }
    emit();
  };

  for (const l of lines) {
    const h = isMarkdownHeading(l.text);
    if (h && h.level >= 2) {
      flush();
      heading = h.title;
      continue;
    }
    if (h && h.level === 1) continue;
    buf.push(l);
  }
  flush();
  return chunks;
}

/** The last sentence(s) of a window, up to about OVERLAP characters, starting at a sentence or line start. */
function overlapTail(window: string): string {
  if (window.length <= OVERLAP) return window;
  const from = window.length - 2 * OVERLAP;
  const region = window.slice(Math.max(0, from));
  const starts = [...region.matchAll(/(?:^|[.;!?:]["”)]?\s+|\n)(?=[\p{Lu}\d•-])/gu)].map(
    (m) => (m.index ?? 0) + m[0].length,
  );
  const near = starts.filter((i) => region.length - i <= OVERLAP + OVERLAP / 2 && region.length - i >= 40);
  if (near.length) return region.slice(near[0]).trimStart();
  return window.slice(window.length - OVERLAP).replace(/^\S*\s/, '');
}
