import { readFileSync } from 'node:fs';
import { fold, tokenize } from './normalize';
import { foldedTokens } from './terms';

interface SynonymFile {
  groups: string[][];
  abbreviations?: Record<string, string>;
}

export interface SynonymDictionary {
  /** Each group as lists of folded syllables, and the same syllables lower-cased with their accents. */
  groups: { phrases: string[]; tokens: string[][]; accented: string[][] }[];
  /** Folded shorthand -> full form. */
  abbreviations: Map<string, string>;
}

export function loadSynonyms(file = new URL('./synonyms.json', import.meta.url)): SynonymDictionary {
  const data = JSON.parse(readFileSync(file, 'utf8')) as SynonymFile;
  return {
    groups: data.groups.map((g) => ({ phrases: g, tokens: g.map((p) => foldedTokens(p)), accented: g.map(accentedTokens) })),
    abbreviations: new Map(Object.entries(data.abbreviations ?? {}).map(([k, v]) => [fold(k), v])),
  };
}

const Y_TO_I: Record<string, string> = { y: 'i', ý: 'í', ỳ: 'ì', ỷ: 'ỉ', ỹ: 'ĩ', ỵ: 'ị' };

/** Lower-cased accented syllables, with the same ký/kí spelling choice as canonicalSyllable. */
function accentedTokens(s: string): string[] {
  return tokenize(s).map((t) => {
    const a = t.normalize('NFC').toLowerCase();
    return a.length === 2 && 'klmtshnvbd'.includes(a[0]) && Y_TO_I[a[1]] ? a[0] + Y_TO_I[a[1]] : a;
  });
}

/**
 * Folded match, except that a syllable typed with accents must keep them when the phrase has accents too:
 * "cười" (laugh) must not expand like "cưới" (wedding).
 */
function matchesAt(q: string[], qa: string[], phrase: string[], pa: string[], i: number): boolean {
  for (let j = 0; j < phrase.length; j++) {
    if (q[i + j] !== phrase[j]) return false;
    const a = qa[i + j];
    const b = pa[j];
    // Only when both carry accents (differ from their folded form) must the accents agree.
    if (a && b && fold(a) !== a && fold(b) !== b && a !== b) return false;
  }
  return true;
}

function containsSequence(hay: string[], needle: string[]): boolean {
  if (needle.length === 0 || needle.length > hay.length) return false;
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * Phrases to add to a query: for every group with a phrase present in the query (diacritic-insensitive, whole
 * syllables), the group's other phrases.
 */
export function expansions(query: string, dict: SynonymDictionary): string[] {
  const q = foldedTokens(query);
  const qa = accentedTokens(query);
  if (qa.length !== q.length) qa.length = 0;
  const present = (t: string[], a: string[]) => {
    for (let i = 0; i + t.length <= q.length; i++) if (t.length && matchesAt(q, qa, t, a, i)) return true;
    return false;
  };
  const out = new Set<string>();
  for (const g of dict.groups) {
    if (!g.tokens.some((t, i) => present(t, g.accented[i]))) continue;
    g.phrases.forEach((p, i) => {
      if (!containsSequence(q, g.tokens[i])) out.add(p);
    });
  }
  return [...out];
}

/** Replace chat shorthand ("dk", "bn", "uq") by its full form, word by word. */
export function expandAbbreviations(text: string, dict: SynonymDictionary): string {
  return text.replace(/[\p{L}\p{N}]+/gu, (w) => dict.abbreviations.get(fold(w)) ?? w);
}
