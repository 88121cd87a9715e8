// Public API of the working-days engine (pure; callers supply loaded schedules and dates).
export type { ScheduleError, ScheduleErrorCode, ScheduleInput, ScheduleValidation, YearSchedule } from './types.ts';
export { builtinSchedule, builtinYears } from './builtin.ts';
export { MAX_SCHEDULE_YEAR, MIN_SCHEDULE_YEAR, validateSchedule } from './validate.ts';
export {
  beijingDate,
  InvalidDateError,
  InvalidScheduleError,
  WorkdayCalendar,
  WorkdaysYearMissingError,
} from './calendar.ts';
