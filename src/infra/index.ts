// Process-level building blocks (layer 2): bounded LRU maps, duplicate filtering, rate limits and lockouts.
export { DEFAULT_CLAIM_LEASE_MS, MemoryProcessedEvents, type ProcessedEventStore } from './dedupe';
export { PROCESSED_EVENTS_TABLE, SqliteProcessedEventStore } from './dedupe-sqlite';
export { DEFAULT_BUSY_TIMEOUT_MS, migrate, type Migration, openDatabase } from './sqlite';
export { LruMap } from './lru';
export {
  LOCKOUT_POLICY,
  type LoginLockoutStore,
  lockMs,
  MemoryLoginLockout,
  RateLimiter,
  type RateLimitStore,
  retryAfter,
} from './rate-limit';
export { PgLoginLockout, PgRateLimitStore } from './rate-limit-pg';
export { runTool, ToolError, type ToolOptions } from './run-tool';
