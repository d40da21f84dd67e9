// Duplicate filtering, in one place: a message or event delivered twice is handled once. In memory for the chat
// core (the last 10,000 messages of the process); across restarts for the Zalo OA webhook, whose replayed events
// must not be answered twice (SQLite in dedupe-sqlite.ts; PostgreSQL can sit beside it).
import { LruMap } from './lru';

export interface DuplicateFilter {
  /**
   * Records `id` as handled at `atMs`; true the first time, false when it was already recorded (and not yet
   * forgotten). Check and record are one atomic step, so two deliveries racing each other cannot both see "first".
   */
  firstTime(id: string, atMs: number): boolean;
}

/** Handled event ids kept across restarts. */
export interface ProcessedEventStore extends DuplicateFilter {
  /** Forgets ids recorded before `beforeMs`; returns how many. */
  prune(beforeMs: number): number;
  close(): void;
}

/** The last `capacity` ids seen by this process. */
export class SeenIds implements DuplicateFilter {
  private readonly lru: LruMap<string, true>;

  constructor(capacity = 5000) {
    this.lru = new LruMap(capacity);
  }

  firstTime(id: string, _atMs?: number): boolean {
    if (this.lru.has(id)) return false;
    this.lru.set(id, true);
    return true;
  }
}
