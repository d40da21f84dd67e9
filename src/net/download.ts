// Downloads a file a chat platform points at (a voice note, a document), refusing anything larger than the limit
// before or while it streams. URLs may embed a bot token: they never appear in an error message.
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export type DownloadFailure = 'too-large' | 'download-failed' | 'empty';

export class DownloadError extends Error {
  override name = 'DownloadError';
  constructor(
    readonly reason: DownloadFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface DownloadOptions {
  maxBytes: number;
  timeoutMs: number;
  /** Names the thing in messages ("audio", "document"). */
  what?: string;
}

/** Fetches `url` into `file` (mode 0600); returns the byte count. Throws DownloadError. */
export async function downloadFile(url: string, file: string, opts: DownloadOptions): Promise<number> {
  const what = opts.what ?? 'file';
  if (!/^https?:\/\//i.test(url)) throw new DownloadError('download-failed', `${what} URL is not http(s)`);
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, { signal, redirect: 'follow' });
  } catch (err) {
    // The message of a fetch error can contain the URL (with a bot token): keep only its kind.
    throw new DownloadError('download-failed', `${what} download failed: ${(err as Error).name}`);
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    throw new DownloadError('download-failed', `${what} download answered HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > opts.maxBytes) {
    await res.body.cancel().catch(() => undefined);
    throw new DownloadError('too-large', `${what} is ${declared} bytes (limit ${opts.maxBytes})`);
  }
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > opts.maxBytes) done(new DownloadError('too-large', `${what} exceeds ${opts.maxBytes} bytes`));
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
    if (err instanceof DownloadError) throw err;
    throw new DownloadError('download-failed', `${what} download broke off: ${(err as Error).name}`);
  }
  if (bytes === 0) throw new DownloadError('empty', `${what} file is empty`);
  return bytes;
}
