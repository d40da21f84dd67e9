// ProcessedEventStore on PostgreSQL: one upsert claims an id atomically across replicas.
import type { Queryable } from '../db';
import { DEFAULT_CLAIM_LEASE_MS, type ProcessedEventStore } from '../infra';

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

  private pending = new Map<string, number>();
  private flushing: Promise<void> | undefined;

  /**
   * Marks are gathered for one turn of the event loop and written in one statement: under load that is one
   * round trip for many deliveries (each round trip costs more than the statement). Resolves once written.
   */
  done(id: string, atMs: number): Promise<void> {
    this.pending.set(id, atMs);
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      const batch = [...this.pending];
      this.pending.clear();
      this.flushing = undefined;
      await this.q.query(
        `UPDATE ${this.o.table} AS t SET done_at = v.at FROM unnest($2::text[], $3::bigint[]) AS v(id, at)
         WHERE t.scope = $1 AND t.event_id = v.id`,
        [this.o.scope, batch.map(([k]) => k), batch.map(([, at]) => at)],
      );
    });
    return this.flushing;
  }

  async prune(beforeMs: number): Promise<number> {
    return (
      (await this.q.query(`DELETE FROM ${this.o.table} WHERE scope = $1 AND claimed_at < $2`, [this.o.scope, beforeMs]))
        .rowCount ?? 0
    );
  }

  async close(): Promise<void> {
    // The shared pool is closed with the other stores.
  }
}
