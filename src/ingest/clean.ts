import type { Line, Page } from './types';

const BARE_PAGE_NUMBER = /^(?:-\s*)?(?:trang\s+)?\d{1,4}(?:\s*\/\s*\d{1,4})?(?:\s*-)?$/i;

function normaliseLine(s: string): string {
  return s
    .normalize('NFC')
    .replace(/[\u00a0\t\f\v\u200b]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** Key that matches a running header/footer on every page even when it carries the page number. */
function boilerplateKey(s: string): string {
  return s.toLowerCase().replace(/\d+/g, '#');
}

/**
 * Lines that repeat at the top or bottom of most pages are running headers/footers: find them so they can be
 * dropped. Needs at least three pages to tell a header from a real repeated line.
 */
function findBoilerplate(pages: string[][]): Set<string> {
  const found = new Set<string>();
  if (pages.length < 3) return found;
  const counts = new Map<string, number>();
  for (const lines of pages) {
    const edge = new Set([...lines.slice(0, 2), ...lines.slice(-2)].filter(Boolean).map(boilerplateKey));
    for (const k of edge) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  for (const [k, n] of counts) if (n >= Math.max(3, Math.ceil(pages.length * 0.6))) found.add(k);
  return found;
}

/**
 * Clean extracted text into lines: NFC, whitespace collapsed, running headers/footers and bare page numbers
 * dropped, words hyphenated across line breaks re-joined. Blank lines are kept (as empty strings) because they
 * separate paragraphs.
 */
export function cleanPages(pages: Page[]): Line[] {
  const split = pages.map((p) => p.text.replace(/\r\n?/g, '\n').split('\n').map(normaliseLine));
  const boiler = findBoilerplate(split.map((ls) => ls.filter(Boolean)));
  const out: Line[] = [];
  split.forEach((lines, i) => {
    const page = pages[i].num;
    for (const text of lines) {
      if (text && (BARE_PAGE_NUMBER.test(text) || boiler.has(boilerplateKey(text)))) continue;
      const prev = out[out.length - 1];
      // "chuyển đổi- \n số" style breaks: a letter, a hyphen at the end, a lower-case letter next.
      if (prev && prev.text && /\p{L}-$/u.test(prev.text) && /^\p{Ll}/u.test(text)) {
        prev.text = prev.text.slice(0, -1) + text;
        continue;
      }
      out.push({ text, page });
    }
    if (i < split.length - 1) out.push({ text: '', page });
  });
  // Collapse runs of blank lines.
  return out.filter((l, i) => l.text !== '' || (i > 0 && out[i - 1].text !== ''));
}
