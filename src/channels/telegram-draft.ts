import type { Context } from 'grammy';
import type { Outgoing } from '../domain';
import type { Logger } from '../log';
import { escapeHtml, inlineKeyboard, toHtmlPieces } from './telegram-format';

/** Telegram allows about one edit per second per chat; stay below it. */
const EDIT_EVERY_MS = 1200;
const DRAFT_SUFFIX = ' …';

/**
 * A message that shows an LLM answer while it streams: sent on the first partial text, edited at most once per
 * EDIT_EVERY_MS, and finally replaced by the real answer (with its sources and buttons).
 */
export class TelegramDraft {
  private messageId?: number;
  private lastEdit = 0;
  private pending?: string;
  private timer?: NodeJS.Timeout;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: Context,
    private readonly log: Logger,
  ) {}

  /** The answer text so far (plain text; it is escaped here). */
  update(text: string): void {
    this.pending = text;
    if (this.timer) return;
    const wait = Math.max(0, this.lastEdit + EDIT_EVERY_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  private flush(): void {
    const text = this.pending;
    if (!text) return;
    this.pending = undefined;
    this.lastEdit = Date.now();
    const html = escapeHtml(text.slice(0, 3900)) + DRAFT_SUFFIX;
    this.chain = this.chain.then(async () => {
      try {
        if (this.messageId === undefined) {
          const sent = await this.ctx.reply(html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
          this.messageId = sent.message_id;
        } else {
          await this.ctx.api.editMessageText(this.ctx.chat!.id, this.messageId, html, { parse_mode: 'HTML' });
        }
      } catch (err) {
        this.log.debug({ err: (err as Error).message }, 'telegram: draft update failed');
      }
    });
  }

  /**
   * Replace the draft by the first reply when it fits one message; returns the replies still to send.
   * Without a draft (extractive answers never stream) everything is left to the normal path.
   */
  async finish(replies: Outgoing[]): Promise<Outgoing[]> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    await this.chain;
    if (this.messageId === undefined || !replies.length) return replies;
    const [first, ...rest] = replies;
    const pieces = toHtmlPieces(first.text);
    if (pieces.length === 1 && !first.files?.length) {
      try {
        await this.ctx.api.editMessageText(this.ctx.chat!.id, this.messageId, pieces[0], {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          reply_markup: inlineKeyboard(first.buttons),
        });
        return rest;
      } catch (err) {
        this.log.debug({ err: (err as Error).message }, 'telegram: final draft edit failed; sending anew');
      }
    }
    await this.ctx.api.deleteMessage(this.ctx.chat!.id, this.messageId).catch(() => undefined);
    return replies;
  }
}
