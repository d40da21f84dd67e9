import { createHash } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { ChunkWriter, loadChunks, plainChunk } from './chunk-store';
import { hashFile, IngestError, scanAll, sidecarStat } from './corpus-files';
import type { IndexEmbedder } from './embedder';
import {
  CHUNKER_VERSION,
  INDEX_FORMAT,
  commitIndex,
  indexTextOf,
  readManifest,
  recoverIndexDir,
  stagingDir,
  type FileEntry,
  type FileProblem,
  type Manifest,
  type SearchIndex,
} from './index-store';
import { chunkTerms } from './index-terms';
import { LexicalBuilder } from './lexical-builder';
import { buildGraph } from './vector';
import { RawVectorFile } from './vector-file';
import { VectorSpace } from './vector-space';
import type { Chunk } from '../domain';
import type { OcrEngine } from '../ocr';
import { chunkDocument, isSidecar, loadDocument, LoadError, SUPPORTED_EXTENSIONS } from '../ingest';

export type FileStatus = 'indexed' | 'unchanged' | 'skipped' | 'failed';

export interface IngestReport {
  indexed: number;
  unchanged: number;
  skipped: number;
  failed: number;
  /** Problems that did not stop a document (bad metadata: it was indexed without it). */
  warnings: number;
  deleted: number;
  chunks: number;
  embedded: number;
  durationMs: number;
  timings?: IngestTimings;
  problems: { source: string; status: 'skipped' | 'failed' | 'warning'; reason: string }[];
}

export interface IngestProgress {
  /** load: read, split, embed and index each file; build: sort BM25 postings, write and swap the index. */
  phase: 'scan' | 'load' | 'build';
  done: number;
  total: number;
  source?: string;
}

export interface IngestOptions {
  corpusDir: string;
  indexDir: string;
  embedder: IndexEmbedder;
  /** HNSW search breadth of the returned index (SEARCH_EF). */
  ef: number;
  onProgress?: (p: IngestProgress) => void;
  /** Called for each skipped or failed file as it happens. */
  onProblem?: (p: IngestReport['problems'][number]) => void;
  /** An index to reuse chunks and vectors from, when it is not `indexDir` itself (a new published version). */
  previousDir?: string;
  /** Reads PDF pages without a text layer (scans); without it they are skipped. */
  ocr?: OcrEngine;
  /** OCR progress inside the file being read. */
  onOcrPage?: (source: string, done: number, total: number) => void;
  /** Called once per corpus file with what became of it. */
  onFile?: (f: FileOutcome) => void;
}

export interface FileOutcome {
  source: string;
  status: FileStatus;
  chunks: number;
  pages?: number;
  ocrPages?: number;
  reason?: string;
}

const EMBED_BATCH = 256;

function chunkHash(indexText: string, embedderId: string): string {
  return createHash('sha1').update(embedderId).update('\0').update(indexText).digest('hex');
}

/** Where ingest spent its time, summed over the run (milliseconds). */
interface IngestTimings {
  /** Reading, cleaning and splitting files. */
  read: number;
  embed: number;
  /** Inserting vectors into the HNSW graph. */
  vector: number;
  /** Tokenising for BM25 and sorting its postings. */
  lexical: number;
  /** Writing the index files and swapping directories. */
  write: number;
}

/** Chunks and raw vectors of the previous index, to reuse by file and chunk hash. */
function previousIndex(
  indexDir: string,
  embedder: IndexEmbedder,
): { manifest: Manifest; chunks: Chunk[]; vectors: RawVectorFile } | undefined {
  recoverIndexDir(indexDir);
  const manifest = readManifest(indexDir);
  if (!manifest || manifest.embedder.id !== embedder.id) return undefined;
  try {
    const chunks = loadChunks(indexDir, manifest.chunkCount);
    return {
      manifest,
      chunks,
      vectors: RawVectorFile.open(path.join(indexDir, 'vectors.f32'), manifest.embedder.dimension),
    };
  } catch {
    return undefined;
  }
}

/**
 * Incremental, streaming ingest: each file is read, split, embedded (in batches) and added to the BM25 builder, and
 * its texts and raw vectors are written to disk, before the next file is read, so memory never holds the corpus
 * text or its vectors. The HNSW graph is built last, from the vectors on disk, once the corpus mean it is centred
 * on is known. Unchanged files keep their chunks, vectors are reused by content hash, only new text is embedded.
 * The new index is built aside and swapped in.
 */
export async function ingest(opts: IngestOptions): Promise<{ report: IngestReport; index: SearchIndex }> {
  const started = Date.now();
  const { corpusDir, indexDir, embedder } = opts;
  const progress = opts.onProgress ?? (() => undefined);
  const report: IngestReport = {
    indexed: 0,
    unchanged: 0,
    skipped: 0,
    failed: 0,
    warnings: 0,
    deleted: 0,
    chunks: 0,
    embedded: 0,
    durationMs: 0,
    problems: [],
  };
  const timings: IngestTimings = { read: 0, embed: 0, vector: 0, lexical: 0, write: 0 };
  const timed = <T>(key: keyof IngestTimings, f: () => T): T => {
    const t0 = performance.now();
    try {
      return f();
    } finally {
      timings[key] += performance.now() - t0;
    }
  };
  const problem = (source: string, status: 'skipped' | 'failed' | 'warning', reason: string) => {
    report[status === 'warning' ? 'warnings' : status]++;
    report.problems.push({ source, status, reason });
    opts.onProblem?.({ source, status, reason });
    if (status !== 'warning') opts.onFile?.({ source, status, chunks: 0, reason });
  };

  const { files, sidecars } = scanAll(corpusDir);
  if (files.length === 0)
    throw new IngestError(`Corpus directory ${corpusDir} is empty: add .md, .txt, .pdf, .docx or .html files.`);
  const present = new Set(files);
  for (const s of sidecars) {
    const doc = s.replace(/\.meta\.ya?ml$/i, '');
    if (!present.has(doc)) problem(s, 'warning', `metadata file without its document (expected ${doc} next to it)`);
  }

  const prev = previousIndex(opts.previousDir ?? indexDir, embedder);
  const prevLabelByHash = new Map(prev?.manifest.chunkHashes.map((h, i) => [h, i]));

  const tmp = stagingDir(indexDir);
  const writer = new ChunkWriter(tmp);
  const lexical = new LexicalBuilder({ spillFile: path.join(tmp, 'bm25.postings.tmp') });
  const vectors = RawVectorFile.create(path.join(tmp, 'vectors.f32'));
  let sum = new Float64Array(0);
  const store = (label: number, raw: ArrayLike<number>) => {
    const u = VectorSpace.unit(raw);
    if (!sum.length) sum = new Float64Array(u.length);
    vectors.write(label, u);
    for (let j = 0; j < u.length; j++) sum[j] += u[j];
  };
  const hashes: string[] = [];
  const entries: Record<string, FileEntry> = {};
  let queue: { label: number; text: string }[] = [];
  const embedQueued = async () => {
    if (!queue.length) return;
    const batch = queue;
    queue = [];
    const t0 = performance.now();
    const vs = await embedder.embedDocuments(batch.map((q) => q.text));
    timings.embed += performance.now() - t0;
    timed('write', () => batch.forEach((q, j) => store(q.label, vs[j])));
    report.embedded += batch.length;
  };

  try {
    let i = 0;
    for (const source of files) {
      progress({ phase: 'load', done: i++, total: files.length, source });
      const abs = path.join(corpusDir, source);
      if (!SUPPORTED_EXTENSIONS.includes(path.extname(source).toLowerCase())) {
        problem(source, 'skipped', `unsupported file type "${path.extname(source) || '(none)'}"`);
        continue;
      }
      let st: ReturnType<typeof statSync>;
      let hash: string;
      let meta: FileEntry['meta'];
      try {
        st = statSync(abs);
        hash = hashFile(abs);
        meta = sidecarStat(abs);
      } catch (err) {
        problem(source, 'failed', `cannot read file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        continue;
      }
      const old = prev?.manifest.files[source];
      let fileChunks: Chunk[];
      let about: Pick<FileEntry, 'indexedAt' | 'pages' | 'ocrPages' | 'warnings'>;
      let status: FileStatus;
      if (old && old.hash === hash && prev!.manifest.chunkerVersion === CHUNKER_VERSION) {
        fileChunks = prev!.chunks.slice(old.first, old.first + old.count);
        // An index from before these fields were kept: the file is at least as old as that build.
        about = {
          indexedAt: old.indexedAt ?? prev!.manifest.createdAt,
          pages: old.pages,
          ocrPages: old.ocrPages,
          warnings: old.warnings,
        };
        report.unchanged++;
        status = 'unchanged';
      } else {
        const t0 = performance.now();
        try {
          const raw = await loadDocument(abs, source, {
            ocr: opts.ocr,
            onOcrPage: opts.onOcrPage && ((d, t) => opts.onOcrPage!(source, d, t)),
          });
          for (const w of raw.warnings ?? []) problem(source, 'warning', w);
          fileChunks = chunkDocument(raw);
          about = {
            indexedAt: new Date().toISOString(),
            pages: raw.pageCount,
            ocrPages: raw.ocrPages,
            warnings: raw.warnings?.length ? raw.warnings : undefined,
          };
        } catch (err) {
          problem(source, 'failed', err instanceof LoadError ? err.reason : (err as Error).message);
          continue;
        } finally {
          timings.read += performance.now() - t0;
        }
        if (fileChunks.length === 0) {
          problem(source, 'failed', 'no text to index');
          continue;
        }
        report.indexed++;
        status = 'indexed';
      }
      for (const k of Object.keys(about) as (keyof typeof about)[]) if (about[k] === undefined) delete about[k];
      entries[source] = {
        hash,
        size: st.size,
        mtimeMs: st.mtimeMs,
        ...(meta ? { meta } : {}),
        first: writer.count,
        count: fileChunks.length,
        ...about,
      };
      opts.onFile?.({ source, status, chunks: fileChunks.length, pages: about.pages, ocrPages: about.ocrPages });
      for (const stored of fileChunks) {
        // One read of an unchanged chunk's text from the previous index, not one per use.
        const c = plainChunk(stored);
        const label = writer.count;
        const text = indexTextOf(c);
        const h = chunkHash(text, embedder.id);
        hashes.push(h);
        timed('lexical', () => lexical.add(chunkTerms(c)));
        const prevLabel = prevLabelByHash.get(h);
        if (prevLabel !== undefined && prev) timed('write', () => store(label, prev.vectors.read(prevLabel, 1)));
        else queue.push({ label, text });
        timed('write', () => writer.add(c));
      }
      if (queue.length >= EMBED_BATCH) await embedQueued();
    }
    await embedQueued();
    progress({ phase: 'load', done: files.length, total: files.length });
    timed('write', () => writer.close());
    if (prev) report.deleted = Object.keys(prev.manifest.files).filter((f) => !entries[f]).length;
    if (writer.count === 0)
      throw new IngestError('Nothing usable was indexed: every file was skipped or failed (see above).');

    progress({ phase: 'build', done: 0, total: 1 });
    const manifest: Manifest = {
      format: INDEX_FORMAT,
      chunkerVersion: CHUNKER_VERSION,
      embedder: { id: embedder.id, dimension: vectors.dimension },
      createdAt: new Date().toISOString(),
      chunkCount: writer.count,
      files: entries,
      chunkHashes: hashes,
      vectorCentre: [],
      problems: report.problems.filter((p): p is FileProblem => p.status !== 'warning' && !isSidecar(p.source)),
    };
    const lex = timed('lexical', () => lexical.finish());
    const fitted = VectorSpace.fit(sum, writer.count);
    manifest.vectorCentre = fitted.toJSON();
    const { graph, stats } = timed('vector', () => graphFromFile(vectors, writer.count, fitted));
    const space = new VectorSpace(fitted.origin, stats);
    vectors.close();
    prev?.vectors.close();
    const t0 = performance.now();
    await commitIndex({ manifest, lexical: lex, graph, space }, tmp, indexDir);
    timings.write += performance.now() - t0;
    const chunks = loadChunks(indexDir, manifest.chunkCount);
    const index: SearchIndex = {
      manifest,
      chunks,
      kinds: chunks.map((c) => c.citation.kind),
      lexical: lex,
      vector: graph,
      space,
    };
    index.vector.setEf(opts.ef);
    progress({ phase: 'build', done: 1, total: 1 });
    report.chunks = chunks.length;
    report.durationMs = Date.now() - started;
    report.timings = timings;
    return { report, index };
  } catch (err) {
    lexical.close();
    writer.abort();
    closeQuietly(vectors);
    if (prev) closeQuietly(prev.vectors);
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** The HNSW graph of the raw vectors in `file`, read in ~4 MB blocks. */
function graphFromFile(file: RawVectorFile, count: number, space: VectorSpace): ReturnType<typeof buildGraph> {
  const dim = file.dimension;
  const per = Math.max(1, Math.floor((1 << 20) / dim));
  const buf = new Float32Array(per * dim);
  let first = -per;
  return buildGraph(
    count,
    dim,
    (label) => {
      if (label >= first + per) file.read((first = label), Math.min(per, count - label), buf);
      return buf.subarray((label - first) * dim, (label - first + 1) * dim);
    },
    space,
  );
}

function closeQuietly(f: { close(): void }): void {
  try {
    f.close();
  } catch {
    // already closed
  }
}
