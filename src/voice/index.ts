// Voice questions: download a voice note, convert it only when needed, transcribe it on an OpenAI-compatible
// server, and judge the transcript. The chat core answers the transcript like a typed question.
export { ffmpegAvailable } from './ffmpeg';
export { voiceMsg } from './messages';
export { createVoiceTranscriber } from './transcriber';
export { VoiceError, type VoiceFailure, type VoiceObserver, type VoiceTranscriber } from './types';
