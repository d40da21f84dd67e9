import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Incoming, Outgoing, Role } from '../../src/domain/chat';
import { openAttendance, type Attendance } from '../../src/attendance';

const dirs: string[] = [];

/** A fresh directory under os.tmpdir(); removed by cleanupTmp(). */
export function tmpDir(prefix = 'attendance-test-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}

export function cleanupTmp(): void {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** 2025-11-21 09:00 in Vietnam. */
export const T0 = Date.parse('2025-11-21T02:00:00Z');

export class Clock {
  constructor(public ms = T0) {}
  now = (): Date => new Date(this.ms);
  advanceMinutes(m: number): void {
    this.ms += m * 60_000;
  }
}

let seq = 0;
export function message(over: Partial<Incoming> & { userId: string; text: string }): Incoming {
  return {
    channel: 'telegram',
    chatId: `private-${over.userId}`,
    userName: `Người dùng ${over.userId}`,
    isGroup: false,
    messageId: `msg-${++seq}`,
    ...over,
  };
}

export interface Harness {
  a: Attendance;
  clock: Clock;
  dbPath: string;
  /** Sends a message and returns the reply (awaiting /xuat). */
  send(over: Partial<Incoming> & { userId: string; text: string }, role?: Role): Promise<Outgoing | null>;
  /** Sends and returns only the text ('' for null). */
  say(userId: string, text: string, role?: Role, over?: Partial<Incoming>): Promise<string>;
  /** Opens a session as `trainer` and returns its code. */
  open(text: string, trainer?: string, over?: Partial<Incoming>, role?: Role): Promise<string>;
}

export function harness(dbPath = path.join(tmpDir(), 'data', 'attendance.db')): Harness {
  const clock = new Clock();
  const a = openAttendance({ dbPath, now: clock.now, logger: { error: () => {}, warn: () => {} } });
  const send: Harness['send'] = async (over, role = 'user') => a.handle(message(over), role);
  const say: Harness['say'] = async (userId, text, role = 'user', over = {}) =>
    (await send({ userId, text, ...over }, role))?.text ?? '';
  const open: Harness['open'] = async (text, trainer = 'trainer1', over = {}, role = 'trainer') => {
    const reply = await say(trainer, text, role, over);
    const code = /^Mã điểm danh: (\S+)$/m.exec(reply)?.[1];
    if (!code) throw new Error(`not opened: ${reply}`);
    return code;
  };
  return { a, clock, dbPath, send, say, open };
}
