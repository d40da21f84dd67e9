// Sliding-window event counters per key: message rate limits, failed attendance-code attempts. In memory by
// default (RateLimiter, rate-limit.ts); shared by the replicas in PostgreSQL with DATABASE_URL (rate-limit-pg.ts).

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
