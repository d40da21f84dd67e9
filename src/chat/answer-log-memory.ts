import type { AnswerLog, LoggedAnswer } from './answer-log';
import { LruMap } from '../infra';

/** AnswerLog in process memory: the last `capacity` answers. */
export class MemoryAnswerLog implements AnswerLog {
  private readonly lru: LruMap<string, LoggedAnswer>;

  constructor(capacity = 20_000) {
    this.lru = new LruMap(capacity);
  }

  async remember(answerId: string, a: LoggedAnswer): Promise<void> {
    this.lru.set(answerId, a);
  }

  async get(answerId: string): Promise<LoggedAnswer | undefined> {
    return this.lru.get(answerId);
  }
}
