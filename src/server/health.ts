// GET /healthz: the index is loaded and both databases answer (the attendance one is probed for its write lock).
import { Hono } from 'hono';
import type { AttendanceStore } from '../attendance';
import type { FeedbackStore } from '../chat';
import type { AppEnv } from './types';

interface HealthDeps {
  /** Number of chunks in the loaded search index. */
  chunks: () => number;
  attendanceStore: Pick<AttendanceStore, 'probeWritable'>;
  feedback: Pick<FeedbackStore, 'list'>;
  channels: string[];
  startedAt: number;
}

type HealthStatus = 'ok' | 'degraded' | 'error';

/**
 * Write probe of the attendance database that never waits: a lock held by another connection (the CLI, a long
 * export) makes it 'degraded' at once instead of stalling the event loop, and with it every request, for the
 * store's busy timeout. A database that cannot be written at all is an error.
 */
export function probeWritable(store: Pick<AttendanceStore, 'probeWritable'>): {
  status: HealthStatus;
  problem?: string;
} {
  try {
    return store.probeWritable() === 'ok'
      ? { status: 'ok' }
      : { status: 'degraded', problem: 'attendance database is locked by another connection (check-ins wait for it)' };
  } catch (err) {
    return { status: 'error', problem: `attendance database not writable: ${(err as Error).message}` };
  }
}

function checkHealth(d: HealthDeps): { status: HealthStatus; body: Record<string, unknown> } {
  const errors: string[] = [];
  const warnings: string[] = [];
  let chunks = 0;
  try {
    chunks = d.chunks();
  } catch (err) {
    errors.push(`search index unavailable: ${(err as Error).message}`);
  }
  if (chunks <= 0 && errors.length === 0) errors.push('search index is empty');
  const w = probeWritable(d.attendanceStore);
  if (w.problem) (w.status === 'error' ? errors : warnings).push(w.problem);
  try {
    d.feedback.list({ limit: 1 });
  } catch (err) {
    errors.push(`feedback database unavailable: ${(err as Error).message}`);
  }
  const base = { chunks, channels: d.channels, uptimeSeconds: Math.round((Date.now() - d.startedAt) / 1000) };
  if (errors.length)
    return { status: 'error', body: { status: 'error', reason: [...errors, ...warnings].join('; '), ...base } };
  if (warnings.length)
    return { status: 'degraded', body: { status: 'degraded', reason: warnings.join('; '), ...base } };
  return { status: 'ok', body: { status: 'ok', ...base } };
}

export function healthRoutes(d: HealthDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/healthz', (c) => {
    const { status, body } = checkHealth(d);
    c.header('Cache-Control', 'no-store');
    // Degraded still serves (questions do not need the lock), so a load balancer keeps it in rotation.
    return c.json(body, status === 'error' ? 503 : 200);
  });
  return app;
}
