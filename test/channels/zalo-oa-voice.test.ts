// Voice questions over the Zalo Official Account, end to end: a signed user_send_audio event carries the URL of
// an M4A/AAC file on the fake Zalo server; the real openai client sends it to the fake transcription endpoint and
// the answer goes back through message/cs.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createZaloOA, type ZaloOA } from '../../src/channels/zalo-oa';
import { instrumentCore, Metrics } from '../../src/server/metrics';
import { createVoiceTranscriber } from '../../src/voice/transcriber';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { FakeZaloOA, oaAudio, oaText } from '../fakes/zalo-oa-server';
import { magic, makeAudio } from '../helpers/audio';
import { makeFixture, type Fixture } from '../helpers/fixture';

let fake: FakeZaloOA;
let stt: FakeOpenAI;
let fx: Fixture;
let oa: ZaloOA;
let metrics: Metrics;
let tmpRoot: string;
let m4a: Buffer;
let aac: Buffer;

beforeAll(async () => {
  [fake, stt] = await Promise.all([FakeZaloOA.start(), startFakeOpenAI()]);
  m4a = makeAudio('m4a', 3);
  aac = makeAudio('aac', 2);
  fx = await makeFixture({
    ...fake.env(),
    TRAINER_IDS: 'zalo-oa:oa-trainer',
    STT_MODEL: 'whisper-1',
    OPENAI_BASE_URL: stt.baseURL,
    STT_TIMEOUT_MS: '3000',
  });
  tmpRoot = mkdtempSync(path.join(tmpdir(), 'oa-voice-'));
  metrics = new Metrics();
  const voice = createVoiceTranscriber(fx.config, { observer: metrics, tmpRoot });
  oa = createZaloOA(fx.config, instrumentCore(fx.core({ voice }), metrics), { retryBaseMs: 50 });
  await oa.start();
});

afterAll(async () => {
  await oa?.stop();
  await Promise.all([fake?.close(), stt?.close()]);
  fx?.cleanup();
  rmSync(tmpRoot, { recursive: true, force: true });
});

beforeEach(() => stt.reset());

/** Delivers a signed event and returns the next `n` texts sent to the user. */
async function deliver(userId: string, body: Record<string, unknown>, n: number): Promise<string[]> {
  const before = fake.textsTo(userId).length;
  const { raw, headers } = fake.event(body);
  const res = await oa.webhookHandler(
    new Request(`http://127.0.0.1${oa.webhookPath}`, { method: 'POST', headers, body: raw }),
  );
  expect(res.status).toBe(200);
  return (await fake.waitForTexts(userId, before + n)).slice(before);
}

describe('voice questions over the Zalo OA', () => {
  it('answers a user_send_audio voice note (M4A sent as it is), showing what it heard', async () => {
    const url = fake.addMedia('voice-1.m4a', m4a);
    const [heard, answer] = await deliver('oa-v1', oaAudio(fake, 'oa-v1', url), 2);
    expect(heard).toBe(
      '🎤 Bạn hỏi: "Làm giấy khai sinh cho con cần những gì?"\nNếu tôi nghe chưa đúng, bạn hãy gõ lại bằng chữ nhé.',
    );
    expect(answer).toContain('Đăng ký khai sinh');
    expect(answer).toContain('Gõ 👍 hoặc 👎');
    expect(fake.downloads).toContain('voice-1.m4a');
    const [req] = stt.transcriptions;
    expect([req.file.name, magic(req.file.data), req.model, req.language]).toEqual([
      'audio.m4a',
      'm4a',
      'whisper-1',
      'vi',
    ]);
    expect(req.file.data.equals(m4a)).toBe(true);
  });

  it('records a spoken check-in, converting raw AAC to WAV first', async () => {
    const [opened] = await deliver('oa-trainer', oaText(fake, 'oa-trainer', 'mở Lớp tin học thôn 5 30'), 1);
    const code = /Mã điểm danh: (\S+)/.exec(opened)![1];
    stt.onTranscribe(() => `điểm danh mã ${code} Trần Thị Bình`);
    const url = fake.addMedia('voice-2.aac', aac);
    const [heard, done] = await deliver('oa-v2', oaAudio(fake, 'oa-v2', url), 2);
    expect(heard).toContain(`Bạn nói: "điểm danh mã ${code} Trần Thị Bình"`);
    expect(done).toContain('✅ Đã điểm danh: Trần Thị Bình');
    expect(magic(stt.transcriptions[0].file.data)).toBe('wav');
    expect(await metrics.value('checkins_total')).toBe(1);
  });

  it('asks for text when the event has no URL, the file is gone, or the transcript is noise', async () => {
    const [noUrl] = await deliver('oa-v3', oaAudio(fake, 'oa-v3', undefined), 1);
    expect(noUrl).toContain('không mở được tệp âm thanh');
    const [gone] = await deliver('oa-v3', oaAudio(fake, 'oa-v3', `${fake.root}/media/missing.m4a`), 1);
    expect(gone).toContain('gõ câu hỏi bằng chữ');
    stt.onTranscribe(() => ({ raw: '<html>502</html>', contentType: 'text/html' }));
    const [noise] = await deliver('oa-v3', oaAudio(fake, 'oa-v3', fake.addMedia('voice-3.m4a', m4a)), 1);
    expect(noise).toContain('Tôi nghe chưa rõ bạn nói gì');
    // A text right after is answered as usual.
    const [typed] = await deliver('oa-v3', oaText(fake, 'oa-v3', 'đăng ký tạm trú cần gì'), 1);
    expect(typed).toMatch(/tạm trú/i);
    expect(await metrics.value('voice_notes_failed_total', { channel: 'zalo-oa', reason: 'garbage' })).toBe(1);
    expect(await metrics.value('voice_notes_failed_total', { channel: 'zalo-oa', reason: 'download-failed' })).toBe(1);
    expect(readdirSync(tmpRoot)).toEqual([]);
  });

  it('a voice event goes through the replay checks of a text: an old event, a repeated id or an odd event name does nothing', async () => {
    const url = fake.addMedia('voice-4.m4a', m4a);
    const post = (body: Record<string, unknown>) => {
      const { raw, headers } = fake.event(body);
      return oa.webhookHandler(
        new Request(`http://127.0.0.1${oa.webhookPath}`, { method: 'POST', headers, body: raw }),
      );
    };
    const old = { ...oaAudio(fake, 'oa-v4', url), timestamp: String(Date.now() - 60 * 60_000) };
    expect((await post(old)).status).toBe(200);
    expect((await post({ ...oaAudio(fake, 'oa-v4', url), event_name: 'constructor' })).status).toBe(200);
    const fresh = oaAudio(fake, 'oa-v4', url);
    const [heard] = await deliver('oa-v4', fresh, 2);
    expect(heard).toContain('Bạn hỏi');
    expect((await post({ ...fresh, timestamp: String(Date.now()) })).status).toBe(200); // same msg_id, re-signed
    await oa.idle();
    // Only the fresh event was downloaded and transcribed, once.
    expect(fake.downloads.filter((f) => f === 'voice-4.m4a')).toHaveLength(1);
    expect(stt.transcriptions).toHaveLength(1);
    expect(fake.textsTo('oa-v4')).toHaveLength(2);
  });
});
