// Content hash of a dataset version (LIF-13): order-independent and incremental, so an append or an upsert
// updates it without re-reading the whole dataset. Each row's keyed hash (HMAC-SM3 under the resource's
// index key, so the hash of a row of ID numbers cannot be brute-forced by someone without the key) is
// added mod 2^256 (a multiset hash, MSet-Add-Hash); the published digest is SM3 over that sum and the row
// count. Two versions have the same digest exactly when they hold the same multiset of rows.
import { createHash, createHmac } from 'node:crypto';
import type { StoredValue } from './coerce.ts';

const MOD = 1n << 256n;

/** Canonical bytes of a row: values in field order (names included), JSON-encoded. */
export function canonicalRow(fieldNames: readonly string[], row: Readonly<Record<string, StoredValue>>): string {
  return JSON.stringify(fieldNames.map((n) => [n, row[n] ?? null]));
}

export function rowDigest(indexKey: Buffer, canonical: string): Buffer {
  return createHmac('sm3', indexKey).update('shuan.row\0').update(canonical).digest();
}

export class MultisetHash {
  private sum: bigint;
  private count: number;

  constructor(state?: { sum: string; count: number }) {
    this.sum = state ? BigInt(`0x${state.sum}`) : 0n;
    this.count = state?.count ?? 0;
  }

  add(digest: Buffer): void {
    this.sum = (this.sum + BigInt(`0x${digest.toString('hex')}`)) % MOD;
    this.count++;
  }

  remove(digest: Buffer): void {
    this.sum = (this.sum - BigInt(`0x${digest.toString('hex')}`) + MOD) % MOD;
    this.count--;
  }

  /** What is stored to continue later (the sum reveals nothing without the index key). */
  state(): { sum: string; count: number } {
    return { sum: this.sum.toString(16).padStart(64, '0'), count: this.count };
  }

  /** The version's content hash: SM3 over the sum and the count, hex. */
  digest(): string {
    const s = this.state();
    return createHash('sm3').update(`shuan.dataset\0${s.sum}\0${s.count}`).digest('hex');
  }
}
