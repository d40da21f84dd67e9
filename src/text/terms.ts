import { fold, lower, tokenize } from './normalize';
import { STOPWORDS } from './stopwords';

/**
 * Spelling variants that people mix freely: "ký/kí", "lý/lí", "mỹ/mĩ". Canonicalise a folded syllable so that
 * both sides of the index agree ("dang ki" finds "đăng ký").
 */
export function canonicalSyllable(folded: string): string {
  if (folded.length === 2 && folded[1] === 'y' && 'klmtshnvbd'.includes(folded[0])) return `${folded[0]}i`;
  return folded;
}

/** Folded, canonical syllables of a text (document numbers kept whole, their parts added). */
export function foldedTokens(text: string): string[] {
  return tokenize(text).map((t) => canonicalSyllable(fold(t)));
}

export interface WeightedTerm {
  term: string;
  weight: number;
}

const BIGRAM_SEP = '_';
const ACCENT_PREFIX = '=';

function isContent(tok: string): boolean {
  return !STOPWORDS.has(tok);
}

/**
 * Lexical terms of a document: folded content unigrams, folded bigrams (Vietnamese meaning lives in syllable
 * pairs: "khai sinh", "ket hon"), and accented unigrams when they differ from their folded form.
 */
export function documentTerms(text: string): Map<string, number> {
  const tf = new Map<string, number>();
  const add = (t: string) => tf.set(t, (tf.get(t) ?? 0) + 1);
  const raw = tokenize(text);
  const folded = raw.map((t) => canonicalSyllable(fold(t)));
  for (let i = 0; i < folded.length; i++) {
    const f = folded[i];
    if (isContent(f)) add(f);
    const accented = lower(raw[i]);
    if (accented !== f && accented !== fold(raw[i]) && isContent(f)) add(ACCENT_PREFIX + accented);
    if (i + 1 < folded.length) {
      const g = folded[i + 1];
      if (isContent(f) || isContent(g)) add(f + BIGRAM_SEP + g);
    }
  }
  return tf;
}

/** True when the text carries Vietnamese diacritics (then accented terms add precision). */
export function hasDiacritics(text: string): boolean {
  return fold(text) !== lower(text);
}

/**
 * Query terms with weights. Accented unigrams count only when the user typed diacritics; bigrams weigh more
 * than unigrams because they disambiguate folded syllables ("co quan" vs "co").
 */
export function queryTerms(text: string, baseWeight = 1): WeightedTerm[] {
  const out = new Map<string, number>();
  const put = (t: string, w: number) => out.set(t, Math.max(out.get(t) ?? 0, w));
  const raw = tokenize(text);
  const folded = raw.map((t) => canonicalSyllable(fold(t)));
  const accentedQuery = hasDiacritics(text);
  for (let i = 0; i < folded.length; i++) {
    const f = folded[i];
    if (isContent(f)) put(f, baseWeight);
    if (accentedQuery && isContent(f)) {
      const accented = lower(raw[i]);
      if (accented !== f) put(ACCENT_PREFIX + accented, 0.3 * baseWeight);
    }
    if (i + 1 < folded.length) {
      const g = folded[i + 1];
      if (isContent(f) || isContent(g)) put(f + BIGRAM_SEP + g, 1.5 * baseWeight);
    }
  }
  return [...out].map(([term, weight]) => ({ term, weight }));
}

/** Content unigrams only (used for coverage-based confidence). */
export function contentSyllables(text: string): string[] {
  return [...new Set(foldedTokens(text).filter(isContent))];
}
