import { readFileSync } from 'node:fs';
import { foldedTokens } from './terms';

interface SynonymFile {
  groups: string[][];
}

export interface SynonymDictionary {
  /** Each group as lists of folded syllables. */
  groups: { phrases: string[]; tokens: string[][] }[];
}

export function loadSynonyms(file = new URL('./synonyms.json', import.meta.url)): SynonymDictionary {
  const data = JSON.parse(readFileSync(file, 'utf8')) as SynonymFile;
  return {
    groups: data.groups.map((g) => ({ phrases: g, tokens: g.map((p) => foldedTokens(p)) })),
  };
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
  const out = new Set<string>();
  for (const g of dict.groups) {
    if (!g.tokens.some((t) => containsSequence(q, t))) continue;
    g.phrases.forEach((p, i) => {
      if (!containsSequence(q, g.tokens[i])) out.add(p);
    });
  }
  return [...out];
}
