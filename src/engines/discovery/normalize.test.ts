// NFKC before matching, offsets in the original text (issue 4).
import { describe, expect, it } from 'vitest';
import { normalizeWithOffsets, originalRange } from './normalize.ts';

describe('normalizeWithOffsets', () => {
  it('leaves ASCII and already-normal text alone', () => {
    expect(normalizeWithOffsets('abc 123').starts).toBeNull();
    expect(normalizeWithOffsets('张三 123').starts).toBeNull();
  });
  it('maps full-width forms and the ideographic space to ASCII, remembering where they came from', () => {
    const n = normalizeWithOffsets('电话：１３８　Ａ');
    expect(n.text).toBe('电话:138 A');
    expect(originalRange(n, 3, 6)).toEqual([3, 6]);
  });
  it('maps expansions and surrogate pairs back to whole original characters', () => {
    const n = normalizeWithOffsets('㈱𝟏2'); // ㈱ → (株), 𝟏 (two UTF-16 units) → 1
    expect(n.text).toBe('(株)12');
    expect(originalRange(n, 1, 2)).toEqual([0, 1]);
    expect(originalRange(n, 3, 5)).toEqual([1, 4]);
  });
});
