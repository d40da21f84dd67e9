// ProcessedEventStore in SQLite: a table beside the OA token pair in DATA_DIR/zalo-oa.db (its own connection).
import type Database from 'better-sqlite3';
import type { ProcessedEventStore } from './dedupe';
import { openDatabase, type Migration } from './sqlite';

export const PROCESSED_EVENTS_TABLE = `CREATE TABLE IF NOT EXISTS processed_events (
  scope TEXT NOT NULL,
  event_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (scope, event_id)
);
CREATE INDEX IF NOT EXISTS processed_events_at ON processed_events (at)`;

/** Pruning runs every this many inserts (cheap: an indexed range delete). */
const PRUNE_EVERY = 500;

export class SqliteProcessedEventStore implements ProcessedEventStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
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
    /** The migrations of the database the table lives in (it shares DATA_DIR/zalo-oa.db with the OA tokens). */
    migrations: readonly Migration[] = [
      { version: 1, name: 'processed events', up: (db) => db.exec(PROCESSED_EVENTS_TABLE) },
    ],
  ) {
    this.db = openDatabase(file, migrations, { label: 'processed events' });
    this.insert = this.db.prepare('INSERT OR IGNORE INTO processed_events (scope, event_id, at) VALUES (?, ?, ?)');
    this.del = this.db.prepare('DELETE FROM processed_events WHERE scope = ? AND at < ?');
  }

  firstTime(id: string, atMs: number): boolean {
    if (++this.inserts % PRUNE_EVERY === 0) this.prune(atMs - this.retentionMs);
    return this.insert.run(this.scope, id, atMs).changes === 1;
  }

  prune(beforeMs: number): number {
    return this.del.run(this.scope, beforeMs).changes;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
