import {
  collapseWhitespace,
  expandAbbreviations,
  foldedTokens,
  isEnglish,
  loadSynonyms,
  nfc,
  queryTerms,
  type SynonymDictionary,
  weightedExpansions,
  type WeightedTerm,
} from '../text';
import {
  type DocKind,
  rankByValidity,
  type ScoredChunk,
  type SearchResult,
  VALIDITY_POOL,
  askedSections,
} from '../domain';
import {
  buildAnchors,
  combineConfidence,
  confidenceFeatures,
  isAnchored,
  judgeQuestion,
  type ConfidenceFeatures,
  type QuestionJudge,
} from './confidence';
import { preferNamedProcedure, preferProcedureOverLaw } from './procedure-order';
import { analyzeSubject, type SubjectAnalysis, subjectFeatures } from './subject';
import { exactKnn, labelsOfDocs } from './within-docs';
import type { IndexEmbedder } from './embedder';
import type { SearchIndex } from './index-store';
import { correctSyllable } from './typos';
import { plainChunk } from './chunk-store';
import { citationRegistry, parseCitationRef } from './citation-lookup';
import { HEADING_PREFIX } from './index-terms';

interface SearchOptions {
  k?: number;
  kind?: DocKind | DocKind[];
  /**
   * Judge confidence on these words instead of the searched text: a follow-up searched together with the previous
   * topic ("Đăng ký khai sinh" + "giá vàng?") must still be judged on what the user actually asked.
   */
  confidenceFor?: string;
}

interface PreparedQuery {
  /** The question after NFC and whitespace clean-up. */
  original: string;
  /** The same with unknown syllables corrected (folded syllables). */
  corrected: string;
  /** Folded original syllable -> its correction. */
  corrections: Map<string, string>;
  expansions: string[];
  terms: WeightedTerm[];
}

export interface RetrieverTuning {
  /** RRF weight of the lexical and vector lists. */
  lexicalWeight: number;
  vectorWeight: number;
  /** Weight of synonym/intent expansion terms relative to the question's own terms. */
  expansionWeight: number;
  /** Extra vote for procedure sections the question asks for (giấy tờ -> Thành phần hồ sơ, ...). */
  sectionWeight: number;
  /** Vote for every chunk of a document by the document's best lexical rank (keeps the right document's sections together). */
  docWeight: number;
  /** Weight of a query term found in a chunk's headings (article title, procedure name), on top of its body match. */
  headingWeight: number;
  /** Re-ranking of the best fused candidates by how much of the question's subject each covers (confidence.ts). */
  rerankCoverage: number;
  rerankHeading: number;
}

export const DEFAULT_TUNING: RetrieverTuning = {
  lexicalWeight: 3,
  vectorWeight: 1,
  expansionWeight: 0.5,
  sectionWeight: 0.5,
  docWeight: 1,
  headingWeight: 0,
  rerankCoverage: 1,
  rerankHeading: 0.5,
};

const RRF_K = 60;
const CANDIDATES = 50;
const RERANK = 12;
/** Up to this many allowed chunks, vector scores are computed exactly instead of by a filtered graph search. */
const EXACT_VECTOR_LIMIT = 5000;
/** How much a procedure answer loses per missing half of the subject in its name (fitted on the question sets). */
const NAME_PENALTY = 0.6;
/** Confidence lost per share of the subject in phrases the passage does not hold (confidence.ts phraseMiss). */
const PHRASE_PENALTY = 0.15;

/** Hybrid retrieval: BM25 over folded/accented syllables and bigrams + HNSW vectors, merged by RRF. */
export class Retriever {
  readonly synonyms: SynonymDictionary;

  constructor(
    readonly index: SearchIndex,
    readonly embedder: IndexEmbedder,
    synonyms?: SynonymDictionary,
    readonly tuning: RetrieverTuning = DEFAULT_TUNING,
  ) {
    this.synonyms = synonyms ?? loadSynonyms();
  }

  prepare(question: string): PreparedQuery {
    const q = expandAbbreviations(collapseWhitespace(nfc(question)), this.synonyms);
    // Typo correction works on folded syllables; keep the user's accented words when they are known.
    const words = q.split(' ');
    const corrections = new Map<string, string>();
    const english = isEnglish(q);
    const fixed = words.map((w) => {
      if (english) return w;
      const f = foldedTokens(w);
      if (f.length !== 1) return w;
      const c = correctSyllable(f[0], this.index.lexical);
      if (c === f[0]) return w;
      corrections.set(f[0], c);
      return c;
    });
    const corrected = fixed.join(' ');
    const weighted = weightedExpansions(corrected, this.synonyms);
    const exp = weighted.map((e) => e.phrase);
    const terms = new Map<string, number>();
    for (const t of queryTerms(corrected)) terms.set(t.term, t.weight);
    for (const e of weighted) {
      for (const t of queryTerms(e.phrase, this.tuning.expansionWeight * e.share))
        terms.set(t.term, Math.max(terms.get(t.term) ?? 0, t.weight));
    }
    const list = [...terms].map(([term, weight]) => ({ term, weight }));
    if (this.tuning.headingWeight > 0) {
      for (const t of [...list])
        if (!t.term.startsWith('='))
          list.push({ term: HEADING_PREFIX + t.term, weight: t.weight * this.tuning.headingWeight });
    }
    return { original: q, corrected, corrections, expansions: exp, terms: list };
  }

  async search(question: string, opts: SearchOptions = {}): Promise<SearchResult> {
    const k = opts.k ?? 5;
    const kinds = opts.kind ? new Set(Array.isArray(opts.kind) ? opts.kind : [opts.kind]) : undefined;
    const pq = this.prepare(question);
    if (!pq.corrected.trim()) return { results: [], confidence: 0 };
    // A question that names its rule ("khoản 2 điều 20 luật cư trú") is answered by that article, or searched
    // within the document it names.
    const ref = parseCitationRef(pq.original);
    const lookup = ref ? citationRegistry(this.index.chunks).resolve(ref, this.index.chunks) : undefined;
    if (lookup?.missing) return { results: [], confidence: 0, lookup };
    const inDocs = lookup?.docNamed && lookup.docIds.length ? new Set(lookup.docIds) : undefined;
    const allow =
      kinds || inDocs
        ? (label: number) =>
            (!kinds || kinds.has(this.index.kinds[label])) &&
            (!inDocs || inDocs.has(this.index.chunks[label].citation.docId))
        : undefined;

    // A search within named documents scores their few chunks directly: a filtered scan of every posting, and a
    // graph search with a filter that rejects nearly every node (seconds at 100,000 chunks), cost far more.
    const within = inDocs
      ? labelsOfDocs(this.index.chunks, inDocs).filter((l) => !kinds || kinds.has(this.index.kinds[l]))
      : undefined;
    const lexHits =
      within && within.length <= EXACT_VECTOR_LIMIT
        ? this.index.lexical.searchWithin(pq.terms, within, CANDIDATES)
        : this.index.lexical.search(pq.terms, CANDIDATES, allow);
    const q = this.index.space.centre(await this.embedder.embedQuery([pq.corrected, ...pq.expansions].join('\n')));
    const n = Math.min(CANDIDATES, this.index.chunks.length);
    const raw =
      n === 0
        ? { neighbors: [], distances: [] }
        : within && within.length <= EXACT_VECTOR_LIMIT
          ? exactKnn(this.index.vector, q.vector, within, n)
          : this.index.vector.searchKnn(q.vector, n, allow);

    const fused = new Map<number, { score: number; lexicalRank?: number; vectorRank?: number; sim?: number }>();
    const { lexicalWeight, vectorWeight } = this.tuning;
    lexHits.forEach((h, r) => fused.set(h.doc, { score: lexicalWeight / (RRF_K + r + 1), lexicalRank: r + 1 }));
    raw.neighbors.forEach((label, r) => {
      const e = fused.get(label) ?? { score: 0 };
      e.score += vectorWeight / (RRF_K + r + 1);
      e.vectorRank = r + 1;
      e.sim = this.index.space.rawSimilarity(q, label, 1 - raw.distances[r]);
      fused.set(label, e);
    });
    if (this.tuning.docWeight) {
      const docRank = new Map<string, number>();
      for (const h of lexHits) {
        const d = this.index.chunks[h.doc].citation.docId;
        if (!docRank.has(d)) docRank.set(d, docRank.size + 1);
      }
      for (const [label, e] of fused) {
        const r = docRank.get(this.index.chunks[label].citation.docId);
        if (r) e.score += this.tuning.docWeight / (RRF_K + r);
      }
    }
    const asked = new Set(askedSections(pq.corrected));
    if (asked.size) {
      for (const [label, e] of fused) {
        const sec = this.index.chunks[label].citation.section;
        if (sec && asked.has(sec)) e.score += this.tuning.sectionWeight / (RRF_K + 1);
      }
    }
    let ranked = [...fused].sort((a, b) => b[1].score - a[1].score || a[0] - b[0]);
    const judged = opts.confidenceFor !== undefined ? this.prepare(opts.confidenceFor) : pq;
    const subject = analyzeSubject(pq.corrected, this.index.lexical, this.synonyms);
    ranked = this.rerank(ranked, subject).slice(0, Math.max(k, 3, VALIDITY_POOL));
    preferNamedProcedure(ranked, this.index.chunks, pq);
    if (!lookup?.docNamed) preferProcedureOverLaw(ranked, this.index.chunks, pq);
    const pinned = lookup?.labels ?? [];
    if (pinned.length) {
      const top = (ranked[0]?.[1].score ?? 0) + 1;
      const first = pinned
        .slice(0, Math.max(k, 3))
        .map((label, i): [number, { score: number; lexicalRank?: number; vectorRank?: number; sim?: number }] => [
          label,
          { ...(fused.get(label) ?? {}), score: top - i * 1e-3 },
        ]);
      const set = new Set(pinned);
      ranked = [...first, ...ranked.filter(([l]) => !set.has(l))].slice(0, Math.max(k, 3));
    }
    const scored: (ScoredChunk & { label: number })[] = ranked.map(([label, e]) => ({
      ...plainChunk(this.index.chunks[label]),
      label,
      score: e.score,
      lexicalRank: e.lexicalRank,
      vectorRank: e.vectorRank,
      vectorSimilarity: e.sim,
    }));
    // In-force documents before comparably relevant repealed ones, unless the question asks for the old rule.
    // A named article stays first: the user asked for it, in force or not.
    const judge = judgeQuestion(pq, this.index.lexical, this.synonyms, subject);
    const relevance = (r: ScoredChunk) =>
      combineConfidence(
        confidenceFeatures(
          pq,
          (r as ScoredChunk & { label: number }).label,
          this.index.lexical,
          this.synonyms,
          r.vectorSimilarity ?? 0,
          judge,
        ),
      );
    const results = pinned.length ? scored : rankByValidity(scored, question, { relevance });
    this.anchors ??= buildAnchors(this.index.chunks, this.synonyms);
    const anchored = isAnchored(judged.corrected, this.anchors);
    // Off-topic questions share single syllables with the corpus by chance; without domain words, trust less.
    const judgement = this.confidence(
      judged,
      results.slice(0, 3),
      judged === pq ? judge : judgeQuestion(judged, this.index.lexical, this.synonyms),
    );
    let confidence = judgement.value;
    // A procedure is the answer only to a question about it: a subject that its name, keywords and section heading
    // do not carry ("hộ chiếu", mentioned once among the papers of khai sinh) costs confidence.
    const first = results[0];
    if (first && !pinned.length && judge.subject.topic.length) {
      const f = subjectFeatures(judge.subject, first.label, this.index.lexical);
      if (first.citation.kind === 'procedure') {
        if (!f.namedPhrase) confidence -= NAME_PENALTY * Math.max(0, 0.5 - f.name);
        // A phrase of the question the procedure does not hold ("nhận con nuôi" beside "nhận cha, mẹ, con").
        confidence -= PHRASE_PENALTY * (f.phraseMiss ?? 0);
      }
    }
    confidence = Math.round(Math.max(0, confidence) * 1000) / 1000;
    // The user named the article: that is the answer, whatever words it shares with the question.
    if (pinned.length) confidence = Math.max(confidence, lookup?.clauseFound === false ? 0.8 : 0.95);
    return {
      results: results.slice(0, k).map(({ label: _l, keywords: _k, ...c }) => c),
      confidence,
      anchored,
      features: judgement.features,
      ...(lookup ? { lookup } : {}),
    };
  }

  private anchors?: Set<string>;

  /**
   * Fusion ranks by term statistics, so a long passage that repeats the common words of a question can beat the
   * one that has all of its subject ("trợ cấp thôi việc" in Điều 46). The best candidates are re-scored by subject
   * coverage in context and in the headings; the fused score still separates the rest.
   */
  private rerank<T extends { score: number }>(ranked: [number, T][], subject: SubjectAnalysis): [number, T][] {
    const { rerankCoverage: wc, rerankHeading: wh } = this.tuning;
    if ((!wc && !wh) || !subject.topic.length || ranked.length < 2) return ranked;
    const head = ranked.slice(0, RERANK);
    const top = head[0][1].score;
    const rescored = head.map(([label, e]) => {
      const f = subjectFeatures(subject, label, this.index.lexical);
      return { label, e, s: e.score / top + wc * f.coverage + wh * f.heading };
    });
    rescored.sort((a, b) => b.s - a.s || a.label - b.label);
    return [...rescored.map((x): [number, T] => [x.label, x.e]), ...ranked.slice(RERANK)];
  }

  /** Confidence: how well the best of the top passages explains the question (see confidence.ts). */
  private confidence(
    pq: PreparedQuery,
    top: (ScoredChunk & { label: number })[],
    judge: QuestionJudge,
  ): { value: number; features?: ConfidenceFeatures } {
    const english = isEnglish(pq.original);
    let best: { value: number; features?: ConfidenceFeatures } = { value: 0 };
    for (const c of top) {
      const f = confidenceFeatures(pq, c.label, this.index.lexical, this.synonyms, c.vectorSimilarity ?? 0, judge);
      const v = combineConfidence(f, { crossLingual: english && !isEnglish(c.text.slice(0, 400)) });
      if (v > best.value || !best.features) best = { value: v, features: f };
    }
    return best;
  }

  /** Features of the top passages, for tuning and diagnostics. */
  async explain(question: string): Promise<{ id: string; features: ConfidenceFeatures }[]> {
    const pq = this.prepare(question);
    const { results } = await this.search(question, { k: 3 });
    return results.map((r) => {
      const label = this.index.chunks.findIndex((c) => c.id === r.id);
      return {
        id: r.id,
        features: confidenceFeatures(pq, label, this.index.lexical, this.synonyms, r.vectorSimilarity ?? 0),
      };
    });
  }
}
