// Vehicle plates (domain.md §4): province character + letter + 5 characters (no I or O), or 6 for
// new-energy plates (D/F third or last), or 4 + a special character (学 警 挂 港 澳 …). Partial masks the
// middle (粤B***45); the token invents a plate of the same shape.
import { maskRun, normalise } from '../text.ts';
import type { IdentifierFormat } from './types.ts';

const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const PLATE = /^([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼])([A-HJ-NP-Z])([A-HJ-NP-Z0-9]{5,6}|[A-HJ-NP-Z0-9]{4}[挂学警港澳领试超])$/;

function plateText(s: string): string | null {
  if (PLATE.test(s)) return s;
  const compact = normalise(s)
    .replace(/[\s·•\-.]/g, '')
    .toUpperCase();
  return PLATE.test(compact) ? compact : null;
}

export const plate: IdentifierFormat = {
  unit: 'characters',
  maxKept: 6,
  partialDefaults: { keepFirst: 2, keepLast: 2 },
  canonical: plateText,
  partial(s, o) {
    const p = plateText(s);
    if (p === null) return null;
    const hidden = p.length - o.keepFirst - o.keepLast;
    return p.slice(0, o.keepFirst) + maskRun(o.maskChar, o.fixedMaskLength ?? hidden) + p.slice(p.length - o.keepLast);
  },
  token(s, rnd) {
    const p = plateText(s);
    if (p === null) return null;
    const tail = p.slice(2);
    const newEnergy = tail.length === 6;
    let out = rnd.pick(PROVINCES) + rnd.pick(LETTERS);
    for (let i = 0; i < tail.length; i++) {
      const c = tail[i] as string;
      const marker = newEnergy && (i === 0 || i === 5) && (c === 'D' || c === 'F');
      // A new-energy marker or a special character (学 警 …) is kept: it is the plate's kind.
      if (marker || c > '\u007f') out += c;
      else if (c >= '0' && c <= '9') out += String(rnd.int(10));
      else out += rnd.pick(LETTERS);
    }
    return out;
  },
};
