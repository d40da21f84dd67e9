import type { InlineKeyboardMarkup } from 'grammy/types';
import { splitMessage } from '../text';
import { encodeAction } from '../chat';
import type { Button } from '../domain';

/** Telegram's limit for one message; pieces stay a little below it. */
export const TELEGRAM_MAX_MESSAGE = 4096;
const PIECE_LIMIT = 4000;

/** Escapes text for Telegram's HTML parse mode (only <, > and & are special). */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Plain text → HTML pieces for sendMessage: split at paragraphs, then lines, then a hard cut, so that every
 * escaped piece stays below the limit (escaping lengthens the text, so pieces are measured escaped).
 */
export function toHtmlPieces(text: string, limit = PIECE_LIMIT): string[] {
  return splitMessage(text, limit, (s) => escapeHtml(s).length).map(escapeHtml);
}

/** Inline keyboard for the chat core's button rows; undefined when there are none. */
export function inlineKeyboard(buttons: Button[][] | undefined): InlineKeyboardMarkup | undefined {
  if (!buttons || buttons.length === 0) return undefined;
  return {
    inline_keyboard: buttons.map((row) => row.map((b) => ({ text: b.text, callback_data: encodeAction(b.action) }))),
  };
}
