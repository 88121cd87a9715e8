// Deadline computation (DG-8 style "15 working days after the event") over every day of 2025: our
// engine against chinese-days' findWorkday, after checking both give the same dates.
import chineseDays from 'chinese-days';
import { WorkdayCalendar } from '../src/engines/workdays/index.ts';
import type { BenchResult } from './run.ts';

function timeOps(fn: () => void, minMs = 1500): number {
  fn(); // warm-up
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    fn();
    ops++;
    elapsed = performance.now() - start;
  }
  return (ops * 1000) / elapsed;
}

export function workdaysBench(): BenchResult {
  const cal = WorkdayCalendar.withBuiltin();
  const dates: string[] = [];
  for (let d = new Date(Date.UTC(2025, 0, 1)); d.getUTCFullYear() === 2025; d.setUTCDate(d.getUTCDate() + 1)) {
    dates.push(d.toISOString().slice(0, 10));
  }
  // Same answers first: a benchmark of a wrong result is worthless. (chinese-days parses dates in the
  // host's local time zone; on hosts east of UTC its answers match ours.)
  let mismatches = 0;
  for (const date of dates) if (cal.addWorkdays(date, 15) !== chineseDays.findWorkday(15, date)) mismatches++;
  const days = dates.length;
  const ours =
    timeOps(() => {
      for (const date of dates) cal.addWorkdays(date, 15);
    }) * days;
  const anchor =
    timeOps(() => {
      for (const date of dates) chineseDays.findWorkday(15, date);
    }) * days;
  return {
    name: 'workdays-deadline',
    description: 'addWorkdays(date, 15) for each day of 2025',
    ours: { label: 'shuan WorkdayCalendar.addWorkdays', opsPerSecond: ours },
    anchor: { label: 'chinese-days findWorkday', opsPerSecond: anchor },
    ratio: ours / anchor,
    checked:
      mismatches === 0
        ? `same result for all ${days} dates`
        : `${mismatches} of ${days} dates differ (time zone ${Intl.DateTimeFormat().resolvedOptions().timeZone})`,
    node: process.version,
    at: new Date().toISOString(),
  };
}
