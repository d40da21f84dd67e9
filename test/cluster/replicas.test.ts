// Two `npm start` replicas on one PostgreSQL database and one INDEX_DIR, behind nginx (deploy/nginx-replicas.conf)
// round-robin, everything real: a class checks in with some updates delivered twice to different replicas, a
// follow-up lands on the other replica, an export link made on one downloads through the other, both replicas hit
// an expired Zalo OA token at once, and finally one replica is SIGKILLed in the middle of a check-in burst.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeZaloOA, oaText } from '../fakes/zalo-oa-server';
import { startReplica, startNginx, waitHealthy, REPO, type Nginx, type Replica } from '../helpers/cluster';
import { FIXTURE_PROCEDURES } from '../helpers/fixture';
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster';

const TRAINER = 'cluster-trainer-0001';
let dir: string;
let cluster: PgCluster;
let dbUrl: string;
let db: pg.Pool;
let fake: FakeZaloOA;
let replicas: Replica[] = [];
let nginx: Nginx;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tlhc-cluster-'));
  const corpus = path.join(dir, 'corpus', 'thu-tuc');
  mkdirSync(corpus, { recursive: true });
  for (const id of FIXTURE_PROCEDURES)
    copyFileSync(path.join(REPO, 'corpus/thu-tuc', `${id}.md`), path.join(corpus, `${id}.md`));
  cluster = startPgCluster();
  dbUrl = await cluster.createDatabase('replicas');
  db = new pg.Pool({ connectionString: dbUrl, max: 2 });
  fake = await FakeZaloOA.start();
  fake.refreshDelayMs = 400; // both replicas are waiting on the refresh at the same time
  const env = (name: string) => ({
    ...fake.env(),
    DATABASE_URL: dbUrl,
    DATABASE_POOL_SIZE: '6',
    CORPUS_DIR: path.join(dir, 'corpus'),
    DATA_DIR: path.join(dir, `data-${name}`),
    INDEX_DIR: path.join(dir, 'shared-index'),
    TRAINER_IDS: `web:${TRAINER}`,
    TRUST_PROXY: '1',
    RATE_LIMIT_PER_MINUTE: '100',
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '100000',
    LOG_LEVEL: 'info',
  });
  // Started together: migrations and the first index version are made once, under their locks.
  replicas = await Promise.all([startReplica('a', env('a')), startReplica('b', env('b'))]);
  await Promise.all(replicas.map((r) => waitHealthy(r.base, r)));
  nginx = await startNginx(
    path.join(dir, 'nginx'),
    replicas.map((r) => r.port),
  );
}, 240_000);

afterAll(async () => {
  nginx?.stop();
  for (const r of replicas) r.kill();
  await Promise.all(replicas.map((r) => Promise.race([r.exited, new Promise((res) => setTimeout(res, 5000))])));
  await db?.end();
  await fake?.close();
  cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  text: string;
  files?: { filename: string; url: string }[];
  citations?: { label: string }[];
}

async function chat(sessionId: string, text: string, messageId?: string, userName?: string): Promise<Reply> {
  const res = await fetch(`${nginx.base}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sessionId, text, ...(messageId ? { messageId } : {}), ...(userName ? { userName } : {}) }),
  });
  const body = (await res.json().catch(() => ({}))) as Omit<Reply, 'status'>;
  return { status: res.status, text: body.text ?? '', files: body.files, citations: body.citations };
}

/** Which replicas logged `marker` (a message id) on a line containing `what`. */
const loggedBy = (marker: string, what: string) =>
  replicas
    .filter((r) =>
      r
        .output()
        .split('\n')
        .some((l) => l.includes(marker) && l.includes(what)),
    )
    .map((r) => r.name);

/** The same, once at least `count` replicas logged it: a log line may reach the pipe after the HTTP reply. */
async function waitLogged(marker: string, what: string, count = 1): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  while (loggedBy(marker, what).length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return loggedBy(marker, what);
}

async function pool<T>(items: T[], width: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

const checkinCount = async (code: string) =>
  (
    await db.query(
      'SELECT COUNT(*)::int AS n, COUNT(DISTINCT user_id)::int AS d FROM checkins k JOIN sessions s ON s.id = k.session_id WHERE s.code = $1',
      [code],
    )
  ).rows[0] as { n: number; d: number };

describe('two replicas behind nginx', () => {
  let code: string;

  it('serve one published index and report the database and its version on /healthz', async () => {
    const versions = (await db.query('SELECT id FROM index_versions')).rows;
    expect(versions).toEqual([{ id: 1 }]);
    for (const r of replicas) {
      const h = (await (await fetch(`${r.base}/healthz`)).json()) as {
        indexVersion: number;
        database: { backend: string; latencyMs: number; pool: { size: number } };
      };
      expect(h.indexVersion).toBe(1);
      expect(h.database.backend).toBe('postgres');
      expect(h.database.latencyMs).toBeGreaterThan(0);
    }
    const metrics = await (await fetch(`${nginx.base}/metrics`)).text();
    expect(metrics).toMatch(/^db_pool_connections \d+$/m);
    expect(metrics).toMatch(/^db_query_duration_seconds_count [1-9]\d*$/m);
    expect(metrics).toMatch(/^index_version 1$/m);
    expect(metrics.match(/^# TYPE index_version /gm)).toHaveLength(1); // one gauge: the published version
  });

  it('record 200 check-ins exactly once, with one reply each, when 40 of them arrive twice on different replicas', async () => {
    const opened = await chat(TRAINER, '/mo Lớp cụm máy chủ 120');
    code = /Mã điểm danh: (\S+)/.exec(opened.text)![1];
    const learners = Array.from({ length: 200 }, (_, i) => i);
    const twice = learners.slice(0, 40);
    const replies = new Map<number, Reply[]>();
    const send = async (i: number) => {
      const r = await chat(`learner-${String(i).padStart(4, '0')}`, `dd ${code}`, `ci-${i}`, `Học viên ${i}`);
      replies.set(i, [...(replies.get(i) ?? []), r]);
    };
    // Each duplicated pair is sent back to back with nothing else in flight: round-robin gives them to both replicas.
    for (const i of twice) await Promise.all([send(i), send(i)]);
    await pool(learners.slice(40), 16, send);

    for (const i of learners) {
      const rs = replies.get(i)!;
      expect(
        rs.every((r) => r.status === 200),
        `learner ${i}`,
      ).toBe(true);
      expect(
        rs.filter((r) => r.text.startsWith('✅')),
        `learner ${i}`,
      ).toHaveLength(1);
      expect(
        rs.filter((r) => r.text !== '' && !r.text.startsWith('✅')),
        `learner ${i}`,
      ).toHaveLength(0);
    }
    for (const i of twice)
      expect((await waitLogged(`"ci-${i}"`, '"msg":"chat:', 2)).sort(), `pair ${i}`).toEqual(['a', 'b']);
    expect(await checkinCount(code)).toEqual({ n: 200, d: 200 });
  });

  it('keep the topic of a follow-up that lands on the other replica', async () => {
    const session = 'follow-up-session-01';
    const first = await chat(session, 'Đăng ký khai sinh cần giấy tờ gì?', 'fu-1');
    const second = await chat(session, 'còn lệ phí thì sao?', 'fu-2');
    expect(first.citations?.[0]?.label).toMatch(/khai sinh/i);
    expect(second.citations?.[0]?.label).toMatch(/khai sinh/i);
    expect(second.text).toMatch(/lệ phí|miễn/i);
    const [a] = await waitLogged('"fu-1"', 'chat: handled');
    const [b] = await waitLogged('"fu-2"', 'chat: handled');
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    expect(a).not.toBe(b);
  });

  it('download an export link made on one replica from the other', async () => {
    const r = await chat(TRAINER, `/xuat ${code}`, 'export-1');
    const csv = r.files!.find((f) => f.filename.endsWith('.csv'))!;
    // Two downloads in a row: round-robin sends one of them to the replica that did not make the link.
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${nginx.base}${csv.url}`);
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).toContain('Học viên 199');
      expect(body.trim().split('\n')).toHaveLength(201);
    }
  });

  it('refresh an expired Zalo OA token once when both replicas hit it at once, and send both messages', async () => {
    fake.expireAccessToken();
    const before = fake.refreshes().length;
    const deliver = async (userId: string) => {
      const { raw, headers } = fake.event(oaText(fake, userId, 'Đăng ký tạm trú cần gì?'));
      const res = await fetch(`${nginx.base}/webhooks/zalo-oa`, { method: 'POST', headers, body: raw });
      expect(res.status).toBe(200);
    };
    await Promise.all([deliver('oa-user-1'), deliver('oa-user-2')]);
    const [one, two] = await Promise.all([fake.waitForTexts('oa-user-1'), fake.waitForTexts('oa-user-2')]);
    expect(one[0]).toMatch(/tạm trú/i);
    expect(two[0]).toMatch(/tạm trú/i);
    expect(fake.refreshes().length - before).toBe(1);
    const tokens = fake
      .sends((c) => c.answer.error === 0)
      .slice(-2)
      .map((c) => c.headers.access_token);
    expect(new Set(tokens)).toEqual(new Set([fake.accessToken]));
    expect((await db.query('SELECT access_token FROM oa_tokens')).rows).toEqual([{ access_token: fake.accessToken }]);
  });

  it('keep every acknowledged check-in when one replica is SIGKILLed mid-burst, and go on serving through the other', async () => {
    const opened = await chat(TRAINER, '/mo Lớp chịu lỗi 120');
    const code2 = /Mã điểm danh: (\S+)/.exec(opened.text)![1];
    const acked = new Set<string>();
    let failures = 0;
    let killed = false;
    const victim = replicas[1];
    const learners = Array.from({ length: 300 }, (_, i) => `burst-${String(i).padStart(4, '0')}`);
    await pool(learners, 16, async (id) => {
      // Like the web console: a failed request is sent again as a new delivery until it is answered.
      for (let attempt = 0; attempt < 20; attempt++) {
        const r = await chat(id, `dd ${code2}`, undefined, `Người ${id}`).catch(
          () => ({ status: 0, text: '' }) as Reply,
        );
        if (r.status === 200 && /✅|đã điểm danh/i.test(r.text)) {
          acked.add(id);
          break;
        }
        failures++;
        await new Promise((res) => setTimeout(res, 100));
      }
      if (!killed && acked.size >= 100) {
        killed = true;
        victim.kill('SIGKILL');
      }
    });
    expect(killed).toBe(true);
    expect((await victim.exited).signal).toBe('SIGKILL');
    expect(acked.size).toBe(300); // the survivor answered everyone in the end
    const rows = (
      await db.query(
        'SELECT user_id, COUNT(*)::int AS n FROM checkins k JOIN sessions s ON s.id = k.session_id WHERE s.code = $1 GROUP BY 1',
        [code2],
      )
    ).rows as { user_id: string; n: number }[];
    const perUser = new Map(rows.map((r) => [r.user_id, r.n]));
    for (const id of acked) expect(perUser.get(id), id).toBe(1);
    expect(rows.length).toBe(300);
    expect((await fetch(`${nginx.base}/healthz`)).status).toBe(200);
    expect((await chat('after-kill-session', 'Chứng thực bản sao cần gì?')).citations?.length).toBeGreaterThan(0);
    process.stdout.write(`cluster test: ${failures} requests failed while one replica died and were resent\n`);
  });
});
