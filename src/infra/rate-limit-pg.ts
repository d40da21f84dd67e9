// RateLimitStore on PostgreSQL, shared by the replicas: one row per key holding the event times of the window
// (an UNLOGGED table). Each call is one statement; ON CONFLICT DO UPDATE locks the key's row, so two replicas
// counting the same sender cannot both take its last allowed event.
import type { Queryable } from '../db';
import { LOCKOUT_POLICY, type LoginLockoutStore, type RateLimitStore, retryAfter } from './rate-limit';

/** Forgotten keys (no event for a window) are deleted every this many writes. */
const PRUNE_EVERY = 2000;
const LOCKOUT_PRUNE_EVERY = 500;

export class PgRateLimitStore implements RateLimitStore {
  private writes = 0;

  /** `scope` names the limit ("user", "address", "code-client"…): several limits share the table. */
  constructor(
    private readonly q: Queryable,
    private readonly scope: string,
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  private maybePrune(nowMs: number): void {
    if (++this.writes % PRUNE_EVERY !== 0) return;
    void this.q
      .query('DELETE FROM rate_limits WHERE scope = $1 AND last_at < $2', [this.scope, nowMs - this.windowMs])
      .catch(() => undefined);
  }

  async allow(key: string, nowMs: number): Promise<boolean> {
    this.maybePrune(nowMs);
    // `kept`: the events still in the window; the new one is added only while fewer than `limit` remain.
    const r = await this.q.query(
      `INSERT INTO rate_limits AS t (scope, key, events, ok, last_at)
         VALUES ($1, $2, CASE WHEN $4 > 0 THEN ARRAY[$3::bigint] ELSE '{}' END, $4 > 0, $3)
       ON CONFLICT (scope, key) DO UPDATE SET
         (events, ok) = (SELECT CASE WHEN cardinality(k.kept) < $4 THEN k.kept || $3::bigint ELSE k.kept END, cardinality(k.kept) < $4
                         FROM (SELECT ARRAY(SELECT e FROM unnest(t.events) e WHERE e > $3 - $5 ORDER BY e) AS kept) k),
         last_at = $3
       RETURNING ok`,
      [this.scope, key, nowMs, this.limit, this.windowMs],
    );
    return r.rows[0].ok === true;
  }

  private async events(key: string, nowMs: number): Promise<number[]> {
    const r = await this.q.query(
      'SELECT ARRAY(SELECT e FROM unnest(events) e WHERE e > $3) AS events FROM rate_limits WHERE scope = $1 AND key = $2',
      [this.scope, key, nowMs - this.windowMs],
    );
    return ((r.rows[0]?.events ?? []) as (number | string)[]).map(Number);
  }

  async count(key: string, nowMs: number): Promise<number> {
    return (await this.events(key, nowMs)).length;
  }

  async record(key: string, nowMs: number): Promise<void> {
    this.maybePrune(nowMs);
    await this.q.query(
      `INSERT INTO rate_limits AS t (scope, key, events, last_at) VALUES ($1, $2, ARRAY[$3::bigint], $3)
       ON CONFLICT (scope, key) DO UPDATE SET
         events = ARRAY(SELECT e FROM unnest(t.events) e WHERE e > $3 - $4 ORDER BY e) || $3::bigint, last_at = $3`,
      [this.scope, key, nowMs, this.windowMs],
    );
  }

  async retryAfterSeconds(key: string, nowMs: number): Promise<number> {
    return retryAfter(await this.events(key, nowMs), this.windowMs, nowMs);
  }

  async shouldWarn(key: string, nowMs: number): Promise<boolean> {
    const r = await this.q.query(
      `INSERT INTO rate_limits AS t (scope, key, events, warned_at, last_at) VALUES ($1, $2, '{}', $3, $3)
       ON CONFLICT (scope, key) DO UPDATE SET warned_at = $3, last_at = GREATEST(t.last_at, $3)
         WHERE t.warned_at IS NULL OR t.warned_at <= $3 - $4`,
      [this.scope, key, nowMs, this.windowMs],
    );
    return r.rowCount === 1;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// LoginLockoutStore on PostgreSQL (UNLOGGED): a guesser spreading tries over the replicas meets one counter.
export class PgLoginLockout implements LoginLockoutStore {
  private writes = 0;

  /** `scope`: "admin" or "code" (trainers' sign-in codes are counted apart). */
  constructor(
    private readonly q: Queryable,
    private readonly scope: string,
    private readonly policy = LOCKOUT_POLICY,
  ) {}

  async lockedFor(key: string, nowMs: number): Promise<number> {
    const r = await this.q.query('SELECT locked_until FROM login_lockouts WHERE scope = $1 AND key = $2', [
      this.scope,
      key,
    ]);
    return r.rows[0] ? Math.max(0, (r.rows[0].locked_until as number) - nowMs) : 0;
  }

  async fail(key: string, nowMs: number): Promise<number> {
    const p = this.policy;
    if (++this.writes % LOCKOUT_PRUNE_EVERY === 0) {
      void this.q
        .query('DELETE FROM login_lockouts WHERE scope = $1 AND last_failure < $2', [
          this.scope,
          nowMs - p.forgetAfterMs,
        ])
        .catch(() => undefined);
    }
    // The failure count and the lock it earns (lockMs() in SQL) in one statement, atomic per client.
    const r = await this.q.query(
      `INSERT INTO login_lockouts AS t (scope, key, failures, last_failure, locked_until)
         VALUES ($1, $2, 1, $3::bigint, $3 + CASE WHEN 1 >= $4 THEN LEAST($6, $5 * power(2, LEAST(30, 1 - $4)))::bigint ELSE 0 END)
       ON CONFLICT (scope, key) DO UPDATE SET
         failures = CASE WHEN $3 - t.last_failure < $7 THEN t.failures + 1 ELSE 1 END,
         last_failure = $3,
         locked_until = $3 + (SELECT CASE WHEN f >= $4 THEN LEAST($6, $5 * power(2, LEAST(30, f - $4)))::bigint ELSE 0 END
                              FROM (SELECT CASE WHEN $3 - t.last_failure < $7 THEN t.failures + 1 ELSE 1 END AS f) x)
       RETURNING locked_until`,
      [this.scope, key, nowMs, p.freeTries, p.firstLockMs, p.maxLockMs, p.forgetAfterMs],
    );
    return Math.max(0, (r.rows[0].locked_until as number) - nowMs);
  }

  async succeed(key: string): Promise<void> {
    await this.q.query('DELETE FROM login_lockouts WHERE scope = $1 AND key = $2', [this.scope, key]);
  }
}
