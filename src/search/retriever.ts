import { collapseWhitespace, nfc } from '../text/normalize';
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
  /** The question after NFC, whitespace clean-up and typo correction (folded syllables). */
  corrected: string;
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
    const fixed = words.map((w) => {
      const f = foldedTokens(w);
      if (f.length !== 1) return w;
      const c = correctSyllable(f[0], this.index.lexical);
      return c === f[0] ? w : c;
    });
    const corrected = fixed.join(' ');
    const exp = expansions(corrected, this.synonyms);
    const terms = new Map<string, number>();
    for (const t of queryTerms(corrected)) terms.set(t.term, t.weight);
    for (const e of exp) for (const t of queryTerms(e, EXPANSION_WEIGHT)) terms.set(t.term, Math.max(terms.get(t.term) ?? 0, t.weight));
    return { corrected, expansions: exp, terms: [...terms].map(([term, weight]) => ({ term, weight })) };
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

  /**
   * How much of the question the best passages explain: the IDF-weighted share of the question's content
   * syllables found in a top passage (a syllable also counts when a synonym of its phrase is there), blended
   * with the vector similarity. Words the corpus never uses weigh most, so an off-topic question scores low.
   */
  private confidence(pq: PreparedQuery, top: (ScoredChunk & { label: number })[], _qvec: number[]): number {
    if (!top.length) return 0;
    const lex = this.index.lexical;
    const syl = contentSyllables(pq.corrected);
    if (!syl.length) return 0;
    const maxIdf = Math.log(1 + (lex.docCount + 0.5) / 0.5);
    const weight = (t: string) => (lex.has(t) ? lex.idf(t) : maxIdf);
    const total = syl.reduce((a, t) => a + weight(t), 0);
    let best = 0;
    for (const c of top) {
      const covered = new Set(syl.filter((t) => lex.contains(t, c.label)));
      for (const e of pq.expansions) {
        const et = contentSyllables(e);
        if (et.length && et.every((t) => lex.contains(t, c.label))) {
          // The phrase this expansion came from is explained by the passage.
          for (const t of syl) if (this.phraseSourceHas(pq.corrected, e, t)) covered.add(t);
        }
      }
      const coverage = [...covered].reduce((a, t) => a + weight(t), 0) / total;
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
