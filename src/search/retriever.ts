import { askedSections } from '../text/intent';
import { isEnglish } from '../text/language';
import { collapseWhitespace, nfc } from '../text/normalize';
import { contentSyllables, foldedTokens, queryTerms, type WeightedTerm } from '../text/terms';
import { expandAbbreviations, loadSynonyms, weightedExpansions, type SynonymDictionary } from '../text/synonyms';
import { buildAnchors, combineConfidence, confidenceFeatures, isAnchored, type ConfidenceFeatures } from './confidence';
import type { IndexEmbedder } from './embedder';
import type { SearchIndex } from './index-store';
import { correctSyllable } from './typos';
import { plainChunk } from './chunk-store';
import type { DocKind, ScoredChunk, SearchResult } from './types';
import { rankByValidity, VALIDITY_POOL } from './validity';

export interface SearchOptions {
  k?: number;
  kind?: DocKind | DocKind[];
  /**
   * Judge confidence on these words instead of the searched text: a follow-up searched together with the previous
   * topic ("Đăng ký khai sinh" + "giá vàng?") must still be judged on what the user actually asked.
   */
  confidenceFor?: string;
}

export interface PreparedQuery {
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
}

export const DEFAULT_TUNING: RetrieverTuning = { lexicalWeight: 3, vectorWeight: 1, expansionWeight: 0.5, sectionWeight: 0.5, docWeight: 1 };

const RRF_K = 60;
const UNANCHORED_FACTOR = 0.6;
const CANDIDATES = 50;

/** Hybrid retrieval: BM25 over folded/accented syllables and bigrams + HNSW vectors, merged by RRF. */
export class Retriever {
  readonly synonyms: SynonymDictionary;

  constructor(
    readonly index: SearchIndex,
    private readonly embedder: IndexEmbedder,
    synonyms?: SynonymDictionary,
    readonly tuning: RetrieverTuning = DEFAULT_TUNING,
  ) {
    this.synonyms = synonyms ?? loadSynonyms();
  }

  /** The embedder, so a tuning script can build variants over the same index. */
  get embedderForTuning(): IndexEmbedder {
    return this.embedder;
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
      for (const t of queryTerms(e.phrase, this.tuning.expansionWeight * e.share)) terms.set(t.term, Math.max(terms.get(t.term) ?? 0, t.weight));
    }
    return { original: q, corrected, corrections, expansions: exp, terms: [...terms].map(([term, weight]) => ({ term, weight })) };
  }

  /**
   * Serves `next` from now on: a newer published index (index-watch.ts; issue 17's live index holder may take this
   * over). A search reads the index before and after awaiting the embedder, so the swap waits until no search is
   * running and never mixes two indexes in one answer.
   */
  replaceIndex(next: SearchIndex): void {
    this.pendingIndex = next;
    if (this.searching === 0) this.applyPendingIndex();
  }

  private searching = 0;
  private pendingIndex?: SearchIndex;

  private applyPendingIndex(): void {
    if (!this.pendingIndex) return;
    (this as { index: SearchIndex }).index = this.pendingIndex;
    this.pendingIndex = undefined;
    this.anchors = undefined;
  }

  async search(question: string, opts: SearchOptions = {}): Promise<SearchResult> {
    this.searching++;
    try {
      return await this.searchIndex(question, opts);
    } finally {
      if (--this.searching === 0) this.applyPendingIndex();
    }
  }

  private async searchIndex(question: string, opts: SearchOptions): Promise<SearchResult> {
    const k = opts.k ?? 5;
    const kinds = opts.kind ? new Set(Array.isArray(opts.kind) ? opts.kind : [opts.kind]) : undefined;
    const allow = kinds ? (label: number) => kinds.has(this.index.kinds[label]) : undefined;
    const pq = this.prepare(question);
    if (!pq.corrected.trim()) return { results: [], confidence: 0 };

    const lexHits = this.index.lexical.search(pq.terms, CANDIDATES, allow);
    const q = this.index.space.centre(await this.embedder.embedQuery([pq.corrected, ...pq.expansions].join('\n')));
    const n = Math.min(CANDIDATES, this.index.chunks.length);
    const raw = n > 0 ? this.index.vector.index.searchKnn(q.vector, n, allow) : { neighbors: [], distances: [] };

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
    const ranked = [...fused].sort((a, b) => b[1].score - a[1].score || a[0] - b[0]).slice(0, Math.max(k, 3, VALIDITY_POOL));
    this.preferNamedProcedure(ranked, pq);
    const scored: (ScoredChunk & { label: number })[] = ranked.map(([label, e]) => ({
      ...plainChunk(this.index.chunks[label]),
      label,
      score: e.score,
      lexicalRank: e.lexicalRank,
      vectorRank: e.vectorRank,
      vectorSimilarity: e.sim,
    }));
    // In-force documents before comparably relevant repealed ones, unless the question asks for the old rule.
    const relevance = (r: ScoredChunk) => combineConfidence(confidenceFeatures(pq, (r as ScoredChunk & { label: number }).label, this.index.lexical, this.synonyms, r.vectorSimilarity ?? 0));
    const results = rankByValidity(scored, question, { relevance });
    this.anchors ??= buildAnchors(this.index.chunks, this.synonyms);
    const judged = opts.confidenceFor !== undefined ? this.prepare(opts.confidenceFor) : pq;
    const anchored = isAnchored(judged.corrected, this.anchors);
    // Off-topic questions share single syllables with the corpus by chance; without domain words, trust less.
    const confidence = Math.round(this.confidence(judged, results.slice(0, 3)) * (anchored ? 1 : UNANCHORED_FACTOR) * 1000) / 1000;
    return { results: results.slice(0, k).map(({ label: _l, keywords: _k, ...c }) => c), confidence, anchored };
  }

  /**
   * Tie-break between the first two passages: when the runner-up's document is the one the question names
   * ("làm giấy khai sinh") and the leader's title only extends it with things the question does not mention
   * ("Liên thông khai sinh – thường trú – BHYT"), the named, more specific procedure goes first.
   */
  private preferNamedProcedure(ranked: [number, { score: number }][], pq: PreparedQuery): void {
    if (ranked.length < 2) return;
    const [a, b] = [this.index.chunks[ranked[0][0]].citation, this.index.chunks[ranked[1][0]].citation];
    if (a.docId === b.docId || a.kind !== 'procedure' || b.kind !== 'procedure') return;
    const q = new Set(foldedTokens([pq.corrected, ...pq.expansions].join(' ')));
    const ta = contentSyllables(a.title);
    const tb = contentSyllables(b.title);
    const setA = new Set(ta);
    const bNamed = tb.length >= 2 && tb.every((t) => q.has(t) && setA.has(t));
    const asked = new Set(foldedTokens(pq.corrected));
    const aExtra = ta.filter((t) => !tb.includes(t));
    if (bNamed && aExtra.length > 0 && aExtra.every((t) => !asked.has(t))) {
      ranked[1][1].score = ranked[0][1].score + 1e-6;
      [ranked[0], ranked[1]] = [ranked[1], ranked[0]];
    }
  }

  private anchors?: Set<string>;

  /** Confidence: how well the best of the top passages explains the question (see confidence.ts). */
  private confidence(pq: PreparedQuery, top: (ScoredChunk & { label: number })[]): number {
    let best = 0;
    for (const c of top) {
      const f = confidenceFeatures(pq, c.label, this.index.lexical, this.synonyms, c.vectorSimilarity ?? 0);
      best = Math.max(best, combineConfidence(f));
    }
    return best;
  }

  /** Features of the top passages, for tuning and diagnostics. */
  async explain(question: string): Promise<{ id: string; features: ConfidenceFeatures }[]> {
    const pq = this.prepare(question);
    const { results } = await this.search(question, { k: 3 });
    return results.map((r) => {
      const label = this.index.chunks.findIndex((c) => c.id === r.id);
      return { id: r.id, features: confidenceFeatures(pq, label, this.index.lexical, this.synonyms, r.vectorSimilarity ?? 0) };
    });
  }
}
