// What an audio file is and how long it lasts, read from its bytes with music-metadata (no child process).
import { parseFile } from 'music-metadata';
import type { AudioFormat } from '../domain';

interface AudioInfo {
  /** undefined when music-metadata cannot tell (ffmpeg may still read it). */
  format?: AudioFormat;
  seconds?: number;
  /** music-metadata's container and codec names, for the logs. */
  container?: string;
  codec?: string;
}

/** music-metadata's container name → our format id. */
function formatOf(container: string | undefined, codec: string | undefined): AudioFormat | undefined {
  const c = (container ?? '').toLowerCase();
  if (c === 'ogg') return 'ogg';
  if (c.startsWith('m4a') || c.startsWith('mp4') || c.includes('isom')) return 'm4a';
  if (c === 'mpeg' && /layer 3/i.test(codec ?? '')) return 'mp3';
  if (c === 'wave') return 'wav';
  if (c === 'flac') return 'flac';
  if (c.includes('webm')) return 'webm';
  if (c.startsWith('adts')) return 'aac';
  if (c === 'amr') return 'amr';
  return undefined;
}

/**
 * Reads the container and the duration its headers give; `scan` also walks the frames when they give none (OGG,
 * raw AAC: slow on long files, so only done when nothing else tells the length). Never throws: an unknown format
 * is for ffmpeg to judge.
 */
export async function probeAudio(file: string, scan = false): Promise<AudioInfo> {
  try {
    const { format } = await parseFile(file, { duration: scan, skipCovers: true, skipPostHeaders: true });
    const seconds =
      typeof format.duration === 'number' && Number.isFinite(format.duration) ? format.duration : undefined;
    return {
      format: formatOf(format.container, format.codec),
      seconds,
      container: format.container,
      codec: format.codec,
    };
  } catch {
    return {};
  }
}
