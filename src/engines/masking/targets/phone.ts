// Mobile numbers (1[3-9] + 9 digits, often written +86 138-1234-5678) and landlines (0 + 2–3 digit area
// code + 7–8 digits, or 400/800 service numbers), domain.md §4. Masks and tokens keep the way the number was
// written (country code, spaces, hyphens) and change only its digits.
import { isDigit, maskInPlace, maskMiddle, normalise } from '../text.ts';
import { digits, fillInPlace, type IdentifierFormat } from './types.ts';

const PLAIN_MOBILE = /^1[3-9]\d{9}$/;
const PHONE_CHARS = /^\+?[\d\s\-().]+$/;

/** The (normalised) text, its national number and how many country-code digits precede it, or null. */
function parseMobile(raw: string): { s: string; national: string; skip: number } | null {
  if (PLAIN_MOBILE.test(raw)) return { s: raw, national: raw, skip: 0 };
  const s = normalise(raw);
  if (!PHONE_CHARS.test(s) || s.indexOf('+') > 0) return null;
  const d = s.replace(/\D/g, '');
  let skip = 0;
  if (d.length === 13 && d.startsWith('86')) skip = 2;
  else if (d.length === 15 && d.startsWith('0086')) skip = 4;
  else if (d.length !== 11 || s.startsWith('+')) return null;
  const national = d.slice(skip);
  return PLAIN_MOBILE.test(national) ? { s, national, skip } : null;
}

export const mobile: IdentifierFormat = {
  unit: 'digits',
  maxKept: 10,
  partialDefaults: { keepFirst: 3, keepLast: 4 },
  canonical(s) {
    return parseMobile(s)?.national ?? null;
  },
  partial(s, o) {
    const m = parseMobile(s);
    if (m === null) return null;
    if (m.national === m.s) return maskMiddle(m.s, o.keepFirst, o.keepLast, o.maskChar);
    return maskInPlace(m.s, isDigit, m.skip, o.keepFirst, o.keepLast, o.maskChar);
  },
  token(s, rnd) {
    const m = parseMobile(s);
    if (m === null) return null;
    const fake = `1${'3456789'[rnd.int(7)]}${digits(rnd, 9)}`;
    return fillInPlace(m.s, isDigit, fake, m.skip);
  },
};

/** Area codes are 3 digits for Beijing (010) and 02x, 4 digits elsewhere; 400/800 numbers are national. */
function parseLandline(raw: string): { s: string; d: string; area: number } | null {
  const s = normalise(raw);
  if (!/^[\d\s\-()]+$/.test(s)) return null;
  const d = s.replace(/\D/g, '');
  if (/^[48]00\d{7}$/.test(d)) return { s, d, area: 3 };
  if (!/^0\d{9,11}$/.test(d)) return null;
  const area = d[1] === '1' || d[1] === '2' ? 3 : 4;
  const local = d.length - area;
  if (local < 7 || local > 8 || d[area] === '0') return null;
  return { s, d, area };
}

const AREA_CODES: Record<number, string[]> = {
  3: ['010', '020', '021', '022', '023', '024', '025', '027', '028', '029'],
  4: ['0311', '0351', '0371', '0431', '0451', '0471', '0531', '0551', '0571', '0591', '0731', '0755', '0757', '0769', '0871', '0898', '0931', '0991'],
};

export const landline: IdentifierFormat = {
  unit: 'digits',
  maxKept: 9,
  partialDefaults: { keepFirst: 4, keepLast: 2 },
  canonical(s) {
    return parseLandline(s)?.d ?? null;
  },
  partial(s, o) {
    const p = parseLandline(s);
    return p === null ? null : maskInPlace(p.s, isDigit, 0, o.keepFirst, o.keepLast, o.maskChar);
  },
  token(s, rnd, o) {
    const p = parseLandline(s);
    if (p === null) return null;
    const service = p.d[0] !== '0';
    const codes = AREA_CODES[p.area] as string[];
    const area = o.keepAreaCode || service ? p.d.slice(0, p.area) : (codes[rnd.int(codes.length)] as string);
    const local = p.d.length - p.area;
    const fake = area + (service ? digits(rnd, local) : String(rnd.between(2, 8)) + digits(rnd, local - 1));
    return fillInPlace(p.s, isDigit, fake);
  },
};
