// Output helpers: every reporting command prints a table for people or one JSON document (--format json).
import { Option } from 'commander';
export type Format = 'table' | 'json';

export function parseFormat(value: string): Format {
  if (value !== 'table' && value !== 'json') throw new CliError(`--format must be "table" or "json", got "${value}"`, 2);
  return value;
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function printTable(rows: Record<string, unknown>[], columns?: string[]): void {
  if (rows.length === 0) {
    console.log('(无记录 / none)');
    return;
  }
  const cols = columns ?? Object.keys(rows[0] as object);
  const cell = (v: unknown) => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join(',') : String(v));
  // East Asian characters take two terminal columns.
  const width = (s: string) =>
    [...s].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
  const widths = cols.map((c) => Math.max(width(c), ...rows.map((r) => width(cell(r[c])))));
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));
  console.log(cols.map((c, i) => pad(c, widths[i] as number)).join('  '));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(cols.map((c, i) => pad(cell(r[c]), widths[i] as number)).join('  '));
}

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

/** `--format table|json`, table by default. */
export const formatOption = () => new Option('--format <format>', '输出格式 table|json').default('table').argParser(parseFormat);
