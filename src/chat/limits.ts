// Rate limits of the chat core: per user (channel:userId) and per network address (the web console, where the
// user id is a session id the browser chooses and can rotate at will).
import type { Config } from '../config';
import { RateLimiter, type RateLimitStore } from '../infra';
import type { Incoming } from '../domain';

type Verdict = { ok: true } | { ok: false; retryAfterSeconds: number; warn: boolean };

export interface ChatLimitStores {
  users: RateLimitStore;
  addresses: RateLimitStore;
  /** Button taps (votes, catalog) are cheap but not free: their own, wider, budget. */
  userTaps: RateLimitStore;
  addressTaps: RateLimitStore;
}

export function memoryLimitStores(
  config: Pick<Config, 'RATE_LIMIT_PER_MINUTE' | 'RATE_LIMIT_PER_ADDRESS_PER_MINUTE'>,
): ChatLimitStores {
  return {
    users: new RateLimiter(config.RATE_LIMIT_PER_MINUTE, 60_000),
    addresses: new RateLimiter(config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE, 60_000),
    userTaps: new RateLimiter(2 * config.RATE_LIMIT_PER_MINUTE, 60_000),
    addressTaps: new RateLimiter(2 * config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE, 60_000),
  };
}

export class ChatLimits {
  constructor(private readonly s: ChatLimitStores) {}

  /** A message (question, command, check-in). The address is checked first, so a refused one costs the user nothing. */
  message(m: Incoming, nowMs: number): Promise<Verdict> {
    return this.check(m, nowMs, this.s.addresses, this.s.users);
  }

  /** An inline-button tap. */
  tap(m: Incoming, nowMs: number): Promise<Verdict> {
    return this.check(m, nowMs, this.s.addressTaps, this.s.userTaps);
  }

  private async check(m: Incoming, nowMs: number, addresses: RateLimitStore, users: RateLimitStore): Promise<Verdict> {
    const user = `${m.channel}:${m.userId}`;
    const addr = m.clientAddress ? `addr:${m.clientAddress}` : undefined;
    let limited: [RateLimitStore, string] | undefined;
    if (addr && !(await addresses.allow(addr, nowMs))) limited = [addresses, addr];
    else if (!(await users.allow(user, nowMs))) limited = [users, user];
    if (!limited) return { ok: true };
    const [store, key] = limited;
    return {
      ok: false,
      retryAfterSeconds: await store.retryAfterSeconds(key, nowMs),
      warn: await users.shouldWarn(user, nowMs),
    };
  }
}
