// XLSX workbooks as a TabularSource, streamed with exceljs's WorkbookReader (never loaded whole): the first
// sheet of the workbook unless one is named, its first non-empty row as the header. Cells keep their type:
// numbers and booleans stay so, dates become ISO strings (date only at midnight; Excel times carry no time
// zone, so none is added), formula cells give their saved result, rich text is flattened, error cells give
// their code (#N/A). Before anything is inflated the ZIP directory is read: the shared-strings table is held
// in memory by the reader, so its expanded size is capped, and a "zip bomb" ratio is refused.
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { headerNames } from './csv.ts';
import type { ByteInput } from './file-input.ts';
import { type ColumnInfo, type OpenOptions, SourceError, type SourceRow, type SourceValue, setValue, type TabularSource } from './types.ts';

export interface XlsxSource extends TabularSource {
  kind: 'xlsx';
  /** The sheet read. */
  sheet: string;
  /** Every sheet of the workbook, in workbook order. */
  sheets: string[];
}

export const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/** OLE2 compound file: Excel 97–2003 .xls, and also any password-protected .xlsx. */
export const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

const DEFAULT_MAX_SHARED_STRINGS = 256 * 1024 * 1024;
/** Expansion beyond this ratio (and beyond 100 MiB) is a zip bomb, not a spreadsheet. */
const MAX_RATIO = 250;

interface ZipEntry {
  name: string;
  uncompressed: number;
}

/** The ZIP central directory's entries, read from the end of the file; null if there is none. */
export async function zipEntries(input: ByteInput): Promise<ZipEntry[] | null> {
  const tailLength = Math.min(input.size, 22 + 0xffff);
  const tail = await input.read(input.size - tailLength, tailLength);
  let eocd = -1;
  for (let p = tail.length - 22; p >= 0; p--) {
    if (tail.readUInt32LE(p) === 0x06054b50) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = tail.readUInt16LE(eocd + 10);
  const size = tail.readUInt32LE(eocd + 12);
  const offset = tail.readUInt32LE(eocd + 16);
  if (offset + size > input.size) return null;
  const dir = await input.read(offset, size);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > dir.length || dir.readUInt32LE(p) !== 0x02014b50) return null;
    const raw = dir.readUInt32LE(p + 24);
    const nameLength = dir.readUInt16LE(p + 28);
    entries.push({
      name: dir.toString('utf8', p + 46, p + 46 + nameLength),
      uncompressed: raw === 0xffffffff ? Number.POSITIVE_INFINITY : raw, // ZIP64: treated as unlimited
    });
    p += 46 + nameLength + dir.readUInt16LE(p + 30) + dir.readUInt16LE(p + 32);
  }
  return entries;
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** exceljs's own test for a date number format: y m d h s (or b) outside quotes and brackets. */
export function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  return /[ymdhMsb]/.test(fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

export function excelSerialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

/** `2024-03-01` at midnight, else `2024-03-01T08:30:00` (milliseconds only when there are any). */
export function isoFromExcelDate(d: Date): string | null {
  let t = d.getTime();
  if (Number.isNaN(t)) return null;
  const ms = ((t % 1000) + 1000) % 1000;
  if (ms === 1 || ms === 999) t = Math.round(t / 1000) * 1000; // float noise in the day fraction
  const iso = new Date(t).toISOString();
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  return iso.endsWith('.000Z') ? iso.slice(0, 19) : iso.slice(0, 23);
}

/** 1 → A, 27 → AA, as Excel names columns. */
export function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

type Cell = { value: ExcelJS.CellValue; numFmt?: string };

export function xlsxCellValue(cell: Cell, date1904: boolean): SourceValue {
  const v = cell.value;
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (v instanceof Date) return isoFromExcelDate(v);
  if (typeof v !== 'object') return String(v);
  if ('richText' in v) return v.richText.map((t) => t.text ?? '').join('');
  if ('error' in v) return String(v.error);
  if ('formula' in v || 'sharedFormula' in v) {
    const result = (v as { result?: unknown }).result;
    if (result === undefined || result === null) return null;
    // The streaming reader gives a formula's result as a plain number even under a date format.
    if (typeof result === 'number') {
      if (Number.isNaN(result)) return null; // an error result (#DIV/0!): exceljs keeps no text for it
      return isDateFormat(cell.numFmt) ? isoFromExcelDate(excelSerialToDate(result, date1904)) : result;
    }
    return xlsxCellValue({ value: result as ExcelJS.CellValue, numFmt: cell.numFmt }, date1904);
  }
  if ('hyperlink' in v) {
    const text = (v as { text?: unknown }).text;
    return typeof text === 'string' ? text : xlsxCellValue({ value: text as ExcelJS.CellValue }, date1904);
  }
  return JSON.stringify(v);
}

interface SheetReader extends AsyncIterable<ExcelJS.Row> {
  name: string;
}

interface ReaderInternals {
  model?: { sheets?: { name: string }[] };
  properties?: { model?: { date1904?: boolean } };
}

interface SheetRow {
  number: number;
  cells: Map<number, SourceValue>;
}

export async function openXlsx(input: ByteInput, opts: OpenOptions): Promise<XlsxSource> {
  const head = await input.read(0, 8);
  if (startsWith(head, OLE_MAGIC)) {
    throw new SourceError(
      'UNREADABLE',
      `${input.name} 是旧版 .xls 文件或设置了密码的 Excel 文件；请去掉密码并另存为 .xlsx 后重试`,
      `${input.name} is an old .xls file or a password-protected workbook; remove the password and save it as .xlsx`,
    );
  }
  const unreadable = new SourceError(
    'UNREADABLE',
    `无法读取 Excel 文件 ${input.name}：文件已损坏或不是 .xlsx 格式`,
    `Cannot read the Excel file ${input.name}: it is damaged or not in .xlsx format`,
  );
  const entries = startsWith(head, ZIP_MAGIC) ? await zipEntries(input) : null;
  if (!entries?.some((e) => e.name === 'xl/workbook.xml')) throw unreadable;
  const maxShared = opts.maxSharedStringsBytes ?? DEFAULT_MAX_SHARED_STRINGS;
  const shared = entries.find((e) => e.name === 'xl/sharedStrings.xml');
  if (shared && shared.uncompressed > maxShared) {
    const mb = Math.round(maxShared / 1024 / 1024);
    throw new SourceError(
      'TOO_LARGE',
      `Excel 文件 ${input.name} 的共享字符串表解压后超过 ${mb} MB；请拆分文件或另存为 CSV`,
      `The shared-strings table of ${input.name} expands beyond ${mb} MB; split the file or save it as CSV`,
    );
  }
  const expanded = entries.reduce((s, e) => s + e.uncompressed, 0);
  if (expanded > 100 * 1024 * 1024 && expanded > MAX_RATIO * input.size) {
    throw new SourceError(
      'TOO_LARGE',
      `Excel 文件 ${input.name} 解压后异常庞大（压缩比超过 ${MAX_RATIO} 倍），已拒绝读取`,
      `The Excel file ${input.name} expands abnormally (more than ${MAX_RATIO} times its size) and was refused`,
    );
  }

  let bytes = 0;
  let sheetNames: string[] = [];
  let sheetRead = '';

  /** The rows of the chosen sheet, in order; empty rows skipped. */
  async function* sheetRows(): AsyncGenerator<SheetRow> {
    bytes = 0;
    const counted = async function* () {
      for await (const chunk of input.chunks()) {
        bytes += chunk.length;
        yield chunk;
      }
    };
    const stream = Readable.from(counted(), { objectMode: false });
    stream.on('error', () => {}); // reported through the reader's iteration
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
      sharedStrings: 'cache',
      styles: 'cache', // number formats tell dates from numbers
      hyperlinks: 'ignore',
      worksheets: 'emit',
      entries: 'ignore',
    });
    const internals = reader as unknown as ReaderInternals;
    let found = false;
    // Iterated by hand, so that an early stop (the header probe, a refused row, a consumer that stops) can
    // let exceljs finish: it parks sheets stored before the shared strings in temp files and reads them back
    // later, and abandoning it half-way left that work running into files already gone (an uncaught ENOENT).
    const sheets = (reader as unknown as AsyncIterable<SheetReader>)[Symbol.asyncIterator]();
    let current: AsyncIterator<unknown> | null = null;
    try {
      for (;;) {
        const next = await sheets.next();
        if (next.done) break;
        const ws = next.value;
        sheetNames = (internals.model?.sheets ?? []).map((s) => s.name);
        const wanted = opts.sheet ?? sheetNames[0] ?? ws.name;
        if (ws.name !== wanted) {
          // Read through it before asking for the next sheet: exceljs deletes a parked sheet's temp file as
          // soon as the next one is asked for, and its file stream opens lazily (ENOENT on an unread sheet).
          await drainSheet(ws);
          continue;
        }
        found = true;
        sheetRead = ws.name;
        const date1904 = internals.properties?.model?.date1904 === true;
        const rowsOf = ws[Symbol.asyncIterator]();
        current = rowsOf;
        for (;;) {
          const r = await rowsOf.next();
          if (r.done) break;
          const row = r.value;
          const cells = new Map<number, SourceValue>();
          row.eachCell({ includeEmpty: false }, (cell, col) => {
            const value = xlsxCellValue(cell as unknown as Cell, date1904);
            if (value !== null && value !== '') cells.set(col, value);
          });
          if (cells.size > 0) yield { number: row.number, cells };
        }
        current = null;
        break;
      }
    } catch (err) {
      if (err instanceof SourceError) throw err;
      throw new SourceError(unreadable.code, unreadable.messageZh, unreadable.messageEn, { cause: err });
    } finally {
      await drainWorkbook(current, sheets);
      stream.destroy();
    }
    if (!found) {
      const list = sheetNames.join('、');
      throw new SourceError(
        'NOT_FOUND',
        opts.sheet ? `工作簿中没有名为“${opts.sheet}”的工作表（现有：${list}）` : `工作簿 ${input.name} 中没有工作表`,
        opts.sheet ? `The workbook has no sheet named "${opts.sheet}" (it has: ${sheetNames.join(', ')})` : `The workbook ${input.name} has no sheet`,
      );
    }
  }

  // At open: the header row.
  let header: { names: string[]; width: number; row: number } | null = null;
  const probe = sheetRows();
  try {
    const first = await probe.next();
    if (!first.done) {
      const row = first.value;
      const width = Math.max(...row.cells.keys());
      const texts: string[] = [];
      for (let c = 1; c <= width; c++) {
        const v = row.cells.get(c);
        texts.push(v === undefined || v === null ? '' : String(v));
      }
      header = { names: headerNames(texts), width, row: row.number };
    }
  } finally {
    await probe.return(undefined);
  }
  if (!header) {
    throw new SourceError('MALFORMED', `工作表“${sheetRead}”是空的：没有表头行`, `The sheet "${sheetRead}" is empty: there is no header row`, { line: 1 });
  }
  const { names: columns, width } = header;

  return {
    kind: 'xlsx',
    describe: `${input.name} (xlsx, sheet ${sheetRead})`,
    sheet: sheetRead,
    sheets: [...sheetNames],
    totalBytes: input.size,
    bytesRead: () => bytes,
    columns: async () => [...columns],
    columnInfo: async (): Promise<ColumnInfo[]> => columns.map((name) => ({ name, type: 'other' })),
    async *rows(): AsyncGenerator<SourceRow> {
      const it = sheetRows();
      let line = 0;
      let headerSeen = false;
      try {
        for await (const row of it) {
          if (!headerSeen) {
            headerSeen = true;
            continue;
          }
          const values: Record<string, SourceValue> = {};
          for (let c = 1; c <= width; c++) setValue(values, columns[c - 1] as string, row.cells.get(c) ?? null);
          for (const c of row.cells.keys()) {
            if (c > width) {
              const letter = columnLetter(c);
              throw new SourceError(
                'MALFORMED',
                `第 ${row.number} 行 ${letter} 列有值，但该列没有表头（表头只有 ${width} 列）`,
                `Row ${row.number} has a value in column ${letter}, which has no header (the header has ${width} columns)`,
                { line: row.number, column: letter },
              );
            }
          }
          yield { line: ++line, physicalLine: row.number, values };
        }
      } finally {
        await it.return(undefined);
      }
    },
    close: async () => {},
  };
}

async function drainSheet(ws: SheetReader): Promise<void> {
  const it = (ws as unknown as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  for (let r = await it.next(); !r.done; r = await it.next());
}

/** Reads what is left of a workbook, ignoring it and any error, so exceljs ends its own work cleanly. */
async function drainWorkbook(rows: AsyncIterator<unknown> | null, sheets: AsyncIterator<SheetReader>): Promise<void> {
  try {
    if (rows) for (let r = await rows.next(); !r.done; r = await rows.next());
    for (let n = await sheets.next(); !n.done; n = await sheets.next()) await drainSheet(n.value);
  } catch {
    // The workbook was already refused or abandoned: its remaining errors do not matter.
  }
}
