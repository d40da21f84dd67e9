import {
  canonicalSyllable,
  contentSyllables,
  fold,
  foldedTokens,
  isEnglish,
  lower,
  presentGroups,
  QUESTION_WORDS,
  STOPWORDS,
  type SynonymDictionary,
  tokenize,
  topicView,
} from '../text';
import { HEADING_PREFIX } from './index-terms';
import type { LexicalIndex } from './lexical';

export interface ConfidenceFeatures {
  /** IDF-weighted share of the question's topic syllables found in the passage (accent-aware). */
  unigram: number;
  /**
   * IDF-weighted share of the question's subject words (topic.ts) found in the passage in the same company: a word
   * whose neighbour in the question forms a pair ("hộ chiếu") counts only when the passage has the pair, not when it
   * has "hộ" and "chiếu" apart ("hộ tịch", "đối chiếu"). Words a synonym explains count too.
   */
  coverage: number;
  /** The same share found in the passage's headings (article title, procedure name and keywords). */
  heading: number;
  /** Share of the subject that the whole corpus does not know (no such word, or never that pair): evidence that the question is about something else. */
  unknown: number;
  /** Share of the subject in the passage's own name (headings, title, keywords; synonyms only if they are there too). */
  name: number;
  /** A whole phrase of the subject (two or more words, "giấy chứng tử") is in the passage's name. */
  namedPhrase: boolean;
  /**
   * Share of the subject in phrases of two or more words ("con nuôi", "xe ô tô") that the passage does not hold
   * as phrases (some word pair missing) and no synonym explains: the question is about another thing.
   */
  phraseMiss?: number;
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

/** Weight of an everyday word beside a stronger subject word ("bố", "vừa", "đi" in "bố tôi vừa mất, đi khai tử"). */
const WEAK = 0.05;

/** Partial credit for a subject word found in the passage without its neighbour ("chiếu" of "hộ chiếu" in "đối chiếu"). */
const APART = 0.4;

/** The question's side of the subject features, computed once per question and shared by every passage judged. */
export interface SubjectAnalysis {
  tokens: string[];
  /**
   * Topic positions with their weight, their term id (undefined: the corpus lacks it), the ids of the pairs they
   * form with neighbouring topic words, and the id of the word as a heading term. Ids make the per-passage tests
   * (twelve passages re-ranked, three judged) binary searches only.
   */
  topic: {
    i: number;
    term: string;
    weight: number;
    pairs: string[];
    id?: number;
    pairIds: number[];
    headId?: number;
  }[];
  /** Synonym groups present in the question: the positions they cover and their phrases as term ids. */
  groups: { at: number[]; phrases: PhraseIds[] }[];
  total: number;
  /** Share of the subject weight the corpus does not know. */
  unknown: number;
}

/** A phrase's folded content words and, for several words, its syllable pairs: what a passage must hold to say it. */
interface PhraseTerms {
  words: string[];
  pairs: string[];
}

/** The same as term ids of one index: null when the corpus lacks one of them (no passage can hold the phrase). */
interface PhraseIds {
  body: number[] | null;
  head: number[] | null;
}

const phraseTerms = new WeakMap<SynonymDictionary, PhraseTerms[][]>();

function termsOf(phrase: string): PhraseTerms {
  const t = foldedTokens(phrase);
  const pairs: string[] = [];
  for (let i = 0; i + 1 < t.length; i++)
    if (!STOPWORDS.has(t[i]) || !STOPWORDS.has(t[i + 1])) pairs.push(`${t[i]}_${t[i + 1]}`);
  return { words: contentSyllables(phrase), pairs };
}

function idsOf(terms: string[], lex: LexicalIndex): number[] | null {
  const out: number[] = [];
  for (const t of terms) {
    const id = lex.termId(t);
    if (id === undefined) return null;
    out.push(id);
  }
  return out.length ? out : null;
}

/** Does a passage hold the phrase: all its words and all its syllable pairs? */
function holdsIds(ids: number[] | null, label: number, lex: LexicalIndex): boolean {
  return ids !== null && ids.every((id) => lex.hasId(id, label));
}

export function analyzeSubject(question: string, lex: LexicalIndex, synonyms: SynonymDictionary): SubjectAnalysis {
  const view = topicView(question);
  const { tokens } = view;
  const maxIdf = Math.log(1 + (lex.docCount + 0.5) / 0.5);
  const weight = (t: string) => (lex.has(t) ? Math.max(lex.idf(t), 0.5) : maxIdf);
  let words = phraseTerms.get(synonyms);
  if (!words)
    phraseTerms.set(
      synonyms,
      (words = synonyms.groups.map((g) => g.phrases.map(termsOf).filter((p) => p.words.length))),
    );
  const groups: SubjectAnalysis['groups'] = [];
  const knownSomewhere = new Set<number>();
  for (const { index, at } of presentGroups(tokens, synonyms)) {
    const phrases = words[index].map((p) => {
      const all = [...p.words, ...p.pairs];
      return {
        body: idsOf(all, lex),
        head: idsOf(
          all.map((t) => HEADING_PREFIX + t),
          lex,
        ),
      };
    });
    groups.push({ at, phrases });
    // Known somewhere: the corpus has every word and pair of one of the group's phrases.
    if (phrases.some((p) => p.body !== null)) for (const i of at) knownSomewhere.add(i);
  }
  const positions = view.topic;
  // Pairs are formed with stronger neighbours only: "đi khai tử" need not be a phrase of the passage.
  const isTopic = new Set(positions.filter((i) => !view.weak.has(i)));
  // An English word the dictionary cannot map weighs little: it says little either way about a Vietnamese corpus.
  const english = isEnglish(question);
  let total = 0;
  let unknown = 0;
  const topic = positions.map((i) => {
    const term = tokens[i];
    const w = (english && !knownSomewhere.has(i) && !lex.has(term) ? 1 : weight(term)) * (view.weak.has(i) ? WEAK : 1);
    const pairs = [i - 1, i + 1]
      .filter((j) => isTopic.has(j))
      .map((j) => (j < i ? `${tokens[j]}_${term}` : `${term}_${tokens[j]}`));
    const pairIds = pairs.map((p) => lex.termId(p)).filter((x): x is number => x !== undefined);
    total += w;
    const known = knownSomewhere.has(i) || (lex.has(term) && (!pairs.length || pairIds.length > 0));
    if (!known) unknown += w;
    return { i, term, weight: w, pairs, id: lex.termId(term), pairIds, headId: lex.termId(HEADING_PREFIX + term) };
  });
  return { tokens, topic, groups, total, unknown: total ? unknown / total : 0 };
}

/** coverage, heading and unknown of one passage (see ConfidenceFeatures). */
export function subjectFeatures(
  a: SubjectAnalysis,
  label: number,
  lex: LexicalIndex,
): Pick<ConfidenceFeatures, 'coverage' | 'heading' | 'unknown' | 'name' | 'namedPhrase' | 'phraseMiss'> {
  if (!a.topic.length) return { coverage: 0, heading: 0, unknown: 0, name: 0, namedPhrase: false, phraseMiss: 0 };
  const explained = new Set<number>();
  // Explained by the passage's name: a phrase of the group is in its headings (not merely in its body).
  const explainedByName = new Set<number>();
  for (const g of a.groups) {
    if (g.phrases.some((p) => holdsIds(p.body, label, lex))) for (const i of g.at) explained.add(i);
    if (g.phrases.some((p) => holdsIds(p.head, label, lex))) for (const i of g.at) explainedByName.add(i);
  }
  let covered = 0;
  let inHeading = 0;
  let inName = 0;
  // Runs of adjacent subject words, and whether every word of the current run is in the headings.
  let run = 0;
  let runNamed = true;
  let namedPhrase = false;
  let phraseMissed = 0;
  let prev = -2;
  for (const { i, weight, pairs, id, pairIds, headId } of a.topic) {
    if (
      pairs.length &&
      !explained.has(i) &&
      !(pairIds.length === pairs.length && pairIds.every((p) => lex.hasId(p, label)))
    )
      phraseMissed += weight;
    let credit = 0;
    if (id !== undefined && lex.hasId(id, label))
      credit = !pairs.length || pairIds.some((p) => lex.hasId(p, label)) ? 1 : APART;
    if (explained.has(i)) credit = Math.max(credit, 0.9);
    covered += weight * credit;
    const headed = headId !== undefined && lex.hasId(headId, label);
    if (headed || explained.has(i)) inHeading += weight;
    const named = headed || explainedByName.has(i);
    if (named) inName += weight;
    if (i !== prev + 1) [run, runNamed] = [0, true];
    run++;
    runNamed &&= named && (run === 1 || pairs.length > 0);
    if (run >= 2 && runNamed) namedPhrase = true;
    prev = i;
  }
  return {
    coverage: covered / a.total,
    heading: inHeading / a.total,
    unknown: a.unknown,
    name: inName / a.total,
    namedPhrase,
    phraseMiss: phraseMissed / a.total,
  };
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
