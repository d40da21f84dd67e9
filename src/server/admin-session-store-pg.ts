// AdminSessionStore on PostgreSQL: one secret for all replicas (created by whichever asks first), shared revocations.
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db';
import type { AdminSessionStore } from './admin-session-store';

export class PgAdminSessionStore implements AdminSessionStore {
  private cached: Promise<Buffer> | undefined;

  constructor(private readonly q: Queryable) {}

  secret(): Promise<Buffer> {
    this.cached ??= (async () => {
      await this.q.query(
        "INSERT INTO app_secrets (name, value) VALUES ('admin-session', $1) ON CONFLICT (name) DO NOTHING",
        [randomBytes(32)],
      );
      return (await this.q.query("SELECT value FROM app_secrets WHERE name = 'admin-session'")).rows[0].value as Buffer;
    })();
    this.cached.catch(() => (this.cached = undefined));
    return this.cached;
  }

  async revoke(sid: string, expiresAt: number): Promise<void> {
    await this.q.query('INSERT INTO admin_revoked (sid, expires_at) VALUES ($1, $2) ON CONFLICT (sid) DO NOTHING', [
      sid,
      expiresAt,
    ]);
  }

  async isRevoked(sid: string, nowMs: number): Promise<boolean> {
    return (
      (await this.q.query('SELECT 1 FROM admin_revoked WHERE sid = $1 AND expires_at > $2', [sid, nowMs])).rowCount ===
      1
    );
  }
}
