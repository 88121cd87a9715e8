// Schedule coverage: does the platform hold a holiday schedule for this year and the next? Every deadline
// of 10+ working days set from mid-December reaches into the next year and is refused while that year has
// no schedule (domain.md §8), so administrators are warned ahead of the year change. The State Council
// usually announces the next year's arrangement in October–November. Pure: the caller supplies today's
// Beijing date and where each year's schedule comes from.
import { parseDay } from './dates.ts';

export type CoverageSource = 'builtin' | 'loaded' | null;
/** ok: both years covered (or too early to worry); info: from 1 Nov, next year missing; warning: from
 * 1 Dec, next year missing; error: the current year itself is missing and today's deadlines fail. */
export type CoverageLevel = 'ok' | 'info' | 'warning' | 'error';

export interface YearCoverage {
  year: number;
  covered: boolean;
  source: CoverageSource;
}

export interface ScheduleCoverage {
  /** The Beijing calendar date the coverage was judged on. */
  today: string;
  current: YearCoverage;
  next: YearCoverage;
  level: CoverageLevel;
}

/** From this month (1-based) on, a missing next year is reported as info, then as a warning. */
export const COVERAGE_INFO_MONTH = 11;
export const COVERAGE_WARNING_MONTH = 12;

/**
 * Coverage of `today`'s year and the next, judged on the Beijing date `today` ('YYYY-MM-DD').
 * `sourceOf(year)` says where that year's schedule comes from, or null when there is none.
 */
export function scheduleCoverage(today: string, sourceOf: (year: number) => CoverageSource): ScheduleCoverage {
  parseDay(today); // throws InvalidDateError for anything but an existing YYYY-MM-DD date
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const of = (y: number): YearCoverage => {
    const source = sourceOf(y);
    return { year: y, covered: source !== null, source };
  };
  const current = of(year);
  const next = of(year + 1);
  let level: CoverageLevel = 'ok';
  if (!current.covered) level = 'error';
  else if (!next.covered && month >= COVERAGE_WARNING_MONTH) level = 'warning';
  else if (!next.covered && month >= COVERAGE_INFO_MONTH) level = 'info';
  return { today, current, next, level };
}
