import type { Embeddings } from '@langchain/core/embeddings';
import { Document } from '@langchain/core/documents';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { SynchronousInMemoryDocstore } from '@langchain/community/stores/doc/in_memory';
import hnswlib from 'hnswlib-node';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Chunk } from './types';

type HierarchicalNSW = InstanceType<typeof hnswlib.HierarchicalNSW>;

/** HNSW graph parameters. LangChain's wrapper would use efConstruction 200 (slow builds) and ef 10 (poor recall). */
export const HNSW_M = 16;
export const HNSW_EF_CONSTRUCTION = 100;

export function chunkToDocument(c: Chunk): Document {
  return new Document({ pageContent: c.text, metadata: { id: c.id, citation: c.citation, headingPath: c.headingPath, keywords: c.keywords } });
}

/**
 * LangChain's docstore over our chunk array: label i is chunk i. Documents are made when asked for, so the chunks
 * (whose texts stay on disk once loaded) are not copied into a second, JSON-backed map.
 */
export class ChunkDocstore extends SynchronousInMemoryDocstore {
  constructor(private readonly chunks: Chunk[]) {
    super();
  }

  override search(id: string): Document {
    const c = this.chunks[Number(id)];
    if (!c) throw new Error(`ID ${id} not found.`);
    return chunkToDocument(c);
  }

  override add(): void {
    throw new Error('The chunk docstore is rebuilt by ingest, not added to');
  }
}

/** A growing HNSW index (cosine, label = chunk position): points can be added as they are embedded. */
export class VectorIndexBuilder {
  private index?: HierarchicalNSW;
  private capacity = 0;
  dimension = 0;

  add(label: number, vector: ArrayLike<number>): void {
    if (!this.index) {
      this.dimension = vector.length;
      this.index = new hnswlib.HierarchicalNSW('cosine', this.dimension);
      this.capacity = Math.max(1024, label + 1);
      this.index.initIndex(this.capacity, HNSW_M, HNSW_EF_CONSTRUCTION, 42);
    } else if (vector.length !== this.dimension) {
      throw new Error(`Embedding dimension changed from ${this.dimension} to ${vector.length}`);
    }
    if (label >= this.capacity) {
      this.capacity = Math.max(label + 1, this.capacity * 2);
      this.index.resizeIndex(this.capacity);
    }
    this.index.addPoint(Array.from(vector), label);
  }

  /** The finished graph, trimmed to its `count` points (labels 0..count-1). */
  finish(count: number): HierarchicalNSW {
    if (!this.index) throw new Error('No vectors were added to the index');
    if (this.index.getCurrentCount() !== count) throw new Error(`HNSW holds ${this.index.getCurrentCount()} vectors for ${count} chunks`);
    this.index.resizeIndex(count);
    return this.index;
  }
}

/** The LangChain store over a graph, with the chunks as its docstore. */
export function wrapVectorStore(embeddings: Embeddings, index: HierarchicalNSW, chunks: Chunk[]): HNSWLib {
  return new HNSWLib(embeddings, { space: 'cosine', numDimensions: index.getNumDimensions(), index, docstore: new ChunkDocstore(chunks) });
}

/** Build the LangChain HNSWLib store from precomputed vectors (label i = chunk i). */
export function buildVectorStore(embeddings: Embeddings, chunks: Chunk[], vectors: ArrayLike<number>[]): HNSWLib {
  const b = new VectorIndexBuilder();
  for (let i = 0; i < vectors.length; i++) b.add(i, vectors[i]);
  return wrapVectorStore(embeddings, b.finish(chunks.length), chunks);
}

/** The graph and its parameters (the chunks are saved by chunk-store.ts). */
export async function saveVectorStore(index: HierarchicalNSW, dir: string): Promise<void> {
  await index.writeIndex(path.join(dir, 'hnswlib.index'));
  // The file LangChain's HNSWLib.save writes beside the graph.
  writeFileSync(path.join(dir, 'args.json'), JSON.stringify({ space: 'cosine', numDimensions: index.getNumDimensions() }));
}

export async function loadVectorStore(dir: string, embeddings: Embeddings, chunks: Chunk[], ef: number): Promise<HNSWLib> {
  const args = JSON.parse(readFileSync(path.join(dir, 'args.json'), 'utf8')) as { space: 'cosine' | 'l2' | 'ip'; numDimensions: number };
  const index = new hnswlib.HierarchicalNSW(args.space, args.numDimensions);
  await index.readIndex(path.join(dir, 'hnswlib.index'));
  if (index.getCurrentCount() !== chunks.length) throw new Error(`${dir}/hnswlib.index holds ${index.getCurrentCount()} vectors for ${chunks.length} chunks`);
  index.setEf(ef);
  return new HNSWLib(embeddings, { space: args.space, numDimensions: args.numDimensions, index, docstore: new ChunkDocstore(chunks) });
}
