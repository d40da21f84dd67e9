import { describe, expect, it } from 'vitest';
import { formatHm, formatWhen, localDayEndMs, localDayStartMs, parseDateArg } from '../../src/attendance/time';

describe('Vietnam time helpers', () => {
  it('formats UTC instants in Asia/Ho_Chi_Minh', () => {
    expect(formatHm(Date.parse('2025-11-21T02:02:00Z'))).toBe('09:02');
    expect(formatHm(Date.parse('2025-11-21T17:30:00Z'))).toBe('00:30');
    const now = Date.parse('2025-11-21T16:00:00Z'); // 23:00 local
    expect(formatWhen(Date.parse('2025-11-21T16:30:00Z'), now)).toBe('23:30 hôm nay');
    expect(formatWhen(Date.parse('2025-11-21T17:30:00Z'), now)).toBe('00:30 ngày 22/11/2025');
  });

  it('parses dd/mm/yyyy and yyyy-mm-dd, rejecting impossible dates', () => {
    expect(parseDateArg('01/11/2025')).toEqual({ year: 2025, month: 11, day: 1 });
    expect(parseDateArg('1/1/2026')).toEqual({ year: 2026, month: 1, day: 1 });
    expect(parseDateArg('2025-11-30')).toEqual({ year: 2025, month: 11, day: 30 });
    expect(parseDateArg('29/02/2024')).not.toBeNull();
    for (const bad of ['29/02/2025', '31/04/2025', '00/01/2025', '2025-13-01', '11/2025', 'hôm nay']) {
      expect(parseDateArg(bad), bad).toBeNull();
    }
  });

  it('turns local days into UTC bounds', () => {
    expect(new Date(localDayStartMs({ year: 2025, month: 11, day: 21 })).toISOString()).toBe(
      '2025-11-20T17:00:00.000Z',
    );
    expect(new Date(localDayEndMs({ year: 2025, month: 12, day: 31 })).toISOString()).toBe('2025-12-31T17:00:00.000Z');
  });
});
