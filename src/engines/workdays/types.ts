// Shapes shared by the working-days engine. Dates are plain Beijing calendar dates 'YYYY-MM-DD'.

/**
 * One year's 调休 arrangement as announced by the State Council.
 *
 * `holidays` lists the announced rest days of the holiday periods. The built-in data (npm
 * `chinese-days`) gives the whole period as announced, so weekend days inside a period are listed
 * too (e.g. 2025-10-04/05 inside 2025-10-01..08); a Saturday or Sunday at the edge of a period is
 * sometimes left out (2016-12-31 before 2017 New Year's Day). Weekend entries are harmless: a
 * weekend day is a rest day anyway unless it is in `makeupWorkdays`. A loaded schedule may list
 * either the whole periods or only their Mon–Fri days; both give the same result.
 *
 * `makeupWorkdays` lists the 调休 Saturdays/Sundays that are working days.
 *
 * Dates are grouped by the calendar year they fall in, not by the announcement they belong to:
 * 2018-12-29 (a make-up Saturday for 2019 New Year's Day) is in the 2018 schedule.
 */
export interface YearSchedule {
  year: number;
  holidays: string[];
  makeupWorkdays: string[];
  source: 'builtin' | 'loaded';
}

/** What an administrator submits to load (or correct) a year. */
export interface ScheduleInput {
  year: number;
  holidays: string[];
  makeupWorkdays: string[];
}

export type ScheduleErrorCode = 'INVALID_YEAR' | 'INVALID_TYPE' | 'INVALID_DATE' | 'WRONG_YEAR' | 'DUPLICATE' | 'CONFLICT' | 'NOT_WEEKEND' | 'NO_HOLIDAYS';

/** `field` is 'year', 'holidays', 'makeupWorkdays' or an element such as 'holidays[2]'. */
export interface ScheduleError {
  field: string;
  code: ScheduleErrorCode;
  message: string;
}

export type ScheduleValidation = { ok: true; schedule: YearSchedule } | { ok: false; errors: ScheduleError[] };
