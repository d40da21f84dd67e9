import path from 'node:path';
import { type DocKind, PROCEDURE_SECTIONS } from '../domain';
import { fold } from '../text';
import type { Line } from './types';

const ARTICLE_LINE = /^(?:#{1,6}\s*)?Điều\s+(\d+[a-zđ]?)\s*[.:]\s*(.*)$/u;

export function articleHeading(line: string): { number: string; title: string } | undefined {
  const m = ARTICLE_LINE.exec(line);
  return m ? { number: m[1], title: m[2].trim() } : undefined;
}

/** Matches a line that is only a procedure section heading ("## Thành phần hồ sơ", "THỜI HẠN GIẢI QUYẾT:"). */
export function procedureSection(line: string): string | undefined {
  const bare = fold(
    line
      .replace(/^#{1,6}\s*/, '')
      .replace(/^\d+\.\s*/, '')
      .replace(/[:.]\s*$/, '')
      .trim(),
  );
  if (bare.length > 40) return undefined;
  return PROCEDURE_SECTIONS.find((s) => {
    const f = fold(s);
    return bare === f || (bare.startsWith(f) && bare.length - f.length <= 12);
  });
}

// Vietnamese document numbers: 151/2025/NĐ-CP, 72/2025/QH15, 60-NQ/TW, 85/2019/TT-BTC, 2304/QĐ-BNNMT.
const DOC_NUMBER =
  /\b(\d{1,5}\/\d{4}\/(?:NĐ-CP|ND-CP|QH\d{2}|TT-[A-ZĐ]+|QĐ-[A-ZĐ]+|NQ-[A-ZĐ]+|UBTVQH\d{2})|\d{1,5}-(?:NQ|KL|KH|CT)\/TW|\d{1,5}\/(?:QĐ|KH|TC|CV|NQ)-[A-ZĐ]+)\b/u;

export function detectDocNumber(text: string): string | undefined {
  const m = DOC_NUMBER.exec(text);
  return m ? m[1].replace(/^(\d+\/\d{4})\/ND-CP$/, '$1/NĐ-CP') : undefined;
}

/** Appendix structure (split-appendix.ts): "Phần V TITLE" and Roman-numbered items "II. Trình tự, thủ tục …". */
export const APPENDIX_PART = /^(?:#{1,6}\s*)?(?:Phần|PHẦN)\s+([IVXLC]+)(?=$|[\s.:])[.:]?\s*(.*)$/u;
export const APPENDIX_ITEM = /^(?:#{1,6}\s*)?([IVXLC]+)\.\s+(\S.*)$/u;

/** True for a text organised in Phần and Roman-numbered items with (almost) no "Điều N." articles. */
export function looksLikeAppendix(lines: Line[]): boolean {
  let parts = 0;
  let items = 0;
  let articles = 0;
  for (const l of lines) {
    if (articleHeading(l.text)) articles++;
    else if (APPENDIX_PART.exec(l.text)?.[2].match(/^[^\p{Ll}]*$/u)) parts++;
    else if (APPENDIX_ITEM.test(l.text)) items++;
  }
  return parts >= 2 && items >= parts && articles <= 1;
}

export function detectKind(source: string, lines: Line[], declared?: unknown): DocKind {
  if (declared === 'procedure' || declared === 'regulation' || declared === 'news') return declared;
  const top = source.split('/')[0];
  if (top === 'thu-tuc') return 'procedure';
  if (top === 'phan-cap' || top === 'van-ban') return 'regulation';
  if (top === 'tin-tuc') return 'news';
  if (looksLikeAppendix(lines)) return 'regulation';
  let articles = 0;
  let sections = 0;
  for (const l of lines) {
    if (articleHeading(l.text)) articles++;
    else if (procedureSection(l.text)) sections++;
  }
  if (articles >= 2) return 'regulation';
  if (sections >= 3) return 'procedure';
  return 'news';
}

export function detectTitle(lines: Line[], source: string): string {
  const heading = lines.find((l) => /^#\s+\S/.test(l.text));
  if (heading) return heading.text.replace(/^#\s+/, '').trim();
  const first = lines.find((l) => l.text.trim().length >= 8);
  if (first)
    return first.text
      .replace(/^#+\s*/, '')
      .slice(0, 140)
      .trim();
  return path.basename(source, path.extname(source));
}

/** Stable id from the path: "thu-tuc/dang-ky-khai-sinh.md" -> "dang-ky-khai-sinh" (format kept when not .md). */
export function docIdFromSource(source: string): string {
  const ext = path.extname(source).toLowerCase();
  const base = source.slice(0, -ext.length).split('/').pop() ?? source;
  const id = fold(base)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return ext === '.md' || ext === '.markdown' || ext === '.txt' ? id : `${id}-${ext.slice(1)}`;
}
