import { cutAtWord } from '../text';
import { APPENDIX_ITEM as ITEM, APPENDIX_PART as PART } from './detect';
import { splitBlock, type Block } from './split-legal';
import { splitPlain } from './split-plain';
import type { DraftChunk } from './split-common';
import type { Line } from './types';

/*
 * Appendices without articles (Phụ lục I of Nghị định 151/2025/NĐ-CP): "Phần V TITLE" › optional lettered group
 * "A. TITLE" › Roman-numbered item "II. Trình tự, thủ tục …" (sub-items "II.1.") › numbered "1." › "a)". The
 * appendix's own cross-references call the numbered items "Mục" ("điểm b Mục 3 Phần II của Phần C"), so the
 * citation does too: chapter "Phần V, C", section "II. Trình tự, thủ tục …", clause "mục 1–3".
 */

const GROUP = /^(?:#{1,6}\s*)?([A-Z])\.\s+(.+)$/u;
const SUB_ITEM = /^(?:#{1,6}\s*)?([IVXLC]+\.\d+)\.\s+(\S.*)$/u;
/** A sub-item heading run into the previous line by the source ("… đất II.1. Hồ sơ nộp …"). */
const INLINE_SUB_ITEM = /\s(?=[IVXLC]+\.\d+\.\s+\p{Lu})/u;
/** A lettered group announced at the end of the part's line ("Phần V … ĐẤT A."), its title on the next line. */
const TRAILING_GROUP = /\s([A-Z])\.$/u;
/** Longest heading repeated at the top of every piece; the rest of a longer heading line opens the body. */
const HEADING_MAX = 220;

const isCaps = (s: string) => s === s.toUpperCase() && /\p{Lu}/u.test(s);

function cutHeading(text: string): { heading: string; rest?: string } {
  if (text.length <= HEADING_MAX) return { heading: text };
  const head = cutAtWord(text, HEADING_MAX);
  return { heading: `${head} …`, rest: `… ${text.slice(head.length).trim()}` };
}

export function splitAppendix(lines: Line[], title: string): DraftChunk[] {
  const preamble: Line[] = [];
  const blocks: Block[] = [];
  let part: { label: string; name: string } | undefined;
  let group: { label: string; name: string } | undefined;
  let item: string | undefined;
  let block: Block | undefined;

  const partBlocks = new Set<Block>();
  const open = (headingLine: string, page?: number, onPart = false) => {
    const { heading, rest } = cutHeading(headingLine);
    const chapter = [part?.label, group?.label].filter(Boolean).join(', ') || undefined;
    const path = onPart
      ? []
      : [part?.name, group?.name, item && item !== headingLine ? cutHeading(item).heading : undefined].filter(
          (x): x is string => Boolean(x),
        );
    block = { heading, lines: rest ? [{ text: rest, page }] : [], path, chapter };
    blocks.push(block);
    if (onPart) partBlocks.add(block);
  };

  // The source runs some headings together on one line: split them first.
  const expanded = lines.flatMap((l) =>
    l.text.split(INLINE_SUB_ITEM).map((text) => ({ text: text.trim(), page: l.page })),
  );
  for (let i = 0; i < expanded.length; i++) {
    const l = expanded[i];
    const p = PART.exec(l.text);
    if (p && (!p[2] || isCaps(p[2]))) {
      let name = p[2];
      let announced: string | undefined;
      const trailing = TRAILING_GROUP.exec(name);
      if (trailing) {
        announced = trailing[1];
        name = name.slice(0, trailing.index).trim();
      }
      part = { label: `Phần ${p[1]}`, name: name ? `Phần ${p[1]}. ${name}` : `Phần ${p[1]}` };
      group = undefined;
      item = undefined;
      block = undefined;
      if (announced) {
        const next = expanded[i + 1]?.text ?? '';
        if (isCaps(next)) i++;
        group = { label: announced, name: isCaps(next) ? `${announced}. ${next}` : announced };
      }
      continue;
    }
    const g = GROUP.exec(l.text);
    if (g && part && isCaps(g[2])) {
      group = { label: g[1], name: `${g[1]}. ${g[2]}` };
      item = undefined;
      block = undefined;
      continue;
    }
    const sub = SUB_ITEM.exec(l.text);
    if (sub && part) {
      open(l.text, l.page);
      continue;
    }
    const it = ITEM.exec(l.text);
    if (it && part) {
      item = l.text;
      open(l.text, l.page);
      continue;
    }
    if (!part) {
      preamble.push(l);
      continue;
    }
    // A part without Roman items ("Phần VI …" then "1. …"): its numbered items form one block under the part.
    if (!block) open(part.name, l.page, true);
    block!.lines.push(l);
  }

  const preambleChars = preamble.reduce((n, l) => n + l.text.length, 0);
  const out: DraftChunk[] = preambleChars < 400 ? [] : splitPlain(preamble, [title]).filter((c) => c.text !== title);
  for (const b of blocks) {
    // A heading directly followed by its sub-items ("II. …" then "II.1. …") lives on in their heading paths.
    if (!b.lines.length) continue;
    for (const c of splitBlock(b, title, 'mục')) {
      // A block opened on the part itself has no item: the part is the chapter, not also the section.
      out.push(partBlocks.has(b) ? { ...c, section: undefined } : c);
    }
  }
  return out;
}
