// Resident ID numbers (GB 11643-1999, domain.md §4): 18 characters, or 15 digits for legacy IDs.
import type { KeyedStream } from '../keys.ts';
import { group, isDigit, maskInPlace, maskMiddle, normalise } from '../text.ts';
import { fillInPlace, type IdentifierFormat } from './types.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** Province prefixes of valid IDs (11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82, 83). */
export const ID_PROVINCES = [
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];
// Tokens use the mainland provinces only, which every consumer accepts.
const TOKEN_PROVINCES = ID_PROVINCES.filter((p) => p < 70);

export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] as number);
  return CHECK[sum % 11] as string;
}

const isIdChar = (c: number): boolean => isDigit(c) || c === 88 || c === 120; // X x
const SHAPE18 = /^\d{17}[\dXx]$/;
const SHAPE15 = /^\d{15}$/;

/** The 15 or 18 ID characters (X upper-cased) when the text has that shape, else null. Structure only. */
function idChars(s: string): string | null {
  if (SHAPE18.test(s) || SHAPE15.test(s)) return s.toUpperCase();
  if (!/^[\dXx\s-]+$/.test(s)) return null;
  const compact = s.replace(/[\s-]/g, '');
  return SHAPE18.test(compact) || SHAPE15.test(compact) ? compact.toUpperCase() : null;
}

const EPOCH_1940 = Date.UTC(1940, 0, 1);
const DAY = 86_400_000;
const SPAN_DAYS = (Date.UTC(2005, 11, 31) - EPOCH_1940) / DAY;

function fakeBirth(rnd: KeyedStream): string {
  return new Date(EPOCH_1940 + rnd.int(SPAN_DAYS + 1) * DAY).toISOString().slice(0, 10).replaceAll('-', '');
}

export const residentId: IdentifierFormat = {
  unit: 'characters',
  maxKept: 14,
  partialDefaults: { keepFirst: 6, keepLast: 4 },
  canonical(raw) {
    const id = idChars(normalise(raw));
    if (id === null) return null;
    if (id.length === 18) return id;
    // A legacy 15-digit ID and its 18-digit form are one identifier: insert 19 and compute the check.
    const first17 = `${id.slice(0, 6)}19${id.slice(6)}`;
    return first17 + residentIdCheckChar(first17);
  },
  partial(raw, o) {
    if (o.groupSize > 0) {
      const id = idChars(normalise(raw));
      return id === null ? null : group(maskMiddle(id, o.keepFirst, o.keepLast, o.maskChar), o.groupSize);
    }
    if (raw.length === 18 && SHAPE18.test(raw)) {
      const masked = maskMiddle(raw, o.keepFirst, o.keepLast, o.maskChar);
      return raw.charCodeAt(17) === 120 ? masked.toUpperCase() : masked;
    }
    const s = normalise(raw);
    const id = idChars(s);
    if (id === null) return null;
    if (id.length === s.length) return maskMiddle(id, o.keepFirst, o.keepLast, o.maskChar);
    return maskInPlace(s, isIdChar, 0, o.keepFirst, o.keepLast, o.maskChar)?.toUpperCase() ?? null;
  },
  token(raw, rnd) {
    const s = normalise(raw);
    const id = idChars(s);
    if (id === null) return null;
    const region = `${TOKEN_PROVINCES[rnd.int(TOKEN_PROVINCES.length)]}${String(rnd.between(1, 20)).padStart(2, '0')}${String(rnd.between(1, 40)).padStart(2, '0')}`;
    const birth = fakeBirth(rnd);
    const seq = String(rnd.between(1, 999)).padStart(3, '0');
    const fake = id.length === 18 ? `${region}${birth}${seq}${residentIdCheckChar(region + birth + seq)}` : `${region}${birth.slice(2)}${seq}`;
    return id.length === s.length ? fake : fillInPlace(s, isIdChar, fake);
  },
};
