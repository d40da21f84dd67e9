/**
 * At most `limit` model calls at once in this process. A call beyond it is not queued: the caller gets
 * undefined at once and answers offline, so a flood of questions can neither pile up model calls (and their
 * cost) nor make other users wait behind them.
 */
export class ModelGate {
  private running = 0;

  constructor(private readonly limit: number) {}

  async run<T>(call: () => Promise<T>): Promise<T | undefined> {
    if (this.running >= this.limit) return undefined;
    this.running++;
    try {
      return await call();
    } finally {
      this.running--;
    }
  }

  get inFlight(): number {
    return this.running;
  }
}
