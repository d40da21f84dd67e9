// GET /healthz: the index is loaded and both databases answer (the attendance one takes a write lock).
import { Hono } from 'hono';
import type { AttendanceStore } from '../attendance/types';
import type { FeedbackStore } from '../chat/feedback';
import type { AppEnv } from './types';

export interface HealthDeps {
  /** Number of chunks in the loaded search index. */
  chunks: () => number;
  attendanceStore: Pick<AttendanceStore, 'transaction'>;
  feedback: Pick<FeedbackStore, 'list'>;
  channels: string[];
  startedAt: number;
}

class ProbeRollback extends Error {}

/**
 * Write probe: BEGIN IMMEDIATE takes the database's write lock (it fails on a closed, read-only or locked
 * database), then the thrown marker rolls the empty transaction back. Nothing is written.
 */
export function probeWritable(store: Pick<AttendanceStore, 'transaction'>): string | undefined {
  try {
    store.transaction(() => {
      throw new ProbeRollback();
    });
    return 'attendance database: write probe did not run';
  } catch (err) {
    if (err instanceof ProbeRollback) return undefined;
    return `attendance database not writable: ${(err as Error).message}`;
  }
}

export function checkHealth(d: HealthDeps): { ok: boolean; body: Record<string, unknown> } {
  const problems: string[] = [];
  let chunks = 0;
  try {
    chunks = d.chunks();
  } catch (err) {
    problems.push(`search index unavailable: ${(err as Error).message}`);
  }
  if (chunks <= 0 && problems.length === 0) problems.push('search index is empty');
  const w = probeWritable(d.attendanceStore);
  if (w) problems.push(w);
  try {
    d.feedback.list({ limit: 1 });
  } catch (err) {
    problems.push(`feedback database unavailable: ${(err as Error).message}`);
  }
  const base = { chunks, channels: d.channels, uptimeSeconds: Math.round((Date.now() - d.startedAt) / 1000) };
  return problems.length
    ? { ok: false, body: { status: 'error', reason: problems.join('; '), ...base } }
    : { ok: true, body: { status: 'ok', ...base } };
}

export function healthRoutes(d: HealthDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/healthz', (c) => {
    const { ok, body } = checkHealth(d);
    c.header('Cache-Control', 'no-store');
    return c.json(body, ok ? 200 : 503);
  });
  return app;
}
