import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WeightedTerm } from '../text/terms';

const K1 = 1.2;
const B = 0.75;

/**
 * Append-only typed buffer in fixed blocks: no copy and no 2x over-allocation when it grows (the build holds one
 * entry per posting, tens of millions at 100,000 chunks).
 */
class BlockBuilder<A extends Uint32Array | Uint16Array> {
  static readonly BITS = 20;
  static readonly SIZE = 1 << BlockBuilder.BITS;
  readonly blocks: A[] = [];
  private cur: A;
  private at = 0;
  length = 0;
  constructor(private readonly make: (n: number) => A) {
    this.cur = make(BlockBuilder.SIZE);
    this.blocks.push(this.cur);
  }
  push(x: number) {
    if (this.at === BlockBuilder.SIZE) {
      this.cur = this.make(BlockBuilder.SIZE);
      this.blocks.push(this.cur);
      this.at = 0;
    }
    this.cur[this.at++] = x;
    this.length++;
  }
}

export interface LexicalHit {
  doc: number;
  score: number;
}

/**
 * BM25 as a flat inverted index in typed arrays with precomputed impacts: a query is a few array scans into one
 * Float32Array accumulator. Generic full-text libraries were 25-150x slower at 100,000 chunks (see DESIGN.md).
 */
export class LexicalIndex {
  private readonly termIds: Map<string, number>;
  private accumulator: Float32Array;

  private constructor(
    readonly terms: string[],
    private readonly offsets: Uint32Array,
    private readonly docIds: Uint32Array,
    private readonly impacts: Float32Array,
    readonly docCount: number,
  ) {
    this.termIds = new Map(terms.map((t, i) => [t, i]));
    this.accumulator = new Float32Array(docCount);
  }

  static build(docs: Iterable<Map<string, number>>): LexicalIndex {
    const termIds = new Map<string, number>();
    const terms: string[] = [];
    // Postings in document order: term id and frequency (6 bytes each); a document's postings end at ends[doc].
    const pTerm = new BlockBuilder((n) => new Uint32Array(n));
    const pTf = new BlockBuilder((n) => new Uint16Array(n));
    const lengths: number[] = [];
    const ends: number[] = [];
    let doc = 0;
    for (const tf of docs) {
      let len = 0;
      for (const [term, n] of tf) {
        let id = termIds.get(term);
        if (id === undefined) {
          id = terms.length;
          termIds.set(term, id);
          terms.push(term);
        }
        pTerm.push(id);
        pTf.push(Math.min(n, 0xffff));
        len += n;
      }
      lengths.push(len);
      ends.push(pTerm.length);
      doc++;
    }
    const n = pTerm.length;
    const BITS = BlockBuilder.BITS;
    const MASK = BlockBuilder.SIZE - 1;
    // Counting sort of postings by term keeps each term's postings contiguous and in doc order.
    const offsets = new Uint32Array(terms.length + 1);
    for (let i = 0; i < n; i++) offsets[pTerm.blocks[i >>> BITS][i & MASK] + 1]++;
    for (let t = 0; t < terms.length; t++) offsets[t + 1] += offsets[t];
    const cursor = offsets.slice(0, terms.length);
    const docIds = new Uint32Array(n);
    const impacts = new Float32Array(n);
    const avgdl = lengths.reduce((a, b) => a + b, 0) / Math.max(1, doc);
    const idfs = new Float64Array(terms.length);
    for (let t = 0; t < terms.length; t++) {
      const df = offsets[t + 1] - offsets[t];
      idfs[t] = Math.log(1 + (doc - df + 0.5) / (df + 0.5));
    }
    let i = 0;
    for (let d = 0; d < doc; d++) {
      const lengthNorm = K1 * (1 - B + (B * lengths[d]) / avgdl);
      for (const end = ends[d]; i < end; i++) {
        const t = pTerm.blocks[i >>> BITS][i & MASK];
        const f = pTf.blocks[i >>> BITS][i & MASK];
        const at = cursor[t]++;
        docIds[at] = d;
        impacts[at] = (idfs[t] * (f * (K1 + 1))) / (f + lengthNorm);
      }
    }
    return new LexicalIndex(terms, offsets, docIds, impacts, doc);
  }

  has(term: string): boolean {
    return this.termIds.has(term);
  }

  docFreq(term: string): number {
    const t = this.termIds.get(term);
    return t === undefined ? 0 : this.offsets[t + 1] - this.offsets[t];
  }

  idf(term: string): number {
    const df = this.docFreq(term);
    return Math.log(1 + (this.docCount - df + 0.5) / (df + 0.5));
  }

  /** Does document `doc` contain `term`? (binary search in the term's postings) */
  contains(term: string, doc: number): boolean {
    const t = this.termIds.get(term);
    if (t === undefined) return false;
    let lo = this.offsets[t];
    let hi = this.offsets[t + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.docIds[mid];
      if (v === doc) return true;
      if (v < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  search(query: WeightedTerm[], k: number, allow?: (doc: number) => boolean): LexicalHit[] {
    const acc = this.accumulator;
    const touched: number[] = [];
    for (const { term, weight } of query) {
      const t = this.termIds.get(term);
      if (t === undefined) continue;
      for (let i = this.offsets[t], end = this.offsets[t + 1]; i < end; i++) {
        const d = this.docIds[i];
        if (acc[d] === 0) touched.push(d);
        acc[d] += weight * this.impacts[i];
      }
    }
    // Keep the k best in a small sorted array: touched can be the whole corpus for common terms.
    const best: LexicalHit[] = [];
    for (const d of touched) {
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
    const header = { version: 1, docCount: this.docCount, terms: this.terms.length, postings: this.docIds.length };
    writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ ...header, vocabulary: this.terms }));
    const buf = Buffer.alloc(this.offsets.byteLength + this.docIds.byteLength + this.impacts.byteLength);
    Buffer.from(this.offsets.buffer, this.offsets.byteOffset, this.offsets.byteLength).copy(buf, 0);
    Buffer.from(this.docIds.buffer, this.docIds.byteOffset, this.docIds.byteLength).copy(buf, this.offsets.byteLength);
    Buffer.from(this.impacts.buffer, this.impacts.byteOffset, this.impacts.byteLength).copy(buf, this.offsets.byteLength + this.docIds.byteLength);
    writeFileSync(path.join(dir, `${name}.bin`), buf);
  }

  static load(dir: string, name = 'bm25'): LexicalIndex {
    const head = JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')) as {
      version: number;
      docCount: number;
      terms: number;
      postings: number;
      vocabulary: string[];
    };
    if (head.version !== 1) throw new Error(`Unsupported lexical index version ${head.version}`);
    const raw = readFileSync(path.join(dir, `${name}.bin`));
    // Copy into a fresh, aligned ArrayBuffer (a Buffer may sit at any offset of a shared pool).
    const ab = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
    const o = (head.terms + 1) * 4;
    const p = head.postings * 4;
    if (ab.byteLength !== o + 2 * p) throw new Error(`Lexical index ${name}.bin is truncated`);
    return new LexicalIndex(head.vocabulary, new Uint32Array(ab, 0, head.terms + 1), new Uint32Array(ab, o, head.postings), new Float32Array(ab, o + p, head.postings), head.docCount);
  }
}
