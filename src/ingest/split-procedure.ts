import { procedureSection } from './detect';
import { MAX_CHUNK_CHARS, isMarkdownHeading, packBlocks, paragraphs, type DraftChunk } from './split-common';
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
    const paras = paragraphs(s.lines).filter((p) => p.text !== title);
    if (!paras.length) continue;
    const header = s.name;
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
