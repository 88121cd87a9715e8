// Rows to the files recipients get (CSV for spreadsheets, JSON Lines for programs). Pure.
import type { StoredValue } from './coerce.ts';

const BOM = '\uFEFF';

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  // Quote what would break a row or be read as a formula by a spreadsheet (CSV injection).
  const guarded = /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(guarded) || guarded !== s ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** UTF-8 with a byte-order mark (Excel on Chinese Windows reads it as UTF-8), CRLF line ends. */
export function toCsv(columns: readonly string[], rows: readonly Readonly<Record<string, unknown>>[]): Buffer {
  const lines = [columns.map(csvCell).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c])).join(','));
  return Buffer.from(`${BOM}${lines.join('\r\n')}\r\n`, 'utf8');
}

export function toJsonl(columns: readonly string[], rows: readonly Readonly<Record<string, unknown>>[]): Buffer {
  const out: string[] = [];
  for (const r of rows) {
    const o: Record<string, unknown> = {};
    for (const c of columns) o[c] = (r[c] ?? null) as StoredValue;
    out.push(JSON.stringify(o));
  }
  return Buffer.from(out.length > 0 ? `${out.join('\n')}\n` : '', 'utf8');
}
