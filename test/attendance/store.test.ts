import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { LATEST_VERSION, MIGRATIONS, migrate, SqliteAttendanceStore } from '../../src/attendance';
import { cleanupTmp, tmpDir, T0 } from './helpers';

afterAll(cleanupTmp);

async function seed(store: SqliteAttendanceStore): Promise<number> {
  const cls = await store.ensureClass('telegram:t1', 'Lớp A', T0);
  return (
    await store.createSession({
      classId: cls.id,
      code: 'K7QX',
      openedBy: 'telegram:t1',
      channel: 'telegram',
      chatId: 'c1',
      isGroup: false,
      openedAt: T0,
      expiresAt: T0 + 3600_000,
      capacity: null,
    })
  ).id;
}

describe('SqliteAttendanceStore', () => {
  it('creates parent directories and sets WAL, synchronous FULL, busy_timeout', async () => {
    const dbPath = path.join(tmpDir(), 'deep', 'er', 'attendance.db');
    const store = new SqliteAttendanceStore(dbPath);
    try {
      expect(fs.existsSync(dbPath)).toBe(true);
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
      expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('runs migrations once: reopening is idempotent and keeps the data', async () => {
    const dbPath = path.join(tmpDir(), 'attendance.db');
    const s1 = new SqliteAttendanceStore(dbPath);
    await seed(s1);
    await s1.close();
    for (let i = 0; i < 3; i++) {
      const s = new SqliteAttendanceStore(dbPath);
      expect(s.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      const applied = s.db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
      expect(applied).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      expect((await s.getSessionByCode('K7QX'))?.className).toBe('Lớp A');
      expect(migrate(s.db)).toBe(0);
      await s.close();
    }
  });

  it('applies later migrations in order and refuses a database newer than the code', async () => {
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

  it('rolls back a failing migration entirely', async () => {
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

  it('lets UNIQUE constraints do the dedupe work: even a raw insert cannot create a second row for one person', async () => {
    const store = new SqliteAttendanceStore(path.join(tmpDir(), 'u.db'));
    try {
      const sessionId = await seed(store);
      await store.checkIn({
        sessionId,
        channel: 'zalo',
        userId: 'u1',
        name: 'An',
        nameGiven: true,
        at: T0,
        messageId: 'm1',
      });
      expect(() =>
        store.db
          .prepare(
            'INSERT INTO checkins (session_id, channel, user_id, name, checked_in_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
          )
          .run(sessionId, 'zalo', 'u1', 'X', T0, T0),
      ).toThrow(/UNIQUE/);
    } finally {
      await store.close();
    }
  });
});
