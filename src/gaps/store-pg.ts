// GapStore on PostgreSQL (several replicas): every replica records into, and reports from, one `gap_events` table,
// with the SQLite store's rules (masking, grouping key, the newest wording shown, the oldest events pruned).
import type { Queryable } from '../db';
import { groupKey } from './group';
import {
  MAX_EVENTS,
  PRUNE_EVERY,
  storedQuestion,
  toGroup,
  type GapEvent,
  type GapGroup,
  type GapQuery,
  type GapStore,
  type GroupRow,
} from './store';

export class PgGapStore implements GapStore {
  private inserts = 0;

  constructor(private readonly q: Queryable) {}

  async record(e: GapEvent): Promise<void> {
    const question = storedQuestion(e.question);
    if (!question) return;
    await this.q.query(
      'INSERT INTO gap_events (kind, question, group_key, channel, mode, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [e.kind, question, groupKey(question), e.channel, e.mode ?? null, e.reason ?? null, e.at.getTime()],
    );
    if (++this.inserts % PRUNE_EVERY === 0) {
      await this.q.query('DELETE FROM gap_events WHERE id <= (SELECT MAX(id) FROM gap_events) - $1', [MAX_EVENTS]);
    }
  }

  async groups(q: GapQuery = {}): Promise<GapGroup[]> {
    const r = await this.q.query(
      `SELECT group_key AS key, COUNT(*) AS n,
              COUNT(*) FILTER (WHERE kind = 'declined') AS declined, COUNT(*) FILTER (WHERE kind = 'downvoted') AS downvoted,
              MIN(at) AS first, MAX(at) AS last, COUNT(DISTINCT question) AS variants,
              array_agg(DISTINCT channel) AS channels,
              COALESCE(array_agg(DISTINCT reason) FILTER (WHERE reason IS NOT NULL), '{}') AS reasons,
              (SELECT question FROM gap_events e2 WHERE e2.group_key = e.group_key ORDER BY at DESC, id DESC LIMIT 1) AS question
       FROM gap_events e WHERE at >= $1 AND ($2::text IS NULL OR kind = $2)
       GROUP BY group_key ORDER BY n DESC, last DESC LIMIT $3`,
      [q.since?.getTime() ?? 0, q.kind ?? null, q.limit ?? 500],
    );
    return (r.rows as GroupRow[]).map(toGroup);
  }

  async close(): Promise<void> {
    // The shared pool is closed with the other stores.
  }
}
