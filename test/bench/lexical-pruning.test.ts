import { describe, expect, it } from 'vitest';
import { Rng } from '../../scripts/bench-corpus';
import type { LexicalIndex, LexicalHit } from '../../src/search/lexical';
import { buildLexicalIndex } from '../../src/search/lexical-builder';
import type { WeightedTerm } from '../../src/text/terms';

// LexicalIndex.search prunes (MaxScore) once a query reads enough postings; it must return exactly what scoring
// every posting returns: same documents, same float32 scores, same order, ties included.

/** Zipf-like vocabulary: a few terms in most documents, many rare ones, like syllables and bigrams of real text. */
function corpus(docs: number, seed: number): Map<string, number>[] {
  const rng = new Rng(seed);
  const out: Map<string, number>[] = [];
  for (let d = 0; d < docs; d++) {
    const tf = new Map<string, number>();
    const len = rng.int(20, 160);
    for (let i = 0; i < len; i++) {
      const rank = Math.floor(Math.exp(rng.next() * Math.log(5000)));
      const term = `t${rank}`;
      tf.set(term, (tf.get(term) ?? 0) + 1);
    }
    // Duplicated documents give exactly equal scores: the tie-breaking must match too.
    out.push(tf);
    if (d % 97 === 0) {
      out.push(new Map(tf));
      d++;
    }
  }
  return out;
}

function fullScan(idx: LexicalIndex, q: WeightedTerm[], k: number): LexicalHit[] {
  // A filter that accepts everything takes the unpruned path.
  return idx.search(q, k, () => true);
}

describe('LexicalIndex.search with pruning', () => {
  const idx = buildLexicalIndex(corpus(12_000, 1));
  const rng = new Rng(2);
  const queries: WeightedTerm[][] = [];
  for (let i = 0; i < 150; i++) {
    const n = rng.int(1, 45);
    const q: WeightedTerm[] = [];
    for (let j = 0; j < n; j++) {
      const rank = rng.chance(0.5) ? rng.int(1, 30) : Math.floor(Math.exp(rng.next() * Math.log(6000)));
      q.push({ term: `t${rank}`, weight: rng.pick([1, 1.5, 0.5, 0.3, 0.2041, 0.0612]) });
    }
    if (rng.chance(0.1)) q.push(q[0]); // a repeated term counts twice
    if (rng.chance(0.1)) q.push({ term: 'not-in-vocabulary', weight: 1 });
    queries.push(q);
  }

  it('returns exactly what a full scan returns', () => {
    // Most queries read enough postings (over 20,000) for the pruned path to run.
    const big = queries.filter((q) => q.reduce((a, t) => a + idx.docFreq(t.term), 0) >= 20_000).length;
    expect(big).toBeGreaterThan(60);
    let compared = 0;
    for (const q of queries) {
      for (const k of [1, 5, 10, 50, 200]) {
        expect(idx.search(q, k)).toEqual(fullScan(idx, q, k));
        compared++;
      }
    }
    expect(compared).toBe(750);
  });

  it('leaves the index clean between queries', () => {
    const q = queries[3];
    const a = idx.search(q, 10);
    for (const other of queries.slice(0, 20)) idx.search(other, 50);
    expect(idx.search(q, 10)).toEqual(a);
  });

  it('handles empty, unknown and tiny queries', () => {
    expect(idx.search([], 10)).toEqual([]);
    expect(idx.search([{ term: 'nope', weight: 1 }], 10)).toEqual([]);
    expect(idx.search([{ term: 't1', weight: 1 }], 0)).toEqual([]);
    const rare = [{ term: 't4999', weight: 1 }];
    expect(idx.search(rare, 10)).toEqual(fullScan(idx, rare, 10));
  });
});
