import type { Citation } from './corpus';

/**
 * llm / extractive: an answer from the corpus. declined: the corpus does not cover the question. clarify: the
 * question names no subject ("lệ phí bao nhiêu?"); the bot asks which one. smalltalk: greetings and thanks.
 */
export type AnswerMode = 'llm' | 'extractive' | 'declined' | 'clarify' | 'smalltalk';

/**
 * A voice note or audio file as a channel adapter describes it: where to fetch it and what the platform already
 * says about it (Telegram gives duration and size up front; a Zalo OA event carries only a URL).
 */
export interface AudioRef {
  /**
   * The download URL. A function, because Telegram needs a getFile call first; the URL may embed the bot token,
   * so it is never logged.
   */
  url: () => Promise<string>;
  durationSeconds?: number;
  sizeBytes?: number;
  mimeType?: string;
}

/** A file a platform offers for download (Telegram: after a getFile call). */
export interface FileRef {
  url: () => Promise<string>;
  fileName?: string;
  mimeType?: string;
  sizeBytes?: number;
  /** Largest file the platform lets a bot download (Telegram's Bot API: 20 MB). */
  platformMaxBytes?: number;
}

export type Channel = 'telegram' | 'zalo' | 'zalo-oa' | 'web' | 'cli';
export type Role = 'admin' | 'trainer' | 'user';

/** A message from any platform, translated by its adapter. */
export interface Incoming {
  channel: Channel;
  chatId: string;
  userId: string;
  userName: string;
  text: string;
  isGroup: boolean;
  /** Platform message id, used to process each delivery at most once. */
  messageId: string;
  /**
   * The id was made up by the server for this request (the web API without a client id), so no platform can
   * deliver the message again and the duplicate filter is skipped (two fewer database writes with DATABASE_URL).
   */
  oneDelivery?: boolean;
  /** Non-text messages (sticker, photo, voice, ...) arrive with empty text and their kind. */
  kind?: 'text' | 'sticker' | 'photo' | 'voice' | 'document' | 'other';
  /** A voice note or audio file (kind 'voice'): where the adapter says it can be downloaded. */
  audio?: AudioRef;
  /** Set by adapters: in a group, the bot was mentioned or replied to. */
  addressedToBot?: boolean;
  /**
   * A tap on one of the core's buttons: the action the button carried, handed back by the adapter (Telegram's
   * callback data decoded with decodeAction, the web console's JSON, a number typed on Zalo). `invalid`: data that
   * is no action (a stale or forged button).
   */
  action?: ButtonAction | { type: 'invalid' };
  /** Message time; defaults to now. */
  date?: Date;
  /**
   * "<channel>:<userId>" of the trainer signed in to the web console with a one-time code: roles and class
   * ownership then follow that identity instead of the browser's.
   */
  signedInAs?: string;
  /**
   * Network client, for per-address limits: set by the web API (an IPv4 address or an IPv6 /56 prefix), where
   * the user id is a browser-chosen session id. Chat platforms leave it unset (their user ids are accounts).
   */
  clientAddress?: string;
  /** A document (kind 'document'): a PDF, DOCX … the user sent, where the adapter says it can be downloaded. */
  document?: FileRef;
  /** Set by channels that can send later: a reply that comes after the handling (a document became searchable). */
  sendLater?: (out: Outgoing) => Promise<void>;
}

/** What a tap on a button does. The chat core builds and interprets actions; channels render and return them. */
export type ButtonAction =
  /** 👍 / 👎 on an answer. */
  | { type: 'vote'; answerId: string; vote: 'up' | 'down' }
  /** The inert "vote recorded" button that replaces them. */
  | { type: 'voted' }
  /** The procedure catalog: its fields, one field's procedures, a procedure's card, one section of a procedure. */
  | { type: 'catalog' }
  | { type: 'field'; field: number }
  | { type: 'procedure'; docId: string }
  | { type: 'procedure-at'; index: number }
  | { type: 'section'; procedure: number; section: number };

export interface Button {
  text: string;
  action: ButtonAction;
}

export interface OutFile {
  filename: string;
  mimeType: string;
  data: Buffer;
}

/** A reply. An empty `text` means "send no new message" (used for button acknowledgements). */
export interface Outgoing {
  text: string;
  citations?: Citation[];
  /** Rows of inline buttons. */
  buttons?: Button[][];
  files?: OutFile[];
  /** Answer mode, when the message is an answer to a question. */
  mode?: AnswerMode;
  /** Id under which feedback on this answer is recorded. */
  answerId?: string;
  /**
   * Reply to an inline-button tap: a short acknowledgement (Telegram shows it as a toast; channels without
   * toasts may send it as a message when `text` is empty).
   */
  notice?: string;
  /** The web console asks for the user's name (once per browser) and resends `command` followed by it. */
  prompt?: { kind: 'name'; command: string };
  /** Reply to an inline-button tap: replace the buttons of the tapped message ([] removes them). */
  editButtons?: Button[][];
  /** What happened, for metrics: a new check-in was recorded, or handling failed (the apology). */
  outcome?: 'checked-in' | 'failed';
}

/** Options of one ChatCore.handle call. */
export interface HandleOptions {
  /** Channels that can show a draft get the answer text so far while an LLM answer streams. */
  onPartial?: (textSoFar: string) => void;
}
