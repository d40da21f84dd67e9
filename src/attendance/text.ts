// Vietnamese text helpers of the attendance grammar (folding itself is src/text's).
import { cleanText, fold } from '../text';

export { cleanText, fold };

/**
 * True when `token` is `expected` typed with some, all or none of its diacritics, in any case.
 * "diem", "điem", "điểm" all match "điểm"; "đồng" does NOT match "đóng" (a different tone is a different word).
 */
export function matchesWord(token: string, expected: string): boolean {
  const t = [...token.normalize('NFC').toLowerCase()];
  const e = [...expected.normalize('NFC').toLowerCase()];
  if (t.length !== e.length) return false;
  for (let i = 0; i < t.length; i++) {
    if (t[i] !== e[i] && t[i] !== fold(e[i])) return false;
  }
  return true;
}

/** Removes punctuation that people put around words: "K7QX," -> "K7QX", "(Lớp" -> "Lớp". */
export function stripPunct(token: string): string {
  return token.replace(/^[\s"'“”‘’«»()[\]{}.,;:!?–—-]+/u, '').replace(/[\s"'“”‘’«»()[\]{}.,;:!?–—-]+$/u, '');
}

/** Longest name kept (a longer one is cut); the web console's name field allows as much. */
export const MAX_NAME_CHARS = 80;

/** Clean a person's name as typed: NFC, single spaces, no separators at the ends, at most MAX_NAME_CHARS. */
export function cleanName(s: string): string {
  const out = cleanText(s)
    .replace(/^[\s,.;:–—-]+/u, '')
    .replace(/[\s,.;:–—-]+$/u, '');
  return [...out].slice(0, MAX_NAME_CHARS).join('').trim();
}

/** Key used to compare class names: folded, single-spaced, quotes removed. */
export function nameKey(s: string): string {
  return fold(cleanText(s))
    .replace(/["“”'‘’]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
