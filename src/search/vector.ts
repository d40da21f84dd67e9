import hnswlib from 'hnswlib-node';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { VectorSpace } from './vector-space';

export type HierarchicalNSW = InstanceType<typeof hnswlib.HierarchicalNSW>;

/** HNSW graph parameters (hnswlib-node's own defaults are efConstruction 200, slow builds, and ef 10, poor recall). */
const HNSW_M = 16;
const HNSW_EF_CONSTRUCTION = 100;

const GRAPH_FILE = 'hnswlib.index';
const ARGS_FILE = 'args.json';

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

/** The graph and its parameters (the chunks are saved by chunk-store.ts). */
export async function saveGraph(graph: HierarchicalNSW, dir: string): Promise<void> {
  await graph.writeIndex(path.join(dir, GRAPH_FILE));
  writeFileSync(
    path.join(dir, ARGS_FILE),
    JSON.stringify({ space: 'cosine', numDimensions: graph.getNumDimensions() }),
  );
}

/** The saved graph of an index of `count` chunks, searching with breadth `ef`. */
export async function loadGraph(dir: string, count: number, ef: number): Promise<HierarchicalNSW> {
  const args = JSON.parse(readFileSync(path.join(dir, ARGS_FILE), 'utf8')) as {
    space: 'cosine' | 'l2' | 'ip';
    numDimensions: number;
  };
  const graph = new hnswlib.HierarchicalNSW(args.space, args.numDimensions);
  await graph.readIndex(path.join(dir, GRAPH_FILE));
  if (graph.getCurrentCount() !== count)
    throw new Error(`${dir}/${GRAPH_FILE} holds ${graph.getCurrentCount()} vectors for ${count} chunks`);
  graph.setEf(ef);
  return graph;
}
