import type { Embeddings } from '@langchain/core/embeddings';
import { Document } from '@langchain/core/documents';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { SynchronousInMemoryDocstore } from '@langchain/community/stores/doc/in_memory';
import hnswlib from 'hnswlib-node';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Chunk } from './types';
import type { VectorSpace } from './vector-space';

export type HierarchicalNSW = InstanceType<typeof hnswlib.HierarchicalNSW>;

/** HNSW graph parameters. LangChain's wrapper would use efConstruction 200 (slow builds) and ef 10 (poor recall). */
export const HNSW_M = 16;
export const HNSW_EF_CONSTRUCTION = 100;

export function chunkToDocument(c: Chunk): Document {
  return new Document({
    pageContent: c.text,
    metadata: { id: c.id, citation: c.citation, headingPath: c.headingPath, keywords: c.keywords },
  });
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

/**
 * The HNSW graph of `count` raw vectors in the centred space (label = chunk position), and each point's n and a
 * (see vector-space.ts). `rawAt` may reuse one buffer between calls.
 */
export function buildGraph(
  count: number,
  dimension: number,
  rawAt: (label: number) => ArrayLike<number>,
  space: VectorSpace,
): { graph: HierarchicalNSW; stats: Float32Array } {
  const graph = new hnswlib.HierarchicalNSW('cosine', dimension);
  graph.initIndex(Math.max(1, count), HNSW_M, HNSW_EF_CONSTRUCTION, 42);
  const stats = new Float32Array(2 * count);
  for (let label = 0; label < count; label++) {
    const raw = rawAt(label);
    if (raw.length !== dimension) throw new Error(`Embedding dimension changed from ${dimension} to ${raw.length}`);
    const p = space.centre(raw);
    graph.addPoint(p.vector, label);
    stats[2 * label] = p.norm;
    stats[2 * label + 1] = p.dotMean;
  }
  return { graph, stats };
}

/** The LangChain store over a graph, with the chunks as its docstore. */
export function wrapVectorStore(embeddings: Embeddings, index: HierarchicalNSW, chunks: Chunk[]): HNSWLib {
  return new HNSWLib(embeddings, {
    space: 'cosine',
    numDimensions: index.getNumDimensions(),
    index,
    docstore: new ChunkDocstore(chunks),
  });
}

/** The graph and its parameters (the chunks are saved by chunk-store.ts). */
export async function saveVectorStore(index: HierarchicalNSW, dir: string): Promise<void> {
  await index.writeIndex(path.join(dir, 'hnswlib.index'));
  // The file LangChain's HNSWLib.save writes beside the graph.
  writeFileSync(
    path.join(dir, 'args.json'),
    JSON.stringify({ space: 'cosine', numDimensions: index.getNumDimensions() }),
  );
}

export async function loadVectorStore(
  dir: string,
  embeddings: Embeddings,
  chunks: Chunk[],
  ef: number,
): Promise<HNSWLib> {
  const args = JSON.parse(readFileSync(path.join(dir, 'args.json'), 'utf8')) as {
    space: 'cosine' | 'l2' | 'ip';
    numDimensions: number;
  };
  const index = new hnswlib.HierarchicalNSW(args.space, args.numDimensions);
  await index.readIndex(path.join(dir, 'hnswlib.index'));
  if (index.getCurrentCount() !== chunks.length)
    throw new Error(`${dir}/hnswlib.index holds ${index.getCurrentCount()} vectors for ${chunks.length} chunks`);
  index.setEf(ef);
  return new HNSWLib(embeddings, {
    space: args.space,
    numDimensions: args.numDimensions,
    index,
    docstore: new ChunkDocstore(chunks),
  });
}
