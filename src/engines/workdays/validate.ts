// Checks a year's schedule before the engine trusts it. An administrator loads a year that the
// built-in data lacks (or corrects one), so every mistake is reported at once, per field.
import { isWeekendDay, tryParseDay, yearOfDay } from './dates.ts';
import type { ScheduleError, ScheduleInput, ScheduleValidation } from './types.ts';

export const MIN_SCHEDULE_YEAR = 2000;
export const MAX_SCHEDULE_YEAR = 2100;

type ListField = 'holidays' | 'makeupWorkdays';

export function validateSchedule(input: ScheduleInput): ScheduleValidation {
  const errors: ScheduleError[] = [];
  const { year } = input;

  const yearIsInteger = Number.isInteger(year);
  if (!yearIsInteger || year < MIN_SCHEDULE_YEAR || year > MAX_SCHEDULE_YEAR) {
    errors.push({
      field: 'year',
      code: 'INVALID_YEAR',
      message: `year must be an integer from ${MIN_SCHEDULE_YEAR} to ${MAX_SCHEDULE_YEAR}, got ${String(year)}`,
    });
  }

  // Each list: every entry an existing date in `year`, no repeats. Returns the valid dates with
  // their day number and position (for error fields).
  const checkList = (field: ListField): Map<string, { day: number; index: number }> => {
    const seen = new Map<string, { day: number; index: number }>();
    const list: unknown = input[field];
    if (!Array.isArray(list)) {
      errors.push({ field, code: 'INVALID_TYPE', message: `${field} must be a list of YYYY-MM-DD dates` });
      return seen;
    }
    list.forEach((value: unknown, i) => {
      const at = `${field}[${i}]`;
      const day = tryParseDay(value);
      if (day === undefined) {
        errors.push({ field: at, code: 'INVALID_DATE', message: `${JSON.stringify(value)} is not an existing date in YYYY-MM-DD form` });
        return;
      }
      const text = value as string;
      // Only meaningful when the year itself is a number to compare with.
      if (yearIsInteger && yearOfDay(day) !== year) {
        errors.push({ field: at, code: 'WRONG_YEAR', message: `${text} is not in ${year}` });
        return;
      }
      if (seen.has(text)) {
        errors.push({ field: at, code: 'DUPLICATE', message: `${text} appears more than once in ${field}` });
        return;
      }
      seen.set(text, { day, index: i });
    });
    return seen;
  };

  const holidays = checkList('holidays');
  const makeup = checkList('makeupWorkdays');

  if (Array.isArray(input.holidays) && input.holidays.length === 0) {
    // Every year has at least New Year's Day; an empty list would silently turn the year into plain
    // Mon–Fri weeks, which is exactly the fallback the engine exists to refuse.
    errors.push({ field: 'holidays', code: 'NO_HOLIDAYS', message: 'holidays is empty; a year always has statutory holidays' });
  }

  for (const [date, { day, index }] of makeup) {
    const at = `makeupWorkdays[${index}]`;
    if (holidays.has(date)) {
      errors.push({ field: at, code: 'CONFLICT', message: `${date} is listed both as a holiday and as a make-up working day` });
    }
    // 调休 only ever moves work onto a weekend; a make-up weekday would be a no-op or a typo.
    if (!isWeekendDay(day)) {
      errors.push({ field: at, code: 'NOT_WEEKEND', message: `${date} is not a Saturday or Sunday; make-up working days are weekend days` });
    }
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    schedule: {
      year,
      // ISO dates sort chronologically as strings.
      holidays: [...holidays.keys()].sort(),
      makeupWorkdays: [...makeup.keys()].sort(),
      source: 'loaded',
    },
  };
}
