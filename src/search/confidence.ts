import {
  canonicalSyllable,
  fold,
  foldedTokens,
  isEnglish,
  lower,
  QUESTION_WORDS,
  STOPWORDS,
  type SynonymDictionary,
  tokenize,
} from '../text';
import type { LexicalIndex } from './lexical';
import { analyzeSubject, holdsIds, type SubjectAnalysis, type SubjectFeatures, subjectFeatures } from './subject';

export interface ConfidenceFeatures extends SubjectFeatures {
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

/** The question's side of every feature, computed once per question and shared by every passage judged. */
export interface QuestionJudge {
  syllables: { term: string; accented?: string; corrected: boolean; weight: number }[];
  bigrams: string[];
  subject: SubjectAnalysis;
}

export function judgeQuestion(
  q: QuestionView,
  lex: LexicalIndex,
  synonyms: SynonymDictionary,
  subject?: SubjectAnalysis,
): QuestionJudge {
  const maxIdf = Math.log(1 + (lex.docCount + 0.5) / 0.5);
  const weight = (t: string) => (lex.has(t) ? Math.max(lex.idf(t), 0.5) : maxIdf);
  // English words the dictionary cannot map say nothing either way about a Vietnamese corpus.
  const english = isEnglish(q.original);
  const syllables = topicSyllables(q.original).map(({ folded, accented }) => {
    const term = q.corrections.get(folded) ?? folded;
    const unmapped = english && !lex.has(term) && !synonymWords(synonyms).has(term);
    return { term, accented, corrected: term !== folded, weight: unmapped ? 1 : weight(term) };
  });
  return {
    syllables,
    bigrams: questionBigrams(q.corrected),
    subject: subject ?? analyzeSubject(q.corrected, lex, synonyms),
  };
}

/** Measures how well one passage (a label of the index) explains a question. */
export function confidenceFeatures(
  q: QuestionView,
  label: number,
  lex: LexicalIndex,
  synonyms: SynonymDictionary,
  similarity: number,
  judge?: QuestionJudge,
): ConfidenceFeatures {
  const j = judge ?? judgeQuestion(q, lex, synonyms);
  // Synonym groups present in the question whose other phrase the passage holds explain the question's words.
  const explained = new Set<string>();
  for (const g of j.subject.groups) {
    if (!g.phrases.some((p) => holdsIds(p.body, label, lex))) continue;
    for (const i of g.at) explained.add(j.subject.tokens[i]);
  }
  let total = 0;
  let got = 0;
  for (const { term, accented, corrected, weight } of j.syllables) {
    total += weight;
    let credit = 0;
    if (lex.contains(term, label)) {
      // Folding merges words (quán/quan, phê/phí): when the user typed the accents, they must match too.
      credit = !accented || corrected || lex.contains(`=${accented}`, label) ? 1 : 0.5;
      if (corrected) credit *= 0.8;
    }
    if (explained.has(term)) credit = Math.max(credit, 0.9);
    got += weight * credit;
  }
  const bigram = j.bigrams.length ? j.bigrams.filter((b) => lex.contains(b, label)).length / j.bigrams.length : 0;
  return { unigram: total ? got / total : 0, bigram, similarity, ...subjectFeatures(j.subject, label, lex) };
}

/** One figure in 0..1 that the answerer thresholds (MIN_CONFIDENCE). */
export function combineConfidence(f: ConfidenceFeatures, opts: { crossLingual?: boolean } = {}): number {
  // Weights chosen on four question sets (two corpora of procedures, two of real laws) by the trade-off between
  // answers, wrong answers and declines; the subject's coverage in context carries most of the evidence.
  const subject = f.coverage > 0 || f.unknown > 0 ? f.coverage : f.unigram;
  // An English question over Vietnamese text: word pairs and hashed-vector similarity cannot match across the two
  // languages, so only the subject, mapped through the dictionary, is evidence.
  if (opts.crossLingual) return Math.round(subject * 1000) / 1000;
  return Math.round((0.5 * subject + 0.17 * f.bigram + 0.33 * Math.min(1, f.similarity / 0.6)) * 1000) / 1000;
}

/**
 * The domain's own vocabulary: syllable pairs from document titles, keywords and section names, and every phrase
 * of the synonym dictionary. A question with none of them ("giá vàng hôm nay") is very likely off-topic even when
 * single syllables happen to match.
 */
export function buildAnchors(
  chunks: { citation: { title: string; section?: string; kind: string }; keywords?: string[] }[],
  synonyms: SynonymDictionary,
): Set<string> {
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
const GENERIC_PAIRS = [
  'viet_nam',
  'ket_qua',
  'dak_lak',
  'buon_thuot',
  'ha_noi',
  'luu_y',
  'gioi_thieu',
  'phu_yen',
  'tinh_dak',
];

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
