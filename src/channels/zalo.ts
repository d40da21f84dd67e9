// Zalo Bot Platform adapter (bot.zaloplatforms.com): long polling with getUpdates, or a webhook with a secret token.
// It only translates: Zalo updates → Incoming, the core's Outgoing → plain-text messages (see zalo-dialog.ts).
import { type ChatCore, type ConversationStore, msg as chatMsg } from '../chat';
import type { Incoming } from '../domain';
import type { Config } from '../config';
import { logger as rootLogger, type Logger } from '../log';
import {
  createZaloBotApi,
  parseUpdate,
  parseUpdates,
  ZaloBotError,
  type ZaloBotApi,
  type ZaloBotInfo,
  type ZaloUpdate,
} from './zalo-api';
import { ChatQueue, errInfo, whileTyping, parseJson, safeEqual, sleep } from './common';
import { createZaloDialog } from './zalo-dialog';

const SECRET_HEADER = 'x-bot-api-secret-token';
const BACKOFF_MAX_MS = 30_000;

const KINDS: Record<string, Incoming['kind']> = {
  'message.text.received': 'text',
  'message.image.received': 'photo',
  'message.sticker.received': 'sticker',
  'message.unsupported.received': 'other',
};

interface ZaloDeps {
  logger?: Logger;
  /** Directory for channel state (unused by the Bot Platform adapter; accepted for symmetry with the OA). */
  dataDir?: string;
  /** First delay after a failed poll; doubles up to 30 s. */
  backoffMs?: number;
  /** Where each chat's last buttons are kept (see zalo-dialog.ts). */
  conversations?: ConversationStore;
}

export interface ZaloBot {
  name: 'zalo';
  mode: 'webhook' | 'polling';
  api: ZaloBotApi;
  /** Path of ZALO_BOT_WEBHOOK_URL, where the HTTP server mounts webhookHandler; undefined in polling mode. */
  webhookPath?: string;
  /** POST handler for webhook deliveries (web-standard Request/Response); answers at once, replies afterwards. */
  webhookHandler(req: Request): Promise<Response>;
  /** Registers ZALO_BOT_WEBHOOK_URL with the secret token. */
  setWebhook(): Promise<void>;
  /** Checks the token (getMe), then registers the webhook or starts polling; resolves once running. */
  start(): Promise<void>;
  /** Stops polling promptly and waits (bounded) for replies in progress. */
  stop(): Promise<void>;
  /** Resolves when no reply is in progress (for tests and graceful shutdown). */
  idle(): Promise<void>;
}

export function createZaloBot(config: Config, core: ChatCore, deps: ZaloDeps = {}): ZaloBot {
  if (!config.ZALO_BOT_TOKEN) throw new Error('ZALO_BOT_TOKEN is not set');
  const log = (deps.logger ?? rootLogger).child({ module: 'zalo' });
  const api = createZaloBotApi(config.ZALO_BOT_API_ROOT, config.ZALO_BOT_TOKEN);
  const dialog = createZaloDialog(core, { conversations: deps.conversations, scope: 'zalo' });
  const queue = new ChatQueue();
  const secret = config.ZALO_BOT_WEBHOOK_SECRET;
  const webhookUrl = config.ZALO_BOT_WEBHOOK_URL;
  const pollTimeout = config.ZALO_BOT_POLL_TIMEOUT_S;
  const backoffMs = deps.backoffMs ?? 1000;
  let polling: { controller: AbortController; loop: Promise<void> } | undefined;
  let me: ZaloBotInfo | undefined;

  const send = (chatId: string, text: string) => api.call('sendMessage', { chat_id: chatId, text });

  /** Shows "typing…" until `work` settles. */
  function withTyping<T>(chatId: string, work: Promise<T>): Promise<T> {
    const ping = () =>
      void api
        .call('sendChatAction', { chat_id: chatId, action: 'typing' })
        .catch((err) => log.debug({ err: errInfo(err), chatId }, 'zalo: chat action failed'));
    return whileTyping(ping, work);
  }

  async function reply(m: Incoming): Promise<void> {
    const ids = { chatId: m.chatId, userId: m.userId, messageId: m.messageId };
    try {
      const work = dialog.handle(m);
      const pieces = m.kind === 'text' && !m.isGroup ? await withTyping(m.chatId, work) : await work;
      for (const text of pieces) await send(m.chatId, text);
      log.debug({ ...ids, pieces: pieces.length }, 'zalo: replied');
    } catch (err) {
      log.error({ err: errInfo(err), ...ids }, 'zalo: update failed');
      await send(m.chatId, chatMsg.error).catch((e) => log.error({ err: errInfo(e), ...ids }, 'zalo: apology failed'));
    }
  }

  /** Queues the reply to one update (never throws; duplicates and non-messages are dropped). */
  function dispatch(u: ZaloUpdate, via: 'webhook' | 'polling'): void {
    const m = u.message;
    const kind = KINDS[u.event_name];
    if (!m || !kind) {
      log.debug({ event: u.event_name, via }, 'zalo: event ignored');
      return;
    }
    if (m.from?.is_bot || (me && m.from?.id === me.id)) return;
    const incoming: Incoming = {
      channel: 'zalo',
      chatId: m.chat.id,
      userId: m.from?.id ?? m.chat.id,
      userName: m.from?.display_name ?? m.from?.first_name ?? m.from?.name ?? '',
      text: kind === 'text' ? (m.text ?? '') : '',
      isGroup: m.chat.chat_type?.toUpperCase() === 'GROUP',
      messageId: m.message_id,
      kind,
      date: m.date ? new Date(m.date) : undefined,
    };
    // A redelivered update reaches the core with the same message id, and the core's duplicate filter drops it.
    void queue.run(incoming.chatId, () => reply(incoming));
  }

  async function webhookHandler(req: Request): Promise<Response> {
    if (!secret || !safeEqual(req.headers.get(SECRET_HEADER), secret)) {
      log.warn({ configured: Boolean(secret) }, 'zalo: webhook call with a wrong or missing secret');
      return new Response('unauthorized', { status: 401 });
    }
    // The server bounds the body (WEBHOOK_MAX_BYTES, 413) before this handler runs.
    const raw = await req.text();
    // Malformed bodies get 200 too, so that Zalo does not redeliver something we can never handle.
    try {
      const update = parseUpdate(parseJson(raw));
      if (!update) log.warn({ bytes: raw.length }, 'zalo: malformed webhook body ignored');
      else dispatch(update, 'webhook');
    } catch (err) {
      log.warn({ err: errInfo(err), bytes: raw.length }, 'zalo: unusable webhook body ignored');
    }
    return Response.json({ ok: true });
  }

  async function pollLoop(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        const result = await api.call(
          'getUpdates',
          { timeout: String(pollTimeout) },
          { signal, timeoutMs: (pollTimeout + 10) * 1000 },
        );
        failures = 0;
        const updates = parseUpdates(result);
        if (updates.length === 0) log.warn({}, 'zalo: getUpdates answered something that is not an update');
        for (const u of updates) dispatch(u, 'polling');
      } catch (err) {
        if (signal.aborted) break;
        if (err instanceof ZaloBotError && err.isPollTimeout) {
          failures = 0;
          continue;
        }
        failures++;
        const delayMs = Math.min(BACKOFF_MAX_MS, backoffMs * 2 ** Math.min(failures - 1, 10));
        log.warn({ err: errInfo(err), failures, delayMs }, 'zalo: getUpdates failed; retrying');
        await sleep(delayMs, signal);
      }
    }
  }

  async function setWebhook(): Promise<void> {
    if (!webhookUrl || !secret) throw new Error('ZALO_BOT_WEBHOOK_URL and ZALO_BOT_WEBHOOK_SECRET must be set');
    await api.call('setWebhook', { url: webhookUrl, secret_token: secret });
  }

  async function start(): Promise<void> {
    if (polling) return;
    me = await api.call<ZaloBotInfo>('getMe');
    if (webhookUrl) {
      await setWebhook();
      log.info({ botId: me?.id }, 'zalo: webhook registered');
      return;
    }
    // getUpdates does not work while a webhook is set.
    await api.call('deleteWebhook').catch((err) => log.warn({ err: errInfo(err) }, 'zalo: deleteWebhook failed'));
    const controller = new AbortController();
    polling = { controller, loop: pollLoop(controller.signal) };
    log.info({ botId: me?.id, timeoutS: pollTimeout }, 'zalo: long polling started');
  }

  async function stop(): Promise<void> {
    if (polling) {
      polling.controller.abort();
      await polling.loop;
      polling = undefined;
      log.info({}, 'zalo: long polling stopped');
    }
    await queue.drain();
  }

  const webhookPath = webhookUrl ? new URL(webhookUrl).pathname : undefined;
  return {
    name: 'zalo',
    mode: webhookUrl ? 'webhook' : 'polling',
    api,
    webhookPath,
    webhookHandler,
    setWebhook,
    start,
    stop,
    idle: () => queue.drain(60_000),
  };
}
