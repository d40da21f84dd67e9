// One corpus job, as the build process runs it: check the uploaded files (with the ingest's own loaders, OCR
// included), apply the corpus changes, then ingest the whole corpus into a new index directory that replaces the
// old one. The serving process loads that index and swaps it in (live-index.ts). With several replicas
// (`publish`), the changes and the build run under the ingest lock and become a new published index version in
// INDEX_DIR, as `npm run ingest` makes one (index-versions.ts); every replica swaps to it.
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { chunkDocument, LoadError, loadDocument } from '../ingest';
import { ocrFromConfig } from '../ocr';
import { openDatabase } from '../db';
import {
  createEmbedder,
  type FileOutcome,
  type IndexVersion,
  ingest,
  type IngestProgress,
  type IngestReport,
  PgIndexVersions,
  publishIndex,
  type SearchIndex,
} from '../search';
import type { JobFile, JobProgress, JobResult } from './jobs';
import { corpusMsg, loadErrorText } from './messages';
import { applyOp, type CorpusOp } from './ops';

export interface BuildRequest {
  jobId: string;
  config: Config;
  ops: CorpusOp[];
  /** Publish the build as a new index version in the database (DATABASE_URL), in this replica's name. */
  publish?: { replica: string };
}

export type BuildEvent =
  /** A line of the job's log (Vietnamese). */
  | { type: 'log'; text: string }
  /** News about one uploaded file, by its corpus path. */
  | { type: 'file'; source: string; change: Partial<JobFile> }
  | { type: 'progress'; progress: Partial<JobProgress> };

export interface BuildOutcome {
  /** False when nothing was left to do (every upload was refused): the serving index stays as it is. */
  built: boolean;
  result?: JobResult;
  /** The index version published (with `publish`). */
  version?: IndexVersion;
}

/** How often a build waiting for another replica's ingest asks again for the lock. */
const LOCK_RETRY_MS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const n = (x: number) => x.toLocaleString('vi-VN');

export async function runBuild(req: BuildRequest, emit: (e: BuildEvent) => void): Promise<BuildOutcome> {
  const { config } = req;
  const ocr = ocrFromConfig(config);
  const onOcrPage = (done: number, total: number) =>
    emit({ type: 'progress', progress: { ocrDone: done, ocrTotal: total } });

  // 1. Uploads are read exactly as ingest will read them: a file it would skip is refused now, before it is
  //    stored, and OCR results are cached for the ingest that follows.
  const accepted: CorpusOp[] = [];
  let pages = 0;
  let ocrPages = 0;
  for (const op of req.ops) {
    if (op.op !== 'add') {
      accepted.push(op);
      continue;
    }
    emit({ type: 'progress', progress: { phase: 'checking', current: op.name, ocrDone: 0, ocrTotal: 0 } });
    emit({ type: 'file', source: op.source, change: { status: 'checking' } });
    try {
      const raw = await loadDocument(op.staged, op.source, { ocr, onOcrPage });
      const chunks = chunkDocument(raw).length;
      if (!chunks) throw new LoadError(op.source, 'no text to index', 'empty');
      pages += raw.pageCount ?? 0;
      ocrPages += raw.ocrPages ?? 0;
      emit({ type: 'progress', progress: { pages, ocrPages } });
      emit({
        type: 'file',
        source: op.source,
        change: { status: 'accepted', pages: raw.pageCount, ocrPages: raw.ocrPages },
      });
      const scan = raw.ocrPages ? `, ${n(raw.ocrPages)} trang quét đã nhận dạng chữ (OCR)` : '';
      emit({
        type: 'log',
        text: `Đã kiểm tra "${op.name}": ${raw.pageCount ? `${n(raw.pageCount)} trang` : 'đọc được'}${scan}.`,
      });
      for (const w of raw.warnings ?? []) emit({ type: 'log', text: `Lưu ý về "${op.name}": ${w}` });
      accepted.push(op);
    } catch (err) {
      const reason = loadErrorText(err instanceof LoadError ? err.code : 'unreadable');
      const detail = err instanceof LoadError ? err.reason : (err as Error).message;
      rmSync(op.staged, { force: true });
      emit({ type: 'file', source: op.source, change: { status: 'rejected', reason, detail } });
      emit({ type: 'log', text: `Từ chối "${op.name}": ${reason}` });
    }
  }
  if (!accepted.length) return { built: false };

  // 2. The corpus changes, then the build over the whole corpus (unchanged files cost a hash each).
  const ctx = {
    corpusDir: config.corpusDir,
    trashDir: path.join(config.dataDir, 'corpus-trash'),
    jobId: req.jobId,
    now: new Date(),
  };
  const applyChanges = () => {
    for (const op of accepted) {
      const { replaced } = applyOp(op, ctx);
      if (op.op === 'add') emit({ type: 'file', source: op.source, change: { replaces: replaced } });
      emit({
        type: 'log',
        text:
          op.op === 'add'
            ? `${replaced ? 'Thay bản cũ' : 'Thêm'} ${op.source} vào kho văn bản${replaced ? ' (bản cũ được giữ trong thùng rác của máy chủ)' : ''}.`
            : op.op === 'delete'
              ? `Đã chuyển ${op.source} vào thùng rác của máy chủ.`
              : `Đã ghi thông tin văn bản vào ${op.source}.meta.yaml.`,
      });
    }
    emit({ type: 'progress', progress: { phase: 'indexing', current: undefined, ocrDone: 0, ocrTotal: 0 } });
    emit({ type: 'log', text: 'Đang lập chỉ mục lại kho văn bản (các tệp không đổi được giữ nguyên).' });
  };
  const uploads = new Set(accepted.filter((o) => o.op === 'add').map((o) => o.source));
  const onFile = (f: FileOutcome) => {
    if (!uploads.has(f.source)) return;
    emit({
      type: 'file',
      source: f.source,
      change:
        f.status === 'failed' || f.status === 'skipped'
          ? { status: 'failed', reason: corpusMsg.noText, detail: f.reason }
          : { status: 'indexed', chunks: f.chunks },
    });
  };
  const progress = {
    onOcrPage: (_s: string, done: number, total: number) => onOcrPage(done, total),
    onFile,
    onProgress: (p: IngestProgress) =>
      emit({
        type: 'progress',
        progress:
          p.phase === 'build'
            ? { phase: 'saving', current: undefined }
            : { phase: 'indexing', filesDone: p.done, filesTotal: p.total, current: p.source },
      }),
  };
  let report: IngestReport;
  let index: SearchIndex;
  let version: IndexVersion | undefined;
  if (req.publish) {
    ({ report, index, version } = await publishVersion(req, req.publish.replica, {
      ocr,
      progress,
      applyChanges,
      emit,
    }));
  } else {
    applyChanges();
    ({ report, index } = await ingest({
      corpusDir: config.corpusDir,
      indexDir: config.indexDir,
      embedder: createEmbedder(config),
      ef: config.SEARCH_EF,
      ocr,
      ...progress,
    }));
  }
  const documents = new Set(index.chunks.map((c) => c.citation.docId)).size;
  emit({
    type: 'log',
    text: `Đã lập chỉ mục: ${n(documents)} văn bản, ${n(report.chunks)} đoạn (${n(report.indexed)} tệp đọc mới, ${n(report.unchanged)} tệp không đổi).`,
  });
  return {
    built: true,
    ...(version ? { version } : {}),
    result: {
      chunks: report.chunks,
      documents,
      indexed: report.indexed,
      unchanged: report.unchanged,
      failed: report.failed,
      removed: report.deleted,
      durationMs: report.durationMs,
    },
  };
}

/**
 * Several replicas: the corpus changes and the build run under the ingest lock (one at a time across replicas, and
 * never beside `npm run ingest`), waiting for the lock while another replica builds; the build is recorded as a new
 * index version, reusing the previous version's vectors.
 */
async function publishVersion(
  req: BuildRequest,
  replica: string,
  o: {
    ocr: ReturnType<typeof ocrFromConfig>;
    progress: Parameters<typeof publishIndex>[0]['progress'];
    applyChanges: () => void;
    emit: (e: BuildEvent) => void;
  },
): Promise<{ report: IngestReport; index: SearchIndex; version: IndexVersion }> {
  const { config } = req;
  const db = openDatabase(config.DATABASE_URL!, { max: 2, applicationName: 'tro-ly-hanh-chinh-build' });
  try {
    const versions = new PgIndexVersions(db);
    const embedder = createEmbedder(config);
    for (let told = false; ; told = true) {
      const r = await publishIndex({
        config,
        embedder,
        versions,
        replica,
        force: true,
        ocr: o.ocr,
        progress: o.progress,
        prepare: o.applyChanges,
      });
      if (r.status === 'published') return { report: r.report, index: r.index, version: r.version };
      // 'current' cannot happen with force; 'busy': another replica (or `npm run ingest`) is building.
      if (!told) o.emit({ type: 'log', text: 'Đang chờ một lần lập chỉ mục khác (trên máy chủ khác) kết thúc.' });
      await sleep(LOCK_RETRY_MS);
    }
  } finally {
    await db.close();
  }
}
