// Public API of the working-days engine (pure; callers supply loaded schedules and dates).

export { builtinSchedule, builtinYears } from './builtin.ts';
export {
  beijingDate,
  InvalidDateError,
  InvalidScheduleError,
  WorkdayCalendar,
  WorkdaysYearMissingError,
} from './calendar.ts';
export {
  COVERAGE_INFO_MONTH,
  COVERAGE_WARNING_MONTH,
  type CoverageLevel,
  type CoverageSource,
  type ScheduleCoverage,
  scheduleCoverage,
  type YearCoverage,
} from './coverage.ts';
export type { ScheduleError, ScheduleErrorCode, ScheduleInput, ScheduleValidation, YearSchedule } from './types.ts';
export { MAX_SCHEDULE_YEAR, MIN_SCHEDULE_YEAR, validateSchedule } from './validate.ts';
