// XLSX reading for scans (issue 4: AST-11) and uploads (issue 5: LIF-13), streamed with exceljs.
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { fileInput } from '../../src/sources/file-input.ts';
import { openSource } from '../../src/sources/index.ts';
import { columnLetter, isoFromExcelDate, type XlsxSource, zipEntries } from '../../src/sources/xlsx.ts';
import { allRows, sourceError, tempDir } from './helpers.ts';

const tmp = tempDir('xlsx');
afterAll(() => tmp.remove());

async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const people = () =>
  workbook((wb) => {
    const ws = wb.addWorksheet('人员');
    ws.addRow(['姓名', '身份证号', '出生日期', '登记时间', '年龄', '两倍年龄', '下次体检', '党员', '备注', '链接', '校验']);
    const r2 = ws.addRow([
      { richText: [{ text: '张' }, { text: '三', font: { bold: true } }] },
      '110101199003074578',
      new Date(Date.UTC(1990, 2, 7)),
      new Date(Date.UTC(2024, 0, 15, 8, 30, 0)),
      34,
      { formula: 'E2*2', result: 68 },
      { formula: 'C2+365', result: Date.UTC(1990, 2, 7) / 86_400_000 + 25_569 + 365 }, // a serial day number
      true,
      '',
      { text: '官网', hyperlink: 'https://example.org' },
      { error: '#N/A' },
    ]);
    r2.getCell(3).numFmt = 'yyyy-mm-dd';
    r2.getCell(4).numFmt = 'yyyy-mm-dd hh:mm';
    r2.getCell(7).numFmt = 'yyyy-mm-dd';
    ws.addRow([]); // an empty row: skipped, still counted by Excel's numbering
    ws.getRow(4).values = ['李四', null, null, null, 41.5];
    const other = wb.addWorksheet('其他');
    other.addRow(['x', 'y']);
    other.addRow([1, 2]);
  });

describe('XLSX files as a source', () => {
  it('reads the first sheet: header row, typed cells, dates as ISO strings, formula results, rich text flattened', async () => {
    const src = (await openSource(tmp.file('people.xlsx', await people()))) as XlsxSource;
    expect(src.kind).toBe('xlsx');
    expect(src.sheet).toBe('人员');
    expect(src.sheets).toEqual(['人员', '其他']);
    expect(await src.columns()).toEqual(['姓名', '身份证号', '出生日期', '登记时间', '年龄', '两倍年龄', '下次体检', '党员', '备注', '链接', '校验']);
    expect(await allRows(src)).toEqual([
      {
        line: 1,
        physicalLine: 2,
        values: {
          姓名: '张三',
          身份证号: '110101199003074578',
          出生日期: '1990-03-07',
          登记时间: '2024-01-15T08:30:00',
          年龄: 34,
          两倍年龄: 68,
          下次体检: '1991-03-07',
          党员: true,
          备注: null,
          链接: '官网',
          校验: '#N/A',
        },
      },
      {
        line: 2,
        physicalLine: 4,
        values: {
          姓名: '李四',
          身份证号: null,
          出生日期: null,
          登记时间: null,
          年龄: 41.5,
          两倍年龄: null,
          下次体检: null,
          党员: null,
          备注: null,
          链接: null,
          校验: null,
        },
      },
    ]);
    expect(src.bytesRead?.()).toBe(src.totalBytes);
  });

  it('streams a workbook written as Excel orders it (sheets before the shared strings), row by row', async () => {
    const path = `${tmp.dir}/streamed.xlsx`;
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
    const ws = writer.addWorksheet('数据');
    ws.addRow(['编号', '姓名', '日期']).commit();
    for (let i = 1; i <= 20_000; i++) {
      const row = ws.addRow([i, `姓名${i % 50}`, new Date(Date.UTC(2020, 0, 1 + (i % 365)))]);
      row.getCell(3).numFmt = 'yyyy-mm-dd';
      row.commit();
    }
    ws.commit();
    await writer.commit();
    const entries = (await zipEntries(await fileInput(path))) ?? [];
    const names = entries.map((e) => e.name);
    expect(names.indexOf('xl/worksheets/sheet1.xml')).toBeLessThan(names.indexOf('xl/sharedStrings.xml'));
    const src = await openSource(path);
    let n = 0;
    let last: unknown;
    for await (const r of src.rows()) {
      n++;
      last = r;
    }
    expect(n).toBe(20_000);
    expect(last).toEqual({ line: 20_000, physicalLine: 20_001, values: { 编号: 20_000, 姓名: '姓名0', 日期: '2020-10-17' } });
  });

  it('reads a named sheet, and refuses an unknown one listing the sheets', async () => {
    const bytes = await people();
    const other = await openSource({ buffer: bytes, name: 'p.xlsx' }, { sheet: '其他' });
    expect(await allRows(other)).toEqual([{ line: 1, physicalLine: 2, values: { x: 1, y: 2 } }]);
    const err = await sourceError(() => openSource({ buffer: bytes, name: 'p.xlsx' }, { sheet: '不存在' }));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.messageZh).toContain('人员、其他');
  });

  it('refuses a value in a column without a header, with the sheet row', async () => {
    const bytes = await workbook((wb) => {
      const ws = wb.addWorksheet('s');
      ws.addRow(['a', 'b']);
      ws.addRow([1, 2]);
      ws.addRow([3, 4, 5]);
    });
    const err = await sourceError(async () => allRows(await openSource({ buffer: bytes, name: 'r.xlsx' })));
    expect(err).toMatchObject({ code: 'MALFORMED', line: 3, column: 'C' });
    expect([1, 26, 27, 52, 703].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'AAA']);
  });

  it('refuses damaged files, old .xls / encrypted workbooks, and an oversized shared-strings table', async () => {
    expect(await sourceError(() => openSource({ buffer: Buffer.from('PK\u0003\u0004 not really a zip'), name: 'x.xlsx' }))).toMatchObject({
      code: 'UNREADABLE',
    });
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    const e = await sourceError(() => openSource({ buffer: ole, name: 'old.xls' }));
    expect(e.code).toBe('UNREADABLE');
    expect(e.messageEn).toContain('.xls');
    const strings = await workbook((wb) => {
      const ws = wb.addWorksheet('s');
      ws.addRow(['name']);
      for (let i = 0; i < 500; i++) ws.addRow([`第${i}个不同的字符串`]);
    });
    expect(await sourceError(() => openSource({ buffer: strings, name: 's.xlsx' }, { maxSharedStringsBytes: 1000 }))).toMatchObject({ code: 'TOO_LARGE' });
    expect((await allRows(await openSource({ buffer: strings, name: 's.xlsx' }))).length).toBe(500);
  });

  it('formats Excel date-times without inventing a time zone', () => {
    expect(isoFromExcelDate(new Date(Date.UTC(2024, 1, 29)))).toBe('2024-02-29');
    expect(isoFromExcelDate(new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 999)))).toBe('2024-03-01');
    expect(isoFromExcelDate(new Date(Date.UTC(2024, 1, 29, 12, 0, 0, 250)))).toBe('2024-02-29T12:00:00.250');
    expect(isoFromExcelDate(new Date(Number.NaN))).toBeNull();
  });
});
