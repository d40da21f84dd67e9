// LoginLockoutStore on PostgreSQL (UNLOGGED): a guesser spreading tries over the replicas meets one counter.
import type { Queryable } from '../db/pg';
import { LOCKOUT_POLICY, type LoginLockoutStore } from './login-lockout';

const PRUNE_EVERY = 500;

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
    if (++this.writes % PRUNE_EVERY === 0) {
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
