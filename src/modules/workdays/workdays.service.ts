// Working days (domain.md §8) for every deadline: the built-in State Council schedules from chinese-days
// plus years an administrator loads through the API. A year with neither is refused, never guessed.

import { sql } from 'kysely';
import { AppError, badRequest, forbidden } from '../../app/errors.ts';
import type { Db } from '../../db/database.ts';
import {
  beijingDate,
  builtinSchedule,
  builtinYears,
  type CoverageLevel,
  InvalidDateError,
  type ScheduleError,
  scheduleCoverage,
  validateSchedule,
  WorkdayCalendar,
  WorkdaysYearMissingError,
  type YearSchedule,
} from '../../engines/workdays/index.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { assertCanAnywhere, reachFilter } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import type { ScheduleCoverage, ScheduleLoad, WorkdaySchedule } from './workdays.schemas.ts';

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

/** The coverage reminder's text: what to do and, for warning/error, what fails until it is done. */
function coverageMessage(level: CoverageLevel, year: number, bothCovered: boolean): { zh: string; en: string } {
  const next = year + 1;
  switch (level) {
    case 'error':
      return {
        zh: `本年（${year} 年）的节假日安排缺失：导入前，所有落在 ${year} 年及以后的工作日期限都无法计算，相关办理将被拒绝。请立即在“工作日历”中导入 ${year} 年安排（${next} 年如已公布，一并导入）。`,
        en: `The holiday schedule for the current year ${year} is missing: until it is loaded, every working-day deadline in ${year} or later is refused. Load the ${year} schedule in 工作日历 (Working-day calendar) now, and ${next} too if it has been published.`,
      };
    case 'warning':
      return {
        zh: `${next} 年的节假日安排尚未导入：导入前，所有延伸到 ${next} 年的工作日期限都将被拒绝（12 月中旬起，10 个工作日以上的期限都会跨年）。国务院办公厅公布后，请立即在“工作日历”中导入 ${next} 年安排。`,
        en: `The ${next} holiday schedule has not been loaded: until it is, every working-day deadline reaching into ${next} is refused (from mid-December, any deadline of 10 or more working days does). Load it in 工作日历 (Working-day calendar) as soon as the State Council publishes it.`,
      };
    case 'info':
      return {
        zh: `${next} 年的节假日安排尚未导入。国务院办公厅通常在 10–11 月公布次年安排，公布后请在“工作日历”中导入；12 月起延伸到 ${next} 年的期限将无法计算。`,
        en: `The ${next} holiday schedule has not been loaded yet. The State Council usually publishes it in October–November; once published, load it in 工作日历 (Working-day calendar). From December, deadlines reaching into ${next} cannot be computed without it.`,
      };
    default:
      return bothCovered
        ? {
            zh: `${year} 年与 ${next} 年的节假日安排均已具备，工作日期限可正常计算。`,
            en: `Holiday schedules for ${year} and ${next} are in place; working-day deadlines are computed normally.`,
          }
        : {
            zh: `${year} 年的节假日安排已具备。${next} 年的安排公布后（通常在 10–11 月），请在“工作日历”中导入。`,
            en: `The ${year} holiday schedule is in place. Once the ${next} schedule is published (usually in October–November), load it in 工作日历 (Working-day calendar).`,
          };
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

  /**
   * Whether this year's and next year's schedules are in place, judged on the Beijing date of `now`, with a
   * level that rises as the year change nears (info from 1 Nov, warning from 1 Dec; error when the current
   * year itself is missing). Any signed-in user may read it; administrators with workdays.manage act on it.
   */
  async coverage(now: Date = new Date()): Promise<ScheduleCoverage> {
    const rows = await this.db.selectFrom('workday_schedules').select('year').execute();
    const loaded = new Set(rows.map((r) => r.year));
    const c = scheduleCoverage(beijingDate(now), (y) => (loaded.has(y) ? 'loaded' : builtinSchedule(y) ? 'builtin' : null));
    return { ...c, message: coverageMessage(c.level, c.current.year, c.current.covered && c.next.covered) };
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
