import type Database from 'better-sqlite3';
import { migrate as runMigrations, type Migration } from '../infra';

/** The attendance schema, oldest first (see infra/sqlite.ts for the rules). */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial attendance schema',
    up: (db) => {
      db.exec(`
        CREATE TABLE classes (
          id          INTEGER PRIMARY KEY,
          name        TEXT    NOT NULL,
          name_key    TEXT    NOT NULL,
          owner       TEXT    NOT NULL,
          created_at  INTEGER NOT NULL,
          UNIQUE (owner, name_key)
        );
        CREATE INDEX classes_name_key ON classes (name_key);
        CREATE TABLE sessions (
          id          INTEGER PRIMARY KEY,
          class_id    INTEGER NOT NULL REFERENCES classes (id),
          code        TEXT    NOT NULL UNIQUE,
          opened_by   TEXT    NOT NULL,
          channel     TEXT    NOT NULL,
          chat_id     TEXT    NOT NULL,
          is_group    INTEGER NOT NULL,
          opened_at   INTEGER NOT NULL,
          expires_at  INTEGER NOT NULL,
          closed_at   INTEGER,
          capacity    INTEGER CHECK (capacity IS NULL OR capacity > 0)
        );
        CREATE INDEX sessions_owner ON sessions (opened_by, opened_at);
        CREATE INDEX sessions_chat ON sessions (channel, chat_id, opened_at);
        CREATE INDEX sessions_class ON sessions (class_id, opened_at);
        CREATE TABLE checkins (
          id              INTEGER PRIMARY KEY,
          session_id      INTEGER NOT NULL REFERENCES sessions (id),
          channel         TEXT    NOT NULL,
          user_id         TEXT    NOT NULL,
          name            TEXT    NOT NULL,
          checked_in_at   INTEGER NOT NULL,
          updated_at      INTEGER NOT NULL,
          message_id      TEXT,
          UNIQUE (session_id, channel, user_id)
        );
        -- Telegram message ids are unique per chat only, so the chat is part of the key.
        CREATE TABLE processed_messages (
          channel       TEXT    NOT NULL,
          chat_id       TEXT    NOT NULL,
          message_id    TEXT    NOT NULL,
          reply         TEXT    NOT NULL,
          processed_at  INTEGER NOT NULL,
          PRIMARY KEY (channel, chat_id, message_id)
        ) WITHOUT ROWID;
        CREATE INDEX processed_messages_time ON processed_messages (processed_at);
      `);
    },
  },
  {
    version: 2,
    name: 'rosters, manual matches, grace period, trainers, web sign-in',
    up: (db) => {
      db.exec(`
        ALTER TABLE classes ADD COLUMN grace_minutes INTEGER NOT NULL DEFAULT 15;
        CREATE TABLE learners (
          id          INTEGER PRIMARY KEY,
          class_id    INTEGER NOT NULL REFERENCES classes (id),
          position    INTEGER NOT NULL,
          name        TEXT    NOT NULL,
          name_key    TEXT    NOT NULL,
          phone       TEXT,
          birth_date  TEXT,
          village     TEXT,
          added_at    INTEGER NOT NULL,
          removed_at  INTEGER
        );
        CREATE INDEX learners_class ON learners (class_id, position);
        -- A trainer's decision about one check-in; learner_id NULL means "not on the roster".
        CREATE TABLE checkin_links (
          checkin_id  INTEGER PRIMARY KEY REFERENCES checkins (id),
          learner_id  INTEGER REFERENCES learners (id),
          linked_by   TEXT    NOT NULL,
          linked_at   INTEGER NOT NULL
        );
        CREATE INDEX checkins_session ON checkins (session_id, checked_in_at);
        CREATE TABLE trainers (
          identity    TEXT    PRIMARY KEY,
          name        TEXT    NOT NULL,
          added_by    TEXT    NOT NULL,
          added_at    INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE sign_in_codes (
          code_hash   TEXT    PRIMARY KEY,
          identity    TEXT    NOT NULL,
          created_at  INTEGER NOT NULL,
          expires_at  INTEGER NOT NULL,
          used_at     INTEGER
        ) WITHOUT ROWID;
        CREATE TABLE web_sessions (
          token_hash  TEXT    PRIMARY KEY,
          identity    TEXT    NOT NULL,
          created_at  INTEGER NOT NULL,
          expires_at  INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX web_sessions_identity ON web_sessions (identity);
      `);
    },
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Applies the attendance migrations that are pending (tests call it on a bare connection). */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
  now = Date.now(),
): number {
  return runMigrations(db, migrations, 'attendance', now);
}
