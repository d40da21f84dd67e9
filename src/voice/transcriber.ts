// A voice note → a transcript: limits checked before and after download, conversion only for formats the
// transcription server does not accept, and the audio kept only in a private temp directory removed at the end.
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../config';
import { logger as rootLogger, type Logger } from '../log';
import { downloadAudio } from './download';
import { convertAudio, type FfmpegError } from './ffmpeg';
import { type AudioFormat, type AudioRef, CONVERSION_TARGETS } from '../domain';
import { probeAudio } from './probe';
import { createSpeechToText, type SpeechToText, type SttConfig } from './stt-openai';
import { judgeTranscript } from './transcript';
import {
  VoiceError,
  type Transcript,
  type VoiceFailure,
  type VoiceLogIds,
  type VoiceObserver,
  type VoiceTranscriber,
} from './types';

export type VoiceConfig = SttConfig &
  Pick<Config, 'VOICE_MAX_SECONDS' | 'VOICE_MAX_MB' | 'STT_FORMATS' | 'FFMPEG_PATH'>;

interface VoiceDeps {
  /** The transcription client (default: the OpenAI-compatible one from the configuration). */
  stt?: SpeechToText;
  logger?: Logger;
  observer?: VoiceObserver;
  /** Where the private temp directories are made (default: the OS temp directory). */
  tmpRoot?: string;
  downloadTimeoutMs?: number;
  ffmpegTimeoutMs?: number;
}

/** Where the time went, for the logs and scripts/bench-voice.ts. */
export interface VoiceTimings {
  downloadMs: number;
  probeMs: number;
  convertMs: number;
  sttMs: number;
}

interface TimedTranscript extends Transcript {
  format?: AudioFormat;
  converted: boolean;
  bytes: number;
  timings: VoiceTimings;
}

/** The transcriber with the details the benchmark and the logs use. */
interface TimedVoiceTranscriber extends VoiceTranscriber {
  transcribe(audio: AudioRef, ids: VoiceLogIds): Promise<TimedTranscript>;
}

/** Failures the user can fix by sending something else; the others are the server's (logged as errors). */
const USER_SIDE = new Set<VoiceFailure>(['too-long', 'too-large', 'unreadable', 'silent', 'garbage']);

export function createVoiceTranscriber(config: VoiceConfig, deps: VoiceDeps = {}): TimedVoiceTranscriber {
  const log = (deps.logger ?? rootLogger).child({ module: 'voice' });
  const stt = deps.stt ?? createSpeechToText(config);
  const maxBytes = config.VOICE_MAX_MB * 1024 * 1024;
  const maxSeconds = config.VOICE_MAX_SECONDS;
  const accepted = new Set<AudioFormat>(config.STT_FORMATS);
  const target = CONVERSION_TARGETS.find((f) => accepted.has(f));
  const tooLong = (s: number) => new VoiceError('too-long', `audio lasts ${Math.round(s)} s (limit ${maxSeconds} s)`);

  async function run(audio: AudioRef, dir: string): Promise<TimedTranscript> {
    const timings: VoiceTimings = { downloadMs: 0, probeMs: 0, convertMs: 0, sttMs: 0 };
    let t = performance.now();
    const lap = () => {
      const ms = performance.now() - t;
      t = performance.now();
      return Math.round(ms * 10) / 10;
    };
    let url: string;
    try {
      url = await audio.url();
    } catch (err) {
      throw new VoiceError('download-failed', `could not get the audio URL: ${(err as Error).message}`);
    }
    const input = path.join(dir, 'input');
    const bytes = await downloadAudio(url, input, { maxBytes, timeoutMs: deps.downloadTimeoutMs ?? 20_000 });
    timings.downloadMs = lap();

    let info = await probeAudio(input);
    // Scan for the length only when it is needed and nothing else gives it (audio to convert is measured after).
    if (info.seconds === undefined && audio.durationSeconds === undefined && info.format && accepted.has(info.format)) {
      info = await probeAudio(input, true);
    }
    let seconds = info.seconds ?? audio.durationSeconds;
    timings.probeMs = lap();
    if (seconds !== undefined && seconds > maxSeconds) throw tooLong(seconds);

    let upload: string;
    const converted = !(info.format && accepted.has(info.format));
    if (!converted) {
      // The server infers the format from the file name.
      upload = path.join(dir, `audio.${info.format}`);
      await rename(input, upload);
    } else {
      if (!target) throw new VoiceError('stt-failed', 'STT_FORMATS has no format ffmpeg can convert to');
      upload = path.join(dir, `audio.${target}`);
      try {
        await convertAudio(input, upload, target, {
          ffmpegPath: config.FFMPEG_PATH,
          timeoutMs: deps.ffmpegTimeoutMs ?? 30_000,
          maxSeconds,
        });
      } catch (err) {
        const e = err as FfmpegError;
        // A missing ffmpeg is the server's problem, not the caller's file.
        throw new VoiceError(
          e.kind === 'missing' ? 'stt-failed' : 'unreadable',
          `conversion from ${info.container ?? 'an unknown format'} failed: ${e.message}`,
        );
      }
      timings.convertMs = lap();
      const out = await probeAudio(upload);
      seconds = out.seconds ?? seconds;
      if (seconds !== undefined && seconds > maxSeconds) throw tooLong(seconds);
    }

    let raw: string | undefined;
    try {
      raw = await stt.transcribe(upload);
    } catch (err) {
      const e = err as Error & { status?: number };
      throw new VoiceError(
        'stt-failed',
        `transcription server failed: ${e.name}${e.status ? ` ${e.status}` : ''}: ${e.message.slice(0, 200)}`,
      );
    }
    timings.sttMs = lap();
    const verdict = judgeTranscript(raw);
    if (!verdict.ok)
      throw new VoiceError(verdict.reason, `transcript judged ${verdict.reason} (${raw?.length ?? 0} chars)`);
    return { text: verdict.text, seconds, format: info.format, converted, bytes, timings };
  }

  async function transcribe(audio: AudioRef, ids: VoiceLogIds): Promise<TimedTranscript> {
    const started = performance.now();
    try {
      // The platform's own numbers spare a download that would be refused anyway.
      if (audio.durationSeconds !== undefined && audio.durationSeconds > maxSeconds)
        throw tooLong(audio.durationSeconds);
      if (audio.sizeBytes !== undefined && audio.sizeBytes > maxBytes) {
        throw new VoiceError('too-large', `audio is ${audio.sizeBytes} bytes (limit ${maxBytes})`);
      }
      const dir = await mkdtemp(path.join(deps.tmpRoot ?? tmpdir(), 'voice-'));
      let result: TimedTranscript;
      try {
        result = await run(audio, dir);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      deps.observer?.voiceTranscribed(ids.channel, result.seconds);
      const { text, ...facts } = result;
      log.info(
        { ...ids, ...facts, chars: text.length, ms: Math.round(performance.now() - started) },
        'voice: transcribed',
      );
      log.debug({ ...ids, transcript: text }, 'voice: transcript');
      return result;
    } catch (err) {
      const e = err instanceof VoiceError ? err : new VoiceError('stt-failed', (err as Error).message, { cause: err });
      deps.observer?.voiceFailed(ids.channel, e.reason);
      const entry = { ...ids, reason: e.reason, err: e.message, ms: Math.round(performance.now() - started) };
      if (USER_SIDE.has(e.reason)) log.warn(entry, 'voice: not transcribed');
      else log.error(entry, 'voice: not transcribed');
      throw e;
    }
  }

  return { transcribe };
}
