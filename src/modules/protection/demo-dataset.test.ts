import { describe, expect, it } from 'vitest';
import { demoResidents } from './demo-dataset.ts';

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const valid = (id: string) => id.length === 18 && '10X98765432'[W.reduce((s, w, i) => s + w * Number(id[i]), 0) % 11] === id[17];

describe('demo residents', () => {
  it('are the same every time, unique by ID number, with checksum-valid IDs matching their birth dates', () => {
    const a = demoResidents(100);
    expect(demoResidents(100)).toEqual(a);
    expect(new Set(a.map((r) => r.sfzh)).size).toBe(100);
    for (const r of a) {
      expect(valid(r.sfzh as string)).toBe(true);
      expect((r.sfzh as string).slice(6, 14)).toBe((r.csrq as string).replace(/-/g, ''));
    }
  });
});
