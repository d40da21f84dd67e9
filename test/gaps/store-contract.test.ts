// Contract of the store of unanswered questions, run over SQLite (one machine) and PostgreSQL (several replicas):
// masking before storage, grouping, counts and times, filters, and replicas recording into one report.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteGapStore, type GapStore } from '../../src/gaps/store';
import { PgGapStore } from '../../src/gaps/store-pg';
import { usePg } from '../helpers/pg';

const pg = usePg();
const dir = mkdtempSync(path.join(tmpdir(), 'tlhc-gaps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** Two handles on one store: two replicas on one database, or two connections to one SQLite file. */
type Open = () => Promise<[GapStore, GapStore]>;

const at = (d: string) => new Date(`2026-03-${d}T08:00:00+07:00`);

describe.each<[string, Open]>([
  [
    'sqlite',
    async () => {
      const file = path.join(dir, `${++n}-unanswered.db`);
      return [new SqliteGapStore(file), new SqliteGapStore(file)];
    },
  ],
  [
    'postgres',
    async () => {
      const db = await pg.database();
      return [new PgGapStore(db.pool), new PgGapStore(db.pool)];
    },
  ],
])('GapStore contract: %s', (_name, open) => {
  it('counts each group with first and last time, channels, reasons and wordings, newest wording shown', async () => {
    const [s] = await open();
    await s.record({
      kind: 'declined',
      question: 'giá vàng hôm nay',
      channel: 'web',
      mode: 'declined',
      reason: 'unknown-topic',
      at: at('02'),
    });
    await s.record({
      kind: 'declined',
      question: 'Giá vàng hôm nay?',
      channel: 'telegram',
      mode: 'declined',
      reason: 'no-match',
      at: at('05'),
    });
    await s.record({
      kind: 'downvoted',
      question: 'hôm nay giá vàng',
      channel: 'zalo',
      mode: 'extractive',
      at: at('09'),
    });
    await s.record({
      kind: 'declined',
      question: 'thủ tục nhận con nuôi, gọi 0912345678',
      channel: 'web',
      mode: 'declined',
      at: at('10'),
    });
    const [gold, adoption] = await s.groups();
    expect(gold).toMatchObject({
      question: 'hôm nay giá vàng',
      count: 3,
      declined: 2,
      downvoted: 1,
      variants: 3,
      channels: ['telegram', 'web', 'zalo'],
      reasons: ['no-match', 'unknown-topic'],
    });
    expect([gold.firstSeen, gold.lastSeen]).toEqual([at('02'), at('09')]);
    expect(adoption).toMatchObject({
      question: 'thủ tục nhận con nuôi, gọi [số điện thoại]',
      count: 1,
      declined: 1,
      downvoted: 0,
      channels: ['web'],
      reasons: [],
    });
    expect((await s.groups({ since: at('06') })).map((g) => g.count)).toEqual([1, 1]);
    expect((await s.groups({ kind: 'downvoted' })).map((g) => [g.question, g.count])).toEqual([
      ['hôm nay giá vàng', 1],
    ]);
    expect(await s.groups({ limit: 1 })).toHaveLength(1);
    await s.close();
  });

  it('stores questions masked and tidied, and nothing for an empty one', async () => {
    const [s] = await open();
    await s.record({
      kind: 'declined',
      question: '  CCCD   001203004567 mất,\n gửi  an@ubnd.gov.vn  ',
      channel: 'web',
      at: at('03'),
    });
    await s.record({ kind: 'declined', question: ' \n ', channel: 'web', at: at('03') });
    const groups = await s.groups();
    expect(groups.map((g) => g.question)).toEqual(['CCCD [số CCCD] mất, gửi [email]']);
    await s.close();
  });

  it('is one report for every handle (replica) writing to it', async () => {
    const [a, b] = await open();
    const words = ['Lệ phí cấp sổ đỏ bao nhiêu?', 'le phi cap so do bao nhieu', 'Cấp sổ đỏ thì lệ phí thế nào ạ'];
    await Promise.all(
      words.flatMap((q, i) =>
        [a, b].map((s, j) =>
          s.record({
            kind: 'declined',
            question: q,
            channel: j ? 'zalo' : 'web',
            reason: 'no-match',
            at: new Date(at('04').getTime() + i * 1000 + j),
          }),
        ),
      ),
    );
    for (const s of [a, b]) {
      const [g] = await s.groups();
      expect(g).toMatchObject({
        count: 6,
        declined: 6,
        variants: 3,
        channels: ['web', 'zalo'],
        reasons: ['no-match'],
        question: 'Cấp sổ đỏ thì lệ phí thế nào ạ',
      });
    }
    await a.close();
    await b.close();
  });
});
