// Keyed randomness behind tokens, noise and shuffles: deterministic per key and seed, different across keys,
// uniform enough, and permutations that are permutations.
import { describe, expect, it } from 'vitest';
import { deriveKeys, KeyedStream, keyedPermutation, MaskKeyError } from './keys.ts';
import { KEY_A, KEY_B } from './test-helpers.ts';

describe('deriveKeys', () => {
  it('derives four different subkeys and refuses keys under 16 bytes', () => {
    const k = deriveKeys(KEY_A);
    expect(new Set([k.pseudonym, k.token, k.shuffle, k.noise].map((b) => b.toString('hex'))).size).toBe(4);
    expect(deriveKeys(KEY_A).token.equals(k.token)).toBe(true);
    expect(deriveKeys(KEY_B).token.equals(k.token)).toBe(false);
    expect(() => deriveKeys(Buffer.alloc(15))).toThrow(MaskKeyError);
  });
});

describe('KeyedStream', () => {
  it('is deterministic per key and seed', () => {
    const draw = (key: Buffer, seed: string) => {
      const s = new KeyedStream(key, seed);
      return Array.from({ length: 100 }, () => s.int(1000));
    };
    expect(draw(KEY_A, 'x')).toEqual(draw(KEY_A, 'x'));
    expect(draw(KEY_A, 'x')).not.toEqual(draw(KEY_A, 'y'));
    expect(draw(KEY_A, 'x')).not.toEqual(draw(KEY_B, 'x'));
  });

  it('draws every value of a small range about equally often (no modulo bias)', () => {
    const s = new KeyedStream(KEY_A, 'uniform');
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 20_000; i++) counts[s.int(10)]++;
    // Expected 2,000 each; a chi-square with 9 degrees of freedom stays under 27.9 with probability 0.999.
    const chi = counts.reduce((a, c) => a + (c - 2000) ** 2 / 2000, 0);
    expect(chi).toBeLessThan(27.9);
    for (let i = 0; i < 1000; i++) {
      const v = s.between(-3, 3);
      expect(v).toBeGreaterThanOrEqual(-3);
      expect(v).toBeLessThanOrEqual(3);
    }
  });
});

describe('keyedPermutation', () => {
  it('is a permutation of 0..n−1', () => {
    for (const n of [0, 1, 2, 7, 1000]) {
      const p = keyedPermutation(KEY_A, 'col', n);
      expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it('depends on key and seed, and moves most positions', () => {
    const a = Array.from(keyedPermutation(KEY_A, 'col', 500));
    expect(Array.from(keyedPermutation(KEY_A, 'col', 500))).toEqual(a);
    expect(Array.from(keyedPermutation(KEY_B, 'col', 500))).not.toEqual(a);
    expect(Array.from(keyedPermutation(KEY_A, 'other', 500))).not.toEqual(a);
    expect(a.filter((v, i) => v === i).length).toBeLessThan(10);
  });
});
