// Small audio files made with Debian's ffmpeg from a sine tone (or silence), like the voice notes platforms send:
// OGG/Opus (Telegram), M4A/AAC and raw ADTS AAC (Zalo), WAV, MP3.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type TestAudioFormat = 'ogg' | 'm4a' | 'aac' | 'wav' | 'mp3';

const ENCODE: Record<TestAudioFormat, string[]> = {
  ogg: ['-c:a', 'libopus', '-b:a', '24k', '-ac', '1', '-f', 'ogg'],
  m4a: ['-c:a', 'aac', '-b:a', '32k', '-ac', '1', '-f', 'ipod'],
  aac: ['-c:a', 'aac', '-b:a', '32k', '-ac', '1', '-f', 'adts'],
  wav: ['-ar', '16000', '-ac', '1', '-c:a', 'pcm_s16le', '-f', 'wav'],
  mp3: ['-c:a', 'libmp3lame', '-b:a', '32k', '-ac', '1', '-f', 'mp3'],
};

/** The bytes of a `seconds`-long tone (or silence) in `format`. */
export function makeAudio(format: TestAudioFormat, seconds: number, opts: { silent?: boolean } = {}): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'test-audio-'));
  try {
    const out = path.join(dir, `a.${format}`);
    const source = opts.silent
      ? `anullsrc=r=48000:cl=mono:d=${seconds}`
      : `sine=frequency=440:sample_rate=48000:duration=${seconds}`;
    execFileSync('ffmpeg', [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      source,
      '-t',
      String(seconds),
      ...ENCODE[format],
      out,
    ]);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The container of audio bytes, from their first bytes (what the transcription server received). */
export function magic(data: Buffer): 'ogg' | 'wav' | 'm4a' | 'aac' | 'mp3' | 'unknown' {
  if (data.subarray(0, 4).toString('latin1') === 'OggS') return 'ogg';
  if (data.subarray(0, 4).toString('latin1') === 'RIFF' && data.subarray(8, 12).toString('latin1') === 'WAVE')
    return 'wav';
  if (data.subarray(4, 8).toString('latin1') === 'ftyp') return 'm4a';
  if (data.subarray(0, 3).toString('latin1') === 'ID3') return 'mp3';
  if (data[0] === 0xff && (data[1] & 0xf6) === 0xf0) return 'aac';
  if (data[0] === 0xff && (data[1] & 0xe0) === 0xe0) return 'mp3';
  return 'unknown';
}
