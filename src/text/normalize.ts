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
  return s.normalize('NFD').replace(COMBINING_MARKS, '').replace(/[đĐ]/g, 'd').toLowerCase().normalize('NFC');
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
