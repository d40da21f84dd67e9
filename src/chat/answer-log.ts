// Answers recently given, so that a 👍/👎 can be checked against what was really answered, to whom.

export interface LoggedAnswer {
  question: string;
  answer: string;
  mode: string;
  /** `channel:chatId` the answer was sent to: only that chat may vote on it. */
  chat: string;
}

export interface AnswerLog {
  remember(answerId: string, a: LoggedAnswer): void;
  /** The answer, while it is remembered (the in-memory log forgets the oldest, and everything on restart). */
  get(answerId: string): LoggedAnswer | undefined;
}
