// Mark tables: for each (delivery mark key, carrier, field) a table of pseudo-random 32-bit words, one per
// slot. The seed is HMAC-SM3(markKey, label) and the table is the SM4-CTR keystream under that seed: one
// keyed hash and one cipher call per table instead of a keyed hash per cell (6 µs each here), so marking
// a row is table lookups and tracing 50 candidates is cheap. A cell's slot is an unkeyed hash of its
// canonical value; distinct slots get independent words, which is what the statistics rely on.
import { createCipheriv, createHmac } from 'node:crypto';
import type { CarrierKind } from './types.ts';

/** Slots of the value-keyed tables (decimal, text, mask). A leak shows at most this many observations per field. */
export const VALUE_SLOTS = 4096;
/** The seconds carrier is keyed by the minute of the hour (invariant under whole-hour time-zone shifts). */
export const MINUTE_SLOTS = 60;

const LABEL = 'shuan-watermark/v1';

export function slotsFor(kind: CarrierKind): number {
  return kind === 'seconds' ? MINUTE_SLOTS : VALUE_SLOTS;
}

/** Carriers that choose one of m forms (decimal offsets, seconds) and their m. */
export const MODULUS: Readonly<Partial<Record<CarrierKind, number>>> = { decimal: 98, seconds: 29 };

/**
 * The table of one carrier of one field under one mark key. For a carrier with m forms each entry is the
 * chosen form (word mod m); for the width carriers each entry is the 32-bit word itself, one bit per position.
 */
export function deriveTable(markKey: Buffer, kind: CarrierKind, fieldId: string): Int32Array {
  if (markKey.length < 16) throw new Error('watermark: the mark key must have at least 16 bytes');
  const seed = createHmac('sm3', markKey).update(`${LABEL}\u0000${kind}\u0000${fieldId}`).digest();
  const slots = slotsFor(kind);
  const cipher = createCipheriv('sm4-ctr', seed.subarray(0, 16), seed.subarray(16, 32));
  const stream = cipher.update(Buffer.alloc(slots * 4));
  const m = MODULUS[kind];
  const table = new Int32Array(slots);
  for (let i = 0; i < slots; i++) table[i] = m ? stream.readUInt32LE(i * 4) % m : stream.readInt32LE(i * 4);
  return table;
}

/** FNV-1a over UTF-16 code units, reduced to a value slot. Not keyed: it only spreads values over slots. */
export function valueSlot(canonical: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < canonical.length; i++) {
    h ^= canonical.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % VALUE_SLOTS;
}

/**
 * Chance that a word drawn uniformly from 2^32 values lands on one given residue mod m: ⌈2^32/m⌉/2^32,
 * a hair above 1/m. The statistics use this exact figure, so the modulo bias is accounted for.
 */
export function residueChance(m: number): number {
  return Math.ceil(2 ** 32 / m) / 2 ** 32;
}
