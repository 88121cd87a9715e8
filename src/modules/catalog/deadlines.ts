// DG-8 (AST-2) filing deadlines, as pure functions. 东莞 第八条: an institution applies to change or cancel a
// system's registration "自变化之日起15个工作日内". The working-day count itself belongs to the workdays service
// (State Council schedules, refusing a year it has no data for); this file holds the rule around it.
import { beijingDate } from '../../engines/workdays/index.ts';

/** DG-8: working days from the day of the change (the count starts the next day, 民法典 art. 201). */
export const DG8_FILING_WORKDAYS = 15;

/**
 * A filing is late when the Beijing calendar day it was filed on is after the deadline: the whole deadline
 * day counts (民法典 art. 203: a period ends at 24:00 of its last day), in the time zone the rule is kept in,
 * whatever the server's.
 */
export function isLate(filedAt: Date, deadline: string): boolean {
  return beijingDate(filedAt) > deadline;
}

/** Today's Beijing calendar date ('YYYY-MM-DD'); ISO dates compare correctly as strings. */
export function beijingToday(now: Date = new Date()): string {
  return beijingDate(now);
}

/** A change cannot be filed before it happened: an event date after today (Beijing) is refused. */
export function isFutureDate(date: string, today: string): boolean {
  return date > today;
}
