/** Vietnamese text primitives shared by ingestion, retrieval and the chat grammar. */

const COMBINING_MARKS = /[\u0300-\u036f]/g;

export function nfc(s: string): string {
  return s.normalize('NFC');
}

/**
 * Lower-case and strip diacritics. NFD + stripping marks leaves đ/Đ untouched (they are letters of their own,
 * not d + mark), so map them explicitly.
 */
export function fold(s: string): string {
  // Ingest folds millions of tokens drawn from a few thousand distinct syllables: memoise short strings.
  if (s.length > 24) return foldUncached(s);
  let f = foldCache.get(s);
  if (f === undefined) {
    if (foldCache.size >= FOLD_CACHE_MAX) foldCache.clear();
    f = foldUncached(s);
    foldCache.set(s, f);
  }
  return f;
}

const FOLD_CACHE_MAX = 100_000;
const foldCache = new Map<string, string>();

function foldUncached(s: string): string {
  return stripDiacritics(s).toLowerCase().normalize('NFC');
}

/** Diacritics removed, case kept, đ/Đ -> d ("Điểm danh" -> "dIem danh" is never wanted: đ has no capital use here). */
export function stripDiacritics(s: string): string {
  return s.normalize('NFD').replace(COMBINING_MARKS, '').replace(/[đĐ]/g, 'd');
}

/** "Lớp kỹ năng số thôn 3" -> "lop-ky-nang-so-thon-3": ASCII, safe in file names and URLs, at most `max` characters. */
export function slug(s: string, max = 50): string {
  return fold(s)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
}

/**
 * The first `max` characters of `s` (code points), cut back to the last space when one falls in the last
 * `1 - keep` of them, trailing white space trimmed; `s` itself when it is short enough. Callers add their "…".
 */
export function cutAtWord(s: string, max: number, keep = 0.5): string {
  const chars = Array.from(s);
  if (chars.length <= max) return s;
  const cut = chars.slice(0, max).join('');
  const space = cut.lastIndexOf(' ');
  return (space > max * keep ? cut.slice(0, space) : cut).trimEnd();
}

/** NFC + lower-case, diacritics kept. */
export function lower(s: string): string {
  return s.normalize('NFC').toLowerCase();
}

export function collapseWhitespace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** The comparison used by the evaluation: folded, case-insensitive, whitespace collapsed. */
export function matchKey(s: string): string {
  return collapseWhitespace(fold(s));
}

const TOKEN = /[\p{L}\p{N}]+(?:[./-][\p{L}\p{N}]+)*/gu;

/**
 * Syllable tokens (Vietnamese words are space-separated syllables). Document numbers like "151/2025/NĐ-CP"
 * stay one token so they can be matched exactly; their parts are added too.
 */
export function tokenize(s: string): string[] {
  const out: string[] = [];
  for (const m of lower(s).matchAll(TOKEN)) {
    const t = m[0];
    if (/[./-]/.test(t)) {
      out.push(t);
      for (const part of t.split(/[./-]/)) if (part) out.push(part);
    } else {
      out.push(t);
    }
  }
  return out;
}

/** NFC-normalise, drop control and zero-width characters, collapse whitespace, trim. */
export function cleanText(s: string): string {
  return (
    s
      .normalize('NFC')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f\u200b-\u200d\ufeff]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}
