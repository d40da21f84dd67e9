// Finding 14 of issue 15, the lockout table on its own: locks double, and a full table never forgets a lock first.
import { describe, expect, it } from 'vitest';
import { lockMs, MemoryLoginLockout } from '../../src/infra/rate-limit';

describe('admin login lockout table', () => {
  it('five free tries, then 30 s doubling per failure up to an hour', async () => {
    expect([0, 1, 4].map((n) => lockMs(n))).toEqual([0, 0, 0]);
    expect([5, 6, 7, 10, 11, 12, 40].map((n) => lockMs(n) / 1000)).toEqual([30, 60, 120, 960, 1920, 3600, 3600]);
  });

  it('a record is forgotten a day after its last failure', async () => {
    const lockout = new MemoryLoginLockout();
    for (let i = 0; i < 7; i++) await lockout.fail('x', 0);
    expect(await lockout.lockedFor('x', 0)).toBe(120_000);
    expect(await lockout.fail('x', 24 * 3600_000 + 1)).toBe(0);
  });

  it('a full table evicts one unlocked record at a time, never a locked one first', async () => {
    const lockout = new MemoryLoginLockout(100);
    const t0 = 1_000_000;
    for (let i = 0; i < 6; i++) await lockout.fail('attacker', t0);
    expect(await lockout.lockedFor('attacker', t0)).toBe(60_000);
    for (let i = 0; i < 1000; i++) await lockout.fail(`other-${i}`, t0 + 1 + i);
    expect(lockout.size).toBe(100);
    expect(await lockout.lockedFor('attacker', t0 + 2000)).toBe(58_000);
  });
});
