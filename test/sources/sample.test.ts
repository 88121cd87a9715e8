// `--sample N` on files (issue 4): a reservoir over the stream, uniform with bounded memory.
import { afterAll, describe, expect, it } from 'vitest';
import { openSource, type SourceRow } from '../../src/sources/index.ts';
import { reservoirSample } from '../../src/sources/sample.ts';
import { allRows, seeded, tempDir } from './helpers.ts';

const tmp = tempDir('sample');
afterAll(() => tmp.remove());

async function* numbered(m: number): AsyncGenerator<SourceRow> {
  for (let i = 1; i <= m; i++) yield { line: i, values: { id: i } };
}

describe('reservoir sampling of file rows', () => {
  it('draws every row with the same probability (10 of 100, 4,000 draws: each row ≈ 400 times)', async () => {
    const counts = new Array<number>(101).fill(0);
    const random = seeded(20240601);
    for (let t = 0; t < 4000; t++) {
      const ids: number[] = [];
      for await (const r of reservoirSample(numbered(100), 10, random)) ids.push(r.values.id as number);
      expect(new Set(ids).size).toBe(10);
      for (const id of ids) counts[id] = (counts[id] as number) + 1;
    }
    // Binomial(4000, 0.1): mean 400, sd 19; every row within 5 sd, and the first ten rows no more often.
    const rows = counts.slice(1);
    expect(Math.min(...rows)).toBeGreaterThan(400 - 5 * 19);
    expect(Math.max(...rows)).toBeLessThan(400 + 5 * 19);
    const firstTen = rows.slice(0, 10).reduce((a, b) => a + b, 0) / 10;
    expect(Math.abs(firstTen - 400)).toBeLessThan(40);
  });

  it('returns every row when there are fewer than N, and refuses a sample size that is not a positive integer', async () => {
    const all = [];
    for await (const r of reservoirSample(numbered(3), 10)) all.push(r.line);
    expect(all).toEqual([1, 2, 3]);
    await expect(openSource(tmp.file('x.csv', 'a\n1\n'), { sample: 0 })).rejects.toThrow(RangeError);
    await expect(openSource(tmp.file('y.csv', 'a\n1\n'), { sample: 2.5 })).rejects.toThrow(RangeError);
  });

  it('samples a CSV file: N distinct rows in file order, with their original line numbers', async () => {
    const lines = ['id,phone'];
    for (let i = 1; i <= 5000; i++) lines.push(`${i},138${String(i).padStart(8, '0')}`);
    const path = tmp.file('people.csv', `${lines.join('\n')}\n`);
    const src = await openSource(path, { sample: 100, random: seeded(7) });
    expect(src.describe).toBe(`${path} (csv, utf-8) (sample 100)`);
    const rows = await allRows(src);
    expect(rows.length).toBe(100);
    const ids = rows.map((r) => Number(r.values.id));
    expect(new Set(ids).size).toBe(100);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(rows.every((r) => r.line === Number(r.values.id) && r.physicalLine === r.line + 1)).toBe(true);
    expect(ids.filter((id) => id <= 100).length).toBeLessThan(20);
    expect(src.bytesRead?.()).toBe(src.totalBytes);
  });
});
