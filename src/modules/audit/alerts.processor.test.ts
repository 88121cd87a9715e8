// The alert deadline (SLA in working days) and the action filter, without a database.
import { describe, expect, it } from 'vitest';
import { WorkdayCalendar } from '../../engines/workdays/index.ts';
import { dueDate, endOfBeijingDay } from './alerts.processor.ts';

const cal = WorkdayCalendar.withBuiltin();

describe('dueDate', () => {
  it('counts working days from the Beijing day it was raised, to the end of that day', () => {
    // Raised Tuesday 2025-09-30 (Beijing): National Day 10-01..08 are rest days, so one working day is 10-09.
    const raised = new Date('2025-09-30T09:00:00+08:00');
    expect(dueDate(cal, raised, 1)).toEqual({ dueAt: new Date('2025-10-09T23:59:59.999+08:00'), approximate: false });
    // 10-11 (Saturday) is a 调休 working day: three working days after 09-30 are 10-09, 10-10, 10-11.
    expect(dueDate(cal, raised, 3).dueAt.toISOString()).toBe(endOfBeijingDay('2025-10-11').toISOString());
    // Late evening UTC is already the next Beijing day.
    expect(dueDate(cal, new Date('2025-09-29T17:00:00Z'), 1).dueAt).toEqual(endOfBeijingDay('2025-10-09'));
  });
  it('a year without a schedule: Monday–Friday, flagged as approximate', () => {
    // 2090-01-06 is a Friday: five working days later is Friday 2090-01-13.
    expect(dueDate(cal, new Date('2090-01-06T10:00:00+08:00'), 5)).toEqual({ dueAt: endOfBeijingDay('2090-01-13'), approximate: true });
  });
  it('end of a Beijing day is 15:59:59.999 UTC', () => {
    expect(endOfBeijingDay('2026-12-01').toISOString()).toBe('2026-12-01T15:59:59.999Z');
  });
});
