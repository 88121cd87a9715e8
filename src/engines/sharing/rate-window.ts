// Rate and volume windows of a grant (LIF-6, HZ-25): calls per clock minute and rows per Beijing calendar day.
// The counters live in the database (grant_usage), shared by every server process; this file only says where
// the windows start and when a refused caller may try again. Pure.

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Beijing is UTC+8 all year (no daylight saving). */
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** The start of the clock minute holding `at`. */
export function minuteWindowStart(at: Date): Date {
  return new Date(Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS);
}

/** The start (as an instant) of the Beijing calendar day holding `at`. */
export function beijingDayStart(at: Date): Date {
  return new Date(Math.floor((at.getTime() + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS - BEIJING_OFFSET_MS);
}

/** Seconds until the next minute window (Retry-After of 429 RATE_LIMITED), at least 1. */
export function retryAfterMinute(at: Date): number {
  const next = minuteWindowStart(at).getTime() + MINUTE_MS;
  return Math.max(1, Math.ceil((next - at.getTime()) / 1000));
}

/** Seconds until the next Beijing day (Retry-After of 429 VOLUME_EXCEEDED), at least 1. */
export function retryAfterDay(at: Date): number {
  const next = beijingDayStart(at).getTime() + DAY_MS;
  return Math.max(1, Math.ceil((next - at.getTime()) / 1000));
}

/**
 * Rows a call may take from the day's volume: `wanted` when it fits; a records page may take what is left
 * (partial); an export needs all of it or nothing (0 = refused).
 */
export function rowsGranted(usedToday: number, perDay: number, wanted: number, partial: boolean): number {
  const left = Math.max(0, perDay - usedToday);
  if (wanted <= left) return wanted;
  return partial ? left : 0;
}
