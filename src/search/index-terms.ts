import { documentTerms, foldedTokens, STOPWORDS } from '../text';
import type { Chunk } from '../domain';

/**
 * Terms of a chunk's headings, indexed a second time under this prefix: a field of their own, so that a question
 * matching an article's title ("Điều 35. Trợ cấp thôi việc") or a procedure's name outranks a passage that only
 * mentions the words once in its body (BM25F-style field weighting in one inverted index).
 */
export const HEADING_PREFIX = '#';

/**
 * Text the indexes see: title, heading path below the title, body and the document's keywords. Derived, not stored:
 * kept per chunk it doubled the passage text held in memory and on disk.
 */
export function indexTextOf(c: Chunk): string {
  const parts = [c.citation.title, c.headingPath.slice(1).join(' › '), c.text, (c.keywords ?? []).join(', ')];
  return parts.filter(Boolean).join('\n');
}

/** What names a chunk: a procedure's title, keywords and section; a legal chunk's article, section and chapter. */
function headingTextOf(c: Chunk): string {
  if (c.citation.kind === 'procedure')
    return [c.citation.title, ...(c.keywords ?? []), c.citation.section ?? ''].join('\n');
  const path = c.headingPath.slice(1);
  return path.length ? path.join('\n') : c.citation.title;
}

/** Folded content unigrams and bigrams of a heading (each once: presence, not frequency). */
function headingTerms(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const t = foldedTokens(line);
    for (let i = 0; i < t.length; i++) {
      if (!STOPWORDS.has(t[i])) out.add(t[i]);
      if (i + 1 < t.length && (!STOPWORDS.has(t[i]) || !STOPWORDS.has(t[i + 1]))) out.add(`${t[i]}_${t[i + 1]}`);
    }
  }
  return out;
}

/** Every lexical term of a chunk: its index text, and its heading terms under HEADING_PREFIX. */
export function chunkTerms(c: Chunk): Map<string, number> {
  const tf = documentTerms(indexTextOf(c));
  for (const t of headingTerms(headingTextOf(c))) tf.set(HEADING_PREFIX + t, 1);
  return tf;
}
