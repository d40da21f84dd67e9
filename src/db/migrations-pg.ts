// Versioned schema of the shared PostgreSQL database. Every replica runs migratePg() at start-up: one transaction
// holding a transaction-scoped advisory lock, so replicas starting together apply each migration exactly once
// (the others wait for the lock, then find nothing to do). Append new migrations; never edit one that shipped.
import { LOCKS, type Database } from './pg';

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'attendance: classes, sessions, check-ins, processed messages, rosters, trainers, web sign-in',
    sql: `
      CREATE TABLE classes (
        id            SERIAL  PRIMARY KEY,
        name          TEXT    NOT NULL,
        name_key      TEXT    NOT NULL,
        owner         TEXT    NOT NULL,
        created_at    BIGINT  NOT NULL,
        grace_minutes INTEGER NOT NULL DEFAULT 15,
        UNIQUE (owner, name_key)
      );
      CREATE INDEX classes_name_key ON classes (name_key);
      CREATE TABLE sessions (
        id          SERIAL  PRIMARY KEY,
        class_id    INTEGER NOT NULL REFERENCES classes (id),
        code        TEXT    NOT NULL UNIQUE,
        opened_by   TEXT    NOT NULL,
        channel     TEXT    NOT NULL,
        chat_id     TEXT    NOT NULL,
        is_group    BOOLEAN NOT NULL,
        opened_at   BIGINT  NOT NULL,
        expires_at  BIGINT  NOT NULL,
        closed_at   BIGINT,
        capacity    INTEGER CHECK (capacity IS NULL OR capacity > 0)
      );
      CREATE INDEX sessions_owner ON sessions (opened_by, opened_at);
      CREATE INDEX sessions_chat ON sessions (channel, chat_id, opened_at);
      CREATE INDEX sessions_class ON sessions (class_id, opened_at);
      CREATE TABLE checkins (
        id             SERIAL  PRIMARY KEY,
        session_id     INTEGER NOT NULL REFERENCES sessions (id),
        channel        TEXT    NOT NULL,
        user_id        TEXT    NOT NULL,
        name           TEXT    NOT NULL,
        checked_in_at  BIGINT  NOT NULL,
        updated_at     BIGINT  NOT NULL,
        message_id     TEXT,
        UNIQUE (session_id, channel, user_id)
      );
      CREATE INDEX checkins_session ON checkins (session_id, checked_in_at);
      CREATE TABLE processed_messages (
        channel       TEXT   NOT NULL,
        chat_id       TEXT   NOT NULL,
        message_id    TEXT   NOT NULL,
        reply         TEXT   NOT NULL,
        processed_at  BIGINT NOT NULL,
        PRIMARY KEY (channel, chat_id, message_id)
      );
      CREATE INDEX processed_messages_time ON processed_messages (processed_at);
      CREATE TABLE learners (
        id          SERIAL  PRIMARY KEY,
        class_id    INTEGER NOT NULL REFERENCES classes (id),
        position    INTEGER NOT NULL,
        name        TEXT    NOT NULL,
        name_key    TEXT    NOT NULL,
        phone       TEXT,
        birth_date  TEXT,
        village     TEXT,
        added_at    BIGINT  NOT NULL,
        removed_at  BIGINT
      );
      CREATE INDEX learners_class ON learners (class_id, position);
      CREATE TABLE checkin_links (
        checkin_id  INTEGER PRIMARY KEY REFERENCES checkins (id),
        learner_id  INTEGER REFERENCES learners (id),
        linked_by   TEXT    NOT NULL,
        linked_at   BIGINT  NOT NULL
      );
      CREATE TABLE trainers (
        identity  TEXT   PRIMARY KEY,
        name      TEXT   NOT NULL,
        added_by  TEXT   NOT NULL,
        added_at  BIGINT NOT NULL
      );
      CREATE TABLE sign_in_codes (
        code_hash   TEXT   PRIMARY KEY,
        identity    TEXT   NOT NULL,
        created_at  BIGINT NOT NULL,
        expires_at  BIGINT NOT NULL,
        used_at     BIGINT
      );
      CREATE TABLE web_sessions (
        token_hash  TEXT   PRIMARY KEY,
        identity    TEXT   NOT NULL,
        created_at  BIGINT NOT NULL,
        expires_at  BIGINT NOT NULL
      );
      CREATE INDEX web_sessions_identity ON web_sessions (identity);`,
  },
  {
    version: 2,
    name: 'answer feedback',
    sql: `
      CREATE TABLE feedback (
        id          SERIAL PRIMARY KEY,
        answer_id   TEXT   NOT NULL,
        vote        TEXT   NOT NULL CHECK (vote IN ('up', 'down')),
        question    TEXT,
        answer      TEXT,
        mode        TEXT,
        channel     TEXT   NOT NULL,
        chat_id     TEXT   NOT NULL,
        user_id     TEXT   NOT NULL,
        created_at  BIGINT NOT NULL,
        UNIQUE (answer_id, channel, user_id)
      );
      CREATE INDEX feedback_created ON feedback (created_at);`,
  },
  {
    // UNLOGGED: short-lived state that may be lost if the database server crashes (not on a clean restart), for
    // Redis-like write speed. Counters restart empty, conversations forget their topic, links must be made again.
    version: 3,
    name: 'chat state: duplicate filters, rate limits, conversations, answers, login lockouts, export files, admin sessions',
    sql: `
      CREATE UNLOGGED TABLE seen_updates (
        scope       TEXT   NOT NULL,
        event_id    TEXT   NOT NULL,
        claimed_at  BIGINT NOT NULL,
        done_at     BIGINT,
        PRIMARY KEY (scope, event_id)
      );
      CREATE INDEX seen_updates_time ON seen_updates (claimed_at);
      CREATE UNLOGGED TABLE rate_limits (
        scope      TEXT     NOT NULL,
        key        TEXT     NOT NULL,
        events     BIGINT[] NOT NULL,
        ok         BOOLEAN  NOT NULL DEFAULT TRUE,
        warned_at  BIGINT,
        last_at    BIGINT   NOT NULL,
        PRIMARY KEY (scope, key)
      );
      CREATE INDEX rate_limits_time ON rate_limits (last_at);
      CREATE UNLOGGED TABLE conversations (
        chat_key     TEXT   PRIMARY KEY,
        turns        JSONB  NOT NULL DEFAULT '[]',
        last_answer  JSONB,
        choices      JSONB,
        choices_at   BIGINT,
        expires_at   BIGINT NOT NULL
      );
      CREATE INDEX conversations_expiry ON conversations (expires_at);
      CREATE UNLOGGED TABLE answer_log (
        answer_id   TEXT   PRIMARY KEY,
        question    TEXT   NOT NULL,
        answer      TEXT   NOT NULL,
        mode        TEXT   NOT NULL,
        chat        TEXT   NOT NULL,
        created_at  BIGINT NOT NULL
      );
      CREATE INDEX answer_log_time ON answer_log (created_at);
      CREATE UNLOGGED TABLE login_lockouts (
        scope         TEXT    NOT NULL,
        key           TEXT    NOT NULL,
        failures      INTEGER NOT NULL,
        last_failure  BIGINT  NOT NULL,
        locked_until  BIGINT  NOT NULL,
        PRIMARY KEY (scope, key)
      );
      CREATE INDEX login_lockouts_time ON login_lockouts (last_failure);
      CREATE UNLOGGED TABLE export_files (
        id          TEXT   PRIMARY KEY,
        seq         BIGSERIAL,
        filename    TEXT   NOT NULL,
        mime_type   TEXT   NOT NULL,
        data        BYTEA  NOT NULL,
        created_at  BIGINT NOT NULL,
        expires_at  BIGINT NOT NULL
      );
      CREATE INDEX export_files_expiry ON export_files (expires_at);
      CREATE TABLE app_secrets (
        name   TEXT  PRIMARY KEY,
        value  BYTEA NOT NULL
      );
      CREATE UNLOGGED TABLE admin_revoked (
        sid         TEXT   PRIMARY KEY,
        expires_at  BIGINT NOT NULL
      );`,
  },
  {
    version: 4,
    name: 'channels: Zalo OA token pairs, processed OA events, polling leases',
    sql: `
      CREATE TABLE oa_tokens (
        app_id         TEXT   PRIMARY KEY,
        access_token   TEXT,
        refresh_token  TEXT,
        expires_at     BIGINT,
        seed_hash      TEXT,
        updated_at     BIGINT NOT NULL
      );
      CREATE TABLE processed_events (
        scope       TEXT   NOT NULL,
        event_id    TEXT   NOT NULL,
        claimed_at  BIGINT NOT NULL,
        done_at     BIGINT,
        PRIMARY KEY (scope, event_id)
      );
      CREATE INDEX processed_events_time ON processed_events (claimed_at);
      CREATE TABLE leases (
        name        TEXT   PRIMARY KEY,
        holder      TEXT   NOT NULL,
        expires_at  BIGINT NOT NULL
      );`,
  },
  {
    version: 5,
    name: 'search index versions published to INDEX_DIR, and what each replica serves',
    sql: `
      CREATE TABLE index_versions (
        id          SERIAL  PRIMARY KEY,
        dir         TEXT    NOT NULL,
        chunks      INTEGER NOT NULL,
        embedder    TEXT    NOT NULL,
        created_by  TEXT    NOT NULL,
        created_at  BIGINT  NOT NULL
      );
      CREATE TABLE index_replicas (
        replica  TEXT    PRIMARY KEY,
        version  INTEGER NOT NULL,
        seen_at  BIGINT  NOT NULL
      );`,
  },
  {
    version: 6,
    name: 'unanswered questions: declined questions and 👎 votes (masked), for the report in /admin/questions',
    sql: `
      CREATE TABLE gap_events (
        id         BIGSERIAL PRIMARY KEY,
        kind       TEXT   NOT NULL CHECK (kind IN ('declined', 'downvoted')),
        question   TEXT   NOT NULL,
        group_key  TEXT   NOT NULL,
        channel    TEXT   NOT NULL,
        mode       TEXT,
        reason     TEXT,
        at         BIGINT NOT NULL
      );
      CREATE INDEX gap_events_key ON gap_events (group_key, at);
      CREATE INDEX gap_events_at ON gap_events (at);`,
  },
];

export const PG_LATEST_VERSION = PG_MIGRATIONS[PG_MIGRATIONS.length - 1].version;

/** Applies the pending migrations in one transaction under the migrations lock; returns how many ran. */
export async function migratePg(
  db: Database,
  migrations: readonly PgMigration[] = PG_MIGRATIONS,
  now = Date.now(),
): Promise<number> {
  return db.transaction(async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [LOCKS.migrations]);
    await c.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const current = (await c.query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations')).rows[0].v as number;
    const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
    if (current > latest)
      throw new Error(`database schema version ${current} is newer than this code (${latest}): upgrade this replica`);
    let applied = 0;
    for (const m of migrations) {
      if (m.version <= current) continue;
      await c.query(m.sql);
      await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        now,
      ]);
      applied++;
    }
    return applied;
  });
}
