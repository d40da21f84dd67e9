// The PostgreSQL connection pool (`pg`) shared by every store when DATABASE_URL is set, with the numbers /healthz
// and /metrics report. Only transaction-scoped locks are used anywhere, so a PgBouncer in transaction mode can sit
// between the replicas and the server.
import { createHash } from 'node:crypto';
import pg from 'pg';

// int8 (COUNT(*), epoch milliseconds) as numbers: every value we store fits in 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** A pool or one checked-out client: what a store runs its statements on. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/** Upper bounds (seconds) of the query latency histogram. */
export const QUERY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

export class QueryStats {
  readonly buckets = QUERY_BUCKETS.map(() => 0);
  count = 0;
  errors = 0;
  sumSeconds = 0;

  observe(seconds: number, failed: boolean): void {
    this.count++;
    this.sumSeconds += seconds;
    if (failed) this.errors++;
    QUERY_BUCKETS.forEach((le, i) => {
      if (seconds <= le) this.buckets[i]++;
    });
  }
}

export interface Database {
  pool: pg.Pool;
  stats: QueryStats;
  /** Runs `fn` in one transaction on one client (BEGIN … COMMIT, ROLLBACK on a throw). */
  transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /** Round trip of `SELECT 1` in ms (throws when the server does not answer). */
  ping(): Promise<number>;
  close(): Promise<void>;
}

export interface PoolOptions {
  max?: number;
  /** Name shown in pg_stat_activity. */
  applicationName?: string;
  /** A statement running longer than this is cancelled by the server (ms). */
  statementTimeoutMs?: number;
  onError?: (err: Error) => void;
}

const names = new Map<string, string>();

/**
 * Statements with parameters are sent as named prepared statements, parsed and planned once per connection instead
 * of on every call (the planning was a third of PostgreSQL's CPU per check-in). Behind PgBouncer in transaction
 * mode this needs PgBouncer 1.21+ with max_prepared_statements set.
 */
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `s${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}

/** Counts and times every statement of a client (pool.query runs on clients too); names the parameterised ones. */
function instrument(target: { query: (...args: any[]) => any }, stats: QueryStats): void {
  const original = target.query.bind(target);
  target.query = (...input: any[]) => {
    const args =
      typeof input[0] === 'string' && Array.isArray(input[1])
        ? [{ name: statementName(input[0]), text: input[0], values: input[1] }, ...input.slice(2)]
        : input;
    const t0 = process.hrtime.bigint();
    const done = (failed: boolean) => stats.observe(Number(process.hrtime.bigint() - t0) / 1e9, failed);
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      // Callback style (how pool.query calls its client).
      args[args.length - 1] = (err: unknown, res: unknown) => {
        done(Boolean(err));
        last(err, res);
      };
      return original(...args);
    }
    const out = original(...args);
    if (out && typeof out.then === 'function') {
      return out.then(
        (r: unknown) => (done(false), r),
        (e: unknown) => {
          done(true);
          throw e;
        },
      );
    }
    return out;
  };
}

export function openDatabase(url: string, opts: PoolOptions = {}): Database {
  const stats = new QueryStats();
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 8,
    application_name: opts.applicationName ?? 'tro-ly-hanh-chinh',
    statement_timeout: opts.statementTimeoutMs ?? 30_000,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (server restart) must not crash the process; the pool replaces it.
  pool.on('error', (err) => opts.onError?.(err));
  const instrumented = new WeakSet<object>();
  pool.on('connect', (client) => {
    if (instrumented.has(client)) return;
    instrumented.add(client);
    instrument(client as unknown as { query: (...args: any[]) => any }, stats);
  });
  return {
    pool,
    stats,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(client);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async ping() {
      const t0 = process.hrtime.bigint();
      await pool.query('SELECT 1');
      return Number(process.hrtime.bigint() - t0) / 1e6;
    },
    close: () => pool.end(),
  };
}

/** Stable 32-bit keys of the advisory locks (pg_advisory_xact_lock takes a bigint; ours are small constants). */
export const LOCKS = {
  migrations: 1_601_001,
  ingest: 1_601_002,
} as const;
