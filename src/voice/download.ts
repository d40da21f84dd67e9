// Downloads a voice note to a file, refusing anything larger than the limit before or while it streams.
import { DownloadError, downloadFile, type DownloadOptions } from '../net';
import { VoiceError } from './types';

/** Fetches `url` into `file`; returns the byte count. Throws VoiceError ('too-large', 'download-failed', 'unreadable'). */
export async function downloadAudio(url: string, file: string, opts: DownloadOptions): Promise<number> {
  try {
    return await downloadFile(url, file, { ...opts, what: 'audio' });
  } catch (err) {
    if (!(err instanceof DownloadError)) throw err;
    throw new VoiceError(err.reason === 'empty' ? 'unreadable' : err.reason, err.message);
  }
}
