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
        // Carry the tail of the previous window so a sentence cut at the boundary is still found whole.
        const tail = cur.length > OVERLAP ? cur.slice(cur.length - OVERLAP).replace(/^\S*\s/, '') : cur;
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
