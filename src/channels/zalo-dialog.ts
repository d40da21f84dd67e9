// Zalo's side of the chat core, shared by the Bot Platform and OA adapters: typed replies (a number, 👍) instead of
// inline buttons, and Outgoing rendered as plain-text pieces of at most 2,000 characters.
import { type ChatCore, type ConversationStore, MemoryConversationStore } from '../chat';
import { splitMessage } from '../text';
import type { Button, ButtonAction, Incoming, OutFile, Outgoing } from '../domain';

/** Zalo's limit for one text message (both products). */
export const ZALO_MAX_MESSAGE = 2000;
/** Typed choices ("1", "👍") refer to the chat's last buttons for this long. */
const CHOICES_TTL_MS = 30 * 60_000;

const zaloText = {
  feedbackHint: 'Gõ 👍 hoặc 👎 để đánh giá câu trả lời.',
  choiceHint(n: number): string {
    return n === 1 ? 'Gõ 1 để chọn.' : `Gõ số thứ tự (1–${n}) để chọn.`;
  },
  fileReady(names: string): string {
    return `📎 Tệp ${names} đã sẵn sàng, nhưng Zalo không gửi được tệp đính kèm.`;
  },
  csvInline: 'Nội dung CSV:',
  fileElsewhere:
    'Danh sách quá dài để hiển thị ở đây. Hãy dùng lệnh /xuat trên Telegram hoặc tải tệp trên trang quản trị web.',
};

/** 👍/👎 as typed, and as Zalo's text emoticon codes. */
const UP = new Set(['👍', '/-strong']);
const DOWN = new Set(['👎', '/-weak']);

const isFeedback = (b: Button) => b.action.type === 'vote' || b.action.type === 'voted';

/** Removes formatting that Zalo would show literally: a few HTML tags and Markdown bold. Other "<" stay. */
export function plainText(s: string): string {
  return s
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(?:b|i|u|s|em|strong|code|pre)>/gi, '')
    .replace(/\*\*([^*\n]+)\*\*/g, '$1')
    .replace(/__([^_\n]+)__/g, '$1');
}

/** The note sent instead of files: the CSV inline when it fits in one message, else where to get the files. */
export function filesNote(files: OutFile[]): string {
  const head = zaloText.fileReady(files.map((f) => f.filename).join(', '));
  const csv = files.find((f) => f.filename.toLowerCase().endsWith('.csv') || f.mimeType.startsWith('text/csv'));
  if (csv) {
    const inline = `${head}\n${zaloText.csvInline}\n\n${csv.data
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim()}`;
    if (inline.length <= ZALO_MAX_MESSAGE) return inline;
  }
  return `${head}\n${zaloText.fileElsewhere}`;
}

/** Plain-text rendering of one reply's buttons: numbered choices, then the feedback hint. */
function buttonFooter(buttons: Button[]): string {
  const lines: string[] = [];
  const choices = buttons.filter((b) => !isFeedback(b));
  choices.forEach((b, i) => lines.push(`${i + 1}. ${b.text}`));
  if (choices.length) lines.push(zaloText.choiceHint(choices.length));
  if (buttons.some((b) => b.action.type === 'vote')) lines.push(zaloText.feedbackHint);
  return lines.join('\n');
}

interface ZaloDialog {
  /** Runs a message through the core (mapping typed choices to button actions) and returns the texts to send. */
  handle(msg: Incoming): Promise<string[]>;
  /** The button action a typed reply stands for in this chat, if any. */
  typedChoice(chatId: string, text: string, isGroup?: boolean): Promise<ButtonAction | undefined>;
  /** Plain-text pieces for the core's replies; remembers the chat's last buttons. */
  render(chatId: string, replies: Outgoing[]): Promise<string[]>;
}

export interface ZaloDialogOptions {
  now?: () => number;
  /**
   * Where each chat's last buttons are kept (default: in memory). Shared by the replicas with DATABASE_URL: a typed
   * "2" may reach another replica than the menu it answers.
   */
  conversations?: ConversationStore;
  /** Key prefix keeping the Bot Platform's and the OA's chats apart in a shared store. */
  scope?: string;
}

export function createZaloDialog(core: ChatCore, opts: ZaloDialogOptions = {}): ZaloDialog {
  const now = opts.now ?? Date.now;
  const store = opts.conversations ?? new MemoryConversationStore({ maxTurns: 0, ttlMs: CHOICES_TTL_MS }, 20_000);
  const key = (chatId: string) => `${opts.scope ?? 'zalo'}:${chatId}`;
  const remember = (chatId: string, buttons: Button[]) => store.setChoices(key(chatId), buttons, now());

  async function typedChoice(chatId: string, text: string, isGroup = false): Promise<ButtonAction | undefined> {
    const t = text.trim().replace(/[\u{1F3FB}-\u{1F3FF}\uFE0F]/gu, '');
    if (!UP.has(t) && !DOWN.has(t) && !/^\d{1,2}$/.test(t)) return undefined;
    const entry = await store.choices(key(chatId), now());
    // Choices stored before buttons carried typed actions (a shared store across an upgrade) are ignored.
    const buttons = (entry && now() - entry.at <= CHOICES_TTL_MS ? entry.buttons : []).filter((b) => b.action);
    if (UP.has(t) || DOWN.has(t)) {
      const wanted = UP.has(t) ? 'up' : 'down';
      const vote = buttons.find((b) => b.action.type === 'vote' && b.action.vote === wanted)?.action;
      // Without a pending answer a private 👍 gets the core's thank-you rather than being asked as a question; in a
      // group it stays ordinary chatter.
      return vote ?? (isGroup ? undefined : { type: 'voted' });
    }
    const choices = buttons.filter((b) => !isFeedback(b));
    return choices[Number(t) - 1]?.action;
  }

  async function render(chatId: string, replies: Outgoing[]): Promise<string[]> {
    const pieces: string[] = [];
    // Only the last reply's buttons can be chosen by number: stored once, after the loop.
    let last: Button[] | undefined;
    for (const out of replies) {
      const text = plainText(out.text).trim();
      if (text) {
        const buttons = (out.buttons ?? []).flat();
        last = buttons;
        const footer = buttonFooter(buttons);
        pieces.push(...splitMessage(footer ? `${text}\n\n${footer}` : text, ZALO_MAX_MESSAGE));
      } else if (out.notice) {
        pieces.push(...splitMessage(out.notice, ZALO_MAX_MESSAGE));
      }
      if (!text && out.editButtons !== undefined) last = out.editButtons.flat();
      if (out.files?.length) pieces.push(filesNote(out.files));
    }
    if (last) await remember(chatId, last);
    return pieces;
  }

  async function handle(msg: Incoming): Promise<string[]> {
    let m = msg;
    if ((m.kind ?? 'text') === 'text' && m.action === undefined) {
      const action = await typedChoice(m.chatId, m.text, m.isGroup);
      if (action) m = { ...m, text: '', action, addressedToBot: true };
    }
    return render(m.chatId, await core.handle(m));
  }

  return { handle, typedChoice, render };
}
