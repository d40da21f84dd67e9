import { afterAll, describe, expect, it } from 'vitest';
import { openAttendance, type SqliteAttendanceStore } from '../../src/attendance';
import { cleanupTmp, harness, message } from './helpers';

afterAll(cleanupTmp);

const count = (a: { store: unknown }, table: string): number =>
  ((a.store as SqliteAttendanceStore).db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('duplicate deliveries', () => {
  it('processes the same platform message once and returns the first reply again', async () => {
    const h = harness();
    try {
      const code = await h.open('/mo Lớp A 30');
      const m = message({ userId: 'u1', text: `dd ${code} Nguyễn Văn An`, channel: 'zalo', messageId: 'zalo-777' });
      const first = await h.a.handle(m, 'user');
      h.clock.advanceMinutes(5);
      const again = await h.a.handle({ ...m }, 'user');
      expect(first!.text).toBe('✅ Đã điểm danh: Nguyễn Văn An — Lớp A, 09:00.');
      expect(again!.text).toBe(first!.text);
      // Delivered many times at once (webhook retries racing): still one row.
      await Promise.all(Array.from({ length: 20 }, async () => h.a.handle({ ...m }, 'user')));
      expect(count(h.a, 'checkins')).toBe(1);
      expect(count(h.a, 'processed_messages')).toBe(2); // the /mo and this check-in
    } finally {
      h.a.close();
    }
  });

  it('does not open a second session when /mo is redelivered', async () => {
    const h = harness();
    try {
      const m = message({ userId: 't1', text: '/mo Lớp A 30', messageId: 'tg-1' });
      const r1 = await h.a.handle(m, 'trainer');
      const r2 = await h.a.handle({ ...m }, 'trainer');
      expect(r2!.text).toBe(r1!.text);
      expect(count(h.a, 'sessions')).toBe(1);
    } finally {
      h.a.close();
    }
  });

  it('remembers processed messages across a restart', async () => {
    const h = harness();
    const code = await h.open('/mo Lớp A 30');
    const m = message({ userId: 'u1', text: `dd ${code}`, messageId: 'tg-55' });
    const first = await h.a.handle(m, 'user');
    h.a.close();
    const again = openAttendance({ dbPath: h.dbPath, now: h.clock.now });
    try {
      expect((await again.handle({ ...m }, 'user'))!.text).toBe(first!.text);
      expect(count(again, 'checkins')).toBe(1);
    } finally {
      again.close();
    }
  });

  it('keys message ids by chat (Telegram ids repeat across chats) and by channel', async () => {
    const h = harness();
    try {
      const code = await h.open('/mo Lớp A 30');
      const r1 = await h.a.handle(message({ userId: 'u1', chatId: 'p1', text: `dd ${code}`, messageId: '1' }), 'user');
      const r2 = await h.a.handle(message({ userId: 'u2', chatId: 'p2', text: `dd ${code}`, messageId: '1' }), 'user');
      const r3 = await h.a.handle(
        message({ userId: 'u3', chatId: 'p1', channel: 'zalo', text: `dd ${code}`, messageId: '1' }),
        'user',
      );
      for (const r of [r1, r2, r3]) expect(r!.text).toMatch(/^✅/);
      expect(count(h.a, 'checkins')).toBe(3);
    } finally {
      h.a.close();
    }
  });

  it('counts a person once even without message ids or with new ones', async () => {
    const h = harness();
    try {
      const code = await h.open('/mo Lớp A 30');
      for (let i = 0; i < 5; i++)
        await h.a.handle(message({ userId: 'u1', text: `dd ${code}`, messageId: '' }), 'user');
      for (let i = 0; i < 5; i++) await h.say('u1', `diemdanh ${code}`);
      expect(count(h.a, 'checkins')).toBe(1);
    } finally {
      h.a.close();
    }
  });
});
