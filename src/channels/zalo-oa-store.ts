// The Zalo OA token pair. Zalo replaces the refresh token on every refresh and the old one stops working, so the
// new pair must be stored before anything else happens, or the OA is locked out after the next restart; and only
// one caller may refresh at a time (rotate()). SQLite here (DATA_DIR/zalo-oa.db: one row, one transaction, WAL so
// a crash never leaves half a pair); PostgreSQL for several replicas in zalo-oa-store-pg.ts.
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openDatabase, PROCESSED_EVENTS_TABLE, type Migration } from '../infra';

export const ZALO_OA_DB = 'zalo-oa.db';

export interface OATokens {
  accessToken: string | null;
  refreshToken: string | null;
  /** Access-token expiry (ms since the epoch); null when unknown (a pair seeded from the environment). */
  expiresAt: number | null;
}

export interface OATokenStore {
  /**
   * Seeds the store from ZALO_OA_ACCESS_TOKEN / ZALO_OA_REFRESH_TOKEN: when it is empty, belongs to another app, or
   * the environment now holds a different pair than the one that seeded it (the operator re-authorised the app).
   * Otherwise the stored (rotated) pair wins.
   */
  seed(access: string | undefined, refresh: string | undefined): Promise<'seeded' | 'kept' | 'empty'>;
  /** The stored pair for this app, if any. */
  load(): Promise<OATokens | undefined>;
  /**
   * Refreshes under a lock that every process sharing the store respects: reads the pair as stored now; when
   * `needsRefresh(pair)` is false (someone refreshed meanwhile) returns it untouched; otherwise stores the result
   * of `refresh(pair)` before the lock is released. When `refresh` throws, the stored pair stays as it was.
   */
  rotate(
    needsRefresh: (t: OATokens | undefined) => boolean,
    refresh: (t: OATokens | undefined) => Promise<OATokens>,
  ): Promise<OATokens | undefined>;
  close(): Promise<void>;
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
export function seedHash(access: string | undefined, refresh: string | undefined): string | null {
  if (!access && !refresh) return null;
  return createHash('sha256')
    .update(`${access ?? ''}\n${refresh ?? ''}`)
    .digest('hex');
}

export class ZaloOATokenStore implements OATokenStore {
  private readonly db: Database.Database;
  /** One process uses this file: an in-process queue is the lock. */
  private queue: Promise<unknown> = Promise.resolve();

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

  async seed(access: string | undefined, refresh: string | undefined): Promise<'seeded' | 'kept' | 'empty'> {
    const hash = seedHash(access, refresh);
    return this.db.transaction(() => {
      const row = this.row();
      const fresh = !row || row.app_id !== this.appId || (hash !== null && row.seed_hash !== hash);
      if (!fresh) return 'kept';
      if (hash === null) return row && row.app_id === this.appId ? 'kept' : 'empty';
      this.write({ accessToken: access ?? null, refreshToken: refresh ?? null, expiresAt: null }, hash);
      return 'seeded';
    })() as 'seeded' | 'kept' | 'empty';
  }

  async load(): Promise<OATokens | undefined> {
    return this.loadSync();
  }

  private loadSync(): OATokens | undefined {
    const r = this.row();
    if (!r || r.app_id !== this.appId) return undefined;
    return { accessToken: r.access_token, refreshToken: r.refresh_token, expiresAt: r.expires_at };
  }

  rotate(
    needsRefresh: (t: OATokens | undefined) => boolean,
    refresh: (t: OATokens | undefined) => Promise<OATokens>,
  ): Promise<OATokens | undefined> {
    const run = this.queue.then(async () => {
      const cur = this.loadSync();
      if (!needsRefresh(cur)) return cur;
      const next = await refresh(cur);
      this.db.transaction(() => this.write(next, this.row()?.seed_hash ?? null))();
      return next;
    });
    this.queue = run.catch(() => undefined);
    return run;
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

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** True when DATA_DIR/zalo-oa.db holds a token for this app (so the OA can run without tokens in the environment). */
export async function hasStoredZaloOATokens(dataDir: string, appId: string): Promise<boolean> {
  const file = path.join(dataDir, ZALO_OA_DB);
  if (!existsSync(file)) return false;
  return hasTokens(new ZaloOATokenStore(file, appId));
}

/** True when `store` holds a token (it is closed afterwards). */
export async function hasTokens(store: OATokenStore): Promise<boolean> {
  try {
    const t = await store.load();
    return Boolean(t?.accessToken || t?.refreshToken);
  } finally {
    await store.close();
  }
}
