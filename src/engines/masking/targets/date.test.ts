// Dates: generalisation (month, year, day, hour) and keyed date shifts that keep the input's format.
import { describe, expect, it } from 'vitest';
import { KEY_B, maskAll, maskOne, validCalendarDate } from '../test-helpers.ts';
import { generaliseDate, parseDate } from './date.ts';

describe('date parsing and generalisation', () => {
  it('reads the common forms and refuses impossible dates', () => {
    for (const v of ['1990-05-12', '1990/5/12', '19900512', '1990年5月12日', '1990-05-12T08:30:00Z', '１９９０－０５－１２']) {
      expect(parseDate(v), v).toMatchObject({ y: 1990, m: 5, d: 12 });
    }
    for (const v of ['1990-02-30', '2023-02-29', '1990-13-01', '12/05/1990', 'yesterday', 19900512]) expect(parseDate(v), String(v)).toBeNull();
    expect(parseDate('2024-02-29')).not.toBeNull();
  });

  it('reads Date objects in Asia/Shanghai', () => {
    // 1990-05-11T20:00Z is 1990-05-12 04:00 in Beijing.
    expect(generaliseDate(new Date('1990-05-11T20:00:00Z'), 'day')).toBe('1990-05-12');
    expect(generaliseDate(new Date('1990-05-11T20:00:00Z'), 'hour')).toBe('1990-05-12 04');
    expect(generaliseDate(new Date(Number.NaN), 'day')).toBeNull();
  });

  it('generalises to month and year', () => {
    expect(generaliseDate('1990-05-12', 'month')).toBe('1990-05');
    expect(generaliseDate('1990年5月2日', 'month')).toBe('1990-05');
    expect(generaliseDate('19900512', 'year')).toBe('1990');
    expect(generaliseDate('2023-02-29', 'month')).toBeNull();
  });
});

describe('date methods (PRT-4)', () => {
  it('generalise birth dates (month by default) and date-times (day by default)', () => {
    expect(maskOne('birth_date', { method: 'generalise' }, '1990-05-12')).toBe('1990-05');
    expect(maskOne('birth_date', { method: 'generalise', params: { to: 'year' } }, '1990-05-12')).toBe('1990');
    expect(maskOne('datetime', { method: 'generalise' }, '2024-03-01 14:22:05')).toBe('2024-03-01');
    expect(maskOne('datetime', { method: 'generalise', params: { to: 'hour' } }, '2024-03-01 14:22:05')).toBe('2024-03-01 14');
    const { out, stats } = maskAll('date', { method: 'generalise' }, ['not a date', '2024-02-30']);
    expect(out).toEqual([null, null]);
    expect(stats.fallback).toBe(2);
  });

  it('tokens shift by a keyed, non-zero number of days within the bound and keep the format (DG-15)', () => {
    const values = Array.from({ length: 200 }, (_, i) => new Date(Date.UTC(1960, 0, 1 + i * 97)).toISOString().slice(0, 10));
    const { out } = maskAll('birth_date', { method: 'token', params: { maxShiftDays: 30 } }, values);
    for (const [i, t] of (out as string[]).entries()) {
      expect(t).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const [y, m, d] = t.split('-').map(Number) as [number, number, number];
      expect(validCalendarDate(y, m, d)).toBe(true);
      const days = (Date.UTC(y, m - 1, d) - Date.parse(values[i] as string)) / 86_400_000;
      expect(Math.abs(days)).toBeGreaterThan(0);
      expect(Math.abs(days)).toBeLessThanOrEqual(30);
    }
    expect(new Set((out as string[]).map((t, i) => Date.parse(t) - Date.parse(values[i] as string))).size).toBeGreaterThan(10);
    expect(maskOne('date', { method: 'token' }, '1990年5月2日')).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日$/);
    expect(maskOne('datetime', { method: 'token' }, '2024-03-01 14:22:05')).toMatch(/^\d{4}-\d{2}-\d{2} 14:22:05$/);
    expect(maskOne('date', { method: 'token' }, '2024-03-01', KEY_B)).not.toBe(maskOne('date', { method: 'token' }, '2024-03-01'));
  });

  it('tokens of Date objects are Date objects with the same time of day', () => {
    const d = new Date('2024-03-01T06:22:05.000Z');
    const t = maskOne('datetime', { method: 'token' }, d) as Date;
    expect(t).toBeInstanceOf(Date);
    expect(t.toISOString().slice(10)).toBe('T06:22:05.000Z');
    expect(t.getTime()).not.toBe(d.getTime());
  });
});
