// The chat core's voice route with the real transcriber (fake file server and fake transcription endpoint):
// rate limits, groups, and the topic memory shared with typed messages.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Incoming } from '../../src/domain/chat';
import { createVoiceTranscriber } from '../../src/voice/transcriber';
import { startFakeMedia, type FakeMedia } from '../fakes/media-server';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { makeAudio } from '../helpers/audio';
import { makeFixture, textMsg, type Fixture } from '../helpers/fixture';

let stt: FakeOpenAI;
let media: FakeMedia;
let fx: Fixture;
let url: string;

beforeAll(async () => {
  [stt, media] = await Promise.all([startFakeOpenAI(), startFakeMedia()]);
  fx = await makeFixture({ STT_MODEL: 'whisper-1', STT_BASE_URL: stt.baseURL });
  url = media.add('note.ogg', makeAudio('ogg', 2));
});

afterAll(async () => {
  await Promise.all([stt?.close(), media?.close()]);
  fx?.cleanup();
});

beforeEach(() => stt.reset());

let nextId = 1;
const voiceMsg = (o: Partial<Incoming> = {}): Incoming => ({
  ...textMsg('', o),
  kind: 'voice',
  audio: { url: async () => url, durationSeconds: 2 },
  messageId: `v${nextId++}`,
});

describe('voice notes in the chat core', () => {
  it('counts a transcribed voice note once against the rate limit', async () => {
    const core = fx.core({
      voice: createVoiceTranscriber(fx.config),
      config: { ...fx.config, RATE_LIMIT_PER_MINUTE: 2 },
    });
    const first = await core.handle(voiceMsg({ chatId: '71', userId: '71' }));
    expect(first.map((o) => o.mode)).toEqual([undefined, 'extractive']);
    const second = await core.handle(textMsg('đăng ký tạm trú cần gì', { chatId: '71', userId: '71' }));
    expect(second[0].mode).toBe('extractive');
    const third = await core.handle(voiceMsg({ chatId: '71', userId: '71' }));
    expect(third[0].text).toContain('Bạn đang gửi hơi nhanh');
    // Refused before transcription.
    expect(stt.transcriptions).toHaveLength(1);
  });

  it('in a group, transcribes only voice notes addressed to the bot', async () => {
    const core = fx.core({ voice: createVoiceTranscriber(fx.config) });
    expect(await core.handle(voiceMsg({ chatId: '-72', userId: '72', isGroup: true, addressedToBot: false }))).toEqual(
      [],
    );
    expect(stt.transcriptions).toHaveLength(0);
    const out = await core.handle(voiceMsg({ chatId: '-72', userId: '72', isGroup: true, addressedToBot: true }));
    expect(out[0].text).toContain('Bạn hỏi');
    expect(stt.transcriptions).toHaveLength(1);
  });

  it("shares the topic memory with typed messages, and /nguon gives the spoken question's sources", async () => {
    const core = fx.core({ voice: createVoiceTranscriber(fx.config) });
    await core.handle(voiceMsg({ chatId: '73', userId: '73' }));
    const [follow] = await core.handle(textMsg('còn lệ phí thì sao', { chatId: '73', userId: '73' }));
    expect(follow.citations?.[0].docId).toBe('dang-ky-khai-sinh');
    const [sources] = await core.handle(textMsg('/nguon', { chatId: '73', userId: '73' }));
    expect(sources.text).toContain('Đăng ký khai sinh');
  });

  it('answers a too-long note with its limit and a declined transcript with the decline message', async () => {
    const short = { ...fx.config, VOICE_MAX_SECONDS: 1 };
    const core = fx.core({ voice: createVoiceTranscriber(short), config: short });
    const [tooLong] = await core.handle(voiceMsg({ chatId: '74', userId: '74' }));
    expect(tooLong.text).toContain('tối đa 1 giây');
    stt.onTranscribe(() => 'giá vàng hôm nay bao nhiêu');
    const full = fx.core({ voice: createVoiceTranscriber(fx.config) });
    const [heard, declined] = await full.handle(voiceMsg({ chatId: '74', userId: '74' }));
    expect(heard.text).toContain('Bạn hỏi: "giá vàng hôm nay bao nhiêu"');
    expect(declined.mode).toBe('declined');
  });
});
