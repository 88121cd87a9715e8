// Year schedules derived from the tables shipped in npm `chinese-days`.
//
// We read its data tables (dist/chinese-days.json: `holidays` and `workdays`, keyed by
// 'YYYY-MM-DD') instead of asking its isWorkday() day by day: isWorkday() answers "Mon–Fri" for any
// year it has no data for, and from outside that fallback cannot be told apart from real data.
// builtin.test.ts checks that these tables agree with the library's own isWorkday() for every day
// it covers, so a package update that drifts from the JSON would fail loudly.
import table from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import type { YearSchedule } from './types.ts';

interface ChineseDaysTable {
  /** date → "English name,中文名,statutory days", the rest days of each announced period */
  holidays: Record<string, string>;
  /** date → same label, the 调休 weekend days that are working days */
  workdays: Record<string, string>;
}

// Spring Festival (Jan/Feb) and National Day (Oct) are in every year's announcement and never spill
// into a neighbouring calendar year, unlike New Year's Day (2018-12-30 belongs to the 2019
// announcement). A year counts as covered only if both appear, so a stray cross-year entry can
// never make an unannounced year look covered.
const ANCHOR_LABELS = ['春节', '国庆'];

let cache: Map<number, YearSchedule> | undefined;

function load(): Map<number, YearSchedule> {
  if (cache) return cache;
  const data: ChineseDaysTable = table;
  const byYear = new Map<number, { holidays: string[]; makeupWorkdays: string[]; labels: Set<string> }>();
  const entry = (date: string) => {
    const year = Number(date.slice(0, 4));
    let e = byYear.get(year);
    if (!e) {
      e = { holidays: [], makeupWorkdays: [], labels: new Set() };
      byYear.set(year, e);
    }
    return e;
  };
  for (const [date, label] of Object.entries(data.holidays)) {
    const e = entry(date);
    e.holidays.push(date);
    e.labels.add(label);
  }
  for (const date of Object.keys(data.workdays)) entry(date).makeupWorkdays.push(date);

  cache = new Map();
  for (const [year, e] of [...byYear].sort((a, b) => a[0] - b[0])) {
    const labels = [...e.labels].join('|');
    if (!ANCHOR_LABELS.every((l) => labels.includes(l))) continue;
    cache.set(
      year,
      Object.freeze({
        year,
        // ISO dates sort chronologically as strings.
        holidays: Object.freeze(e.holidays.sort()) as string[],
        makeupWorkdays: Object.freeze(e.makeupWorkdays.sort()) as string[],
        source: 'builtin' as const,
      }),
    );
  }
  return cache;
}

/** The built-in schedule for `year`, or undefined if chinese-days has no announcement for it. */
export function builtinSchedule(year: number): YearSchedule | undefined {
  return load().get(year);
}

/** Years with a built-in schedule, ascending (2004–2026 for chinese-days 1.5.7). */
export function builtinYears(): number[] {
  return [...load().keys()];
}
