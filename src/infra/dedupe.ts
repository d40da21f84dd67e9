// Which platform events were already handled, remembered across restarts so that a replayed or redelivered event
// is not answered twice. One implementation per backend (SQLite here; PostgreSQL can sit beside it).

export interface ProcessedEventStore {
  /**
   * Records `id` as handled at `atMs`; true the first time, false when it was already recorded (and not yet
   * expired). Check and record are one atomic step, so two deliveries racing each other cannot both see "first".
   */
  firstTime(id: string, atMs: number): boolean;
  /** Forgets ids recorded before `beforeMs`; returns how many. */
  prune(beforeMs: number): number;
  close(): void;
}
