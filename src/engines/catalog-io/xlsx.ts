// XLSX in and out (exceljs). Reading turns every sheet into rows of display text, as the person sees the
// cells; cells that hold no usable value (an error such as #N/A, a formula saved without its result) are
// flagged so the reader can name them if they sit in a column we use. Before exceljs inflates anything the
// ZIP directory is checked: a 10 MB upload must not expand into gigabytes (a "zip bomb").
import ExcelJS from 'exceljs';
import { fileIssue, type ImportIssue } from './issues.ts';

export interface CellProblem {
  code: string;
  zh: string;
  en: string;
}

export interface SheetRow {
  row: number;
  cells: string[];
  /** 0-based column index → why that cell has no usable value. */
  problems?: Map<number, CellProblem>;
}

export interface SheetTable {
  sheet: string;
  rows: SheetRow[];
}

export type XlsxReadResult = { ok: true; tables: SheetTable[] } | { ok: false; issue: ImportIssue };

export const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/** OLE2 compound file: Excel 97–2003 .xls, and also any password-protected .xlsx. */
export const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/**
 * Totals from the ZIP central directory: entry count and declared uncompressed bytes. null when the
 * directory cannot be found or read (not a ZIP, or truncated). ZIP64 sizes count as unlimited.
 */
export function zipDirectoryTotals(buf: Buffer): { entries: number; uncompressed: number } | null {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  let eocd = -1;
  for (let p = buf.length - 22; p >= min; p--) {
    if (buf.readUInt32LE(p) === 0x06054b50) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  let uncompressed = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) return null;
    const size = buf.readUInt32LE(p + 24);
    uncompressed += size === 0xffffffff ? Number.POSITIVE_INFINITY : size;
    p += 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return { entries: count, uncompressed };
}

function isoDate(d: Date): string {
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
}

const FORMULA_NO_RESULT: CellProblem = {
  code: 'FORMULA_WITHOUT_VALUE',
  zh: '单元格是公式，但文件中没有保存计算结果；请在 Excel 中打开并保存，或复制后“粘贴为数值”',
  en: 'The cell holds a formula saved without its result; open and save the file in Excel, or paste the values only',
};

/** The text a person sees in the cell, or why there is none. */
export function cellText(value: ExcelJS.CellValue): string | CellProblem {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return isoDate(value);
  if ('error' in value) {
    return { code: 'CELL_ERROR', zh: `单元格的值是错误 ${value.error}`, en: `The cell holds the error ${value.error}` };
  }
  if ('richText' in value) return value.richText.map((t) => t.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    if (result === undefined || result === null) return FORMULA_NO_RESULT;
    return cellText(result as ExcelJS.CellValue);
  }
  if ('hyperlink' in value) {
    const text = (value as { text?: unknown }).text;
    return typeof text === 'string' ? text : cellText(text as ExcelJS.CellValue);
  }
  return '';
}

export async function readXlsx(buf: Buffer, limits: { maxRecords: number; maxUncompressedBytes: number }): Promise<XlsxReadResult> {
  const unreadable = fileIssue(
    'FILE_UNREADABLE',
    '无法读取该 Excel 文件：文件已损坏或不是 .xlsx 格式',
    'This Excel file cannot be read: it is damaged or not in .xlsx format',
  );
  const totals = zipDirectoryTotals(buf);
  if (!totals) return { ok: false, issue: unreadable };
  if (totals.uncompressed > limits.maxUncompressedBytes || totals.entries > 10_000) {
    const mb = Math.round(limits.maxUncompressedBytes / 1024 / 1024);
    return {
      ok: false,
      issue: fileIssue(
        'FILE_TOO_LARGE',
        `Excel 文件解压后超过 ${mb} MB，请拆分后分批导入`,
        `The Excel file expands to more than ${mb} MB; split it and import the parts`,
      ),
    };
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buf as unknown as ExcelJS.Buffer);
  } catch {
    return { ok: false, issue: unreadable };
  }
  const tables: SheetTable[] = [];
  let records = 0;
  for (const ws of workbook.worksheets) {
    const rows: SheetRow[] = [];
    let tooMany = false;
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      if (tooMany) return;
      const cells: string[] = [];
      let problems: Map<number, CellProblem> | undefined;
      // Cells of a merged range all read the top-left value: a system name merged down over its
      // resources' rows applies to each of them, as the person reading the sheet understands it.
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        const text = cellText(cell.value);
        while (cells.length < col - 1) cells.push('');
        if (typeof text === 'string') cells[col - 1] = text;
        else {
          cells[col - 1] = '';
          problems ??= new Map();
          problems.set(col - 1, text);
        }
      });
      if (cells.every((c) => c.trim() === '') && !problems) return;
      if (++records > limits.maxRecords) {
        tooMany = true;
        return;
      }
      rows.push({ row: rowNumber, cells, ...(problems ? { problems } : {}) });
    });
    if (tooMany) {
      return {
        ok: false,
        issue: fileIssue(
          'TOO_MANY_ROWS',
          `文件行数超过上限（${limits.maxRecords} 行），请拆分后分批导入`,
          `The file has more than ${limits.maxRecords} rows; split it and import the parts`,
          { sheet: ws.name },
        ),
      };
    }
    tables.push({ sheet: ws.name, rows });
  }
  return { ok: true, tables };
}

export interface SheetSpec {
  name: string;
  headers: readonly string[];
  rows: readonly (readonly (string | number)[])[];
  /** Columns shown wider (0-based index → width in characters). */
  widths?: Readonly<Record<number, number>>;
}

// C0 controls other than tab and line ends, U+FFFE/U+FFFF and unpaired surrogates: not text. XML 1.0
// cannot carry them (Excel refuses such a file), and no catalog entry should hold them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const NOT_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NOT_TEXT_ALL = new RegExp(NOT_TEXT.source, 'g');

export function hasNonTextChar(value: string): boolean {
  return NOT_TEXT.test(value);
}

/** A workbook of plain text and number cells: bold frozen header row, filters, readable widths. */
export async function writeXlsx(sheets: readonly SheetSpec[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "数安 Shu'an";
  workbook.created = new Date();
  for (const spec of sheets) {
    const ws = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow([...spec.headers]).font = { bold: true };
    // Strings stay strings: exceljs writes no formulas from them, so no cell can execute anything.
    for (const r of spec.rows) ws.addRow(r.map((v) => (typeof v === 'string' ? v.replace(NOT_TEXT_ALL, '') : v)));
    spec.headers.forEach((h, i) => {
      ws.getColumn(i + 1).width = spec.widths?.[i] ?? Math.min(40, Math.max(10, h.length * 2 + 4));
    });
    if (spec.headers.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: spec.headers.length } };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
