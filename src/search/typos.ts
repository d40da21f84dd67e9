import { isVietnameseSyllable, STOPWORDS } from '../text';
import type { LexicalIndex } from './lexical';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** All strings one edit away (delete, transpose, replace, insert). */
function edits1(w: string): string[] {
  const out: string[] = [];
  for (let i = 0; i <= w.length; i++) {
    const a = w.slice(0, i);
    const b = w.slice(i);
    if (b) out.push(a + b.slice(1));
    if (b.length > 1) out.push(a + b[1] + b[0] + b.slice(2));
    for (const c of ALPHABET) {
      if (b) out.push(a + c + b.slice(1));
      out.push(a + c + b);
    }
  }
  return out;
}

/**
 * Correct a folded syllable that is not Vietnamese spelling and that the corpus never uses to the most frequent corpus syllable one edit away
 * ("sinnh" -> "sinh", "tamr" -> "tam"). Known syllables and short ones are left alone.
 */
export function correctSyllable(token: string, lexical: LexicalIndex): string {
  // Short syllables and stop words are too ambiguous to correct; phone typos rarely change the first letter.
  if (token.length < 3 || /\d/.test(token) || STOPWORDS.has(token) || lexical.has(token) || isVietnameseSyllable(token))
    return token;
  let best = token;
  let bestDf = 0;
  for (const cand of edits1(token)) {
    if (cand[0] !== token[0]) continue;
    const df = lexical.docFreq(cand);
    if (df > bestDf) {
      best = cand;
      bestDf = df;
    }
  }
  return best;
}
