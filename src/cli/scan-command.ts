// `shuan scan <file | postgres://…/db?table=t | mysql://…/db?table=t> [--sample N] [--format json|table]
// [--findings]` (issue 4; CLS-2, CLS-3, AST-11): finds Chinese identifiers and personal data in a file or a
// table, infers what each column holds and proposes PI types, a category and a level. Needs no database of
// the platform. Exit 0 on success, 2 on unreadable input. Findings never contain the matched value.

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  CsvScanner,
  type CustomRecognizer,
  defaultSchemeGuide,
  type Finding,
  Scanner,
  type ScanReport,
  validateCustomRecognizers,
} from '../engines/discovery/index.ts';
import { MAX_COLUMNS, MAX_PIECE_BYTES } from '../engines/discovery/scanner.ts';
import { asCsv, type CsvSource, csvUtf8Bytes, openSource, SourceError, type TabularSource } from '../sources/index.ts';
import { CliError, type Format, formatOption, printJson, printTable } from './output.ts';

interface ScanOutput {
  source: string;
  rows: number;
  bytes: number;
  elapsedMs: number;
  columns: {
    name: string;
    hits: Record<string, number>;
    proposal: { types: string[]; piCategory: string | null; category: string | null; level: string | null };
  }[];
  findings?: Finding[];
}

/** A one-line progress bar on stderr (TTY only): bytes for files, rows for tables. */
function progressBar(total: number | null | undefined) {
  const tty = process.stderr.isTTY;
  let last = 0;
  return {
    update(done: number, rows: number) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      const width = 30;
      const line =
        total && total > 0
          ? `[${'#'.repeat(Math.round((Math.min(done, total) / total) * width)).padEnd(width, '.')}] ${((100 * Math.min(done, total)) / total).toFixed(0)}%  ${rows} 行`
          : `${rows} 行 / rows`;
      process.stderr.write(`\r扫描中 / scanning ${line}`);
    },
    done() {
      if (tty) process.stderr.write('\r\x1b[K');
    },
  };
}

export async function runScan(spec: string, opts: { sample?: number; findings?: boolean; custom?: CustomRecognizer[] }): Promise<ScanOutput> {
  const started = performance.now();
  let source: Awaited<ReturnType<typeof openSource>>;
  try {
    source = await openSource(spec, opts.sample !== undefined ? { sample: opts.sample } : {});
  } catch (err) {
    throw unreadable(err);
  }
  try {
    const columns = await source.columns();
    const bar = progressBar(source.totalBytes ?? source.estimatedRows ?? null);
    // CSV/TSV files go through the byte scanner when it gives the same answer (see scanCsvBytes); sampling,
    // findings and custom recognizers stay on the row path, which also takes whatever the byte path declines.
    const plain = opts.sample === undefined && !opts.findings && (opts.custom?.length ?? 0) === 0;
    const csv = plain ? asCsv(source) : null;
    let scanned: { report: ScanReport; findings: Finding[] } | null = null;
    if (csv) {
      const report = await scanCsvBytes(csv, columns, (bytes, rows) => bar.update(bytes, rows));
      if (report) scanned = { report, findings: [] };
    }
    if (!scanned) scanned = await scanRows(source, columns, opts, (done, rows) => bar.update(done, rows));
    bar.done();
    const { report, findings } = scanned;
    const out: ScanOutput = {
      source: source.describe,
      rows: report.rows,
      bytes: source.bytesRead?.() ?? report.bytes,
      elapsedMs: Math.round(performance.now() - started),
      columns: report.columns.map((c) => ({
        name: c.name,
        hits: c.hits,
        proposal: { types: c.proposal.types.map((t) => t.type), piCategory: c.proposal.piCategory, category: c.proposal.category, level: c.proposal.level },
      })),
    };
    if (opts.findings) out.findings = findings;
    return out;
  } catch (err) {
    throw unreadable(err);
  } finally {
    await source.close();
  }
}

/** The row path: every row through the validating reader (rows()), every value through the generic Scanner. */
export async function scanRows(
  source: TabularSource,
  columns: string[],
  opts: { findings?: boolean; custom?: CustomRecognizer[] },
  progress?: (done: number, rows: number) => void,
): Promise<{ report: ScanReport; findings: Finding[] }> {
  const findings: Finding[] = [];
  const scanner = new Scanner({
    columns,
    guide: defaultSchemeGuide(),
    ...(opts.custom ? { custom: opts.custom } : {}),
    ...(opts.findings ? { onFinding: (f: Finding) => findings.push({ ...f }) } : {}),
  });
  let rows = 0;
  for await (const r of source.rows()) {
    scanner.row(columns.map((c) => r.values[c] ?? null));
    rows++;
    if ((rows & 1023) === 0) progress?.(source.bytesRead?.() ?? rows, rows);
  }
  return { report: scanner.finish(), findings };
}

/**
 * The byte path for a CSV/TSV file: its text as UTF-8 bytes (csv-bytes.ts) into CsvScanner (the fast path,
 * native where built), named by the reader's header (trimmed, blank and repeated names made unique). The
 * report is the row path's for every file rows() reads in full; null where that is not known to hold, and
 * the caller takes the row path, which gives rows() own error (message and line) for a malformed file:
 * - a problem found in the bytes: encoding, structure, a lone CR, a field over 256 KiB;
 * - a record with more or fewer fields than the header (which rows() refuses): found from the column
 *   counts, as every column counts a cell in every row and a longer row makes a column of its own;
 * - as many columns as the scanner keeps (a longer row could not be seen), or a delimiter it does not take.
 */
export async function scanCsvBytes(csv: CsvSource, columns: string[], progress?: (bytes: number, rows: number) => void): Promise<ScanReport | null> {
  if (columns.length >= MAX_COLUMNS || !CSV_DELIMITERS.includes(csv.delimiter)) return null;
  // CsvScanner reads a longer field in 256 KiB pieces, Scanner in 512 K-character ones, and a token cut
  // across pieces is dropped: the counts could differ (the quotes of a quoted field are in the piece).
  const input = csvUtf8Bytes(csv, { maxFieldBytes: MAX_PIECE_BYTES - 2 });
  if (input === null) return null;
  const scanner = new CsvScanner({ columns, guide: defaultSchemeGuide(), delimiter: csv.delimiter });
  for await (const chunk of input.chunks()) {
    scanner.push(chunk);
    progress?.(csv.bytesRead?.() ?? 0, scanner.rowCount);
  }
  if (input.problem() !== null) return null;
  const report = scanner.end();
  if (report.columns.length !== columns.length || report.columns.some((c) => c.cells !== report.rows)) return null;
  return report;
}

const CSV_DELIMITERS = [',', '\t', ';', '|'];

function unreadable(err: unknown): unknown {
  if (err instanceof SourceError) {
    const where = err.line !== undefined ? `（第 ${err.line} 行 / line ${err.line}）` : '';
    return new CliError(`无法读取 / unreadable: ${err.messageZh}${where} / ${err.messageEn}`, 2);
  }
  return err;
}

export function registerScanCommand(program: Command): void {
  program
    .command('scan')
    .description('发现敏感数据：文件（CSV/TSV/XLSX/JSONL）或 postgres://…/db?table=t、mysql://…/db?table=t / find personal and sensitive data')
    .argument('<source>', '文件路径或数据库地址 / file path or database URL')
    .option('--sample <n>', '均匀抽样 N 行 / a uniform sample of N rows', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new CliError(`--sample 应为正整数 / --sample must be a positive integer, got "${v}"`, 2);
      return n;
    })
    .option('--findings', '逐条列出发现（不含匹配值）/ list each finding (never the value)')
    .option('--recognizers <file>', '自定义识别规则 JSON 文件（与平台上的格式相同）/ custom recognizers, a JSON file')
    .addOption(formatOption())
    .action(async (spec: string, o: { sample?: number; findings?: boolean; recognizers?: string; format: Format }) => {
      const custom = o.recognizers ? loadRecognizers(o.recognizers) : undefined;
      const out = await runScan(spec, {
        ...(o.sample !== undefined ? { sample: o.sample } : {}),
        ...(o.findings ? { findings: true } : {}),
        ...(custom ? { custom } : {}),
      });
      if (o.format === 'json') {
        printJson(out);
        return;
      }
      console.log(`${out.source}：${out.rows} 行，${(out.bytes / 1024 / 1024).toFixed(1)} MB，${out.elapsedMs} ms`);
      printTable(
        out.columns.map((c) => ({
          column: c.name,
          types: c.proposal.types.join(' ') || '-',
          hits: Object.entries(c.hits)
            .map(([t, n]) => `${t}:${n}`)
            .join(' '),
          pi: c.proposal.piCategory ?? '',
          category: c.proposal.category ?? '',
          level: c.proposal.level ?? '',
        })),
      );
      if (out.findings) for (const f of out.findings) console.log(`${f.row}\t${f.column}\t${f.type}\t${f.start}-${f.end}\t${f.confidence.toFixed(2)}`);
    });
}

function loadRecognizers(file: string): CustomRecognizer[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`无法读取识别规则 / cannot read ${file}: ${(err as Error).message}`, 2);
  }
  const checked = validateCustomRecognizers(json);
  if (!checked.ok) {
    const e = checked.errors[0];
    throw new CliError(`识别规则有误 / invalid recognizers: ${e?.field} ${e?.messageZh} / ${e?.message}`, 2);
  }
  return checked.recognizers;
}
