// The Zalo OA token pair in SQLite (DATA_DIR/zalo-oa.db). Zalo replaces the refresh token on every refresh and the
// old one stops working, so the new pair must be on disk before anything else happens, or the OA is locked out
// after the next restart. One row, written in one transaction; WAL so a crash never leaves half a pair.
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openDatabase, PROCESSED_EVENTS_TABLE, type Migration } from '../infra';

export const ZALO_OA_DB = 'zalo-oa.db';

interface OATokens {
  accessToken: string | null;
  refreshToken: string | null;
  /** Access-token expiry (ms since the epoch); null when unknown (a pair seeded from the environment). */
  expiresAt: number | null;
}

interface Row {
  app_id: string;
  access_token: string | null;
  refresh_token: string | null;
  expires_at: number | null;
  seed_hash: string | null;
}

/** DATA_DIR/zalo-oa.db: the token pair, and the OA events already handled (databases of earlier versions had both tables without migrations, hence IF NOT EXISTS). */
export const ZALO_OA_MIGRATIONS: Migration[] = [
  { version: 1, name: 'OA token pair', up: (db) => db.exec(TOKENS_TABLE) },
  { version: 2, name: 'processed events', up: (db) => db.exec(PROCESSED_EVENTS_TABLE) },
];

const TOKENS_TABLE = `CREATE TABLE IF NOT EXISTS oa_tokens (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  app_id TEXT NOT NULL,
  access_token TEXT,
  refresh_token TEXT,
  expires_at INTEGER,
  seed_hash TEXT,
  updated_at INTEGER NOT NULL
)`;

/** Fingerprint of the environment's pair, to notice when the operator pastes a new one. */
function seedHash(access: string | undefined, refresh: string | undefined): string | null {
  if (!access && !refresh) return null;
  return createHash('sha256')
    .update(`${access ?? ''}\n${refresh ?? ''}`)
    .digest('hex');
}

export class ZaloOATokenStore {
  private readonly db: Database.Database;

  constructor(
    file: string,
    private readonly appId: string,
  ) {
    this.db = openDatabase(file, ZALO_OA_MIGRATIONS, { label: 'Zalo OA' });
  }

  private row(): Row | undefined {
    return this.db
      .prepare('SELECT app_id, access_token, refresh_token, expires_at, seed_hash FROM oa_tokens WHERE id = 1')
      .get() as Row | undefined;
  }

  /**
   * Seeds the store from ZALO_OA_ACCESS_TOKEN / ZALO_OA_REFRESH_TOKEN: when it is empty, belongs to another app, or
   * the environment now holds a different pair than the one that seeded it (the operator re-authorised the app).
   * Otherwise the stored (rotated) pair wins. Returns what happened.
   */
  seed(access: string | undefined, refresh: string | undefined): 'seeded' | 'kept' | 'empty' {
    const hash = seedHash(access, refresh);
    return this.db.transaction(() => {
      const row = this.row();
      const fresh = !row || row.app_id !== this.appId || (hash !== null && row.seed_hash !== hash);
      if (!fresh) return 'kept';
      if (hash === null) return row && row.app_id === this.appId ? 'kept' : 'empty';
      this.write({ accessToken: access ?? null, refreshToken: refresh ?? null, expiresAt: null }, hash);
      return 'seeded';
    })();
  }

  /** The stored pair for this app, if any. */
  load(): OATokens | undefined {
    const r = this.row();
    if (!r || r.app_id !== this.appId) return undefined;
    return { accessToken: r.access_token, refreshToken: r.refresh_token, expiresAt: r.expires_at };
  }

  /** Replaces the pair atomically (one transaction, durable before it returns). */
  save(t: OATokens): void {
    this.db.transaction(() => this.write(t, this.row()?.seed_hash ?? null))();
  }

  private write(t: OATokens, hash: string | null): void {
    this.db
      .prepare(
        `INSERT INTO oa_tokens (id, app_id, access_token, refresh_token, expires_at, seed_hash, updated_at)
         VALUES (1, @appId, @access, @refresh, @expiresAt, @hash, @now)
         ON CONFLICT (id) DO UPDATE SET app_id = excluded.app_id, access_token = excluded.access_token,
           refresh_token = excluded.refresh_token, expires_at = excluded.expires_at, seed_hash = excluded.seed_hash,
           updated_at = excluded.updated_at`,
      )
      .run({
        appId: this.appId,
        access: t.accessToken,
        refresh: t.refreshToken,
        expiresAt: t.expiresAt,
        hash,
        now: Date.now(),
      });
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** True when DATA_DIR/zalo-oa.db holds a token for this app (so the OA can run without tokens in the environment). */
export function hasStoredZaloOATokens(dataDir: string, appId: string): boolean {
  const file = path.join(dataDir, ZALO_OA_DB);
  if (!existsSync(file)) return false;
  const store = new ZaloOATokenStore(file, appId);
  try {
    const t = store.load();
    return Boolean(t?.accessToken || t?.refreshToken);
  } finally {
    store.close();
  }
}
