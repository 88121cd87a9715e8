// The text of a CSV/TSV source as UTF-8 bytes, for a byte-level scanner (CsvScanner), checked as it streams
// so that the scanner's answer can stand in for one computed from rows(): the encoding as the reader decides
// and checks it (decode.ts), and the structure CsvParser accepts (csv-check.ts). UTF-8 files pass through
// as read (no decoding: validation is isUtf8 and a NUL search, both native); GB18030/GBK files are decoded
// by the reader's own StreamDecoder and re-encoded. Reading stops at the first problem, which is named
// without a line: the caller then reads the file with rows(), whose error (with its line) or rows are the
// answer. Field counts per record are not checked here (the scanner's column counts tell; see scan-command.ts).
import { isUtf8 } from 'node:buffer';
import type { CsvSource } from './csv.ts';
import { type CsvCheckFailure, CsvStructureCheck, MAX_FIELD_CHARS } from './csv-check.ts';
import { StreamDecoder, utf8Cut } from './decode.ts';
import { SourceError } from './types.ts';

export type CsvBytesProblem = CsvCheckFailure | 'encoding';

export interface CsvBytes {
  /**
   * The text as UTF-8 bytes without a byte-order mark, from the header record on (leading blank lines, which
   * the reader skips, are dropped so that a scanner's first record is the header). Stops early at a problem.
   * source.bytesRead() counts the file's bytes read, for progress.
   */
  chunks(): AsyncGenerator<Uint8Array>;
  /** Once chunks() has ended: null when every byte was good, else the first problem found. */
  problem(): CsvBytesProblem | null;
}

/**
 * The UTF-8 byte view of a CSV source, or null where there is none: UTF-16 files (a byte scanner reads
 * UTF-8) and delimiters outside ASCII. `maxFieldBytes`: a longer field is a problem (`long-field`); default and
 * most: the reader's own limit.
 */
export function csvUtf8Bytes(source: CsvSource, opts: { maxFieldBytes?: number } = {}): CsvBytes | null {
  if (source.encoding === 'utf-16le' || source.encoding === 'utf-16be') return null;
  if (source.delimiter.length !== 1 || source.delimiter.charCodeAt(0) >= 0x80) return null;
  // The reader decides GB18030 from the same bytes whenever the probe at open did (and checks the rest
  // the same way). Otherwise the file is read as UTF-8: it is UTF-8 by its BOM, or the reader found UTF-8, or
  // the first megabyte was ASCII and the reader decides later; in that last case a file that is not valid
  // UTF-8 throughout is reported as a problem here, and rows() decides (GB18030 after all, or an error).
  const gb = source.encoding === 'gb18030';
  let problem: CsvBytesProblem | null = null;
  return {
    problem: () => problem,
    async *chunks(): AsyncGenerator<Uint8Array> {
      problem = null;
      const check = new CsvStructureCheck(source.delimiter, Math.min(opts.maxFieldBytes ?? MAX_FIELD_CHARS, MAX_FIELD_CHARS));
      const utf8 = gb ? null : new Utf8Check();
      const decoder = gb ? new StreamDecoder('gb18030') : null;
      let header = false;
      /** The checked bytes to hand on (null at a problem), leading blank lines cut. */
      const pass = (bytes: Uint8Array): Uint8Array | null => {
        check.push(bytes);
        if (!check.ok) {
          problem = check.failure;
          return null;
        }
        if (header) return bytes;
        let j = 0;
        while (j < bytes.length && (bytes[j] === 0x0a || bytes[j] === 0x0d)) j++;
        if (j === bytes.length) return bytes.subarray(j);
        header = true;
        return bytes.subarray(j);
      };
      /** Reader errors from the decoder name a line the caller does not track: the line is not used here. */
      const decode = (last: boolean, chunk?: Buffer): Buffer | null => {
        try {
          const text = last ? (decoder as StreamDecoder).end(1) : (decoder as StreamDecoder).write(chunk as Buffer, 1);
          return Buffer.from(text, 'utf8');
        } catch (err) {
          if (!(err instanceof SourceError)) throw err;
          problem = 'encoding';
          return null;
        }
      };
      for await (const chunk of source.rawChunks()) {
        let bytes: Uint8Array | null;
        if (utf8 !== null) {
          if (!utf8.push(chunk)) {
            problem = 'encoding';
            return;
          }
          bytes = chunk;
        } else {
          bytes = decode(false, chunk);
          if (bytes === null) return;
        }
        const out = pass(bytes);
        if (out === null) return;
        if (out.length > 0) yield out;
      }
      if (utf8 !== null) {
        if (!utf8.end()) {
          problem = 'encoding';
          return;
        }
      } else {
        const tail = decode(true);
        if (tail === null) return;
        const out = pass(tail);
        if (out === null) return;
        if (out.length > 0) yield out;
      }
      check.end();
      problem = check.failure;
    },
  };
}

/**
 * Whether a byte stream is UTF-8 without NUL characters, chunk by chunk: what the reader's UTF-8 decoding
 * refuses (decode.ts), without decoding. A character cut by a chunk boundary is checked on a few bytes
 * bridging the two chunks, not by copying the next chunk behind it.
 */
export class Utf8Check {
  /** An incomplete character at the end of the last chunk. */
  private pending: Buffer | null = null;

  push(chunk: Buffer): boolean {
    let body = chunk;
    const p = this.pending;
    if (p !== null) {
      const lead = p[0] as number;
      const take = (lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2) - p.length;
      if (chunk.length < take) {
        this.pending = Buffer.concat([p, chunk]);
        return true;
      }
      this.pending = null;
      if (!isUtf8(Buffer.concat([p, chunk.subarray(0, take)]))) return false;
      body = chunk.subarray(take);
    }
    const cut = utf8Cut(body);
    if (!isUtf8(cut < body.length ? body.subarray(0, cut) : body) || body.indexOf(0) >= 0) return false;
    if (cut < body.length) this.pending = Buffer.from(body.subarray(cut));
    return true;
  }

  /** The end of the stream: false if it ends inside a character. */
  end(): boolean {
    return this.pending === null;
  }
}
