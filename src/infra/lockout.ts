// Failed admin logins per client: a few free tries, then locks that double with every further failure.

export interface LoginLockoutStore {
  /** Milliseconds until `key` may try again; 0 when it may try now. */
  lockedFor(key: string, nowMs: number): number;
  /** Records a wrong token from `key`; returns the lock now in force (ms, 0 while tries are still free). */
  fail(key: string, nowMs: number): number;
  /** A right token: `key` starts afresh. */
  succeed(key: string): void;
}

export const LOCKOUT_POLICY = {
  /** Wrong tokens allowed before the first lock. */
  freeTries: 5,
  /** The first lock; each further failure doubles it. */
  firstLockMs: 30_000,
  maxLockMs: 60 * 60_000,
  /** A client's record is forgotten this long after its last failure. */
  forgetAfterMs: 24 * 3600_000,
};

/** Lock after `failures` wrong tokens (0 while free tries remain). */
export function lockMs(failures: number, policy = LOCKOUT_POLICY): number {
  if (failures < policy.freeTries) return 0;
  return Math.min(policy.maxLockMs, policy.firstLockMs * 2 ** Math.min(30, failures - policy.freeTries));
}
