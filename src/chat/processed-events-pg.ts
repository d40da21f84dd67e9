// ProcessedEventStore on PostgreSQL: one upsert claims an id atomically across replicas.
import type { Queryable } from '../db/pg';
import { DEFAULT_CLAIM_LEASE_MS, type ProcessedEventStore } from './processed-events';

/** Pruning runs every this many claims (an indexed range delete). */
const PRUNE_EVERY = 1000;

export interface PgProcessedEventsOptions {
  /** Keeps several users of a table apart ("updates", "zalo-oa"). */
  scope: string;
  /** `seen_updates` (UNLOGGED: the chat core's duplicate filter) or `processed_events` (durable: OA replay guard). */
  table: 'seen_updates' | 'processed_events';
  /** Ids older than this are forgotten. */
  retentionMs: number;
  leaseMs?: number;
}

export class PgProcessedEvents implements ProcessedEventStore {
  private claims = 0;
  private readonly leaseMs: number;

  constructor(
    private readonly q: Queryable,
    private readonly o: PgProcessedEventsOptions,
  ) {
    this.leaseMs = o.leaseMs ?? DEFAULT_CLAIM_LEASE_MS;
  }

  async claim(id: string, atMs: number): Promise<boolean> {
    if (++this.claims % PRUNE_EVERY === 0) void this.prune(atMs - this.o.retentionMs).catch(() => undefined);
    // The row lock of ON CONFLICT DO UPDATE makes check-and-claim one step; the WHERE lets only a lapsed claim go.
    const r = await this.q.query(
      `INSERT INTO ${this.o.table} AS t (scope, event_id, claimed_at) VALUES ($1, $2, $3)
       ON CONFLICT (scope, event_id) DO UPDATE SET claimed_at = EXCLUDED.claimed_at
         WHERE t.done_at IS NULL AND t.claimed_at <= $4`,
      [this.o.scope, id, atMs, atMs - this.leaseMs],
    );
    return r.rowCount === 1;
  }

  async done(id: string, atMs: number): Promise<void> {
    await this.q.query(`UPDATE ${this.o.table} SET done_at = $3 WHERE scope = $1 AND event_id = $2`, [this.o.scope, id, atMs]);
  }

  async prune(beforeMs: number): Promise<number> {
    return (await this.q.query(`DELETE FROM ${this.o.table} WHERE scope = $1 AND claimed_at < $2`, [this.o.scope, beforeMs])).rowCount ?? 0;
  }

  async close(): Promise<void> {
    // The shared pool is closed with the other stores.
  }
}
