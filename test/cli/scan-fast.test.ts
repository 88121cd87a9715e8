// `shuan scan` on CSV/TSV files takes the byte path (csv-bytes.ts → CsvScanner) when it gives the row
// path's answer (rows() → Scanner). Generated files (corpus.ts) and edge cases are scanned both ways and the
// CLI's output compared (and the per-column counts behind it); files the byte path declines (malformed,
// lone CRs, GBK found late, ragged rows) end on the row path, with its output or its error, message and line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { runScan, scanCsvBytes, scanRows } from '../../src/cli/scan-command.ts';
import { csvField, fullWidth, Gen } from '../../src/engines/discovery/corpus.ts';
import type { ScanReport } from '../../src/engines/discovery/index.ts';
import { asCsv, type CsvSource, openSource, SourceError } from '../../src/sources/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'shuan-scan-fast-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let serial = 0;
function file(content: string | Uint8Array, ext = 'csv'): string {
  const p = join(dir, `f${++serial}.${ext}`);
  writeFileSync(p, content);
  return p;
}

/** What the CLI prints of a report, plus the per-column counts it is computed from. */
function shape(report: ScanReport) {
  return {
    rows: report.rows,
    columns: report.columns.map((c) => ({
      name: c.name,
      hits: c.hits,
      proposal: { types: c.proposal.types.map((t) => t.type), piCategory: c.proposal.piCategory, category: c.proposal.category, level: c.proposal.level },
      cells: c.cells,
      nonEmpty: c.nonEmpty,
      nameLike: c.nameLike,
      addressLike: c.addressLike,
      minors: c.minors,
      stats: c.stats,
    })),
    resource: report.resource,
  };
}

/** The file scanned both ways on one opened source (the bytes counted after each pass). */
async function bothWays(path: string) {
  const source = await openSource(path);
  try {
    const columns = await source.columns();
    const csv = asCsv(source) as CsvSource;
    const fast = await scanCsvBytes(csv, columns);
    const fastBytes = source.bytesRead?.();
    const rows = await scanRows(source, columns, {});
    return { fast, fastBytes, rows: rows.report, rowBytes: source.bytesRead?.(), describe: source.describe };
  } finally {
    await source.close();
  }
}

/** The byte path is taken and agrees with the row path; runScan prints the same. */
async function expectSame(path: string): Promise<void> {
  const r = await bothWays(path);
  expect(r.fast, `${path}: byte path declined`).not.toBeNull();
  expect(shape(r.fast as ScanReport)).toEqual(shape(r.rows));
  expect(r.fastBytes).toBe(r.rowBytes);
  const { elapsedMs, ...out } = await runScan(path, {});
  expect(elapsedMs).toBeGreaterThanOrEqual(0);
  expect(out).toEqual({
    source: r.describe,
    rows: r.rows.rows,
    bytes: r.rowBytes,
    columns: shape(r.rows).columns.map(({ name, hits, proposal }) => ({ name, hits, proposal })),
  });
}

/** The byte path declines; runScan gives the row path's output. */
async function expectDeclinedSame(path: string): Promise<void> {
  const r = await bothWays(path);
  expect(r.fast, `${path}: byte path taken`).toBeNull();
  const { elapsedMs: _, ...out } = await runScan(path, {});
  expect(out.rows).toBe(r.rows.rows);
  expect(out.columns).toEqual(shape(r.rows).columns.map(({ name, hits, proposal }) => ({ name, hits, proposal })));
}

/**
 * The file is malformed: runScan fails (exit 2) with the reader's message and line. `pastOpen`: the error
 * lies beyond what openSource reads to find the header and encoding, so the byte path meets it (and declines).
 */
async function expectReaderError(path: string, line: number, pastOpen = true): Promise<void> {
  let readerError: unknown = null;
  let declined: boolean | null = null;
  try {
    const source = await openSource(path);
    try {
      declined = (await scanCsvBytes(asCsv(source) as CsvSource, await source.columns())) === null;
      for await (const _ of source.rows());
    } finally {
      await source.close();
    }
  } catch (err) {
    readerError = err;
  }
  expect(declined, String(readerError)).toBe(pastOpen ? true : null);
  expect(readerError).toBeInstanceOf(SourceError);
  const { messageZh, messageEn, line: at } = readerError as SourceError;
  expect(at).toBe(line);
  const err = await runScan(path, {}).then(
    () => null,
    (e: Error & { exitCode?: number }) => e,
  );
  expect(err?.exitCode).toBe(2);
  expect(err?.message.split('\n')).toHaveLength(1);
  expect(err?.message).toContain(messageZh);
  expect(err?.message).toContain(messageEn);
  expect(err?.message).toContain(`第 ${line} 行 / line ${line}`);
}

const HEADER = ['xh', 'xm', 'sfzh', 'csrq', 'sjhm', 'gddh', 'hjdz', 'yhkh', 'dzyx', 'cphm', 'ip', 'je', 'bz'];

/** Government-style rows from the corpus generator; the remarks hold quotes, delimiters, line breaks and full-width digits. */
function records(seed: number, n: number, gb = false): string[][] {
  const g = new Gen(seed);
  return Array.from({ length: n }, (_, i) => {
    const remark = g.pick([
      '',
      '已核实',
      `联系人电话${g.mobile()}，曾住院`,
      `"复核"\n第二行 ${g.mobile()}`,
      `金额,${g.amount()}; 备注|${g.bankCard()}`,
      `电话${fullWidth(g.mobile())}`,
      `（${g.mobileFormatted()}）`,
      `  ${g.residentId()}  `,
      gb ? '𠀀𠀁 生僻字' : 'emoji 😀 é',
      `出生于${g.dob()}`,
    ]);
    return [
      String(i + 1),
      g.name(),
      g.chance(0.9) ? g.residentId() : g.residentIdBadCheck(),
      g.dob(),
      g.chance(0.1) ? g.mobileFormatted() : g.mobile(),
      g.chance(0.5) ? g.landline() : '',
      g.address(),
      g.chance(0.2) ? g.bankCardGrouped() : g.bankCard(),
      g.chance(0.6) ? g.email() : '',
      g.chance(0.4) ? g.plate() : '',
      g.chance(0.9) ? g.ipv4() : g.ipv6(),
      g.amount(),
      remark,
    ];
  });
}

function csvText(rows: string[][], opts: { delimiter?: string; eol?: string; header?: string[] } = {}): string {
  const d = opts.delimiter ?? ',';
  const eol = opts.eol ?? '\n';
  const field = (v: string) => (v.includes(d) || /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : csvField(v));
  return [opts.header ?? HEADER, ...rows].map((r) => r.map(field).join(d)).join(eol) + eol;
}

describe('shuan scan: the byte path gives the row path’s answer', () => {
  it('generated government data: several chunks, quoted line breaks across chunk boundaries, every delimiter, CRLF, BOM', async () => {
    const rows = records(1, 6000);
    const text = csvText(rows);
    expect(Buffer.byteLength(text)).toBeGreaterThan(3 * 256 * 1024);
    await expectSame(file(text));
    await expectSame(file(`\ufeff${csvText(rows, { eol: '\r\n' })}`));
    await expectSame(file(csvText(rows, { delimiter: '\t' }), 'tsv'));
    await expectSame(file(csvText(rows.slice(0, 500), { delimiter: ';' })));
    await expectSame(file(csvText(rows.slice(0, 500), { delimiter: '|' }).replace(/\n$/, '')));
  });

  it('GBK and GB18030 files (transcoded to UTF-8 for the byte scanner)', async () => {
    await expectSame(file(iconv.encode(csvText(records(2, 3000).map((r) => r.slice(0, 12).concat('住院'))), 'gbk')));
    await expectSame(file(iconv.encode(csvText(records(3, 3000, true), { eol: '\r\n' }), 'gb18030')));
  });

  it('headers: names trimmed, blank and repeated ones named by the reader, a column called __proto__', async () => {
    await expectSame(file(' 姓名 ,,sjhm,sjhm, ,__proto__,constructor\n张三,x,13812345678,13912345678,,110105194912310025,李四\n'));
    await expectSame(file('"xm,1","sj""hm"\n张三,13812345678\n'));
  });

  it('blank lines (before the header, between rows, at the end), quoted empty values, a last line without a break', async () => {
    await expectSame(file('\n\r\n\nxm,sjhm\n\n张三,13812345678\r\n\r\n"",""\n李四,\n,\n\n'));
    await expectSame(file('sjhm\n""\n13812345678\n\n \n13912345678'));
    await expectSame(file('xm,sjhm\n"张三","1381234\n5678"\n"王""五",13912345678'));
    await expectSame(file('xm,sjhm\n'));
  });

  it('UTF-8 whose first non-ASCII byte comes after the first megabyte', async () => {
    const g = new Gen(5);
    const ascii = Array.from({ length: 80000 }, (_, i) => `${i},${g.mobile()}`).join('\n');
    const text = `xh,bz\n${ascii}\n1,张三电话${g.mobile()}\n`;
    expect(text.indexOf('张')).toBeGreaterThan(1024 * 1024);
    await expectSame(file(text));
  });
});

describe('shuan scan: what the byte path declines ends on the row path', () => {
  it('a malformed file: the reader’s error and line (ragged rows, stray quotes, an unclosed quote)', async () => {
    // 4000 good rows first, one value per line: past what openSource reads (the first chunks, up to a
    // 256 KiB window after the first non-ASCII byte to decide the encoding).
    const good = csvText(records(6, 4000).map((r) => r.map((v) => v.replace(/["\n]/g, ''))));
    expect(good.length).toBeGreaterThan(600_000);
    const bad = (tail: string) => file(`${good}${tail}`);
    await expectReaderError(bad('1,2\n'), 4002);
    await expectReaderError(bad(`${'1,'.repeat(13)}x\n`), 4002);
    const row = records(7, 1)[0].map((v) => v.replace(/["\n,]/g, ''));
    await expectReaderError(bad(`${row.join(',')}\n${row.slice(0, 12).join(',')},"x\n"y\n`), 4004);
    await expectReaderError(bad(`${row.slice(0, 12).join(',')},x"y\n`), 4002);
    await expectReaderError(bad(`${row.slice(0, 12).join(',')},"x" \n`), 4002);
    await expectReaderError(bad(`${row.join(',')}\n${row.slice(0, 12).join(',')},"open\n${row.join(',')}\n`), 4003);
    // The first error wins, as the reader finds it: a short row before a stray quote further on.
    const lines = csvText(records(8, 6000).map((r) => r.map((v) => v.replace(/["\n]/g, '')))).split('\n');
    lines[4100] = '1,2';
    lines[5900] = `${lines[5900]}x"`;
    await expectReaderError(file(lines.join('\n')), 4101);
    // Small files fail when opened, before either path: the same error as before.
    await expectReaderError(file('a,b\n1,"2\n"x\n'), 3, false);
    await expectReaderError(file('a,b\n1,2\n3\n'), 3); // field counts are checked by rows() only
  });

  it('bad encoding: invalid UTF-8 after a BOM, a NUL, GBK bytes deep in a UTF-8 file', async () => {
    const good = csvText(records(9, 4000).map((r) => r.map((v) => v.replace(/["\n]/g, ''))));
    await expectReaderError(file(Buffer.concat([Buffer.from(`\ufeff${good}`), Buffer.from([0xff, 0x2c, 0x31, 0x0a])])), 4002);
    await expectReaderError(file(`${good}${'1,'.repeat(12)}\u0000\n`), 4002);
    await expectReaderError(file(Buffer.concat([Buffer.from(good), iconv.encode(`${'1,'.repeat(12)}张三\n`, 'gbk')])), 4002);
  });

  it('GBK whose first Chinese character comes after the first megabyte: the reader decodes GB18030', async () => {
    const g = new Gen(7);
    const ascii = Array.from({ length: 80000 }, (_, i) => `${i},${g.mobile()}`).join('\n');
    const text = `xh,bz\n${ascii}\n1,张三电话${g.mobile()}\n`;
    expect(text.indexOf('张')).toBeGreaterThan(1024 * 1024);
    await expectDeclinedSame(file(iconv.encode(text, 'gbk')));
  });

  it('a field longer than the byte scanner’s piece (256 KiB): it and the row path cut it into pieces differently', async () => {
    const g = new Gen(4);
    const long = Array.from({ length: 30000 }, () => `${g.name()}电话${g.mobile()}`).join(' ');
    expect(Buffer.byteLength(long)).toBeGreaterThan(600_000);
    await expectDeclinedSame(file(`xm,bz\n张三,${long}\n李四,"${long}\n${long}"\n王五,x\n`));
    // Up to the piece, the byte path (a quoted field: its content and two quotes).
    const under = 'x'.repeat((1 << 18) - 2);
    await expectSame(file(`xm,bz\n张三,${under}\n李四,"${under}"\n`));
    await expectDeclinedSame(file(`xm,bz\n张三,${under}x\n`));
  });

  it('lone CRs (old Mac line ends) and as many columns as the scanner keeps', async () => {
    await expectDeclinedSame(file('xm,sjhm\r张三,13812345678\r李四,13912345678\r'));
    const header = Array.from({ length: 4096 }, (_, i) => `c${i}`);
    await expectDeclinedSame(file(`${header.join(',')}\n${header.map((_, i) => (i === 5 ? '13812345678' : '')).join(',')}\n`));
  });
});
