import chineseDays from 'chinese-days';
import { describe, expect, it } from 'vitest';
import { builtinSchedule, builtinYears } from './builtin.ts';
import { validateSchedule } from './validate.ts';

describe('builtin schedules from chinese-days', () => {
  it('covers exactly the years chinese-days has announcements for', () => {
    const expected = Array.from({ length: 2026 - 2004 + 1 }, (_, i) => 2004 + i);
    expect(builtinYears()).toEqual(expected);
    expect(builtinSchedule(2003)).toBeUndefined();
    expect(builtinSchedule(2027)).toBeUndefined();
  });

  it('has the 2025 and 2026 make-up days of the State Council notices (spec §8)', () => {
    expect(builtinSchedule(2025)?.makeupWorkdays).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
    expect(builtinSchedule(2026)?.makeupWorkdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(builtinSchedule(2025)?.source).toBe('builtin');
  });

  it('lists whole holiday periods, weekend days included', () => {
    const h = builtinSchedule(2025)?.holidays ?? [];
    // 2025-10-01 (Wed) .. 10-08 (Wed): National Day + Mid-Autumn, 8 days including Sat 04 / Sun 05.
    for (let d = 1; d <= 8; d++) expect(h).toContain(`2025-10-0${d}`);
  });

  it('files cross-year days under the calendar year they fall in', () => {
    // 2019 New Year's Day: rest 2018-12-30 (Sun) .. 2019-01-01 (Tue), work Sat 2018-12-29.
    expect(builtinSchedule(2018)?.holidays).toEqual(expect.arrayContaining(['2018-12-30', '2018-12-31']));
    expect(builtinSchedule(2018)?.makeupWorkdays).toContain('2018-12-29');
    expect(builtinSchedule(2019)?.holidays).toContain('2019-01-01');
  });

  it('passes validation for every year', () => {
    for (const year of builtinYears()) {
      const s = builtinSchedule(year);
      expect(s && validateSchedule(s).ok, `year ${year}`).toBe(true);
    }
  });

  // chinese-days builds its own tables at load time by formatting UTC-midnight dates with local
  // getters, so on a host west of UTC (e.g. TZ=America/Los_Angeles) its whole schedule shifts one
  // day earlier (2025-09-30 a holiday, 2025-10-08 a workday). Its prebuilt JSON, which we read, is
  // unaffected; the cross-check is only meaningful where the library itself is right.
  const westOfUtc = [0, 6].some((month) => new Date(2025, month, 1).getTimezoneOffset() > 0);

  it.skipIf(westOfUtc)("agrees with chinese-days' own isWorkday on every covered day", () => {
    const mismatches: string[] = [];
    for (const year of builtinYears()) {
      const s = builtinSchedule(year);
      if (!s) throw new Error(`no schedule for ${year}`);
      const holidays = new Set(s.holidays);
      const makeup = new Set(s.makeupWorkdays);
      for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
        const utc = new Date(t);
        const date = utc.toISOString().slice(0, 10);
        const weekday = utc.getUTCDay();
        const ours = makeup.has(date) || (weekday >= 1 && weekday <= 5 && !holidays.has(date));
        // A local-midnight Date, not the string: chinese-days parses 'YYYY-MM-DD' as UTC midnight
        // and reads it back with local getters.
        const local = new Date(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate());
        if (ours !== chineseDays.isWorkday(local)) mismatches.push(date);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
