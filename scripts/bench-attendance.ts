// Attendance throughput benchmark: `tsx scripts/bench-attendance.ts [--json] [--users N] [--checkins N] [--concurrency N]`
//
// A temp database; one trainer opens a session; `checkins` messages from `users` simulated trainees go through
// attendance.handle() in Promise batches of `concurrency` async calls. Each trainee's first message checks in;
// later ones are either the same platform message delivered again (same messageId) or a new "dd <code>" message,
// so everything after the first must be rejected as a duplicate. handle() is synchronous for check-ins
// (better-sqlite3), so the batches interleave calls rather than run them in parallel; SQLite serialises writes
// anyway, and the numbers include one fsync per acknowledged check-in (synchronous = FULL).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Incoming } from '../src/chat/types';
import { openAttendance, type SqliteAttendanceStore } from '../src/attendance';

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
  /** Time of a single handle() call. */
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
  const tmp = opts.dbPath ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'attendance-bench-'));
  const dbPath = opts.dbPath ?? path.join(tmp!, 'attendance.db');
  const attendance = openAttendance({ dbPath, logger: { error: () => {}, warn: () => {} } });
  try {
    const opened = await attendance.handle(
      {
        channel: 'telegram', chatId: 'trainer-chat', userId: 'trainer', userName: 'Giảng viên',
        text: '/mo Lớp kỹ năng số thôn 3 120', isGroup: false, messageId: 'open-1',
      },
      'trainer',
    );
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
        channel: u % 2 ? 'zalo' : 'telegram', chatId: `chat-${u}`, userId: `user-${u}`,
        userName: `Học viên ${u}`, text: `dd ${code.toLowerCase()} Học viên số ${u}`, isGroup: false,
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
          const t = performance.now();
          const pending = attendance.handle(m, 'user');
          service.push(performance.now() - t);
          const reply = await pending;
          latencies.push(performance.now() - batchStart);
          if (reply?.text.startsWith('✅')) {
            if (firstDelivery) acknowledged++;
          } else if (!reply || !reply.text.startsWith('Bạn đã điểm danh')) {
            errors++;
          }
        }),
      );
    }
    const seconds = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    service.sort((a, b) => a - b);

    const db = (attendance.store as SqliteAttendanceStore).db;
    const rowsInDb = (db.prepare('SELECT COUNT(*) AS n FROM checkins').get() as { n: number }).n;
    const distinctUsers = new Set(messages.map((m) => `${m.channel}:${m.userId}`)).size;
    return {
      users, checkins, concurrency, seconds,
      checkinsPerSecond: checkins / seconds,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies[latencies.length - 1] ?? 0,
      serviceP50Ms: percentile(service, 50),
      serviceP99Ms: percentile(service, 99),
      rowsInDb, distinctUsers, acknowledged,
      duplicatesRejected: checkins - acknowledged - errors,
      redeliveries, errors,
      synchronous: ['OFF', 'NORMAL', 'FULL', 'EXTRA'][Number(db.pragma('synchronous', { simple: true }))] ?? '?',
    };
  } finally {
    attendance.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export function formatBenchTable(r: AttendanceBenchResult): string {
  const rows: [string, string][] = [
    ['check-ins sent', `${r.checkins} from ${r.users} users, batches of ${r.concurrency}`],
    ['check-ins/s', r.checkinsPerSecond.toFixed(0)],
    ['latency p50 / p99 / max (ms)', `${r.p50Ms.toFixed(2)} / ${r.p99Ms.toFixed(2)} / ${r.maxMs.toFixed(2)} (queued behind the batch)`],
    ['one handle() p50 / p99 (ms)', `${r.serviceP50Ms.toFixed(3)} / ${r.serviceP99Ms.toFixed(3)}`],
    ['rows in DB', `${r.rowsInDb} (distinct users: ${r.distinctUsers}) ${r.rowsInDb === r.distinctUsers ? 'OK' : 'MISMATCH'}`],
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
