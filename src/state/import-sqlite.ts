// Moving a one-machine deployment to several replicas: copies DATA_DIR's SQLite files (attendance, feedback, the
// Zalo OA token pair and handled OA events, the unanswered questions) into the PostgreSQL database, ids and all, in
// one transaction. The target must not hold attendance, feedback or unanswered questions yet.
// `npm run cli -- db import-sqlite`.
import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { ZALO_OA_DB } from '../channels';
import type { Database as PgDatabase } from '../db';

export class ImportError extends Error {}

type Row = Record<string, unknown>;

/** Inserts `rows` into `table` 500 at a time. */
async function insertRows(c: pg.PoolClient, table: string, columns: string[], rows: Row[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const batch = rows.slice(i, i + 500);
    const values: unknown[] = [];
    const tuples = batch.map(
      (r) => `(${columns.map((col) => (values.push(r[col] ?? null), `$${values.length}`)).join(', ')})`,
    );
    await c.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
  }
}

const ATTENDANCE_TABLES: [string, string[]][] = [
  ['classes', ['id', 'name', 'name_key', 'owner', 'created_at', 'grace_minutes']],
  [
    'sessions',
    [
      'id',
      'class_id',
      'code',
      'opened_by',
      'channel',
      'chat_id',
      'is_group',
      'opened_at',
      'expires_at',
      'closed_at',
      'capacity',
    ],
  ],
  ['checkins', ['id', 'session_id', 'channel', 'user_id', 'name', 'checked_in_at', 'updated_at', 'message_id']],
  ['processed_messages', ['channel', 'chat_id', 'message_id', 'reply', 'processed_at']],
  [
    'learners',
    ['id', 'class_id', 'position', 'name', 'name_key', 'phone', 'birth_date', 'village', 'added_at', 'removed_at'],
  ],
  ['checkin_links', ['checkin_id', 'learner_id', 'linked_by', 'linked_at']],
  ['trainers', ['identity', 'name', 'added_by', 'added_at']],
  ['sign_in_codes', ['code_hash', 'identity', 'created_at', 'expires_at', 'used_at']],
  ['web_sessions', ['token_hash', 'identity', 'created_at', 'expires_at']],
];
const SERIAL_TABLES = ['classes', 'sessions', 'checkins', 'learners', 'feedback', 'gap_events'];

function open(file: string): Database.Database | undefined {
  return existsSync(file) ? new Database(file, { readonly: true, fileMustExist: true }) : undefined;
}

/** Copies what exists of DATA_DIR's databases; returns rows copied per table. */
export async function importSqlite(dataDir: string, db: PgDatabase): Promise<Record<string, number>> {
  const attendance = open(path.join(dataDir, 'attendance.db'));
  const feedback = open(path.join(dataDir, 'feedback.db'));
  const oa = open(path.join(dataDir, ZALO_OA_DB));
  const gaps = open(path.join(dataDir, 'unanswered.db'));
  if (!attendance && !feedback && !oa && !gaps)
    throw new ImportError(
      `no SQLite database in ${dataDir} (attendance.db, feedback.db, ${ZALO_OA_DB}, unanswered.db)`,
    );
  const copied: Record<string, number> = {};
  try {
    await db.transaction(async (c) => {
      const busy = (
        await c.query(
          'SELECT (SELECT COUNT(*) FROM classes) + (SELECT COUNT(*) FROM feedback) + (SELECT COUNT(*) FROM gap_events) AS n',
        )
      ).rows[0].n as number;
      if (busy > 0)
        throw new ImportError(
          'the PostgreSQL database already holds attendance, feedback or unanswered questions; import into an empty one',
        );
      const copy = async (
        src: Database.Database,
        table: string,
        columns: string[],
        map: (r: Row) => Row = (r) => r,
      ) => {
        const rows = (src.prepare(`SELECT * FROM ${table}`).all() as Row[]).map(map);
        await insertRows(c, table, columns, rows);
        copied[table] = rows.length;
      };
      if (attendance) {
        for (const [table, columns] of ATTENDANCE_TABLES) {
          await copy(
            attendance,
            table,
            columns,
            table === 'sessions' ? (r) => ({ ...r, is_group: r.is_group === 1 }) : undefined,
          );
        }
      }
      if (feedback)
        await copy(feedback, 'feedback', [
          'id',
          'answer_id',
          'vote',
          'question',
          'answer',
          'mode',
          'channel',
          'chat_id',
          'user_id',
          'created_at',
        ]);
      if (gaps)
        await copy(gaps, 'gap_events', ['id', 'kind', 'question', 'group_key', 'channel', 'mode', 'reason', 'at']);
      if (oa) {
        const hasTable = (t: string) =>
          oa.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t) !== undefined;
        if (hasTable('oa_tokens')) {
          // The rotated pair wins over whatever a replica may have seeded from the environment meanwhile.
          const rows = oa
            .prepare('SELECT app_id, access_token, refresh_token, expires_at, seed_hash, updated_at FROM oa_tokens')
            .all() as Row[];
          for (const r of rows) {
            await c.query(
              `INSERT INTO oa_tokens (app_id, access_token, refresh_token, expires_at, seed_hash, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
               ON CONFLICT (app_id) DO UPDATE SET access_token = EXCLUDED.access_token, refresh_token = EXCLUDED.refresh_token,
                 expires_at = EXCLUDED.expires_at, seed_hash = EXCLUDED.seed_hash, updated_at = EXCLUDED.updated_at`,
              [r.app_id, r.access_token, r.refresh_token, r.expires_at, r.seed_hash, r.updated_at],
            );
          }
          copied.oa_tokens = rows.length;
        }
        if (hasTable('processed_events')) {
          const cols = (oa.prepare('PRAGMA table_info(processed_events)').all() as { name: string }[]).map(
            (x) => x.name,
          );
          const rows = (oa.prepare('SELECT * FROM processed_events').all() as Row[]).map((r) => ({
            ...r,
            claimed_at: r.at,
            done_at: cols.includes('done_at') ? r.done_at : r.at,
          }));
          await insertRows(c, 'processed_events', ['scope', 'event_id', 'claimed_at', 'done_at'], rows);
          copied.processed_events = rows.length;
        }
      }
      for (const t of SERIAL_TABLES) {
        await c.query(
          `SELECT setval(pg_get_serial_sequence('${t}', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM ${t}`,
        );
      }
    });
  } finally {
    attendance?.close();
    feedback?.close();
    oa?.close();
    gaps?.close();
  }
  return copied;
}
