// Zalo Official Account adapter: signed webhook events in (user_send_text, user_send_audio), customer-service
// messages out.
// Zalo wants HTTP 200 within 2 s, so the handler acknowledges first and replies afterwards.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { type ChatCore, type ConversationStore, msg as chatMsg } from '../chat';
import type { Incoming } from '../domain';
import { type ProcessedEventStore, SqliteProcessedEventStore } from '../infra';
import type { Config } from '../config';
import { logger as rootLogger, type Logger } from '../log';
import { ChatQueue, errInfo, parseJson, safeEqual } from './common';
import { createZaloDialog } from './zalo-dialog';
import { ZaloOAClient, ZaloOAError } from './zalo-oa-api';
import { ZALO_OA_DB, ZALO_OA_MIGRATIONS, ZaloOATokenStore, type OATokenStore } from './zalo-oa-store';

const SIGNATURE_HEADER = 'x-zevent-signature';
/** Events signed more than this long ago are replays: Zalo delivers within seconds and retries for a few minutes. */
const EVENT_MAX_AGE_MS = 15 * 60_000;
/** Tolerated clock difference the other way (an event "from the future"). */
const EVENT_MAX_AHEAD_MS = 5 * 60_000;
/** Handled message ids are remembered this long (well beyond the accepted window), across restarts. */
/** Handled OA message ids are kept this long (well beyond the 15-minute window in which an event is accepted). */
export const OA_PROCESSED_RETENTION_MS = 24 * 3600_000;
const MAX_TIMESTAMP_CANDIDATES = 4;

interface ZaloOADeps {
  logger?: Logger;
  /** Where zalo-oa.db lives (default config.dataDir). */
  dataDir?: string;
  /** First delay after "rate limited" (-32); doubles per retry. */
  retryBaseMs?: number;
  /** Where handled message ids are kept (default: a table in DATA_DIR/zalo-oa.db). */
  processed?: ProcessedEventStore;
  /** Where the token pair is kept (default: DATA_DIR/zalo-oa.db). */
  tokens?: OATokenStore;
  /** Where each chat's last buttons are kept (see zalo-dialog.ts). */
  conversations?: ConversationStore;
}

export interface ZaloOA {
  name: 'zalo-oa';
  /** ZALO_OA_WEBHOOK_PATH: register https://<this server><path> as the OA webhook in the Zalo developer console. */
  webhookPath: string;
  webhookHandler(req: Request): Promise<Response>;
  client: ZaloOAClient;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when no reply is in progress. */
  idle(): Promise<void>;
}

/** hex sha256(app_id + raw body + timestamp + key), the value of X-ZEvent-Signature after "mac=". */
function zaloOASignature(appId: string, rawBody: string, timestamp: string, key: string): string {
  return createHash('sha256')
    .update(appId + rawBody + timestamp + key)
    .digest('hex');
}

interface OAEvent {
  event_name?: unknown;
  app_id?: unknown;
  timestamp?: unknown;
  sender?: { id?: unknown };
  message?: { text?: unknown; msg_id?: unknown; attachments?: unknown };
}

/** Events answered, and the kind of message each one is. */
const KINDS: Record<string, Incoming['kind']> = { user_send_text: 'text', user_send_audio: 'voice' };

/** The voice note of a user_send_audio event: message.attachments[].payload.url (type "audio"). */
function audioUrl(ev: OAEvent): string | undefined {
  const list = Array.isArray(ev.message?.attachments)
    ? (ev.message.attachments as { type?: unknown; payload?: { url?: unknown } }[])
    : [];
  const a =
    list.find((x) => x?.type === 'audio' && typeof x.payload?.url === 'string') ??
    list.find((x) => typeof x?.payload?.url === 'string');
  return a?.payload?.url as string | undefined;
}

export function createZaloOA(config: Config, core: ChatCore, deps: ZaloOADeps = {}): ZaloOA {
  const appId = config.ZALO_OA_APP_ID;
  const secretKey = config.ZALO_OA_SECRET_KEY;
  if (!appId || !secretKey) throw new Error('ZALO_OA_APP_ID and ZALO_OA_SECRET_KEY must be set');
  const log = (deps.logger ?? rootLogger).child({ module: 'zalo-oa' });
  const store = deps.tokens ?? new ZaloOATokenStore(path.join(deps.dataDir ?? config.dataDir, ZALO_OA_DB), appId);
  const ready = store.seed(config.ZALO_OA_ACCESS_TOKEN, config.ZALO_OA_REFRESH_TOKEN).then((seeded) => {
    if (seeded === 'seeded') log.info({}, 'zalo-oa: token pair taken from the environment');
  });
  ready.catch((err) => log.error({ err: errInfo(err) }, 'zalo-oa: seeding the token store failed'));
  const client = new ZaloOAClient({
    ready,
    appId,
    secretKey,
    apiRoot: config.ZALO_OA_API_ROOT,
    oauthRoot: config.ZALO_OA_OAUTH_ROOT,
    store,
    log,
    retryBaseMs: deps.retryBaseMs,
  });
  const dialog = createZaloDialog(core, { conversations: deps.conversations, scope: 'zalo-oa' });
  const queue = new ChatQueue();
  const processed: ProcessedEventStore =
    deps.processed ??
    new SqliteProcessedEventStore(
      path.join(deps.dataDir ?? config.dataDir, ZALO_OA_DB),
      'zalo-oa',
      OA_PROCESSED_RETENTION_MS,
      undefined,
      ZALO_OA_MIGRATIONS,
    );
  void processed
    .prune(Date.now() - OA_PROCESSED_RETENTION_MS)
    .catch((err) => log.warn({ err: errInfo(err) }, 'zalo-oa: pruning handled ids failed'));
  let stopped = false;

  async function reply(m: Incoming): Promise<void> {
    const ids = { userId: m.userId, messageId: m.messageId };
    try {
      for (const text of await dialog.handle(m)) await client.sendText(m.userId, text);
      log.debug(ids, 'zalo-oa: replied');
      await processed
        .done(m.messageId, Date.now())
        .catch((err) => log.warn({ err: errInfo(err), ...ids }, 'zalo-oa: marking the event handled failed'));
    } catch (err) {
      if (err instanceof ZaloOAError && err.outsideWindow) {
        log.warn({ ...ids, code: err.code }, 'zalo-oa: user is outside the messaging window; reply dropped');
        return;
      }
      log.error({ err: errInfo(err), ...ids }, 'zalo-oa: event failed');
      await client
        .sendText(m.userId, chatMsg.error)
        .catch((e) => log.error({ err: errInfo(e), ...ids }, 'zalo-oa: apology failed'));
    }
  }

  /**
   * Zalo signs app_id + raw body + the event's timestamp, and the timestamp is inside the body. To check the
   * signature before parsing anything an unauthenticated sender wrote, the candidate timestamps are taken from
   * the raw text (a few at most); the parsed event must then carry the one that verified.
   */
  function verifiedTimestamp(req: Request, raw: string): string | undefined {
    const header = req.headers.get(SIGNATURE_HEADER)?.trim().replace(/^mac=/i, '').toLowerCase();
    if (!header || !/^[0-9a-f]{64}$/.test(header)) return undefined;
    const key = config.ZALO_OA_WEBHOOK_SECRET_KEY ?? secretKey!;
    let tried = 0;
    for (const m of raw.matchAll(/"timestamp"\s*:\s*"?(\d{1,16})"?/g)) {
      if (++tried > MAX_TIMESTAMP_CANDIDATES) break;
      // Zalo documents the webhook's "OA Secret Key" separately from the app secret used for token refresh.
      if (safeEqual(header, zaloOASignature(appId!, raw, m[1], key))) return m[1];
    }
    return undefined;
  }

  async function webhookHandler(req: Request): Promise<Response> {
    // The server bounds the body (WEBHOOK_MAX_BYTES, 413) before this handler runs.
    const raw = await req.text();
    const signedTs = verifiedTimestamp(req, raw);
    if (signedTs === undefined) {
      // Nothing from the body is logged: it is unauthenticated.
      log.warn({ bytes: raw.length }, 'zalo-oa: webhook signature mismatch');
      return new Response('unauthorized', { status: 401 });
    }
    const parsed = parseJson(raw);
    const ev = typeof parsed === 'object' && parsed !== null ? (parsed as OAEvent) : undefined;
    if (!ev || String(ev.timestamp) !== signedTs) {
      log.warn({ bytes: raw.length }, 'zalo-oa: malformed webhook body ignored');
      return new Response('ok', { status: 200 });
    }
    const eventName = typeof ev.event_name === 'string' ? ev.event_name.slice(0, 64) : '';
    const ts = Number(signedTs);
    const nowMs = Date.now();
    if (ts < nowMs - EVENT_MAX_AGE_MS || ts > nowMs + EVENT_MAX_AHEAD_MS) {
      // A captured event replayed later (or a clock far off): acknowledged, not acted on.
      log.warn(
        { event: eventName, ageSeconds: Math.round((nowMs - ts) / 1000) },
        'zalo-oa: event outside the accepted time window ignored',
      );
      return new Response('ok', { status: 200 });
    }
    const kind = Object.hasOwn(KINDS, eventName) ? KINDS[eventName] : undefined;
    if (!kind) {
      log.debug({ event: eventName }, 'zalo-oa: event ignored');
      return new Response('ok', { status: 200 });
    }
    const userId =
      typeof ev.sender?.id === 'string' || typeof ev.sender?.id === 'number' ? String(ev.sender.id).slice(0, 64) : '';
    const msgId =
      typeof ev.message?.msg_id === 'string' || typeof ev.message?.msg_id === 'number'
        ? String(ev.message.msg_id).slice(0, 128)
        : '';
    if (!userId || !msgId || stopped) {
      log.warn({ hasUser: Boolean(userId), hasMsgId: Boolean(msgId), stopped }, 'zalo-oa: event not handled');
      return new Response('ok', { status: 200 });
    }
    if (!(await processed.claim(msgId, nowMs))) {
      log.info({ userId, messageId: msgId }, 'zalo-oa: duplicate delivery ignored');
      return new Response('ok', { status: 200 });
    }
    const incoming: Incoming = {
      channel: 'zalo-oa',
      chatId: userId,
      userId,
      userName: '',
      text: kind === 'text' && typeof ev.message?.text === 'string' ? ev.message.text : '',
      isGroup: false,
      messageId: msgId,
      kind,
      date: new Date(ts),
    };
    const url = kind === 'voice' ? audioUrl(ev) : undefined;
    if (url) incoming.audio = { url: async () => url };
    // Acknowledge now; the answer follows (Zalo redelivers, then disables the webhook, after 2 s without a 200).
    void queue.run(userId, () => reply(incoming));
    return new Response('ok', { status: 200 });
  }

  async function start(): Promise<void> {
    await ready;
    const t = await store.load();
    if (!t?.accessToken && !t?.refreshToken)
      log.warn({}, 'zalo-oa: no token stored; set ZALO_OA_ACCESS_TOKEN and ZALO_OA_REFRESH_TOKEN');
    log.info(
      { appId, webhookPath: config.ZALO_OA_WEBHOOK_PATH, expiresAt: t?.expiresAt ?? null },
      'zalo-oa: webhook ready',
    );
  }

  async function stop(): Promise<void> {
    if (stopped) return;
    stopped = true;
    await queue.drain();
    await store.close();
    await processed.close();
  }

  return {
    name: 'zalo-oa',
    webhookPath: config.ZALO_OA_WEBHOOK_PATH,
    webhookHandler,
    client,
    start,
    stop,
    idle: () => queue.drain(60_000),
  };
}
