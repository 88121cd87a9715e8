// Passports and travel permits (domain.md §4): E + 8 digits or E + letter + 7 digits, legacy G + 8 digits,
// DE/SE/PE + 7 digits; mainland permits C + 8 / C + letter + 7; HK/Macau residents' permits H/M + 8 digits.
// The leading letters name the document kind and are kept by tokens; the rest is faked.
import { maskRun, normalise } from '../text.ts';
import type { IdentifierFormat } from './types.ts';

const PASSPORT = /^(?:E[A-HJ-NP-Z\d]\d{7}|G\d{8}|[DSP]E\d{7}|C[A-HJ-NP-Z\d]\d{7}|[HM]\d{8})$/;
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

function passportText(s: string): string | null {
  if (PASSPORT.test(s)) return s;
  const compact = normalise(s).replace(/[\s-]/g, '').toUpperCase();
  return PASSPORT.test(compact) ? compact : null;
}

export const passport: IdentifierFormat = {
  unit: 'characters',
  maxKept: 7,
  partialDefaults: { keepFirst: 1, keepLast: 3 },
  canonical: passportText,
  partial(s, o) {
    const p = passportText(s);
    if (p === null) return null;
    return p.slice(0, o.keepFirst) + maskRun(o.maskChar, o.fixedMaskLength ?? p.length - o.keepFirst - o.keepLast) + p.slice(p.length - o.keepLast);
  },
  token(s, rnd) {
    const p = passportText(s);
    if (p === null) return null;
    const kind = p[1] === 'E' ? 2 : 1;
    let out = p.slice(0, kind);
    for (let i = kind; i < p.length; i++) {
      const c = p[i] as string;
      out += c >= '0' && c <= '9' ? String(rnd.int(10)) : rnd.pick(LETTERS);
    }
    return out;
  },
};
