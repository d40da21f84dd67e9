// What the voice pipeline exchanges with the channel adapters and the chat core.
import type { AudioRef } from '../domain';

/** Why a voice note was not transcribed; each reason has its own Vietnamese reply. */
export type VoiceFailure =
  | 'too-long'
  | 'too-large'
  | 'unreadable'
  | 'silent'
  | 'garbage'
  | 'download-failed'
  | 'stt-failed';

export class VoiceError extends Error {
  override name = 'VoiceError';
  constructor(
    readonly reason: VoiceFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface Transcript {
  /** Cleaned transcript (NFC, single spaces, spelled codes joined). */
  text: string;
  /** Length of the audio, when known. */
  seconds?: number;
}

/** Ids for the logs (never text). */
export interface VoiceLogIds {
  channel: string;
  chatId: string;
  messageId: string;
}

export interface VoiceTranscriber {
  /** Downloads, checks, converts when needed and transcribes. Throws VoiceError; never leaves audio on disk. */
  transcribe(audio: AudioRef, ids: VoiceLogIds): Promise<Transcript>;
}

/** Counts for /metrics (implemented by server/metrics.ts; the voice module does not depend on the server). */
export interface VoiceObserver {
  voiceTranscribed(channel: string, seconds: number | undefined): void;
  voiceFailed(channel: string, reason: VoiceFailure): void;
}
