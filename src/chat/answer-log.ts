// Answers recently given, so that a 👍/👎 can be checked against what was really answered, to whom.

export interface LoggedAnswer {
  question: string;
  answer: string;
  mode: string;
  /** `channel:chatId` the answer was sent to: only that chat may vote on it. */
  chat: string;
}

/** In memory by default (answer-log-memory.ts); shared by the replicas in PostgreSQL (answer-log-pg.ts). */
export interface AnswerLog {
  remember(answerId: string, a: LoggedAnswer, nowMs: number): Promise<void>;
  /** The answer, while it is remembered (the in-memory log forgets the oldest, and everything on restart). */
  get(answerId: string, nowMs: number): Promise<LoggedAnswer | undefined>;
}
