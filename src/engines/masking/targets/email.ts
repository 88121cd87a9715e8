// Email addresses: partial keeps the first character of the local part and the domain (z***@example.com);
// the token invents a local part and keeps the domain (or uses example.com).
import { maskRun, normalise } from '../text.ts';
import { digits, type IdentifierFormat } from './types.ts';

/**
 * Local part, domain and whether the text holds surrogate pairs, or null: one @ within the first 65
 * characters, no whitespace, a dot inside the domain.
 */
function split(s: string): [string, string, boolean] | null {
  const at = s.indexOf('@');
  if (at < 1 || at > 64 || s.indexOf('@', at + 1) >= 0) return null;
  const dot = s.lastIndexOf('.');
  if (dot < at + 2 || dot === s.length - 1) return null;
  let wide = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 127) {
      if (c <= 32) return null;
    } else if (c <= 160 || c === 0x3000 || c === 0xfeff || (c >= 0x2000 && c <= 0x200b) || c === 0x2028 || c === 0x2029) return null;
    else if (c >= 0xd800 && c <= 0xdfff) wide = true;
  }
  return [s.slice(0, at), s.slice(at + 1), wide];
}

function parse(raw: string): [string, string, boolean] | null {
  return split(raw) ?? split(normalise(raw));
}

const LETTERS = 'abcdefghijkmnpqrstuvwxyz';

export const email: IdentifierFormat = {
  unit: 'characters of the local part',
  maxKept: 8,
  partialDefaults: { keepFirst: 1, keepLast: 0, fixedMaskLength: 3 },
  canonical(s) {
    const m = parse(s);
    return m === null ? null : `${m[0]}@${m[1]}`.toLowerCase();
  },
  partial(s, o) {
    const m = parse(s);
    if (m === null) return null;
    const text = m[0];
    const local = m[2] ? Array.from(text) : text;
    let kf = o.keepFirst;
    let kl = o.keepLast;
    while (kf + kl >= local.length && (kf > 0 || kl > 0)) kl > 0 ? kl-- : kf--;
    const hidden = o.fixedMaskLength ?? local.length - kf - kl;
    const head = typeof local === 'string' ? local.slice(0, kf) : local.slice(0, kf).join('');
    const tail = kl === 0 ? '' : typeof local === 'string' ? local.slice(local.length - kl) : local.slice(local.length - kl).join('');
    return `${head}${maskRun(o.maskChar, hidden)}${tail}@${m[1]}`;
  },
  token(s, rnd, o) {
    const m = parse(s);
    if (m === null) return null;
    let local = '';
    const n = rnd.between(5, 9);
    for (let i = 0; i < n; i++) local += LETTERS[rnd.int(LETTERS.length)];
    return `${local}${digits(rnd, 2)}@${o.keepDomain ? m[1].toLowerCase() : 'example.com'}`;
  },
};
