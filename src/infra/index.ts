// Process-level building blocks (layer 2): bounded LRU maps, duplicate filtering, rate limits and lockouts.
export type { ProcessedEventStore } from './dedupe';
export { SqliteProcessedEventStore } from './dedupe-sqlite';
export type { LoginLockoutStore } from './lockout';
export { MemoryLoginLockout } from './lockout-memory';
export { LruMap, SeenIds } from './lru';
export { RateLimiter } from './rate-limit';
export type { RateLimitStore } from './rate-limit-store';
