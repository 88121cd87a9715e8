// Test helpers: one-field maskers and the national-standard checks written out from domain.md §4, so tests
// never validate the engine's output with the engine's own code.
import { compileMasker } from './compile.ts';
import type { MaskRule } from './methods.ts';
import type { MaskScenario } from './policy.ts';
import type { MaskTarget } from './target.ts';

export const KEY_A = Buffer.from('0123456789abcdef0123456789abcdef');
export const KEY_B = Buffer.from('fedcba9876543210fedcba9876543210');

/** Masks values of one target with one rule; returns the outputs and the field's counters. */
export function maskAll(target: MaskTarget, rule: MaskRule, values: readonly unknown[], key = KEY_A, scenario: MaskScenario = 'sharing') {
  const m = compileMasker({ scenario, rules: { f: rule } }, [{ name: 'f', target, level: 'general-3' }], key);
  const out = values.map((v) => m.row({ f: v }).f);
  return { out, stats: m.stats().f as { values: number; nulls: number; fallback: number } };
}

export function maskOne(target: MaskTarget, rule: MaskRule, value: unknown, key = KEY_A): unknown {
  return maskAll(target, rule, [value], key).out[0];
}

/** GB 11643-1999: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, Σ mod 11 → 1 0 X 9 8 7 6 5 4 3 2. */
export function gb11643Valid(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * (w[i] as number);
  return '10X98765432'[sum % 11] === id[17];
}

/** Province prefixes GB 11643 IDs use (domain.md §4). */
export function validProvince(code: number): boolean {
  return (
    (code >= 11 && code <= 15) ||
    (code >= 21 && code <= 23) ||
    (code >= 31 && code <= 37) ||
    (code >= 41 && code <= 46) ||
    (code >= 50 && code <= 54) ||
    (code >= 61 && code <= 65) ||
    [71, 81, 82, 83].includes(code)
  );
}

export function validCalendarDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, dbl = false; i >= 0; i--, dbl = !dbl) {
    let v = Number(digits[i]) * (dbl ? 2 : 1);
    if (v > 9) v -= 9;
    sum += v;
  }
  return sum % 10 === 0;
}
