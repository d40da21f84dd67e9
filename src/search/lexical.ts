import { closeSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readExactly, writeAll } from './file-io';
import { gallop, kthLargest } from './typed-arrays';
import type { WeightedTerm } from '../text';

export const K1 = 1.2;
export const B = 0.75;
/** Impacts are 16-bit fractions of their term's largest possible contribution. */
export const QUANT = 0xffff;
/** bm25.bin layout version: 2 = 16-bit impacts. */
const FORMAT = 2;

function bm25Idf(docCount: number, df: number): number {
  return Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
}

/** Below this many postings a query is cheap enough to score in full. */
const PRUNE_MIN_POSTINGS = 20_000;
/** Relative safety margin on pruning bounds, far above float32 rounding of a sum of a few dozen terms. */
const PRUNE_EPS = 1e-4;

export interface LexicalHit {
  doc: number;
  score: number;
}

/**
 * BM25 as a flat inverted index in typed arrays with precomputed impacts: a query is a few array scans into one
 * Float32Array accumulator. An impact is the saturated term frequency f / (f + k1 (1 - b + b dl / avgdl)) in 16
 * bits (2 bytes a posting instead of a float's 4, ~75 MB less at 100,000 chunks; relative error under 1e-5); the
 * term's idf (k1 + 1) / 65535 multiplies the query weight once. Generic full-text libraries were 25-150x slower at 100,000 chunks (see DESIGN.md).
 */
export class LexicalIndex {
  private readonly termIds: Map<string, number>;
  private accumulator: Float32Array;
  private touched?: Uint32Array;
  private candidates?: Uint32Array;
  private marks?: Uint8Array;
  private maxImpact?: Float32Array;
  private readonly scale: Float64Array;

  private constructor(
    readonly terms: string[],
    private readonly offsets: Uint32Array,
    private readonly docIds: Uint32Array,
    private readonly impacts: Uint16Array,
    readonly docCount: number,
  ) {
    this.termIds = new Map(terms.map((t, i) => [t, i]));
    this.accumulator = new Float32Array(docCount);
    this.scale = new Float64Array(terms.length);
    for (let t = 0; t < terms.length; t++)
      this.scale[t] = (bm25Idf(docCount, offsets[t + 1] - offsets[t]) * (K1 + 1)) / QUANT;
  }

  /** The index over arrays sorted by LexicalBuilder (lexical-builder.ts). */
  static fromArrays(
    terms: string[],
    offsets: Uint32Array,
    docIds: Uint32Array,
    impacts: Uint16Array,
    docCount: number,
  ): LexicalIndex {
    return new LexicalIndex(terms, offsets, docIds, impacts, docCount);
  }

  has(term: string): boolean {
    return this.termIds.has(term);
  }

  docFreq(term: string): number {
    const t = this.termIds.get(term);
    return t === undefined ? 0 : this.offsets[t + 1] - this.offsets[t];
  }

  idf(term: string): number {
    return bm25Idf(this.docCount, this.docFreq(term));
  }

  /** Does document `doc` contain `term`? (binary search in the term's postings) */
  contains(term: string, doc: number): boolean {
    const t = this.termIds.get(term);
    return t !== undefined && this.posting(t, doc) >= 0;
  }

  /** The term's id, for callers that test one term against many documents (see hasId). */
  termId(term: string): number | undefined {
    return this.termIds.get(term);
  }

  /** contains() by term id. */
  hasId(t: number, doc: number): boolean {
    return this.posting(t, doc) >= 0;
  }

  /** Index of `doc` in term t's postings, or -1. */
  private posting(t: number, doc: number): number {
    let lo = this.offsets[t];
    let hi = this.offsets[t + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.docIds[mid];
      if (v === doc) return mid;
      if (v < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /**
   * The k best of a few given documents (the chunks of a named document): each is looked up in each term's
   * postings, instead of scanning every posting and filtering (the whole corpus for common terms).
   */
  searchWithin(query: WeightedTerm[], docs: number[], k: number): LexicalHit[] {
    const terms = query.flatMap(({ term, weight }) => {
      const t = this.termIds.get(term);
      return t === undefined || !(weight > 0) ? [] : [{ t, w: weight * this.scale[t] }];
    });
    const hits: LexicalHit[] = [];
    for (const doc of docs) {
      let score = 0;
      for (const { t, w } of terms) {
        const i = this.posting(t, doc);
        if (i >= 0) score += w * this.impacts[i];
      }
      if (score > 0) hits.push({ doc, score });
    }
    return hits.sort((a, b) => b.score - a.score || a.doc - b.doc).slice(0, k);
  }

  /**
   * The k best documents for a weighted OR query, best first (ties: lower doc first).
   *
   * Exact, with term-at-a-time MaxScore pruning: terms are scored in decreasing order of their largest possible
   * contribution; once the contributions left cannot lift an unseen document into the current top k, the common
   * terms are no longer scanned in full, only looked up for the few documents that can still make it. The result
   * is identical to scoring every posting (scores are recomputed in query order, ties broken as the full scan
   * would), but a 40-term query at 100,000 chunks reads a fraction of its ~1.3 million postings.
   */
  search(query: WeightedTerm[], k: number, allow?: (doc: number) => boolean): LexicalHit[] {
    if (k <= 0) return [];
    if (allow) return this.searchAll(query, k, allow);
    const { offsets, docIds, impacts } = this;
    const maxImpact = this.termMaxImpacts();
    const q: { t: number; weight: number; ub: number; df: number }[] = [];
    let postings = 0;
    for (const { term, weight } of query) {
      const t = this.termIds.get(term);
      if (t === undefined) continue;
      if (!(weight > 0)) return this.searchAll(query, k, allow);
      const df = offsets[t + 1] - offsets[t];
      const w = weight * this.scale[t];
      q.push({ t, weight: w, ub: w * maxImpact[t], df });
      postings += df;
    }
    if (postings < PRUNE_MIN_POSTINGS || postings < 4 * k) return this.searchAll(query, k, allow);

    const order = [...q].sort((a, b) => b.ub - a.ub || a.df - b.df);
    const rest = new Float64Array(order.length + 1); // rest[i]: largest total the terms order[i..] can still add
    for (let i = order.length - 1; i >= 0; i--) rest[i] = rest[i + 1] + order[i].ub;

    const acc = this.accumulator;
    const touched = (this.touched ??= new Uint32Array(this.docCount));
    let nTouched = 0;
    let stop = order.length;
    let theta = 0;
    const scanTerm = (o: number) => {
      const { t, weight } = order[o];
      for (let i = offsets[t], end = offsets[t + 1]; i < end; i++) {
        const d = docIds[i];
        if (acc[d] === 0) touched[nTouched++] = d;
        acc[d] += weight * impacts[i];
      }
    };
    for (let o = 0; o < order.length; o++) {
      // Worth checking when this term costs at least half of what the check costs.
      if (nTouched >= k && order[o].df * 2 >= nTouched) {
        theta = kthLargest(acc, touched, nTouched, k);
        if (rest[o] * (1 + PRUNE_EPS) < theta * (1 - PRUNE_EPS)) {
          stop = o;
          break;
        }
      }
      scanTerm(o);
    }
    let nCand = 0;
    const cand = (this.candidates ??= new Uint32Array(this.docCount));
    if (stop === order.length) {
      // Every posting read: the k-th partial score is (up to float rounding) the k-th final score.
      theta = nTouched >= k ? kthLargest(acc, touched, nTouched, k) : 0;
      const limit = theta * (1 - PRUNE_EPS);
      for (let j = 0; j < nTouched; j++) if (acc[touched[j]] * (1 + PRUNE_EPS) >= limit) cand[nCand++] = touched[j];
    } else {
      // Only documents whose partial score plus everything unread can reach the k-th partial score remain; the
      // unread terms are added to them alone (looked up, or scanned when that is cheaper), pruning after each.
      let limit = theta * (1 - PRUNE_EPS);
      for (let j = 0; j < nTouched; j++)
        if ((acc[touched[j]] + rest[stop]) * (1 + PRUNE_EPS) >= limit) cand[nCand++] = touched[j];
      const mark = (this.marks ??= new Uint8Array(this.docCount));
      cand.subarray(0, nCand).sort(); // doc order, kept by the pruning below
      for (let o = stop; o < order.length && nCand > 0; o++) {
        const docs = cand;
        const { t, weight, df } = order[o];
        const end = offsets[t + 1];
        if (nCand * (2 + Math.log2(1 + df / nCand)) < df) {
          let lo = offsets[t];
          for (let c = 0; c < nCand && lo < end; c++) {
            const d = docs[c];
            lo = gallop(docIds, lo, end, d);
            if (lo < end && docIds[lo] === d) acc[d] += weight * impacts[lo];
          }
        } else {
          for (let c = 0; c < nCand; c++) mark[docs[c]] = 1;
          for (let i = offsets[t]; i < end; i++) if (mark[docIds[i]]) acc[docIds[i]] += weight * impacts[i];
          for (let c = 0; c < nCand; c++) mark[docs[c]] = 0;
        }
        if (nCand >= k) {
          const th = kthLargest(acc, cand, nCand, k);
          if (th > theta) theta = th;
        }
        limit = theta * (1 - PRUNE_EPS);
        let kept = 0;
        for (let c = 0; c < nCand; c++)
          if ((acc[cand[c]] + rest[o + 1]) * (1 + PRUNE_EPS) >= limit) cand[kept++] = cand[c];
        nCand = kept;
      }
    }
    for (let j = 0; j < nTouched; j++) acc[touched[j]] = 0;
    const docs = cand.subarray(0, nCand).sort();
    // Exact scores in query order (as the full scan sums them, in float32), and the query term that first touches
    // each document, which is where the full scan would have met it.
    const score = new Float32Array(nCand);
    const first = new Int32Array(nCand).fill(-1);
    let qi = 0;
    for (const { term, weight: w } of query) {
      const t = this.termIds.get(term);
      qi++;
      if (t === undefined) continue;
      const weight = w * this.scale[t];
      let lo = offsets[t];
      const end = offsets[t + 1];
      for (let c = 0; c < nCand && lo < end; c++) {
        const d = docs[c];
        lo = gallop(docIds, lo, end, d);
        if (lo < end && docIds[lo] === d) {
          score[c] += weight * impacts[lo];
          if (first[c] < 0) first[c] = qi;
        }
      }
    }
    // The full scan keeps, among equal scores, the document it met first: order by (score, first term, doc).
    const idx = Array.from({ length: nCand }, (_, c) => c);
    idx.sort((a, b) => score[b] - score[a] || first[a] - first[b] || docs[a] - docs[b]);
    return idx
      .slice(0, k)
      .map((c) => ({ doc: docs[c], score: score[c] }))
      .sort((a, b) => b.score - a.score || a.doc - b.doc);
  }

  /** Largest contribution each term can make to a score (its largest impact), computed once. */
  private termMaxImpacts(): Float32Array {
    if (this.maxImpact) return this.maxImpact;
    const m = new Float32Array(this.terms.length);
    const { offsets, impacts } = this;
    for (let t = 0; t < m.length; t++) {
      let x = 0;
      for (let i = offsets[t], end = offsets[t + 1]; i < end; i++) if (impacts[i] > x) x = impacts[i];
      m[t] = x;
    }
    return (this.maxImpact = m);
  }

  /** Score every posting of every query term (no pruning). */
  private searchAll(query: WeightedTerm[], k: number, allow?: (doc: number) => boolean): LexicalHit[] {
    const acc = this.accumulator;
    // Documents with a non-zero accumulator, in a reused typed array: no Array#push in the hot loop (pdf-parse's
    // core-js replaces Array.prototype.push process-wide with a slower JS version) and no garbage per query.
    const touched = (this.touched ??= new Uint32Array(this.docCount));
    const { offsets, docIds, impacts } = this;
    let nTouched = 0;
    for (const { term, weight: w } of query) {
      const t = this.termIds.get(term);
      // A zero weight would leave acc[d] at 0 and list d in `touched` once per posting.
      if (t === undefined || !(w > 0)) continue;
      const weight = w * this.scale[t];
      for (let i = offsets[t], end = offsets[t + 1]; i < end; i++) {
        const d = docIds[i];
        if (acc[d] === 0) touched[nTouched++] = d;
        acc[d] += weight * impacts[i];
      }
    }
    // Keep the k best in a small sorted array: touched can be the whole corpus for common terms.
    const best: LexicalHit[] = [];
    for (let j = 0; j < nTouched; j++) {
      const d = touched[j];
      const score = acc[d];
      acc[d] = 0;
      if (allow && !allow(d)) continue;
      if (best.length < k) {
        best.push({ doc: d, score });
        if (best.length === k) best.sort((a, b) => b.score - a.score);
      } else if (score > best[k - 1].score) {
        let i = k - 1;
        while (i > 0 && best[i - 1].score < score) {
          best[i] = best[i - 1];
          i--;
        }
        best[i] = { doc: d, score };
      }
    }
    return best.sort((a, b) => b.score - a.score || a.doc - b.doc);
  }

  save(dir: string, name = 'bm25'): void {
    const header = { version: FORMAT, docCount: this.docCount, terms: this.terms.length, postings: this.docIds.length };
    writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ ...header, vocabulary: this.terms }));
    // The three arrays one after the other, written from their own memory (no concatenated copy: ~300 MB at
    // 100,000 chunks).
    const fd = openSync(path.join(dir, `${name}.bin`), 'w');
    try {
      for (const a of [this.offsets, this.docIds, this.impacts])
        writeAll(fd, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    } finally {
      closeSync(fd);
    }
  }

  static load(dir: string, name = 'bm25'): LexicalIndex {
    const head = JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')) as {
      version: number;
      docCount: number;
      terms: number;
      postings: number;
      vocabulary: string[];
    };
    if (head.version !== FORMAT) throw new Error(`Unsupported lexical index version ${head.version}`);
    // Read straight into one aligned ArrayBuffer (readFileSync + slice held the file twice).
    const file = path.join(dir, `${name}.bin`);
    const o = (head.terms + 1) * 4;
    const p = head.postings * 4;
    const size = o + p + head.postings * 2;
    if (statSync(file).size !== size) throw new Error(`Lexical index ${name}.bin is truncated`);
    const ab = new ArrayBuffer(size);
    const fd = openSync(file, 'r');
    try {
      readExactly(fd, new Uint8Array(ab), 0, `Lexical index ${name}.bin`);
    } finally {
      closeSync(fd);
    }
    return new LexicalIndex(
      head.vocabulary,
      new Uint32Array(ab, 0, head.terms + 1),
      new Uint32Array(ab, o, head.postings),
      new Uint16Array(ab, o + p, head.postings),
      head.docCount,
    );
  }
}
