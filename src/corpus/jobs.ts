// Background corpus jobs (uploads, metadata edits, deletions): one build at a time, the others wait their turn.
// `JobQueue` is what the rest of the code uses; `LocalJobQueue` keeps jobs in this process's memory. A deployment
// with several replicas replaces it with a shared one (a jobs table and a lock in PostgreSQL) behind the same
// interface.
import { randomBytes } from 'node:crypto';
import type { CorpusOp } from './ops';

export type JobKind = 'upload' | 'metadata' | 'delete' | 'rebuild';
export type JobState = 'queued' | 'running' | 'done' | 'failed';

/** One file of an upload job, as it goes. `reason` is for officials (Vietnamese), `detail` for operators. */
export interface JobFile {
  name: string;
  /** Corpus-relative path it is stored under. */
  source: string;
  status: 'waiting' | 'checking' | 'accepted' | 'rejected' | 'indexed' | 'failed';
  replaces?: boolean;
  pages?: number;
  ocrPages?: number;
  chunks?: number;
  reason?: string;
  detail?: string;
}

export interface JobProgress {
  phase: 'queued' | 'checking' | 'indexing' | 'saving' | 'swapping' | 'finished';
  /** Corpus files read so far in the build, of all. */
  filesDone: number;
  filesTotal: number;
  /** Pages read (PDF) and pages recognised with OCR, in the job's files. */
  pages: number;
  ocrPages: number;
  /** OCR of the file being read: pages done of pages to recognise. */
  ocrDone: number;
  ocrTotal: number;
  current?: string;
}

export interface JobResult {
  /** Passages in the index now serving. */
  chunks: number;
  documents: number;
  indexed: number;
  unchanged: number;
  failed: number;
  removed: number;
  durationMs: number;
}

export interface Job {
  id: string;
  kind: JobKind;
  state: JobState;
  /** Who asked: "admin", "telegram:123", "web:trainer-id". */
  by: string;
  /** The document a metadata edit or deletion is about. */
  target?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  files: JobFile[];
  progress: JobProgress;
  /** What happened, in order, for officials (Vietnamese). */
  log: { at: string; text: string }[];
  result?: JobResult;
  /** Why the job failed (Vietnamese). */
  error?: string;
}

/** What a job does: corpus changes, then a build of the index over the whole corpus. */
export interface JobSpec {
  kind: JobKind;
  by: string;
  target?: string;
  files?: JobFile[];
  ops: CorpusOp[];
}

/** Runs one job to the end, reporting through `update`; resolves when it is done, rejects when it failed. */
export type JobRunner = (job: Job, spec: JobSpec, update: (change: (job: Job) => void) => void) => Promise<void>;

export interface JobQueue {
  /** Queues a job; it starts when the jobs before it have finished. */
  submit(spec: JobSpec): Job;
  get(id: string): Job | undefined;
  /** Newest first. */
  list(limit?: number): Job[];
  /** Resolves with the job once it is done or failed. */
  finished(id: string): Promise<Job>;
  /** Jobs queued before this one that have not finished (0: it is running or about to). */
  ahead(id: string): number;
}

export function emptyProgress(): JobProgress {
  return { phase: 'queued', filesDone: 0, filesTotal: 0, pages: 0, ocrPages: 0, ocrDone: 0, ocrTotal: 0 };
}

/** Jobs kept for the page after they finish. */
const KEEP = 100;

export class LocalJobQueue implements JobQueue {
  private readonly jobs = new Map<string, Job>();
  private readonly specs = new Map<string, JobSpec>();
  private readonly waiters = new Map<string, ((j: Job) => void)[]>();
  private readonly pending: string[] = [];
  private running = false;

  constructor(
    private readonly runner: JobRunner,
    private readonly now: () => Date = () => new Date(),
  ) {}

  submit(spec: JobSpec): Job {
    const id = `j${randomBytes(6).toString('base64url')}`;
    const job: Job = {
      id,
      kind: spec.kind,
      state: 'queued',
      by: spec.by,
      ...(spec.target ? { target: spec.target } : {}),
      createdAt: this.now().toISOString(),
      files: spec.files?.map((f) => ({ ...f })) ?? [],
      progress: emptyProgress(),
      log: [],
    };
    this.jobs.set(id, job);
    this.specs.set(id, spec);
    this.pending.push(id);
    this.trim();
    void this.pump();
    return clone(job);
  }

  get(id: string): Job | undefined {
    const j = this.jobs.get(id);
    return j && clone(j);
  }

  list(limit = 20): Job[] {
    return [...this.jobs.values()].reverse().slice(0, limit).map(clone);
  }

  finished(id: string): Promise<Job> {
    const j = this.jobs.get(id);
    if (!j) return Promise.reject(new Error(`unknown job ${id}`));
    if (j.state === 'done' || j.state === 'failed') return Promise.resolve(clone(j));
    return new Promise((resolve) => this.waiters.set(id, [...(this.waiters.get(id) ?? []), resolve]));
  }

  ahead(id: string): number {
    const i = this.pending.indexOf(id);
    return i < 0 ? 0 : i + (this.running ? 1 : 0);
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    const id = this.pending.shift();
    if (!id) return;
    this.running = true;
    const job = this.jobs.get(id)!;
    const spec = this.specs.get(id)!;
    job.state = 'running';
    job.startedAt = this.now().toISOString();
    try {
      await this.runner(job, spec, (change) => change(job));
      job.state = 'done';
    } catch {
      // The runner has written the job's error for officials and logged the details.
      job.state = 'failed';
    } finally {
      job.finishedAt = this.now().toISOString();
      job.progress.phase = 'finished';
      this.specs.delete(id);
      this.running = false;
      for (const w of this.waiters.get(id) ?? []) w(clone(job));
      this.waiters.delete(id);
      void this.pump();
    }
  }

  /** Forget the oldest finished jobs beyond KEEP. */
  private trim(): void {
    for (const [id, j] of this.jobs) {
      if (this.jobs.size <= KEEP) break;
      if (j.state === 'done' || j.state === 'failed') this.jobs.delete(id);
    }
  }
}

const clone = (j: Job): Job => structuredClone(j);
