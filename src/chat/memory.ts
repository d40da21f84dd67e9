// Per-chat conversation state: the last N turns (for follow-ups), the last answer's sources (for /nguon) and, on
// Zalo, the numbered choices of the last reply. In memory by default; shared by the replicas in PostgreSQL with
// DATABASE_URL (memory-pg.ts), since a user's next message may land on another replica.
import type { Turn } from '../answer';
import type { Button, Citation } from '../domain';
import { LruMap } from '../infra';

export interface LastAnswer {
  question: string;
  citations: Citation[];
  mode: string;
}

export interface Choices {
  buttons: Button[];
  /** When they were shown (ms). */
  at: number;
}

export interface ConversationStore {
  /** The chat's last turns, oldest first ([] once the conversation expired). */
  history(chatKey: string, nowMs: number): Promise<Turn[]>;
  lastAnswer(chatKey: string, nowMs: number): Promise<LastAnswer | undefined>;
  /** Appends a turn (keeping the last `maxTurns`) and replaces the last answer. */
  remember(chatKey: string, turn: Turn, last: LastAnswer, nowMs: number): Promise<void>;
  choices(chatKey: string, nowMs: number): Promise<Choices | undefined>;
  setChoices(chatKey: string, buttons: Button[], nowMs: number): Promise<void>;
}

export interface ConversationOptions {
  maxTurns: number;
  /** A conversation untouched this long is forgotten. */
  ttlMs: number;
}

interface Entry {
  turns: Turn[];
  last?: LastAnswer;
  choices?: Choices;
  expiresAt: number;
}

/** ConversationStore in process memory: the `maxChats` most recently active chats. */
export class MemoryConversationStore implements ConversationStore {
  private readonly chats: LruMap<string, Entry>;

  constructor(
    private readonly o: ConversationOptions,
    maxChats = 10_000,
  ) {
    this.chats = new LruMap(maxChats);
  }

  private live(chatKey: string, nowMs: number): Entry | undefined {
    const e = this.chats.get(chatKey);
    return e && e.expiresAt > nowMs ? e : undefined;
  }

  private touch(chatKey: string, nowMs: number): Entry {
    const e = this.live(chatKey, nowMs) ?? { turns: [], expiresAt: 0 };
    e.expiresAt = nowMs + this.o.ttlMs;
    this.chats.set(chatKey, e);
    return e;
  }

  async history(chatKey: string, nowMs: number): Promise<Turn[]> {
    return [...(this.live(chatKey, nowMs)?.turns ?? [])];
  }

  async lastAnswer(chatKey: string, nowMs: number): Promise<LastAnswer | undefined> {
    return this.live(chatKey, nowMs)?.last;
  }

  async remember(chatKey: string, turn: Turn, last: LastAnswer, nowMs: number): Promise<void> {
    const e = this.touch(chatKey, nowMs);
    e.last = last;
    e.turns = this.o.maxTurns > 0 ? [...e.turns, turn].slice(-this.o.maxTurns) : [];
  }

  async choices(chatKey: string, nowMs: number): Promise<Choices | undefined> {
    return this.live(chatKey, nowMs)?.choices;
  }

  async setChoices(chatKey: string, buttons: Button[], nowMs: number): Promise<void> {
    this.touch(chatKey, nowMs).choices = { buttons, at: nowMs };
  }
}
