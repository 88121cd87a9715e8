import { describe, expect, it } from 'vitest';
import { validateSchedule } from './validate.ts';

function codes(input: Parameters<typeof validateSchedule>[0]) {
  const r = validateSchedule(input);
  return r.ok ? [] : r.errors.map((e) => `${e.field}:${e.code}`);
}

describe('validateSchedule', () => {
  it('accepts a good schedule, sorts it and marks it loaded', () => {
    const r = validateSchedule({ year: 2027, holidays: ['2027-02-08', '2027-01-01'], makeupWorkdays: ['2027-02-20'] });
    expect(r).toEqual({
      ok: true,
      schedule: { year: 2027, holidays: ['2027-01-01', '2027-02-08'], makeupWorkdays: ['2027-02-20'], source: 'loaded' },
    });
  });

  it('rejects malformed and non-existent dates', () => {
    expect(codes({ year: 2025, holidays: ['2025-02-29', '2025-1-05', '2025/10/01', '2025-13-01', 'x', '2025-10-01'], makeupWorkdays: [] })).toEqual([
      'holidays[0]:INVALID_DATE',
      'holidays[1]:INVALID_DATE',
      'holidays[2]:INVALID_DATE',
      'holidays[3]:INVALID_DATE',
      'holidays[4]:INVALID_DATE',
    ]);
  });

  it('knows leap years (2000 and 2024 are, 2100 is not)', () => {
    expect(codes({ year: 2024, holidays: ['2024-02-29'], makeupWorkdays: [] })).toEqual([]);
    expect(codes({ year: 2000, holidays: ['2000-02-29'], makeupWorkdays: [] })).toEqual([]);
    expect(codes({ year: 2100, holidays: ['2100-02-29'], makeupWorkdays: [] })).toEqual(['holidays[0]:INVALID_DATE']);
  });

  it('rejects dates outside the schedule year', () => {
    // 2024-12-29 is a Sunday, so only the year is wrong.
    expect(codes({ year: 2025, holidays: ['2025-01-01', '2026-01-01'], makeupWorkdays: ['2024-12-29'] })).toEqual([
      'holidays[1]:WRONG_YEAR',
      'makeupWorkdays[0]:WRONG_YEAR',
    ]);
  });

  it('rejects duplicates within a list', () => {
    expect(codes({ year: 2025, holidays: ['2025-10-01', '2025-10-02', '2025-10-01'], makeupWorkdays: ['2025-09-28', '2025-09-28'] })).toEqual([
      'holidays[2]:DUPLICATE',
      'makeupWorkdays[1]:DUPLICATE',
    ]);
  });

  it('rejects a date that is both a holiday and a make-up day', () => {
    // 2025-10-04 is a Saturday, so the only problem is the conflict.
    expect(codes({ year: 2025, holidays: ['2025-10-04'], makeupWorkdays: ['2025-10-04'] })).toEqual(['makeupWorkdays[0]:CONFLICT']);
  });

  it('requires make-up days to be Saturday or Sunday', () => {
    // 2025-09-27 Sat, 2025-09-28 Sun are fine; 2025-09-29 is a Monday.
    expect(codes({ year: 2025, holidays: ['2025-10-01'], makeupWorkdays: ['2025-09-27', '2025-09-28', '2025-09-29'] })).toEqual([
      'makeupWorkdays[2]:NOT_WEEKEND',
    ]);
  });

  it('requires the year to be an integer in 2000–2100', () => {
    expect(codes({ year: 2000, holidays: ['2000-01-01'], makeupWorkdays: [] })).toEqual([]);
    expect(codes({ year: 2100, holidays: ['2100-01-01'], makeupWorkdays: [] })).toEqual([]);
    expect(codes({ year: 1999, holidays: ['1999-01-01'], makeupWorkdays: [] })).toEqual(['year:INVALID_YEAR']);
    expect(codes({ year: 2101, holidays: ['2101-01-01'], makeupWorkdays: [] })).toEqual(['year:INVALID_YEAR']);
    expect(codes({ year: 2025.5, holidays: ['2025-01-01'], makeupWorkdays: [] })).toEqual(['year:INVALID_YEAR']);
  });

  it('refuses an empty holiday list, which would silently mean "Mon–Fri all year"', () => {
    expect(codes({ year: 2027, holidays: [], makeupWorkdays: [] })).toEqual(['holidays:NO_HOLIDAYS']);
  });

  it('reports non-list input instead of throwing', () => {
    const bad = { year: 2027, holidays: '2027-01-01', makeupWorkdays: null } as unknown as Parameters<typeof validateSchedule>[0];
    expect(codes(bad)).toEqual(['holidays:INVALID_TYPE', 'makeupWorkdays:INVALID_TYPE']);
  });

  it('reports every problem at once with readable messages', () => {
    const r = validateSchedule({ year: 2025, holidays: ['2025-02-30', '2025-10-01'], makeupWorkdays: ['2025-10-01', '2025-10-06'] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    // 2025-10-01 is a Wednesday: conflict and not a weekend; 2025-10-06 is a Monday.
    expect(r.errors.map((e) => `${e.field}:${e.code}`)).toEqual([
      'holidays[0]:INVALID_DATE',
      'makeupWorkdays[0]:CONFLICT',
      'makeupWorkdays[0]:NOT_WEEKEND',
      'makeupWorkdays[1]:NOT_WEEKEND',
    ]);
    expect(r.errors[0].message).toContain('2025-02-30');
  });
});
