// What several replicas share besides the stores: schema migrations applied once under the advisory lock, leases
// (one poller per bot), published index versions that replicas swap to without a restart, and corpus jobs
// (uploads) that publish such a version.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exclusivePolling } from '../../src/channels/poll-lease';
import { openAttendance, PgAttendanceStore } from '../../src/attendance';
import { ZaloOATokenStore } from '../../src/channels/zalo-oa-store';
import { PgOATokenStore } from '../../src/channels/zalo-oa-store-pg';
import { openFeedbackStore } from '../../src/chat/feedback';
import { PgFeedbackStore } from '../../src/chat/feedback-pg';
import type { Job } from '../../src/corpus/jobs';
import { CorpusManager } from '../../src/corpus/manager';
import { ImportError, importSqlite } from '../../src/state/import-sqlite';
import { openGapStore } from '../../src/gaps/store';
import { PgGapStore } from '../../src/gaps/store-pg';
import { PgLeaseStore } from '../../src/db/leases';
import { migratePg, PG_LATEST_VERSION, PG_MIGRATIONS } from '../../src/db/migrations-pg';
import { openDatabase } from '../../src/db/pg';
import { loadConfig } from '../../src/config';
import { logger } from '../../src/log';
import { createEmbedder } from '../../src/search/embedder';
import { loadVersion, PgIndexVersions, publishIndex } from '../../src/search/index-versions';
import { openPublishedIndex, watchIndexVersions } from '../../src/search/index-watch';
import { LiveIndex } from '../../src/search/live-index';
import { Retriever } from '../../src/search/retriever';
import { FIXTURE_PROCEDURES } from '../helpers/fixture';
import { usePg } from '../helpers/pg';

const pg = usePg();
const REPO = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'tlhc-cluster-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const silent = logger.child({});
silent.level = 'silent';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL migrations', () => {
  it('apply each migration once when replicas start together, and refuse a schema newer than the code', async () => {
    const first = await pg.database(); // already migrated: start from a fresh database instead
    const url = await pg.cluster().createDatabase('migrations_race');
    const dbs = Array.from({ length: 4 }, () => openDatabase(url, { max: 2 }));
    try {
      const applied = await Promise.all(dbs.map((d) => migratePg(d)));
      expect(applied.sort()).toEqual([0, 0, 0, PG_MIGRATIONS.length]);
      const rows = (await dbs[0].pool.query('SELECT version FROM schema_migrations ORDER BY version')).rows.map(
        (r) => r.version,
      );
      expect(rows).toEqual(PG_MIGRATIONS.map((m) => m.version));
      const older = PG_MIGRATIONS.slice(0, -1);
      await expect(migratePg(dbs[1], older)).rejects.toThrow(/newer than this code/);
      const broken = [
        ...PG_MIGRATIONS,
        { version: PG_LATEST_VERSION + 1, name: 'broken', sql: 'CREATE TABLE half (x int); SELECT 1/0;' },
      ];
      await expect(migratePg(dbs[2], broken)).rejects.toThrow(/division by zero/);
      expect((await dbs[2].pool.query("SELECT to_regclass('half') AS t")).rows[0].t).toBeNull();
      expect((await first.pool.query('SELECT COUNT(*) AS n FROM schema_migrations')).rows[0].n).toBe(
        PG_MIGRATIONS.length,
      );
    } finally {
      await Promise.all(dbs.map((d) => d.close()));
    }
  });
});

describe('moving a one-machine deployment to PostgreSQL', () => {
  it('copies attendance, feedback, the OA token pair and unanswered questions with their ids; new rows continue after them; only into an empty database', async () => {
    const data = path.join(dir, 'one-machine');
    const a = openAttendance({ dbPath: path.join(data, 'attendance.db'), logger: { error: () => {}, warn: () => {} } });
    const msg = (userId: string, text: string, messageId: string) => ({
      channel: 'telegram' as const,
      chatId: userId,
      userId,
      userName: `Người ${userId}`,
      text,
      isGroup: false,
      messageId,
    });
    const opened = await a.handle(msg('t1', '/mo Lớp chuyển nhà 60 sĩ số 40', 'o1'), 'trainer');
    const code = /Mã điểm danh: (\S+)/.exec(opened!.text)![1];
    for (const u of ['u1', 'u2', 'u3']) await a.handle(msg(u, `dd ${code}`, `c-${u}`), 'user');
    await a.close();
    const fb = openFeedbackStore(path.join(data, 'feedback.db'));
    await fb.record({
      answerId: 'x1',
      vote: 'up',
      channel: 'web',
      chatId: 's',
      userId: 's',
      mode: 'extractive',
      at: new Date(5000),
    });
    await fb.close();
    const tokens = new ZaloOATokenStore(path.join(data, 'zalo-oa.db'), 'app-9');
    await tokens.seed('at-0', 'rt-0');
    await tokens.rotate(
      () => true,
      async () => ({ accessToken: 'at-7', refreshToken: 'rt-7', expiresAt: 99 }),
    );
    await tokens.close();
    const gaps = openGapStore(path.join(data, 'unanswered.db'));
    await gaps.record({
      kind: 'declined',
      question: 'giá vàng hôm nay 0912345678',
      channel: 'zalo',
      mode: 'declined',
      reason: 'unknown-topic',
      at: new Date(6000),
    });
    await gaps.close();

    const db = await pg.database();
    expect(await importSqlite(data, db)).toMatchObject({
      classes: 1,
      sessions: 1,
      checkins: 3,
      processed_messages: 1,
      feedback: 1,
      oa_tokens: 1,
      gap_events: 1,
    });
    const store = new PgAttendanceStore(db);
    const s = (await store.getSessionByCode(code))!;
    expect(s).toMatchObject({ className: 'Lớp chuyển nhà', capacity: 40, isGroup: false });
    expect((await store.listCheckins(s.id)).map((c) => c.userId)).toEqual(['u1', 'u2', 'u3']);
    const next = await store.checkIn({
      sessionId: s.id,
      channel: 'telegram',
      userId: 'u4',
      name: 'Bốn',
      nameGiven: true,
      at: Date.now(),
      messageId: 'c-u4',
    });
    expect(next.kind === 'created' && next.checkin.id).toBe(4);
    expect(await store.getProcessedReply({ channel: 'telegram', chatId: 't1', messageId: 'o1' })).toBe(opened!.text);
    expect((await new PgFeedbackStore(db.pool).stats()).up).toBe(1);
    expect(await new PgOATokenStore(db, 'app-9').load()).toEqual({
      accessToken: 'at-7',
      refreshToken: 'rt-7',
      expiresAt: 99,
    });
    const pgGaps = new PgGapStore(db.pool);
    await pgGaps.record({
      kind: 'downvoted',
      question: 'hôm nay giá vàng',
      channel: 'web',
      mode: 'extractive',
      at: new Date(7000),
    });
    expect(await pgGaps.groups()).toEqual([
      expect.objectContaining({
        question: 'hôm nay giá vàng',
        count: 2,
        declined: 1,
        downvoted: 1,
        channels: ['web', 'zalo'],
        reasons: ['unknown-topic'],
        firstSeen: new Date(6000),
      }),
    ]);
    await expect(importSqlite(data, db)).rejects.toBeInstanceOf(ImportError);
  });
});

describe('leases', () => {
  it('are held by one replica at a time, renewed by it, and taken over once they expire', async () => {
    const leases = new PgLeaseStore((await pg.database()).pool);
    expect(await leases.acquire('poll:telegram', 'a', 30_000, 1000)).toBe(true);
    expect(await leases.acquire('poll:telegram', 'b', 30_000, 2000)).toBe(false);
    expect(await leases.acquire('poll:telegram', 'a', 30_000, 20_000)).toBe(true); // renewed until 50 000
    expect(await leases.acquire('poll:telegram', 'b', 30_000, 40_000)).toBe(false);
    expect(await leases.holder('poll:telegram', 40_000)).toBe('a');
    expect(await leases.acquire('poll:telegram', 'b', 30_000, 50_001)).toBe(true);
    await leases.release('poll:telegram', 'a'); // not a's any more: nothing happens
    expect(await leases.holder('poll:telegram', 50_002)).toBe('b');
    await leases.release('poll:telegram', 'b');
    expect(await leases.holder('poll:telegram', 50_003)).toBeUndefined();
  });

  it('let exactly one of two replicas poll a bot; the other stands by and takes over when the first stops', async () => {
    const leases = new PgLeaseStore((await pg.database()).pool);
    const started: string[] = [];
    const runner = (name: string) => ({
      name: 'telegram',
      start: async () => void started.push(name),
      stop: async () => void started.push(`stop ${name}`),
    });
    const a = exclusivePolling(runner('a'), {
      leases,
      holder: 'host-a:1',
      logger: silent,
      hint: 'set TELEGRAM_WEBHOOK_URL',
      ttlMs: 600,
    });
    const b = exclusivePolling(runner('b'), {
      leases,
      holder: 'host-b:2',
      logger: silent,
      hint: 'set TELEGRAM_WEBHOOK_URL',
      ttlMs: 600,
    });
    await a.start();
    await b.start();
    expect(started).toEqual(['a']);
    await a.stop();
    const deadline = Date.now() + 10_000;
    while (!started.includes('b') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(started).toEqual(['a', 'stop a', 'b']);
    await b.stop();
  });
});

describe('published index versions', () => {
  const corpus = path.join(dir, 'corpus', 'thu-tuc');
  mkdirSync(corpus, { recursive: true });
  for (const id of FIXTURE_PROCEDURES.slice(0, 2))
    copyFileSync(path.join(REPO, 'corpus/thu-tuc', `${id}.md`), path.join(corpus, `${id}.md`));
  const config = loadConfig(
    {
      CORPUS_DIR: path.join(dir, 'corpus'),
      DATA_DIR: path.join(dir, 'data'),
      INDEX_DIR: path.join(dir, 'shared-index'),
    },
    { dotenv: false },
  );
  const embedder = createEmbedder(config);

  it('publish one version at a time, reuse it while the corpus is unchanged, and let replicas swap to a newer one', async () => {
    const db = await pg.database();
    const versions = new PgIndexVersions(db);
    // While one ingest holds the lock, another is refused at once.
    const held = versions.exclusive(async () => {
      expect(await publishIndex({ config, embedder, versions, replica: 'b' })).toEqual({ status: 'busy' });
      return 'done';
    });
    expect(await held).toBe('done');

    const opened = await openPublishedIndex({ config, embedder, versions, replica: 'a', log: () => undefined });
    expect(opened.version).toMatchObject({ id: 1, dir: 'v1', createdBy: 'a' });
    expect(existsSync(path.join(config.indexDir, 'v1', 'manifest.json'))).toBe(true);
    const again = await openPublishedIndex({ config, embedder, versions, replica: 'b', log: () => undefined });
    expect(again.version.id).toBe(1); // nothing changed: no new version
    expect(await publishIndex({ config, embedder, versions, replica: 'b' })).toMatchObject({ status: 'current' });

    const live = new LiveIndex(new Retriever(again.index, embedder));
    const inFlight = live.current(); // a question that started before the swap
    const before = live.index.chunks.length;
    const watch = watchIndexVersions({
      versions,
      replica: 'b',
      intervalMs: 60_000,
      current: again.version,
      log: silent,
      load: (v) => loadVersion(config, v, embedder),
      swap: (index) => live.swapIndex(index),
    });
    try {
      writeFileSync(
        path.join(corpus, 'cap-ban-sao-trich-luc.md'),
        '---\nid: cap-ban-sao-trich-luc\ntitle: Cấp bản sao trích lục hộ tịch\n---\n# Cấp bản sao trích lục hộ tịch\n\n## Thời hạn giải quyết\nNgay trong ngày làm việc.\n',
      );
      const r = await publishIndex({ config, embedder, versions, replica: 'a' });
      expect(r).toMatchObject({ status: 'published', version: { id: 2, dir: 'v2' } });
      await watch.check();
      expect(watch.version()).toBe(2);
      expect(live.version).toBe(2); // the holder swapped once
      expect(live.index.chunks.length).toBeGreaterThan(before);
      const hit = await live.current().search('cấp bản sao trích lục hộ tịch', { k: 1 });
      expect(hit.results[0].citation.title).toBe('Cấp bản sao trích lục hộ tịch');
      // The question in flight finishes on the index it started with.
      expect(inFlight.index.chunks.length).toBe(before);
      expect((await db.pool.query('SELECT replica, version FROM index_replicas')).rows).toEqual([
        { replica: 'b', version: 2 },
      ]);
    } finally {
      await watch.stop();
    }
  });
});

describe('a corpus job with several replicas', () => {
  const root = path.join(dir, 'jobs');
  const corpusDir = path.join(root, 'corpus');
  mkdirSync(path.join(corpusDir, 'thu-tuc'), { recursive: true });
  for (const id of FIXTURE_PROCEDURES.slice(0, 2))
    copyFileSync(path.join(REPO, 'corpus/thu-tuc', `${id}.md`), path.join(corpusDir, 'thu-tuc', `${id}.md`));
  const upload = {
    name: 'Lịch trực Tết.md',
    data: Buffer.from(
      '# Lịch trực Tết của bộ phận một cửa\n\nBộ phận một cửa trực tiếp nhận hồ sơ sáng mùng 4 Tết, từ 7 giờ 30 đến 11 giờ.\n',
    ),
  };

  it('publishes a version under the ingest lock (waiting while another build holds it) that every replica swaps to', async () => {
    const url = await pg.cluster().createDatabase('corpus_jobs');
    const db = openDatabase(url, { max: 4 });
    try {
      await migratePg(db);
      const versions = new PgIndexVersions(db);
      // Two replicas: one shared INDEX_DIR and CORPUS_DIR, their own DATA_DIR.
      const replica = async (name: string) => {
        const config = loadConfig(
          {
            CORPUS_DIR: corpusDir,
            DATA_DIR: path.join(root, `data-${name}`),
            INDEX_DIR: path.join(root, 'shared-index'),
            DATABASE_URL: url,
          },
          { dotenv: false },
        );
        const embedder = createEmbedder(config);
        const { index, version } = await openPublishedIndex({
          config,
          embedder,
          versions,
          replica: name,
          log: () => undefined,
        });
        const live = new LiveIndex(new Retriever(index, embedder));
        const watch = watchIndexVersions({
          versions,
          replica: name,
          intervalMs: 60_000,
          current: version,
          log: silent,
          load: (v) => loadVersion(config, v, embedder),
          swap: (next) => live.swapIndex(next),
        });
        const corpus = new CorpusManager({
          config,
          live,
          logger: silent,
          published: { adopt: (v) => watch.adopt(v), replica: name },
        });
        return { config, live, watch, corpus };
      };
      const a = await replica('a');
      const b = await replica('b');
      try {
        expect([a.watch.version(), b.watch.version()]).toEqual([1, 1]);
        const question = 'bộ phận một cửa trực mùng 4 Tết mấy giờ';
        expect((await a.live.current().search(question, { k: 1 })).results[0]?.citation.title).not.toBe(
          'Lịch trực Tết của bộ phận một cửa',
        );

        // `npm run ingest` (or another replica's job) holds the ingest lock: the job waits, and the corpus is not
        // touched until it has the lock.
        let job: Job | undefined;
        await versions.exclusive(async () => {
          const r = await a.corpus.upload([upload], { by: 'admin' });
          if (!r.ok) throw new Error(r.error);
          job = r.job;
          const deadline = Date.now() + 60_000;
          while (
            !a.corpus.queue.get(job.id)!.log.some((l) => l.text.startsWith('Đang chờ một lần lập chỉ mục khác')) &&
            Date.now() < deadline
          )
            await sleep(100);
          expect(a.corpus.queue.get(job.id)!.state).toBe('running');
          expect(existsSync(path.join(corpusDir, 'tai-len/lich-truc-tet.md'))).toBe(false);
        });
        const done = await a.corpus.queue.finished(job!.id);
        expect(done.state, JSON.stringify(done.log)).toBe('done');
        expect(done.files).toEqual([
          expect.objectContaining({ source: 'tai-len/lich-truc-tet.md', status: 'indexed' }),
        ]);

        // Published as version 2 by replica a, which serves it at once; replica b swaps at its next look.
        expect(await versions.latest()).toMatchObject({ id: 2, dir: 'v2', createdBy: 'a' });
        expect(existsSync(path.join(root, 'shared-index', 'v2', 'manifest.json'))).toBe(true);
        expect([a.watch.version(), a.live.version]).toEqual([2, 2]);
        expect(b.watch.version()).toBe(1);
        await b.watch.check();
        expect([b.watch.version(), b.live.version]).toEqual([2, 2]);
        for (const r of [a, b])
          expect((await r.live.current().search(question, { k: 1 })).results[0].citation.title).toBe(
            'Lịch trực Tết của bộ phận một cửa',
          );
        // Nothing is rebuilt into the one-machine index directory.
        expect(existsSync(path.join(root, 'shared-index', 'manifest.json'))).toBe(false);
      } finally {
        await a.watch.stop();
        await b.watch.stop();
      }
    } finally {
      await db.close();
    }
  }, 120_000);
});
