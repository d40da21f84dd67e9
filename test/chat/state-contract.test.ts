// Contract suites of the chat core's shared state, each run over the one-machine implementation (memory or SQLite)
// and PostgreSQL: rate limits, duplicate filters, conversations, votable answers, feedback.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnswerLog } from '../../src/chat/answer-log';
import { MemoryAnswerLog } from '../../src/chat/answer-log-memory';
import { PgAnswerLog } from '../../src/chat/answer-log-pg';
import { openFeedbackStore, type FeedbackStore } from '../../src/chat/feedback';
import { PgFeedbackStore } from '../../src/chat/feedback-pg';
import { MemoryConversationStore, type ConversationStore } from '../../src/chat/memory';
import { PgConversationStore } from '../../src/chat/memory-pg';
import { PgProcessedEvents } from '../../src/chat/processed-events-pg';
import {
  MemoryProcessedEvents,
  PgRateLimitStore,
  type ProcessedEventStore,
  RateLimiter,
  type RateLimitStore,
  SqliteProcessedEventStore,
} from '../../src/infra';
import { usePg } from '../helpers/pg';

const pg = usePg();
const dir = mkdtempSync(path.join(tmpdir(), 'tlhc-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (name: string) => path.join(dir, `${++n}-${name}`);

describe.each<[string, (limit: number, windowMs: number) => Promise<RateLimitStore>]>([
  ['memory', async (limit, windowMs) => new RateLimiter(limit, windowMs)],
  ['postgres', async (limit, windowMs) => new PgRateLimitStore((await pg.database()).pool, 'test', limit, windowMs)],
])('RateLimitStore contract: %s', (_name, open) => {
  it('allows `limit` events per sliding window, then refuses until the oldest leaves it', async () => {
    const s = await open(3, 60_000);
    for (const t of [0, 10_000, 20_000]) expect(await s.allow('u', t)).toBe(true);
    expect(await s.allow('u', 30_000)).toBe(false);
    expect(await s.count('u', 30_000)).toBe(3); // a refused event is not counted
    expect(await s.retryAfterSeconds('u', 30_000)).toBe(30);
    expect(await s.allow('other', 30_000)).toBe(true);
    expect(await s.allow('u', 60_001)).toBe(true); // the event at 0 left the window
    expect(await s.count('u', 60_001)).toBe(3);
    expect(await s.retryAfterSeconds('nobody', 0)).toBe(1);
  });

  it('records past the limit, and warns once per window', async () => {
    const s = await open(2, 60_000);
    for (let i = 0; i < 5; i++) await s.record('k', 1000 + i);
    expect(await s.count('k', 2000)).toBe(5);
    expect(await s.allow('k', 2000)).toBe(false);
    expect(await s.shouldWarn('k', 2000)).toBe(true);
    expect(await s.shouldWarn('k', 30_000)).toBe(false);
    expect(await s.shouldWarn('k', 62_001)).toBe(true);
  });

  it('gives out exactly `limit` events to a burst of concurrent callers', async () => {
    const s = await open(12, 60_000);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => s.allow('burst', 5000 + i)));
    expect(results.filter(Boolean)).toHaveLength(12);
  });
});

describe.each<[string, (leaseMs: number) => Promise<ProcessedEventStore>]>([
  ['memory', async (leaseMs) => new MemoryProcessedEvents(1000, leaseMs)],
  ['sqlite', async (leaseMs) => new SqliteProcessedEventStore(file('events.db'), 'test', 3600_000, leaseMs)],
  [
    'postgres (unlogged)',
    async (leaseMs) =>
      new PgProcessedEvents((await pg.database()).pool, {
        scope: 'test',
        table: 'seen_updates',
        retentionMs: 3600_000,
        leaseMs,
      }),
  ],
  [
    'postgres (durable)',
    async (leaseMs) =>
      new PgProcessedEvents((await pg.database()).pool, {
        scope: 'test',
        table: 'processed_events',
        retentionMs: 3600_000,
        leaseMs,
      }),
  ],
])('ProcessedEventStore contract: %s', (_name, open) => {
  it('claims an id once; a handled id stays a duplicate; a claim never done lapses after the lease', async () => {
    const s = await open(60_000);
    expect(await s.claim('a', 1000)).toBe(true);
    expect(await s.claim('a', 2000)).toBe(false); // in progress elsewhere
    expect(await s.claim('a', 61_000)).toBe(true); // its handler died: taken over
    await s.done('a', 62_000);
    expect(await s.claim('a', 500_000)).toBe(false); // handled
    expect(await s.claim('b', 1000)).toBe(true);
    expect(await s.prune(100_000)).toBeGreaterThanOrEqual(1);
    expect(await s.claim('b', 200_000)).toBe(true); // forgotten
    await s.close();
  });

  it('lets exactly one of many racing deliveries win', async () => {
    const s = await open(60_000);
    const wins = await Promise.all(Array.from({ length: 30 }, () => s.claim('race', 5000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    await s.close();
  });
});

const turn = (i: number) => ({ question: `q${i}`, answer: `a${i}`, topic: { docId: `d${i}`, title: `Thủ tục ${i}` } });
const last = (q: string) => ({
  question: q,
  citations: [{ docId: 'd', title: 'Khai sinh', kind: 'procedure', source: 'x.md' }] as never[],
  mode: 'extractive',
});

describe.each<[string, (maxTurns: number, ttlMs: number) => Promise<ConversationStore>]>([
  ['memory', async (maxTurns, ttlMs) => new MemoryConversationStore({ maxTurns, ttlMs })],
  ['postgres', async (maxTurns, ttlMs) => new PgConversationStore((await pg.database()).pool, { maxTurns, ttlMs })],
])('ConversationStore contract: %s', (_name, open) => {
  it('keeps the last turns and answer of each chat, and forgets a chat left alone past its time', async () => {
    const s = await open(2, 60_000);
    expect(await s.history('c1', 0)).toEqual([]);
    for (let i = 1; i <= 3; i++) await s.remember('c1', turn(i), last(`q${i}`), i * 1000);
    expect(await s.history('c1', 4000)).toEqual([turn(2), turn(3)]);
    expect(await s.lastAnswer('c1', 4000)).toEqual(last('q3'));
    expect(await s.history('c2', 4000)).toEqual([]);
    expect(await s.history('c1', 3000 + 60_000)).toEqual([]); // expired
    expect(await s.lastAnswer('c1', 3000 + 60_000)).toBeUndefined();
    await s.remember('c1', turn(9), last('q9'), 100_000);
    expect(await s.history('c1', 100_001)).toEqual([turn(9)]); // a new conversation, not the old one continued
  });

  it('keeps the numbered choices of the last reply, with their time, beside the turns', async () => {
    const s = await open(4, 60_000);
    await s.remember('z:1', turn(1), last('q1'), 1000);
    await s.setChoices('z:1', [{ text: 'Hộ tịch', action: { type: 'field', field: 1 } }], 2000);
    expect(await s.choices('z:1', 3000)).toEqual({
      buttons: [{ text: 'Hộ tịch', action: { type: 'field', field: 1 } }],
      at: 2000,
    });
    expect(await s.history('z:1', 3000)).toEqual([turn(1)]);
    await s.remember('z:1', turn(2), last('q2'), 4000);
    expect((await s.choices('z:1', 5000))?.at).toBe(2000);
    expect(await s.choices('z:1', 4000 + 60_000)).toBeUndefined();
    const none = await open(0, 60_000);
    await none.remember('c', turn(1), last('q1'), 0);
    expect(await none.history('c', 1)).toEqual([]);
    expect((await none.lastAnswer('c', 1))?.question).toBe('q1');
  });
});

describe.each<[string, () => Promise<AnswerLog>]>([
  ['memory', async () => new MemoryAnswerLog(100)],
  ['postgres', async () => new PgAnswerLog((await pg.database()).pool)],
])('AnswerLog contract: %s', (_name, open) => {
  it('returns what was answered, to which chat, by id', async () => {
    const s = await open();
    const a = { question: 'Làm khai sinh cần gì?', answer: 'Tờ khai…', mode: 'extractive', chat: 'telegram:1' };
    await s.remember('abc', a, 1000);
    expect(await s.get('abc', 2000)).toEqual(a);
    expect(await s.get('nope', 2000)).toBeUndefined();
  });
});

describe.each<[string, () => Promise<FeedbackStore>]>([
  ['sqlite', async () => openFeedbackStore(file('feedback.db'))],
  ['postgres', async () => new PgFeedbackStore((await pg.database()).pool)],
])('FeedbackStore contract: %s', (_name, open) => {
  it('keeps one vote per user and answer (the last), newest first, with stats by mode', async () => {
    const s = await open();
    const base = {
      channel: 'telegram',
      chatId: '1',
      userId: '1',
      question: 'Hỏi?',
      answer: 'Đáp.',
      mode: 'extractive',
    };
    await s.record({ ...base, answerId: 'a1', vote: 'up', at: new Date(1000) });
    await s.record({ ...base, answerId: 'a1', vote: 'down', at: new Date(2000), question: undefined });
    await s.record({ ...base, answerId: 'a2', userId: '2', vote: 'up', mode: 'declined', at: new Date(3000) });
    await s.record({ answerId: 'gone', vote: 'up', channel: 'zalo', chatId: '9', userId: '9', at: new Date(4000) });
    const list = await s.list({ limit: 10 });
    expect(list.map((r) => [r.answerId, r.vote])).toEqual([
      ['gone', 'up'],
      ['a2', 'up'],
      ['a1', 'down'],
    ]);
    expect(list[2]).toMatchObject({ question: 'Hỏi?', answer: 'Đáp.', at: new Date(2000) });
    expect(list[0].question).toBeUndefined();
    expect((await s.list({ limit: 1, offset: 1 }))[0].answerId).toBe('a2');
    expect(await s.stats()).toEqual({
      total: 3,
      up: 2,
      down: 1,
      byMode: { extractive: { up: 0, down: 1 }, declined: { up: 1, down: 0 }, unknown: { up: 1, down: 0 } },
    });
    await s.close();
  });
});
