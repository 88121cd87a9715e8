import { type Static, Type } from 'typebox';
import { IsoDate, IsoDateTime, Nullable, StrEnum } from '../../app/schema-helpers.ts';

export const WorkdaySchedule = Type.Object({
  year: Type.Integer(),
  source: StrEnum(['builtin', 'loaded'] as const),
  holidays: Type.Array(IsoDate),
  makeupWorkdays: Type.Array(IsoDate),
  loadedAt: Nullable(IsoDateTime),
});
export type WorkdaySchedule = Static<typeof WorkdaySchedule>;

export const ScheduleLoad = Type.Object(
  {
    holidays: Type.Array(Type.String({ maxLength: 10 }), { maxItems: 120 }),
    makeupWorkdays: Type.Array(Type.String({ maxLength: 10 }), { maxItems: 30 }),
  },
  { additionalProperties: false },
);
export type ScheduleLoad = Static<typeof ScheduleLoad>;

export const YearParams = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }, { additionalProperties: false });
export const DateQuery = Type.Object({ date: IsoDate }, { additionalProperties: false });
export const AddQuery = Type.Object({ date: IsoDate, days: Type.Integer({ minimum: 0, maximum: 3660 }) }, { additionalProperties: false });
export const BetweenQuery = Type.Object({ from: IsoDate, to: IsoDate }, { additionalProperties: false });

// Whether this year's and next year's holiday schedules are in place (GET /api/workdays/coverage).
const YearCoverage = Type.Object({
  year: Type.Integer(),
  covered: Type.Boolean(),
  source: Nullable(StrEnum(['builtin', 'loaded'] as const)),
});
export const ScheduleCoverage = Type.Object({
  /** The Beijing calendar date the coverage was judged on. */
  today: IsoDate,
  current: YearCoverage,
  next: YearCoverage,
  level: StrEnum(['ok', 'info', 'warning', 'error'] as const),
  /** What to do (and, for warning/error, what fails meanwhile), in both UI languages. */
  message: Type.Object({ zh: Type.String(), en: Type.String() }),
});
export type ScheduleCoverage = Static<typeof ScheduleCoverage>;
