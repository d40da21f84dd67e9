import type { Embeddings } from '@langchain/core/embeddings';
import { Document } from '@langchain/core/documents';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { SynchronousInMemoryDocstore } from '@langchain/community/stores/doc/in_memory';
import hnswlib from 'hnswlib-node';
import type { Chunk } from './types';

/** HNSW graph parameters. LangChain's wrapper would use efConstruction 200 (slow builds) and ef 10 (poor recall). */
export const HNSW_M = 16;
export const HNSW_EF_CONSTRUCTION = 100;

export function chunkToDocument(c: Chunk): Document {
  return new Document({ pageContent: c.text, metadata: { id: c.id, citation: c.citation, headingPath: c.headingPath, indexText: c.indexText, keywords: c.keywords } });
}

export function documentToChunk(d: Document): Chunk {
  const m = d.metadata as Pick<Chunk, 'id' | 'citation' | 'headingPath' | 'indexText' | 'keywords'>;
  return { id: m.id, text: d.pageContent, indexText: m.indexText, keywords: m.keywords, citation: m.citation, headingPath: m.headingPath };
}

/** Build the LangChain HNSWLib store from precomputed vectors (label i = chunk i), cosine space. */
export function buildVectorStore(embeddings: Embeddings, chunks: Chunk[], vectors: ArrayLike<number>[], dimension: number): HNSWLib {
  const index = new hnswlib.HierarchicalNSW('cosine', dimension);
  index.initIndex(Math.max(1, chunks.length), HNSW_M, HNSW_EF_CONSTRUCTION, 42);
  for (let i = 0; i < vectors.length; i++) index.addPoint(Array.from(vectors[i]), i);
  const docstore = new SynchronousInMemoryDocstore(new Map(chunks.map((c, i) => [String(i), chunkToDocument(c)])));
  return new HNSWLib(embeddings, { space: 'cosine', numDimensions: dimension, index, docstore });
}

export async function loadVectorStore(dir: string, embeddings: Embeddings, ef: number): Promise<HNSWLib> {
  const store = await HNSWLib.load(dir, embeddings);
  store.index.setEf(ef);
  return store;
}

/** Chunks in label order, read back from the store's docstore. */
export function chunksOf(store: HNSWLib, count: number): Chunk[] {
  const out: Chunk[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = documentToChunk(store.docstore.search(String(i)));
  return out;
}
