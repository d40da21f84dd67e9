import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { IndexEmbedder } from '../search/embedder';
import {
  CHUNKER_VERSION,
  INDEX_FORMAT,
  assembleIndex,
  indexTextOf,
  readManifest,
  recoverIndexDir,
  saveIndex,
  type FileEntry,
  type Manifest,
  type SearchIndex,
} from '../search/index-store';
import { chunksOf, loadVectorStore } from '../search/vector';
import type { Chunk } from '../search/types';
import { chunkDocument } from './chunk';
import { LoadError, SUPPORTED_EXTENSIONS, loadFile } from './loaders';

export class IngestError extends Error {}

export type FileStatus = 'indexed' | 'unchanged' | 'skipped' | 'failed';

export interface IngestReport {
  indexed: number;
  unchanged: number;
  skipped: number;
  failed: number;
  deleted: number;
  chunks: number;
  embedded: number;
  durationMs: number;
  problems: { source: string; status: 'skipped' | 'failed'; reason: string }[];
}

export interface IngestProgress {
  phase: 'scan' | 'load' | 'embed' | 'build';
  done: number;
  total: number;
  source?: string;
}

export interface IngestOptions {
  corpusDir: string;
  indexDir: string;
  embedder: IndexEmbedder;
  ef?: number;
  onProgress?: (p: IngestProgress) => void;
  /** Called for each skipped or failed file as it happens. */
  onProblem?: (p: IngestReport['problems'][number]) => void;
}

const IGNORED = /^(\.|_|README\.md$|LICENSE)/i;

/** Corpus files, relative paths with forward slashes, sorted for a stable label order. */
export function scanCorpus(corpusDir: string): string[] {
  if (!existsSync(corpusDir) || !statSync(corpusDir).isDirectory()) {
    throw new IngestError(`Corpus directory not found: ${corpusDir} (set CORPUS_DIR)`);
  }
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(corpusDir, rel), { withFileTypes: true })) {
      if (IGNORED.test(e.name)) continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

export function hashFile(abs: string): string {
  return createHash('sha256').update(readFileSync(abs)).digest('hex');
}

function chunkHash(c: Chunk, embedderId: string): string {
  return createHash('sha1').update(embedderId).update('\0').update(indexTextOf(c)).digest('hex');
}

/** Why the index must be (re)built, or undefined when it is up to date with the corpus. */
export function indexStaleness(corpusDir: string, indexDir: string, embedderId: string): string | undefined {
  recoverIndexDir(indexDir);
  const m = readManifest(indexDir);
  if (!m) return 'no index yet';
  if (m.embedder.id !== embedderId) return `index was built with ${m.embedder.id}, configured embedder is ${embedderId}`;
  if (m.chunkerVersion !== CHUNKER_VERSION) return 'chunker changed';
  const files = scanCorpus(corpusDir).filter((f) => SUPPORTED_EXTENSIONS.includes(path.extname(f).toLowerCase()));
  const known = Object.keys(m.files);
  for (const f of files) {
    const e = m.files[f];
    if (!e) return `new file ${f}`;
    const st = statSync(path.join(corpusDir, f));
    if (st.size !== e.size || (st.mtimeMs !== e.mtimeMs && hashFile(path.join(corpusDir, f)) !== e.hash)) return `changed file ${f}`;
  }
  const present = new Set(files);
  const gone = known.find((f) => !present.has(f));
  return gone ? `deleted file ${gone}` : undefined;
}

/**
 * Incremental ingest: unchanged files keep their chunks and vectors, changed chunks reuse vectors by content hash,
 * only new text is embedded. The new index is written aside and swapped in.
 */
export async function ingest(opts: IngestOptions): Promise<{ report: IngestReport; index: SearchIndex }> {
  const started = Date.now();
  const { corpusDir, indexDir, embedder } = opts;
  const progress = opts.onProgress ?? (() => undefined);
  const report: IngestReport = { indexed: 0, unchanged: 0, skipped: 0, failed: 0, deleted: 0, chunks: 0, embedded: 0, durationMs: 0, problems: [] };
  const problem = (source: string, status: 'skipped' | 'failed', reason: string) => {
    report[status]++;
    report.problems.push({ source, status, reason });
    opts.onProblem?.({ source, status, reason });
  };

  const files = scanCorpus(corpusDir);
  if (files.length === 0) throw new IngestError(`Corpus directory ${corpusDir} is empty: add .md, .txt, .pdf, .docx or .html files.`);

  // The previous index, when built by the same embedder, supplies chunks and vectors to reuse.
  recoverIndexDir(indexDir);
  let prev = readManifest(indexDir);
  if (prev && prev.embedder.id !== embedder.id) prev = undefined;
  const prevStore = prev ? await loadVectorStore(indexDir, embedder, opts.ef ?? 100).catch(() => undefined) : undefined;
  if (!prevStore) prev = undefined;
  const prevChunks = prev && prevStore ? chunksOf(prevStore, prev.chunkCount) : [];
  const prevLabelByHash = new Map(prev?.chunkHashes.map((h, i) => [h, i]));

  const chunks: Chunk[] = [];
  const hashes: string[] = [];
  const entries: Record<string, FileEntry> = {};
  let i = 0;
  for (const source of files) {
    progress({ phase: 'load', done: i++, total: files.length, source });
    const abs = path.join(corpusDir, source);
    if (!SUPPORTED_EXTENSIONS.includes(path.extname(source).toLowerCase())) {
      problem(source, 'skipped', `unsupported file type "${path.extname(source) || '(none)'}"`);
      continue;
    }
    let st;
    let hash: string;
    try {
      st = statSync(abs);
      hash = hashFile(abs);
    } catch (err) {
      problem(source, 'failed', `cannot read file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      continue;
    }
    const old = prev?.files[source];
    let fileChunks: Chunk[];
    if (old && old.hash === hash && prev!.chunkerVersion === CHUNKER_VERSION) {
      fileChunks = prevChunks.slice(old.first, old.first + old.count);
      report.unchanged++;
    } else {
      try {
        fileChunks = chunkDocument(await loadFile(abs, source));
      } catch (err) {
        problem(source, 'failed', err instanceof LoadError ? err.reason : (err as Error).message);
        continue;
      }
      if (fileChunks.length === 0) {
        problem(source, 'failed', 'no text to index');
        continue;
      }
      report.indexed++;
    }
    entries[source] = { hash, size: st.size, mtimeMs: st.mtimeMs, first: chunks.length, count: fileChunks.length };
    for (const c of fileChunks) {
      chunks.push(c);
      hashes.push(chunkHash(c, embedder.id));
    }
  }
  progress({ phase: 'load', done: files.length, total: files.length });
  if (prev) report.deleted = Object.keys(prev.files).filter((f) => !entries[f]).length;
  if (chunks.length === 0) throw new IngestError('Nothing usable was indexed: every file was skipped or failed (see above).');

  // Reuse vectors by chunk hash; embed the rest in batches.
  const vectors: ArrayLike<number>[] = new Array(chunks.length);
  const todo: number[] = [];
  hashes.forEach((h, label) => {
    const prevLabel = prevLabelByHash.get(h);
    if (prevLabel !== undefined && prevStore) vectors[label] = Float32Array.from(prevStore.index.getPoint(prevLabel));
    else todo.push(label);
  });
  const BATCH = 256;
  for (let s = 0; s < todo.length; s += BATCH) {
    progress({ phase: 'embed', done: s, total: todo.length });
    const batch = todo.slice(s, s + BATCH);
    const vs = await embedder.embedDocuments(batch.map((l) => indexTextOf(chunks[l])));
    // Float32Array: half the memory of number[] (100,000 x 256 doubles would be over 200 MB).
    batch.forEach((l, j) => (vectors[l] = Float32Array.from(vs[j])));
  }
  progress({ phase: 'embed', done: todo.length, total: todo.length });
  report.embedded = todo.length;

  progress({ phase: 'build', done: 0, total: 1 });
  const dimension = vectors[0].length;
  const manifest: Manifest = {
    format: INDEX_FORMAT,
    chunkerVersion: CHUNKER_VERSION,
    embedder: { id: embedder.id, dimension },
    createdAt: new Date().toISOString(),
    chunkCount: chunks.length,
    files: entries,
    chunkHashes: hashes,
  };
  const index = assembleIndex(manifest, chunks, vectors, embedder);
  vectors.length = 0; // the HNSW index holds its own copy
  index.vector.index.setEf(opts.ef ?? 100);
  await saveIndex(index, indexDir);
  progress({ phase: 'build', done: 1, total: 1 });
  report.chunks = chunks.length;
  report.durationMs = Date.now() - started;
  return { report, index };
}
