// Seconds carrier: a datetime or time with declared minute precision gets seconds 1…29 chosen by the mark
// table at the minute of the hour. Truncating or rounding to the minute both return the true minute. The
// slot is the minute of the hour, not the whole time, so a leaker converting between UTC and local time
// (whole-hour offsets) or reformatting the date keeps the evidence.
import { DEFAULT_TZ_OFFSET_MINUTES, locateSeconds, parseClock } from './cells.ts';
import type { ModObservation } from './decimal.ts';
import { MODULUS } from './keys.ts';

export const SECOND_CHOICES = MODULUS.seconds as number;

/**
 * The marked cell: a Date gets the seconds added, text gets them written (or inserted after the minutes).
 * Left unchanged: cells whose seconds or milliseconds are not zero (they do not fit the declared
 * precision), numbers (Excel serials, epochs) and text without an `HH:MM` time.
 */
export function markSeconds(cell: unknown, table: Int32Array, tzOffsetMinutes = DEFAULT_TZ_OFFSET_MINUTES): unknown {
  if (!(cell instanceof Date) && typeof cell !== 'string') return cell;
  const r = parseClock(cell, tzOffsetMinutes);
  if (!r) return cell;
  if (r.second !== 0 || r.millisecond !== 0) return cell;
  const second = 1 + table[r.minuteOfHour]!;
  if (cell instanceof Date) return new Date(cell.getTime() + second * 1000);
  const at = locateSeconds(cell as string);
  if (!at) return cell;
  const text = cell as string;
  const ss = String(second).padStart(2, '0');
  return at.hasSeconds ? text.slice(0, at.start) + ss + text.slice(at.end) : `${text.slice(0, at.start)}:${ss}${text.slice(at.end)}`;
}

export function observeSeconds(cell: unknown, tzOffsetMinutes = DEFAULT_TZ_OFFSET_MINUTES): ModObservation | null {
  const r = parseClock(cell, tzOffsetMinutes);
  if (!r) return null;
  if (r.millisecond !== 0 || r.second < 1 || r.second > SECOND_CHOICES) return null;
  return { slot: r.minuteOfHour, choice: r.second - 1 };
}
