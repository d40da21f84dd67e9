// Voice questions: download a voice note, convert it only when needed, transcribe it on an OpenAI-compatible
// server, and judge the transcript. The chat core answers the transcript like a typed question.
export { createVoiceTranscriber } from './transcriber';
export type { TimedTranscript, TimedVoiceTranscriber, VoiceConfig, VoiceDeps, VoiceTimings } from './transcriber';
export { voiceMsg } from './messages';
export { AUDIO_FORMATS, DEFAULT_STT_FORMATS } from '../domain/audio-formats';
export * from './types';
