// Voice-note overhead benchmark: `tsx scripts/bench-voice.ts [--runs N] [--json]`
//
// What a voice note adds before the chat core sees its transcript: download from a local HTTP server (standing in
// for Telegram's or Zalo's file server), probing (music-metadata), ffmpeg conversion when the format is not in
// STT_FORMATS, and the round trip of the real openai client to a fake OpenAI-compatible /audio/transcriptions that
// answers at once. The fake's instant answer means the table is the bot's own overhead: a real server adds its
// inference time (model and hardware dependent) on top. A second table times ffmpeg alone on 10 s and 60 s notes.
// Audio is a sine tone made with ffmpeg in the format each platform sends.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { convertAudio } from '../src/voice/ffmpeg';
import type { AudioFormat } from '../src/domain/audio-formats';
import { createVoiceTranscriber, type VoiceTimings } from '../src/voice/transcriber';
import { startFakeMedia } from '../test/fakes/media-server';
import { startFakeOpenAI } from '../test/fakes/openai-server';
import { makeAudio, type TestAudioFormat } from '../test/helpers/audio';

interface Scenario {
  name: string;
  format: TestAudioFormat;
  /** STT_FORMATS for this row. */
  accepts: string;
  /** Telegram reports the duration in the update; a Zalo OA event does not. */
  platformDuration: boolean;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'Telegram OGG/Opus, sent as is',
    format: 'ogg',
    accepts: 'ogg,m4a,mp3,wav,flac,webm',
    platformDuration: true,
  },
  { name: 'Zalo M4A/AAC, sent as is', format: 'm4a', accepts: 'ogg,m4a,mp3,wav,flac,webm', platformDuration: false },
  { name: 'Zalo raw AAC (ADTS) -> WAV', format: 'aac', accepts: 'ogg,m4a,mp3,wav,flac,webm', platformDuration: false },
  { name: 'Telegram OGG -> WAV (whisper.cpp)', format: 'ogg', accepts: 'wav', platformDuration: true },
];
const DURATIONS = [10, 60];

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? 0;
};
const ms = (x: number) => (x < 10 ? x.toFixed(1) : Math.round(x).toString());

interface Row {
  scenario: string;
  seconds: number;
  kb: number;
  converted: boolean;
  p50: VoiceTimings & { totalMs: number };
  p95TotalMs: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '15' }, json: { type: 'boolean', default: false } },
  });
  const runs = Math.max(3, Number(values.runs));
  const [stt, media] = await Promise.all([startFakeOpenAI(), startFakeMedia()]);
  const scratch = mkdtempSync(path.join(tmpdir(), 'bench-voice-'));
  const silent = pino({ level: 'silent' });
  const rows: Row[] = [];
  const ffmpegRows: { from: string; seconds: number; p50: number; p95: number }[] = [];
  try {
    const audio = new Map<string, Buffer>();
    for (const f of new Set(SCENARIOS.map((s) => s.format)))
      for (const d of DURATIONS) audio.set(`${f}-${d}`, makeAudio(f, d));

    for (const sc of SCENARIOS) {
      const config = loadConfig(
        { STT_MODEL: 'bench', STT_BASE_URL: stt.baseURL, STT_FORMATS: sc.accepts },
        { dotenv: false },
      );
      const voice = createVoiceTranscriber(config, { logger: silent, tmpRoot: scratch });
      for (const d of DURATIONS) {
        const data = audio.get(`${sc.format}-${d}`)!;
        const url = media.add(`${sc.format}-${d}`, data);
        const samples: (VoiceTimings & { totalMs: number })[] = [];
        let converted = false;
        for (let i = 0; i < runs + 2; i++) {
          const t0 = performance.now();
          const ref = { url: async () => url, durationSeconds: sc.platformDuration ? d : undefined };
          const t = await voice.transcribe(ref, { channel: 'bench', chatId: '0', messageId: String(i) });
          const totalMs = performance.now() - t0;
          converted = t.converted;
          if (i >= 2) samples.push({ ...t.timings, totalMs }); // two warm-up runs
        }
        const med = (k: keyof VoiceTimings | 'totalMs') =>
          quantile(
            samples.map((s) => s[k]),
            0.5,
          );
        rows.push({
          scenario: sc.name,
          seconds: d,
          kb: Math.round(data.length / 1024),
          converted,
          p50: {
            downloadMs: med('downloadMs'),
            probeMs: med('probeMs'),
            convertMs: med('convertMs'),
            sttMs: med('sttMs'),
            totalMs: med('totalMs'),
          },
          p95TotalMs: quantile(
            samples.map((s) => s.totalMs),
            0.95,
          ),
        });
      }
    }

    for (const from of ['ogg', 'aac'] as TestAudioFormat[]) {
      for (const d of DURATIONS) {
        const input = path.join(scratch, `in-${from}-${d}`);
        writeFileSync(input, audio.get(`${from}-${d}`) ?? makeAudio(from, d));
        const times: number[] = [];
        for (let i = 0; i < runs + 1; i++) {
          const out = path.join(scratch, `out-${i}.wav`);
          const t0 = performance.now();
          await convertAudio(input, out, 'wav' as AudioFormat, { ffmpegPath: 'ffmpeg', timeoutMs: 60_000 });
          if (i >= 1) times.push(performance.now() - t0);
          rmSync(out, { force: true });
        }
        ffmpegRows.push({
          from: from === 'ogg' ? 'OGG/Opus' : 'AAC (ADTS)',
          seconds: d,
          p50: quantile(times, 0.5),
          p95: quantile(times, 0.95),
        });
      }
    }
  } finally {
    await Promise.all([stt.close(), media.close()]);
    rmSync(scratch, { recursive: true, force: true });
  }

  if (values.json) {
    process.stdout.write(`${JSON.stringify({ runs, rows, ffmpeg: ffmpegRows }, null, 2)}\n`);
    return;
  }
  console.log(
    `Voice-note overhead (median of ${runs} runs; fake STT answers at once, so real inference time comes on top)\n`,
  );
  console.log(
    '| Audio                              | note  | size   | download | probe | ffmpeg | STT round trip | total p50 | total p95 |',
  );
  console.log(
    '|------------------------------------|-------|--------|----------|-------|--------|----------------|-----------|-----------|',
  );
  for (const r of rows) {
    console.log(
      `| ${r.scenario.padEnd(34)} | ${`${r.seconds} s`.padEnd(5)} | ${`${r.kb} KB`.padStart(6)} | ${ms(r.p50.downloadMs).padStart(5)} ms | ${ms(r.p50.probeMs).padStart(2)} ms | ${(r.converted ? `${ms(r.p50.convertMs)} ms` : '–').padStart(6)} | ${ms(r.p50.sttMs).padStart(11)} ms | ${ms(r.p50.totalMs).padStart(6)} ms | ${ms(r.p95TotalMs).padStart(6)} ms |`,
    );
  }
  console.log(`\nffmpeg conversion to 16 kHz mono WAV (child process, ${runs} runs)\n`);
  console.log('| From        | note  | p50     | p95     |');
  console.log('|-------------|-------|---------|---------|');
  for (const r of ffmpegRows)
    console.log(
      `| ${r.from.padEnd(11)} | ${`${r.seconds} s`.padEnd(5)} | ${`${ms(r.p50)} ms`.padStart(7)} | ${`${ms(r.p95)} ms`.padStart(7)} |`,
    );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
