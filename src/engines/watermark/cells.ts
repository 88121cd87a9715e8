// Normalising cells of delivered or leaked files (CSV, XLSX, JSON, already parsed by the platform) into
// canonical values: exact decimals, clock readings, dates, text. Leakers re-type values (numbers written
// as strings and back, "3.10" ↔ 3.1), reformat dates and trim text; these parsers read all of those.
import type { FieldSpec } from './types.ts';

export const DEFAULT_TZ_OFFSET_MINUTES = 480; // Asia/Shanghai, the platform's display zone

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30); // Excel serial day 0 (with its 1900 leap-year bug folded in)
const MS_PER_DAY = 86_400_000;

/** Headers compare without case, width, spaces, underscores or hyphens (`LXDH`, `lx_dh`, `联系电话 `). */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKC')
    .replace(/^\ufeff/, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
}

// The apostrophe a CSV export puts before cells a spreadsheet would run as a formula (catalog-io escapeFormula).
function unescapeFormula(value: string): string {
  return value.startsWith("'") && /^[=+\-@\t\r]/.test(value.slice(1)) ? value.slice(1) : value;
}

/** The text of a cell as a person would read it, or null for an empty cell. Dates become ISO instants. */
export function cellText(cell: unknown): string | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'string') return cell === '' ? null : unescapeFormula(cell);
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : null;
  if (typeof cell === 'bigint') return cell.toString();
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : cell.toISOString();
  return null;
}

/** NFKC, no leading or trailing space, inner runs of white space as one space: what text means. */
export function canonicalText(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/g, ' ');
}

// ---------------------------------------------------------------------------------------------------------
// Decimals: exact, as BigInt units of 10^-scale (no binary floating point anywhere).

export interface ExactDecimal {
  /** value = units / 10^scale */
  units: bigint;
  /** Digits after the point, trailing zeros removed (0 for whole numbers). */
  scale: number;
}

const DECIMAL_RE = /^([+-])?(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;
const PLAIN_DECIMAL_RE = /^-?\d+(?:\.\d+)?$/;
const GROUPED_RE = /^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/;
const POW10: bigint[] = [];
for (let i = 0n; i <= 40n; i++) POW10.push(10n ** i);
export function pow10(n: number): bigint {
  return POW10[n] ?? 10n ** BigInt(n);
}

function trimZeros(units: bigint, scale: number): ExactDecimal {
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale--;
  }
  return { units, scale };
}

/**
 * An exact decimal from a number, numeric string (full-width digits, thousands separators, a currency sign,
 * exponent form, surrounding space, a CSV formula apostrophe) or bigint; null when the cell is not a number.
 */
export function parseDecimal(cell: unknown): ExactDecimal | null {
  if (typeof cell === 'bigint') return { units: cell, scale: 0 };
  let s: string;
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return null;
    s = String(cell); // shortest round-trip form: 3.0963 stays "3.0963"
  } else if (typeof cell === 'string') {
    s = unescapeFormula(cell);
    if (!PLAIN_DECIMAL_RE.test(s)) {
      s = s
        .normalize('NFKC')
        .trim()
        .replace(/^[¥$]\s*/, '');
      if (GROUPED_RE.test(s)) s = s.replace(/,/g, '');
    }
  } else return null;
  if (s.length > 80) return null;
  const m = DECIMAL_RE.exec(s);
  if (!m) return null;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return null;
  let units = BigInt(int + frac || '0');
  let scale = frac.length;
  const exp = m[4] ? Number(m[4]) : 0;
  if (exp > 0) {
    if (exp >= scale) {
      units *= pow10(exp - scale);
      scale = 0;
    } else scale -= exp;
  } else scale -= exp;
  if (m[1] === '-') units = -units;
  return trimZeros(units, scale);
}

/** The units of `d` at scale `s` (`d` must have no more digits than `s`). */
export function unitsAt(d: ExactDecimal, s: number): bigint {
  return d.units * pow10(s - d.scale);
}

/** Rounds to scale `s`, half away from zero (any rounding rule gives the same when no tie is possible). */
export function roundUnits(d: ExactDecimal, s: number): bigint {
  if (d.scale <= s) return unitsAt(d, s);
  const div = pow10(d.scale - s);
  const neg = d.units < 0n;
  const abs = neg ? -d.units : d.units;
  let q = abs / div;
  if ((abs % div) * 2n >= div) q += 1n;
  return neg ? -q : q;
}

/** `-3.10` style text of units at scale `s`. */
export function formatUnits(units: bigint, s: number): string {
  const neg = units < 0n;
  let digits = (neg ? -units : units).toString();
  if (s > 0) {
    digits = digits.padStart(s + 1, '0');
    digits = `${digits.slice(0, -s)}.${digits.slice(-s)}`;
  }
  return neg ? `-${digits}` : digits;
}

// ---------------------------------------------------------------------------------------------------------
// Clock readings of datetimes and times: minute of the hour, seconds and milliseconds in the platform's zone.

export interface ClockReading {
  minuteOfHour: number;
  second: number;
  millisecond: number;
}

// Time of day inside any date-time text: 10:30, 10:30:17, 10:30:17.250, 10时30分17秒, 2:30:17 PM.
const TIME_RE = /(\d{1,2})[:时](\d{1,2})(?:分)?(?:[:](\d{1,2})(?:[.,](\d{1,9}))?秒?|(\d{1,2})秒)?/;
// A number written as text: an Excel serial day (with a fraction) or an epoch, not a compact YYYYMMDD date.
const SERIAL_RE = /^\d{1,6}\.\d+$|^\d{9,13}(?:\.\d+)?$|^\d{5}$/;
const ISO_ZONED_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

function readingOfInstant(ms: number, tzOffsetMinutes: number): ClockReading {
  const local = ms + tzOffsetMinutes * 60_000;
  return {
    minuteOfHour: mod(Math.floor(local / 60_000), 60),
    second: mod(Math.floor(local / 1000), 60),
    millisecond: mod(local, 1000),
  };
}

/** Milliseconds since the Unix epoch for a number cell: epoch ms, epoch seconds, or an Excel serial day. */
function instantOfNumber(n: number): number {
  if (Math.abs(n) >= 1e11) return n;
  if (Math.abs(n) >= 1e9) return n * 1000;
  return EXCEL_EPOCH_MS + Math.round(n * MS_PER_DAY);
}

/**
 * Minute of the hour, seconds and milliseconds of a datetime or time cell. Instants (Date objects, ISO
 * text with Z or an offset, epoch numbers) are read in the platform's zone; text without a zone and Excel
 * serial days are wall-clock readings as written. Null when the cell has no time of day.
 */
export function parseClock(cell: unknown, tzOffsetMinutes = DEFAULT_TZ_OFFSET_MINUTES): ClockReading | null {
  if (cell instanceof Date) {
    const t = cell.getTime();
    return Number.isNaN(t) ? null : readingOfInstant(t, tzOffsetMinutes);
  }
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return null;
    const t = instantOfNumber(cell);
    // Excel serials are wall-clock already; epoch numbers are instants.
    return readingOfInstant(t, Math.abs(cell) >= 1e9 ? tzOffsetMinutes : 0);
  }
  if (typeof cell !== 'string') return null;
  const s = cell.normalize('NFKC').trim();
  if (SERIAL_RE.test(s)) return parseClock(Number(s), tzOffsetMinutes);
  if (ISO_ZONED_RE.test(s)) {
    const t = Date.parse(s);
    if (!Number.isNaN(t)) return readingOfInstant(t, tzOffsetMinutes);
  }
  const m = TIME_RE.exec(s);
  if (!m) return null;
  const minute = Number(m[2]);
  const second = Number(m[3] ?? m[5] ?? 0);
  if (minute > 59 || second > 59) return null;
  const fraction = m[4] ? Number(`0.${m[4]}`) : 0;
  return { minuteOfHour: minute, second, millisecond: Math.round(fraction * 1000) };
}

/** Where the seconds of a clock text are (to rewrite them), or where they would go. */
export function locateSeconds(text: string): { start: number; end: number; hasSeconds: boolean } | null {
  const m = /(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (!m) return null;
  const minutesEnd = m.index + m[1]!.length + 1 + m[2]!.length;
  if (m[3] !== undefined) return { start: minutesEnd + 1, end: minutesEnd + 3, hasSeconds: true };
  return { start: minutesEnd, end: minutesEnd, hasSeconds: false };
}

// ---------------------------------------------------------------------------------------------------------
// Dates and the canonical value of any cell (what a legitimate consumer uses: marks removed).

const DATE_RE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?/;
const COMPACT_DATE_RE = /^(\d{4})(\d{2})(\d{2})$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function isoWallClock(ms: number, tzOffsetMinutes: number): string {
  return new Date(ms + tzOffsetMinutes * 60_000).toISOString().slice(0, 23);
}

/** `YYYY-MM-DDTHH:MM:SS.mmm` wall-clock text of a datetime cell in the platform's zone, or null. */
export function parseDateTime(cell: unknown, tzOffsetMinutes = DEFAULT_TZ_OFFSET_MINUTES): string | null {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : isoWallClock(cell.getTime(), tzOffsetMinutes);
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return null;
    return isoWallClock(instantOfNumber(cell), Math.abs(cell) >= 1e9 ? tzOffsetMinutes : 0);
  }
  if (typeof cell !== 'string') return null;
  const s = cell.normalize('NFKC').trim();
  if (SERIAL_RE.test(s)) return parseDateTime(Number(s), tzOffsetMinutes);
  if (ISO_ZONED_RE.test(s)) {
    const t = Date.parse(s);
    return Number.isNaN(t) ? null : isoWallClock(t, tzOffsetMinutes);
  }
  const d = DATE_RE.exec(s) ?? COMPACT_DATE_RE.exec(s);
  if (!d) return null;
  const date = `${d[1]}-${pad(Number(d[2]))}-${pad(Number(d[3]))}`;
  const rest = s.slice(d[0].length);
  const t = TIME_RE.exec(rest);
  if (!t) return `${date}T00:00:00.000`;
  let hour = Number(t[1]);
  if (/pm|下午|晚上/i.test(rest) && hour < 12) hour += 12;
  if (/am|上午|凌晨/i.test(rest) && hour === 12) hour = 0;
  const ms = t[4] ? Math.round(Number(`0.${t[4]}`) * 1000) : 0;
  return `${date}T${pad(hour)}:${pad(Number(t[2]))}:${pad(Number(t[3] ?? t[5] ?? 0))}.${pad(ms, 3)}`;
}

/** `YYYY-MM-DD` of a date cell (a Date object or zoned text is read in the platform's zone), or null. */
export function parseDate(cell: unknown, tzOffsetMinutes = DEFAULT_TZ_OFFSET_MINUTES): string | null {
  return parseDateTime(cell, tzOffsetMinutes)?.slice(0, 10) ?? null;
}

const TRUE_WORDS = new Set(['true', 't', '1', 'y', 'yes', '是', '真', '对']);
const FALSE_WORDS = new Set(['false', 'f', '0', 'n', 'no', '否', '假', '错']);

/**
 * The value a legitimate consumer uses, as canonical text: decimals rounded to their declared scale,
 * integers, booleans, dates, datetimes and times in the platform's zone at their declared precision, text
 * under NFKC with trimmed and collapsed white space. Marks never change this value (docs/watermark.md).
 */
export function canonicalValue(field: FieldSpec, cell: unknown, tzOffsetMinutes = DEFAULT_TZ_OFFSET_MINUTES): string | null {
  const text = cellText(cell);
  if (text === null) return null;
  switch (field.dataType) {
    case 'decimal': {
      const d = parseDecimal(cell);
      if (!d) return null;
      if (field.scale === undefined) return formatUnits(d.units, d.scale);
      return formatUnits(roundUnits(d, field.scale), field.scale);
    }
    case 'integer': {
      const d = parseDecimal(cell);
      return d && d.scale === 0 ? d.units.toString() : null;
    }
    case 'boolean': {
      if (typeof cell === 'boolean') return String(cell);
      const w = canonicalText(text).toLowerCase();
      return TRUE_WORDS.has(w) ? 'true' : FALSE_WORDS.has(w) ? 'false' : null;
    }
    case 'date':
      return parseDate(cell, tzOffsetMinutes);
    case 'datetime': {
      const v = parseDateTime(cell, tzOffsetMinutes);
      if (!v) return null;
      return field.precision === 'minute' ? v.slice(0, 16) : field.precision === 'millisecond' ? v : v.slice(0, 19);
    }
    case 'time': {
      const m = TIME_RE.exec(text.normalize('NFKC'));
      if (!m) return null;
      const hm = `${pad(Number(m[1]))}:${pad(Number(m[2]))}`;
      return field.precision === 'minute' ? hm : `${hm}:${pad(Number(m[3] ?? m[5] ?? 0))}`;
    }
    default:
      return canonicalText(text);
  }
}
