// A streaming check of CSV structure over raw bytes, for scans that read the bytes themselves instead of the
// validating reader (csv.ts: StreamDecoder → CsvParser). It answers one question cheaply: would CsvParser
// accept this text, and would a byte scanner that splits records at LF only (CsvScanner) see the same records?
// It jumps between quote and CR bytes with Buffer.indexOf (memchr), so a file with few quotes costs little.
//
// Sound, not exhaustive: whatever CsvParser refuses is never `ok` (a quote inside an unquoted field, text after
// a closing quote, a quote left open at the end, a field over the length limit); a few things CsvParser
// accepts are not `ok` either, because a byte scanner would read them differently or because deciding them
// exactly would cost more than they are worth (a lone CR, a field whose bytes exceed the limit). The caller
// then reads the file with the validating reader, which gives the error (with its line) or the rows.
// Field counts per record and the text encoding are checked elsewhere (the scanner's column counts,
// csv-bytes.ts).

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** CsvParser's default maximum field length (UTF-16 code units), which csv.ts uses. */
export const MAX_FIELD_CHARS = 16 * 1024 * 1024;

export type CsvCheckFailure =
  /** CsvParser refuses these. */
  | 'quote-in-unquoted-field'
  | 'text-after-closing-quote'
  | 'unclosed-quote'
  /** CsvParser ends a record at a lone CR (not followed by LF) outside quotes; a byte scanner does not. */
  | 'lone-cr'
  /** A field of more bytes than the limit allows characters: CsvParser may refuse it (or not, for multi-byte
   * text); or more bytes than the caller's lower limit. */
  | 'long-field';

/** Stream start: the first byte is at a field start. */
const START = -1;

export class CsvStructureCheck {
  /** Why the bytes are not known good (null while they are); once set, later input is ignored. */
  failure: CsvCheckFailure | null = null;
  /** Offset of the byte where the failure was found (in the bytes pushed). No lone CR comes before it, so
   * for CsvParser's refusals the parser's line is 1 + the LFs before it (the tests hold the two to that). */
  failureAt = -1;
  private readonly delim: number;
  /** Offset of the next chunk's first byte. */
  private base = 0;
  private inQuotes = false;
  /** Offset of the opening quote of the quoted field we are in. */
  private openAt = 0;
  /** The last chunk ended with a quote inside a quoted field: the next byte says doubled or closing. */
  private quoteAtEnd = false;
  /** The last chunk ended with a CR outside quotes: the next byte must be LF. */
  private crAtEnd = false;
  /** The last byte of the previous chunk (START before any). */
  private prev = START;
  /** Bytes since the last delimiter, LF, CR or quote: the length of the unquoted field being read, if any. */
  private run = 0;

  /**
   * @param maxFieldChars fields of more bytes are declined (`long-field`): at most CsvParser's limit in
   *   characters (the default), which no field within it in bytes can pass; a caller may want less (a
   *   scanner that reads longer fields in pieces, say).
   */
  constructor(
    delimiter: string,
    private readonly maxFieldChars = MAX_FIELD_CHARS,
  ) {
    const d = delimiter.charCodeAt(0);
    if (delimiter.length !== 1 || d >= 0x80 || d === QUOTE || d === LF || d === CR) throw new Error(`unsupported delimiter ${JSON.stringify(delimiter)}`);
    this.delim = d;
  }

  get ok(): boolean {
    return this.failure === null;
  }

  push(b: Uint8Array): void {
    if (this.failure !== null || b.length === 0) return;
    const buf = Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    this.scan(buf);
    this.base += buf.length;
    this.prev = buf[buf.length - 1] as number;
  }

  /** The end of the input. */
  end(): void {
    if (this.failure !== null) return;
    if (this.crAtEnd) this.fail('lone-cr', this.base - 1);
    else if (this.quoteAtEnd) this.closeQuoted(this.base - 1);
    else if (this.inQuotes) this.fail('unclosed-quote', this.openAt);
  }

  private fail(why: CsvCheckFailure, at: number): void {
    this.failure = why;
    this.failureAt = at;
  }

  /** The quoted field ends with the quote at offset `at`: its text (doubled quotes counted twice) must fit. */
  private closeQuoted(at: number): boolean {
    this.inQuotes = false;
    if (at - this.openAt - 1 > this.maxFieldChars) {
      this.fail('long-field', this.openAt);
      return false;
    }
    return true;
  }

  private scan(b: Buffer): void {
    const n = b.length;
    const d = this.delim;
    const base = this.base;
    let i = 0;
    // A field is at most as long as the stretch of bytes without a delimiter, LF, CR or quote that holds it
    // (quoted fields are also measured quote to quote below). Bytes ≥ UTF-16 units: within the limit in
    // bytes is within it in characters. Measured byte by byte only when a stretch could be that long.
    if (this.run + n > this.maxFieldChars) {
      let run = this.run;
      for (let j = 0; j < n; j++) {
        const c = b[j];
        if (c === d || c === LF || c === CR || c === QUOTE) run = 0;
        else if (++run > this.maxFieldChars) {
          this.fail('long-field', base + j);
          return;
        }
      }
      this.run = run;
    } else {
      // The stretch at the end of the chunk: after the last delimiter or LF (memrchr), then back over the
      // usually short tail for a quote or CR.
      const lastBreak = Math.max(b.lastIndexOf(d), b.lastIndexOf(LF));
      let j = n - 1;
      while (j > lastBreak && b[j] !== QUOTE && b[j] !== CR) j--;
      this.run = j < 0 ? this.run + n : n - 1 - j;
    }

    if (this.crAtEnd) {
      this.crAtEnd = false;
      if (b[0] !== LF) {
        this.fail('lone-cr', base - 1);
        return;
      }
    }
    if (this.quoteAtEnd) {
      this.quoteAtEnd = false;
      if (b[0] === QUOTE) i = 1;
      else {
        if (!this.closeQuoted(base - 1)) return;
        const c = b[0];
        if (c !== d && c !== LF && c !== CR) {
          this.fail('text-after-closing-quote', base);
          return;
        }
      }
    }
    let nextQuote = -2; // -2: not searched yet; -1: none left in the chunk
    let nextCr = -2;
    while (i < n) {
      if (this.inQuotes) {
        const k = b.indexOf(QUOTE, i);
        if (k < 0) {
          if (base + n - this.openAt - 1 > this.maxFieldChars) this.fail('long-field', this.openAt);
          return;
        }
        if (k + 1 === n) {
          this.quoteAtEnd = true;
          return;
        }
        if (b[k + 1] === QUOTE) {
          i = k + 2;
          continue;
        }
        if (!this.closeQuoted(base + k)) return;
        const c = b[k + 1];
        if (c !== d && c !== LF && c !== CR) {
          this.fail('text-after-closing-quote', base + k + 1);
          return;
        }
        i = k + 1;
        continue;
      }
      // The next quote and CR outside quotes, each searched again only once passed (a CRLF file has a CR
      // on every line: searching for the quote at each would cost the rest of the chunk each time).
      if (nextQuote !== -1 && nextQuote < i) nextQuote = b.indexOf(QUOTE, i);
      if (nextCr !== -1 && nextCr < i) nextCr = b.indexOf(CR, i);
      const q = nextQuote;
      if (nextCr >= 0 && (q < 0 || nextCr < q)) {
        // A CR outside quotes: CsvParser ends the record there, a byte scanner only at the LF after it.
        if (nextCr + 1 === n) this.crAtEnd = true;
        else if (b[nextCr + 1] !== LF) {
          this.fail('lone-cr', base + nextCr);
          return;
        }
        i = nextCr + 1;
        continue;
      }
      if (q < 0) return;
      // A quote outside quotes opens a quoted field only at the start of a field.
      const before = q > 0 ? b[q - 1] : this.prev;
      if (before !== START && before !== d && before !== LF && before !== CR) {
        this.fail('quote-in-unquoted-field', base + q);
        return;
      }
      this.inQuotes = true;
      this.openAt = base + q;
      i = q + 1;
    }
  }
}
