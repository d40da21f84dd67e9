import { Embeddings } from '@langchain/core/embeddings';
import { describe, expect, it } from 'vitest';
import { CHUNKER_VERSION, INDEX_FORMAT, type Manifest, type SearchIndex } from '../../src/search/index-store';
import { chunkTerms } from '../../src/search/index-terms';
import { buildLexicalIndex } from '../../src/search/lexical-builder';
import { buildGraph } from '../../src/search/vector';
import { VectorSpace } from '../../src/search/vector-space';
import { Retriever } from '../../src/search/retriever';
import type { Chunk } from '../../src/domain/corpus';

/**
 * Rank fusion with vectors under the test's control: the embedder places each chunk by a marker in its text, so
 * one chunk can be first in the lexical list but absent from the vector candidates, and another second
 * lexically but first by vector.
 */
const DIM = 8;
const unit = (v: number[]) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const QUERY_VEC = unit([1, 0, 0, 0, 0, 0, 0, 0]);

/** Build every index structure from chunks held in memory and their vectors. */
function assembleIndex(manifest: Manifest, chunks: Chunk[], vectors: ArrayLike<number>[]): SearchIndex {
  // A generator, not chunks.map(): each document's term map is garbage as soon as its postings are copied.
  const lexical = buildLexicalIndex(
    (function* () {
      for (const c of chunks) yield chunkTerms(c);
    })(),
  );
  const dim = manifest.embedder.dimension;
  const units = vectors.map((v) => VectorSpace.unit(v));
  const sum = new Float64Array(dim);
  for (const u of units) for (let i = 0; i < dim; i++) sum[i] += u[i];
  const space = VectorSpace.fit(sum, units.length);
  const built = buildGraph(chunks.length, dim, (l) => units[l], space);
  const index: SearchIndex = {
    manifest: { ...manifest, vectorCentre: space.toJSON() },
    chunks,
    kinds: chunks.map((c) => c.citation.kind),
    lexical,
    vector: built.graph,
    space: new VectorSpace(space.origin, built.stats),
  };
  return index;
}

class MarkerEmbeddings extends Embeddings {
  readonly id = 'marker-test:8';
  dimension = DIM;
  constructor() {
    super({});
  }
  vectorOf(text: string): number[] {
    if (text.includes('vecexact')) return QUERY_VEC;
    if (text.includes('vecfar')) return unit([-1, 0, 0, 0, 0, 0, 0, 0]);
    // Fillers: close to the query but not identical, each slightly different, on both sides of it (the graph is
    // centred on the corpus mean, so "away from the query" must hold around the mean too).
    const m = /filler(\d+)/.exec(text);
    const i = m ? Number(m[1]) : 0;
    return unit([1, (i % 2 ? 1 : -1) * (0.1 + i * 0.01), 0.05, 0, 0, 0, 0, 0]);
  }
  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.vectorOf(t));
  }
  async embedQuery(_text: string): Promise<number[]> {
    return QUERY_VEC;
  }
}

function chunk(id: string, text: string): Chunk {
  return {
    id,
    text,
    citation: { docId: id, title: `Tài liệu ${id}`, source: `tin-tuc/${id}.md`, kind: 'news' },
    headingPath: [`Tài liệu ${id}`],
  };
}

async function build() {
  const embedder = new MarkerEmbeddings();
  const chunks: Chunk[] = [
    // Lexically the best (the query word three times) but pointing away from the query vector.
    chunk('lex-only', 'xylophon xylophon xylophon nhạc cụ gõ vecfar'),
    // Lexically second (the word once, longer text) and the nearest vector.
    chunk('both', 'xylophon là một nhạc cụ gõ bằng gỗ có nhiều thanh dài ngắn khác nhau vecexact'),
  ];
  // 55 fillers fill the 50 vector candidates, so "lex-only" is not among them.
  for (let i = 0; i < 55; i++) chunks.push(chunk(`filler-${i}`, `bài viết filler${i} về một chủ đề khác hẳn`));
  const vectors = await embedder.embedDocuments(chunks.map((c) => c.text));
  const manifest: Manifest = {
    format: INDEX_FORMAT,
    chunkerVersion: CHUNKER_VERSION,
    embedder: { id: embedder.id, dimension: DIM },
    createdAt: new Date(0).toISOString(),
    chunkCount: chunks.length,
    files: {},
    chunkHashes: [],
    vectorCentre: [],
  };
  const index = assembleIndex(manifest, chunks, vectors);
  index.vector.setEf(100);
  return new Retriever(index, embedder);
}

describe('hybrid fusion', () => {
  it('a chunk found by both lists outranks one found by the lexical list alone, even ranked first there', async () => {
    const retriever = await build();
    const { results } = await retriever.search('xylophon', { k: 10 });
    const both = results.findIndex((r) => r.id === 'both');
    const lexOnly = results.findIndex((r) => r.id === 'lex-only');
    expect(both).toBe(0);
    expect(lexOnly).toBeGreaterThan(both);
    expect(results[both]).toMatchObject({ lexicalRank: 2, vectorRank: 1 });
    expect(results[lexOnly]).toMatchObject({ lexicalRank: 1 });
    expect(results[lexOnly].vectorRank).toBeUndefined();
  });

  it('a chunk found by both lists outranks chunks found by the vector list alone', async () => {
    const retriever = await build();
    const { results } = await retriever.search('xylophon', { k: 10 });
    const vectorOnly = results.filter((r) => r.lexicalRank === undefined);
    expect(vectorOnly.length).toBeGreaterThan(0);
    for (const r of vectorOnly) expect(r.score).toBeLessThan(results[0].score);
  });

  it('vector similarity is reported for vector hits', async () => {
    const retriever = await build();
    const { results } = await retriever.search('xylophon', { k: 3 });
    expect(results[0].vectorSimilarity).toBeCloseTo(1, 4);
  });
});
