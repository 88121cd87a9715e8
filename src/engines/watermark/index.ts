// Watermark engine (issue 5; PRT-8, HZ-23, DG-15): recipient-specific invisible marks on delivered rows and
// leak tracing. Pure: no database, network or file access. See docs/watermark.md.
export {
  canonicalText,
  canonicalValue,
  cellText,
  DEFAULT_TZ_OFFSET_MINUTES,
  type ExactDecimal,
  normaliseHeader,
  parseClock,
  parseDate,
  parseDateTime,
  parseDecimal,
} from './cells.ts';
export { createMarker, type Marker, markRow, markRows } from './mark.ts';
export { describePlan, IDENTIFIER_PI_TYPES, isFreeText, planMarks } from './plan.ts';
export { DEFAULT_ALPHA, DEFAULT_MIN_ROWS, prepareTrace, type Tracer, traceLeak } from './trace.ts';
export type * from './types.ts';
