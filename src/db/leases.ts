// Named leases in PostgreSQL: "only one replica does X at a time" without a session-level lock (which would not
// survive PgBouncer in transaction mode). A lease is held until `expiresAt` and renewed by its holder; a replica
// that dies simply stops renewing, and another one takes over after the TTL.
import type { Queryable } from './pg';

export class PgLeaseStore {
  constructor(private readonly q: Queryable) {}

  /** Takes or renews the lease for `holder`; false while someone else holds it. */
  async acquire(name: string, holder: string, ttlMs: number, nowMs: number): Promise<boolean> {
    const r = await this.q.query(
      `INSERT INTO leases AS l (name, holder, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
         WHERE l.holder = EXCLUDED.holder OR l.expires_at <= $4`,
      [name, holder, nowMs + ttlMs, nowMs],
    );
    return r.rowCount === 1;
  }

  /** Who holds the lease now, if anyone. */
  async holder(name: string, nowMs: number): Promise<string | undefined> {
    return (await this.q.query('SELECT holder FROM leases WHERE name = $1 AND expires_at > $2', [name, nowMs])).rows[0]
      ?.holder;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.q.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder]);
  }
}
