import { isEnglish } from '../text/language';
import { fold, lower, tokenize } from '../text/normalize';
import { QUESTION_WORDS, STOPWORDS } from '../text/stopwords';
import { canonicalSyllable, contentSyllables, foldedTokens } from '../text/terms';
import type { SynonymDictionary } from '../text/synonyms';
import type { LexicalIndex } from './lexical';

export interface ConfidenceFeatures {
  /** IDF-weighted share of the question's topic syllables found in the passage (accent-aware). */
  unigram: number;
  /** Share of the question's syllable pairs found in the passage. */
  bigram: number;
  /** Cosine similarity of question and passage vectors. */
  similarity: number;
}

interface QuestionView {
  original: string;
  corrected: string;
  corrections: Map<string, string>;
  expansions: string[];
}

/** Topic syllables of the question: folded, with the accented form when the user typed diacritics. */
function topicSyllables(q: string): { folded: string; accented?: string }[] {
  const out = new Map<string, string | undefined>();
  for (const raw of tokenize(q)) {
    const f = canonicalSyllable(fold(raw));
    if (STOPWORDS.has(f) || QUESTION_WORDS.has(f)) continue;
    const acc = lower(raw);
    out.set(f, acc !== fold(raw) ? acc : out.get(f));
  }
  return [...out].map(([folded, accented]) => ({ folded, accented }));
}

function questionBigrams(q: string): string[] {
  const t = foldedTokens(q);
  const out = new Set<string>();
  for (let i = 0; i + 1 < t.length; i++) {
    const a = t[i];
    const b = t[i + 1];
    const topical = (x: string) => !STOPWORDS.has(x) && !QUESTION_WORDS.has(x);
    if (topical(a) || topical(b)) out.add(`${a}_${b}`);
  }
  return [...out];
}

const wordCache = new WeakMap<SynonymDictionary, Set<string>>();
function synonymWords(d: SynonymDictionary): Set<string> {
  let s = wordCache.get(d);
  if (!s) wordCache.set(d, (s = new Set(d.groups.flatMap((g) => g.tokens.flat()))));
  return s;
}

function containsPhrase(hay: string[], needle: string[]): boolean {
  for (let i = 0; i + needle.length <= hay.length; i++) if (needle.every((x, j) => hay[i + j] === x)) return true;
  return false;
}

/** Measures how well one passage (a label of the index) explains a question. */
export function confidenceFeatures(q: QuestionView, label: number, lex: LexicalIndex, synonyms: SynonymDictionary, similarity: number): ConfidenceFeatures {
  const syl = topicSyllables(q.original);
  const maxIdf = Math.log(1 + (lex.docCount + 0.5) / 0.5);
  const weight = (t: string) => (lex.has(t) ? Math.max(lex.idf(t), 0.5) : maxIdf);
  let total = 0;
  let got = 0;
  const qTokens = foldedTokens(q.corrected);
  // Expansions whose words are all in the passage explain the question phrase they came from.
  const explained = new Set<string>();
  for (const g of synonyms.groups) {
    const present = g.tokens.filter((t) => containsPhrase(qTokens, t));
    if (!present.length) continue;
    if (!g.phrases.some((p) => q.expansions.includes(p) && contentSyllables(p).every((t) => lex.contains(t, label)))) continue;
    for (const t of present) for (const x of t) explained.add(x);
  }
  // English words the dictionary cannot map say nothing either way about a Vietnamese corpus.
  const english = isEnglish(q.original);
  for (const { folded, accented } of syl) {
    const c = q.corrections.get(folded) ?? folded;
    const unmapped = english && !lex.has(c) && !synonymWords(synonyms).has(c);
    const w = unmapped ? 1 : weight(c);
    total += w;
    let credit = 0;
    if (lex.contains(c, label)) {
      // Folding merges words (quán/quan, phê/phí): when the user typed the accents, they must match too.
      credit = !accented || c !== folded || lex.contains(`=${accented}`, label) ? 1 : 0.5;
      if (c !== folded) credit *= 0.8;
    }
    if (explained.has(c)) credit = Math.max(credit, 0.9);
    got += w * credit;
  }
  const bigrams = questionBigrams(q.corrected);
  const bigram = bigrams.length ? bigrams.filter((b) => lex.contains(b, label)).length / bigrams.length : 0;
  return { unigram: total ? got / total : 0, bigram, similarity };
}

/** One figure in 0..1 that the answerer thresholds (MIN_CONFIDENCE). */
export function combineConfidence(f: ConfidenceFeatures): number {
  return Math.round((0.6 * f.unigram + 0.25 * f.bigram + 0.15 * Math.min(1, f.similarity / 0.6)) * 1000) / 1000;
}

/**
 * The domain's own vocabulary: syllable pairs from document titles, keywords and section names, and every phrase
 * of the synonym dictionary. A question with none of them ("giá vàng hôm nay") is very likely off-topic even when
 * single syllables happen to match.
 */
export function buildAnchors(chunks: { citation: { title: string; section?: string; kind: string }; keywords?: string[] }[], synonyms: SynonymDictionary): Set<string> {
  const anchors = new Set<string>();
  const addPairs = (text: string) => {
    const t = foldedTokens(text).filter((x) => !STOPWORDS.has(x) && !QUESTION_WORDS.has(x));
    for (let i = 0; i + 1 < t.length; i++) anchors.add(`${t[i]}_${t[i + 1]}`);
  };
  const seen = new Set<string>();
  for (const c of chunks) {
    // News titles are mostly event and place names, not the domain's vocabulary.
    if (c.citation.kind === 'news') continue;
    for (const s of [c.citation.title, c.citation.section ?? '', ...(c.keywords ?? [])]) {
      if (seen.has(s)) continue;
      seen.add(s);
      addPairs(s);
    }
  }
  for (const g of synonyms.groups) {
    for (const toks of g.tokens) {
      const t = toks.filter((x) => !STOPWORDS.has(x) && !QUESTION_WORDS.has(x));
      if (t.length === 1 && toks.length === 1) anchors.add(t[0]);
      for (let i = 0; i + 1 < t.length; i++) anchors.add(`${t[i]}_${t[i + 1]}`);
    }
  }
  for (const generic of GENERIC_PAIRS) anchors.delete(generic);
  return anchors;
}

/** Place names and generic words that appear in titles but say nothing about the domain. */
const GENERIC_PAIRS = ['viet_nam', 'ket_qua', 'dak_lak', 'buon_thuot', 'ha_noi', 'luu_y', 'gioi_thieu', 'phu_yen', 'tinh_dak'];

/** Does the question use the domain's vocabulary (see buildAnchors)? */
export function isAnchored(question: string, anchors: Set<string>): boolean {
  const t = foldedTokens(question).filter((x) => !STOPWORDS.has(x) && !QUESTION_WORDS.has(x));
  // Single English words ("home", "card") are weak evidence: an English question needs two.
  let hits = 0;
  const need = isEnglish(question) ? 2 : 1;
  for (let i = 0; i < t.length; i++) {
    if (i + 1 < t.length && anchors.has(`${t[i]}_${t[i + 1]}`)) hits += 2;
    else if (anchors.has(t[i])) hits++;
    if (hits >= need) return true;
  }
  return /\b\d{1,4}\/\d{4}\b|\b\d{1,3}-nq\b/i.test(question);
}
