// Throttles guessing of attendance codes: failed attempts are counted per client and over everybody.
import { RateLimiter, type RateLimitStore } from '../infra';
import type { Incoming } from '../domain';

export const CODE_GUARD_POLICY = {
  /** Failed code attempts one client may make per window... */
  perClient: 10,
  clientWindowMs: 15 * 60_000,
  /** ...and all clients together per minute, for each session open at the time (a class's typos)... */
  perOpenSessionPerMinute: 20,
  /** ...within these bounds. */
  globalMin: 20,
  globalMax: 600,
};

type CodeGuardVerdict = { ok: true } | { ok: false; scope: 'client' | 'global'; retryAfterSeconds: number };

/**
 * The client: on the web console its network address (its user id is a session id it can rotate); on chat
 * platforms the account.
 */
export const codeClient = (m: Pick<Incoming, 'channel' | 'userId' | 'clientAddress'>): string =>
  m.clientAddress ? `addr:${m.clientAddress}` : `user:${m.channel}:${m.userId}`;

const GLOBAL = '*';

/**
 * Before a code is looked up, check(); after it turned out wrong (unknown, closed or expired), failed(). A client
 * over its own budget is refused. While everybody together is over the global budget, only clients that have not
 * failed lately may try, so an attack from many addresses slows guessing without locking out a class that types
 * its code right the first time.
 */
export class CodeAttemptGuard {
  constructor(
    private readonly openSessions: (atMs: number) => Promise<number>,
    private readonly clients: RateLimitStore = new RateLimiter(
      CODE_GUARD_POLICY.perClient,
      CODE_GUARD_POLICY.clientWindowMs,
    ),
    private readonly global: RateLimitStore = new RateLimiter(CODE_GUARD_POLICY.globalMax, 60_000, 1),
    private readonly policy = CODE_GUARD_POLICY,
  ) {}

  async check(client: string, nowMs: number): Promise<CodeGuardVerdict> {
    const mine = await this.clients.count(client, nowMs);
    if (mine >= this.policy.perClient)
      return { ok: false, scope: 'client', retryAfterSeconds: await this.clients.retryAfterSeconds(client, nowMs) };
    if (mine > 0 && (await this.global.count(GLOBAL, nowMs)) >= (await this.globalBudget(nowMs))) {
      return { ok: false, scope: 'global', retryAfterSeconds: await this.global.retryAfterSeconds(GLOBAL, nowMs) };
    }
    return { ok: true };
  }

  async failed(client: string, nowMs: number): Promise<void> {
    await this.clients.record(client, nowMs);
    // Saturates at globalMax (allow() does not record beyond its limit): the count stays cheap under a flood.
    await this.global.allow(GLOBAL, nowMs);
  }

  /** Failed attempts per minute allowed over all clients right now. */
  async globalBudget(nowMs: number): Promise<number> {
    const p = this.policy;
    return Math.min(p.globalMax, Math.max(p.globalMin, p.perOpenSessionPerMinute * (await this.openSessions(nowMs))));
  }
}
