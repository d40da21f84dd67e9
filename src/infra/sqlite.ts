// Every SQLite database of the project opens here: one durability policy and one migration runner.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Ordered schema migrations. The applied version lives in PRAGMA user_version; each migration also leaves a row in
 * schema_migrations (name and time) for people inspecting a database. Append new migrations at the end; never edit
 * one that has shipped.
 */
export interface Migration {
  version: number;
  name: string;
  up: (db: Database.Database) => void;
}

interface OpenOptions {
  /** What the database holds, for error messages ("attendance"). */
  label: string;
  /** ms to wait for another connection's write lock before failing with SQLITE_BUSY (default 5 s). */
  busyTimeoutMs?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating its folder) and migrates a database. WAL lets readers and one writer work at once; synchronous
 * FULL fsyncs the WAL on every commit, so what a reply acknowledged ("✅ Đã điểm danh", a rotated refresh token,
 * a handled event) survives a power failure too, not only a killed process. At the project's write rates (a few per
 * second, see scripts/bench-attendance.ts) that cost is negligible.
 */
export function openDatabase(file: string, migrations: readonly Migration[], opts: OpenOptions): Database.Database {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  migrate(db, migrations, opts.label);
  return db;
}

/** Applies the pending migrations, each in its own transaction. Safe to call on every open, by several processes. */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[],
  label: string,
  now = Date.now(),
): number {
  const current = Number(db.pragma('user_version', { simple: true }));
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  if (current > latest)
    throw new Error(`${label} database schema version ${current} is newer than this code (${latest})`);
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  let applied = 0;
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      // Another process may have applied it since we read user_version.
      if (Number(db.pragma('user_version', { simple: true })) >= m.version) return;
      m.up(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        now,
      );
      db.pragma(`user_version = ${m.version}`);
      applied++;
    }).immediate();
  }
  return applied;
}
