import { describe, expect, it } from 'vitest';
import { beijingDayStart, minuteWindowStart, retryAfterDay, retryAfterMinute, rowsGranted } from './rate-window.ts';

describe('rate windows', () => {
  it('minute windows and Retry-After', () => {
    const at = new Date('2026-03-01T10:15:42.300Z');
    expect(minuteWindowStart(at).toISOString()).toBe('2026-03-01T10:15:00.000Z');
    expect(retryAfterMinute(at)).toBe(18);
    expect(retryAfterMinute(new Date('2026-03-01T10:15:59.999Z'))).toBe(1);
  });
  it('the Beijing day starts at 16:00 UTC the day before', () => {
    expect(beijingDayStart(new Date('2026-03-01T15:59:59Z')).toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(beijingDayStart(new Date('2026-03-01T16:00:00Z')).toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(retryAfterDay(new Date('2026-03-01T15:59:00Z'))).toBe(60);
  });
  it('rows granted from the day volume', () => {
    expect(rowsGranted(0, 1000, 100, true)).toBe(100);
    expect(rowsGranted(950, 1000, 100, true)).toBe(50);
    expect(rowsGranted(950, 1000, 100, false)).toBe(0);
    expect(rowsGranted(1000, 1000, 100, true)).toBe(0);
    expect(rowsGranted(1200, 1000, 1, true)).toBe(0);
  });
});
