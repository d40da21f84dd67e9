import { procedureSection } from './detect';
import {
  MAX_CHUNK_CHARS,
  isMarkdownHeading,
  packBlocks,
  paragraphs,
  splitLongText,
  type DraftChunk,
} from './split-common';
import type { Line } from './types';

/** Procedure documents: one chunk per section (Cơ quan thực hiện, Thành phần hồ sơ, ...). */
export function splitProcedure(lines: Line[], title: string): DraftChunk[] {
  const sections: { name: string; lines: Line[] }[] = [];
  let cur: { name: string; lines: Line[] } = { name: 'Giới thiệu', lines: [] };
  for (const l of lines) {
    const known = procedureSection(l.text);
    const md = isMarkdownHeading(l.text);
    if (known || (md && md.level >= 2)) {
      sections.push(cur);
      cur = { name: known ?? md!.title, lines: [] };
      continue;
    }
    if (md && md.level === 1) continue;
    cur.lines.push(l);
  }
  sections.push(cur);

  const out: DraftChunk[] = [];
  for (const s of sections) {
    const header = s.name;
    // A paragraph longer than a chunk is split at sentences first (packBlocks never splits a block).
    const room = MAX_CHUNK_CHARS - header.length - 1;
    const paras = paragraphs(s.lines)
      .filter((p) => p.text !== title)
      .flatMap((p) =>
        p.text.length > room ? splitLongText(p.text, room).map((text) => ({ text, page: p.page })) : [p],
      );
    if (!paras.length) continue;
    for (const group of packBlocks(paras, MAX_CHUNK_CHARS, header)) {
      out.push({
        text: `${header}\n${group.map((p) => p.text).join('\n')}`,
        headingPath: [title, s.name],
        section: s.name,
        page: group[0].page,
      });
    }
  }
  return out;
}
