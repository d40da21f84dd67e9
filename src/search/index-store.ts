import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { IndexEmbedder } from './embedder';
import { LexicalIndex } from './lexical';
import { loadChunks } from './chunk-store';
import { loadGraph, saveGraph, type HierarchicalNSW } from './vector';
import { VectorSpace } from './vector-space';
import type { Chunk, DocKind } from '../domain';

/** 2: chunks in chunks.json + texts.bin instead of LangChain's docstore.json; centred graph + vectors.f32. */
export const INDEX_FORMAT = 2;
/** Bump when splitting or index text changes, so unchanged files are re-chunked (vectors are still reused by hash). */
export const CHUNKER_VERSION = 10;

export interface FileEntry {
  hash: string;
  size: number;
  mtimeMs: number;
  /** Labels [first, first + count) of this file's chunks. */
  first: number;
  count: number;
  /** Size and mtime of the document's `<file>.meta.yaml`, when it has one (its bytes are part of `hash`). */
  meta?: { size: number; mtimeMs: number };
  /** When this content was read and split (ISO time; kept while the file is unchanged). */
  indexedAt?: string;
  /** Pages of a PDF, and how many were read with OCR. */
  pages?: number;
  ocrPages?: number;
  /** Problems that did not stop the file (bad metadata, pages OCR could not read). */
  warnings?: string[];
}

/** A corpus file that is not in the index, and why. */
export interface FileProblem {
  source: string;
  status: 'skipped' | 'failed';
  reason: string;
}

export interface Manifest {
  format: number;
  chunkerVersion: number;
  embedder: { id: string; dimension: number };
  createdAt: string;
  chunkCount: number;
  files: Record<string, FileEntry>;
  /** Per label: hash of the chunk's index text, to reuse vectors across re-ingests. */
  chunkHashes: string[];
  /** The point the graph is centred on: CENTRING x the mean of the unit embeddings (vector-space.ts). */
  vectorCentre: number[];
  /** Files of the corpus that were skipped or failed in the build (shown on the documents page). */
  problems?: FileProblem[];
}

export interface SearchIndex {
  manifest: Manifest;
  chunks: Chunk[];
  kinds: DocKind[];
  lexical: LexicalIndex;
  /** The HNSW graph over the centred vectors (label = chunk position). */
  vector: HierarchicalNSW;
  /** The centred space the graph lives in: queries go through `space.centre`. */
  space: VectorSpace;
}

export class IndexMismatchError extends Error {}

export function readManifest(dir: string): Manifest | undefined {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file)) return undefined;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    return m.format === INDEX_FORMAT ? m : undefined;
  } catch {
    return undefined;
  }
}

export { indexTextOf } from './index-terms';

/**
 * The directory an index is built in before it replaces `dir`. Staging directories of ingests that died (killed
 * mid-build: their process is gone) are removed first; at 100,000 chunks each is over 500 MB.
 */
export function stagingDir(dir: string): string {
  const parent = path.dirname(dir);
  const prefix = `${path.basename(dir)}.tmp-`;
  if (existsSync(parent)) {
    for (const f of readdirSync(parent)) {
      const pid = Number(f.slice(prefix.length));
      if (f.startsWith(prefix) && Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) {
        rmSync(path.join(parent, f), { recursive: true, force: true });
      }
    }
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  return tmp;
}

/** Is process `pid` running (on this machine)? */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Write the graph, its point statistics, BM25 and the manifest into the staging directory (chunks and raw vectors
 * are already there) and swap it in.
 */
export async function commitIndex(
  parts: Pick<SearchIndex, 'manifest' | 'lexical' | 'space'> & { graph: HierarchicalNSW },
  tmp: string,
  dir: string,
): Promise<void> {
  await saveGraph(parts.graph, tmp);
  const stats = parts.space.stats;
  writeFileSync(path.join(tmp, STATS), new Uint8Array(stats.buffer, stats.byteOffset, stats.byteLength));
  parts.lexical.save(tmp);
  writeFileSync(path.join(tmp, 'manifest.json'), JSON.stringify(parts.manifest));
  swapIndexDir(tmp, dir);
}

/**
 * Replace `dir` by `tmp` so an interrupted ingest leaves the previous index usable. The swap is two renames;
 * `recoverIndexDir` finishes it if the process died between them.
 */
function swapIndexDir(tmp: string, dir: string): void {
  const old = `${dir}.old-${process.pid}`;
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}

export function recoverIndexDir(dir: string): void {
  if (existsSync(path.join(dir, 'manifest.json'))) return;
  const parent = path.dirname(dir);
  if (!existsSync(parent)) return;
  const base = path.basename(dir);
  const old = readdirSync(parent).find(
    (f) => f.startsWith(`${base}.old-`) && existsSync(path.join(parent, f, 'manifest.json')),
  );
  if (old) {
    rmSync(dir, { recursive: true, force: true });
    renameSync(path.join(parent, old), dir);
  }
}

export async function loadIndex(dir: string, embedder: IndexEmbedder, ef: number): Promise<SearchIndex> {
  recoverIndexDir(dir);
  const manifest = readManifest(dir);
  if (!manifest) throw new Error(`No index at ${dir}: run "npm run ingest" first.`);
  if (manifest.embedder.id !== embedder.id) {
    throw new IndexMismatchError(
      `The index at ${dir} was built with embedder "${manifest.embedder.id}" but "${embedder.id}" is configured; it must be rebuilt (npm run ingest).`,
    );
  }
  const chunks = loadChunks(dir, manifest.chunkCount);
  const vector = await loadGraph(dir, chunks.length, ef);
  const space = new VectorSpace(Float32Array.from(manifest.vectorCentre), readStats(dir, manifest.chunkCount));
  const lexical = LexicalIndex.load(dir);
  return { manifest, chunks, kinds: chunks.map((c) => c.citation.kind), lexical, vector, space };
}

const STATS = 'vector-stats.f32';

function readStats(dir: string, count: number): Float32Array {
  const buf = readFileSync(path.join(dir, STATS));
  if (buf.length !== count * 8)
    throw new Error(`${path.join(dir, STATS)} does not match the index (${buf.length} bytes for ${count} chunks)`);
  const out = new Float32Array(2 * count);
  new Uint8Array(out.buffer).set(buf);
  return out;
}
