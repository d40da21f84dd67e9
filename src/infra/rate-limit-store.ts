// Sliding-window event counters per key: message rate limits, failed attendance-code attempts. The in-memory
// implementation is RateLimiter (rate-limit.ts); a shared backend (PostgreSQL) can implement the same interface.

export interface RateLimitStore {
  /** Records an event for `key` unless it already has `limit` events in the window; false when refused. */
  allow(key: string, nowMs: number): boolean;
  /** Events of `key` in the window ending at `nowMs`. */
  count(key: string, nowMs: number): number;
  /** Records an event for `key` regardless of the limit. */
  record(key: string, nowMs: number): void;
  /** Seconds until the oldest event of `key` leaves the window (at least 1). */
  retryAfterSeconds(key: string, nowMs: number): number;
  /** True once per window for a limited key, so a polite refusal is not repeated to a flooding sender. */
  shouldWarn(key: string, nowMs: number): boolean;
}
