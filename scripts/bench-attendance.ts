// Attendance throughput benchmark: `tsx scripts/bench-attendance.ts [--json] [--users N] [--checkins N] [--concurrency N]`
//
// A temp database; one trainer opens a session; `checkins` messages from `users` simulated trainees go through
// the chat core (router, duplicate filter, rate limiter, roles, then attendance) in Promise batches of
// `concurrency` async calls, exactly as a channel adapter delivers them. Each trainee's first message checks in;
// later ones are either the same platform message delivered again (same messageId) or a new "dd <code>" message,
// so everything after the first must be rejected as a duplicate. handle() is synchronous for check-ins
// (better-sqlite3), so the batches interleave calls rather than run them in parallel; SQLite serialises writes
// anyway, and the numbers include one fsync per acknowledged check-in (synchronous = FULL).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Incoming } from '../src/domain/chat';
import { openAttendance, type SqliteAttendanceStore } from '../src/attendance';
import { createAnswerer } from '../src/answer/index';
import { createChatCore } from '../src/chat/core';
import { openFeedbackStore } from '../src/chat/feedback';
import { loadConfig } from '../src/config';
import { openRetriever } from '../src/search/engine';

const REPO = path.resolve(import.meta.dirname, '..');

export interface AttendanceBenchOptions {
  users?: number;
  checkins?: number;
  concurrency?: number;
  /** Database file; a fresh temp directory (removed afterwards) when omitted. */
  dbPath?: string;
}

export interface AttendanceBenchResult {
  users: number;
  checkins: number;
  concurrency: number;
  seconds: number;
  checkinsPerSecond: number;
  /** Latency from batch dispatch to reply (includes waiting behind the rest of the batch). */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Time of one check-in through the chat core, handled one at a time. */
  serviceP50Ms: number;
  serviceP99Ms: number;
  rowsInDb: number;
  distinctUsers: number;
  acknowledged: number;
  duplicatesRejected: number;
  redeliveries: number;
  errors: number;
  synchronous: string;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function runAttendanceBench(opts: AttendanceBenchOptions = {}): Promise<AttendanceBenchResult> {
  const users = opts.users ?? 500;
  const checkins = opts.checkins ?? 2000;
  const concurrency = opts.concurrency ?? 500;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'attendance-bench-'));
  const dbPath = opts.dbPath ?? path.join(tmp, 'attendance.db');
  const attendance = openAttendance({ dbPath, logger: { error: () => {}, warn: () => {} } });
  // The chat core needs its question path too; a one-document corpus keeps set-up to a fraction of a second.
  const corpus = path.join(tmp, 'corpus');
  fs.mkdirSync(corpus);
  fs.copyFileSync(path.join(REPO, 'corpus/thu-tuc/dang-ky-khai-sinh.md'), path.join(corpus, 'dang-ky-khai-sinh.md'));
  const config = loadConfig(
    {
      CORPUS_DIR: corpus,
      DATA_DIR: path.join(tmp, 'data'),
      TRAINER_IDS: 'telegram:trainer',
      RATE_LIMIT_PER_MINUTE: '10000',
    },
    { dotenv: false },
  );
  const retriever = await openRetriever(config, { log: () => {} });
  const feedback = openFeedbackStore(path.join(tmp, 'feedback.db'));
  const silent = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {}, child: () => silent } as never;
  const core = createChatCore({
    config,
    answerer: createAnswerer(config, retriever),
    attendance,
    retriever,
    feedback,
    logger: silent,
  });
  try {
    const [opened] = await core.handle({
      channel: 'telegram',
      chatId: 'trainer-chat',
      userId: 'trainer',
      userName: 'Giảng viên',
      text: '/mo Lớp kỹ năng số thôn 3 120',
      isGroup: false,
      messageId: 'open-1',
    });
    const code = /Mã điểm danh: (\S+)/.exec(opened?.text ?? '')?.[1];
    if (!code) throw new Error(`could not open a session: ${opened?.text}`);

    // Message i comes from user i % users; round 0 is each user's first check-in.
    const messages: Incoming[] = [];
    let redeliveries = 0;
    for (let i = 0; i < checkins; i++) {
      const u = i % users;
      const round = Math.floor(i / users);
      const redelivery = round % 2 === 1; // odd rounds resend the first message with the same messageId
      if (redelivery) redeliveries++;
      messages.push({
        channel: u % 2 ? 'zalo' : 'telegram',
        chatId: `chat-${u}`,
        userId: `user-${u}`,
        userName: `Học viên ${u}`,
        text: `dd ${code.toLowerCase()} Học viên số ${u}`,
        isGroup: false,
        messageId: redelivery || round === 0 ? `m-${u}-0` : `m-${u}-${round}`,
      });
    }

    const latencies: number[] = []; // batch dispatch -> reply: what a user sees when a whole batch arrives at once
    const service: number[] = []; // one handle() call on its own
    const seen = new Set<string>();
    let acknowledged = 0;
    let errors = 0;
    const t0 = performance.now();
    for (let start = 0; start < messages.length; start += concurrency) {
      const batch = messages.slice(start, start + concurrency);
      const batchStart = performance.now();
      await Promise.all(
        batch.map(async (m) => {
          const key = `${m.channel}:${m.chatId}:${m.messageId}`;
          const firstDelivery = !seen.has(key);
          seen.add(key);
          const replies = await core.handle(m);
          latencies.push(performance.now() - batchStart);
          const reply = replies[0];
          if (reply?.text.startsWith('✅')) {
            if (firstDelivery) acknowledged++;
          } else if (firstDelivery && !reply?.text.startsWith('Bạn đã điểm danh')) {
            // A redelivered message may be dropped silently by the core's duplicate filter; anything else is wrong.
            errors++;
          }
        }),
      );
    }
    const seconds = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);

    // Service time: the same work one message at a time (a second session, each user once), so the figure is
    // the cost of one check-in rather than its wait behind a burst.
    const [opened2] = await core.handle({
      channel: 'telegram',
      chatId: 'trainer-chat',
      userId: 'trainer',
      userName: 'Giảng viên',
      text: '/mo Lớp kỹ năng số thôn 4 120',
      isGroup: false,
      messageId: 'open-2',
    });
    const code2 = /Mã điểm danh: (\S+)/.exec(opened2?.text ?? '')?.[1];
    for (let u = 0; u < Math.min(users, 500); u++) {
      const t = performance.now();
      const [r] = await core.handle({
        channel: 'telegram',
        chatId: `chat-${u}`,
        userId: `user-${u}`,
        userName: `Học viên ${u}`,
        text: `dd ${code2}`,
        isGroup: false,
        messageId: `s-${u}`,
      });
      service.push(performance.now() - t);
      if (!r?.text.startsWith('✅')) errors++;
    }
    service.sort((a, b) => a - b);

    const db = (attendance.store as SqliteAttendanceStore).db;
    const rowsInDb = (
      db
        .prepare(
          'SELECT COUNT(*) AS n FROM checkins WHERE session_id = (SELECT session_id FROM checkins ORDER BY id LIMIT 1)',
        )
        .get() as { n: number }
    ).n;
    const distinctUsers = new Set(messages.map((m) => `${m.channel}:${m.userId}`)).size;
    return {
      users,
      checkins,
      concurrency,
      seconds,
      checkinsPerSecond: checkins / seconds,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies[latencies.length - 1] ?? 0,
      serviceP50Ms: percentile(service, 50),
      serviceP99Ms: percentile(service, 99),
      rowsInDb,
      distinctUsers,
      acknowledged,
      duplicatesRejected: checkins - acknowledged - errors,
      redeliveries,
      errors,
      synchronous: ['OFF', 'NORMAL', 'FULL', 'EXTRA'][Number(db.pragma('synchronous', { simple: true }))] ?? '?',
    };
  } finally {
    attendance.close();
    feedback.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export function formatBenchTable(r: AttendanceBenchResult): string {
  const rows: [string, string][] = [
    ['check-ins sent', `${r.checkins} from ${r.users} users, batches of ${r.concurrency}`],
    ['check-ins/s', r.checkinsPerSecond.toFixed(0)],
    [
      'burst latency p50 / p99 / max (ms)',
      `${r.p50Ms.toFixed(2)} / ${r.p99Ms.toFixed(2)} / ${r.maxMs.toFixed(2)} (all ${r.concurrency} of a batch sent at once, queued)`,
    ],
    ['service time p50 / p99 (ms)', `${r.serviceP50Ms.toFixed(3)} / ${r.serviceP99Ms.toFixed(3)}`],
    [
      'rows in DB',
      `${r.rowsInDb} (distinct users: ${r.distinctUsers}) ${r.rowsInDb === r.distinctUsers ? 'OK' : 'MISMATCH'}`,
    ],
    ['acknowledged (✅)', String(r.acknowledged)],
    ['duplicates rejected', `${r.duplicatesRejected} (of which redeliveries of the same message: ${r.redeliveries})`],
    ['errors', String(r.errors)],
    ['synchronous', r.synchronous],
    ['wall time (s)', r.seconds.toFixed(2)],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}

function argNumber(argv: string[], flag: string): number | undefined {
  const i = argv.indexOf(flag);
  if (i < 0) return undefined;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} needs a positive integer`);
  return n;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const argv = process.argv.slice(2);
  const result = await runAttendanceBench({
    users: argNumber(argv, '--users'),
    checkins: argNumber(argv, '--checkins'),
    concurrency: argNumber(argv, '--concurrency'),
  });
  console.log(argv.includes('--json') ? JSON.stringify(result, null, 2) : formatBenchTable(result));
  if (result.rowsInDb !== result.distinctUsers || result.errors > 0) process.exitCode = 1;
}
