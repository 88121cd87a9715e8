// Decimal carrier: a decimal with declared scale s gets two more digits, an offset of ±1…±49 units of
// 10^-(s+2) chosen by the mark table at the slot of the value. |offset| < half a unit of the declared scale,
// so rounding to scale s (half-up, half-even, half away from zero) returns the true value; the offset is
// zero-mean, so sums drift by noise, not bias; zero is never marked and signs and order are kept.
import { type ExactDecimal, formatUnits, parseDecimal, roundUnits, unitsAt } from './cells.ts';
import { MODULUS, valueSlot } from './keys.ts';

/** Offsets −49…−1 and +1…+49. */
export const DECIMAL_CHOICES = MODULUS.decimal as number;
/** Extra digits the mark writes beyond the declared scale. */
export const DECIMAL_EXTRA_DIGITS = 2;
const HALF = 50n;
// Doubles carry any 15 significant decimal digits exactly (DBL_DIG); beyond that a number cell is left alone.
const MAX_NUMBER_DIGITS = 15;
const PLAIN_RE = /^-?\d+(?:\.\d+)?$/;

export interface ModObservation {
  slot: number;
  choice: number;
}

function offsetOf(c: number): number {
  return c < 49 ? -(c + 1) : c - 48;
}

function choiceOf(offset: number): number {
  return offset < 0 ? -offset - 1 : offset + 48;
}

export function decimalSlot(units: bigint, scale: number): number {
  return valueSlot(formatUnits(units, scale));
}

/**
 * The marked cell: numbers stay numbers, plain numeric strings stay strings. Left unchanged: empty or
 * non-numeric cells, zero, values with more digits than the declared scale (they do not fit the
 * declaration), formatted strings (grouping, currency signs), numbers that a double could not carry.
 */
export function markDecimal(cell: unknown, scale: number, table: Int32Array): unknown {
  if (typeof cell !== 'number' && !(typeof cell === 'string' && PLAIN_RE.test(cell))) return cell;
  const d = parseDecimal(cell);
  if (!d || d.units === 0n || d.scale > scale) return cell;
  const value = unitsAt(d, scale);
  const marked = value * 100n + BigInt(offsetOf(table[decimalSlot(value, scale)]!));
  const text = formatUnits(marked, scale + DECIMAL_EXTRA_DIGITS);
  if (typeof cell === 'string') return text;
  const digits = (marked < 0n ? -marked : marked).toString().length;
  return digits > MAX_NUMBER_DIGITS ? cell : Number(text);
}

/** What a leaked cell shows: the slot of its value at scale s and the offset it carries, or null if none. */
export function observeDecimal(cell: unknown, scale: number): ModObservation | null {
  const d: ExactDecimal | null = parseDecimal(cell);
  if (!d || d.scale > scale + DECIMAL_EXTRA_DIGITS) return null;
  const x = unitsAt(d, scale + DECIMAL_EXTRA_DIGITS);
  const value = roundUnits({ units: x, scale: scale + DECIMAL_EXTRA_DIGITS }, scale);
  const offset = x - value * 100n;
  if (value === 0n || offset === 0n || offset >= HALF || offset <= -HALF) return null;
  return { slot: decimalSlot(value, scale), choice: choiceOf(Number(offset)) };
}
