import type { AnswerMode, Citation } from '../domain';

/** Why a question was not answered (logs, metrics, the report of unanswered questions). */
type DeclineReason = 'no-match' | 'unknown-topic' | 'no-subject' | 'missing-article';

export interface Suggestion {
  docId: string;
  title: string;
  /** The procedure section the question asked for, when the suggestion should open it ("Lệ phí"). */
  section?: string;
}

export interface Answer {
  text: string;
  citations: Citation[];
  confidence: number;
  mode: AnswerMode;
  /** The question actually searched (after follow-up rewriting), for logs and memory. */
  resolvedQuestion?: string;
  /** Main document of the answer, remembered as the conversation topic for follow-ups. */
  topic?: { docId: string; title: string };
  reason?: DeclineReason;
  /** What the bot understood the question to be about, when it declines an unknown subject. */
  understood?: string;
  /** Procedures offered as choices (a clarifying question) or as the nearest ones it has (never as the answer). */
  suggestions?: Suggestion[];
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
