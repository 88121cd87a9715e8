// AUD-2: the canonical encoding of an audit event and the links of the SM3 hash chain. Pure: the sealer,
// the database verifier and the offline bundle verifier all use these functions, so they cannot disagree.
import { hmacSm3 } from '../gm/index.ts';
import { Sm3Hasher } from '../gm/sm3-fast.ts';

/** An audit event as the chain sees it. `occurredAt` is UTC with microseconds (see formatChainTime). */
export interface ChainEvent {
  /** The table's insertion counter, carried for display; not hashed. */
  seq: number;
  id: string;
  occurredAt: string;
  actorUserId: string | null;
  actorUsername: string | null;
  actingInstitutionId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetInstitutionId: string | null;
  outcome: string;
  ip: string | null;
  requestId: string | null;
  details: unknown;
}

export const GENESIS_HASH: Buffer = Buffer.alloc(32);
const EVENT_PREFIX = 'SHUAN-AUDIT-EVENT-v1\n';
export const EVENT_PREFIX_BYTES: Buffer = Buffer.from(EVENT_PREFIX, 'utf8');

/** 2026-11-26T13:45:01.123000Z: what PostgreSQL stores (microseconds), whatever precision the writer had. */
export function formatChainTime(d: Date): string {
  const iso = d.toISOString(); // …T13:45:01.123Z
  return `${iso.slice(0, 23)}000Z`;
}

/** JSON with object keys sorted at every depth: jsonb does not keep key order, so order cannot count. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stableJson(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of Object.keys(obj).sort()) {
    if (obj[k] === undefined) continue;
    parts.push(`${JSON.stringify(k)}:${stableJson(obj[k])}`);
  }
  return `{${parts.join(',')}}`;
}

/** The JSON array the canonical encoding is made of (what an export bundle's event line carries). */
export function canonicalArray(position: number, e: ChainEvent): string {
  // seq is left out on purpose: it is the table's insertion counter (commits make it non-monotonic), the
  // chain's order is the position, and leaving it out lets the appender hash an event before inserting it.
  const fields = [
    position,
    e.id,
    e.occurredAt,
    e.actorUserId,
    e.actorUsername,
    e.actingInstitutionId,
    e.action,
    e.targetType,
    e.targetId,
    e.targetInstitutionId,
    e.outcome,
    e.ip,
    e.requestId,
  ];
  return `${JSON.stringify(fields).slice(0, -1)},${stableJson(e.details ?? {})}]`;
}

export function canonicalEvent(position: number, e: ChainEvent): Buffer {
  return Buffer.from(`${EVENT_PREFIX}${canonicalArray(position, e)}`, 'utf8');
}

/** The encoding's bytes are written here (grown when an event needs more): no Buffer per link. */
let linkScratch = Buffer.allocUnsafe(16 * 1024);
const linkHasher = new Sm3Hasher();

/**
 * hash(p) = SM3(hash(p-1) ‖ canonical(event at p)). The appender runs this for every event between two
 * commits, on the core PostgreSQL also needs (issue 6, appends ×50): the text is encoded into a reused
 * buffer and hashed from there, with the same bytes as canonicalEvent().
 */
export function linkHash(previous: Uint8Array, position: number, e: ChainEvent): Buffer {
  const text = canonicalArray(position, e);
  // UTF-8 needs at most 3 bytes per UTF-16 code unit.
  if (text.length * 3 > linkScratch.length) linkScratch = Buffer.allocUnsafe(text.length * 3);
  const n = linkScratch.write(text, 0);
  return linkHasher.update(previous).update(EVENT_PREFIX_BYTES).update(linkScratch.subarray(0, n)).digestInto(Buffer.allocUnsafe(32));
}

/** mac(p) = HMAC-SM3(K, position as 8 bytes big-endian ‖ hash(p)); K never leaves the operator. */
export function chainMac(key: Uint8Array, position: number, hash: Uint8Array): Buffer {
  const p = Buffer.alloc(8);
  p.writeBigUInt64BE(BigInt(position));
  return hmacSm3(key, Buffer.concat([p, hash]));
}
