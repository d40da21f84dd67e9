import { readFileSync } from 'node:fs';
import { fold, tokenize } from './normalize';
import { foldedTokens } from './terms';

interface SynonymFile {
  groups: string[][];
  abbreviations?: Record<string, string>;
}

/** Everyday words -> the law's terms, by field (lexicon.json): only the everyday side triggers an expansion. */
interface LexiconFile {
  groups: { field: string; everyday: string[]; legal: string[] }[];
  abbreviations?: Record<string, string>;
}

interface SynonymGroup {
  phrases: string[];
  /** Each phrase as folded syllables, and the same syllables lower-cased with their accents. */
  tokens: string[][];
  accented: string[][];
  /** Indices of the phrases whose presence in a question expands it; all of them when absent. */
  triggers?: number[];
}

export interface SynonymDictionary {
  groups: SynonymGroup[];
  /** Folded shorthand -> full form. */
  abbreviations: Map<string, string>;
}

function group(phrases: string[], triggers?: number[]): SynonymGroup {
  return {
    phrases,
    tokens: phrases.map((p) => foldedTokens(p)),
    accented: phrases.map(accentedTokens),
    ...(triggers ? { triggers } : {}),
  };
}

/**
 * The synonym and abbreviation dictionary (synonyms.json: symmetric groups of equivalent phrases) and the
 * everyday-to-legal lexicon (lexicon.json: "nghỉ đẻ" is searched as "nghỉ thai sản", not the other way round).
 */
export function loadSynonyms(
  file: URL | string = new URL('./synonyms.json', import.meta.url),
  lexiconFile: URL | string | null = new URL('./lexicon.json', import.meta.url),
): SynonymDictionary {
  const data = JSON.parse(readFileSync(file, 'utf8')) as SynonymFile;
  const lexicon = lexiconFile ? (JSON.parse(readFileSync(lexiconFile, 'utf8')) as LexiconFile) : { groups: [] };
  const groups = [
    ...data.groups.map((g) => group(g)),
    ...lexicon.groups.map((g) =>
      group(
        [...g.everyday, ...g.legal],
        g.everyday.map((_, i) => i),
      ),
    ),
  ];
  const abbreviations = new Map<string, string>();
  for (const [k, v] of [...Object.entries(lexicon.abbreviations ?? {}), ...Object.entries(data.abbreviations ?? {})])
    abbreviations.set(fold(k), v);
  return { groups, abbreviations };
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
  return weightedExpansions(query, dict).map((e) => e.phrase);
}

/**
 * Expansions with a share of weight: a group contributes as much in total however many synonyms it lists, so a
 * long list ("sao y", "sao y bản chính", "photo công chứng") cannot outvote the user's own words.
 */
export function weightedExpansions(query: string, dict: SynonymDictionary): { phrase: string; share: number }[] {
  const q = foldedTokens(query);
  const qa = accentedTokens(query);
  if (qa.length !== q.length) qa.length = 0;
  const out = new Map<string, number>();
  for (const { group: g } of presentGroups(q, dict, qa)) {
    const added = g.phrases.filter((_, i) => !containsSequence(q, g.tokens[i]));
    const share = 1 / Math.sqrt(Math.max(1, added.length));
    for (const p of added) out.set(p, Math.max(out.get(p) ?? 0, share));
  }
  return [...out].map(([phrase, share]) => ({ phrase, share }));
}

/** Trigger phrases by their first syllable, built once per dictionary: a question only checks the groups it can hit. */
const byFirst = new WeakMap<SynonymDictionary, Map<string, { g: number; p: number }[]>>();

function triggerIndex(dict: SynonymDictionary): Map<string, { g: number; p: number }[]> {
  let idx = byFirst.get(dict);
  if (!idx) {
    idx = new Map();
    dict.groups.forEach((group, g) => {
      for (const p of group.triggers ?? group.tokens.map((_, i) => i)) {
        const first = group.tokens[p][0];
        if (first === undefined) continue;
        const list = idx!.get(first);
        if (list) list.push({ g, p });
        else idx!.set(first, [{ g, p }]);
      }
    });
    byFirst.set(dict, idx);
  }
  return idx;
}

/**
 * The groups with a trigger phrase present in the folded tokens `q` (accents must agree where both sides carry
 * them, when `qa` holds the accented tokens), each with the token positions its phrases cover.
 */
export function presentGroups(
  q: string[],
  dict: SynonymDictionary,
  qa: string[] = [],
): { group: SynonymGroup; index: number; at: number[] }[] {
  const idx = triggerIndex(dict);
  const found = new Map<number, Set<number>>();
  for (let i = 0; i < q.length; i++) {
    for (const { g, p } of idx.get(q[i]) ?? []) {
      const group = dict.groups[g];
      const t = group.tokens[p];
      if (i + t.length > q.length || !matchesAt(q, qa, t, group.accented[p], i)) continue;
      let at = found.get(g);
      if (!at) found.set(g, (at = new Set()));
      for (let j = 0; j < t.length; j++) at.add(i + j);
    }
  }
  return [...found]
    .sort((a, b) => a[0] - b[0])
    .map(([index, at]) => ({ group: dict.groups[index], index, at: [...at] }));
}

/**
 * Shorthand with two everyday readings: the dictionary's reading only after one of these words (folded), the
 * chat reading otherwise ("trường mn" = trường mầm non, "vậy mn" = vậy mọi người).
 */
const CONTEXTUAL: Record<string, { after: RegExp; otherwise: string }> = {
  mn: { after: /\b(truong|lop|giao vien|bac|cap|nhom|co|tre|hoc sinh|giao duc)\s*$/, otherwise: 'mọi người' },
};

/** Replace chat shorthand ("dk", "bn", "uq") by its full form, word by word. */
export function expandAbbreviations(text: string, dict: SynonymDictionary): string {
  return text.replace(/[\p{L}\p{N}]+/gu, (w, at: number) => {
    const key = fold(w);
    const full = dict.abbreviations.get(key);
    const ctx = CONTEXTUAL[key];
    if (full && ctx && !ctx.after.test(fold(text.slice(Math.max(0, at - 30), at)))) return ctx.otherwise;
    return full ?? w;
  });
}
