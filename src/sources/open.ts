// openSource: one entry point for every tabular source (issue 4 scanner, issue 5 dataset store / LIF-13).
//   openSource('data/people.csv')                                  a file, format from name and content
//   openSource({ buffer, name: 'upload.xlsx' })                   an upload in memory
//   openSource('postgres://u:p@host/db?table=public.people', { sample: 1000 })
//   openSource('mysql://root@127.0.0.1:3306/test?table=people')
// Opening checks what can be checked early (the file exists and has a header, the table exists, the
// connection works), so a bad source fails here with a SourceError, before any row is consumed.
import { fileURLToPath } from 'node:url';
import { type CsvSource, openCsv } from './csv.ts';
import { isDbUrl, parseDbUrl } from './db-url.ts';
import { type ByteInput, bufferInput, fileInput } from './file-input.ts';
import { openJsonl } from './jsonl.ts';
import { openMysql } from './mysql.ts';
import { openPostgres } from './postgres.ts';
import { checkSampleSize, reservoirSample } from './sample.ts';
import type { OpenOptions, SourceSpec, TabularSource } from './types.ts';
import { OLE_MAGIC, openXlsx, ZIP_MAGIC } from './xlsx.ts';

type FileFormat = 'csv' | 'tsv' | 'jsonl' | 'xlsx';

/** The format of a file: ZIP (or OLE) content is a workbook whatever its name; else the extension; else a
 * first non-blank `{` means JSON Lines; else CSV. */
export async function guessFormat(input: ByteInput): Promise<FileFormat> {
  const head = await input.read(0, 4096);
  if (ZIP_MAGIC.every((b, i) => head[i] === b) || OLE_MAGIC.every((b, i) => head[i] === b)) return 'xlsx';
  const ext = /\.([^.\\/]+)$/.exec(input.fileName)?.[1]?.toLowerCase();
  if (ext === 'xlsx' || ext === 'xlsm') return 'xlsx';
  if (ext === 'jsonl' || ext === 'ndjson' || ext === 'json') return 'jsonl';
  if (ext === 'tsv' || ext === 'tab') return 'tsv';
  if (ext === 'csv' || ext === 'txt') return 'csv';
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  return head[i] === 0x7b ? 'jsonl' : 'csv';
}

/** The same source, reading a uniform reservoir sample of n rows (files: one full pass). */
function sampled(source: TabularSource, n: number, random?: () => number): TabularSource {
  return {
    kind: source.kind,
    describe: `${source.describe} (sample ${n})`,
    columns: () => source.columns(),
    columnInfo: () => source.columnInfo(),
    rows: () => reservoirSample(source.rows(), n, random),
    ...(source.bytesRead ? { bytesRead: () => source.bytesRead?.() ?? 0 } : {}),
    ...(source.totalBytes !== undefined ? { totalBytes: source.totalBytes } : {}),
    close: () => source.close(),
  };
}

export async function openSource(spec: SourceSpec, opts: OpenOptions = {}): Promise<TabularSource> {
  if (opts.sample !== undefined) checkSampleSize(opts.sample);
  if (spec instanceof URL && spec.protocol === 'file:') spec = fileURLToPath(spec);
  if (spec instanceof URL || (typeof spec === 'string' && isDbUrl(spec))) {
    const target = parseDbUrl(spec);
    return target.kind === 'postgres' ? openPostgres(target, opts) : openMysql(target, opts);
  }
  const input =
    typeof spec === 'string'
      ? await fileInput(spec, spec, opts.maxBytes)
      : 'buffer' in spec
        ? bufferInput(spec.buffer, spec.name, opts.maxBytes)
        : await fileInput(spec.path, spec.name ?? spec.path, opts.maxBytes);
  const format = opts.format ?? (await guessFormat(input));
  const source: TabularSource =
    format === 'xlsx' ? await openXlsx(input, opts) : format === 'jsonl' ? await openJsonl(input, opts) : await openCsv(input, opts, format === 'tsv');
  return opts.sample !== undefined ? sampled(source, opts.sample, opts.random) : source;
}

/** The CSV/TSV view of a source (delimiter, encoding, rawChunks), or null for other kinds or samples. */
export function asCsv(source: TabularSource): CsvSource | null {
  return 'rawChunks' in source && (source.kind === 'csv' || source.kind === 'tsv') ? (source as CsvSource) : null;
}
