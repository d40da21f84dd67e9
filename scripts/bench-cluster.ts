// Several-replicas benchmark: `tsx scripts/bench-cluster.ts [--json] [--checkins N] [--questions N] [--concurrency N] [--rounds N]`
//
// Real processes, everything through nginx (deploy/nginx-replicas.conf): `npm start` on SQLite (the one-machine
// default, one upstream), then 1 and 2 replicas on one throwaway PostgreSQL 15 cluster (durable commits, as in
// production) and one INDEX_DIR. For each: a class of N learners checks in through the web API (10 % of the
// messages delivered twice), counting check-ins/s, p50/p99 latency and the rows in the database afterwards (none
// lost, none doubled); then questions/s with the offline answerer. Each learner has a client address of its own
// (default rate limits apply). The load generator shares the machine.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startNginx, startReplica, treeCpuSeconds, waitHealthy, type Replica } from '../test/helpers/cluster';
import { startPgCluster } from '../test/helpers/pg-cluster';

const REPO = path.resolve(import.meta.dirname, '..');
const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const CHECKINS = arg('--checkins', 2000);
const QUESTIONS = arg('--questions', 300);
const CONCURRENCY = arg('--concurrency', 32);
const ROUNDS = arg('--rounds', 3);
const TRAINER = 'bench-trainer-0001';
const ASK = [
  'đăng ký khai sinh cần giấy tờ gì',
  'đăng ký tạm trú ở đâu',
  'chứng thực bản sao mất bao lâu',
  'lệ phí cấp giấy phép xây dựng',
];

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : 0;
};

async function pool<T>(items: T[], width: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/** Every learner on their own phone: a client address of their own (nginx appends its peer; TRUST_PROXY=2). */
const address = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

async function post(base: string, body: object, client = 0): Promise<{ ms: number; status: number; text: string }> {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address(client) },
    body: JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as { text?: string };
  return { ms: performance.now() - t0, status: res.status, text: json.text ?? '' };
}

/** CPU use during the check-in phase, per component (ms of CPU per check-in delivery). */
interface Cpu {
  replicas: number;
  postgres: number;
  nginx: number;
  loadGenerator: number;
}

/** Processes whose CPU the benchmark accounts for. */
interface Parts {
  replicas: number[];
  postgres?: number;
  nginx: number;
}

interface Row {
  setup: string;
  cpu: Cpu;
  /** Check-ins/s of every round (the row shows the median round). */
  allRounds?: number[];
  checkinsPerS: number;
  p50: number;
  p99: number;
  rows: number;
  lost: number;
  doubled: number;
  questionsPerS: number;
  qP50: number;
  qP99: number;
}

function cpuNow(p: Parts): Cpu {
  const self = process.cpuUsage();
  return {
    replicas: treeCpuSeconds(p.replicas),
    postgres: p.postgres ? treeCpuSeconds([p.postgres]) : 0,
    nginx: treeCpuSeconds([p.nginx]),
    loadGenerator: (self.user + self.system) / 1e6,
  };
}

async function run(
  setup: string,
  tag: string,
  base: string,
  parts: Parts,
  countRows: (code: string) => Promise<{ rows: number; distinct: number }>,
): Promise<Row> {
  const opened = await post(base, { sessionId: TRAINER, text: `/mo Lớp đo tải ${setup} 240` });
  const code = /Mã điểm danh: (\S+)/.exec(opened.text)?.[1];
  if (!code) throw new Error(`${setup}: no session opened: ${opened.text}`);
  // Warm-up (JIT, connections), not counted.
  await pool(
    Array.from({ length: 64 }, (_, i) => i),
    CONCURRENCY,
    async (i) => void (await post(base, { sessionId: `warm-${tag}-${i}`, text: ASK[i % ASK.length] }, 200_000 + i)),
  );
  const deliveries: number[] = [];
  for (let i = 0; i < CHECKINS; i++) deliveries.push(i);
  for (let i = 0; i < CHECKINS; i += 10) deliveries.push(i); // 10 % delivered twice
  deliveries.sort(() => Math.random() - 0.5);
  const times: number[] = [];
  let failed = 0;
  const cpu0 = cpuNow(parts);
  const t0 = performance.now();
  await pool(deliveries, CONCURRENCY, async (i) => {
    const r = await post(
      base,
      { sessionId: `learner-${tag}-${i}`, text: `dd ${code}`, messageId: `m${i}`, userName: `Học viên ${i}` },
      i + 1,
    );
    // A duplicate delivery is answered 200 with no text (the first delivery got the reply).
    if (r.status !== 200) failed++;
    if (failed === 1 && r.status !== 200) process.stderr.write(`${setup}: HTTP ${r.status} ${r.text}\n`);
    times.push(r.ms);
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = cpuNow(parts);
  const perDelivery = (k: keyof Cpu) => Math.round(((cpu1[k] - cpu0[k]) / deliveries.length) * 1e5) / 100;
  const cpu: Cpu = {
    replicas: perDelivery('replicas'),
    postgres: perDelivery('postgres'),
    nginx: perDelivery('nginx'),
    loadGenerator: perDelivery('loadGenerator'),
  };
  const { rows, distinct } = await countRows(code);
  const qTimes: number[] = [];
  const q0 = performance.now();
  await pool(
    Array.from({ length: QUESTIONS }, (_, i) => i),
    Math.min(CONCURRENCY, 16),
    async (i) => {
      const r = await post(base, { sessionId: `asker-${tag}-${i}`, text: ASK[i % ASK.length] }, 100_000 + i);
      if (r.status !== 200) failed++;
      qTimes.push(r.ms);
    },
  );
  const qSeconds = (performance.now() - q0) / 1000;
  if (failed) process.stderr.write(`${setup}: ${failed} requests failed\n`);
  return {
    setup,
    cpu,
    checkinsPerS: Math.round(deliveries.length / seconds),
    p50: pct(times, 50),
    p99: pct(times, 99),
    rows,
    lost: CHECKINS - distinct,
    doubled: rows - distinct,
    questionsPerS: Math.round((QUESTIONS / qSeconds) * 10) / 10,
    qP50: pct(qTimes, 50),
    qP99: pct(qTimes, 99),
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tlhc-bench-cluster-'));
  const corpus = path.join(dir, 'corpus');
  mkdirSync(corpus, { recursive: true });
  for (const sub of ['thu-tuc', 'phan-cap']) {
    mkdirSync(path.join(corpus, sub), { recursive: true });
    for (const f of readdirSync(path.join(REPO, 'corpus', sub)))
      if (f.endsWith('.md')) copyFileSync(path.join(REPO, 'corpus', sub, f), path.join(corpus, sub, f));
  }
  const common = {
    CORPUS_DIR: corpus,
    TRAINER_IDS: `web:${TRAINER}`,
    TRUST_PROXY: '2',
    LOG_LEVEL: 'warn',
  };
  const started: Replica[] = [];
  const stopAll = async () => {
    for (const r of started.splice(0)) {
      r.kill('SIGTERM');
      await Promise.race([r.exited, new Promise((res) => setTimeout(res, 10_000))]);
      r.kill('SIGKILL');
    }
  };
  const cluster = startPgCluster({ durable: true, maxConnections: 60 });
  const nginxes: { stop(): void }[] = [];
  const results: Row[] = [];
  try {
    // All setups run side by side and take turns, round after round, so that each meets the same background load
    // on this shared machine; the median round of each is reported. Idle replicas cost next to nothing.
    interface Setup {
      name: string;
      tag: string;
      base: string;
      parts: Parts;
      count: (code: string) => Promise<{ rows: number; distinct: number }>;
      close?: () => Promise<void>;
    }
    const setups: Setup[] = [];
    // SQLite, one process (the default), behind the same nginx configuration with one upstream.
    const solo = await startReplica('sqlite', { ...common, DATA_DIR: path.join(dir, 'sqlite') });
    started.push(solo);
    await waitHealthy(solo.base, solo);
    const soloNginx = await startNginx(path.join(dir, 'nginx-sqlite'), [solo.port]);
    nginxes.push(soloNginx);
    setups.push({
      name: 'SQLite, 1 process',
      tag: 'sq',
      base: soloNginx.base,
      parts: { replicas: [solo.proc.pid!], nginx: soloNginx.pid },
      count: async (code) => {
        const db = new Database(path.join(dir, 'sqlite', 'attendance.db'), { readonly: true });
        try {
          return db
            .prepare(
              'SELECT COUNT(*) AS rows, COUNT(DISTINCT user_id) AS "distinct" FROM checkins k JOIN sessions s ON s.id = k.session_id WHERE s.code = ?',
            )
            .get(code) as { rows: number; distinct: number };
        } finally {
          db.close();
        }
      },
    });
    // PostgreSQL with 1 and with 2 replicas, each on its own database and INDEX_DIR.
    for (const n of [1, 2]) {
      const url = await cluster.createDatabase(`bench${n}`);
      const sql = new pg.Pool({ connectionString: url, max: 2 });
      const env = (i: number) => ({
        ...common,
        DATABASE_URL: url,
        DATABASE_POOL_SIZE: '8',
        DATA_DIR: path.join(dir, `pg${n}-${i}`),
        INDEX_DIR: path.join(dir, `index-${n}`),
      });
      const reps = await Promise.all(Array.from({ length: n }, (_, i) => startReplica(`pg${n}-${i}`, env(i))));
      started.push(...reps);
      await Promise.all(reps.map((r) => waitHealthy(r.base, r)));
      const nginx = await startNginx(
        path.join(dir, `nginx-pg${n}`),
        reps.map((r) => r.port),
      );
      nginxes.push(nginx);
      setups.push({
        name: `PostgreSQL, ${n} replica${n > 1 ? 's' : ''}`,
        tag: `pg${n}`,
        base: nginx.base,
        parts: { replicas: reps.map((r) => r.proc.pid!), postgres: cluster.pid(), nginx: nginx.pid },
        count: async (code) =>
          (
            await sql.query(
              'SELECT COUNT(*)::int AS rows, COUNT(DISTINCT user_id)::int AS "distinct" FROM checkins k JOIN sessions s ON s.id = k.session_id WHERE s.code = $1',
              [code],
            )
          ).rows[0],
        close: () => sql.end(),
      });
    }
    const rounds = new Map<string, Row[]>(setups.map((x) => [x.name, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const x of setups)
        rounds.get(x.name)!.push(await run(x.name, `${x.tag}r${round}`, x.base, x.parts, x.count));
    }
    for (const x of setups) {
      const rs = [...rounds.get(x.name)!].sort((p, q) => p.checkinsPerS - q.checkinsPerS);
      const median = rs[Math.floor(rs.length / 2)];
      results.push({
        ...median,
        allRounds: rs.map((r) => r.checkinsPerS),
        lost: Math.max(...rs.map((r) => r.lost)),
        doubled: Math.max(...rs.map((r) => r.doubled)),
      });
      await x.close?.();
    }
  } finally {
    for (const n of nginxes) n.stop();
    await stopAll();
    cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const pgVersion = execFileSync(
    path.join(
      path.dirname(
        execFileSync('bash', ['-c', 'ls -d /usr/lib/postgresql/*/bin/postgres | tail -1']).toString().trim(),
      ),
      'postgres',
    ),
    ['--version'],
  )
    .toString()
    .trim();
  const machine = `${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), Node ${process.version}, ${pgVersion}, load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`;
  if (process.argv.includes('--json')) {
    console.log(
      JSON.stringify(
        {
          checkins: CHECKINS,
          duplicates: CHECKINS / 10,
          questions: QUESTIONS,
          concurrency: CONCURRENCY,
          machine,
          results,
        },
        null,
        2,
      ),
    );
    return;
  }
  const one = results.find((r) => r.setup === 'PostgreSQL, 1 replica')!;
  const two = results.find((r) => r.setup === 'PostgreSQL, 2 replicas')!;
  console.log(
    `${CHECKINS} learners check in (+${CHECKINS / 10} duplicate deliveries), ${CONCURRENCY} at a time, through nginx; then ${QUESTIONS} questions; median of ${ROUNDS} interleaved rounds.`,
  );
  console.log(
    '| setup | check-ins/s (rounds) | p50 / p99 (ms) | rows | lost | doubled | questions/s | p50 / p99 (ms) |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.setup} | ${r.checkinsPerS} (${r.allRounds?.join(', ')}) | ${r.p50.toFixed(1)} / ${r.p99.toFixed(1)} | ${r.rows} | ${r.lost} | ${r.doubled} | ${r.questionsPerS} | ${r.qP50.toFixed(1)} / ${r.qP99.toFixed(1)} |`,
    );
  }
  console.log('\nCPU per check-in delivery (ms), during the check-in phase:');
  console.log('| setup | replicas (Node) | PostgreSQL | nginx | load generator | total |');
  console.log('|---|---|---|---|---|---|');
  for (const r of results) {
    const c = r.cpu;
    console.log(
      `| ${r.setup} | ${c.replicas} | ${c.postgres} | ${c.nginx} | ${c.loadGenerator} | ${(c.replicas + c.postgres + c.nginx + c.loadGenerator).toFixed(2)} |`,
    );
  }
  console.log(
    `\n2 replicas / 1 replica on PostgreSQL: check-ins ${(two.checkinsPerS / one.checkinsPerS).toFixed(2)}x (target >= 1.5x), questions ${(two.questionsPerS / one.questionsPerS).toFixed(2)}x`,
  );
  console.log(`machine: ${machine}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
