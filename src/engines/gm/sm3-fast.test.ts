import { createHash, randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestWords, Sm3Hasher, Sm3Link, sm3Parts, wordsDigest } from './sm3-fast.ts';

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const reference = (data: Uint8Array) => createHash('sm3').update(data).digest('hex');

/** Cuts `data` into random parts (empty ones included), as views of it and as copies. */
function randomSplit(data: Buffer): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let at = 0;
  while (at < data.length) {
    const len = Math.min(data.length - at, randomInt(0, randomInt(0, 3) === 0 ? 200 : 70));
    const view = data.subarray(at, at + len);
    parts.push(randomInt(0, 2) === 0 ? view : new Uint8Array(view));
    at += len;
  }
  if (randomInt(0, 4) === 0) parts.splice(randomInt(0, parts.length + 1), 0, new Uint8Array(0));
  return parts;
}

// Lengths where the padding changes shape: 0x80 and the 64-bit length fit in the last block up to 55 bytes
// mod 64, from 56 they need one more block.
const EDGES = [0, 1, 31, 32, 53, 54, 55, 56, 57, 62, 63, 64, 65, 118, 119, 120, 121, 127, 128, 129, 183, 184, 191, 192, 193];

describe('sm3Parts (GB/T 32905) — domain.md §6 vectors', () => {
  it('"abc"', () => {
    expect(hex(sm3Parts([Buffer.from('abc')]))).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('"abcd" × 16 (one full block, then a padding block), whole and in parts', () => {
    const expected = 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732';
    expect(hex(sm3Parts([Buffer.from('abcd'.repeat(16))]))).toBe(expected);
    expect(hex(sm3Parts(Array.from({ length: 16 }, () => Buffer.from('abcd'))))).toBe(expected);
    expect(hex(sm3Parts([Buffer.from('a'), Buffer.from(`bcd${'abcd'.repeat(14)}abc`), Buffer.from('d')]))).toBe(expected);
  });

  it('the empty message, with no parts or empty parts', () => {
    const expected = reference(new Uint8Array(0));
    expect(hex(sm3Parts([]))).toBe(expected);
    expect(hex(sm3Parts([new Uint8Array(0), Buffer.alloc(0)]))).toBe(expected);
  });
});

describe('sm3Parts equals createHash("sm3")', () => {
  it('at every length where the padding changes shape, whole and split at every point', () => {
    for (const len of EDGES) {
      const data = randomBytes(len);
      const expected = reference(data);
      expect(hex(sm3Parts([data])), `length ${len}`).toBe(expected);
      for (let cut = 0; cut <= len; cut++) {
        expect(hex(sm3Parts([data.subarray(0, cut), data.subarray(cut)])), `length ${len} cut at ${cut}`).toBe(expected);
      }
    }
  });

  it('over thousands of random lengths 0..2000 and random part splits, reusing one output buffer', () => {
    const out = new Uint8Array(32);
    for (let i = 0; i < 3000; i++) {
      const len = i < EDGES.length ? EDGES[i] : randomInt(0, 2001);
      const data = randomBytes(len);
      const parts = randomSplit(data);
      const result = sm3Parts(parts, out);
      expect(result).toBe(out);
      expect(hex(out), `length ${len} in ${parts.length} parts`).toBe(reference(data));
    }
  });

  it('the chain link shape: previous hash ‖ prefix ‖ event, digest written over the previous hash', () => {
    const prefix = Buffer.from('SHUAN-AUDIT-EVENT-v1\n');
    let prev = Buffer.alloc(32);
    let expected = Buffer.alloc(32);
    for (let i = 0; i < 500; i++) {
      const event = randomBytes(randomInt(150, 700));
      expected = createHash('sm3').update(expected).update(prefix).update(event).digest();
      // `out` may be one of the parts: the parts are read in full before the digest is written.
      sm3Parts([prev, prefix, event], prev);
      expect(hex(prev)).toBe(expected.toString('hex'));
      prev = Buffer.from(prev);
    }
  });

  it('a large input spanning many blocks, at an odd offset inside its buffer', () => {
    const big = randomBytes(1_000_003);
    const view = big.subarray(3);
    expect(hex(sm3Parts([view]))).toBe(reference(view));
    expect(hex(sm3Parts([view.subarray(0, 777), view.subarray(777, 500_001), view.subarray(500_001)]))).toBe(reference(view));
  });

  it('returns a new 32-byte Buffer when no output is given', () => {
    const a = sm3Parts([Buffer.from('abc')]);
    const b = sm3Parts([Buffer.from('abc')]);
    expect(Buffer.isBuffer(a)).toBe(true);
    expect(a.length).toBe(32);
    expect(a).not.toBe(b);
    expect(hex(a)).toBe(hex(b));
  });
});

describe('Sm3Hasher', () => {
  it('hashes message after message, resetting itself at each digest, with an output offset', () => {
    const h = new Sm3Hasher();
    const out = Buffer.alloc(40);
    for (let i = 0; i < 200; i++) {
      const data = randomBytes(randomInt(0, 300));
      for (const p of randomSplit(data)) h.update(p);
      h.digestInto(out, 8);
      expect(out.subarray(8).toString('hex')).toBe(reference(data));
    }
  });

  it('reset() discards what was fed so far', () => {
    const h = new Sm3Hasher();
    h.update(randomBytes(100));
    h.reset();
    expect(hex(h.update(Buffer.from('abc')).digestInto(new Uint8Array(32)))).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('refuses an output with less than 32 bytes from the offset', () => {
    const h = new Sm3Hasher();
    expect(() => h.digestInto(new Uint8Array(31))).toThrow(RangeError);
    expect(() => h.digestInto(new Uint8Array(40), 9)).toThrow(RangeError);
    expect(() => h.digestInto(new Uint8Array(40), -1)).toThrow(RangeError);
    expect(() => h.digestInto(new Uint8Array(40), 1.5)).toThrow(RangeError);
  });
});

describe('Sm3Link (a hash-chain link over a range of a larger buffer)', () => {
  const prefix = Buffer.from('SHUAN-AUDIT-EVENT-v1\n');

  it('equals createHash over previous ‖ prefix ‖ range, at every length 0..300 and random ones, at odd offsets', () => {
    const link = new Sm3Link(prefix);
    let prev = randomBytes(32);
    const words = digestWords(prev);
    for (let i = 0; i < 1500; i++) {
      const len = i <= 300 ? i : randomInt(0, 3000);
      const before = randomInt(0, 70);
      // A view into a larger buffer: the range is read through a DataView over the same bytes.
      const data = randomBytes(before + len + randomInt(0, 9) + 3).subarray(3);
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      const expected = createHash('sm3')
        .update(prev)
        .update(prefix)
        .update(data.subarray(before, before + len))
        .digest();
      link.next(words, data, view, before, before + len);
      expect(wordsDigest(words).toString('hex'), `length ${len} at ${before}`).toBe(expected.toString('hex'));
      prev = expected;
    }
  });

  it('takes any prefix up to 31 bytes, refuses a longer one', () => {
    for (const n of [0, 1, 11, 31]) {
      const p = randomBytes(n);
      const link = new Sm3Link(p);
      const prev = randomBytes(32);
      const data = randomBytes(500);
      const words = digestWords(prev);
      link.next(words, data, new DataView(data.buffer, data.byteOffset, data.byteLength), 0, data.length);
      expect(wordsDigest(words).toString('hex')).toBe(createHash('sm3').update(prev).update(p).update(data).digest('hex'));
    }
    expect(() => new Sm3Link(new Uint8Array(32))).toThrow(RangeError);
  });

  it('digestWords and wordsDigest are inverse; a digest must be 32 bytes', () => {
    const d = randomBytes(32);
    expect(wordsDigest(digestWords(d)).equals(d)).toBe(true);
    expect(() => digestWords(new Uint8Array(31))).toThrow(RangeError);
  });
});
