// Duplicate filtering, in one place: a message or event delivered twice is handled once. In memory for the chat
// core (the last 10,000 messages of the process); across restarts for the Zalo OA webhook, whose replayed events
// must not be answered twice (SQLite in dedupe-sqlite.ts). With DATABASE_URL both live in PostgreSQL, shared by the
// replicas (chat/processed-events-pg.ts).

export interface ProcessedEventStore {
  /**
   * Claims `id` for handling at `atMs`: true the first time. False while an earlier delivery holds it and after it
   * was handled. A claim never marked done is given to a new delivery once `leaseMs` has passed, so an update whose
   * replica died mid-way is answered when the platform sends it again. Check and claim are one atomic step: two
   * deliveries racing each other (on two replicas) cannot both win.
   */
  claim(id: string, atMs: number): Promise<boolean>;
  /** The claimed delivery was handled: later ones are duplicates until the id is pruned. */
  done(id: string, atMs: number): Promise<void>;
  /** Forgets ids claimed before `beforeMs`; returns how many. */
  prune(beforeMs: number): Promise<number>;
  close(): Promise<void>;
}

/** How long a claim that was never marked done keeps other deliveries away. */
export const DEFAULT_CLAIM_LEASE_MS = 60_000;

/** ProcessedEventStore in process memory: the last `capacity` ids (the one-machine default of the chat core). */
export class MemoryProcessedEvents implements ProcessedEventStore {
  private readonly ids = new Map<string, { claimedAt: number; doneAt: number | null }>();

  constructor(
    private readonly capacity = 10_000,
    private readonly leaseMs = DEFAULT_CLAIM_LEASE_MS,
  ) {}

  async claim(id: string, atMs: number): Promise<boolean> {
    const e = this.ids.get(id);
    if (e && (e.doneAt !== null || atMs - e.claimedAt < this.leaseMs)) return false;
    this.ids.delete(id);
    this.ids.set(id, { claimedAt: atMs, doneAt: null });
    while (this.ids.size > this.capacity) this.ids.delete(this.ids.keys().next().value as string);
    return true;
  }

  async done(id: string, atMs: number): Promise<void> {
    const e = this.ids.get(id);
    if (e) e.doneAt = atMs;
  }

  async prune(beforeMs: number): Promise<number> {
    let n = 0;
    for (const [id, e] of this.ids) if (e.claimedAt < beforeMs && this.ids.delete(id)) n++;
    return n;
  }

  async close(): Promise<void> {
    this.ids.clear();
  }
}
