import type { Turn } from '../answer';
import type { Citation } from '../domain';
import { LruMap } from '../infra';

export interface LastAnswer {
  question: string;
  citations: Citation[];
  mode: string;
}

/** Per-chat conversation memory: the last N turns (for follow-ups) and the last answer's sources (for /nguon). */
export class ChatMemory {
  private readonly turns: LruMap<string, Turn[]>;
  private readonly last: LruMap<string, LastAnswer>;

  constructor(
    private readonly maxTurns: number,
    maxChats = 10_000,
  ) {
    this.turns = new LruMap(maxChats);
    this.last = new LruMap(maxChats);
  }

  history(chatKey: string): Turn[] {
    return [...(this.turns.get(chatKey) ?? [])];
  }

  remember(chatKey: string, turn: Turn, last: LastAnswer): void {
    this.last.set(chatKey, last);
    if (this.maxTurns <= 0) return;
    const list = [...(this.turns.get(chatKey) ?? []), turn];
    this.turns.set(chatKey, list.slice(-this.maxTurns));
  }

  lastAnswer(chatKey: string): LastAnswer | undefined {
    return this.last.get(chatKey);
  }
}
