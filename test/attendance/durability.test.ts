import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openAttendance, SqliteAttendanceStore } from '../../src/attendance';
import { cleanupTmp, tmpDir } from './helpers';

afterAll(cleanupTmp);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const worker = path.join(root, 'test/attendance/durability-worker.ts');

async function openSession(dbPath: string): Promise<string> {
  const a = openAttendance({ dbPath });
  try {
    const r = await a.handle(
      {
        channel: 'telegram',
        chatId: 't',
        userId: 't',
        userName: 'GV',
        text: '/mo Lớp bền vững 600',
        isGroup: false,
        messageId: 'open',
      },
      'trainer',
    );
    return /Mã điểm danh: (\S+)/.exec(r!.text)![1];
  } finally {
    a.close();
  }
}

/** Runs the worker, SIGKILLs it after `killAfter` ACKs, returns the ACKed user ids and how it ended. */
function burstAndKill(dbPath: string, code: string, killAfter: number) {
  return new Promise<{ acked: string[]; signal: NodeJS.Signals | null; done: boolean; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', worker, dbPath, code], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const acked: string[] = [];
      let buf = '';
      let stderr = '';
      let done = false;
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.startsWith('ACK ')) acked.push(line.slice(4));
          if (line === 'DONE') done = true;
        }
        if (acked.length >= killAfter && child.exitCode === null && !child.killed) child.kill('SIGKILL');
      });
      child.on('error', reject);
      child.on('close', (_code, signal) => resolve({ acked, signal, done, stderr }));
    },
  );
}

describe('durability', () => {
  it.each([150, 600])(
    'keeps every acknowledged check-in when the process is killed (after %i ACKs)',
    async (killAfter) => {
      const dbPath = path.join(tmpDir(), 'data', 'attendance.db');
      const code = await openSession(dbPath);
      const run = await burstAndKill(dbPath, code, killAfter);
      expect(run.stderr).toBe('');
      expect(run.signal).toBe('SIGKILL');
      expect(run.done).toBe(false);
      expect(run.acked.length).toBeGreaterThanOrEqual(killAfter);

      const store = new SqliteAttendanceStore(dbPath);
      try {
        expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
        const session = store.getSessionByCode(code)!;
        const rows = store.listCheckins(session.id);
        const perUser = new Map<string, number>();
        for (const r of rows) perUser.set(r.userId, (perUser.get(r.userId) ?? 0) + 1);
        for (const user of run.acked) expect(perUser.get(user), user).toBe(1);
        expect([...perUser.values()].every((n) => n === 1)).toBe(true);
        // At most the one check-in that was being committed when the kill landed is stored without its ACK.
        expect(rows.length - run.acked.length).toBeGreaterThanOrEqual(0);
        expect(rows.length - run.acked.length).toBeLessThanOrEqual(2);
      } finally {
        store.close();
      }
    },
  );
});
