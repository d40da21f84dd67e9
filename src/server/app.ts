// The HTTP app: web console + chat API, attendance dashboard, health, metrics and the channels' webhooks.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { Attendance } from '../attendance';
import { type ChatCore, DISCLAIMER, type FeedbackStore } from '../chat';
import { type ChannelRunner, WEBHOOK_MAX_BYTES } from '../channels';
import type { Chunk } from '../domain';
import type { Config } from '../config';
import { logger as rootLogger, type Logger } from '../log';
import type { CorpusManager } from '../corpus';
import type { GapStore } from '../gaps';
import { adminRoutes } from './admin';
import { UPLOAD_PATHS } from './admin-documents';
import { chatApiRoutes } from './chat-api';
import { documentsRoutes } from './documents-api';
import type { Database } from '../db';
import type { LoginLockoutStore } from '../infra';
import type { AdminSessionStore } from './admin-session-store';
import type { ExportFileStore } from './file-store';
import { healthRoutes } from './health';
import { metricsRoutes, type Metrics } from './metrics';
import { staticRoutes } from './static';
import { notFoundPage } from './admin-page';
import { signedInViewer } from './trainer-auth';
import type { AppEnv } from './types';

export interface AppDeps {
  config: Pick<Config, 'ADMIN_TOKEN' | 'MAX_QUESTION_CHARS' | 'ADMIN_IDS' | 'TRAINER_IDS'> &
    Partial<Pick<Config, 'TRUST_PROXY'>>;
  /** The chat core, already wrapped by instrumentCore() so that /metrics counts every channel. */
  core: ChatCore;
  metrics: Metrics;
  retriever: { index: { chunks: Chunk[] } };
  attendance: Pick<Attendance, 'store'>;
  feedback: FeedbackStore;
  /** Channels whose webhookPath is mounted (POST) before they start. */
  channels?: ChannelRunner[];
  logger?: Logger;
  now?: () => Date;
  /** Files attached to chat replies (exports) are kept here for download (default: in memory). */
  files?: ExportFileStore;
  /** Login lockouts and admin sessions (default: in memory; shared by the replicas with DATABASE_URL). */
  adminLockout?: LoginLockoutStore;
  codeLockout?: LoginLockoutStore;
  adminSessions?: AdminSessionStore;
  /** PostgreSQL, when the shared state lives there: /healthz pings it, /metrics shows its pool and queries. */
  database?: Database;
  /**
   * The search index version served: the published version with several replicas, else 1 + swaps since start-up
   * (default: the corpus manager's count, when there is one).
   */
  indexVersion?: () => number | undefined;
  /** Documents page and API (/admin/documents, /admin/api/documents, /admin/api/jobs). */
  corpus?: CorpusManager;
  /** Report of declined and 👎-voted questions (/admin/questions). */
  gaps?: GapStore;
}

/** Largest body of any request but a webhook's (the chat API has its own, smaller, limit). */
export const MAX_BODY_BYTES = 64 * 1024;
/**
 * POST routes with a larger limit of their own, applied once the sign-in is checked: the roster upload
 * (MAX_ROSTER_BYTES, see admin-class.ts) and document uploads (UPLOAD_MAX_MB, see admin-documents.ts).
 */
const ownBodyLimit = (p: string) => /^\/admin\/classes\/\d+\/roster$/.test(p) || UPLOAD_PATHS.includes(p);

/** Longest text accepted by POST /api/chat (the core truncates questions above MAX_QUESTION_CHARS with a note). */
const maxChatChars = (config: Pick<Config, 'MAX_QUESTION_CHARS'>): number => Math.max(2000, config.MAX_QUESTION_CHARS);

/** The console and dashboard load nothing from elsewhere and are never framed. */
const SECURE_HEADERS = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
});

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const log = (deps.logger ?? rootLogger).child({ module: 'http' });
  const app = new Hono<AppEnv>();
  const startedAt = Date.now();
  const channels = deps.channels ?? [];

  app.use(SECURE_HEADERS);
  app.use(async (c, next) => {
    const t0 = Date.now();
    await next();
    log.debug({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Date.now() - t0 }, 'http: request');
  });

  // Webhooks first: they are exact POST paths chosen by configuration.
  for (const ch of channels) {
    const handler = ch.webhookHandler;
    if (!ch.webhookPath || !handler) continue;
    // Bounded before the adapter sees it: 413 at once on a large Content-Length, or as soon as a stream passes it.
    app.post(
      ch.webhookPath,
      bodyLimit({ maxSize: WEBHOOK_MAX_BYTES, onError: (c) => c.text('payload too large', 413) }),
      async (c) => {
        try {
          const res = await handler(c.req.raw);
          if (res.status >= 500) deps.metrics.channelError(ch.name);
          return res;
        } catch (err) {
          deps.metrics.channelError(ch.name);
          log.error({ err, channel: ch.name }, 'http: webhook handler failed');
          return c.text('webhook error', 500);
        }
      },
    );
  }

  // Every other route is bounded too; a roster or document upload has its own limit, applied after the sign-in check.
  const bounded = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.text('Yêu cầu quá lớn.', 413) });
  app.use((c, next) => (c.req.method === 'POST' && ownBodyLimit(c.req.path) ? next() : bounded(c, next)));

  deps.metrics.gauge('index_chunks', 'Passages in the loaded search index.', () => deps.retriever.index.chunks.length);
  const corpus = deps.corpus;
  const indexVersion = deps.indexVersion ?? (corpus ? () => corpus.indexVersion : undefined);
  if (indexVersion) {
    const help =
      'Search index version served: the published version with DATABASE_URL, else 1 + index swaps since start-up (uploads, edits, deletions).';
    deps.metrics.gauge('index_version', help, indexVersion);
  }
  if (corpus) {
    deps.metrics.gauge(
      'corpus_jobs_pending',
      'Corpus jobs queued or running.',
      () => corpus.queue.list(100).filter((j) => j.state === 'queued' || j.state === 'running').length,
    );
  }
  app.route(
    '/',
    healthRoutes({
      chunks: () => deps.retriever.index.chunks.length,
      attendanceStore: deps.attendance.store,
      feedback: deps.feedback,
      channels: channels.map((ch) => ch.name),
      startedAt,
      database: deps.database,
      indexVersion,
    }),
  );
  if (deps.database) deps.metrics.database(deps.database);
  app.route('/', metricsRoutes(deps.metrics));
  const now = deps.now ?? (() => new Date());
  const trustProxy = deps.config.TRUST_PROXY ?? 0;
  const signedIn = async (c: Parameters<typeof signedInViewer>[0]) => {
    const v = await signedInViewer(c, deps.attendance.store, deps.config, now().getTime());
    return v?.identity ? { identity: v.identity, role: v.role, name: v.name } : undefined;
  };
  app.route(
    '/',
    chatApiRoutes({ core: deps.core, maxChars: maxChatChars(deps.config), files: deps.files, signedIn, trustProxy }),
  );
  app.route('/', documentsRoutes({ chunks: () => deps.retriever.index.chunks, now: deps.now }));
  app.route(
    '/',
    adminRoutes({
      adminToken: deps.config.ADMIN_TOKEN,
      roles: deps.config,
      store: deps.attendance.store,
      feedback: deps.feedback,
      now: deps.now,
      trustProxy,
      lockout: deps.adminLockout,
      codeLockout: deps.codeLockout,
      adminSessions: deps.adminSessions,
      corpus: deps.corpus,
      gaps: deps.gaps,
    }),
  );
  app.route('/', staticRoutes({ disclaimer: DISCLAIMER, maxChars: maxChatChars(deps.config) }));

  // People following a stale link get a page; programs (the API, anything not asking for HTML) get JSON.
  app.notFound((c) =>
    c.req.path.startsWith('/api/') || !(c.req.header('accept') ?? '').includes('text/html')
      ? c.json({ error: 'Không tìm thấy trang này.' }, 404)
      : c.html(notFoundPage(), 404),
  );
  app.onError((err, c) => {
    log.error({ err, method: c.req.method, path: c.req.path }, 'http: request failed');
    return c.json({ error: 'Xin lỗi, máy chủ gặp lỗi. Vui lòng thử lại sau.' }, 500);
  });
  return app;
}
