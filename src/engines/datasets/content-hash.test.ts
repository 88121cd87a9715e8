import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalRow, MultisetHash, rowDigest } from './content-hash.ts';

const key = randomBytes(32);
const fields = ['xm', 'sfzh', 'je'];
const rows = Array.from({ length: 50 }, (_, i) => ({ xm: `张${i}`, sfzh: `11010519491231${String(i).padStart(4, '0')}`, je: i * 1.5 }));
const digestOf = (rs: typeof rows, k = key) => {
  const h = new MultisetHash();
  for (const r of rs) h.add(rowDigest(k, canonicalRow(fields, r)));
  return h.digest();
};

describe('dataset content hash (LIF-13)', () => {
  it('depends on the rows, not their order', () => {
    const shuffled = [...rows].sort(() => Math.random() - 0.5);
    expect(digestOf(shuffled)).toBe(digestOf(rows));
  });

  it('changes with any value, a missing row or a duplicated row', () => {
    const base = digestOf(rows);
    expect(digestOf(rows.map((r, i) => (i === 7 ? { ...r, je: r.je + 0.01 } : r)))).not.toBe(base);
    expect(digestOf(rows.slice(1))).not.toBe(base);
    expect(digestOf([...rows, rows[3] as (typeof rows)[number]])).not.toBe(base);
  });

  it('is incremental: removing and adding rows gives the digest of the resulting set', () => {
    const h = new MultisetHash();
    for (const r of rows) h.add(rowDigest(key, canonicalRow(fields, r)));
    const resumed = new MultisetHash(h.state());
    resumed.remove(rowDigest(key, canonicalRow(fields, rows[0] as (typeof rows)[number])));
    const extra = { xm: '李四', sfzh: '440524188001010014', je: 3 };
    resumed.add(rowDigest(key, canonicalRow(fields, extra)));
    expect(resumed.digest()).toBe(digestOf([...rows.slice(1), extra]));
  });

  it('is keyed: another index key gives another digest for the same rows', () => {
    expect(digestOf(rows, randomBytes(32))).not.toBe(digestOf(rows));
  });

  it('names fields: the same values under other field names are other rows', () => {
    expect(canonicalRow(['a', 'b'], { a: 1, b: 2 })).not.toBe(canonicalRow(['b', 'a'], { a: 1, b: 2 }));
  });
});
