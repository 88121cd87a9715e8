import { describe, expect, it } from 'vitest';
import { builtinSchedule } from './builtin.ts';
import { beijingDate, InvalidDateError, InvalidScheduleError, WorkdayCalendar, WorkdaysYearMissingError } from './calendar.ts';
import type { YearSchedule } from './types.ts';

const cal = WorkdayCalendar.withBuiltin();

// Hypothetical 2027 arrangement (not yet announced when this was written), as an administrator
// would load it. 2027-01-01 is a Friday; 2027-02-08 a Monday; 2027-02-20 a Saturday.
const loaded2027: YearSchedule = {
  year: 2027,
  holidays: ['2027-01-01', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'],
  makeupWorkdays: ['2027-02-20'],
  source: 'loaded',
};

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('isWorkday: 2025', () => {
  it('National Day + Mid-Autumn 2025-10-01..08 are rest days; make-up 09-28 (Sun) and 10-11 (Sat) work', () => {
    for (let d = 1; d <= 8; d++) expect(cal.isWorkday(`2025-10-0${d}`), `2025-10-0${d}`).toBe(false);
    expect(cal.isWorkday('2025-09-28')).toBe(true);
    expect(cal.isWorkday('2025-10-11')).toBe(true);
    expect(cal.isWorkday('2025-09-27')).toBe(false); // ordinary Saturday
    expect(cal.isWorkday('2025-10-09')).toBe(true); // Thursday after the break
    expect(cal.isWorkday('2025-10-12')).toBe(false); // Sunday after the make-up Saturday
  });

  it('Spring Festival 2025: rest 01-28..02-04, work Sun 01-26 and Sat 02-08', () => {
    expect(cal.isWorkday('2025-01-26')).toBe(true);
    expect(cal.isWorkday('2025-01-27')).toBe(true);
    for (const d of ['2025-01-28', '2025-01-31', '2025-02-03', '2025-02-04']) expect(cal.isWorkday(d), d).toBe(false);
    expect(cal.isWorkday('2025-02-05')).toBe(true);
    expect(cal.isWorkday('2025-02-08')).toBe(true);
    expect(cal.isWorkday('2025-04-27')).toBe(true); // Labour Day make-up Sunday
  });

  it('plain weeks: Friday 2025-03-14 works, the weekend rests, Monday works', () => {
    expect(cal.isWorkday('2025-03-14')).toBe(true);
    expect(cal.isWorkday('2025-03-15')).toBe(false);
    expect(cal.isWorkday('2025-03-16')).toBe(false);
    expect(cal.isWorkday('2025-03-17')).toBe(true);
  });
});

describe('isWorkday: 2026', () => {
  it("New Year's Day: rest Thu 01-01 .. Sat 01-03, work Sun 01-04", () => {
    expect(cal.isWorkday('2026-01-01')).toBe(false);
    expect(cal.isWorkday('2026-01-02')).toBe(false);
    expect(cal.isWorkday('2026-01-03')).toBe(false);
    expect(cal.isWorkday('2026-01-04')).toBe(true);
  });

  it('Spring Festival: rest 02-15..02-23, work Sat 02-14 and Sat 02-28', () => {
    expect(cal.isWorkday('2026-02-13')).toBe(true);
    expect(cal.isWorkday('2026-02-14')).toBe(true);
    for (let d = 15; d <= 23; d++) expect(cal.isWorkday(`2026-02-${d}`), `2026-02-${d}`).toBe(false);
    expect(cal.isWorkday('2026-02-24')).toBe(true);
    expect(cal.isWorkday('2026-02-28')).toBe(true);
    expect(cal.isWorkday('2026-03-01')).toBe(false); // Sunday
  });

  it('Labour Day: rest Fri 05-01 .. Tue 05-05, work Sat 05-09', () => {
    expect(cal.isWorkday('2026-04-30')).toBe(true);
    for (let d = 1; d <= 5; d++) expect(cal.isWorkday(`2026-05-0${d}`), `2026-05-0${d}`).toBe(false);
    expect(cal.isWorkday('2026-05-06')).toBe(true);
    expect(cal.isWorkday('2026-05-09')).toBe(true);
    expect(cal.isWorkday('2026-05-10')).toBe(false);
  });

  it('autumn: Mid-Autumn Fri 09-25 rests, Sun 09-20 and Sat 10-10 work, 10-01..07 rest', () => {
    expect(cal.isWorkday('2026-09-20')).toBe(true);
    expect(cal.isWorkday('2026-09-25')).toBe(false);
    for (let d = 1; d <= 7; d++) expect(cal.isWorkday(`2026-10-0${d}`), `2026-10-0${d}`).toBe(false);
    expect(cal.isWorkday('2026-10-08')).toBe(true);
    expect(cal.isWorkday('2026-10-10')).toBe(true);
  });
});

describe('addWorkdays (deadline: the n-th working day after the event)', () => {
  it('15 working days from Thu 2025-09-25 across National Day is 2025-10-22', () => {
    // Counting from the next day:
    //   09-26 Fri 1 | 09-27 Sat rest | 09-28 Sun make-up 2 | 09-29 Mon 3 | 09-30 Tue 4
    //   10-01..10-08 rest (8 days)
    //   10-09 Thu 5 | 10-10 Fri 6 | 10-11 Sat make-up 7 | 10-12 Sun rest
    //   10-13 Mon 8 .. 10-17 Fri 12 | weekend | 10-20 Mon 13 | 10-21 Tue 14 | 10-22 Wed 15
    expect(cal.addWorkdays('2025-09-25', 15)).toBe('2025-10-22');
  });

  it('an event on an ordinary Friday: day 1 is the next Monday', () => {
    expect(cal.addWorkdays('2025-03-14', 1)).toBe('2025-03-17');
    expect(cal.addWorkdays('2025-03-14', 5)).toBe('2025-03-21');
  });

  it('an event on Friday 2025-09-26: the make-up Sunday counts, and a deadline in the break moves past it', () => {
    // 09-28 Sun (make-up) 1, 09-29 2, 09-30 3; the 4th would be 10-02 on plain weekdays, but
    // 10-01..08 are rest days, so it is 10-09.
    expect(cal.addWorkdays('2025-09-26', 3)).toBe('2025-09-30');
    expect(cal.addWorkdays('2025-09-26', 4)).toBe('2025-10-09');
  });

  it('an event on Friday 2026-02-13, the eve of the Spring Festival break', () => {
    // 02-14 Sat make-up 1 | 02-15..02-23 rest | 02-24 Tue 2, 25 3, 26 4, 27 5 | 02-28 Sat make-up 6
    // | 03-01 Sun rest | 03-02 Mon 7
    expect(cal.addWorkdays('2026-02-13', 1)).toBe('2026-02-14');
    expect(cal.addWorkdays('2026-02-13', 2)).toBe('2026-02-24');
    expect(cal.addWorkdays('2026-02-13', 7)).toBe('2026-03-02');
  });

  it('Labour Day 2026: from Thu 04-30, day 1 is Wed 05-06 and day 4 the make-up Sat 05-09', () => {
    expect(cal.addWorkdays('2026-04-30', 1)).toBe('2026-05-06');
    expect(cal.addWorkdays('2026-04-30', 4)).toBe('2026-05-09');
  });

  it('crosses into the next year: from Wed 2025-12-31, day 1 is the make-up Sun 2026-01-04', () => {
    expect(cal.addWorkdays('2025-12-31', 1)).toBe('2026-01-04');
  });

  it('handles the leap day (2024-02-29 is an ordinary Thursday)', () => {
    expect(cal.addWorkdays('2024-02-28', 1)).toBe('2024-02-29');
    expect(cal.addWorkdays('2024-02-29', 1)).toBe('2024-03-01');
  });

  it('n = 0: the date itself if it works, else the next working day', () => {
    expect(cal.addWorkdays('2025-03-14', 0)).toBe('2025-03-14');
    expect(cal.addWorkdays('2025-03-15', 0)).toBe('2025-03-17');
    expect(cal.addWorkdays('2025-10-01', 0)).toBe('2025-10-09');
    expect(cal.addWorkdays('2025-09-28', 0)).toBe('2025-09-28');
  });

  it('rejects a negative or fractional n', () => {
    expect(() => cal.addWorkdays('2025-10-01', -1)).toThrow(RangeError);
    expect(() => cal.addWorkdays('2025-10-01', 1.5)).toThrow(RangeError);
  });
});

describe('nextWorkday (strictly after the date)', () => {
  it('skips rest days and counts make-up days', () => {
    expect(cal.nextWorkday('2025-09-30')).toBe('2025-10-09');
    expect(cal.nextWorkday('2025-09-26')).toBe('2025-09-28');
    expect(cal.nextWorkday('2026-01-01')).toBe('2026-01-04');
    expect(cal.nextWorkday('2025-03-17')).toBe('2025-03-18');
  });
});

describe('workdaysBetween (working days in (from, to])', () => {
  it('counts from the day after `from`, and is antisymmetric', () => {
    const cases: [string, string, number][] = [
      ['2025-09-25', '2025-10-22', 15],
      ['2025-09-30', '2025-10-09', 1], // only 10-09
      ['2025-03-14', '2025-03-17', 1], // Fri → Mon: only Monday
      ['2025-12-31', '2026-01-05', 2], // 01-04 (make-up Sun) and 01-05
      ['2025-10-01', '2025-10-08', 0], // inside the break
      ['2025-10-09', '2025-10-09', 0],
    ];
    for (const [from, to, n] of cases) {
      expect(cal.workdaysBetween(from, to), `${from} → ${to}`).toBe(n);
      expect(cal.workdaysBetween(to, from), `${to} → ${from}`).toBe(n === 0 ? 0 : -n);
    }
  });

  it('a whole year: 248 working days in 2025 and in 2026', () => {
    // 2025: 261 Mon–Fri (365 days from a Wednesday), minus 18 holidays on weekdays
    // (01-01; 01-28..31, 02-03, 02-04; 04-04; 05-01, 05-02, 05-05; 06-02; 10-01..03, 10-06..08),
    // plus 5 make-up days = 248.
    expect(cal.workdaysBetween('2024-12-31', '2025-12-31')).toBe(248);
    // 2026: 261 Mon–Fri (from a Thursday), minus 19 (01-01, 01-02; 02-16..20, 02-23; 04-06;
    // 05-01, 05-04, 05-05; 06-19; 09-25; 10-01, 10-02, 10-05..07), plus 6 make-up days = 248.
    expect(cal.workdaysBetween('2025-12-31', '2026-12-31')).toBe(248);
  });

  it('inverts addWorkdays', () => {
    for (const n of [1, 2, 5, 10, 15, 30]) {
      for (const start of ['2025-09-25', '2026-02-13', '2026-04-30', '2025-12-31']) {
        expect(cal.workdaysBetween(start, cal.addWorkdays(start, n))).toBe(n);
      }
    }
  });
});

describe('years without a schedule are refused', () => {
  it('refuses 2027 and 2003, naming the year and asking for an administrator', () => {
    const e = thrown(() => cal.isWorkday('2027-01-04'));
    expect(e).toBeInstanceOf(WorkdaysYearMissingError);
    expect((e as WorkdaysYearMissingError).year).toBe(2027);
    expect((e as Error).message).toMatch(/2027/);
    expect((e as Error).message).toMatch(/administrator must load/);
    expect((thrown(() => cal.isWorkday('2003-12-31')) as WorkdaysYearMissingError).year).toBe(2003);
  });

  it('refuses a count that runs into 2027, but not one that ends on 2026-12-31', () => {
    // 2026-12-31 is a Thursday: from Thu 12-24, days 1..5 are 12-25, 28, 29, 30, 31.
    expect(cal.addWorkdays('2026-12-24', 5)).toBe('2026-12-31');
    // From Wed 12-30: day 1 is 12-31, day 2 would need 2027.
    expect((thrown(() => cal.addWorkdays('2026-12-30', 2)) as WorkdaysYearMissingError).year).toBe(2027);
    expect((thrown(() => cal.nextWorkday('2026-12-31')) as WorkdaysYearMissingError).year).toBe(2027);
    expect((thrown(() => cal.workdaysBetween('2026-12-01', '2027-01-10')) as WorkdaysYearMissingError).year).toBe(2027);
    expect((thrown(() => cal.workdaysBetween('2004-01-05', '2003-12-29')) as WorkdaysYearMissingError).year).toBe(2003);
    expect((thrown(() => cal.addWorkdays('2003-12-31', 1)) as WorkdaysYearMissingError).year).toBe(2003);
  });

  it('knows which years it has', () => {
    expect(cal.hasYear(2026)).toBe(true);
    expect(cal.hasYear(2027)).toBe(false);
    expect(cal.years()[0]).toBe(2004);
    expect(cal.years().at(-1)).toBe(2026);
  });

  it('an empty calendar has no hidden defaults', () => {
    const empty = new WorkdayCalendar();
    expect(empty.years()).toEqual([]);
    expect(() => empty.isWorkday('2025-10-09')).toThrow(WorkdaysYearMissingError);
  });
});

describe('loaded schedules', () => {
  it('a loaded 2027 makes 2027 computable', () => {
    const c = WorkdayCalendar.withBuiltin([loaded2027]);
    expect(c.hasYear(2027)).toBe(true);
    expect(c.isWorkday('2027-01-01')).toBe(false); // Friday holiday
    expect(c.isWorkday('2027-01-02')).toBe(false); // Saturday
    expect(c.isWorkday('2027-01-04')).toBe(true); // Monday
    expect(c.isWorkday('2027-02-08')).toBe(false); // Monday in the break
    expect(c.isWorkday('2027-02-20')).toBe(true); // make-up Saturday
    expect(c.isWorkday('2027-02-21')).toBe(false); // Sunday
    // From Wed 2026-12-30: 12-31 Thu is day 1; 2027-01-01 holiday, weekend; Mon 01-04 is day 2.
    expect(c.addWorkdays('2026-12-30', 2)).toBe('2027-01-04');
    expect(() => c.isWorkday('2028-01-03')).toThrow(WorkdaysYearMissingError);
  });

  it('a loaded 2003 makes the year before the built-in data computable', () => {
    // 2003 Spring Festival: rest Sat 02-01 .. Fri 02-07, work Sat 02-08 and Sun 02-09.
    const y2003: YearSchedule = {
      year: 2003,
      holidays: ['2003-01-01', '2003-02-01', '2003-02-02', '2003-02-03', '2003-02-04', '2003-02-05', '2003-02-06', '2003-02-07'],
      makeupWorkdays: ['2003-02-08', '2003-02-09'],
      source: 'loaded',
    };
    const c = WorkdayCalendar.withBuiltin([y2003]);
    expect(c.isWorkday('2003-02-08')).toBe(true);
    expect(c.isWorkday('2003-12-31')).toBe(true); // Wednesday
    // 2004-01-01 (Thu) is New Year's Day in the built-in data, so day 1 is Fri 2004-01-02.
    expect(c.addWorkdays('2003-12-31', 1)).toBe('2004-01-02');
  });

  it('a loaded year overrides the built-in one, and later schedules override earlier ones', () => {
    const base = builtinSchedule(2025);
    if (!base) throw new Error('2025 missing');
    const corrected: YearSchedule = {
      ...base,
      makeupWorkdays: base.makeupWorkdays.filter((d) => d !== '2025-10-11'),
      source: 'loaded',
    };
    const c = WorkdayCalendar.withBuiltin([corrected]);
    expect(c.isWorkday('2025-10-11')).toBe(false);
    expect(c.isWorkday('2025-09-28')).toBe(true);

    const second: YearSchedule = { ...loaded2027, holidays: [...loaded2027.holidays, '2027-01-04'] };
    const d = new WorkdayCalendar([loaded2027, second]);
    expect(d.isWorkday('2027-01-04')).toBe(false);
  });

  it('refuses an invalid schedule', () => {
    const bad: YearSchedule = { ...loaded2027, makeupWorkdays: ['2027-01-04'] }; // a Monday
    const e = thrown(() => new WorkdayCalendar([bad]));
    expect(e).toBeInstanceOf(InvalidScheduleError);
    expect((e as InvalidScheduleError).errors.map((x) => x.code)).toEqual(['NOT_WEEKEND']);
  });
});

describe('malformed dates', () => {
  it('throw InvalidDateError', () => {
    for (const d of ['2025-02-29', '2025-10-1', '2025/10/01', '', '2025-10-01T00:00:00Z']) {
      expect(() => cal.isWorkday(d), d).toThrow(InvalidDateError);
    }
    expect(() => cal.addWorkdays('soon', 1)).toThrow(InvalidDateError);
    expect(() => cal.workdaysBetween('2025-10-01', '2025-10-32')).toThrow(InvalidDateError);
  });
});

describe('host time zone', () => {
  it('changes nothing: the engine never reads local time', () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati']) {
        process.env.TZ = tz; // Node re-reads TZ when it is assigned
        expect(new Date(2025, 0, 1).getTimezoneOffset(), tz).not.toBe(-480);
        const c = WorkdayCalendar.withBuiltin();
        expect(c.addWorkdays('2025-09-25', 15)).toBe('2025-10-22');
        expect(c.isWorkday('2025-10-08')).toBe(false);
        expect(c.isWorkday('2025-10-11')).toBe(true);
        expect(c.workdaysBetween('2024-12-31', '2025-12-31')).toBe(248);
        expect(beijingDate(new Date('2025-09-30T16:00:00Z'))).toBe('2025-10-01');
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('beijingDate', () => {
  it('gives the UTC+8 calendar date of an instant', () => {
    expect(beijingDate(new Date('2025-09-30T15:59:59.999Z'))).toBe('2025-09-30');
    expect(beijingDate(new Date('2025-09-30T16:00:00Z'))).toBe('2025-10-01');
    expect(beijingDate(new Date('2025-10-01T00:30:00+08:00'))).toBe('2025-10-01');
    expect(beijingDate(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
    expect(beijingDate(new Date('1969-12-31T16:00:00Z'))).toBe('1970-01-01');
    expect(beijingDate(new Date('1969-12-31T15:59:59Z'))).toBe('1969-12-31');
  });

  it('rejects an invalid Date', () => {
    expect(() => beijingDate(new Date('nope'))).toThrow(InvalidDateError);
  });
});
