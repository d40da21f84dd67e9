// The transcription server: any OpenAI-compatible POST /audio/transcriptions (OpenAI, faster-whisper / speaches,
// whisper.cpp's server, vLLM), called through the openai SDK.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import OpenAI, { toFile } from 'openai';
import type { Config } from '../config';

/** The language hint: every caller speaks Vietnamese, and the hint stops Whisper from guessing another language. */
const STT_LANGUAGE = 'vi';

export interface SpeechToText {
  /** The server's text for the audio file (its extension tells the server the format); undefined when it sent none. */
  transcribe(file: string): Promise<string | undefined>;
}

export type SttConfig = Pick<
  Config,
  'STT_MODEL' | 'STT_BASE_URL' | 'STT_API_KEY' | 'STT_TIMEOUT_MS' | 'OPENAI_BASE_URL' | 'OPENAI_API_KEY'
>;

export function createSpeechToText(config: SttConfig): SpeechToText {
  if (!config.STT_MODEL) throw new Error('STT_MODEL is not set');
  const model = config.STT_MODEL;
  const client = new OpenAI({
    apiKey: config.STT_API_KEY ?? config.OPENAI_API_KEY ?? 'not-needed',
    baseURL: config.STT_BASE_URL ?? config.OPENAI_BASE_URL,
    timeout: config.STT_TIMEOUT_MS,
    // One retry for a dropped connection or a 5xx; the user is waiting, so not more.
    maxRetries: 1,
  });
  return {
    async transcribe(file: string): Promise<string | undefined> {
      // From memory (a few MB at most), not a stream: the client cannot retry a streamed body.
      const upload = await toFile(await readFile(file), path.basename(file));
      const res: unknown = await client.audio.transcriptions.create({
        file: upload,
        model,
        language: STT_LANGUAGE,
        response_format: 'json',
        temperature: 0,
      });
      // Some servers answer a bare string; an answer without a text is garbage, which the caller reports.
      if (typeof res === 'string') return res;
      const text = (res as { text?: unknown } | null)?.text;
      return typeof text === 'string' ? text : undefined;
    },
  };
}
