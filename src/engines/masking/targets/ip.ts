// IP addresses. IPv4 partial keeps the first octet (192.*.*.*, domain.md §3); IPv6 partial keeps the first
// groups of the expanded address. Tokens: IPv4 stays private when it was private (same block), else a public
// unicast address; IPv6 tokens are in the documentation prefix 2001:db8::/32, visibly fake.
import { isIPv6 } from 'node:net';
import type { KeyedStream } from '../keys.ts';
import { normalise } from '../text.ts';
import type { IdentifierFormat } from './types.ts';

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function octets(raw: string): number[] | null {
  const m = V4.exec(raw) ?? V4.exec(normalise(raw));
  if (m === null) return null;
  const o = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  return o.every((x) => x <= 255) ? o : null;
}

const RESERVED_FIRST = new Set([0, 10, 100, 127, 169, 172, 192, 198, 203]);

function fakeV4(o: number[], rnd: KeyedStream): number[] {
  const [a, b] = o as [number, number];
  if (a === 10) return [10, rnd.int(256), rnd.int(256), rnd.between(1, 254)];
  if (a === 172 && b >= 16 && b <= 31) return [172, rnd.between(16, 31), rnd.int(256), rnd.between(1, 254)];
  if (a === 192 && b === 168) return [192, 168, rnd.int(256), rnd.between(1, 254)];
  let first = rnd.between(1, 223);
  while (RESERVED_FIRST.has(first)) first = rnd.between(1, 223);
  return [first, rnd.int(256), rnd.int(256), rnd.between(1, 254)];
}

export const ipv4: IdentifierFormat = {
  unit: 'octets',
  maxKept: 3,
  partialDefaults: { keepFirst: 1, keepLast: 0 },
  canonical(s) {
    return octets(s)?.join('.') ?? null;
  },
  partial(s, o) {
    const v = octets(s);
    if (v === null) return null;
    return v.map((x, i) => (i < o.keepFirst || i >= 4 - o.keepLast ? String(x) : o.maskChar)).join('.');
  },
  token(s, rnd) {
    const v = octets(s);
    return v === null ? null : fakeV4(v, rnd).join('.');
  },
};

/** The eight 16-bit groups of an IPv6 address (lower-case, no leading zeros), or null. */
export function expandIPv6(s: string): string[] | null {
  const addr = normalise(s).toLowerCase().replace(/%.*$/, '');
  if (!isIPv6(addr)) return null;
  let text = addr;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const o = octets(v4[1] as string);
    if (o === null) return null;
    text = `${text.slice(0, v4.index)}${((o[0] as number) * 256 + (o[1] as number)).toString(16)}:${((o[2] as number) * 256 + (o[3] as number)).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.length === 8 ? groups.map((g) => Number.parseInt(g, 16).toString(16)) : null;
}

export const ipv6: IdentifierFormat = {
  unit: 'groups',
  maxKept: 7,
  partialDefaults: { keepFirst: 2, keepLast: 0 },
  canonical(s) {
    return expandIPv6(s)?.join(':') ?? null;
  },
  partial(s, o) {
    const g = expandIPv6(s);
    if (g === null) return null;
    return g.map((x, i) => (i < o.keepFirst || i >= 8 - o.keepLast ? x : o.maskChar)).join(':');
  },
  token(s, rnd) {
    if (expandIPv6(s) === null) return null;
    const groups = ['2001', 'db8'];
    for (let i = 0; i < 6; i++) groups.push(rnd.int(0x10000).toString(16));
    return groups.join(':');
  },
};
