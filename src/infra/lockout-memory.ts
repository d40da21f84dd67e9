import { LOCKOUT_POLICY, lockMs, type LoginLockoutStore } from './lockout';

interface Entry {
  failures: number;
  lastFailure: number;
  lockedUntil: number;
}

/**
 * LoginLockoutStore in process memory. The table is bounded: when full, records that have expired go first,
 * then the least recently failing client that is not locked, one at a time; it is never cleared wholesale
 * (that would hand an attacker a fresh start).
 */
export class MemoryLoginLockout implements LoginLockoutStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly capacity = 100_000,
    private readonly policy = LOCKOUT_POLICY,
  ) {}

  lockedFor(key: string, nowMs: number): number {
    const e = this.entries.get(key);
    return e ? Math.max(0, e.lockedUntil - nowMs) : 0;
  }

  fail(key: string, nowMs: number): number {
    const old = this.entries.get(key);
    const failures = old && nowMs - old.lastFailure < this.policy.forgetAfterMs ? old.failures + 1 : 1;
    const lock = lockMs(failures, this.policy);
    // Re-inserted so the map stays ordered by last failure (oldest first).
    this.entries.delete(key);
    this.entries.set(key, { failures, lastFailure: nowMs, lockedUntil: nowMs + lock });
    if (this.entries.size > this.capacity) this.evictOne(nowMs);
    return lock;
  }

  succeed(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private evictOne(nowMs: number): void {
    let victim: string | undefined;
    for (const [k, e] of this.entries) {
      if (nowMs - e.lastFailure >= this.policy.forgetAfterMs) {
        victim = k;
        break;
      }
      if (e.lockedUntil <= nowMs) {
        victim ??= k;
        break;
      }
    }
    this.entries.delete(victim ?? (this.entries.keys().next().value as string));
  }
}
