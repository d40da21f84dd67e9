// The voice pipeline for real: audio made with ffmpeg, served over HTTP, probed, converted by the real ffmpeg
// where needed, and sent by the real openai client to a fake OpenAI-compatible server.
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { Metrics } from '../../src/server/metrics';
import { createVoiceTranscriber, type VoiceConfig } from '../../src/voice/transcriber';
import type { AudioRef } from '../../src/domain/chat';
import { VoiceError, type VoiceFailure } from '../../src/voice/types';
import { startFakeMedia, type FakeMedia } from '../fakes/media-server';
import { closedPort, startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { magic, makeAudio } from '../helpers/audio';

let stt: FakeOpenAI;
let media: FakeMedia;
let tmpRoot: string;
let scratch: string;
const audio: Record<string, Buffer> = {};
const ids = { channel: 'telegram', chatId: '1', messageId: 'm1' };

beforeAll(async () => {
  [stt, media] = await Promise.all([startFakeOpenAI(), startFakeMedia()]);
  scratch = mkdtempSync(path.join(tmpdir(), 'voice-test-'));
  audio.ogg = makeAudio('ogg', 3);
  audio.m4a = makeAudio('m4a', 3);
  audio.aac = makeAudio('aac', 3);
  audio.long = makeAudio('ogg', 8);
  audio.longAac = makeAudio('aac', 8);
});

afterAll(async () => {
  await Promise.all([stt?.close(), media?.close()]);
  rmSync(scratch, { recursive: true, force: true });
});

beforeEach(() => {
  stt.reset();
  tmpRoot = mkdtempSync(path.join(scratch, 'tmp-'));
});

afterEach(() => {
  // Privacy: whatever happened, no audio is left on disk.
  expect(readdirSync(tmpRoot)).toEqual([]);
});

function config(env: Record<string, string> = {}): VoiceConfig {
  return loadConfig(
    { STT_MODEL: 'whisper-fake', STT_BASE_URL: stt.baseURL, STT_TIMEOUT_MS: '5000', ...env },
    { dotenv: false },
  );
}

function logs(): { logger: pino.Logger; lines: Record<string, any>[] } {
  const lines: Record<string, any>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

const ref = (url: string, extra: Partial<AudioRef> = {}): AudioRef => ({ url: async () => url, ...extra });

async function failure(p: Promise<unknown>): Promise<VoiceFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VoiceError);
  return (err as VoiceError).reason;
}

describe('voice transcriber', () => {
  it('sends a Telegram OGG/Opus note as it is, with the model and the "vi" hint, and counts it', async () => {
    const metrics = new Metrics();
    const { logger, lines } = logs();
    const v = createVoiceTranscriber(config(), { tmpRoot, observer: metrics, logger });
    const t = await v.transcribe(ref(media.add('n1.oga', audio.ogg)), ids);
    expect(t.text).toBe('Làm giấy khai sinh cho con cần những gì?');
    expect(t.seconds).toBeCloseTo(3, 0);
    expect(t.converted).toBe(false);
    const [req] = stt.transcriptions;
    expect(req.model).toBe('whisper-fake');
    expect(req.language).toBe('vi');
    expect(req.file.name).toBe('audio.ogg');
    expect(req.file.data.equals(audio.ogg)).toBe(true);
    expect(await metrics.value('voice_notes_transcribed_total', { channel: 'telegram' })).toBe(1);
    expect(await metrics.expose()).toMatch(/voice_audio_seconds_total 3(\.\d+)?\n/);
    // Info logs carry ids and numbers; the transcript only at debug.
    const info = lines.filter((l) => l.level === 30);
    expect(info).toHaveLength(1);
    expect(JSON.stringify(info)).not.toContain('khai sinh');
    expect(JSON.stringify(info)).not.toContain('n1.oga');
    expect(lines.find((l) => l.level === 20)?.transcript).toBe(t.text);
  });

  it('sends M4A/AAC as it is and converts raw ADTS AAC (not accepted by OpenAI) to 16 kHz mono WAV', async () => {
    const v = createVoiceTranscriber(config(), { tmpRoot });
    expect((await v.transcribe(ref(media.add('z.m4a', audio.m4a)), ids)).converted).toBe(false);
    const aac = await v.transcribe(ref(media.add('z.aac', audio.aac)), ids);
    expect(aac.converted).toBe(true);
    expect(aac.seconds).toBeCloseTo(3, 0);
    const [m4a, wav] = stt.transcriptions;
    expect([m4a.file.name, magic(m4a.file.data)]).toEqual(['audio.m4a', 'm4a']);
    expect([wav.file.name, magic(wav.file.data)]).toEqual(['audio.wav', 'wav']);
    expect(wav.file.data.readUInt32LE(24)).toBe(16000);
    expect(wav.file.data.readUInt16LE(22)).toBe(1);
  });

  it('converts to what STT_FORMATS allows (whisper.cpp: wav only)', async () => {
    const v = createVoiceTranscriber(config({ STT_FORMATS: 'wav' }), { tmpRoot });
    const t = await v.transcribe(ref(media.add('w.oga', audio.ogg)), ids);
    expect(t.converted).toBe(true);
    expect(magic(stt.transcriptions[0].file.data)).toBe('wav');
  });

  it("refuses a note too long by the platform's duration without downloading it", async () => {
    const metrics = new Metrics();
    const v = createVoiceTranscriber(config({ VOICE_MAX_SECONDS: '60' }), { tmpRoot, observer: metrics });
    const url = media.add('never.oga', audio.ogg);
    expect(await failure(v.transcribe(ref(url, { durationSeconds: 61 }), ids))).toBe('too-long');
    expect(await failure(v.transcribe(ref(url, { sizeBytes: 11 * 1024 * 1024 }), ids))).toBe('too-large');
    expect(media.requests).not.toContain('never.oga');
    expect(await metrics.value('voice_notes_failed_total', { channel: 'telegram', reason: 'too-long' })).toBe(1);
  });

  it('refuses a note too long by its own duration (probed, or measured after conversion)', async () => {
    const v = createVoiceTranscriber({ ...config(), VOICE_MAX_SECONDS: 5 }, { tmpRoot });
    expect(await failure(v.transcribe(ref(media.add('long.oga', audio.long)), ids))).toBe('too-long');
    expect(await failure(v.transcribe(ref(media.add('long.aac', audio.longAac)), ids))).toBe('too-long');
    expect(stt.transcriptions).toHaveLength(0);
  });

  it('refuses a file too large by Content-Length and while it streams without one', async () => {
    const big = Buffer.alloc(1024 * 1024 + 10, 1);
    const v = createVoiceTranscriber(config({ VOICE_MAX_MB: '1' }), { tmpRoot });
    expect(await failure(v.transcribe(ref(media.add('big.bin', big)), ids))).toBe('too-large');
    expect(await failure(v.transcribe(ref(media.add('big-chunked.bin', big, { chunked: true })), ids))).toBe(
      'too-large',
    );
    expect(stt.transcriptions).toHaveLength(0);
  });

  it('reports unreadable audio (random bytes, empty file) and a missing or stuck ffmpeg', async () => {
    const junk = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251));
    const v = createVoiceTranscriber(config(), { tmpRoot });
    expect(await failure(v.transcribe(ref(media.add('junk.oga', junk)), ids))).toBe('unreadable');
    expect(await failure(v.transcribe(ref(media.add('empty.oga', Buffer.alloc(0))), ids))).toBe('unreadable');
    // No ffmpeg on the server: the caller's file is fine, the server is not.
    const noFfmpeg = createVoiceTranscriber(config({ FFMPEG_PATH: path.join(scratch, 'no-such-ffmpeg') }), { tmpRoot });
    expect(await failure(noFfmpeg.transcribe(ref(media.add('a.aac', audio.aac)), ids))).toBe('stt-failed');
    // An ffmpeg that never finishes is killed at the time limit.
    const stuck = path.join(scratch, 'stuck-ffmpeg.sh');
    writeFileSync(stuck, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(stuck, 0o755);
    const slow = createVoiceTranscriber(config({ FFMPEG_PATH: stuck }), { tmpRoot, ffmpegTimeoutMs: 300 });
    const t0 = Date.now();
    expect(await failure(slow.transcribe(ref(media.add('b.aac', audio.aac)), ids))).toBe('unreadable');
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(stt.transcriptions).toHaveLength(0);
  });

  it('reports download failures: HTTP error, no answer, a URL that cannot be resolved', async () => {
    const v = createVoiceTranscriber(config(), { tmpRoot, downloadTimeoutMs: 500 });
    expect(await failure(v.transcribe(ref(media.add('gone.oga', audio.ogg, { status: 404 })), ids))).toBe(
      'download-failed',
    );
    expect(await failure(v.transcribe(ref(media.add('hang.oga', audio.ogg, { hang: true })), ids))).toBe(
      'download-failed',
    );
    const broken: AudioRef = { url: () => Promise.reject(new Error('getFile: file is too big')) };
    expect(await failure(v.transcribe(broken, ids))).toBe('download-failed');
    expect(await failure(v.transcribe(ref('ftp://example.invalid/a.ogg'), ids))).toBe('download-failed');
  });

  it('reports a transcription server that is down, failing or too slow', async () => {
    const url = media.add('ok.oga', audio.ogg);
    const down = createVoiceTranscriber(config({ STT_BASE_URL: `http://127.0.0.1:${await closedPort()}/v1` }), {
      tmpRoot,
    });
    expect(await failure(down.transcribe(ref(url), ids))).toBe('stt-failed');
    const v = createVoiceTranscriber(config({ STT_TIMEOUT_MS: '1000' }), { tmpRoot });
    stt.onTranscribe(() => ({ status: 500 }));
    expect(await failure(v.transcribe(ref(url), ids))).toBe('stt-failed');
    expect(stt.transcriptions).toHaveLength(2); // one retry
    stt.onTranscribe(() => ({ hang: true }));
    expect(await failure(v.transcribe(ref(url), ids))).toBe('stt-failed');
  });

  it('reports silence and garbage from the server', async () => {
    const v = createVoiceTranscriber(config(), { tmpRoot });
    const url = media.add('s.oga', audio.ogg);
    const cases: [Parameters<FakeOpenAI['onTranscribe']>[0], VoiceFailure][] = [
      [() => '', 'silent'],
      [() => 'Hãy subscribe cho kênh Ghiền Mì Gõ Để không bỏ lỡ những video hấp dẫn', 'silent'],
      [() => ({ raw: '{"result":"ok"}' }), 'garbage'],
      [() => ({ raw: '<html><body>Bad gateway</body></html>', contentType: 'text/html' }), 'garbage'],
      [() => 'nhé nhé nhé nhé nhé nhé nhé nhé nhé nhé nhé', 'garbage'],
    ];
    for (const [h, reason] of cases) {
      stt.onTranscribe(h);
      expect(await failure(v.transcribe(ref(url), ids))).toBe(reason);
    }
  });
});
