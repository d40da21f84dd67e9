import { fold } from '../text';

/**
 * Figures a model may not invent: numbers (amounts, durations, counts, percentages, ages), dates, document numbers
 * and URLs. Each must occur in the cited passages (or in the question itself), compared without formatting
 * differences ("15.000" = "15000", "05 ngày" = "5 ngày", "01/7/2025" = "1/7/2025").
 */
const URL = /https?:\/\/[^\s)\]]+/gi;
const FIGURE = /\d+(?:[.,/-]\d+)*/g;

function canonicalNumber(s: string): string {
  // Thousands separators and leading zeros are formatting; the parts of a date or document number are kept apart.
  return s
    .replace(/(\d)[.,](?=\d{3}(?:\D|$))/g, '$1')
    .split(/[/-]/)
    .map((p) => p.replace(/^0+(?=\d)/, ''))
    .join('/');
}

function figures(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.replace(URL, ' ').matchAll(FIGURE)) out.add(canonicalNumber(m[0]));
  return out;
}

function urls(text: string): Set<string> {
  return new Set([...text.matchAll(URL)].map((m) => m[0].replace(/[.,;:]+$/, '').toLowerCase()));
}

/** The figures and URLs of `answer` that none of `passages` nor the question contains (empty = grounded). */
export function ungroundedFigures(answer: string, passages: string[], question = ''): string[] {
  const source = [...passages, question].join('\n');
  const have = figures(source);
  // A figure may also appear inside a longer one in the source ("2025" of "151/2025/NĐ-CP").
  const haveParts = new Set([...have].flatMap((f) => f.split('/')));
  const haveUrls = new Set([...urls(source)].map((u) => fold(u)));
  const out: string[] = [];
  // Citation markers [1] are the answer's own bookkeeping, not facts.
  const body = answer.replace(/\[\d{1,2}\]/g, ' ');
  for (const u of urls(body)) if (!haveUrls.has(fold(u))) out.push(u);
  for (const f of figures(body)) if (!have.has(f) && !(f.split('/').length === 1 && haveParts.has(f))) out.push(f);
  return out;
}

export function groundedNumbers(answer: string, passages: string[], question = ''): boolean {
  return ungroundedFigures(answer, passages, question).length === 0;
}
