// ProcessedEventStore in SQLite: a table beside the OA token pair in DATA_DIR/zalo-oa.db (its own connection).
import type Database from 'better-sqlite3';
import { DEFAULT_CLAIM_LEASE_MS, type ProcessedEventStore } from './dedupe';
import { type Migration, openDatabase } from './sqlite';

export const PROCESSED_EVENTS_TABLE = `CREATE TABLE IF NOT EXISTS processed_events (
  scope TEXT NOT NULL,
  event_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  done_at INTEGER,
  PRIMARY KEY (scope, event_id)
);
CREATE INDEX IF NOT EXISTS processed_events_at ON processed_events (at)`;

/** Pruning runs every this many inserts (cheap: an indexed range delete). */
const PRUNE_EVERY = 500;

export class SqliteProcessedEventStore implements ProcessedEventStore {
  private readonly db: Database.Database;
  private readonly claimStmt: Database.Statement;
  private readonly doneStmt: Database.Statement;
  private readonly del: Database.Statement;
  private inserts = 0;

  /**
   * `scope` keeps several channels apart in one table; ids older than `retentionMs` are forgotten (it must be
   * longer than the window in which the channel accepts an event at all).
   */
  constructor(
    file: string,
    private readonly scope: string,
    private readonly retentionMs: number,
    private readonly leaseMs = DEFAULT_CLAIM_LEASE_MS,
    /** The migrations of the database the table lives in (it shares DATA_DIR/zalo-oa.db with the OA tokens). */
    migrations: readonly Migration[] = [
      { version: 1, name: 'processed events', up: (db) => db.exec(PROCESSED_EVENTS_TABLE) },
    ],
  ) {
    this.db = openDatabase(file, migrations, { label: 'processed events' });
    // Tables from before claims and leases (created without done_at): every id there counts as handled.
    const cols = this.db.prepare('PRAGMA table_info(processed_events)').all() as { name: string }[];
    if (!cols.some((c) => c.name === 'done_at'))
      this.db.exec('ALTER TABLE processed_events ADD COLUMN done_at INTEGER; UPDATE processed_events SET done_at = at');
    this.claimStmt = this.db.prepare(`INSERT INTO processed_events (scope, event_id, at) VALUES (?, ?, ?)
      ON CONFLICT (scope, event_id) DO UPDATE SET at = excluded.at WHERE done_at IS NULL AND at <= ?`);
    this.doneStmt = this.db.prepare('UPDATE processed_events SET done_at = ? WHERE scope = ? AND event_id = ?');
    this.del = this.db.prepare('DELETE FROM processed_events WHERE scope = ? AND at < ?');
  }

  async claim(id: string, atMs: number): Promise<boolean> {
    if (++this.inserts % PRUNE_EVERY === 0) await this.prune(atMs - this.retentionMs);
    return this.claimStmt.run(this.scope, id, atMs, atMs - this.leaseMs).changes === 1;
  }

  async done(id: string, atMs: number): Promise<void> {
    this.doneStmt.run(atMs, this.scope, id);
  }

  async prune(beforeMs: number): Promise<number> {
    return this.del.run(this.scope, beforeMs).changes;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
