// Debian's ffmpeg as a child process with a time limit: converts audio the transcription server does not accept.
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import type { AudioFormat } from '../domain';
import { runTool, type ToolError } from '../infra';

/** A burst of voice notes queues for the CPU instead of starting one ffmpeg each (answers keep flowing). */
const conversions = pLimit(Math.max(1, Math.min(4, availableParallelism() - 1)));

export class FfmpegError extends Error {
  override name = 'FfmpegError';
  constructor(
    message: string,
    /** 'missing': ffmpeg is not installed; 'timeout': killed at the time limit; 'failed': it could not convert. */
    readonly kind: 'missing' | 'timeout' | 'failed',
  ) {
    super(message);
  }
}

/** Mono 16 kHz: what Whisper-family models resample to anyway, so nothing is lost and the upload is small. */
const CODEC_ARGS: Partial<Record<AudioFormat, string[]>> = {
  wav: ['-c:a', 'pcm_s16le'],
  flac: ['-c:a', 'flac'],
  mp3: ['-c:a', 'libmp3lame', '-q:a', '6'],
  ogg: ['-c:a', 'libopus', '-b:a', '32k'],
};

interface ConvertOptions {
  ffmpegPath: string;
  timeoutMs: number;
  /** Converts at most this many seconds (a longer note is refused afterwards without decoding all of it). */
  maxSeconds?: number;
}

/**
 * Converts `input` to `output` in `format`, at most a few at a time (the time limit starts when this one does).
 * Rejects with FfmpegError; the caller removes the files.
 */
export function convertAudio(input: string, output: string, format: AudioFormat, opts: ConvertOptions): Promise<void> {
  return conversions(() => runFfmpeg(input, output, format, opts));
}

function runFfmpeg(input: string, output: string, format: AudioFormat, opts: ConvertOptions): Promise<void> {
  const codec = CODEC_ARGS[format];
  if (!codec) return Promise.reject(new FfmpegError(`cannot convert to ${format}`, 'failed'));
  const args = [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-i',
    input,
    '-vn',
    '-map',
    '0:a:0',
    '-ac',
    '1',
    '-ar',
    '16000',
  ];
  if (opts.maxSeconds) args.push('-t', String(opts.maxSeconds + 1));
  args.push(...codec, output);
  return runTool(opts.ffmpegPath, args, { timeoutMs: opts.timeoutMs }).then(
    () => undefined,
    (err: ToolError) => {
      if (err.kind === 'missing')
        throw new FfmpegError(`${opts.ffmpegPath} not found (install ffmpeg or set FFMPEG_PATH)`, 'missing');
      // ffmpeg's message names the temp file, never the user.
      throw new FfmpegError(err.message.split(input).join('<input>'), err.kind);
    },
  );
}

/** True when `ffmpegPath -version` runs (checked once at start-up, to warn the operator early). */
export function ffmpegAvailable(ffmpegPath: string, timeoutMs = 5000): Promise<boolean> {
  return runTool(ffmpegPath, ['-version'], { timeoutMs }).then(
    () => true,
    () => false,
  );
}
