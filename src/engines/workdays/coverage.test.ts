// Schedule coverage reminder (domain.md §8): the level for this year's and next year's schedules on a
// pinned Beijing date. The built-in data ends with 2026, so 2027 is "missing" unless a test loads it.
import { describe, expect, it } from 'vitest';
import { builtinSchedule } from './builtin.ts';
import { type CoverageSource, scheduleCoverage } from './coverage.ts';
import { InvalidDateError } from './dates.ts';

/** Built-in years, plus the years in `loaded` as administrator-loaded (a loaded year overrides). */
const sources =
  (...loaded: number[]) =>
  (y: number): CoverageSource =>
    loaded.includes(y) ? 'loaded' : builtinSchedule(y) ? 'builtin' : null;

describe('scheduleCoverage', () => {
  it.each([
    ['2026-10-31', 'ok'], // next year missing, but too early to bother anyone
    ['2026-11-01', 'info'], // the announcement is due: tell the administrators
    ['2026-11-30', 'info'],
    ['2026-12-01', 'warning'], // deadlines of 10+ working days start reaching into 2027 in mid-December
    ['2026-12-31', 'warning'],
  ] as const)('%s with 2027 missing → %s', (today, level) => {
    expect(scheduleCoverage(today, sources())).toEqual({
      today,
      current: { year: 2026, covered: true, source: 'builtin' },
      next: { year: 2027, covered: false, source: null },
      level,
    });
  });

  it.each(['2026-10-31', '2026-11-01', '2026-11-30', '2026-12-01', '2026-12-31'])('%s with 2027 loaded → ok', (today) => {
    expect(scheduleCoverage(today, sources(2027))).toEqual({
      today,
      current: { year: 2026, covered: true, source: 'builtin' },
      next: { year: 2027, covered: true, source: 'loaded' },
      level: 'ok',
    });
  });

  it('both years built in (2025 → 2026) is ok even in December', () => {
    expect(scheduleCoverage('2025-12-15', sources())).toMatchObject({
      current: { year: 2025, covered: true, source: 'builtin' },
      next: { year: 2026, covered: true, source: 'builtin' },
      level: 'ok',
    });
  });

  it('the current year missing is an error, whatever the month and whether the next year is there', () => {
    expect(scheduleCoverage('2027-01-04', sources())).toEqual({
      today: '2027-01-04',
      current: { year: 2027, covered: false, source: null },
      next: { year: 2028, covered: false, source: null },
      level: 'error',
    });
    expect(scheduleCoverage('2027-06-30', sources(2028)).level).toBe('error');
    expect(scheduleCoverage('2027-12-31', sources()).level).toBe('error');
    // Loading 2027 clears the error; 2028 then follows the usual calendar.
    expect(scheduleCoverage('2027-01-04', sources(2027)).level).toBe('ok');
    expect(scheduleCoverage('2027-11-01', sources(2027)).level).toBe('info');
    expect(scheduleCoverage('2027-12-01', sources(2027)).level).toBe('warning');
    expect(scheduleCoverage('2027-12-01', sources(2027, 2028)).level).toBe('ok');
  });

  it('a loaded current year counts as covered and reports its source', () => {
    expect(scheduleCoverage('2026-12-01', sources(2026, 2027))).toMatchObject({
      current: { year: 2026, covered: true, source: 'loaded' },
      next: { year: 2027, covered: true, source: 'loaded' },
      level: 'ok',
    });
  });

  it('refuses a date that is not an existing YYYY-MM-DD', () => {
    for (const bad of ['2026-02-30', '2026-12', '20261201', '']) {
      expect(() => scheduleCoverage(bad, sources()), bad).toThrow(InvalidDateError);
    }
  });
});
