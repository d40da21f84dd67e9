// Rate limiting, in one place: sliding-window counters (messages, taps, failed attendance codes) and lockouts that
// double with every failure (admin and trainer sign-in). Each has a narrow store interface and an in-memory
// implementation; the replicas share them in PostgreSQL with DATABASE_URL (rate-limit-pg.ts). The interfaces are
// async because the shared backend is.

// ---------------------------------------------------------------------------------------------------------------
// Sliding windows
export interface RateLimitStore {
  /** Records an event for `key` unless it already has `limit` events in the window; false when refused. */
  allow(key: string, nowMs: number): Promise<boolean>;
  /** Events of `key` in the window ending at `nowMs`. */
  count(key: string, nowMs: number): Promise<number>;
  /** Records an event for `key` regardless of the limit. */
  record(key: string, nowMs: number): Promise<void>;
  /** Seconds until the oldest event of `key` leaves the window (at least 1). */
  retryAfterSeconds(key: string, nowMs: number): Promise<number>;
  /** True once per window for a limited key, so a polite refusal is not repeated to a flooding sender. */
  shouldWarn(key: string, nowMs: number): Promise<boolean>;
}

/** Seconds until the oldest of `events` (already limited to the window) leaves the window; at least 1. */
export function retryAfter(events: number[], windowMs: number, nowMs: number): number {
  if (events.length === 0) return 1;
  return Math.max(1, Math.ceil((Math.min(...events) + windowMs - nowMs) / 1000));
}

/** Sliding-window rate limit per key, in memory: at most `limit` events in any `windowMs`. */
export class RateLimiter implements RateLimitStore {
  private readonly events = new Map<string, number[]>();
  private readonly warned = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly maxKeys = 50_000,
  ) {}

  /** Records an event for `key` at `nowMs`; false when it exceeds the limit (the event is not counted). */
  async allow(key: string, nowMs: number): Promise<boolean> {
    const since = nowMs - this.windowMs;
    const list = (this.events.get(key) ?? []).filter((t) => t > since);
    const ok = list.length < this.limit;
    if (ok) list.push(nowMs);
    this.events.delete(key);
    this.events.set(key, list);
    if (this.events.size > this.maxKeys) this.evict(since);
    return ok;
  }

  async count(key: string, nowMs: number): Promise<number> {
    const since = nowMs - this.windowMs;
    let n = 0;
    for (const t of this.events.get(key) ?? []) if (t > since) n++;
    return n;
  }

  async record(key: string, nowMs: number): Promise<void> {
    const since = nowMs - this.windowMs;
    const list = (this.events.get(key) ?? []).filter((t) => t > since);
    list.push(nowMs);
    this.events.delete(key);
    this.events.set(key, list);
    if (this.events.size > this.maxKeys) this.evict(since);
  }

  /** True once per window for a limited key, so the polite refusal is not repeated to a flooding user. */
  async shouldWarn(key: string, nowMs: number): Promise<boolean> {
    const last = this.warned.get(key);
    if (last !== undefined && nowMs - last < this.windowMs) return false;
    this.warned.set(key, nowMs);
    if (this.warned.size > this.maxKeys) this.warned.delete(this.warned.keys().next().value as string);
    return true;
  }

  /** Seconds until `key` may send again (at least 1). */
  async retryAfterSeconds(key: string, nowMs: number): Promise<number> {
    const since = nowMs - this.windowMs;
    return retryAfter(
      (this.events.get(key) ?? []).filter((t) => t > since),
      this.windowMs,
      nowMs,
    );
  }

  private evict(since: number): void {
    for (const [k, list] of this.events) {
      if (list.every((t) => t <= since)) this.events.delete(k);
      if (this.events.size <= this.maxKeys) return;
    }
    // Everyone is active: drop the least recently seen keys.
    while (this.events.size > this.maxKeys) this.events.delete(this.events.keys().next().value as string);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Lockouts: a few free tries, then locks that double with every further failure
export interface LoginLockoutStore {
  /** Milliseconds until `key` may try again; 0 when it may try now. */
  lockedFor(key: string, nowMs: number): Promise<number>;
  /** Records a wrong token from `key`; returns the lock now in force (ms, 0 while tries are still free). */
  fail(key: string, nowMs: number): Promise<number>;
  /** A right token: `key` starts afresh. */
  succeed(key: string): Promise<void>;
}

export const LOCKOUT_POLICY = {
  /** Wrong tokens allowed before the first lock. */
  freeTries: 5,
  /** The first lock; each further failure doubles it. */
  firstLockMs: 30_000,
  maxLockMs: 60 * 60_000,
  /** A client's record is forgotten this long after its last failure. */
  forgetAfterMs: 24 * 3600_000,
};

/** Lock after `failures` wrong tokens (0 while free tries remain). */
export function lockMs(failures: number, policy = LOCKOUT_POLICY): number {
  if (failures < policy.freeTries) return 0;
  return Math.min(policy.maxLockMs, policy.firstLockMs * 2 ** Math.min(30, failures - policy.freeTries));
}

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

  async lockedFor(key: string, nowMs: number): Promise<number> {
    const e = this.entries.get(key);
    return e ? Math.max(0, e.lockedUntil - nowMs) : 0;
  }

  async fail(key: string, nowMs: number): Promise<number> {
    const old = this.entries.get(key);
    const failures = old && nowMs - old.lastFailure < this.policy.forgetAfterMs ? old.failures + 1 : 1;
    const lock = lockMs(failures, this.policy);
    // Re-inserted so the map stays ordered by last failure (oldest first).
    this.entries.delete(key);
    this.entries.set(key, { failures, lastFailure: nowMs, lockedUntil: nowMs + lock });
    if (this.entries.size > this.capacity) this.evictOne(nowMs);
    return lock;
  }

  async succeed(key: string): Promise<void> {
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
