import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openFeedbackStore } from '../../src/chat/feedback';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDb = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'tlhc-fb-'));
  dirs.push(d);
  return path.join(d, 'sub', 'feedback.db');
};

describe('SqliteFeedbackStore', () => {
  it('records votes, replaces a user’s second vote on the same answer, lists newest first and counts', () => {
    const file = tempDb();
    const store = openFeedbackStore(file);
    const base = { channel: 'telegram', chatId: '1', userId: '1', question: 'Hỏi', answer: 'Đáp', mode: 'extractive' };
    store.record({ ...base, answerId: 'a1', vote: 'up', at: new Date(1000) });
    store.record({ ...base, answerId: 'a1', vote: 'down', at: new Date(2000) });
    store.record({ ...base, answerId: 'a2', userId: '2', vote: 'up', mode: 'declined', at: new Date(3000) });
    store.record({ answerId: 'gone', vote: 'up', channel: 'zalo', chatId: '9', userId: '9', at: new Date(4000) });
    const list = store.list({ limit: 10 });
    expect(list.map((r) => [r.answerId, r.vote])).toEqual([
      ['gone', 'up'],
      ['a2', 'up'],
      ['a1', 'down'],
    ]);
    expect(list[2]).toMatchObject({ question: 'Hỏi', answer: 'Đáp', at: new Date(2000) });
    expect(list[0].question).toBeUndefined();
    expect(store.stats()).toEqual({
      total: 3,
      up: 2,
      down: 1,
      byMode: { extractive: { up: 0, down: 1 }, declined: { up: 1, down: 0 }, unknown: { up: 1, down: 0 } },
    });
    expect(store.list({ limit: 1, offset: 1 })[0].answerId).toBe('a2');
    store.close();

    // Reopening does not re-run the migration; the database is in WAL mode.
    const again = openFeedbackStore(file);
    expect(again.stats().total).toBe(3);
    again.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();
  });
});
