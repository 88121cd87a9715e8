// Chinese addresses: a small parser for the administrative levels 省 → 市 → 区/县 → 街道/镇/乡, used by partial
// masking (keep up to district or street, mask the rest) and by generalisation (address → district → city →
// province). It is deliberately cautious: a lower level is accepted only below a parsed upper level, and
// names ending in 小区/社区/园区 … are not districts, so an unsure parse keeps less, never more.

import { maskRun } from '../text.ts';

export const ADDRESS_LEVELS = ['province', 'city', 'district', 'street'] as const;
export type AddressLevel = (typeof ADDRESS_LEVELS)[number];

export interface ParsedAddress {
  /** The components as written (null when absent). */
  province: string | null;
  city: string | null;
  district: string | null;
  street: string | null;
  /** Province in its full official form (广东 → 广东省), for grouping. */
  provinceFull: string | null;
  /** Offset just past each parsed level in the input (0 when the level and all above it are absent). */
  end: Record<AddressLevel, number>;
}

const MUNICIPALITIES = ['北京', '天津', '上海', '重庆'];
const PROVINCES = [
  '河北',
  '山西',
  '辽宁',
  '吉林',
  '黑龙江',
  '江苏',
  '浙江',
  '安徽',
  '福建',
  '江西',
  '山东',
  '河南',
  '湖北',
  '湖南',
  '广东',
  '海南',
  '四川',
  '贵州',
  '云南',
  '陕西',
  '甘肃',
  '青海',
  '台湾',
];
const REGIONS: Record<string, string> = {
  内蒙古: '内蒙古自治区',
  广西: '广西壮族自治区',
  西藏: '西藏自治区',
  宁夏: '宁夏回族自治区',
  新疆: '新疆维吾尔自治区',
  香港: '香港特别行政区',
  澳门: '澳门特别行政区',
};
const FULL: Record<string, string> = {};
for (const m of MUNICIPALITIES) FULL[m] = `${m}市`;
for (const p of PROVINCES) FULL[p] = `${p}省`;
Object.assign(FULL, REGIONS);

const SHORTS = [...MUNICIPALITIES, ...PROVINCES, ...Object.keys(REGIONS)];
// Province candidates by first character, so parsing does not try 34 names on every address.
const BY_FIRST = new Map<string, string[]>();
for (const short of SHORTS) BY_FIRST.set(short[0] as string, [...(BY_FIRST.get(short[0] as string) ?? []), short]);

/** The province at the start: its full form (广东省), or the bare short name unless followed by 市 (吉林市 is a city). */
function matchProvince(s: string): { text: string; short: string } | null {
  for (const short of BY_FIRST.get(s[0] as string) ?? []) {
    if (!s.startsWith(short)) continue;
    const full = FULL[short] as string;
    if (s.startsWith(full)) return { text: full, short };
    if (s[short.length] !== '市') return { text: short, short };
  }
  return null;
}

// A unit's name: characters other than level markers, road and building words, digits, spaces and commas;
// street names may contain 路 (湖南路街道). The lazy quantifier takes the shortest name that ends in a suffix.
const NAME = '[^省市区县旗镇乡街路号村栋楼室巷弄\\d\\s,，\\uFF10-\\uFF19]';
const CITY_RE = new RegExp(`${NAME}{1,10}?(?:自治州|地区|盟|市)`, 'y');
const DISTRICT_RE = new RegExp(`${NAME}{1,10}?(?:自治县|自治旗|林区|特区|区|县|旗|市)`, 'y');
const STREET_RE = /[^省市区县旗镇乡街号村栋楼室巷弄\d\s,，\uFF10-\uFF19]{1,12}?(?:街道办事处|街道|民族乡|镇|乡|苏木)/y;
const NOT_DISTRICT = /(?:小区|社区|园区|校区|景区|厂区|院区|片区|营区)$/;

function matchAt(re: RegExp, s: string, at: number): string | null {
  re.lastIndex = at;
  return re.test(s) ? s.slice(at, re.lastIndex) : null;
}

export function parseAddress(s: string): ParsedAddress {
  let at = 0;
  let province: string | null = null;
  let provinceFull: string | null = null;
  let city: string | null = null;
  let district: string | null = null;
  let street: string | null = null;
  const end = { province: 0, city: 0, district: 0, street: 0 };

  const prov = matchProvince(s);
  if (prov !== null) {
    province = prov.text;
    provinceFull = FULL[prov.short] as string;
    at += province.length;
    if (MUNICIPALITIES.includes(prov.short)) city = province;
  }
  end.province = at;
  if (city === null) {
    city = matchAt(CITY_RE, s, at);
    if (city !== null) at += city.length;
  }
  end.city = at;
  if (province !== null || city !== null) {
    const d = matchAt(DISTRICT_RE, s, at);
    if (d !== null && !NOT_DISTRICT.test(d)) {
      district = d;
      at += d.length;
    }
  }
  end.district = at;
  if (district !== null || (city !== null && city !== province)) {
    street = matchAt(STREET_RE, s, at);
    if (street !== null) at += street.length;
  }
  end.street = at;
  return { province, city, district, street, provinceFull, end };
}

/**
 * Partial mask: the address as written up to `level` (or the deepest parsed level above it), then a fixed
 * mask for the rest. Null when no level parsed (the caller falls back to a full mask).
 */
export function partialAddress(s: string, level: AddressLevel, maskChar: string): string | null {
  const p = parseAddress(s);
  const keep = p.end[level];
  if (keep === 0) return null;
  return keep >= s.length ? s : s.slice(0, keep) + maskRun(maskChar, 4);
}

/**
 * The address generalised to `level`: the parsed components down to it, the province in its full form.
 * Null when not even the province or city parsed.
 */
export function generaliseAddress(s: string, level: AddressLevel): string | null {
  const p = parseAddress(s);
  if (p.province === null && p.city === null) return null;
  let out = p.provinceFull ?? '';
  if (level === 'province') return out === '' ? null : out;
  if (p.city !== null && p.city !== p.province) out += p.city;
  if (level === 'city') return out;
  if (p.district !== null) out += p.district;
  if (level === 'district') return out;
  if (p.street !== null) out += p.street;
  return out;
}
