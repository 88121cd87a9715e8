// Tabular sources: one streaming interface over files (CSV/TSV, JSON Lines, XLSX) and database tables
// (PostgreSQL, MySQL/MariaDB), used by the discovery scanner (issue 4: AST-11, CLS-2, CLS-3) and the dataset
// store (issue 5: LIF-13). These are I/O adapters, not pure engines: they read files and open connections.

export type SourceKind = 'csv' | 'tsv' | 'jsonl' | 'xlsx' | 'postgres' | 'mysql';

/** A cell. Big integers and decimals are strings (no precision lost), dates are ISO 8601 strings. */
export type SourceValue = string | number | boolean | null;

export interface SourceRow {
  /** 1-based data row number after the header (the n-th record, blank lines not counted). */
  line: number;
  /** Files only: the physical line (CSV, JSONL) or sheet row (XLSX) where the record starts. */
  physicalLine?: number;
  values: Record<string, SourceValue>;
}

/** What a column holds, where the source knows (database tables); `binary` values are base64 strings. */
export type ColumnType = 'string' | 'integer' | 'decimal' | 'number' | 'boolean' | 'date' | 'time' | 'timestamp' | 'json' | 'binary' | 'other';

export interface ColumnInfo {
  name: string;
  type: ColumnType;
  /** The database's own type name (e.g. `timestamp with time zone`, `varbinary`); files: absent. */
  dbType?: string;
}

export interface TabularSource {
  kind: SourceKind;
  /** For display and audit: never contains a password. */
  describe: string;
  /** Header (CSV/TSV/XLSX), keys (JSON Lines) or table columns, in order. */
  columns(): Promise<string[]>;
  /** Column types where the source knows them (database tables); files report every column as `string`
   * (CSV/TSV) or `other` (JSON Lines, XLSX: each cell carries its own type). */
  columnInfo(): Promise<ColumnInfo[]>;
  /** The rows, streamed with bounded memory. Each call starts a new pass from the beginning. */
  rows(): AsyncIterable<SourceRow>;
  /** Files: bytes consumed by the current (or last) pass, for progress. */
  bytesRead?(): number;
  /** Files: size in bytes; null when unknown. */
  totalBytes?: number | null;
  /** Database tables: the planner's row estimate (null when the table was never analysed). */
  estimatedRows?: number | null;
  /** Releases connections and file handles of passes still open. Safe to call twice. */
  close(): Promise<void>;
}

export type SourceErrorCode = 'UNREADABLE' | 'BAD_ENCODING' | 'MALFORMED' | 'TOO_LARGE' | 'CONNECTION' | 'NOT_FOUND';

/**
 * Every failure of a source: a code for programs, a line for people (the physical line in the file, as an
 * editor shows it; for XLSX the sheet row), and the message in Chinese and English. Messages never contain a
 * password and never the content of a cell (the value may be personal data).
 */
export class SourceError extends Error {
  readonly line?: number;
  readonly column?: string;
  constructor(
    readonly code: SourceErrorCode,
    readonly messageZh: string,
    readonly messageEn: string,
    where: { line?: number; column?: string; cause?: unknown } = {},
  ) {
    super(messageEn, where.cause === undefined ? undefined : { cause: where.cause });
    this.name = 'SourceError';
    if (where.line !== undefined) this.line = where.line;
    if (where.column !== undefined) this.column = where.column;
  }
}

export type EncodingOption = 'auto' | 'utf8' | 'gb18030';

export interface OpenOptions {
  /** Read a uniform random sample of this many rows instead of the whole source. */
  sample?: number;
  /** Text files: `auto` (default) tells UTF-8 from GB18030/GBK; a byte-order mark always decides. */
  encoding?: EncodingOption;
  /** Overrides the format guessed from the file name and content. */
  format?: 'csv' | 'tsv' | 'jsonl' | 'xlsx';
  /** CSV: the field delimiter (default: detected from the header line among `,` TAB `;` `|`). */
  delimiter?: string;
  /** XLSX: the sheet to read (default: the first sheet of the workbook). */
  sheet?: string;
  /** Files: refuse anything larger (TOO_LARGE). */
  maxBytes?: number;
  /** XLSX: refuse a shared-strings table that expands beyond this (it is held in memory; default 256 MiB). */
  maxSharedStringsBytes?: number;
  /** Databases: rows per FETCH / stream buffer (default 1000). */
  batchSize?: number;
  /** PostgreSQL: the connection's application_name, as DBAs see it in pg_stat_activity (default `shuan-source`). */
  applicationName?: string;
  /** Databases: connection timeout in milliseconds (default 10 000). */
  connectTimeoutMs?: number;
  /** Databases: connect to this address instead of resolving the URL's host again (a table pull pins the
   * address its allow-list check resolved); TLS still verifies the certificate against the URL's host name. */
  connectHost?: string;
  /** Uniform [0, 1) random numbers for file sampling (default Math.random); tests pass a seeded one. */
  random?: () => number;
}

/** A file on disk, or bytes already in memory (an upload) with the name they came with. */
export type SourceSpec = string | URL | { path: string; name?: string } | { buffer: Uint8Array; name: string };

/** Number of LF characters in `text` between `start` and `end`. */
export function countNewlines(text: string, start = 0, end = text.length): number {
  let n = 0;
  let i = text.indexOf('\n', start);
  while (i >= 0 && i < end) {
    n++;
    i = text.indexOf('\n', i + 1);
  }
  return n;
}

/** `values[key] = value`, also for a column named `__proto__` (which plain assignment would swallow). */
export function setValue(values: Record<string, SourceValue>, key: string, value: SourceValue): void {
  if (key === '__proto__') Object.defineProperty(values, key, { value, enumerable: true, writable: true, configurable: true });
  else values[key] = value;
}
