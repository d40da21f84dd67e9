// Flood benchmark: `tsx scripts/bench-flood.ts [--json] [--seconds N] [--attackers N] [--legit N]`
//
// The real HTTP app (@hono/node-server on 127.0.0.1, shipped corpus, offline answers) behind TRUST_PROXY=1, so
// the script can speak as many clients through X-Forwarded-For. Legitimate users (each its own address and
// session) ask one question at a time and their latency is measured: first on a quiet server, then while one
// address floods /api/chat with `attackers` concurrent loops that rotate their session id on every request (the
// attack of issue 15, finding 4). The flood runs twice: with the per-address limit as configured, and with it
// lifted (as before the fix), to show what the limit buys.
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { serve } from '@hono/node-server';
import { createAnswerer } from '../src/answer/index';
import { openAttendance } from '../src/attendance';
import { createChatCore } from '../src/chat/core';
import { openFeedbackStore } from '../src/chat/feedback';
import { loadConfig, type Config } from '../src/config';
import { openRetriever } from '../src/search/engine';
import type { Retriever } from '../src/search/retriever';
import { createApp } from '../src/server/app';
import { instrumentCore, Metrics } from '../src/server/metrics';

const REPO = path.resolve(import.meta.dirname, '..');
const QUESTIONS = [
  'đăng ký khai sinh cần giấy tờ gì',
  'đăng ký tạm trú ở đâu',
  'chứng thực bản sao mất bao lâu',
  'lệ phí đăng ký kết hôn',
];

interface Phase {
  phase: string;
  legitN: number;
  legitP50Ms: number;
  legitP95Ms: number;
  floodRequests: number;
  floodAnswered: number;
}

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : 0;
};

async function ask(
  base: string,
  client: string,
  session: string,
  text: string,
): Promise<{ ms: number; answered: boolean }> {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
    body: JSON.stringify({ sessionId: session, text }),
  });
  const json = (await res.json()) as { answerId?: string };
  return { ms: performance.now() - t0, answered: Boolean(json.answerId) };
}

async function startServer(
  config: Config,
  retriever: Retriever,
  dataDir: string,
): Promise<{ base: string; close: () => Promise<void> }> {
  const attendance = openAttendance({
    dbPath: path.join(dataDir, `attendance-${process.hrtime.bigint()}.db`),
    logger: { error: () => {}, warn: () => {} },
  });
  const feedback = openFeedbackStore(path.join(dataDir, `feedback-${process.hrtime.bigint()}.db`));
  const metrics = new Metrics();
  const core = instrumentCore(
    createChatCore({ config, answerer: createAnswerer(config, retriever), attendance, retriever, feedback }),
    metrics,
  );
  const app = createApp({ config, core, metrics, retriever, attendance, feedback });
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server;
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      attendance.close();
      feedback.close();
    },
  };
}

async function phase(name: string, base: string, legit: number, attackers: number, seconds: number): Promise<Phase> {
  let stop = false;
  let floodRequests = 0;
  let floodAnswered = 0;
  let seq = 0;
  const loops = Array.from({ length: attackers }, async () => {
    while (!stop) {
      const r = await ask(
        base,
        '198.51.100.66',
        `flood-session-${String(++seq).padStart(8, '0')}`,
        QUESTIONS[seq % QUESTIONS.length],
      );
      floodRequests++;
      if (r.answered) floodAnswered++;
    }
  });
  if (attackers) await new Promise((r) => setTimeout(r, 1000)); // let the flood reach full speed
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  for (let i = 0; i < legit || (attackers > 0 && performance.now() < deadline); i++) {
    const r = await ask(
      base,
      `203.0.113.${i % 250}`,
      `legit-session-${String(i).padStart(6, '0')}`,
      QUESTIONS[i % QUESTIONS.length],
    );
    if (r.answered) latencies.push(r.ms);
    if (i >= legit && !attackers) break;
  }
  stop = true;
  await Promise.all(loops);
  return {
    phase: name,
    legitN: latencies.length,
    legitP50Ms: pct(latencies, 50),
    legitP95Ms: pct(latencies, 95),
    floodRequests,
    floodAnswered,
  };
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const seconds = arg('--seconds', 10);
  const attackers = arg('--attackers', 16);
  const legit = arg('--legit', 100);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-flood-'));
  try {
    const env = {
      CORPUS_DIR: path.join(REPO, 'corpus'),
      DATA_DIR: tmp,
      LOG_LEVEL: 'silent',
      TRUST_PROXY: '1',
      RATE_LIMIT_PER_MINUTE: '12',
    };
    const limited = loadConfig(env, { dotenv: false });
    const unlimited = loadConfig({ ...env, RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '100000' }, { dotenv: false });
    const retriever = await openRetriever(limited, { log: () => {} });
    const rows: Phase[] = [];
    for (const [label, config, flood] of [
      ['quiet server', limited, 0],
      [`flood, RATE_LIMIT_PER_ADDRESS_PER_MINUTE=${limited.RATE_LIMIT_PER_ADDRESS_PER_MINUTE}`, limited, attackers],
      ['flood, no per-address limit (before the fix)', unlimited, attackers],
    ] as const) {
      const s = await startServer(config, retriever, tmp);
      try {
        rows.push(await phase(label, s.base, legit, flood, seconds));
      } finally {
        await s.close();
      }
    }
    const result = {
      machine: { cpus: os.cpus().length, node: process.version, load: os.loadavg().map((x) => Number(x.toFixed(2))) },
      seconds,
      attackers,
      rows,
    };
    if (json) {
      console.log(JSON.stringify(result, null, 2));
      return;
    }
    console.log(
      `Flood from one address, ${attackers} concurrent loops rotating session ids, ${seconds} s; legitimate users one question at a time`,
    );
    console.log(
      `Machine: ${result.machine.cpus} cores, Node ${result.machine.node}, load average ${result.machine.load.join(' / ')}\n`,
    );
    console.log('| Phase | legit answers | legit p50 (ms) | legit p95 (ms) | flood requests | flood answered |');
    console.log('|---|---|---|---|---|---|');
    for (const r of rows) {
      console.log(
        `| ${r.phase} | ${r.legitN} | ${r.legitP50Ms.toFixed(1)} | ${r.legitP95Ms.toFixed(1)} | ${r.floodRequests} | ${r.floodAnswered} |`,
      );
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
