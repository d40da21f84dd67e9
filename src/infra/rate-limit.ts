import type { RateLimitStore } from './rate-limit-store';

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
  allow(key: string, nowMs: number): boolean {
    const since = nowMs - this.windowMs;
    const list = (this.events.get(key) ?? []).filter((t) => t > since);
    const ok = list.length < this.limit;
    if (ok) list.push(nowMs);
    this.events.delete(key);
    this.events.set(key, list);
    if (this.events.size > this.maxKeys) this.evict(since);
    return ok;
  }

  count(key: string, nowMs: number): number {
    const since = nowMs - this.windowMs;
    let n = 0;
    for (const t of this.events.get(key) ?? []) if (t > since) n++;
    return n;
  }

  record(key: string, nowMs: number): void {
    const since = nowMs - this.windowMs;
    const list = (this.events.get(key) ?? []).filter((t) => t > since);
    list.push(nowMs);
    this.events.delete(key);
    this.events.set(key, list);
    if (this.events.size > this.maxKeys) this.evict(since);
  }

  /** True once per window for a limited key, so the polite refusal is not repeated to a flooding user. */
  shouldWarn(key: string, nowMs: number): boolean {
    const last = this.warned.get(key);
    if (last !== undefined && nowMs - last < this.windowMs) return false;
    this.warned.set(key, nowMs);
    if (this.warned.size > this.maxKeys) this.warned.delete(this.warned.keys().next().value as string);
    return true;
  }

  /** Seconds until `key` may send again (at least 1). */
  retryAfterSeconds(key: string, nowMs: number): number {
    const since = nowMs - this.windowMs;
    const oldest = (this.events.get(key) ?? []).find((t) => t > since);
    if (oldest === undefined) return 1;
    return Math.max(1, Math.ceil((oldest + this.windowMs - nowMs) / 1000));
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
