// What signs and revokes admin session cookies: in memory by default (a restart ends every session), in
// PostgreSQL with DATABASE_URL (admin-session-store-pg.ts) so that every replica accepts a cookie another issued.
import { randomBytes } from 'node:crypto';

export interface AdminSessionStore {
  /** 32 random bytes, the same for every replica of a deployment; keyed with ADMIN_TOKEN, it signs the cookies. */
  secret(): Promise<Buffer>;
  /** The session id was logged out; it stays refused until `expiresAt` (after which the cookie is dead anyway). */
  revoke(sid: string, expiresAt: number): Promise<void>;
  isRevoked(sid: string, nowMs: number): Promise<boolean>;
}

export class MemoryAdminSessionStore implements AdminSessionStore {
  private readonly key = randomBytes(32);
  private readonly revoked = new Map<string, number>();

  async secret(): Promise<Buffer> {
    return this.key;
  }

  async revoke(sid: string, expiresAt: number): Promise<void> {
    this.revoked.set(sid, expiresAt);
  }

  async isRevoked(sid: string, nowMs: number): Promise<boolean> {
    for (const [s, e] of this.revoked) if (e <= nowMs) this.revoked.delete(s);
    return this.revoked.has(sid);
  }
}
