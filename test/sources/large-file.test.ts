// Bounded memory on a large file (issue 4: "bounded memory regardless of input size"; LIF-13 uploads). A
// sanity bound, not a timing test: reading a 50 MB CSV must not grow the process by anything near the file
// (held whole, its text alone would be ~100 MB as UTF-16, and its rows several times that).
import { createWriteStream, statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { openSource } from '../../src/sources/index.ts';
import { tempDir } from './helpers.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const tmp = tempDir('large');
afterAll(() => tmp.remove());

async function writeCsv(path: string, targetBytes: number): Promise<number> {
  const out = createWriteStream(path);
  out.write('编号,姓名,身份证号,手机,地址,备注\n');
  let rows = 0;
  let written = 0;
  while (written < targetBytes) {
    let s = '';
    for (let k = 0; k < 2000; k++, rows++) {
      s += `${rows},张三${rows % 97},11010119900307${String(rows % 10_000).padStart(4, '0')},138${String(rows).padStart(8, '0')},"北京市东城区某某街道${rows}号","备注,含逗号 ""引号"" ${rows}"\n`;
    }
    written += Buffer.byteLength(s);
    if (!out.write(s)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  return rows;
}

describe('large files (bounded memory)', () => {
  it('reads a 50 MB CSV row by row with flat RSS, and samples it with a bounded reservoir', async () => {
    const path = `${tmp.dir}/big.csv`;
    const rows = await writeCsv(path, 50 * 1024 * 1024);
    expect(statSync(path).size).toBeGreaterThan(50 * 1024 * 1024);

    gc();
    const base = process.memoryUsage().rss;
    let peak = base;
    let n = 0;
    let last = '';
    const src = await openSource(path);
    for await (const r of src.rows()) {
      n++;
      last = r.values.手机 as string;
      if (n % 50_000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().rss);
      }
    }
    expect(n).toBe(rows);
    expect(last).toBe(`138${String(rows - 1).padStart(8, '0')}`);
    const growthMb = (peak - base) / 1024 / 1024;
    expect(growthMb).toBeLessThan(40);

    // A 2,000-row sample must not pin the 256 KiB chunks its values were cut from (live heap, measured
    // after a collection: ~1 MB of rows, where pinned chunks would be ~100 MB).
    gc();
    const before = process.memoryUsage().heapUsed;
    const sample = await openSource(path, { sample: 2000 });
    const kept = [];
    for await (const r of sample.rows()) kept.push(r);
    gc();
    expect(kept.length).toBe(2000);
    expect((process.memoryUsage().heapUsed - before) / 1024 / 1024).toBeLessThan(16);
  });
});
