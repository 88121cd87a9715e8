// DG-8 / AST-2: the lateness rule around the 15-working-day deadline. The working-day count itself is the
// workdays engine's (tested there and, through the API, in test/api/catalog-systems.test.ts).
import { describe, expect, it } from 'vitest';
import { WorkdayCalendar } from '../../engines/workdays/index.ts';
import { beijingToday, DG8_FILING_WORKDAYS, isFutureDate, isLate } from './deadlines.ts';

describe('DG-8 deadline (AST-2)', () => {
  it('is 15 working days: event 2025-09-26 → 2025-10-23 across National Day 10-01..08 with make-up days 09-28 and 10-11', () => {
    expect(DG8_FILING_WORKDAYS).toBe(15);
    // By hand: 09-28 (make-up Sun) 1, 09-29 2, 09-30 3, [10-01..10-08 off], 10-09 4, 10-10 5, 10-11 (make-up Sat) 6,
    // 10-13..10-17 7–11, 10-20..10-23 12–15. Counting plain Mon–Fri would give 10-17.
    expect(WorkdayCalendar.withBuiltin().addWorkdays('2025-09-26', DG8_FILING_WORKDAYS)).toBe('2025-10-23');
  });
});

describe('isLate (AST-2): the Beijing calendar day of filing against the deadline', () => {
  it('a filing during the deadline day is on time up to 23:59:59.999 Beijing time; from 00:00 next day it is late', () => {
    expect(isLate(new Date('2025-10-23T00:00:00+08:00'), '2025-10-23')).toBe(false);
    expect(isLate(new Date('2025-10-23T15:59:59.999Z'), '2025-10-23')).toBe(false); // 23:59:59.999 in Beijing
    expect(isLate(new Date('2025-10-23T16:00:00Z'), '2025-10-23')).toBe(true); // 10-24 00:00 in Beijing
    expect(isLate(new Date('2025-10-24T09:00:00+08:00'), '2025-10-23')).toBe(true);
  });

  it('uses Beijing time, not UTC: 2025-10-23 20:00 UTC is already 10-24 in Beijing (late); 10-22 20:00 UTC is 10-23 (on time)', () => {
    expect(isLate(new Date('2025-10-23T20:00:00Z'), '2025-10-23')).toBe(true);
    expect(isLate(new Date('2025-10-22T20:00:00Z'), '2025-10-23')).toBe(false);
  });

  it('a filing well before the deadline is on time; across a month and year boundary too', () => {
    expect(isLate(new Date('2025-09-26T10:00:00+08:00'), '2025-10-23')).toBe(false);
    expect(isLate(new Date('2026-01-01T00:00:00+08:00'), '2025-12-31')).toBe(true);
    expect(isLate(new Date('2025-12-31T23:59:00+08:00'), '2025-12-31')).toBe(false);
  });
});

describe('event dates', () => {
  it('today in Beijing: 2025-09-30 16:00 UTC is already 10-01', () => {
    expect(beijingToday(new Date('2025-09-30T15:59:59Z'))).toBe('2025-09-30');
    expect(beijingToday(new Date('2025-09-30T16:00:00Z'))).toBe('2025-10-01');
  });

  it('an event after today is in the future; today and earlier are not', () => {
    expect(isFutureDate('2025-10-02', '2025-10-01')).toBe(true);
    expect(isFutureDate('2026-01-01', '2025-12-31')).toBe(true);
    expect(isFutureDate('2025-10-01', '2025-10-01')).toBe(false);
    expect(isFutureDate('2024-12-31', '2025-01-01')).toBe(false);
  });
});
