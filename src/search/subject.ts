// The question's subject (topic.ts) judged against one passage: how much of it the passage covers, in the same
// company, in its name, and which of its phrases it does not hold. Computed once per question (analyzeSubject),
// then per passage by term-id lookups only (subjectFeatures).
import {
  contentSyllables,
  foldedTokens,
  isEnglish,
  presentGroups,
  STOPWORDS,
  type SynonymDictionary,
  topicView,
} from '../text';
import { HEADING_PREFIX } from './index-terms';
import type { LexicalIndex } from './lexical';

/** What a passage does with the question's subject (part of ConfidenceFeatures). */
export interface SubjectFeatures {
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
export function holdsIds(ids: number[] | null, label: number, lex: LexicalIndex): boolean {
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

/** The subject features of one passage. */
export function subjectFeatures(a: SubjectAnalysis, label: number, lex: LexicalIndex): SubjectFeatures {
  // One question's analysis judges the same passages several times (re-ranking, confidence, the name penalty).
  let known = computed.get(a);
  if (!known) computed.set(a, (known = new Map()));
  let f = known.get(label);
  if (!f) known.set(label, (f = judgePassage(a, label, lex)));
  return f;
}

const computed = new WeakMap<SubjectAnalysis, Map<number, SubjectFeatures>>();

function judgePassage(a: SubjectAnalysis, label: number, lex: LexicalIndex): SubjectFeatures {
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
