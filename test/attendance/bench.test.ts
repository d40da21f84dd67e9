import { describe, expect, it } from 'vitest';
import { formatBenchTable, runAttendanceBench } from '../../scripts/bench-attendance';

describe('attendance benchmark', () => {
  it('stores one row per distinct user and rejects the rest as duplicates', async () => {
    const r = await runAttendanceBench({ users: 40, checkins: 160, concurrency: 20 });
    expect(r.errors).toBe(0);
    expect(r.distinctUsers).toBe(40);
    expect(r.rowsInDb).toBe(40);
    expect(r.acknowledged).toBe(40);
    expect(r.duplicatesRejected).toBe(120);
    expect(r.redeliveries).toBe(80);
    expect(r.synchronous).toBe('FULL');
    expect(r.checkinsPerSecond).toBeGreaterThan(0);
    expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
    expect(formatBenchTable(r)).toMatch(/rows in DB\s+40 \(distinct users: 40\) OK/);
  });
});
