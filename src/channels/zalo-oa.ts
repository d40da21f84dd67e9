// Zalo Official Account adapter: signed webhook events in (user_send_text, user_send_audio), customer-service
// messages out.
// Zalo wants HTTP 200 within 2 s, so the handler acknowledges first and replies afterwards.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { ChatCore } from '../chat/core';
import { SeenIds } from '../chat/lru';
import { msg as chatMsg } from '../chat/messages';
import type { Incoming } from '../chat/types';
import type { Config } from '../config';
import { logger as rootLogger, type Logger } from '../log';
import { ChatQueue, errInfo, parseJson, safeEqual } from './common';
import { createZaloDialog } from './zalo-dialog';
import { ZaloOAClient, ZaloOAError } from './zalo-oa-api';
import { ZALO_OA_DB, ZaloOATokenStore } from './zalo-oa-store';

const SIGNATURE_HEADER = 'x-zevent-signature';

export interface ZaloOADeps {
  logger?: Logger;
  /** Where zalo-oa.db lives (default config.dataDir). */
  dataDir?: string;
  /** First delay after "rate limited" (-32); doubles per retry. */
  retryBaseMs?: number;
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
export function zaloOASignature(appId: string, rawBody: string, timestamp: string, key: string): string {
  return createHash('sha256').update(appId + rawBody + timestamp + key).digest('hex');
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
  const list = Array.isArray(ev.message?.attachments) ? (ev.message.attachments as { type?: unknown; payload?: { url?: unknown } }[]) : [];
  const a = list.find((x) => x?.type === 'audio' && typeof x.payload?.url === 'string') ?? list.find((x) => typeof x?.payload?.url === 'string');
  return a?.payload?.url as string | undefined;
}

export function createZaloOA(config: Config, core: ChatCore, deps: ZaloOADeps = {}): ZaloOA {
  const appId = config.ZALO_OA_APP_ID;
  const secretKey = config.ZALO_OA_SECRET_KEY;
  if (!appId || !secretKey) throw new Error('ZALO_OA_APP_ID and ZALO_OA_SECRET_KEY must be set');
  const log = (deps.logger ?? rootLogger).child({ module: 'zalo-oa' });
  const store = new ZaloOATokenStore(path.join(deps.dataDir ?? config.dataDir, ZALO_OA_DB), appId);
  const seeded = store.seed(config.ZALO_OA_ACCESS_TOKEN, config.ZALO_OA_REFRESH_TOKEN);
  if (seeded === 'seeded') log.info({}, 'zalo-oa: token pair taken from the environment');
  const client = new ZaloOAClient({
    appId,
    secretKey,
    apiRoot: config.ZALO_OA_API_ROOT,
    oauthRoot: config.ZALO_OA_OAUTH_ROOT,
    store,
    log,
    retryBaseMs: deps.retryBaseMs,
  });
  const dialog = createZaloDialog(core);
  const queue = new ChatQueue();
  const seen = new SeenIds(10_000);
  let stopped = false;

  async function reply(m: Incoming): Promise<void> {
    const ids = { userId: m.userId, messageId: m.messageId };
    try {
      for (const text of await dialog.handle(m)) await client.sendText(m.userId, text);
      log.debug(ids, 'zalo-oa: replied');
    } catch (err) {
      if (err instanceof ZaloOAError && err.outsideWindow) {
        log.warn({ ...ids, code: err.code }, 'zalo-oa: user is outside the messaging window; reply dropped');
        return;
      }
      log.error({ err: errInfo(err), ...ids }, 'zalo-oa: event failed');
      await client.sendText(m.userId, chatMsg.error).catch((e) => log.error({ err: errInfo(e), ...ids }, 'zalo-oa: apology failed'));
    }
  }

  function verified(req: Request, raw: string, ev: OAEvent): boolean {
    const header = req.headers.get(SIGNATURE_HEADER)?.trim().replace(/^mac=/i, '').toLowerCase();
    const ts = typeof ev.timestamp === 'string' || typeof ev.timestamp === 'number' ? String(ev.timestamp) : '';
    // Zalo documents the webhook's "OA Secret Key" separately from the app secret used for token refresh.
    return safeEqual(header, zaloOASignature(appId!, raw, ts, config.ZALO_OA_WEBHOOK_SECRET_KEY ?? secretKey!));
  }

  async function webhookHandler(req: Request): Promise<Response> {
    const raw = await req.text();
    const parsed = parseJson(raw);
    const ev = typeof parsed === 'object' && parsed !== null ? (parsed as OAEvent) : undefined;
    if (!ev) {
      log.warn({ bytes: raw.length }, 'zalo-oa: malformed webhook body ignored');
      return new Response('ok', { status: 200 });
    }
    if (!verified(req, raw, ev)) {
      log.warn({ event: String(ev.event_name ?? '') }, 'zalo-oa: webhook signature mismatch');
      return new Response('unauthorized', { status: 401 });
    }
    const kind = KINDS[String(ev.event_name)];
    if (!kind) {
      log.debug({ event: String(ev.event_name ?? '') }, 'zalo-oa: event ignored');
      return new Response('ok', { status: 200 });
    }
    const userId = typeof ev.sender?.id === 'string' || typeof ev.sender?.id === 'number' ? String(ev.sender.id) : '';
    const msgId = typeof ev.message?.msg_id === 'string' || typeof ev.message?.msg_id === 'number' ? String(ev.message.msg_id) : '';
    if (!userId || !msgId || stopped) {
      log.warn({ hasUser: Boolean(userId), hasMsgId: Boolean(msgId), stopped }, 'zalo-oa: event not handled');
      return new Response('ok', { status: 200 });
    }
    if (!seen.firstTime(msgId)) {
      log.info({ userId, messageId: msgId }, 'zalo-oa: duplicate delivery ignored');
      return new Response('ok', { status: 200 });
    }
    const ts = Number(ev.timestamp);
    const incoming: Incoming = {
      channel: 'zalo-oa',
      chatId: userId,
      userId,
      userName: '',
      text: kind === 'text' && typeof ev.message?.text === 'string' ? ev.message.text : '',
      isGroup: false,
      messageId: msgId,
      kind,
      date: Number.isFinite(ts) && ts > 0 ? new Date(ts) : undefined,
    };
    const url = kind === 'voice' ? audioUrl(ev) : undefined;
    if (url) incoming.audio = { url: async () => url };
    // Acknowledge now; the answer follows (Zalo redelivers, then disables the webhook, after 2 s without a 200).
    void queue.run(userId, () => reply(incoming));
    return new Response('ok', { status: 200 });
  }

  async function start(): Promise<void> {
    const t = store.load();
    if (!t?.accessToken && !t?.refreshToken) log.warn({}, 'zalo-oa: no token stored; set ZALO_OA_ACCESS_TOKEN and ZALO_OA_REFRESH_TOKEN');
    log.info({ appId, webhookPath: config.ZALO_OA_WEBHOOK_PATH, expiresAt: t?.expiresAt ?? null }, 'zalo-oa: webhook ready');
  }

  async function stop(): Promise<void> {
    if (stopped) return;
    stopped = true;
    await queue.drain();
    store.close();
  }

  return { name: 'zalo-oa', webhookPath: config.ZALO_OA_WEBHOOK_PATH, webhookHandler, client, start, stop, idle: () => queue.drain(60_000) };
}
