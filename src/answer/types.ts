import type { Citation } from '../search/types';

export type AnswerMode = 'llm' | 'extractive' | 'declined';

export interface Answer {
  text: string;
  citations: Citation[];
  confidence: number;
  mode: AnswerMode;
  /** The question actually searched (after follow-up rewriting), for logs and memory. */
  resolvedQuestion?: string;
  /** Main document of the answer, remembered as the conversation topic for follow-ups. */
  topic?: { docId: string; title: string };
}

/** One past exchange of a conversation, oldest first. */
export interface Turn {
  question: string;
  answer: string;
  topic?: { docId: string; title: string };
}

export interface AnswerOptions {
  history?: Turn[];
  /** Called with text deltas while an LLM answer streams (channels that can show progress). */
  onToken?: (delta: string) => void;
}

export interface Answerer {
  answer(question: string, opts?: AnswerOptions): Promise<Answer>;
}
