// A voice note in the chat core: transcribe it, then answer the transcript exactly as if it had been typed
// (same commands, check-in grammar, decline rules and topic memory), preceded by what was understood.
import type { Logger } from '../log';
import { VoiceError, voiceMsg, type VoiceTranscriber } from '../voice';
import type { Incoming, Outgoing } from '../domain';

interface VoiceRouteDeps {
  /** Undefined when STT_MODEL is not set. */
  voice?: VoiceTranscriber;
  limits: { seconds: number; mb: number };
  /** The procedure menu, offered when voice notes cannot be heard at all. */
  menu: () => Outgoing;
  /** The typed-message path (already past the rate limit). */
  asTyped: (m: Incoming) => Promise<{ route: string; out: Outgoing[] }>;
  log: Logger;
}

export async function answerVoice(m: Incoming, deps: VoiceRouteDeps): Promise<{ route: string; out: Outgoing[] }> {
  if (!deps.voice) return { route: 'voice-unavailable', out: [{ text: voiceMsg.unavailable }, deps.menu()] };
  // An audio event without a file (the platform sent no URL) is as good as an unreadable file.
  if (!m.audio) return { route: 'voice-unreadable', out: [{ text: voiceMsg.failed('unreadable', deps.limits) }] };
  let text: string;
  try {
    ({ text } = await deps.voice.transcribe(m.audio, { channel: m.channel, chatId: m.chatId, messageId: m.messageId }));
  } catch (err) {
    // The transcriber logged why; anything else is unexpected and logged here.
    if (!(err instanceof VoiceError))
      deps.log.error({ err, channel: m.channel, chatId: m.chatId, messageId: m.messageId }, 'chat: voice note failed');
    const reason = err instanceof VoiceError ? err.reason : 'stt-failed';
    return { route: `voice-${reason}`, out: [{ text: voiceMsg.failed(reason, deps.limits) }] };
  }
  const typed = await deps.asTyped({ ...m, kind: 'text', text, audio: undefined, addressedToBot: true });
  const heard: Outgoing = { text: voiceMsg.heard(text, typed.route === 'question') };
  return { route: `voice-${typed.route}`, out: [heard, ...typed.out] };
}
