// Unified social credit codes (GB 32100, domain.md §4) as a masking target. Partial keeps the registration
// authority, type and division code (the first 8); tokens are fake codes whose own check (GB 32100) and
// embedded organisation-code check (GB 11714) are both valid.
import { makeUscc } from '../../identifiers/uscc.ts';
import { maskRun, normalise } from '../text.ts';
import { ID_PROVINCES } from './resident-id.ts';
import type { IdentifierFormat } from './types.ts';

const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
// Registration authority + organisation type pairs in use: 1x organs, 5x social organisations, 9x enterprises.
const KINDS = ['11', '12', '13', '19', '51', '52', '53', '59', '91', '92', '93'];
const PROVINCES = ID_PROVINCES.filter((p) => p < 70);
const BODY = '0123456789ABCDEFGHJKLMNPQRTUWXY';

function usccText(s: string): string | null {
  if (SHAPE.test(s)) return s;
  const compact = normalise(s).replace(/[\s-]/g, '').toUpperCase();
  return SHAPE.test(compact) ? compact : null;
}

export const uscc: IdentifierFormat = {
  unit: 'characters',
  maxKept: 17,
  partialDefaults: { keepFirst: 8, keepLast: 0 },
  canonical: usccText,
  partial(s, o) {
    const c = usccText(s);
    if (c === null) return null;
    return c.slice(0, o.keepFirst) + maskRun(o.maskChar, o.fixedMaskLength ?? 18 - o.keepFirst - o.keepLast) + c.slice(18 - o.keepLast);
  },
  token(s, rnd) {
    if (usccText(s) === null) return null;
    const region = `${PROVINCES[rnd.int(PROVINCES.length)]}${String(rnd.between(1, 20)).padStart(2, '0')}${String(rnd.between(0, 40)).padStart(2, '0')}`;
    let body = '';
    for (let i = 0; i < 8; i++) body += rnd.pick(BODY);
    return makeUscc(KINDS[rnd.int(KINDS.length)] as string, region, body);
  },
};
