// Audio format ids (file extensions, as transcription servers name them: OpenAI infers the format from it).
// Kept free of imports so that the configuration can validate STT_FORMATS cheaply.

export const AUDIO_FORMATS = ['ogg', 'm4a', 'mp3', 'wav', 'flac', 'webm', 'aac', 'amr'] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

/** What OpenAI's /audio/transcriptions accepts among them (OGG/Opus from Telegram, M4A/AAC from Zalo). */
export const DEFAULT_STT_FORMATS: AudioFormat[] = ['ogg', 'm4a', 'mp3', 'wav', 'flac', 'webm'];

/** Formats ffmpeg converts to, in order of preference (WAV is what Whisper decodes to anyway). */
export const CONVERSION_TARGETS: AudioFormat[] = ['wav', 'flac', 'mp3', 'ogg'];
