// CSV and TSV files as a TabularSource: bytes → StreamDecoder (UTF-8 / GB18030 / UTF-16 with BOM) →
// CsvParser → rows keyed by the header. One chunk (256 KiB) is decoded and parsed at a time, so memory is
// bounded by the chunk and the longest record. The first non-blank record is the header; every data record
// must have as many fields as the header (a ragged row is refused with its line, never padded or cut).
import { CsvParser, type CsvRecord, detectDelimiter } from './csv-parser.ts';
import { StreamDecoder, type TextEncoding } from './decode.ts';
import type { ByteInput } from './file-input.ts';
import { type ColumnInfo, type OpenOptions, SourceError, type SourceRow, type SourceValue, setValue, type TabularSource } from './types.ts';

export interface CsvSource extends TabularSource {
  kind: 'csv' | 'tsv';
  delimiter: string;
  /** The encoding found when the source was opened (`utf-8` if the first megabyte was all ASCII). */
  encoding: TextEncoding;
  /** Bytes of the byte-order mark that rawChunks() skips. */
  bomLength: number;
  /**
   * The file's bytes after any byte-order mark, undecoded and unparsed: the fast path for a byte-level
   * scanner. Nothing is validated here (encoding, quotes); rows() does that.
   */
  rawChunks(): AsyncIterable<Buffer>;
}

/** Bytes read at open to find the header and the encoding before giving up on the encoding. */
const OPEN_PROBE_BYTES = 1024 * 1024;
/** Header-line text gathered for delimiter detection. */
const DETECT_CHARS = 64 * 1024;

interface Pass {
  records: AsyncGenerator<CsvRecord[]>;
  decoder: StreamDecoder;
  delimiter: () => string;
}

/** Header cells as column names: trimmed; empty ones named by position; repeats numbered (`名称_2`). */
export function headerNames(cells: string[]): string[] {
  const seen = new Set<string>();
  return cells.map((raw, k) => {
    let name = raw.trim() || `column_${k + 1}`;
    if (seen.has(name)) {
      let n = 2;
      while (seen.has(`${name}_${n}`)) n++;
      name = `${name}_${n}`;
    }
    seen.add(name);
    return name;
  });
}

export async function openCsv(input: ByteInput, opts: OpenOptions, tabByName: boolean): Promise<CsvSource> {
  const fixedDelimiter = opts.delimiter ?? (tabByName ? '\t' : undefined);
  let bytes = 0;

  // One pass over the file: decode, find the delimiter on the first line, parse.
  const pass = (): Pass => {
    const decoder = new StreamDecoder(opts.encoding ?? 'auto');
    let delimiter = fixedDelimiter;
    const records = async function* (): AsyncGenerator<CsvRecord[]> {
      bytes = 0;
      let parser: CsvParser | null = delimiter === undefined ? null : new CsvParser(delimiter);
      let held = ''; // text before the delimiter is known
      const feed = (text: string, out: CsvRecord[], last: boolean): void => {
        if (!parser) {
          held += text;
          const start = held.search(/[^\r\n]/); // leading blank lines
          const eol = start < 0 ? -1 : held.slice(start).search(/[\r\n]/);
          if (eol < 0 && held.length < DETECT_CHARS && !last) return;
          const first = start < 0 ? '' : eol < 0 ? held.slice(start) : held.slice(start, start + eol);
          delimiter = detectDelimiter(first);
          parser = new CsvParser(delimiter);
          text = held;
          held = '';
        }
        parser.push(text, out);
      };
      const line = () => parser?.line ?? 1 + (held.match(/\n/g)?.length ?? 0);
      for await (const chunk of input.chunks()) {
        bytes += chunk.length;
        const out: CsvRecord[] = [];
        feed(decoder.write(chunk, line()), out, false);
        if (out.length > 0) yield out;
      }
      const out: CsvRecord[] = [];
      feed(decoder.end(line()), out, true);
      (parser as CsvParser | null)?.end(out);
      if (out.length > 0) yield out;
    };
    return { records: records(), decoder, delimiter: () => delimiter ?? ',' };
  };

  // At open: the header, the delimiter and (within the first megabyte) the encoding; errors there surface now.
  const probe = pass();
  let header: string[] | null = null;
  try {
    for await (const batch of probe.records) {
      if (!header && batch.length > 0) header = headerNames((batch[0] as CsvRecord).cells);
      if (header && (probe.decoder.encoding !== null || bytes >= OPEN_PROBE_BYTES)) break;
    }
  } finally {
    await probe.records.return(undefined);
  }
  if (!header) {
    throw new SourceError('MALFORMED', `文件 ${input.name} 是空的：没有表头行`, `The file ${input.name} is empty: there is no header row`, { line: 1 });
  }
  const columns = header;
  const delimiter = probe.delimiter();
  const kind = delimiter === '\t' ? 'tsv' : 'csv';
  const encoding = probe.decoder.encoding ?? 'utf-8';
  const bomLength = probe.decoder.bomLength;

  return {
    kind,
    describe: `${input.name} (${kind}, ${encoding})`,
    delimiter,
    encoding,
    bomLength,
    totalBytes: input.size,
    bytesRead: () => bytes,
    columns: async () => [...columns],
    columnInfo: async (): Promise<ColumnInfo[]> => columns.map((name) => ({ name, type: 'string' })),
    async *rows(): AsyncGenerator<SourceRow> {
      const { records } = pass();
      let headerSeen = false;
      let line = 0;
      const width = columns.length;
      try {
        for await (const batch of records) {
          for (const rec of batch) {
            if (!headerSeen) {
              headerSeen = true;
              continue;
            }
            const cells = rec.cells;
            if (cells.length !== width) {
              throw new SourceError(
                'MALFORMED',
                `第 ${rec.physicalLine} 行有 ${cells.length} 个字段，而表头有 ${width} 列`,
                `Line ${rec.physicalLine} has ${cells.length} fields but the header has ${width} columns`,
                { line: rec.physicalLine },
              );
            }
            const values: Record<string, SourceValue> = {};
            for (let k = 0; k < width; k++) setValue(values, columns[k] as string, cells[k] as string);
            yield { line: ++line, physicalLine: rec.physicalLine, values };
          }
        }
      } finally {
        await records.return(undefined);
      }
    },
    async *rawChunks(): AsyncGenerator<Buffer> {
      bytes = bomLength;
      for await (const chunk of input.chunks(bomLength)) {
        bytes += chunk.length;
        yield chunk;
      }
    },
    close: async () => {},
  };
}
