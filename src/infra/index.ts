// Process-level building blocks (layer 2): bounded LRU maps, duplicate filtering, rate limits and lockouts.
export { type DuplicateFilter, type ProcessedEventStore, SeenIds } from './dedupe';
export { PROCESSED_EVENTS_TABLE, SqliteProcessedEventStore } from './dedupe-sqlite';
export { DEFAULT_BUSY_TIMEOUT_MS, migrate, type Migration, openDatabase } from './sqlite';
export { LruMap } from './lru';
export {
  LOCKOUT_POLICY,
  type LoginLockoutStore,
  MemoryLoginLockout,
  RateLimiter,
  type RateLimitStore,
} from './rate-limit';
