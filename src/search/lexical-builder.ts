import { closeSync, openSync, rmSync } from 'node:fs';
import { readExactly, writeAll } from './file-io';
import { B, K1, LexicalIndex, QUANT } from './lexical';

/**
 * Collects documents' term frequencies one at a time, as postings in document order (term id and frequency, 5 bytes
 * each), then sorts them by term into the index. Streaming, so ingest never holds every document's term map; with
 * `spillFile` the postings go to disk in blocks as they fill and are read back once by `finish`, so the build never
 * holds them and the finished arrays at the same time (~180 MB at 100,000 chunks).
 */
export class LexicalBuilder {
  private readonly termIds = new Map<string, number>();
  private readonly terms: string[] = [];
  private df = new Uint32Array(1 << 16);
  private readonly block: number;
  private blockTerm: Uint32Array;
  // BM25 saturates long before 255 occurrences; a byte keeps the build buffer small.
  private blockTf: Uint8Array;
  private at = 0;
  private readonly blocks: { term: Uint32Array; tf: Uint8Array }[] = [];
  private spilled = 0;
  private fd?: number;
  private readonly lengths: number[] = [];
  private readonly ends: number[] = [];
  private postings = 0;

  private readonly spillFile?: string;

  /** blockSize: postings per block (tests make it small to cross block boundaries). */
  constructor(opts: { spillFile?: string; blockSize?: number } = {}) {
    this.block = opts.blockSize ?? 1 << 20;
    this.blockTerm = new Uint32Array(this.block);
    this.blockTf = new Uint8Array(this.block);
    this.spillFile = opts.spillFile;
    if (this.spillFile) this.fd = openSync(this.spillFile, 'w+');
  }

  get docCount(): number {
    return this.lengths.length;
  }

  add(tf: Map<string, number>): void {
    const { termIds, terms } = this;
    let len = 0;
    for (const [term, n] of tf) {
      let id = termIds.get(term);
      if (id === undefined) {
        id = terms.length;
        // A fresh copy: a token sliced from a document's text would keep the whole file's string alive.
        const own = Buffer.from(term, 'utf8').toString('utf8');
        termIds.set(own, id);
        terms.push(own);
        if (id === this.df.length) {
          const grown = new Uint32Array(this.df.length * 2);
          grown.set(this.df);
          this.df = grown;
        }
      }
      this.df[id]++;
      if (this.at === this.block) this.endBlock();
      this.blockTerm[this.at] = id;
      this.blockTf[this.at++] = Math.min(n, 0xff);
      len += n;
    }
    this.postings += tf.size;
    this.lengths.push(len);
    this.ends.push(this.postings);
  }

  private endBlock(): void {
    if (this.fd !== undefined) {
      writeAll(this.fd, new Uint8Array(this.blockTerm.buffer, 0, this.at * 4));
      writeAll(this.fd, this.blockTf.subarray(0, this.at));
      this.spilled++;
    } else {
      this.blocks.push({ term: this.blockTerm, tf: this.blockTf });
      this.blockTerm = new Uint32Array(this.block);
      this.blockTf = new Uint8Array(this.block);
    }
    this.at = 0;
  }

  /** Postings block b: from memory, from the spill file, or the block being filled. */
  private *readBlocks(): Generator<{ term: Uint32Array; tf: Uint8Array; length: number }> {
    const size = this.block;
    if (this.fd !== undefined) {
      const term = new Uint32Array(size);
      const tf = new Uint8Array(size);
      const termBytes = new Uint8Array(term.buffer);
      for (let b = 0; b < this.spilled; b++) {
        const pos = b * size * 5;
        readExactly(this.fd, termBytes, pos, 'Lexical index spill file');
        readExactly(this.fd, tf, pos + size * 4, 'Lexical index spill file');
        yield { term, tf, length: size };
      }
    } else {
      // Shifted off as they are read, so each block is garbage once sorted.
      for (let b = this.blocks.shift(); b; b = this.blocks.shift()) yield { ...b, length: size };
    }
    yield { term: this.blockTerm, tf: this.blockTf, length: this.at };
  }

  finish(): LexicalIndex {
    const { terms, lengths, ends } = this;
    const doc = lengths.length;
    const n = this.postings;
    // Counting sort of postings by term keeps each term's postings contiguous and in doc order.
    const offsets = new Uint32Array(terms.length + 1);
    for (let t = 0; t < terms.length; t++) offsets[t + 1] = offsets[t] + this.df[t];
    const cursor = offsets.slice(0, terms.length);
    const docIds = new Uint32Array(n);
    const impacts = new Uint16Array(n);
    const avgdl = lengths.reduce((a, b) => a + b, 0) / Math.max(1, doc);
    let i = 0;
    let d = -1;
    let end = 0;
    let lengthNorm = 0;
    try {
      for (const block of this.readBlocks()) {
        for (let j = 0; j < block.length; j++, i++) {
          while (i >= end) {
            d++;
            end = ends[d];
            lengthNorm = K1 * (1 - B + (B * lengths[d]) / avgdl);
          }
          const t = block.term[j];
          const f = block.tf[j];
          const at = cursor[t]++;
          docIds[at] = d;
          // The term-frequency part of BM25 in (0, 1), to 16 bits; the idf goes into the term's scale.
          impacts[at] = Math.max(1, Math.round((f / (f + lengthNorm)) * QUANT));
        }
      }
    } finally {
      this.close();
    }
    this.termIds.clear();
    return LexicalIndex.fromArrays(terms, offsets, docIds, impacts, doc);
  }

  /** Release the spill file (also on failure: the caller removes the staging directory). */
  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.spillFile!, { force: true });
  }
}

/** The index of documents given as term-frequency maps, in memory (tests, small corpora, the evaluation). */
export function buildLexicalIndex(docs: Iterable<Map<string, number>>): LexicalIndex {
  const b = new LexicalBuilder();
  for (const tf of docs) b.add(tf);
  return b.finish();
}
