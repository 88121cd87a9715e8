// Working-day arithmetic for deadlines (民法典 arts. 201, 203): counting starts the day after the
// event, and a deadline that lands on a rest day moves to the next working day. A working day is
// Mon–Fri that is not a holiday, plus the 调休 make-up weekend days. Pure: no clock, no I/O.

import { builtinSchedule, builtinYears } from './builtin.ts';
import { formatDay, isWeekendDay, parseDay, yearOfDay } from './dates.ts';
import type { ScheduleError, YearSchedule } from './types.ts';
import { validateSchedule } from './validate.ts';

export { beijingDate, InvalidDateError } from './dates.ts';

/** A date falls in a year with no schedule; computing would silently treat holidays as workdays. */
export class WorkdaysYearMissingError extends Error {
  readonly year: number;
  constructor(year: number) {
    super(
      `No working-day schedule for ${year}: an administrator must load the ${year} holiday schedule ` +
        `(State Council 调休 announcement) before working days in ${year} can be computed.`,
    );
    this.name = 'WorkdaysYearMissingError';
    this.year = year;
  }
}

/** A schedule handed to WorkdayCalendar did not pass validateSchedule. */
export class InvalidScheduleError extends Error {
  readonly year: number;
  readonly errors: ScheduleError[];
  constructor(year: number, errors: ScheduleError[]) {
    super(`Invalid working-day schedule for ${year}: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
    this.name = 'InvalidScheduleError';
    this.year = year;
    this.errors = errors;
  }
}

interface YearDays {
  holidays: Set<number>;
  makeup: Set<number>;
}

export class WorkdayCalendar {
  readonly #years = new Map<number, YearDays>();

  /** Later schedules replace earlier ones for the same year (a loaded year overrides the built-in one). */
  constructor(schedules: readonly YearSchedule[] = []) {
    for (const schedule of schedules) {
      // Re-check even typed input: a schedule read back from storage may have been edited by hand.
      const checked = validateSchedule(schedule);
      if (!checked.ok) throw new InvalidScheduleError(schedule.year, checked.errors);
      this.#years.set(schedule.year, {
        holidays: new Set(schedule.holidays.map(parseDay)),
        makeup: new Set(schedule.makeupWorkdays.map(parseDay)),
      });
    }
  }

  /** The chinese-days years, then `extra` (which win for a year they share). */
  static withBuiltin(extra: readonly YearSchedule[] = []): WorkdayCalendar {
    const builtin = builtinYears().map((y) => builtinSchedule(y) as YearSchedule);
    return new WorkdayCalendar([...builtin, ...extra]);
  }

  hasYear(year: number): boolean {
    return this.#years.has(year);
  }

  /** Years this calendar can compute in, ascending. */
  years(): number[] {
    return [...this.#years.keys()].sort((a, b) => a - b);
  }

  isWorkday(date: string): boolean {
    return this.#isWorkDay(parseDay(date));
  }

  /**
   * The deadline "within n working days of `date`": the n-th working day after `date`, counting
   * from the next day. n = 0 gives `date` itself if it is a working day, else the next one.
   */
  addWorkdays(date: string, n: number): string {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
    let day = parseDay(date);
    this.#yearDays(day); // the start date must be in a known year even when it is not examined
    if (n === 0) {
      while (!this.#isWorkDay(day)) day++;
      return formatDay(day);
    }
    let left = n;
    while (left > 0) {
      day++;
      if (this.#isWorkDay(day)) left--;
    }
    return formatDay(day);
  }

  /**
   * Working days in (from, to]: the count starts the day after `from`, so
   * workdaysBetween(d, addWorkdays(d, n)) === n for n ≥ 1. Negative (same magnitude) if to < from.
   */
  workdaysBetween(from: string, to: string): number {
    const a = parseDay(from);
    const b = parseDay(to);
    this.#yearDays(a);
    this.#yearDays(b);
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    let count = 0;
    for (let day = lo + 1; day <= hi; day++) if (this.#isWorkDay(day)) count++;
    // `0 - count`, not `-count`: a reversed range with no working days must give 0, not -0.
    return a <= b ? count : 0 - count;
  }

  /** The first working day strictly after `date` (use addWorkdays(date, 0) for "on or after"). */
  nextWorkday(date: string): string {
    return this.addWorkdays(date, 1);
  }

  #yearDays(day: number): YearDays {
    const year = yearOfDay(day);
    const found = this.#years.get(year);
    if (!found) throw new WorkdaysYearMissingError(year);
    return found;
  }

  #isWorkDay(day: number): boolean {
    const { holidays, makeup } = this.#yearDays(day);
    if (makeup.has(day)) return true;
    if (holidays.has(day)) return false;
    return !isWeekendDay(day);
  }
}
