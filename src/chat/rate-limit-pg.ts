// RateLimitStore on PostgreSQL, shared by the replicas: one row per key holding the event times of the window
// (an UNLOGGED table). Each call is one statement; ON CONFLICT DO UPDATE locks the key's row, so two replicas
// counting the same sender cannot both take its last allowed event.
import type { Queryable } from '../db/pg';
import { retryAfter, type RateLimitStore } from './rate-limit-store';

/** Forgotten keys (no event for a window) are deleted every this many writes. */
const PRUNE_EVERY = 2000;

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
