// Voice questions over Telegram, end to end: the real grammY bot long-polls the fake Telegram server, which serves
// OGG/Opus and M4A files made with ffmpeg; the real openai client sends them to the fake transcription endpoint;
// the real chat core answers the transcript like a typed question.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramBot, type TelegramBot } from '../../src/channels/telegram';
import { instrumentCore, Metrics } from '../../src/server/metrics';
import { createVoiceTranscriber } from '../../src/voice/transcriber';
import {
  FakeTelegram,
  textUpdate,
  voiceUpdate,
  type FakeCall,
  type VoiceUpdateOptions,
} from '../fakes/telegram-server';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { magic, makeAudio } from '../helpers/audio';
import { makeFixture, type Fixture } from '../helpers/fixture';

const TRAINER = 900;
let fake: FakeTelegram;
let stt: FakeOpenAI;
let fx: Fixture;
let tg: TelegramBot;
let metrics: Metrics;
let tmpRoot: string;
let ogg: Buffer;
let m4a: Buffer;

beforeAll(async () => {
  [fake, stt] = await Promise.all([FakeTelegram.start(), startFakeOpenAI()]);
  ogg = makeAudio('ogg', 3);
  m4a = makeAudio('m4a', 2);
  fx = await makeFixture({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TRAINER_IDS: `telegram:${TRAINER}`,
    STT_MODEL: 'whisper-large-v3',
    STT_BASE_URL: stt.baseURL,
    STT_TIMEOUT_MS: '3000',
  });
  tmpRoot = mkdtempSync(path.join(tmpdir(), 'tg-voice-'));
  metrics = new Metrics();
  const voice = createVoiceTranscriber(fx.config, { observer: metrics, tmpRoot });
  tg = createTelegramBot(fx.config, instrumentCore(fx.core({ voice }), metrics));
  await tg.start();
});

afterAll(async () => {
  await tg?.stop();
  await Promise.all([fake?.close(), stt?.close()]);
  fx?.cleanup();
  rmSync(tmpRoot, { recursive: true, force: true });
});

beforeEach(() => stt.reset());

const toChat = (chatId: number) => (c: FakeCall) => Number(c.params.chat_id) === chatId;

/** Enqueues an update and returns the next `n` messages the bot sends to the chat. */
async function exchange(chatId: number, update: Record<string, unknown>, n: number): Promise<FakeCall[]> {
  const before = fake.callsTo('sendMessage').filter(toChat(chatId)).length;
  fake.enqueue(update);
  return (await fake.waitFor('sendMessage', toChat(chatId), before + n)).slice(before);
}

function voice(
  o: Omit<VoiceUpdateOptions, 'fileId' | 'duration'> & { data?: Buffer; duration?: number; path?: string },
) {
  const data = o.data ?? ogg;
  const fileId = fake.addFile(data, o.path);
  return voiceUpdate({ duration: 3, fileSize: data.length, ...o, fileId });
}

describe('voice questions over Telegram', () => {
  it('answers a spoken procedure question like a typed one, showing what it heard, and keeps the topic', async () => {
    const [heard, answer] = await exchange(301, voice({ chatId: 301, userId: 301 }), 2);
    expect(heard.params.text).toBe(
      '🎤 Bạn hỏi: "Làm giấy khai sinh cho con cần những gì?"\nNếu tôi nghe chưa đúng, bạn hãy gõ lại bằng chữ nhé.',
    );
    expect(answer.params.text).toContain('Đăng ký khai sinh');
    expect(answer.params.text).toContain('Nguồn');
    expect(JSON.stringify(answer.params.reply_markup)).toContain('👍');
    // Telegram's OGG/Opus went to the server as it is, with the Vietnamese hint.
    const [req] = stt.transcriptions;
    expect(req.file.data.equals(ogg)).toBe(true);
    expect([req.file.name, magic(req.file.data), req.model, req.language]).toEqual([
      'audio.ogg',
      'ogg',
      'whisper-large-v3',
      'vi',
    ]);

    // A spoken follow-up is resolved against the previous topic, like a typed one.
    stt.onTranscribe(() => 'Còn lệ phí thì sao?');
    const [heard2, follow] = await exchange(301, voice({ chatId: 301, userId: 301 }), 2);
    expect(heard2.params.text).toContain('Bạn hỏi: "Còn lệ phí thì sao?"');
    expect(follow.params.text).toContain('khai sinh');
    expect(follow.params.text).toMatch(/lệ phí/i);
  });

  it('records a spoken check-in ("điểm danh mã K 7 Q X, tên là …") like a typed one', async () => {
    const [opened] = await exchange(
      TRAINER,
      textUpdate({ chatId: TRAINER, userId: TRAINER, text: '/mo Lớp kỹ năng số thôn 3 30' }),
      1,
    );
    const code = /Mã điểm danh: (\S+)/.exec(opened.params.text)![1];
    stt.onTranscribe(() => `Điểm danh mã ${[...code].join(' ')}, tên là Nguyễn Văn An.`);
    const [heard, done] = await exchange(801, voice({ chatId: 801, userId: 801 }), 2);
    expect(heard.params.text).toContain(`🎤 Bạn nói: "Điểm danh mã ${code}, tên là Nguyễn Văn An."`);
    expect(done.params.text).toContain('✅ Đã điểm danh: Nguyễn Văn An');
    const [list] = await exchange(TRAINER, textUpdate({ chatId: TRAINER, userId: TRAINER, text: `/ds ${code}` }), 1);
    expect(list.params.text).toContain('Nguyễn Văn An');
    expect(list.params.text).toContain('Tổng: 1 người.');
    expect(await metrics.value('checkins_total')).toBe(1);
  });

  it('transcribes an audio file (M4A) too', async () => {
    stt.onTranscribe(() => 'đăng ký tạm trú cần giấy tờ gì');
    const [heard, answer] = await exchange(
      302,
      voice({ chatId: 302, userId: 302, data: m4a, as: 'audio', path: 'music/file_9.m4a' }),
      2,
    );
    expect(heard.params.text).toContain('đăng ký tạm trú');
    expect(answer.params.text).toMatch(/tạm trú/i);
    expect(magic(stt.transcriptions[0].file.data)).toBe('m4a');
  });

  it('refuses a note over VOICE_MAX_SECONDS from its metadata, without downloading it', async () => {
    const getFiles = fake.callsTo('getFile').length;
    const [m] = await exchange(303, voice({ chatId: 303, userId: 303, duration: 600 }), 1);
    expect(m.params.text).toContain('Tin nhắn thoại dài quá (tôi chỉ nghe được tối đa 120 giây)');
    expect(fake.callsTo('getFile')).toHaveLength(getFiles);
    expect(stt.transcriptions).toHaveLength(0);
  });

  it('asks for text when the transcription server is down or hears nothing, and the next message is answered', async () => {
    stt.onTranscribe(() => ({ status: 503 }));
    const [down] = await exchange(304, voice({ chatId: 304, userId: 304 }), 1);
    expect(down.params.text).toContain('dịch vụ nhận dạng giọng nói đang gặp sự cố');
    expect(down.params.text).toContain('gõ câu hỏi bằng chữ');
    stt.onTranscribe(() => '');
    const [silent] = await exchange(304, voice({ chatId: 304, userId: 304 }), 1);
    expect(silent.params.text).toContain('không nghe thấy lời nói nào');
    const [typed] = await exchange(304, textUpdate({ chatId: 304, userId: 304, text: 'làm giấy khai sinh cần gì' }), 1);
    expect(typed.params.text).toContain('Đăng ký khai sinh');
  });

  it('ignores voice notes in a group unless they reply to the bot', async () => {
    const group = -1001;
    const getFiles = fake.callsTo('getFile').length;
    fake.enqueue(voice({ chatId: group, userId: 305 }));
    const replyTo = { message_id: 1, fromBot: { id: fake.botInfo.id, username: fake.botInfo.username } };
    const [heard, answer] = await exchange(group, voice({ chatId: group, userId: 305, replyTo }), 2);
    expect(heard.params.text).toContain('Bạn hỏi');
    expect(answer.params.text).toContain('Đăng ký khai sinh');
    expect(fake.callsTo('getFile')).toHaveLength(getFiles + 1);
  });

  it('counts voice notes in /metrics and leaves no audio on disk', async () => {
    const text = await metrics.expose();
    expect(text).toMatch(/voice_notes_received_total\{channel="telegram"\} (\d+)/);
    const received = Number(/voice_notes_received_total\{channel="telegram"\} (\d+)/.exec(text)![1]);
    const transcribed = await metrics.value('voice_notes_transcribed_total', { channel: 'telegram' });
    expect(transcribed).toBe(5);
    expect(await metrics.value('voice_notes_failed_total', { channel: 'telegram', reason: 'too-long' })).toBe(1);
    expect(await metrics.value('voice_notes_failed_total', { channel: 'telegram', reason: 'stt-failed' })).toBe(1);
    expect(await metrics.value('voice_notes_failed_total', { channel: 'telegram', reason: 'silent' })).toBe(1);
    // Received also counts the group note the bot ignored.
    expect(received).toBe(transcribed + 3 + 1);
    expect(text).toMatch(/voice_audio_seconds_total \d+/);
    expect(readdirSync(tmpRoot)).toEqual([]);
  });
});

describe('voice notes without STT_MODEL', () => {
  it('get a kind reply asking for text and the procedure menu, never silence', async () => {
    const plain = createTelegramBot({ ...fx.config, STT_MODEL: undefined, sttEnabled: false }, fx.core());
    await plain.bot.init();
    const before = fake.callsTo('sendMessage').length;
    const getFiles = fake.callsTo('getFile').length;
    await plain.bot.handleUpdate({ update_id: 999_001, ...voice({ chatId: 306, userId: 306 }) } as never);
    const [ask, menu] = fake.callsTo('sendMessage').slice(before);
    expect(ask.params.text).toContain('hiện tôi chưa nghe được tin nhắn thoại');
    expect(ask.params.text).toContain('gõ câu hỏi bằng chữ');
    expect(menu.params.text).toContain('Chọn lĩnh vực');
    expect(JSON.stringify(menu.params.reply_markup)).toContain('tt:f:0');
    expect(fake.callsTo('getFile')).toHaveLength(getFiles);
  });
});
