// Working days (domain.md §8) for every deadline: the built-in State Council schedules from chinese-days
// plus years an administrator loads through the API. A year with neither is refused, never guessed.
import { AppError, badRequest } from '../../app/errors.ts';
import type { Db } from '../../db/database.ts';
import {
  builtinSchedule,
  builtinYears,
  InvalidDateError,
  validateSchedule,
  WorkdayCalendar,
  WorkdaysYearMissingError,
  type YearSchedule,
} from '../../engines/workdays/index.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { assertCanAnywhere } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import type { ScheduleLoad, WorkdaySchedule } from './workdays.schemas.ts';

export class WorkdaysService {
  constructor(private readonly db: Db) {}

  private async loaded(): Promise<(YearSchedule & { loadedAt: Date })[]> {
    const rows = await this.db.selectFrom('workday_schedules').selectAll().orderBy('year').execute();
    return rows.map((r) => ({ year: r.year, holidays: r.holidays, makeupWorkdays: r.makeup_workdays, source: 'loaded' as const, loadedAt: r.loaded_at }));
  }

  /** The calendar with built-in years, overridden by any loaded year. */
  async calendar(): Promise<WorkdayCalendar> {
    return WorkdayCalendar.withBuiltin(await this.loaded());
  }

  /** Runs an engine call and turns its refusals into clear 4xx errors. */
  private async compute<T>(fn: (cal: WorkdayCalendar) => T): Promise<T> {
    const cal = await this.calendar();
    try {
      return fn(cal);
    } catch (err) {
      if (err instanceof WorkdaysYearMissingError) {
        throw new AppError(
          'WORKDAY_SCHEDULE_MISSING',
          422,
          `${err.year} 年的节假日安排尚未导入，无法计算工作日；请管理员在“工作日历”中导入`,
          `No holiday schedule for ${err.year}; an administrator must load it before working days can be counted`,
          { year: err.year },
        );
      }
      if (err instanceof InvalidDateError) throw badRequest('INVALID_DATE', '日期无效', 'Invalid date');
      throw err;
    }
  }

  isWorkday(date: string) {
    return this.compute((c) => ({ date, workday: c.isWorkday(date) }));
  }

  addWorkdays(date: string, days: number) {
    return this.compute((c) => ({ date, days, result: c.addWorkdays(date, days) }));
  }

  between(from: string, to: string) {
    return this.compute((c) => ({ from, to, workdays: c.workdaysBetween(from, to) }));
  }

  async schedules(): Promise<WorkdaySchedule[]> {
    const loaded = await this.loaded();
    const byYear = new Map<number, WorkdaySchedule>();
    for (const y of builtinYears()) {
      const s = builtinSchedule(y);
      if (s) byYear.set(y, { year: y, source: 'builtin', holidays: s.holidays, makeupWorkdays: s.makeupWorkdays, loadedAt: null });
    }
    for (const s of loaded) {
      byYear.set(s.year, { year: s.year, source: 'loaded', holidays: s.holidays, makeupWorkdays: s.makeupWorkdays, loadedAt: s.loadedAt.toISOString() });
    }
    return [...byYear.values()].sort((a, b) => b.year - a.year);
  }

  /** An administrator loads (or replaces) a year's schedule, e.g. when the State Council announces it. */
  async loadSchedule(actor: Actor, year: number, body: ScheduleLoad): Promise<WorkdaySchedule> {
    assertCanAnywhere(actor, 'workdays.manage');
    const v = validateSchedule({ year, holidays: body.holidays, makeupWorkdays: body.makeupWorkdays });
    if (!v.ok) {
      const first = v.errors[0];
      throw badRequest('INVALID_SCHEDULE', `节假日安排有误：${first?.field} ${first?.message}`, `Invalid schedule: ${first?.field} ${first?.message}`, {
        field: first?.field,
        errors: v.errors,
      });
    }
    const s = v.schedule;
    const row = await this.db.transaction().execute(async (trx) => {
      const saved = await trx
        .insertInto('workday_schedules')
        .values({ year, holidays: s.holidays, makeup_workdays: s.makeupWorkdays, loaded_by: actor.userId })
        .onConflict((oc) =>
          oc.column('year').doUpdateSet({ holidays: s.holidays, makeup_workdays: s.makeupWorkdays, loaded_by: actor.userId, loaded_at: new Date() }),
        )
        .returning('loaded_at')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, {
        action: 'settings.workday_schedule.load',
        target: { type: 'workday_schedule', id: String(year) },
        details: { year, holidays: s.holidays.length, makeupWorkdays: s.makeupWorkdays.length },
      });
      return saved;
    });
    return { year, source: 'loaded', holidays: s.holidays, makeupWorkdays: s.makeupWorkdays, loadedAt: row.loaded_at.toISOString() };
  }
}
