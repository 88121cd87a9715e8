// Reading a CSV file into rows keyed by the header (issue 4 scans, issue 5 uploads): our streaming reader
// (encoding detection, RFC 4180 parser, line numbers) against @fast-csv/parse (exceljs's CSV parser, so
// already installed) on the same generated ~64 MB file, UTF-8 and GBK (the anchor decodes GBK with
// iconv-lite's stream decoder). Both must produce the same rows first: same count and the same checksum
// over every value.
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '@fast-csv/parse';
import iconv from 'iconv-lite';
import { openSource } from '../src/sources/index.ts';
import type { BenchResult } from './run.ts';

const TARGET_BYTES = 64 * 1024 * 1024;

async function writeFile(path: string, encoding: 'utf8' | 'gbk'): Promise<number> {
  const out = createWriteStream(path);
  const put = async (s: string) => {
    if (!out.write(encoding === 'utf8' ? s : iconv.encode(s, 'gbk'))) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  await put('编号,姓名,身份证号,手机,地址,备注\r\n');
  let rows = 0;
  let bytes = 0;
  while (bytes < TARGET_BYTES) {
    let s = '';
    for (let k = 0; k < 2000; k++, rows++) {
      const note = rows % 10 === 0 ? `"多行备注\r\n第二行, 含""引号"" ${rows}"` : `备注${rows}`;
      s += `${rows},张三${rows % 97},11010119900307${String(rows % 10_000).padStart(4, '0')},138${String(rows).padStart(8, '0')},"北京市东城区某某街道${rows}号",${note}\r\n`;
    }
    bytes += Buffer.byteLength(s);
    await put(s);
  }
  await new Promise<void>((r) => out.end(() => r()));
  return rows;
}

/** Row count and a checksum over the values (length and first character code of each). */
type Tally = { rows: number; sum: number };
const add = (t: Tally, values: Record<string, unknown>) => {
  t.rows++;
  for (const k in values) {
    const v = String(values[k] ?? '');
    t.sum = (t.sum + v.length * 31 + (v.charCodeAt(0) || 0)) % 1_000_000_007;
  }
};

async function ours(path: string): Promise<Tally> {
  const t = { rows: 0, sum: 0 };
  const src = await openSource(path);
  for await (const r of src.rows()) add(t, r.values);
  return t;
}

function anchor(path: string, encoding: 'utf8' | 'gbk'): Promise<Tally> {
  return new Promise((resolve, reject) => {
    const t = { rows: 0, sum: 0 };
    const file = createReadStream(path, { highWaterMark: 256 * 1024 });
    const text = encoding === 'utf8' ? file : file.pipe(iconv.decodeStream('gbk'));
    text
      .pipe(parse({ headers: true, encoding: 'utf8' }))
      .on('error', reject)
      .on('data', (row: Record<string, string>) => add(t, row))
      .on('end', () => resolve(t));
  });
}

async function timed(fn: () => Promise<Tally>): Promise<{ tally: Tally; ms: number }> {
  const start = performance.now();
  const tally = await fn();
  return { tally, ms: performance.now() - start };
}

export async function sourcesBench(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'shuan-bench-sources-'));
  const results: BenchResult[] = [];
  try {
    for (const encoding of ['utf8', 'gbk'] as const) {
      const path = join(dir, `people-${encoding}.csv`);
      const rows = await writeFile(path, encoding);
      const mb = statSync(path).size / 1024 / 1024;
      // Best of two alternating runs each.
      let a = await timed(() => ours(path));
      let b = await timed(() => anchor(path, encoding));
      const a2 = await timed(() => ours(path));
      const b2 = await timed(() => anchor(path, encoding));
      if (a2.ms < a.ms) a = a2;
      if (b2.ms < b.ms) b = b2;
      const same = a.tally.rows === b.tally.rows && a.tally.sum === b.tally.sum && a.tally.rows === rows;
      results.push({
        name: `sources-csv-${encoding}`,
        description: `${mb.toFixed(0)} MB ${encoding === 'utf8' ? 'UTF-8' : 'GBK'} CSV (${rows} rows, quoted multi-line fields) read into rows keyed by the header; ops = rows`,
        ours: { label: `shuan openSource().rows() (${(mb / (a.ms / 1000)).toFixed(0)} MiB/s)`, opsPerSecond: rows / (a.ms / 1000) },
        anchor: {
          label: `@fast-csv/parse headers:true${encoding === 'gbk' ? ' + iconv-lite decodeStream' : ''} (${(mb / (b.ms / 1000)).toFixed(0)} MiB/s)`,
          opsPerSecond: rows / (b.ms / 1000),
        },
        ratio: b.ms / a.ms,
        checked: same ? `same ${rows} rows and value checksum` : `MISMATCH: ours ${JSON.stringify(a.tally)}, anchor ${JSON.stringify(b.tally)}`,
        node: process.version,
        at: new Date().toISOString(),
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
