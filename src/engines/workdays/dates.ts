// Calendar-date arithmetic on integer day numbers (days since 1970-01-01, UTC based). Working with
// whole days in UTC keeps the host's time zone and DST out of every result.

const MS_PER_DAY = 86_400_000;
// Beijing has used UTC+8 without daylight saving since 1991, so a fixed offset is exact.
const BEIJING_OFFSET_MS = 8 * 3_600_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A string that is not a real 'YYYY-MM-DD' calendar date (or an invalid Date instant). */
export class InvalidDateError extends Error {
  readonly value: unknown;
  constructor(value: unknown) {
    super(`Invalid calendar date ${JSON.stringify(String(value))}: expected an existing date as YYYY-MM-DD`);
    this.name = 'InvalidDateError';
    this.value = value;
  }
}

/** Day number of an ISO date, or undefined if the text is not an existing date in strict YYYY-MM-DD. */
export function tryParseDay(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  // setUTCFullYear (unlike Date.UTC) does not map years 0–99 to 1900–1999.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  // Date rolls 2025-02-30 over to March; a round trip that changes the fields means "no such date".
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return d.getTime() / MS_PER_DAY;
}

export function parseDay(text: string): number {
  const n = tryParseDay(text);
  if (n === undefined) throw new InvalidDateError(text);
  return n;
}

export function formatDay(dayNumber: number): string {
  const d = new Date(dayNumber * MS_PER_DAY);
  const y = String(d.getUTCFullYear()).padStart(4, '0');
  const m = String(d.getUTCMonth() + 1).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}

export function yearOfDay(dayNumber: number): number {
  return new Date(dayNumber * MS_PER_DAY).getUTCFullYear();
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOfDay(dayNumber: number): number {
  return new Date(dayNumber * MS_PER_DAY).getUTCDay();
}

export function isWeekendDay(dayNumber: number): boolean {
  const w = weekdayOfDay(dayNumber);
  return w === 0 || w === 6;
}

/** The Asia/Shanghai calendar date of an instant, e.g. 2025-09-30T16:00:00Z → '2025-10-01'. */
export function beijingDate(instant: Date): string {
  const ms = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new InvalidDateError(instant);
  return formatDay(Math.floor((ms + BEIJING_OFFSET_MS) / MS_PER_DAY));
}
