import { Type } from 'typebox';
import { IsoDate } from '../../app/schema-helpers.ts';
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import { AddQuery, BetweenQuery, DateQuery, ScheduleCoverage, ScheduleLoad, WorkdaySchedule, YearParams } from './workdays.schemas.ts';

export function workdaysRoutes(app: App, s: Services) {
  const tags = ['workdays'];
  app.get(
    '/api/workdays/check',
    { schema: { tags, summary: '是否工作日', querystring: DateQuery, response: { 200: Type.Object({ date: IsoDate, workday: Type.Boolean() }) } } },
    async (req) => s.workdays.isWorkday(req.query.date),
  );
  app.get(
    '/api/workdays/add',
    {
      schema: {
        tags,
        summary: 'N 个工作日后的日期（从次日起算）',
        querystring: AddQuery,
        response: { 200: Type.Object({ date: IsoDate, days: Type.Integer(), result: IsoDate }) },
      },
    },
    async (req) => s.workdays.addWorkdays(req.query.date, req.query.days),
  );
  app.get(
    '/api/workdays/between',
    {
      schema: {
        tags,
        summary: '两日期间的工作日数',
        querystring: BetweenQuery,
        response: { 200: Type.Object({ from: IsoDate, to: IsoDate, workdays: Type.Integer() }) },
      },
    },
    async (req) => s.workdays.between(req.query.from, req.query.to),
  );
  app.get('/api/workdays/schedules', { schema: { tags, summary: '节假日安排', response: { 200: Type.Array(WorkdaySchedule) } } }, async (req) => {
    actorOf(req);
    return s.workdays.schedules();
  });
  // Whether this year's and next year's schedules are in place, on today's Beijing date (real time).
  app.get('/api/workdays/coverage', { schema: { tags, summary: '本年与次年节假日安排是否齐备', response: { 200: ScheduleCoverage } } }, async (req) => {
    actorOf(req);
    return s.workdays.coverage();
  });
  app.put(
    '/api/workdays/schedules/:year',
    { schema: { tags, summary: '导入某年节假日安排', params: YearParams, body: ScheduleLoad, response: { 200: WorkdaySchedule } } },
    async (req) => s.workdays.loadSchedule(actorOf(req), req.params.year, req.body),
  );
}
