// What several replicas share besides the stores: schema migrations applied once under the advisory lock, leases
// (one poller per bot), and published index versions that replicas swap to without a restart.
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
import { ImportError, importSqlite } from '../../src/db/import-sqlite';
import { PgLeaseStore } from '../../src/db/leases';
import { migratePg, PG_LATEST_VERSION, PG_MIGRATIONS } from '../../src/db/migrations-pg';
import { openDatabase } from '../../src/db/pg';
import { loadConfig } from '../../src/config';
import { logger } from '../../src/log';
import { createEmbedder } from '../../src/search/embedder';
import { loadVersion, PgIndexVersions, publishIndex } from '../../src/search/index-versions';
import { openPublishedIndex, watchIndexVersions } from '../../src/search/index-watch';
import { Retriever } from '../../src/search/retriever';
import { FIXTURE_PROCEDURES } from '../helpers/fixture';
import { usePg } from '../helpers/pg';

const pg = usePg();
const REPO = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'tlhc-cluster-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const silent = logger.child({});
silent.level = 'silent';

describe('PostgreSQL migrations', () => {
  it('apply each migration once when replicas start together, and refuse a schema newer than the code', async () => {
    const first = await pg.database(); // already migrated: start from a fresh database instead
    const url = await pg.cluster().createDatabase('migrations_race');
    const dbs = Array.from({ length: 4 }, () => openDatabase(url, { max: 2 }));
    try {
      const applied = await Promise.all(dbs.map((d) => migratePg(d)));
      expect(applied.sort()).toEqual([0, 0, 0, PG_MIGRATIONS.length]);
      const rows = (await dbs[0].pool.query('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
      expect(rows).toEqual(PG_MIGRATIONS.map((m) => m.version));
      const older = PG_MIGRATIONS.slice(0, -1);
      await expect(migratePg(dbs[1], older)).rejects.toThrow(/newer than this code/);
      const broken = [...PG_MIGRATIONS, { version: PG_LATEST_VERSION + 1, name: 'broken', sql: 'CREATE TABLE half (x int); SELECT 1/0;' }];
      await expect(migratePg(dbs[2], broken)).rejects.toThrow(/division by zero/);
      expect((await dbs[2].pool.query("SELECT to_regclass('half') AS t")).rows[0].t).toBeNull();
      expect((await first.pool.query('SELECT COUNT(*) AS n FROM schema_migrations')).rows[0].n).toBe(PG_MIGRATIONS.length);
    } finally {
      await Promise.all(dbs.map((d) => d.close()));
    }
  });
});

describe('moving a one-machine deployment to PostgreSQL', () => {
  it('copies attendance, feedback and the OA token pair with their ids; new rows continue after them; only into an empty database', async () => {
    const data = path.join(dir, 'one-machine');
    const a = openAttendance({ dbPath: path.join(data, 'attendance.db'), logger: { error: () => {}, warn: () => {} } });
    const msg = (userId: string, text: string, messageId: string) => ({ channel: 'telegram' as const, chatId: userId, userId, userName: `Người ${userId}`, text, isGroup: false, messageId });
    const opened = await a.handle(msg('t1', '/mo Lớp chuyển nhà 60 sĩ số 40', 'o1'), 'trainer');
    const code = /Mã điểm danh: (\S+)/.exec(opened!.text)![1];
    for (const u of ['u1', 'u2', 'u3']) await a.handle(msg(u, `dd ${code}`, `c-${u}`), 'user');
    await a.close();
    const fb = openFeedbackStore(path.join(data, 'feedback.db'));
    await fb.record({ answerId: 'x1', vote: 'up', channel: 'web', chatId: 's', userId: 's', mode: 'extractive', at: new Date(5000) });
    await fb.close();
    const tokens = new ZaloOATokenStore(path.join(data, 'zalo-oa.db'), 'app-9');
    await tokens.seed('at-0', 'rt-0');
    await tokens.rotate(() => true, async () => ({ accessToken: 'at-7', refreshToken: 'rt-7', expiresAt: 99 }));
    await tokens.close();

    const db = await pg.database();
    expect(await importSqlite(data, db)).toMatchObject({ classes: 1, sessions: 1, checkins: 3, processed_messages: 1, feedback: 1, oa_tokens: 1 });
    const store = new PgAttendanceStore(db);
    const s = (await store.getSessionByCode(code))!;
    expect(s).toMatchObject({ className: 'Lớp chuyển nhà', capacity: 40, isGroup: false });
    expect((await store.listCheckins(s.id)).map((c) => c.userId)).toEqual(['u1', 'u2', 'u3']);
    const next = await store.checkIn({ sessionId: s.id, channel: 'telegram', userId: 'u4', name: 'Bốn', nameGiven: true, at: Date.now(), messageId: 'c-u4' });
    expect(next.kind === 'created' && next.checkin.id).toBe(4);
    expect(await store.getProcessedReply({ channel: 'telegram', chatId: 't1', messageId: 'o1' })).toBe(opened!.text);
    expect((await new PgFeedbackStore(db.pool).stats()).up).toBe(1);
    expect(await new PgOATokenStore(db, 'app-9').load()).toEqual({ accessToken: 'at-7', refreshToken: 'rt-7', expiresAt: 99 });
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
    const runner = (name: string) => ({ name: 'telegram', start: async () => void started.push(name), stop: async () => void started.push(`stop ${name}`) });
    const a = exclusivePolling(runner('a'), { leases, holder: 'host-a:1', logger: silent, hint: 'set TELEGRAM_WEBHOOK_URL', ttlMs: 600 });
    const b = exclusivePolling(runner('b'), { leases, holder: 'host-b:2', logger: silent, hint: 'set TELEGRAM_WEBHOOK_URL', ttlMs: 600 });
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
  for (const id of FIXTURE_PROCEDURES.slice(0, 2)) copyFileSync(path.join(REPO, 'corpus/thu-tuc', `${id}.md`), path.join(corpus, `${id}.md`));
  const config = loadConfig({ CORPUS_DIR: path.join(dir, 'corpus'), DATA_DIR: path.join(dir, 'data'), INDEX_DIR: path.join(dir, 'shared-index') }, { dotenv: false });
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

    const retriever = new Retriever(again.index, embedder);
    const before = retriever.index.chunks.length;
    const watch = watchIndexVersions({
      versions, replica: 'b', intervalMs: 60_000, current: again.version, log: silent,
      load: (v) => loadVersion(config, v, embedder),
      swap: (index) => retriever.replaceIndex(index),
    });
    try {
      writeFileSync(path.join(corpus, 'cap-ban-sao-trich-luc.md'), '---\nid: cap-ban-sao-trich-luc\ntitle: Cấp bản sao trích lục hộ tịch\n---\n# Cấp bản sao trích lục hộ tịch\n\n## Thời hạn giải quyết\nNgay trong ngày làm việc.\n');
      const r = await publishIndex({ config, embedder, versions, replica: 'a' });
      expect(r).toMatchObject({ status: 'published', version: { id: 2, dir: 'v2' } });
      await watch.check();
      expect(watch.version()).toBe(2);
      expect(retriever.index.chunks.length).toBeGreaterThan(before);
      const hit = await retriever.search('cấp bản sao trích lục hộ tịch', { k: 1 });
      expect(hit.results[0].citation.title).toBe('Cấp bản sao trích lục hộ tịch');
      expect((await db.pool.query('SELECT replica, version FROM index_replicas')).rows).toEqual([{ replica: 'b', version: 2 }]);
    } finally {
      await watch.stop();
    }
  });
});
