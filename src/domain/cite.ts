import type { Citation } from './corpus';
import { validityTag } from './validity';

/**
 * "Điều 4, khoản 2" (article and clause of a legal passage), "Phần V, C, II, mục 3" (an appendix item: its parts
 * and Roman-numbered item), or the procedure section.
 */
export function locator(c: Citation): string {
  const parts: string[] = [];
  if (c.article) parts.push(c.article);
  else {
    if (c.chapter) parts.push(c.chapter);
    const item = c.chapter && c.section && /^([IVXLC]+(?:\.\d+)?)\.\s/.exec(c.section)?.[1];
    if (item) parts.push(item);
    else if (c.section) parts.push(`mục ${c.section}`);
  }
  if (c.clause) parts.push(c.clause);
  if (c.page) parts.push(`tr. ${c.page}`);
  return parts.join(', ');
}

/** One-line human citation in Vietnamese, e.g. `Nghị định 120/2025/NĐ-CP — Điều 4, khoản 2`. */
export function formatCitation(c: Citation): string {
  const where = locator(c);
  if (c.kind === 'procedure') {
    const basis = c.basis?.length ? ` (căn cứ: ${c.basis.slice(0, 4).join('; ')})` : '';
    return `Thủ tục "${c.title}"${where ? ` — ${where}` : ''}${basis}`;
  }
  const title = shortTitle(c.title);
  const name = c.docNumber && !title.includes(c.docNumber) ? `${title} (${c.docNumber})` : title;
  const tag = validityTag(c);
  return `${name}${where ? ` — ${where}` : ''}${tag ? ` [${tag}]` : ''}`;
}

/**
 * A title detected from a text's first line often carries its adoption note ("Luật số 68/2020/QH14 — LUẬT CƯ TRÚ
 * (Quốc hội thông qua ngày …; hiệu lực từ …)"): the note is dropped in citations, which must fit a phone.
 */
function shortTitle(title: string): string {
  if (title.length <= 60) return title;
  const cut = title.replace(/\s*\([^()]*\)?\s*$/u, '').trim();
  return cut.length >= 8 ? cut : title;
}

/** Distinct citations in order of first use (several chunks of one section collapse into one source line). */
export function distinctCitations(cs: Citation[]): Citation[] {
  const seen = new Set<string>();
  return cs.filter((c) => {
    const key = `${c.docId}|${c.article ?? ''}|${c.clause ?? ''}|${c.section ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
