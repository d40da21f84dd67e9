import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { CodeTakenError, LATEST_VERSION, MIGRATIONS, migrate, SqliteAttendanceStore } from '../../src/attendance';
import { cleanupTmp, tmpDir, T0 } from './helpers';

afterAll(cleanupTmp);

function seed(store: SqliteAttendanceStore): number {
  const cls = store.ensureClass('telegram:t1', 'Lớp A', T0);
  return store.createSession({
    classId: cls.id,
    code: 'K7QX',
    openedBy: 'telegram:t1',
    channel: 'telegram',
    chatId: 'c1',
    isGroup: false,
    openedAt: T0,
    expiresAt: T0 + 3600_000,
    capacity: null,
  }).id;
}

describe('SqliteAttendanceStore', () => {
  it('creates parent directories and sets WAL, synchronous FULL, busy_timeout', () => {
    const dbPath = path.join(tmpDir(), 'deep', 'er', 'attendance.db');
    const store = new SqliteAttendanceStore(dbPath);
    try {
      expect(fs.existsSync(dbPath)).toBe(true);
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
      expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      store.close();
    }
  });

  it('runs migrations once: reopening is idempotent and keeps the data', () => {
    const dbPath = path.join(tmpDir(), 'attendance.db');
    const s1 = new SqliteAttendanceStore(dbPath);
    seed(s1);
    s1.close();
    for (let i = 0; i < 3; i++) {
      const s = new SqliteAttendanceStore(dbPath);
      expect(s.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      const applied = s.db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
      expect(applied).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      expect(s.getSessionByCode('K7QX')?.className).toBe('Lớp A');
      expect(migrate(s.db)).toBe(0);
      s.close();
    }
  });

  it('applies later migrations in order and refuses a database newer than the code', () => {
    const db = new Database(path.join(tmpDir(), 'm.db'));
    try {
      const extra = [
        ...MIGRATIONS,
        {
          version: LATEST_VERSION + 1,
          name: 'add note',
          up: (d: Database.Database) => d.exec('ALTER TABLE classes ADD COLUMN note TEXT'),
        },
      ];
      expect(migrate(db, MIGRATIONS)).toBe(MIGRATIONS.length);
      expect(migrate(db, extra)).toBe(1);
      expect(migrate(db, extra)).toBe(0);
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 1);
      expect(() => migrate(db, MIGRATIONS)).toThrow(/newer than this code/);
    } finally {
      db.close();
    }
  });

  it('rolls back a failing migration entirely', () => {
    const db = new Database(path.join(tmpDir(), 'm.db'));
    try {
      migrate(db);
      const broken = [
        ...MIGRATIONS,
        {
          version: 99,
          name: 'broken',
          up: (d: Database.Database) => {
            d.exec('CREATE TABLE half (x)');
            throw new Error('boom');
          },
        },
      ];
      expect(() => migrate(db, broken)).toThrow('boom');
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    } finally {
      db.close();
    }
  });

  it('lets UNIQUE constraints do the dedupe work', () => {
    const store = new SqliteAttendanceStore(path.join(tmpDir(), 'u.db'));
    try {
      const sessionId = seed(store);
      const input = { sessionId, channel: 'zalo', userId: 'u1', name: 'An', nameGiven: true, at: T0, messageId: 'm1' };
      expect(store.checkIn(input).kind).toBe('created');
      expect(store.checkIn({ ...input, messageId: 'm2', name: 'Ân' })).toMatchObject({
        kind: 'repeat',
        nameChanged: true,
      });
      expect(store.checkIn({ ...input, channel: 'telegram' }).kind).toBe('created'); // another platform, another person
      expect(store.countCheckins(sessionId)).toBe(2);
      // Even a raw insert cannot create a second row for the same person.
      expect(() =>
        store.db
          .prepare(
            'INSERT INTO checkins (session_id, channel, user_id, name, checked_in_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
          )
          .run(sessionId, 'zalo', 'u1', 'X', T0, T0),
      ).toThrow(/UNIQUE/);
      // Session codes are unique.
      const cls = store.ensureClass('telegram:t1', 'lop a', T0);
      expect(cls.name).toBe('Lớp A');
      expect(() =>
        store.createSession({
          classId: cls.id,
          code: 'K7QX',
          openedBy: 'x',
          channel: 'web',
          chatId: 'c',
          isGroup: false,
          openedAt: T0,
          expiresAt: T0 + 1,
          capacity: null,
        }),
      ).toThrow(CodeTakenError);
      // Processed messages: one record per (channel, chat, message id).
      const key = { channel: 'telegram', chatId: 'c1', messageId: '42' };
      store.recordProcessed(key, 'first', T0);
      expect(() => store.recordProcessed(key, 'second', T0)).toThrow(/UNIQUE|PRIMARY/);
      store.recordProcessed({ ...key, chatId: 'c2' }, 'other chat', T0); // Telegram ids are per chat
      expect(store.getProcessedReply(key)).toBe('first');
      expect(store.pruneProcessed(T0 + 1)).toBe(2);
      expect(store.getProcessedReply(key)).toBeUndefined();
    } finally {
      store.close();
    }
  });

  it('lists sessions with counts and exports rows in order', () => {
    const store = new SqliteAttendanceStore(path.join(tmpDir(), 'l.db'));
    try {
      const sessionId = seed(store);
      store.checkIn({
        sessionId,
        channel: 'zalo',
        userId: 'b',
        name: 'Bình',
        nameGiven: true,
        at: T0 + 2000,
        messageId: null,
      });
      store.checkIn({
        sessionId,
        channel: 'zalo',
        userId: 'a',
        name: 'An',
        nameGiven: true,
        at: T0 + 1000,
        messageId: null,
      });
      expect(store.listSessions()).toMatchObject([{ code: 'K7QX', checkins: 2, isGroup: false }]);
      expect(store.exportRows({}).map((r) => r.name)).toEqual(['An', 'Bình']);
      expect(store.exportRows({ owner: 'telegram:other' })).toEqual([]);
      expect(store.exportRows({ fromMs: T0 + 1 })).toEqual([]);
      expect(store.exportRows({ classIds: [] })).toEqual([]);
    } finally {
      store.close();
    }
  });
});
