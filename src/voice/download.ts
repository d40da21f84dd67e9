// Downloads a voice note to a file, refusing anything larger than the limit before or while it streams.
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { VoiceError } from './types';

interface DownloadOptions {
  maxBytes: number;
  timeoutMs: number;
}

/** Fetches `url` into `file`; returns the byte count. Throws VoiceError ('too-large' or 'download-failed'). */
export async function downloadAudio(url: string, file: string, opts: DownloadOptions): Promise<number> {
  if (!/^https?:\/\//i.test(url)) throw new VoiceError('download-failed', 'audio URL is not http(s)');
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, { signal, redirect: 'follow' });
  } catch (err) {
    // The message of a fetch error can contain the URL (with a bot token): keep only its kind.
    throw new VoiceError('download-failed', `audio download failed: ${(err as Error).name}`);
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    throw new VoiceError('download-failed', `audio download answered HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > opts.maxBytes) {
    await res.body.cancel().catch(() => undefined);
    throw new VoiceError('too-large', `audio is ${declared} bytes (limit ${opts.maxBytes})`);
  }
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > opts.maxBytes) done(new VoiceError('too-large', `audio exceeds ${opts.maxBytes} bytes`));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(res.body as import('node:stream/web').ReadableStream),
      limit,
      createWriteStream(file, { mode: 0o600 }),
    );
  } catch (err) {
    await rm(file, { force: true });
    if (err instanceof VoiceError) throw err;
    throw new VoiceError('download-failed', `audio download broke off: ${(err as Error).name}`);
  }
  if (bytes === 0) throw new VoiceError('unreadable', 'audio file is empty');
  return bytes;
}
