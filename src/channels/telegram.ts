import { autoRetry } from '@grammyjs/auto-retry';
import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner';
import { Bot, GrammyError, HttpError, InputFile, webhookCallback, type Context } from 'grammy';
import type { Message, UserFromGetMe } from 'grammy/types';
import { BOT_COMMANDS, type ChatCore, decodeAction, msg as chatMsg } from '../chat';
import type { Incoming, Outgoing } from '../domain';
import type { Config } from '../config';
import { logger, type Logger } from '../log';
import { whileTyping } from './common';
import { TelegramDraft } from './telegram-draft';
import { escapeHtml, inlineKeyboard, toHtmlPieces } from './telegram-format';

const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

export interface TelegramBot {
  bot: Bot;
  /** Long polling (no TELEGRAM_WEBHOOK_URL) or webhook registration; returns once the bot is running. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Long polling is running. */
  isPolling(): boolean;
  /** Handler for POSTs to the webhook path (web-standard Request/Response; mount it in the HTTP server). */
  webhookHandler(req: Request): Promise<Response>;
  /** Registers TELEGRAM_WEBHOOK_URL with the secret token. */
  setWebhook(): Promise<void>;
  /** Path of TELEGRAM_WEBHOOK_URL ("/telegram/webhook"), where the HTTP server should mount webhookHandler; undefined in polling mode. */
  webhookPath?: string;
}

interface TelegramBotOptions {
  /** Known bot identity (skips getMe); mainly for tests. */
  botInfo?: UserFromGetMe;
  logger?: Logger;
}

/** Who a message is for: the bot (private chat, command, @mention, reply to the bot), another bot, or nobody. */
export function addressing(m: Message, me: UserFromGetMe): { text: string; addressed: boolean; otherBot: boolean } {
  const raw = m.text ?? m.caption ?? '';
  const entities = m.entities ?? m.caption_entities ?? [];
  const name = me.username.toLowerCase();
  const isPrivate = m.chat.type === 'private';
  let addressed = isPrivate || m.reply_to_message?.from?.id === me.id;
  let otherBot = false;
  let text = raw;
  const first = entities[0];
  if (first?.type === 'bot_command' && first.offset === 0) {
    const target = raw.slice(0, first.length).split('@')[1]?.toLowerCase();
    if (target && target !== name) otherBot = !isPrivate;
    else addressed = true;
  }
  // Remove mentions of the bot (from the end, so offsets stay valid).
  for (const e of [...entities].reverse()) {
    if (e.type !== 'mention' || raw.slice(e.offset, e.offset + e.length).toLowerCase() !== `@${name}`) continue;
    addressed = true;
    text = text.slice(0, e.offset) + text.slice(e.offset + e.length);
  }
  return { text: text.replace(/\s+/g, ' ').trim(), addressed, otherBot };
}

function kindOf(m: Message): Incoming['kind'] {
  if (m.text !== undefined) return 'text';
  if (m.voice || m.audio) return 'voice';
  if (m.document) return 'document';
  if (m.sticker) return 'sticker';
  if (m.photo) return 'photo';
  return 'other';
}

/** The download URL of a file the bot received, asked of getFile only when the file is wanted. */
function fileUrl(bot: Bot, apiRoot: string, fileId: string): () => Promise<string> {
  return async () => {
    const file = await bot.api.getFile(fileId);
    if (!file.file_path) throw new Error('getFile returned no file_path');
    return `${apiRoot.replace(/\/+$/, '')}/file/bot${bot.token}/${file.file_path}`;
  };
}

/** A voice note or audio file: Telegram gives its length and size; the download URL needs a getFile call. */
function audioRef(m: Message, bot: Bot, apiRoot: string): Incoming['audio'] {
  const media = m.voice ?? m.audio;
  if (!media) return undefined;
  return {
    url: fileUrl(bot, apiRoot, media.file_id),
    durationSeconds: media.duration,
    sizeBytes: media.file_size,
    mimeType: media.mime_type,
  };
}

/** The Bot API lets a bot download files up to 20 MB (getFile). */
const BOT_API_MAX_DOWNLOAD = 20 * 1024 * 1024;

/** A document (PDF, DOCX …): downloaded only if the chat core decides to (an admin sent it). */
function documentRef(m: Message, bot: Bot, apiRoot: string): Incoming['document'] {
  const d = m.document;
  if (!d) return undefined;
  return {
    url: fileUrl(bot, apiRoot, d.file_id),
    fileName: d.file_name,
    mimeType: d.mime_type,
    sizeBytes: d.file_size,
    platformMaxBytes: BOT_API_MAX_DOWNLOAD,
  };
}

function userName(from: { first_name: string; last_name?: string; username?: string }): string {
  return [from.first_name, from.last_name].filter(Boolean).join(' ') || from.username || '';
}

/** Sends the core's replies: HTML pieces below 4096 characters, buttons on the last piece, then files. */
async function send(ctx: Context, replies: Outgoing[]): Promise<void> {
  for (const out of replies) {
    if (out.text.trim()) {
      const pieces = toHtmlPieces(out.text);
      for (let i = 0; i < pieces.length; i++) {
        await ctx.reply(pieces[i], {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          reply_markup: i === pieces.length - 1 ? inlineKeyboard(out.buttons) : undefined,
        });
      }
    }
    for (const f of out.files ?? []) await ctx.replyWithDocument(new InputFile(f.data, f.filename));
  }
}

/** Shows "typing…" until `done` settles (Telegram clears the action after about 5 seconds). */
function withTyping<T>(ctx: Context, done: Promise<T>, log: Logger): Promise<T> {
  return whileTyping(
    () =>
      void ctx
        .replyWithChatAction('typing')
        .catch((err) => log.debug({ err: errInfo(err) }, 'telegram: chat action failed')),
    done,
  );
}

/** Loggable error without its payload: GrammyError carries the request payload (message text), which must not be logged. */
export function errInfo(err: unknown): object {
  if (err instanceof GrammyError)
    return { name: err.name, method: err.method, code: err.error_code, description: err.description };
  if (err instanceof HttpError) return { name: err.name, message: err.message };
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { value: String(err) };
}

export function createTelegramBot(config: Config, core: ChatCore, opts: TelegramBotOptions = {}): TelegramBot {
  if (!config.TELEGRAM_BOT_TOKEN) throw new Error('TELEGRAM_BOT_TOKEN is not set');
  const log = (opts.logger ?? logger).child({ module: 'telegram' });
  const bot = new Bot(config.TELEGRAM_BOT_TOKEN, {
    client: { apiRoot: config.TELEGRAM_API_ROOT },
    botInfo: opts.botInfo,
  });
  // Its defaults retry forever; a stuck chat must not block the others for long.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 10 }));

  async function apologize(ctx: Context, err: unknown): Promise<void> {
    log.error({ err: errInfo(err), updateId: ctx.update.update_id, chatId: ctx.chat?.id }, 'telegram: update failed');
    if (!ctx.chat) return;
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
    await ctx
      .reply(chatMsg.error)
      .catch((e) => log.error({ err: errInfo(e), updateId: ctx.update.update_id }, 'telegram: apology failed'));
  }

  // Updates of one chat are handled in order, one at a time; other chats do not wait for them (a model answer may take
  // a minute). In polling mode the runner fetches and dispatches concurrently; in webhook mode Telegram does.
  // The runner does not wait for the updates it dispatched: stop() waits for these (queued ones included).
  const inFlight = new Set<Promise<void>>();
  bot.use(async (_ctx, next) => {
    const p = next();
    inFlight.add(p);
    try {
      await p;
    } finally {
      inFlight.delete(p);
    }
  });
  bot.use(sequentialize((ctx: Context) => (ctx.chat?.id ?? ctx.from?.id)?.toString()));

  // Errors inside handling never escape (in webhook mode grammY would rethrow them to the HTTP handler).
  bot.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      await apologize(ctx, err);
    }
  });

  bot.on('message', async (ctx) => {
    const m = ctx.message;
    if (!m.from || m.from.is_bot) return;
    const { text, addressed, otherBot } = addressing(m, ctx.me);
    if (otherBot) return;
    const incoming: Incoming = {
      channel: 'telegram',
      chatId: String(m.chat.id),
      userId: String(m.from.id),
      userName: userName(m.from),
      text: m.text !== undefined ? text : '',
      isGroup: m.chat.type !== 'private',
      messageId: String(m.message_id),
      kind: kindOf(m),
      audio: audioRef(m, bot, config.TELEGRAM_API_ROOT),
      document: documentRef(m, bot, config.TELEGRAM_API_ROOT),
      addressedToBot: addressed,
      date: new Date(m.date * 1000),
      sendLater: (out) => send(ctx, [out]),
    };
    // LLM answers stream into a draft message that the final answer then replaces.
    const draft = new TelegramDraft(ctx, log);
    const work = core.handle(incoming, { onPartial: (t) => draft.update(t) });
    const replies =
      addressed && (incoming.kind === 'text' || incoming.kind === 'voice')
        ? await withTyping(ctx, work, log)
        : await work;
    await send(ctx, await draft.finish(replies));
  });

  bot.on('callback_query:data', async (ctx) => {
    const q = ctx.callbackQuery;
    const chat = q.message?.chat;
    const replies = await core.handle({
      channel: 'telegram',
      chatId: String(chat?.id ?? q.from.id),
      userId: String(q.from.id),
      userName: userName(q.from),
      text: '',
      isGroup: chat !== undefined && chat.type !== 'private',
      messageId: `cb:${q.id}`,
      addressedToBot: true,
      action: decodeAction(q.data) ?? { type: 'invalid' },
    });
    const notice = replies.find((r) => r.notice)?.notice;
    await ctx.answerCallbackQuery(notice ? { text: notice } : undefined);
    const edit = replies.find((r) => r.editButtons !== undefined)?.editButtons;
    if (edit && q.message) {
      await ctx
        .editMessageReplyMarkup({ reply_markup: inlineKeyboard(edit) ?? { inline_keyboard: [] } })
        .catch((err) =>
          log.warn({ err: errInfo(err), updateId: ctx.update.update_id }, 'telegram: editing buttons failed'),
        );
    }
    await send(ctx, replies);
  });

  bot.catch((err) => {
    void apologize(err.ctx, err.error);
  });

  let runner: RunnerHandle | undefined;
  let webhook: ((req: Request) => Promise<Response>) | undefined;
  const secret = config.TELEGRAM_WEBHOOK_SECRET;

  async function webhookHandler(req: Request): Promise<Response> {
    // Without a secret nobody's update can be trusted (config refuses webhook mode without one; this is a backstop).
    if (!secret) return new Response('unauthorized', { status: 401 });
    // grammY checks the secret header and parses the update; the HTTP server has already bounded the body.
    webhook ??= webhookCallback(bot, 'std/http', {
      secretToken: secret,
      onTimeout: 'return',
      timeoutMilliseconds: 55_000,
    });
    try {
      const res = await webhook(req);
      if (res.status === 401) log.warn({}, 'telegram: webhook call with a wrong or missing secret');
      return res;
    } catch (err) {
      // Not an update (malformed JSON, null): answer 200 so Telegram does not redeliver what we can never handle.
      log.warn({ err: errInfo(err) }, 'telegram: unusable webhook body ignored');
      return new Response('ok', { status: 200 });
    }
  }

  async function setWebhook(): Promise<void> {
    if (!config.TELEGRAM_WEBHOOK_URL || !secret)
      throw new Error('TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET must be set');
    await bot.api.setWebhook(config.TELEGRAM_WEBHOOK_URL, {
      secret_token: secret,
      allowed_updates: [...ALLOWED_UPDATES],
    });
  }

  async function start(): Promise<void> {
    await bot.init();
    await bot.api
      .setMyCommands(BOT_COMMANDS)
      .catch((err) => log.warn({ err: errInfo(err) }, 'telegram: setMyCommands failed'));
    if (config.TELEGRAM_WEBHOOK_URL) {
      await setWebhook();
      log.info({ botId: bot.botInfo.id }, 'telegram: webhook registered');
      return;
    }
    // getUpdates does not work while a webhook is set (bot.start() did this too).
    await bot.api.deleteWebhook();
    runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
    void runner
      .task()
      ?.catch((err) => log.error({ err: errInfo(err) }, 'telegram: long polling stopped with an error'));
    log.info({ botId: bot.botInfo.id }, 'telegram: long polling started');
  }

  /** Stops fetching updates and waits for the updates being handled (graceful stop). */
  async function stop(): Promise<void> {
    const r = runner;
    runner = undefined;
    if (r?.isRunning()) await r.stop();
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  }

  const webhookPath = config.TELEGRAM_WEBHOOK_URL ? new URL(config.TELEGRAM_WEBHOOK_URL).pathname : undefined;
  return { bot, start, stop, isPolling: () => runner?.isRunning() ?? false, webhookHandler, setWebhook, webhookPath };
}

export { escapeHtml };
