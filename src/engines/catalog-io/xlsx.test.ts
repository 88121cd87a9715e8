import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { cellText, readXlsx, writeXlsx, zipDirectoryTotals } from './xlsx.ts';

const LIMITS = { maxRecords: 100, maxUncompressedBytes: 50 * 1024 * 1024 };

describe('XLSX reading and writing', () => {
  it('reads cells as the person sees them, and says why a cell has no usable value', () => {
    expect(cellText('甲')).toBe('甲');
    expect(cellText(36)).toBe('36');
    expect(cellText(true)).toBe('TRUE');
    expect(cellText(new Date(Date.UTC(2025, 0, 2)))).toBe('2025-01-02');
    expect(cellText({ richText: [{ text: '户籍' }, { text: '人口' }] })).toBe('户籍人口');
    expect(cellText({ text: '链接', hyperlink: 'https://example.org' })).toBe('链接');
    expect(cellText({ formula: 'A1&B1', result: '合并' } as ExcelJS.CellFormulaValue)).toBe('合并');
    expect(cellText({ formula: 'A1' } as ExcelJS.CellFormulaValue)).toMatchObject({ code: 'FORMULA_WITHOUT_VALUE' });
    expect(cellText({ error: '#N/A' } as ExcelJS.CellErrorValue)).toMatchObject({ code: 'CELL_ERROR' });
  });

  it('reads every sheet with spreadsheet row numbers, fills merged cells and flags problem cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('数据资源');
    ws.addRow(['系统名称', '资源名称']);
    ws.addRow(['人口系统', '甲']);
    ws.addRow([null, '乙']);
    ws.addRow([]);
    ws.addRow(['人口系统', { error: '#REF!' }]);
    ws.mergeCells('A2:A3');
    wb.addWorksheet('空表');
    const r = await readXlsx(Buffer.from(await wb.xlsx.writeBuffer()), LIMITS);
    if (!r.ok) throw new Error(r.issue.code);
    expect(r.tables.map((t) => t.sheet)).toEqual(['数据资源', '空表']);
    const rows = r.tables[0]?.rows ?? [];
    expect(rows.map((x) => [x.row, x.cells])).toEqual([
      [1, ['系统名称', '资源名称']],
      [2, ['人口系统', '甲']],
      [3, ['人口系统', '乙']],
      [5, ['人口系统', '']],
    ]);
    expect(rows[3]?.problems?.get(1)).toMatchObject({ code: 'CELL_ERROR' });
  });

  it('checks the ZIP directory before inflating: a file that expands too far is refused', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('数据项');
    for (let i = 0; i < 2000; i++) ws.addRow(['同一段很长的重复文字'.repeat(20), i]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const totals = zipDirectoryTotals(buf);
    expect(totals?.uncompressed).toBeGreaterThan(buf.length * 5);
    const r = await readXlsx(buf, { maxRecords: 10_000, maxUncompressedBytes: buf.length * 2 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issue.code).toBe('FILE_TOO_LARGE');
    expect(zipDirectoryTotals(Buffer.from('not a zip at all, just some text of some length'))).toBeNull();
  });

  it('refuses more rows than allowed', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('数据项');
    for (let i = 0; i < 20; i++) ws.addRow([`字段${i}`]);
    const r = await readXlsx(Buffer.from(await wb.xlsx.writeBuffer()), { ...LIMITS, maxRecords: 10 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issue).toMatchObject({ code: 'TOO_MANY_ROWS', sheet: '数据项' });
  });

  it('writes text and numbers, strips characters XML cannot hold, and never writes a formula', async () => {
    const buf = await writeXlsx([
      {
        name: '表',
        headers: ['名称', '数量'],
        rows: [
          ['=1+1', 3],
          ['a\u0001b', ''],
        ],
      },
    ]);
    const r = await readXlsx(buf, LIMITS);
    if (!r.ok) throw new Error(r.issue.code);
    expect(r.tables[0]?.rows.map((x) => x.cells)).toEqual([
      ['名称', '数量'],
      ['=1+1', '3'],
      ['ab', ''],
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
    expect(wb.getWorksheet('表')?.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(wb.getWorksheet('表')?.getCell('B2').value).toBe(3);
  });
});
