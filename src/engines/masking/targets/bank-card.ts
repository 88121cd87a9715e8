// Bank card numbers: 12–19 digits (domain.md §4: 16–19 for UnionPay, Visa 13), often in groups of four.
// Partial keeps the first 6 (the issuer) and last 4, grouped by four; the token keeps the issuer prefix,
// fakes the account digits and recomputes the Luhn check, so test systems accept it.
import { group, isDigit, maskInPlace, maskMiddle, normalise } from '../text.ts';
import { digits, fillInPlace, type IdentifierFormat } from './types.ts';

const PLAIN = /^\d{12,19}$/;

/** The text (normalised unless already plain digits) and its digits, or null. */
function card(raw: string): { s: string; d: string } | null {
  if (PLAIN.test(raw)) return { s: raw, d: raw };
  const s = normalise(raw);
  if (!/^[\d\s-]+$/.test(s)) return null;
  const d = s.replace(/[\s-]/g, '');
  return PLAIN.test(d) ? { s, d } : null;
}

/** The Luhn check digit for a number without its check digit. */
export function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = body.length - 1, double = true; i >= 0; i--, double = !double) {
    let v = body.charCodeAt(i) - 48;
    if (double) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  return String((10 - (sum % 10)) % 10);
}

export const bankCard: IdentifierFormat = {
  unit: 'digits',
  maxKept: 11,
  partialDefaults: { keepFirst: 6, keepLast: 4, groupSize: 4 },
  canonical(s) {
    return card(s)?.d ?? null;
  },
  partial(raw, o) {
    const c = card(raw);
    if (c === null || c.d.length - o.keepFirst - o.keepLast < 1) return null;
    if (o.groupSize === 0) return maskInPlace(c.s, isDigit, 0, o.keepFirst, o.keepLast, o.maskChar);
    return group(maskMiddle(c.d, o.keepFirst, o.keepLast, o.maskChar), o.groupSize);
  },
  token(raw, rnd, o) {
    const c = card(raw);
    if (c === null) return null;
    const { s, d } = c;
    const body = d.slice(0, o.keepPrefix) + digits(rnd, d.length - 1 - o.keepPrefix);
    const fake = body + luhnCheckDigit(body);
    return d === s ? fake : fillInPlace(s, isDigit, fake);
  },
};
