// Officials keep the corpus current: uploads, metadata edits and deletions become background jobs (jobs.ts), each
// built in a child process (build-runner.ts) and swapped into the serving index when complete (live-index.ts). With
// several replicas the build is published as a new index version that every replica swaps to (index-watch.ts).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { todayIso } from '../domain';
import { logger as rootLogger, type Logger } from '../log';
import { type IndexWatch, type LiveIndex, loadIndex, scanCorpus } from '../search';
import type { BuildEvent } from './build';
import { forkBuild, type BuildRunner } from './build-runner';
import { documentRows, sourceOfId, type DocumentRow } from './documents';
import { LocalJobQueue, type Job, type JobFile, type JobQueue, type JobRunner, type JobSpec } from './jobs';
import { corpusMsg, refusalText } from './messages';
import { validateEdit } from './metadata-edit';
import { safeSource, type CorpusOp } from './ops';
import { corpusFileName, sniffUpload } from './sniff';

/** Corpus folders an upload may go to; "auto" lets the text decide what kind of document it is. */
export const UPLOAD_FOLDERS: Record<string, { dir: string; label: string }> = {
  auto: { dir: 'tai-len', label: 'Tự nhận biết loại văn bản' },
  'van-ban': { dir: 'van-ban', label: 'Văn bản quy phạm pháp luật' },
  'phan-cap': { dir: 'phan-cap', label: 'Phân cấp, phân quyền' },
  'thu-tuc': { dir: 'thu-tuc', label: 'Thủ tục hành chính' },
  'tin-tuc': { dir: 'tin-tuc', label: 'Tin tức, thông báo' },
};

export const MAX_UPLOAD_FILES = 20;

export interface UploadFile {
  name: string;
  data: Buffer;
}

export type Submitted =
  | { ok: true; job: Job }
  | { ok: false; status: 400 | 404 | 409 | 413 | 415; error: string; files?: { name: string; error: string }[] };

export interface CorpusManagerDeps {
  config: Config;
  live: LiveIndex;
  /**
   * Several replicas (DATABASE_URL): builds are published as index versions, and this replica's watcher of published
   * versions swaps to them (the others swap at their next look). Absent: the build replaces the local index.
   */
  published?: Pick<IndexWatch, 'adopt'> & { replica: string };
  /** Default: the in-process queue. */
  queue?: (runner: JobRunner) => JobQueue;
  /** Default: a child process per build. */
  build?: BuildRunner;
  logger?: Logger;
  now?: () => Date;
}

/** Where an upload's files wait for their job; `resumed`: queued again after a restart. */
type Spec = JobSpec & { stageDir?: string; resumed?: boolean };

/** Every upload of a job was refused: a failed job, but nothing went wrong on the server. */
class NothingToBuild extends Error {}

export class CorpusManager {
  readonly maxBytes: number;
  readonly queue: JobQueue;
  private readonly log: Logger;
  private readonly uploadsDir: string;
  private readonly build: BuildRunner;
  private readonly now: () => Date;

  constructor(private readonly d: CorpusManagerDeps) {
    this.log = (d.logger ?? rootLogger).child({ module: 'corpus' });
    this.maxBytes = d.config.UPLOAD_MAX_MB * 1024 * 1024;
    this.uploadsDir = path.join(d.config.dataDir, 'uploads');
    this.build = d.build ?? forkBuild;
    this.now = d.now ?? (() => new Date());
    const runner: JobRunner = (job, spec, update) => this.run(job, spec as Spec, update);
    this.queue = d.queue ? d.queue(runner) : new LocalJobQueue(runner, this.now);
  }

  /** The serving index's version (1 at start-up, +1 per swap). */
  get indexVersion(): number {
    return this.d.live.version;
  }

  get limits(): { maxMb: number; maxFiles: number } {
    return { maxMb: this.d.config.UPLOAD_MAX_MB, maxFiles: MAX_UPLOAD_FILES };
  }

  documents(): DocumentRow[] {
    const rows = documentRows(this.d.live.index, todayIso(this.now()));
    const pending = new Map<string, 'metadata' | 'delete'>();
    for (const j of this.queue.list(100)) {
      if (j.target && (j.state === 'queued' || j.state === 'running') && (j.kind === 'metadata' || j.kind === 'delete'))
        pending.set(j.target, j.kind);
    }
    for (const r of rows) if (pending.has(r.source)) r.pending = pending.get(r.source);
    return rows;
  }

  /** The corpus path of a document id, when it is a file of the corpus. */
  sourceOf(id: string): string | undefined {
    const s = sourceOfId(id);
    const safe = s && safeSource(s);
    return safe && existsSync(path.join(this.d.config.corpusDir, safe)) ? safe : undefined;
  }

  /** Checks the files' types and sizes at once; the rest (reading, OCR) happens in the job. */
  async upload(files: UploadFile[], opts: { by: string; folder?: string }): Promise<Submitted> {
    const limits = this.limits;
    if (!files.length) return { ok: false, status: 400, error: corpusMsg.noFile };
    if (files.length > MAX_UPLOAD_FILES) return { ok: false, status: 413, error: refusalText('too-many', limits) };
    const total = files.reduce((s, f) => s + f.data.length, 0);
    if (total > this.maxBytes) return { ok: false, status: 413, error: refusalText('too-large', limits) };
    const folder = UPLOAD_FOLDERS[opts.folder ?? 'auto'] ?? UPLOAD_FOLDERS.auto;

    const existing = new Map<string, string>();
    for (const s of scanCorpus(this.d.config.corpusDir)) existing.set(path.posix.basename(s), s);
    const taken = new Set<string>();
    const refused: { name: string; error: string }[] = [];
    const accepted: { f: UploadFile; source: string; replaces: boolean }[] = [];
    for (const f of files) {
      const name = path.basename(f.name.normalize('NFC').replace(/\\/g, '/')).slice(0, 200) || 'tep';
      const kind = await sniffUpload(name, f.data);
      if (!kind.ok) {
        refused.push({ name, error: refusalText(kind.refusal, limits) });
        this.log.info({ refusal: kind.refusal, detail: kind.detail, bytes: f.data.length }, 'corpus: upload refused');
        continue;
      }
      let file = corpusFileName(name, kind.ext);
      for (let i = 2; taken.has(file); i++) file = corpusFileName(`${name}-${i}`, kind.ext);
      taken.add(file);
      // The same file name anywhere in the corpus: a new version of that document, replaced where it is.
      const old = existing.get(file);
      accepted.push({ f: { ...f, name }, source: old ?? `${folder.dir}/${file}`, replaces: Boolean(old) });
    }
    if (!accepted.length)
      return {
        ok: false,
        status: 415,
        error: refused.length === 1 ? refused[0].error : 'Không có tệp nào dùng được.',
        files: refused,
      };

    const stageDir = path.join(this.uploadsDir, `${this.now().getTime()}-${randomBytes(4).toString('hex')}`);
    mkdirSync(stageDir, { recursive: true, mode: 0o700 });
    const ops: CorpusOp[] = accepted.map((a, i) => {
      const staged = path.join(stageDir, `${i}${path.extname(a.source)}`);
      writeFileSync(staged, a.f.data, { mode: 0o600 });
      return { op: 'add', staged, source: a.source, name: a.f.name };
    });
    const jobFiles: JobFile[] = [
      ...accepted.map((a): JobFile => ({ name: a.f.name, source: a.source, status: 'waiting', replaces: a.replaces })),
      ...refused.map((r): JobFile => ({ name: r.name, source: '', status: 'rejected', reason: r.error })),
    ];
    const spec: Spec = { kind: 'upload', by: opts.by, files: jobFiles, ops, stageDir };
    // Kept until the job ends: after a restart the upload is processed again instead of being lost.
    writeFileSync(path.join(stageDir, 'job.json'), JSON.stringify(spec));
    const job = this.queue.submit(spec);
    this.log.info(
      { jobId: job.id, files: accepted.length, refused: refused.length, bytes: total },
      'corpus: upload queued',
    );
    return { ok: true, job: this.queue.get(job.id)! };
  }

  editMetadata(id: string, body: unknown, by: string): Submitted {
    const source = this.sourceOf(id);
    if (!source) return { ok: false, status: 404, error: corpusMsg.notFound };
    const v = validateEdit(body);
    if ('errors' in v) return { ok: false, status: 400, error: v.errors.join(' ') };
    const job = this.queue.submit({
      kind: 'metadata',
      by,
      target: source,
      ops: [{ op: 'metadata', source, edit: v.edit }],
    });
    this.log.info({ jobId: job.id, fields: Object.keys(v.edit) }, 'corpus: metadata edit queued');
    return { ok: true, job };
  }

  remove(id: string, by: string): Submitted {
    const source = this.sourceOf(id);
    if (!source) return { ok: false, status: 404, error: corpusMsg.notFound };
    if (scanCorpus(this.d.config.corpusDir).length <= 1)
      return { ok: false, status: 409, error: corpusMsg.lastDocument };
    const job = this.queue.submit({ kind: 'delete', by, target: source, ops: [{ op: 'delete', source }] });
    this.log.info({ jobId: job.id }, 'corpus: deletion queued');
    return { ok: true, job };
  }

  /** Uploads a restart interrupted (their files are still staged): processed again. */
  resumeInterrupted(): Job[] {
    if (!existsSync(this.uploadsDir)) return [];
    const jobs: Job[] = [];
    for (const dir of readdirSync(this.uploadsDir)) {
      const stageDir = path.join(this.uploadsDir, dir);
      try {
        const spec = JSON.parse(readFileSync(path.join(stageDir, 'job.json'), 'utf8')) as Spec;
        const ops = spec.ops.filter((o) => o.op === 'add' && existsSync(o.staged));
        if (!ops.length) throw new Error('no staged file left');
        const files = spec.files?.filter((f) => f.status === 'rejected' || ops.some((o) => o.source === f.source));
        const again: Spec = { ...spec, ops, files, stageDir, resumed: true };
        jobs.push(this.queue.submit(again));
      } catch (err) {
        this.log.warn({ dir, err: (err as Error).message }, 'corpus: interrupted upload could not be resumed; removed');
        rmSync(stageDir, { recursive: true, force: true });
      }
    }
    if (jobs.length)
      this.log.info({ jobs: jobs.map((j) => j.id) }, 'corpus: uploads interrupted by a restart queued again');
    return jobs;
  }

  private async run(job: Job, spec: Spec, update: (c: (j: Job) => void) => void): Promise<void> {
    const t0 = Date.now();
    const log = (text: string) => update((j) => j.log.push({ at: this.now().toISOString(), text }));
    if (spec.resumed) log(corpusMsg.interrupted);
    const onEvent = (e: BuildEvent) =>
      update((j) => {
        if (e.type === 'log') j.log.push({ at: this.now().toISOString(), text: e.text });
        else if (e.type === 'progress') Object.assign(j.progress, e.progress);
        else {
          const f = j.files.find((x) => x.source === e.source);
          if (f) Object.assign(f, e.change);
        }
      });
    try {
      update((j) => (j.progress.phase = 'checking'));
      const publish = this.d.published && { replica: this.d.published.replica };
      const outcome = await this.build(
        { jobId: job.id, config: this.d.config, ops: spec.ops, ...(publish ? { publish } : {}) },
        onEvent,
      );
      if (!outcome.built) {
        log('Không có tệp nào được thêm; kho văn bản và chỉ mục giữ nguyên.');
        update((j) => (j.error = 'Không có tệp nào được thêm.'));
        throw new NothingToBuild();
      }
      update((j) => (j.progress.phase = 'swapping'));
      if (this.d.published && outcome.version) {
        await this.d.published.adopt(outcome.version);
      } else {
        const embedder = this.d.live.current().embedder;
        this.d.live.swapIndex(await loadIndex(this.d.config.indexDir, embedder, this.d.config.SEARCH_EF));
      }
      update((j) => (j.result = outcome.result));
      log('Chỉ mục mới đã được dùng để trả lời câu hỏi.');
      this.log.info(
        {
          jobId: job.id,
          kind: job.kind,
          chunks: outcome.result?.chunks,
          ms: Date.now() - t0,
          version: outcome.version?.id ?? this.d.live.version,
        },
        'corpus: index swapped',
      );
    } catch (err) {
      if (!(err instanceof NothingToBuild)) {
        this.log.error({ err, jobId: job.id, kind: job.kind }, 'corpus: job failed; the previous index keeps serving');
        update((j) => {
          j.error = corpusMsg.buildFailed;
          for (const f of j.files) if (f.status !== 'rejected' && f.status !== 'indexed') f.status = 'failed';
        });
        log(corpusMsg.buildFailed);
      }
      throw err;
    } finally {
      if (spec.stageDir) rmSync(spec.stageDir, { recursive: true, force: true });
    }
  }
}
