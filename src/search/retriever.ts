import { collapseWhitespace, nfc } from '../text/normalize';
import { QUESTION_WORDS } from '../text/stopwords';
import { contentSyllables, foldedTokens, queryTerms, type WeightedTerm } from '../text/terms';
import { expansions, loadSynonyms, type SynonymDictionary } from '../text/synonyms';
import type { IndexEmbedder } from './embedder';
import type { SearchIndex } from './index-store';
import { correctSyllable } from './typos';
import type { DocKind, ScoredChunk, SearchResult } from './types';

export interface SearchOptions {
  k?: number;
  kind?: DocKind | DocKind[];
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

const RRF_K = 60;
const CANDIDATES = 50;
const EXPANSION_WEIGHT = 0.5;

/** Hybrid retrieval: BM25 over folded/accented syllables and bigrams + HNSW vectors, merged by RRF. */
export class Retriever {
  readonly synonyms: SynonymDictionary;

  constructor(
    readonly index: SearchIndex,
    private readonly embedder: IndexEmbedder,
    synonyms?: SynonymDictionary,
  ) {
    this.synonyms = synonyms ?? loadSynonyms();
  }

  prepare(question: string): PreparedQuery {
    const q = collapseWhitespace(nfc(question));
    // Typo correction works on folded syllables; keep the user's accented words when they are known.
    const words = q.split(' ');
    const corrections = new Map<string, string>();
    const fixed = words.map((w) => {
      const f = foldedTokens(w);
      if (f.length !== 1) return w;
      const c = correctSyllable(f[0], this.index.lexical);
      if (c === f[0]) return w;
      corrections.set(f[0], c);
      return c;
    });
    const corrected = fixed.join(' ');
    const exp = expansions(corrected, this.synonyms);
    const terms = new Map<string, number>();
    for (const t of queryTerms(corrected)) terms.set(t.term, t.weight);
    for (const e of exp) for (const t of queryTerms(e, EXPANSION_WEIGHT)) terms.set(t.term, Math.max(terms.get(t.term) ?? 0, t.weight));
    return { original: q, corrected, corrections, expansions: exp, terms: [...terms].map(([term, weight]) => ({ term, weight })) };
  }

  async search(question: string, opts: SearchOptions = {}): Promise<SearchResult> {
    const k = opts.k ?? 5;
    const kinds = opts.kind ? new Set(Array.isArray(opts.kind) ? opts.kind : [opts.kind]) : undefined;
    const allow = kinds ? (label: number) => kinds.has(this.index.kinds[label]) : undefined;
    const pq = this.prepare(question);
    if (!pq.corrected.trim()) return { results: [], confidence: 0 };

    const lexHits = this.index.lexical.search(pq.terms, CANDIDATES, allow);
    const qvec = await this.embedder.embedQuery([pq.corrected, ...pq.expansions].join('\n'));
    const store = this.index.vector;
    const n = Math.min(CANDIDATES, this.index.chunks.length);
    const filter = kinds ? (doc: { metadata: Record<string, unknown> }) => kinds.has((doc.metadata.citation as { kind: DocKind }).kind) : undefined;
    const raw = n > 0 ? store.index.searchKnn(qvec, n, filter ? (label: number) => filter(store.docstore.search(String(label))) : undefined) : { neighbors: [], distances: [] };

    const fused = new Map<number, { score: number; lexicalRank?: number; vectorRank?: number; sim?: number }>();
    lexHits.forEach((h, r) => fused.set(h.doc, { score: 1 / (RRF_K + r + 1), lexicalRank: r + 1 }));
    raw.neighbors.forEach((label, r) => {
      const e = fused.get(label) ?? { score: 0 };
      e.score += 1 / (RRF_K + r + 1);
      e.vectorRank = r + 1;
      e.sim = 1 - raw.distances[r];
      fused.set(label, e);
    });
    // Chunks of a procedure/regulation whose title the question names ("làm giấy khai sinh" -> "Đăng ký khai sinh")
    // get one more RRF vote, so the plain procedure beats the longer ones that merely contain its name.
    this.titleRanking(pq).forEach((docId, r) => {
      for (const [label, e] of fused) if (this.index.chunks[label].citation.docId === docId) e.score += 1 / (RRF_K + r + 1);
    });
    const ranked = [...fused].sort((a, b) => b[1].score - a[1].score || a[0] - b[0]).slice(0, Math.max(k, 3));
    const results: (ScoredChunk & { label: number })[] = ranked.map(([label, e]) => ({
      ...this.index.chunks[label],
      label,
      score: e.score,
      lexicalRank: e.lexicalRank,
      vectorRank: e.vectorRank,
      vectorSimilarity: e.sim,
    }));
    const confidence = this.confidence(pq, results.slice(0, 3), qvec);
    return { results: results.slice(0, k).map(({ label: _l, indexText: _t, ...c }) => c), confidence };
  }

  private titleTokens?: Map<string, string[]>;

  /** Documents whose whole title (content syllables) appears in the question or its expansions, shortest first. */
  private titleRanking(pq: PreparedQuery): string[] {
    if (!this.titleTokens) {
      this.titleTokens = new Map();
      for (const c of this.index.chunks) {
        if (!this.titleTokens.has(c.citation.docId)) this.titleTokens.set(c.citation.docId, contentSyllables(c.citation.title));
      }
    }
    const q = new Set(foldedTokens([pq.corrected, ...pq.expansions].join(' ')));
    const hits: { docId: string; len: number }[] = [];
    for (const [docId, toks] of this.titleTokens) {
      if (toks.length >= 2 && toks.length <= 12 && toks.every((t) => q.has(t))) hits.push({ docId, len: toks.length });
    }
    return hits.sort((a, b) => b.len - a.len).map((h) => h.docId);
  }

  /**
   * How much of the question the best passages explain: the IDF-weighted share of the question's content
   * syllables found in a top passage (a syllable also counts when a synonym of its phrase is there), blended
   * with the vector similarity. Words the corpus never uses weigh most, so an off-topic question scores low.
   */
  private confidence(pq: PreparedQuery, top: (ScoredChunk & { label: number })[], _qvec: number[]): number {
    if (!top.length) return 0;
    const lex = this.index.lexical;
    const syl = contentSyllables(pq.original).filter((t) => !QUESTION_WORDS.has(t));
    if (!syl.length) return 0;
    const maxIdf = Math.log(1 + (lex.docCount + 0.5) / 0.5);
    const weight = (t: string) => {
      const c = pq.corrections.get(t) ?? t;
      return lex.has(c) ? Math.max(lex.idf(c), 0.5) : maxIdf;
    };
    const total = syl.reduce((a, t) => a + weight(t), 0);
    let best = 0;
    for (const c of top) {
      const credit = new Map<string, number>();
      for (const t of syl) {
        if (lex.contains(t, c.label)) credit.set(t, 1);
        else if (pq.corrections.has(t) && lex.contains(pq.corrections.get(t)!, c.label)) credit.set(t, 0.8);
      }
      for (const e of pq.expansions) {
        const et = contentSyllables(e);
        if (!et.length || !et.every((t) => lex.contains(t, c.label))) continue;
        // The phrase this expansion came from is explained by the passage.
        for (const t of syl) if (!credit.has(t) && this.phraseSourceHas(pq.corrected, e, pq.corrections.get(t) ?? t)) credit.set(t, 0.9);
      }
      const coverage = syl.reduce((a, t) => a + weight(t) * (credit.get(t) ?? 0), 0) / total;
      const sim = c.vectorSimilarity ?? 0;
      best = Math.max(best, 0.75 * coverage + 0.25 * Math.min(1, sim / 0.6));
    }
    return Math.round(best * 1000) / 1000;
  }

  /** True when syllable `t` of the question belongs to a phrase that is a synonym of `expansion`. */
  private phraseSourceHas(question: string, expansion: string, t: string): boolean {
    const q = foldedTokens(question);
    for (const g of this.synonyms.groups) {
      if (!g.phrases.includes(expansion)) continue;
      for (const toks of g.tokens) {
        if (!toks.includes(t)) continue;
        for (let i = 0; i + toks.length <= q.length; i++) if (toks.every((x, j) => q[i + j] === x)) return true;
      }
    }
    return false;
  }
}
