// Streaming tabular readers for files and database tables (issues 4 and 5). See open.ts for the entry point.
export type { CsvSource } from './csv.ts';
export { type CsvBytes, type CsvBytesProblem, csvUtf8Bytes } from './csv-bytes.ts';
export type { TextEncoding } from './decode.ts';
export type { JsonlSource } from './jsonl.ts';
export { asCsv, openSource } from './open.ts';
export {
  type ColumnInfo,
  type ColumnType,
  type EncodingOption,
  type OpenOptions,
  SourceError,
  type SourceErrorCode,
  type SourceKind,
  type SourceRow,
  type SourceSpec,
  type SourceValue,
  type TabularSource,
} from './types.ts';
export type { XlsxSource } from './xlsx.ts';
