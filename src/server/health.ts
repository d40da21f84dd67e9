// GET /healthz: the index is loaded and the databases answer: the SQLite attendance file is probed for its write
// lock; PostgreSQL (DATABASE_URL) is pinged, with its latency and the pool's state. The index version is reported
// when replicas share published versions.
import { Hono } from 'hono';
import type { AttendanceStore } from '../attendance';
import type { FeedbackStore } from '../chat';
import type { Database } from '../db';
import type { AppEnv } from './types';

interface HealthDeps {
  /** Number of chunks in the loaded search index. */
  chunks: () => number;
  attendanceStore: Pick<AttendanceStore, 'probeWritable'>;
  feedback: Pick<FeedbackStore, 'list'>;
  channels: string[];
  startedAt: number;
  /** PostgreSQL, when the shared state lives there. */
  database?: Pick<Database, 'ping' | 'pool'>;
  /** The published index version this replica serves (several replicas), if any. */
  indexVersion?: () => number | undefined;
}

type HealthStatus = 'ok' | 'degraded' | 'error';

/** A database that does not answer within this is reported as an error at once, not waited for. */
const PING_TIMEOUT_MS = 2000;

/**
 * Write probe of the attendance database that never waits: a lock held by another connection (the CLI, a long
 * export) makes it 'degraded' at once instead of stalling the event loop, and with it every request, for the
 * store's busy timeout. A database that cannot be written at all is an error.
 */
async function probeWritable(
  store: Pick<AttendanceStore, 'probeWritable'>,
): Promise<{ status: HealthStatus; problem?: string }> {
  try {
    return (await store.probeWritable()) === 'ok'
      ? { status: 'ok' }
      : { status: 'degraded', problem: 'attendance database is locked by another connection (check-ins wait for it)' };
  } catch (err) {
    return { status: 'error', problem: `attendance database not writable: ${(err as Error).message}` };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)),
  );
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

async function checkHealth(d: HealthDeps): Promise<{ status: HealthStatus; body: Record<string, unknown> }> {
  const errors: string[] = [];
  const warnings: string[] = [];
  let chunks = 0;
  try {
    chunks = d.chunks();
  } catch (err) {
    errors.push(`search index unavailable: ${(err as Error).message}`);
  }
  if (chunks <= 0 && errors.length === 0) errors.push('search index is empty');
  let database: Record<string, unknown> = { backend: 'sqlite' };
  if (d.database) {
    const pool = d.database.pool;
    database = {
      backend: 'postgres',
      pool: { size: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount },
    };
    try {
      database.latencyMs =
        Math.round((await withTimeout(d.database.ping(), PING_TIMEOUT_MS, 'PostgreSQL')) * 100) / 100;
    } catch (err) {
      errors.push(`database unavailable: ${(err as Error).message}`);
    }
  } else {
    const w = await probeWritable(d.attendanceStore);
    if (w.problem) (w.status === 'error' ? errors : warnings).push(w.problem);
    try {
      await d.feedback.list({ limit: 1 });
    } catch (err) {
      errors.push(`feedback database unavailable: ${(err as Error).message}`);
    }
  }
  const version = d.indexVersion?.();
  const base = {
    chunks,
    ...(version !== undefined ? { indexVersion: version } : {}),
    database,
    channels: d.channels,
    uptimeSeconds: Math.round((Date.now() - d.startedAt) / 1000),
  };
  if (errors.length)
    return { status: 'error', body: { status: 'error', reason: [...errors, ...warnings].join('; '), ...base } };
  if (warnings.length)
    return { status: 'degraded', body: { status: 'degraded', reason: warnings.join('; '), ...base } };
  return { status: 'ok', body: { status: 'ok', ...base } };
}

export function healthRoutes(d: HealthDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/healthz', async (c) => {
    const { status, body } = await checkHealth(d);
    c.header('Cache-Control', 'no-store');
    // Degraded still serves (questions do not need the lock), so a load balancer keeps it in rotation.
    return c.json(body, status === 'error' ? 503 : 200);
  });
  return app;
}
