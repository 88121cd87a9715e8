// CSV as Excel and government systems write it (RFC 4180 with the usual liberties): quoted fields with
// doubled quotes, line breaks inside quotes, CRLF, LF or CR line ends, comma or tab delimiters. Rows are
// numbered as a spreadsheet shows them (one record = one row, blank lines included), so an error's row
// is the row the person finds when they open the file.
import { fileIssue, type ImportIssue } from './issues.ts';

export interface CsvRecord {
  row: number;
  cells: string[];
}

export type CsvParseResult = { ok: true; records: CsvRecord[]; delimiter: ',' | '\t' } | { ok: false; issue: ImportIssue };

/** The header line's delimiter: a comma unless the line has tabs and no commas (Excel "Unicode text"). */
function detectDelimiter(text: string): ',' | '\t' {
  const end = text.search(/[\r\n]/);
  const first = end < 0 ? text : text.slice(0, end);
  return !first.includes(',') && first.includes('\t') ? '\t' : ',';
}

/**
 * Parses the whole text; blank records are skipped but counted. Stops with TOO_MANY_ROWS once more than
 * `maxRecords` non-blank records are seen, so a hostile file cannot make it build millions of rows.
 */
export function parseCsv(text: string, opts: { maxRecords: number }): CsvParseResult {
  const delimiter = detectDelimiter(text);
  const records: CsvRecord[] = [];
  let row = 1;
  let cells: string[] = [];
  let cell = '';
  let quoted = false; // inside a quoted field
  let wasQuoted = false; // the current field was quoted (and is closed)
  let quoteRow = 0;
  const n = text.length;

  const endRecord = (): CsvParseResult | null => {
    cells.push(cell);
    if (cells.length > 1 || cells[0] !== '' || wasQuoted) {
      records.push({ row, cells });
      if (records.length > opts.maxRecords) {
        return {
          ok: false,
          issue: fileIssue(
            'TOO_MANY_ROWS',
            `文件行数超过上限（${opts.maxRecords} 行），请拆分后分批导入`,
            `The file has more than ${opts.maxRecords} rows; split it and import the parts`,
            { row },
          ),
        };
      }
    }
    cells = [];
    cell = '';
    wasQuoted = false;
    return null;
  };

  for (let i = 0; i < n; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else {
          quoted = false;
          wasQuoted = true;
        }
      } else {
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell === '' && !wasQuoted) {
      quoted = true;
      quoteRow = row;
      continue;
    }
    if (ch === delimiter) {
      cells.push(cell);
      cell = '';
      wasQuoted = false;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      const stop = endRecord();
      if (stop) return stop;
      row++;
      continue;
    }
    if (wasQuoted) {
      // "abc"def: Excel never writes this, and guessing what was meant could merge or split values.
      return {
        ok: false,
        issue: fileIssue(
          'MALFORMED_CSV',
          `第 ${row} 行：引号括起的值后面紧跟了其他字符（应为逗号或换行）`,
          `Row ${row}: a quoted value is followed by other characters (expected a delimiter or a line end)`,
          { row },
        ),
      };
    }
    // A quote inside an unquoted value is kept as it is, as Excel reads it.
    cell += ch;
  }
  if (quoted) {
    return {
      ok: false,
      issue: fileIssue(
        'MALFORMED_CSV',
        `第 ${quoteRow} 行：引号没有闭合，该值一直延续到文件末尾`,
        `Row ${quoteRow}: a quoted value is never closed and runs to the end of the file`,
        { row: quoteRow },
      ),
    };
  }
  // A final line end does not start another record.
  if (cell !== '' || cells.length > 0 || wasQuoted) {
    const stop = endRecord();
    if (stop) return stop;
  }
  return { ok: true, records, delimiter };
}

// Cells that a spreadsheet would run as a formula (CSV injection): export prefixes them with an apostrophe,
// which Excel shows as text; import removes exactly that prefix again so a round trip keeps the value.
const FORMULA_START = /^[=+\-@\t\r]/;

export function escapeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function unescapeFormula(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

function quote(value: string): string {
  return /[",\r\n\t]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** UTF-8 with a byte-order mark and CRLF line ends: what Excel opens correctly on a Chinese Windows. */
export function writeCsv(rows: readonly (readonly string[])[]): Buffer {
  const text = rows.map((r) => r.map((v) => quote(escapeFormula(v))).join(',')).join('\r\n');
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${text}\r\n`, 'utf8')]);
}
