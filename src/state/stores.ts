// Where every piece of shared state lives: SQLite files and memory for one machine (the default), or one
// PostgreSQL database for several replicas behind a load balancer (DATABASE_URL). Built once by main.ts and the
// CLI; the rest of the code sees only the interfaces.
import { hostname } from 'node:os';
import path from 'node:path';
import { type AttendanceStore, CODE_GUARD_POLICY, PgAttendanceStore, SqliteAttendanceStore } from '../attendance';
import {
  OA_PROCESSED_RETENTION_MS,
  type OATokenStore,
  PgOATokenStore,
  ZALO_OA_DB,
  ZALO_OA_MIGRATIONS,
  ZaloOATokenStore,
} from '../channels';
import {
  type AnswerLog,
  type ChatLimitStores,
  type ConversationStore,
  type FeedbackStore,
  MemoryAnswerLog,
  MemoryConversationStore,
  memoryLimitStores,
  openFeedbackStore,
  PgAnswerLog,
  PgConversationStore,
  PgFeedbackStore,
  PgProcessedEvents,
} from '../chat';
import type { Config } from '../config';
import { type GapStore, openGapStore, PgGapStore } from '../gaps';
import {
  type AdminSessionStore,
  type ExportFileStore,
  FileStore,
  MemoryAdminSessionStore,
  PgAdminSessionStore,
  PgFileStore,
} from '../server';
import {
  type LoginLockoutStore,
  MemoryLoginLockout,
  MemoryProcessedEvents,
  PgLoginLockout,
  PgRateLimitStore,
  type ProcessedEventStore,
  RateLimiter,
  type RateLimitStore,
  SqliteProcessedEventStore,
} from '../infra';
import { type Database, migratePg, openDatabase, PgLeaseStore } from '../db';

/** The chat core's duplicate filter in PostgreSQL: ids are kept this long (platforms redeliver within minutes). */
const UPDATE_RETENTION_MS = 2 * 3600_000;

export interface SharedState {
  backend: 'sqlite' | 'postgres';
  /** This process, as named in leases and logs ("host:pid"). */
  replica: string;
  attendance: AttendanceStore;
  feedback: FeedbackStore;
  /** The chat core's duplicate filter of deliveries. */
  seen: ProcessedEventStore;
  limits: ChatLimitStores;
  /** Failed attendance-code attempts: per client, and over everybody (code-guard.ts). */
  codeAttempts: { clients: RateLimitStore; global: RateLimitStore };
  conversations: ConversationStore;
  answers: AnswerLog;
  adminLockout: LoginLockoutStore;
  codeLockout: LoginLockoutStore;
  files: ExportFileStore;
  adminSessions: AdminSessionStore;
  /** Declined questions and 👎 votes (the report of what the corpus cannot answer). */
  gaps: GapStore;
  oaTokens(appId: string): OATokenStore;
  oaProcessed(): ProcessedEventStore;
  /** PostgreSQL only: the pool (health, metrics, index versions) and leases (one poller per bot). */
  database?: Database;
  leases?: PgLeaseStore;
  close(): Promise<void>;
}

export interface SharedStateOptions {
  onPoolError?: (err: Error) => void;
}

type StateConfig = Pick<
  Config,
  | 'dataDir'
  | 'DATABASE_URL'
  | 'DATABASE_POOL_SIZE'
  | 'RATE_LIMIT_PER_MINUTE'
  | 'RATE_LIMIT_PER_ADDRESS_PER_MINUTE'
  | 'MEMORY_TURNS'
  | 'MEMORY_TTL_MINUTES'
>;

export const replicaName = (): string => `${hostname()}:${process.pid}`;

/** Opens the stores of the configured backend; with DATABASE_URL, runs the pending migrations first (under a lock). */
export async function openSharedState(config: StateConfig, opts: SharedStateOptions = {}): Promise<SharedState> {
  const conversation = { maxTurns: config.MEMORY_TURNS, ttlMs: config.MEMORY_TTL_MINUTES * 60_000 };
  if (!config.DATABASE_URL) {
    const attendance = new SqliteAttendanceStore(path.join(config.dataDir, 'attendance.db'));
    const feedback = openFeedbackStore(path.join(config.dataDir, 'feedback.db'));
    const gaps = openGapStore(path.join(config.dataDir, 'unanswered.db'));
    return {
      backend: 'sqlite',
      replica: replicaName(),
      attendance,
      feedback,
      seen: new MemoryProcessedEvents(10_000),
      limits: memoryLimitStores(config),
      codeAttempts: {
        clients: new RateLimiter(CODE_GUARD_POLICY.perClient, CODE_GUARD_POLICY.clientWindowMs),
        global: new RateLimiter(CODE_GUARD_POLICY.globalMax, 60_000, 1),
      },
      conversations: new MemoryConversationStore(conversation),
      answers: new MemoryAnswerLog(),
      adminLockout: new MemoryLoginLockout(),
      codeLockout: new MemoryLoginLockout(),
      files: new FileStore(),
      adminSessions: new MemoryAdminSessionStore(),
      gaps,
      oaTokens: (appId) => new ZaloOATokenStore(path.join(config.dataDir, ZALO_OA_DB), appId),
      oaProcessed: () =>
        new SqliteProcessedEventStore(
          path.join(config.dataDir, ZALO_OA_DB),
          'zalo-oa',
          OA_PROCESSED_RETENTION_MS,
          undefined,
          ZALO_OA_MIGRATIONS,
        ),
      async close() {
        await attendance.close();
        await feedback.close();
        await gaps.close();
      },
    };
  }
  const db = openDatabase(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE, onError: opts.onPoolError });
  try {
    await migratePg(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  const q = db.pool;
  const perMinute = (scope: string, limit: number) => new PgRateLimitStore(q, scope, limit, 60_000);
  return {
    backend: 'postgres',
    replica: replicaName(),
    attendance: new PgAttendanceStore(db),
    feedback: new PgFeedbackStore(q),
    seen: new PgProcessedEvents(q, { scope: 'updates', table: 'seen_updates', retentionMs: UPDATE_RETENTION_MS }),
    limits: {
      users: perMinute('user', config.RATE_LIMIT_PER_MINUTE),
      addresses: perMinute('address', config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE),
      userTaps: perMinute('user-tap', 2 * config.RATE_LIMIT_PER_MINUTE),
      addressTaps: perMinute('address-tap', 2 * config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE),
    },
    codeAttempts: {
      clients: new PgRateLimitStore(q, 'code-client', CODE_GUARD_POLICY.perClient, CODE_GUARD_POLICY.clientWindowMs),
      global: new PgRateLimitStore(q, 'code-global', CODE_GUARD_POLICY.globalMax, 60_000),
    },
    conversations: new PgConversationStore(q, conversation),
    answers: new PgAnswerLog(q),
    adminLockout: new PgLoginLockout(q, 'admin'),
    codeLockout: new PgLoginLockout(q, 'code'),
    files: new PgFileStore(q),
    adminSessions: new PgAdminSessionStore(q),
    gaps: new PgGapStore(q),
    oaTokens: (appId) => new PgOATokenStore(db, appId),
    oaProcessed: () =>
      new PgProcessedEvents(q, { scope: 'zalo-oa', table: 'processed_events', retentionMs: OA_PROCESSED_RETENTION_MS }),
    database: db,
    leases: new PgLeaseStore(q),
    close: () => db.close(),
  };
}
