// Working days (domain.md §8) for every deadline: the built-in State Council schedules from chinese-days
// plus years an administrator loads through the API. A year with neither is refused, never guessed.

import { sql } from 'kysely';
import { AppError, badRequest, forbidden } from '../../app/errors.ts';
import type { Db } from '../../db/database.ts';
import {
  builtinSchedule,
  builtinYears,
  InvalidDateError,
  type ScheduleError,
  validateSchedule,
  WorkdayCalendar,
  WorkdaysYearMissingError,
  type YearSchedule,
} from '../../engines/workdays/index.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { assertCanAnywhere, reachFilter } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import type { ScheduleLoad, WorkdaySchedule } from './workdays.schemas.ts';

/** The engine's messages are English; the zh-CN one names the same field and value. */
function scheduleErrorZh(e: ScheduleError, year: number, body: ScheduleLoad): string {
  const m = /^(holidays|makeupWorkdays)\[(\d+)\]$/.exec(e.field);
  const value = m ? JSON.stringify(body[m[1] as keyof ScheduleLoad][Number(m[2])]) : '';
  const list = (f: string) => (f.startsWith('holidays') ? '节假日' : '调休上班日');
  switch (e.code) {
    case 'INVALID_YEAR':
      return `year 年份应为 2000–2100 之间的整数`;
    case 'INVALID_TYPE':
      return `${e.field} 应为 YYYY-MM-DD 日期列表`;
    case 'INVALID_DATE':
      return `${e.field} ${value} 不是有效的 YYYY-MM-DD 日期`;
    case 'WRONG_YEAR':
      return `${e.field} ${value} 不在 ${year} 年内`;
    case 'DUPLICATE':
      return `${e.field} ${value} 在${list(e.field)}中重复出现`;
    case 'CONFLICT':
      return `${e.field} ${value} 同时被列为节假日和调休上班日`;
    case 'NOT_WEEKEND':
      return `${e.field} ${value} 不是周六或周日；调休上班日只能是周末`;
    case 'NO_HOLIDAYS':
      return `holidays 为空；每年都有法定节假日`;
    default:
      return `${e.field} ${e.message}`;
  }
}

export class WorkdaysService {
  constructor(private readonly db: Db) {}

  private async loaded(): Promise<(YearSchedule & { loadedAt: Date })[]> {
    // node-postgres parses date[] into JS Date objects (the plain-string parser in database.ts covers
    // only scalar `date`), which the engine rejects as invalid dates. Read the arrays as ISO text.
    const isoDates = (column: 'holidays' | 'makeup_workdays') =>
      sql<string[]>`array(select to_char(d, 'YYYY-MM-DD') from unnest(${sql.ref(column)}) as d order by d)`;
    const rows = await this.db
      .selectFrom('workday_schedules')
      .select(['year', 'loaded_at', isoDates('holidays').as('holidays'), isoDates('makeup_workdays').as('makeup_workdays')])
      .orderBy('year')
      .execute();
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
    // One schedule serves the whole platform: only a city-level administrator (whose reach includes a
    // root of the institution tree) may replace it, not a district authority.
    const reach = reachFilter(actor, 'workdays.manage');
    if (reach !== null) {
      const roots = await this.db.selectFrom('institutions').select('id').where('parent_id', 'is', null).execute();
      if (!roots.some((r) => reach.includes(r.id))) {
        throw forbidden(
          '节假日安排全平台通用，只能由市级主管部门管理员导入',
          'The holiday schedule serves the whole platform; only a city-level administrator may load it',
        );
      }
    }
    const v = validateSchedule({ year, holidays: body.holidays, makeupWorkdays: body.makeupWorkdays });
    if (!v.ok) {
      const first = v.errors[0] as ScheduleError;
      throw badRequest('INVALID_SCHEDULE', `节假日安排有误：${scheduleErrorZh(first, year, body)}`, `Invalid schedule: ${first.field}: ${first.message}`, {
        field: first.field,
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
