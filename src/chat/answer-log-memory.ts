import type { AnswerLog, LoggedAnswer } from './answer-log';
import { LruMap } from '../infra';

/** AnswerLog in process memory: the last `capacity` answers. */
export class MemoryAnswerLog implements AnswerLog {
  private readonly lru: LruMap<string, LoggedAnswer>;

  constructor(capacity = 20_000) {
    this.lru = new LruMap(capacity);
  }

  remember(answerId: string, a: LoggedAnswer): void {
    this.lru.set(answerId, a);
  }

  get(answerId: string): LoggedAnswer | undefined {
    return this.lru.get(answerId);
  }
}
