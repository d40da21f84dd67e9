// Telegram updates as the Bot API sends them, for the fake server's queue and for webhook posts.

type Json = Record<string, any>;

let nextUserMessageId = 1;

export interface TextUpdateOptions {
  chatId: number;
  userId: number;
  text: string;
  firstName?: string;
  lastName?: string;
  /** Negative chat ids are groups unless set. */
  chatType?: 'private' | 'group' | 'supergroup';
  /** A reply to this message of the bot. */
  replyTo?: { message_id: number; fromBot: { id: number; username: string } };
}

/** A `message` update as Telegram sends it, with bot_command and mention entities. */
export function textUpdate(o: TextUpdateOptions): Json {
  const type = o.chatType ?? (o.chatId < 0 ? 'supergroup' : 'private');
  const entities: Json[] = [];
  const cmd = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(o.text);
  if (cmd) entities.push({ type: 'bot_command', offset: 0, length: cmd[0].length });
  for (const m of o.text.matchAll(/(^|\s)(@[A-Za-z0-9_]{5,32})/g)) {
    entities.push({ type: 'mention', offset: (m.index ?? 0) + m[1].length, length: m[2].length });
  }
  const chat =
    type === 'private'
      ? { id: o.chatId, type, first_name: o.firstName ?? 'An' }
      : { id: o.chatId, type, title: 'Nhóm thử' };
  const message: Json = {
    message_id: nextUserMessageId++,
    date: Math.floor(Date.now() / 1000),
    chat,
    from: { id: o.userId, is_bot: false, first_name: o.firstName ?? 'An', last_name: o.lastName, language_code: 'vi' },
    text: o.text,
  };
  if (entities.length) message.entities = entities;
  if (o.replyTo) {
    message.reply_to_message = {
      message_id: o.replyTo.message_id,
      date: message.date,
      chat,
      from: { id: o.replyTo.fromBot.id, is_bot: true, first_name: 'Bot', username: o.replyTo.fromBot.username },
      text: '…',
    };
  }
  return { message };
}

export interface VoiceUpdateOptions {
  chatId: number;
  userId: number;
  fileId: string;
  /** Seconds, as Telegram reports it. */
  duration: number;
  fileSize?: number;
  /** `voice` (recorded in the app, OGG/Opus) or `audio` (a music/audio file). */
  as?: 'voice' | 'audio';
  mimeType?: string;
  replyTo?: TextUpdateOptions['replyTo'];
}

/** A `message` update with a voice note or an audio file. */
export function voiceUpdate(o: VoiceUpdateOptions): Json {
  const type = o.chatId < 0 ? 'supergroup' : 'private';
  const chat =
    type === 'private' ? { id: o.chatId, type, first_name: 'An' } : { id: o.chatId, type, title: 'Nhóm thử' };
  const media: Json = {
    file_id: o.fileId,
    file_unique_id: `u-${o.fileId}`,
    duration: o.duration,
    mime_type: o.mimeType ?? (o.as === 'audio' ? 'audio/mp4' : 'audio/ogg'),
  };
  if (o.fileSize !== undefined) media.file_size = o.fileSize;
  const message: Json = {
    message_id: nextUserMessageId++,
    date: Math.floor(Date.now() / 1000),
    chat,
    from: { id: o.userId, is_bot: false, first_name: 'An', language_code: 'vi' },
    [o.as ?? 'voice']: media,
  };
  if (o.replyTo) {
    message.reply_to_message = {
      message_id: o.replyTo.message_id,
      date: message.date,
      chat,
      from: { id: o.replyTo.fromBot.id, is_bot: true, first_name: 'Bot', username: o.replyTo.fromBot.username },
      text: '…',
    };
  }
  return { message };
}

/** A `callback_query` update: a tap on an inline button under `message`. */
export function callbackUpdate(o: { userId: number; message: Json; data: string }): Json {
  return {
    callback_query: {
      id: `cq${nextUserMessageId++}`,
      from: { id: o.userId, is_bot: false, first_name: 'An' },
      message: o.message,
      chat_instance: 'ci1',
      data: o.data,
    },
  };
}
