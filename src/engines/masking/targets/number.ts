// Numbers (amounts, counts, ages): parsing of the forms databases hand over (number, bigint, numeric as a
// string such as '1,234.50' or full-width digits), bands with top/bottom coding, rounding and noise.
import type { KeyedStream } from '../keys.ts';
import { normalise } from '../text.ts';

export interface ParsedNumber {
  value: number;
  /** Decimal places written in the input (strings) or needed (numbers). */
  decimals: number;
  kind: 'number' | 'string' | 'bigint';
}

const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

export function parseNumber(v: unknown): ParsedNumber | null {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    const s = String(v);
    const dot = s.indexOf('.');
    return { value: v, decimals: dot < 0 || s.includes('e') ? 0 : s.length - dot - 1, kind: 'number' };
  }
  if (typeof v === 'bigint') return { value: Number(v), decimals: 0, kind: 'bigint' };
  if (typeof v !== 'string') return null;
  let s = normalise(v);
  if (s.includes(',')) s = s.replace(/,(?=\d{3}(?:\D|$))/g, '');
  if (!NUMERIC.test(s)) return null;
  const dot = s.indexOf('.');
  return { value: Number(s), decimals: dot < 0 ? 0 : s.length - dot - 1, kind: 'string' };
}

/** Writes `x` back in the input's kind with `decimals` places. */
export function formatNumber(x: number, decimals: number, kind: ParsedNumber['kind']): number | string | bigint {
  const fixed = x.toFixed(decimals);
  if (kind === 'string') return fixed;
  if (kind === 'bigint') return BigInt(Math.round(x));
  return Number(fixed);
}

export interface BandOptions {
  width: number;
  /** Bottom coding: values below min become '<min'. */
  min?: number;
  /** Top coding: values at or above max become '≥max'. */
  max?: number;
  /** Integer labels ('30-34'); otherwise half-open intervals ('[30,35)'). */
  integer: boolean;
}

/** The band label of `x`: '30-34', '[30,35)', '≥90' or '<18'. Bands start at multiples of the width. */
export function band(x: number, o: BandOptions): string {
  if (o.max !== undefined && x >= o.max) return `≥${o.max}`;
  if (o.min !== undefined && x < o.min) return `<${o.min}`;
  const lo = Math.floor(x / o.width + 1e-9) * o.width;
  const loText = trim(lo);
  if (o.integer) return o.width === 1 ? loText : `${loText}-${trim(lo + o.width - 1)}`;
  return `[${loText},${trim(lo + o.width)})`;
}

const trim = (x: number) => String(Number(x.toFixed(9)));

/** Decimal places of a step such as 0.01 (2) or 100 (0). */
export function stepDecimals(step: number): number {
  const s = String(step);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

export function roundTo(x: number, step: number): number {
  return Number((Math.round(x / step) * step).toFixed(stepDecimals(step)));
}

/** Uniform in [−1, 1) or Laplace(0, 1), drawn from the keyed stream. */
export function noiseUnit(rnd: KeyedStream, distribution: 'uniform' | 'laplace'): number {
  if (distribution === 'uniform') return rnd.unit() * 2 - 1;
  let u = rnd.unit();
  while (u === 0) u = rnd.unit();
  u -= 0.5;
  return -Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
}
