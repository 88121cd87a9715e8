// Dates and date-times (birth dates, event dates). Accepted: Date objects, YYYY-MM-DD (also / or .),
// YYYYMMDD, YYYY年M月D日, each optionally followed by a time. Generalised values are ISO-style strings
// ('1990-05', '1990'); tokens shift the date by a keyed number of days and keep the input's own format.
import type { KeyedStream } from '../keys.ts';
import { normalise } from '../text.ts';

export const DATE_GRAINS = ['hour', 'day', 'month', 'year'] as const;
export type DateGrain = (typeof DATE_GRAINS)[number];

type Style =
  | { kind: 'object'; time: number }
  | { kind: 'separated'; sep: string; padMonth: boolean; padDay: boolean; tail: string }
  | { kind: 'compact' }
  | { kind: 'chinese'; tail: string };

interface ParsedDate {
  y: number;
  m: number;
  d: number;
  /** Hour of day when a time was given (for datetime generalisation). */
  hour: number | null;
  style: Style;
}

const DAY = 86_400_000;
const SHANGHAI_OFFSET = 8 * 3_600_000;
const SEP = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:([T\s])(.*))?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const CHINESE = /^(\d{4})年(\d{1,2})月(\d{1,2})日\s*(.*)$/;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || y < 1) return false;
  const leap = m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (MONTH_DAYS[m - 1] as number) + (leap ? 1 : 0);
}

function hourOf(time: string | undefined): number | null {
  if (time === undefined || time === '') return null;
  const h = /^(\d{1,2})/.exec(time);
  return h === null || Number(h[1]) > 23 ? null : Number(h[1]);
}

const digit = (s: string, i: number) => s.charCodeAt(i) - 48;
const isD = (s: string, i: number) => {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
};

/** YYYY-MM-DD exactly (the common case), without a regular expression; null when it is not that shape. */
function isoDay(s: string): { y: number; m: number; d: number } | null {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null;
  if (!(isD(s, 0) && isD(s, 1) && isD(s, 2) && isD(s, 3) && isD(s, 5) && isD(s, 6) && isD(s, 8) && isD(s, 9))) return null;
  return {
    y: digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3),
    m: digit(s, 5) * 10 + digit(s, 6),
    d: digit(s, 8) * 10 + digit(s, 9),
  };
}

export function parseDate(v: unknown): ParsedDate | null {
  if (v instanceof Date) {
    const t = v.getTime();
    if (!Number.isFinite(t)) return null;
    // Calendar fields in Asia/Shanghai, where the platform shows time (design.md).
    const local = new Date(t + SHANGHAI_OFFSET);
    return { y: local.getUTCFullYear(), m: local.getUTCMonth() + 1, d: local.getUTCDate(), hour: local.getUTCHours(), style: { kind: 'object', time: t } };
  }
  if (typeof v !== 'string') return null;
  const iso = isoDay(v);
  if (iso !== null)
    return validDate(iso.y, iso.m, iso.d) ? { ...iso, hour: null, style: { kind: 'separated', sep: '-', padMonth: true, padDay: true, tail: '' } } : null;
  const s = normalise(v);
  let m = SEP.exec(s);
  if (m !== null) {
    const [, ys, sep, ms, ds, tsep, time] = m as unknown as [string, string, string, string, string, string | undefined, string | undefined];
    const y = Number(ys);
    const mo = Number(ms);
    const d = Number(ds);
    if (!validDate(y, mo, d)) return null;
    const tail = tsep === undefined ? '' : tsep + (time ?? '');
    return { y, m: mo, d, hour: hourOf(time), style: { kind: 'separated', sep, padMonth: ms.length === 2, padDay: ds.length === 2, tail } };
  }
  m = COMPACT.exec(s);
  if (m !== null) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    return validDate(y, mo, d) ? { y, m: mo, d, hour: null, style: { kind: 'compact' } } : null;
  }
  m = CHINESE.exec(s);
  if (m !== null) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    const time = m[4] as string;
    return validDate(y, mo, d) ? { y, m: mo, d, hour: hourOf(time), style: { kind: 'chinese', tail: time === '' ? '' : ` ${time}` } } : null;
  }
  return null;
}

/** Another calendar date written the way `p` was (the time of day is kept). */
function formatLike(p: ParsedDate, y: number, m: number, d: number): unknown {
  const st = p.style;
  switch (st.kind) {
    case 'object':
      return new Date(st.time + (Date.UTC(y, m - 1, d) - Date.UTC(p.y, p.m - 1, p.d)));
    case 'separated':
      return `${pad(y, 4)}${st.sep}${st.padMonth ? pad(m, 2) : m}${st.sep}${st.padDay ? pad(d, 2) : d}${st.tail}`;
    case 'compact':
      return `${pad(y, 4)}${pad(m, 2)}${pad(d, 2)}`;
    case 'chinese':
      return `${y}年${m}月${d}日${st.tail}`;
  }
}

/** The date cut to `grain`: '1990' (year), '1990-05' (month), '1990-05-12' (day), '1990-05-12 14' (hour). */
export function generaliseDate(v: unknown, grain: DateGrain): string | null {
  if (typeof v === 'string' && grain !== 'hour') {
    const iso = isoDay(v);
    if (iso !== null) {
      if (!validDate(iso.y, iso.m, iso.d)) return null;
      return grain === 'year' ? v.slice(0, 4) : grain === 'month' ? v.slice(0, 7) : v;
    }
  }
  const p = parseDate(v);
  if (p === null) return null;
  if (grain === 'year') return pad(p.y, 4);
  if (grain === 'month') return `${pad(p.y, 4)}-${pad(p.m, 2)}`;
  const day = `${pad(p.y, 4)}-${pad(p.m, 2)}-${pad(p.d, 2)}`;
  if (grain === 'day') return day;
  return p.hour === null ? null : `${day} ${pad(p.hour, 2)}`;
}

/** A canonical text for keyed derivations: 'YYYY-MM-DD'. */
export function canonicalDate(v: unknown): string | null {
  const p = parseDate(v);
  return p === null ? null : `${pad(p.y, 4)}-${pad(p.m, 2)}-${pad(p.d, 2)}`;
}

/** The date moved by a keyed non-zero number of days in [−maxShiftDays, maxShiftDays], in the input's format. */
export function shiftDate(v: unknown, rnd: KeyedStream, maxShiftDays: number): unknown {
  const p = parseDate(v);
  if (p === null) return null;
  let shift = rnd.between(-maxShiftDays, maxShiftDays - 1);
  if (shift >= 0) shift++;
  const dt = new Date(Date.UTC(p.y, p.m - 1, p.d) + shift * DAY);
  return formatLike(p, dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
}
