// The Zalo OA token pair in PostgreSQL, shared by the replicas. rotate() holds the pair's row lock
// (SELECT … FOR UPDATE) for the refresh call, so exactly one replica refreshes; the others wait on the lock, find the
// new pair on the re-check and use it. A failed refresh rolls back, leaving the stored pair as it was.
import type { Database } from '../db';
import { seedHash, type OATokens, type OATokenStore } from './zalo-oa-store';

interface Row {
  access_token: string | null;
  refresh_token: string | null;
  expires_at: number | null;
  seed_hash: string | null;
}

const toTokens = (r: Row | undefined): OATokens | undefined =>
  r ? { accessToken: r.access_token, refreshToken: r.refresh_token, expiresAt: r.expires_at } : undefined;

export class PgOATokenStore implements OATokenStore {
  constructor(
    private readonly db: Database,
    private readonly appId: string,
  ) {}

  async seed(access: string | undefined, refresh: string | undefined): Promise<'seeded' | 'kept' | 'empty'> {
    const hash = seedHash(access, refresh);
    return this.db.transaction(async (c) => {
      const row = (await c.query('SELECT seed_hash FROM oa_tokens WHERE app_id = $1 FOR UPDATE', [this.appId]))
        .rows[0] as Row | undefined;
      if (row && (hash === null || row.seed_hash === hash)) return 'kept';
      if (hash === null) return 'empty';
      await c.query(
        `INSERT INTO oa_tokens (app_id, access_token, refresh_token, expires_at, seed_hash, updated_at) VALUES ($1, $2, $3, NULL, $4, $5)
         ON CONFLICT (app_id) DO UPDATE SET access_token = EXCLUDED.access_token, refresh_token = EXCLUDED.refresh_token,
           expires_at = NULL, seed_hash = EXCLUDED.seed_hash, updated_at = EXCLUDED.updated_at`,
        [this.appId, access ?? null, refresh ?? null, hash, Date.now()],
      );
      return 'seeded';
    });
  }

  async load(): Promise<OATokens | undefined> {
    const r = await this.db.pool.query(
      'SELECT access_token, refresh_token, expires_at FROM oa_tokens WHERE app_id = $1',
      [this.appId],
    );
    return toTokens(r.rows[0]);
  }

  rotate(
    needsRefresh: (t: OATokens | undefined) => boolean,
    refresh: (t: OATokens | undefined) => Promise<OATokens>,
  ): Promise<OATokens | undefined> {
    return this.db.transaction(async (c) => {
      const cur = toTokens(
        (
          await c.query('SELECT access_token, refresh_token, expires_at FROM oa_tokens WHERE app_id = $1 FOR UPDATE', [
            this.appId,
          ])
        ).rows[0],
      );
      if (!needsRefresh(cur)) return cur;
      const next = await refresh(cur);
      await c.query(
        `INSERT INTO oa_tokens (app_id, access_token, refresh_token, expires_at, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (app_id) DO UPDATE SET access_token = EXCLUDED.access_token, refresh_token = EXCLUDED.refresh_token,
           expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at`,
        [this.appId, next.accessToken, next.refreshToken, next.expiresAt, Date.now()],
      );
      return next;
    });
  }

  async close(): Promise<void> {
    // The shared pool is closed with the other stores.
  }
}
