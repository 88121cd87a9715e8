// The allow-list for table pulls (数据汇聚白名单): which database servers the platform's server may connect
// to when a data steward pulls a table (POST /api/resources/:id/dataset/pull). Pure: parsing and checking
// of entries and addresses; the DNS lookup and the connection live in the pull path
// (src/modules/protection/pull-guard.ts).
//
// An entry is a host name (matched exactly, case-insensitively), an IPv4/IPv6 address or a CIDR range
// (10.20.0.0/16, fd00::/8), optionally with a port: `db.example.cn:5432`, `10.0.0.5:3306`,
// `10.20.0.0/16:5432`, `[fd00::1]:5432`, `[fd00::/8]:5432`. Without a port it allows every port.
// A target is allowed when an entry names its host (and port), or when every address the host resolves
// to falls in an address/CIDR entry (and port).

export const MAX_PULL_HOST_ENTRIES = 200;
const MAX_ENTRY_LENGTH = 300;

export type PullHostEntry =
  | { kind: 'host'; host: string; port: number | null }
  | { kind: 'net'; family: 4 | 6; network: bigint; prefix: number; port: number | null };

export type ParseResult = { ok: true; entry: PullHostEntry; normalized: string } | { ok: false; reason: { zh: string; en: string } };

/** `a.b.c.d` → 32-bit value, or null. Leading zeros are refused (some resolvers read them as octal). */
export function parseIPv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

/** An IPv6 address (`::` compression and a trailing dotted IPv4 allowed; no zone id) → 128-bit value, or null. */
export function parseIPv6(text: string): bigint | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.length > 45) return null;
  let head = text;
  let tail4: bigint | null = null;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    tail4 = parseIPv4(text.slice(lastColon + 1));
    if (tail4 === null) return null;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const group = (s: string) => (s === '' ? [] : s.split(':'));
  const left = group(halves[0] as string);
  const right = halves.length === 2 ? group(halves[1] as string) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let value = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    value = (value << 16n) | BigInt(Number.parseInt(g, 16));
  }
  if (tail4 !== null) value = (value & ~0xffffffffn) | tail4;
  return value;
}

/** An address as family and value; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) counts as the IPv4 address. */
export function parseAddress(text: string): { family: 4 | 6; value: bigint } | null {
  const v4 = parseIPv4(text);
  if (v4 !== null) return { family: 4, value: v4 };
  const v6 = parseIPv6(text);
  if (v6 === null) return null;
  if (v6 >> 32n === 0xffffn) return { family: 4, value: v6 & 0xffffffffn };
  return { family: 6, value: v6 };
}

const bits = (family: 4 | 6) => (family === 4 ? 32 : 128);
const maskOf = (family: 4 | 6, prefix: number) => {
  const width = BigInt(bits(family));
  const all = (1n << width) - 1n;
  return prefix === 0 ? 0n : (all >> (width - BigInt(prefix))) << (width - BigInt(prefix));
};

function formatAddress(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  // RFC 5952: the longest run (≥ 2) of zero groups becomes `::`.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

const bad = (zh: string, en: string): ParseResult => ({ ok: false, reason: { zh, en } });

function parsePort(text: string): number | null {
  if (!/^[1-9]\d{0,4}$/.test(text)) return null;
  const n = Number(text);
  return n <= 65535 ? n : null;
}

/** One entry as typed by a security administrator → its meaning and its normalized text, or why it is refused. */
export function parsePullHostEntry(raw: string): ParseResult {
  const text = raw.trim();
  if (text === '') return bad('条目为空', 'The entry is empty');
  if (text.length > MAX_ENTRY_LENGTH) return bad('条目过长', 'The entry is too long');
  let body = text;
  let port: number | null = null;
  let bracketed = false;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return bad('缺少右方括号 ]', 'Missing the closing ]');
    body = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return bad('方括号后只能是 :端口', 'Only :port may follow the brackets');
      port = parsePort(rest.slice(1));
      if (port === null) return bad('端口应为 1–65535 的整数', 'The port must be an integer from 1 to 65535');
    }
    bracketed = true;
  } else if ((text.match(/:/g) ?? []).length === 1) {
    const colon = text.indexOf(':');
    body = text.slice(0, colon);
    port = parsePort(text.slice(colon + 1));
    if (port === null) return bad('端口应为 1–65535 的整数', 'The port must be an integer from 1 to 65535');
  }
  const portText = (s: string, v6: boolean) => (port === null ? s : v6 ? `[${s}]:${port}` : `${s}:${port}`);

  const slash = body.indexOf('/');
  const addrText = slash < 0 ? body : body.slice(0, slash);
  const v4 = parseIPv4(addrText);
  const v6 = v4 === null ? parseIPv6(addrText) : null;
  const addr = v4 !== null ? { family: 4 as const, value: v4 } : v6 !== null ? { family: 6 as const, value: v6 } : null;
  if (addr) {
    let prefix = bits(addr.family);
    if (slash >= 0) {
      const p = body.slice(slash + 1);
      if (!/^\d{1,3}$/.test(p) || Number(p) > bits(addr.family)) {
        return bad(`前缀长度应为 0–${bits(addr.family)}`, `The prefix length must be 0 to ${bits(addr.family)}`);
      }
      prefix = Number(p);
    }
    // An IPv4-mapped IPv6 entry stands for the IPv4 address (as resolved addresses do).
    let family: 4 | 6 = addr.family;
    let value = addr.value;
    if (family === 6 && value >> 32n === 0xffffn && prefix >= 96) {
      family = 4;
      value &= 0xffffffffn;
      prefix -= 96;
    }
    const network = value & maskOf(family, prefix);
    const shown = `${formatAddress(family, network)}${prefix === bits(family) ? '' : `/${prefix}`}`;
    return { ok: true, entry: { kind: 'net', family, network, prefix, port }, normalized: portText(shown, family === 6) };
  }
  if (bracketed) return bad('方括号内应为 IPv6 地址或网段', 'Brackets must hold an IPv6 address or range');
  if (slash >= 0) return bad('网段应为 IP 地址/前缀长度', 'A range must be an IP address/prefix length');
  const host = body.toLowerCase().replace(/\.$/, '');
  if (!HOST_NAME.test(host) || /^[\d.]+$/.test(host)) return bad('不是有效的主机名、IP 地址或网段', 'Not a valid host name, IP address or CIDR range');
  return { ok: true, entry: { kind: 'host', host, port }, normalized: portText(host, false) };
}

export interface PullHostsValidation {
  /** Normalized, duplicates removed, in the order given. */
  entries: string[];
  errors: { index: number; entry: string; reason: { zh: string; en: string } }[];
}

/** Checks a whole list (≤ 200 entries). */
export function validatePullHosts(list: readonly string[]): PullHostsValidation {
  const entries: string[] = [];
  const errors: PullHostsValidation['errors'] = [];
  list.forEach((raw, index) => {
    const r = parsePullHostEntry(raw);
    if (!r.ok) errors.push({ index, entry: raw, reason: r.reason });
    else if (!entries.includes(r.normalized)) entries.push(r.normalized);
  });
  return { entries, errors };
}

export interface PullTarget {
  /** The host as written in the URL (name or address, without brackets). */
  host: string;
  port: number;
  /** Every address the host resolves to (the address itself when the host is one). */
  addresses: readonly string[];
}

export type PullDecision = { allowed: true; by: string } | { allowed: false; outside: string[] };

/**
 * Allowed when an entry names the host (exact, case-insensitive) with a matching port, or when every
 * resolved address falls in an address/CIDR entry with a matching port. A host with no address is refused.
 */
/** A host name as entries hold it: lower case, no trailing dot. */
const hostName = (host: string) => host.toLowerCase().replace(/\.$/, '');

/**
 * Whether any entry could allow `host`, i.e. whether resolving it is worth it: an address/CIDR entry, or (for a
 * name) a host entry naming it. An empty list (the default) refuses without a DNS query.
 */
export function mayAllow(list: readonly string[], host: string): boolean {
  const literal = parseAddress(host) !== null;
  const name = hostName(host);
  return list.some((s) => {
    const r = parsePullHostEntry(s);
    return r.ok && (r.entry.kind === 'net' || (!literal && r.entry.kind === 'host' && r.entry.host === name));
  });
}

export function checkPullTarget(list: readonly string[], target: PullTarget): PullDecision {
  const parsed = list.map((s) => ({ s, r: parsePullHostEntry(s) })).filter((x): x is { s: string; r: Extract<ParseResult, { ok: true }> } => x.r.ok);
  const portOk = (e: PullHostEntry) => e.port === null || e.port === target.port;
  const name = hostName(target.host);
  const byName = parsed.find(({ r }) => r.entry.kind === 'host' && r.entry.host === name && portOk(r.entry));
  if (byName && parseAddress(target.host) === null) return { allowed: true, by: byName.r.normalized };
  if (target.addresses.length === 0) return { allowed: false, outside: [] };
  const nets = parsed.filter(({ r }) => r.entry.kind === 'net' && portOk(r.entry));
  const outside: string[] = [];
  let by = '';
  for (const a of target.addresses) {
    const addr = parseAddress(a);
    const hit =
      addr &&
      nets.find(({ r }) => {
        const e = r.entry as Extract<PullHostEntry, { kind: 'net' }>;
        return e.family === addr.family && (addr.value & maskOf(e.family, e.prefix)) === e.network;
      });
    if (hit) by ||= hit.r.normalized;
    else outside.push(a);
  }
  return outside.length === 0 ? { allowed: true, by } : { allowed: false, outside };
}
