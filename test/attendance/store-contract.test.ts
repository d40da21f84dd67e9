// One contract for AttendanceStore, run over SQLite (the one-machine default) and PostgreSQL (several replicas).
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CodeTakenError,
  PgAttendanceStore,
  SqliteAttendanceStore,
  type AttendanceStore,
  type CheckinInput,
} from '../../src/attendance';
import { usePg } from '../helpers/pg';
import { cleanupTmp, tmpDir, T0 } from './helpers';

afterAll(cleanupTmp);
const pg = usePg();

const backends: [string, () => Promise<AttendanceStore>][] = [
  ['sqlite', async () => new SqliteAttendanceStore(path.join(tmpDir(), 'attendance.db'))],
  ['postgres', async () => new PgAttendanceStore(await pg.database())],
];

async function seed(store: AttendanceStore, code = 'K7QXM2P9', capacity: number | null = null): Promise<number> {
  const cls = await store.ensureClass('telegram:t1', 'Lớp A', T0);
  return (
    await store.createSession({
      classId: cls.id,
      code,
      openedBy: 'telegram:t1',
      channel: 'telegram',
      chatId: 'g1',
      isGroup: true,
      openedAt: T0,
      expiresAt: T0 + 3600_000,
      capacity,
    })
  ).id;
}

const checkin = (sessionId: number, userId: string, o: Partial<CheckinInput> = {}): CheckinInput => ({
  sessionId,
  channel: 'zalo',
  userId,
  name: `Người ${userId}`,
  nameGiven: true,
  at: T0 + 1000,
  messageId: `m-${userId}`,
  ...o,
});

describe.each(backends)('AttendanceStore contract: %s', (_name, open) => {
  it('keeps one class per owner and folded name, and finds classes by owner, key or part of it', async () => {
    const s = await open();
    const a = await s.ensureClass('telegram:t1', 'Lớp  kỹ năng số Thôn 3', T0);
    expect(a).toMatchObject({
      name: 'Lớp kỹ năng số Thôn 3',
      nameKey: 'lop ky nang so thon 3',
      owner: 'telegram:t1',
      graceMinutes: 15,
    });
    expect((await s.ensureClass('telegram:t1', 'lop ky nang so thon 3', T0 + 5)).id).toBe(a.id);
    const b = await s.ensureClass('zalo:t2', 'Lớp kỹ năng số thôn 3', T0);
    expect(b.id).not.toBe(a.id);
    expect((await s.findClasses({})).map((c) => c.id)).toEqual([a.id, b.id]);
    expect((await s.findClasses({ owner: 'zalo:t2' })).map((c) => c.id)).toEqual([b.id]);
    expect(await s.findClasses({ nameContains: 'thon 3' })).toHaveLength(2);
    expect(await s.findClasses({ nameKey: 'thon 3' })).toHaveLength(0);
    await s.setGraceMinutes(a.id, 5);
    expect((await s.getClass(a.id))?.graceMinutes).toBe(5);
    await s.close();
  });

  it('opens, finds and closes sessions; a taken code is refused, even inside a transaction that goes on', async () => {
    const s = await open();
    const id = await seed(s);
    const found = await s.getSessionByCode('K7QXM2P9');
    expect(found).toMatchObject({
      id,
      className: 'Lớp A',
      classOwner: 'telegram:t1',
      isGroup: true,
      closedAt: null,
      capacity: null,
    });
    expect(await s.isCodeTaken('K7QXM2P9')).toBe(true);
    expect(await s.isCodeTaken('AAAA2222')).toBe(false);
    const second = await s.transaction(async (tx) => {
      const cls = await tx.ensureClass('telegram:t1', 'Lớp A', T0);
      const base = {
        classId: cls.id,
        openedBy: 'telegram:t1',
        channel: 'telegram',
        chatId: 'g1',
        isGroup: true,
        openedAt: T0 + 10,
        expiresAt: T0 + 7200_000,
        capacity: null,
      };
      await expect(tx.createSession({ ...base, code: 'K7QXM2P9' })).rejects.toBeInstanceOf(CodeTakenError);
      return tx.createSession({ ...base, code: 'B3CD4EF5' });
    });
    expect((await s.latestSession('telegram:t1'))?.id).toBe(second.id);
    expect((await s.openSessionForChat('telegram', 'g1', T0 + 20))?.id).toBe(second.id);
    expect(await s.countOpenSessions(T0 + 20)).toBe(2);
    expect(await s.countOpenSessions(T0 + 3600_000)).toBe(1);
    expect(await s.closeSession(second.id, T0 + 30)).toBe(true);
    expect(await s.closeSession(second.id, T0 + 40)).toBe(false);
    expect((await s.latestOpenSession('telegram:t1', T0 + 50))?.id).toBe(id);
    expect(await s.latestOpenSession('telegram:t1', T0 + 3600_000)).toBeUndefined();
    await s.close();
  });

  it('checks in once per person; a repeat updates the name; the same message again gets its first outcome', async () => {
    const s = await open();
    const sid = await seed(s);
    const first = await s.checkIn(checkin(sid, 'u1', { name: 'An' }));
    expect(first).toMatchObject({
      kind: 'created',
      checkin: { sessionId: sid, userId: 'u1', name: 'An', checkedInAt: T0 + 1000 },
    });
    const replay = await s.checkIn(checkin(sid, 'u1', { name: 'An', at: T0 + 9000 }));
    expect(replay).toEqual(first);
    expect(await s.checkIn(checkin(sid, 'u1', { name: 'Ân', messageId: 'm2', at: T0 + 2000 }))).toMatchObject({
      kind: 'repeat',
      nameChanged: true,
      checkin: {
        id: first.kind === 'created' ? first.checkin.id : -1,
        name: 'Ân',
        checkedInAt: T0 + 1000,
        updatedAt: T0 + 2000,
      },
    });
    expect(await s.checkIn(checkin(sid, 'u1', { name: 'X', nameGiven: false, messageId: 'm3' }))).toMatchObject({
      kind: 'repeat',
      nameChanged: false,
    });
    expect((await s.checkIn(checkin(sid, 'u1', { channel: 'telegram' }))).kind).toBe('created'); // another platform, another person
    expect(await s.countCheckins(sid)).toBe(2);
    expect((await s.listCheckins(sid)).map((c) => [c.channel, c.name])).toEqual([
      ['zalo', 'Ân'],
      ['telegram', 'Người u1'],
    ]);
    await s.close();
  });

  it('stays exactly-once when a class checks in at once and half the messages arrive twice', async () => {
    const s = await open();
    const sid = await seed(s);
    const users = Array.from({ length: 60 }, (_, i) => `u${i}`);
    const deliveries = [...users, ...users.filter((_, i) => i % 2 === 0)].map((u) => s.checkIn(checkin(sid, u)));
    const outcomes = await Promise.all(deliveries);
    expect(outcomes.every((o) => o.kind === 'created')).toBe(true);
    expect(await s.countCheckins(sid)).toBe(60);
    expect(new Set((await s.listCheckins(sid)).map((c) => c.userId)).size).toBe(60);
    await s.close();
  });

  it('never lets more people in than the capacity, even all at once', async () => {
    const s = await open();
    const sid = await seed(s, 'CAPA2345', 10);
    const outcomes = await Promise.all(Array.from({ length: 25 }, (_, i) => s.checkIn(checkin(sid, `c${i}`))));
    expect(outcomes.filter((o) => o.kind === 'created')).toHaveLength(10);
    expect(outcomes.filter((o) => o.kind === 'full')).toHaveLength(15);
    expect(outcomes.find((o) => o.kind === 'full')).toEqual({ kind: 'full', capacity: 10 });
    expect(await s.countCheckins(sid)).toBe(10);
    // Somebody already in may still repeat (and is not "full").
    const inside = outcomes.findIndex((o) => o.kind === 'created');
    expect((await s.checkIn(checkin(sid, `c${inside}`, { messageId: 'again' }))).kind).toBe('repeat');
    await s.close();
  });

  it('commits a transaction as a whole or not at all', async () => {
    const s = await open();
    const sid = await seed(s);
    const key = { channel: 'telegram', chatId: 'g1', messageId: '7' };
    await expect(
      s.transaction(async (tx) => {
        await tx.recordProcessed(key, 'reply', T0);
        await tx.checkIn(checkin(sid, 'rolled-back'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await s.getProcessedReply(key)).toBeUndefined();
    expect(await s.countCheckins(sid)).toBe(0);
    const out = await s.transaction(async (tx) => {
      await tx.recordProcessed(key, 'reply', T0);
      return tx.getProcessedReply(key);
    });
    expect(out).toBe('reply');
    await s.close();
  });

  it('remembers one reply per (channel, chat, message), keeps the first, and forgets old ones', async () => {
    const s = await open();
    const key = { channel: 'telegram', chatId: 'c1', messageId: '42' };
    await s.recordProcessed(key, 'first', T0);
    await s.recordProcessed(key, 'second', T0 + 1).catch(() => undefined);
    await s.recordProcessed({ ...key, chatId: 'c2' }, 'other chat', T0); // Telegram ids are per chat
    expect(await s.getProcessedReply(key)).toBe('first');
    expect(await s.getProcessedReply({ ...key, chatId: 'c2' })).toBe('other chat');
    expect(await s.pruneProcessed(T0 + 1)).toBe(2);
    expect(await s.getProcessedReply(key)).toBeUndefined();
    await s.close();
  });

  it('lists sessions with counts and exports rows in order, filtered', async () => {
    const s = await open();
    const sid = await seed(s);
    await s.checkIn(checkin(sid, 'b', { name: 'Bình', at: T0 + 2000 }));
    await s.checkIn(checkin(sid, 'a', { name: 'An', at: T0 + 1000 }));
    expect(await s.listSessions()).toMatchObject([{ code: 'K7QXM2P9', checkins: 2, isGroup: true }]);
    expect(await s.listSessions({ owner: 'telegram:other' })).toEqual([]);
    expect((await s.exportRows({})).map((r) => r.name)).toEqual(['An', 'Bình']);
    expect((await s.exportRows({ code: 'K7QXM2P9', owner: 'telegram:t1' }))[0]).toMatchObject({
      className: 'Lớp A',
      sessionCode: 'K7QXM2P9',
      channel: 'zalo',
      userId: 'a',
    });
    expect(await s.exportRows({ owner: 'telegram:other' })).toEqual([]);
    expect(await s.exportRows({ fromMs: T0 + 1 })).toEqual([]);
    expect(await s.exportRows({ toMs: T0 + 1 })).toHaveLength(2);
    expect(await s.exportRows({ classIds: [] })).toEqual([]);
    await s.close();
  });

  it('keeps rosters: adds at the end, replaces by plan, removes, links check-ins', async () => {
    const s = await open();
    const sid = await seed(s);
    const classId = (await s.getSessionByCode('K7QXM2P9'))!.classId;
    const l = (name: string, phone: string | null = null) => ({ name, phone, birthDate: null, village: null });
    const added = await s.addLearners(classId, [l('Nguyễn Văn An', '0912345678'), l('Trần Thị Bình')], T0);
    expect(added.map((x) => x.position)).toEqual([1, 2]);
    expect(
      await s.replaceRoster(classId, [l('Trần Thị Bình'), l('Nguyễn Văn Ân', '0912345678'), l('Lê Văn Cường')], T0 + 1),
    ).toEqual({
      added: 1,
      updated: 1,
      removed: 0,
      unchanged: 1,
    });
    expect(await s.replaceRoster(classId, [l('Lê Văn Cường')], T0 + 2)).toMatchObject({ removed: 2, unchanged: 1 });
    expect((await s.listLearners(classId)).map((x) => x.name)).toEqual(['Lê Văn Cường']);
    const all = await s.listLearners(classId, { includeRemoved: true });
    expect(all.map((x) => [x.name, x.removedAt !== null])).toEqual([
      ['Lê Văn Cường', false],
      ['Trần Thị Bình', true],
      ['Nguyễn Văn Ân', true],
    ]);
    expect(await s.removeLearner(all[0].id, T0 + 3)).toBe(true);
    expect(await s.removeLearner(all[0].id, T0 + 4)).toBe(false);
    expect((await s.getLearner(all[0].id))?.removedAt).toBe(T0 + 3);

    const c = await s.checkIn(checkin(sid, 'u1'));
    const id = c.kind === 'created' ? c.checkin.id : -1;
    expect(await s.getCheckin(id)).toMatchObject({ userId: 'u1', sessionId: sid });
    expect((await s.listClassCheckins(classId))[0].linkedLearnerId).toBeUndefined();
    await s.linkCheckin(id, all[1].id, 'telegram:t1', T0 + 5);
    expect((await s.listClassCheckins(classId))[0].linkedLearnerId).toBe(all[1].id);
    await s.linkCheckin(id, null, 'telegram:t1', T0 + 6);
    expect((await s.listClassCheckins(classId))[0].linkedLearnerId).toBeNull();
    await s.linkCheckin(id, undefined, 'telegram:t1', T0 + 7);
    expect((await s.listClassCheckins(classId))[0].linkedLearnerId).toBeUndefined();
    expect(await s.listClassCheckins(classId, { fromMs: T0 + 1 })).toEqual([]);
    await s.close();
  });

  it('keeps trainers, one-time sign-in codes and web sessions', async () => {
    const s = await open();
    await s.upsertTrainer({ identity: 'zalo:77', name: 'Cô Hoa', addedBy: 'admin', addedAt: T0 });
    await s.upsertTrainer({ identity: 'zalo:77', name: 'Cô Hoà', addedBy: 'other', addedAt: T0 + 1 });
    expect(await s.listTrainers()).toEqual([{ identity: 'zalo:77', name: 'Cô Hoà', addedBy: 'admin', addedAt: T0 }]);
    expect(await s.isTrainer('zalo:77')).toBe(true);
    expect(await s.createSignInCode('h1', 'zalo:77', T0, T0 + 600_000)).toBe(true);
    expect(await s.createSignInCode('h1', 'zalo:78', T0, T0 + 600_000)).toBe(false);
    expect(await s.redeemSignInCode('h1', T0 + 600_000)).toBeUndefined(); // expired
    expect(await s.redeemSignInCode('h1', T0 + 1)).toBe('zalo:77');
    expect(await s.redeemSignInCode('h1', T0 + 2)).toBeUndefined(); // used
    await s.createWebSession('w1', 'zalo:77', T0, T0 + 1000);
    expect(await s.webSessionIdentity('w1', T0 + 999)).toBe('zalo:77');
    expect(await s.webSessionIdentity('w1', T0 + 1000)).toBeUndefined();
    await s.createWebSession('w2', 'zalo:77', T0, T0 + 5000);
    expect(await s.removeTrainer('zalo:77')).toBe(true); // ends their web sessions too
    expect(await s.removeTrainer('zalo:77')).toBe(false);
    expect(await s.webSessionIdentity('w2', T0)).toBeUndefined();
    await s.createWebSession('w3', 'telegram:1', T0, T0 + 10);
    await s.deleteWebSession('w3');
    expect(await s.webSessionIdentity('w3', T0)).toBeUndefined();
    await s.pruneSignIns(T0 + 10_000);
    expect(await s.probeWritable()).toBe('ok');
    await s.close();
  });
});
