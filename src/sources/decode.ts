// Streaming text decoding for CSV/TSV and JSON Lines files, chunk by chunk, with the same rules as the
// catalog importer's whole-buffer detection (src/engines/catalog-io/encoding.ts): a byte-order mark decides
// (UTF-8, UTF-16LE/BE); without one, text that is valid UTF-8 is UTF-8 (GBK text practically never is),
// otherwise it must decode as GB18030 without a single invalid sequence. Streaming changes one thing: the
// decision is taken on a window (the first WINDOW bytes from the first non-ASCII byte on, ASCII being the
// same in both), and every later chunk is still checked, so a file that changes encoding half-way is
// refused at the line where it does instead of turning into mojibake.
import { isAscii, isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { firstInvalidUtf8 } from '../engines/catalog-io/encoding.ts';
import { countNewlines, type EncodingOption, SourceError } from './types.ts';

export type TextEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

/** Bytes from the first non-ASCII byte on that decide UTF-8 against GB18030. */
export const DETECT_WINDOW = 256 * 1024;

type Decoder = ReturnType<typeof iconv.getDecoder>;

const HINT_ZH = '请确认文件编码（UTF-8 或 GBK/GB18030）后重试，或在 Excel 中“另存为 → CSV UTF-8”';
const HINT_EN = 'check the file encoding (UTF-8 or GBK/GB18030) and try again, or save it from Excel as "CSV UTF-8"';

function countLfBytes(bytes: Buffer, end: number): number {
  let n = 0;
  let i = bytes.indexOf(0x0a);
  while (i >= 0 && i < end) {
    n++;
    i = bytes.indexOf(0x0a, i + 1);
  }
  return n;
}

/** Length of `b` without a trailing UTF-8 sequence that the next chunk completes. */
export function utf8Cut(b: Uint8Array): number {
  const n = b.length;
  const stop = Math.max(0, n - 4);
  let k = n - 1;
  while (k >= stop && ((b[k] as number) & 0xc0) === 0x80) k--;
  if (k < stop) return n; // four continuation bytes: invalid, the validator says where
  const lead = b[k] as number;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return k + need > n ? k : n;
}

function nulError(line: number): SourceError {
  return new SourceError(
    'BAD_ENCODING',
    `文件第 ${line} 行含有空字符（NUL），不是可识别的文本文件（可能是不带 BOM 的 UTF-16 或二进制文件）；${HINT_ZH}`,
    `Line ${line} contains a NUL character: this is not a text file we can read (perhaps UTF-16 without a byte-order mark, or binary); ${HINT_EN}`,
    { line },
  );
}

export class StreamDecoder {
  /** The encoding in use; null while only ASCII has been seen (ASCII reads the same in all of them). */
  encoding: TextEncoding | null = null;
  bomLength = 0;
  private started = false;
  /** Before the start: bytes for the BOM check. Undecided: bytes from the first non-ASCII byte on.
   * UTF-8: an incomplete trailing sequence. */
  private pending: Buffer | null = null;
  private iconvDecoder: Decoder | null = null;

  constructor(private readonly requested: EncodingOption = 'auto') {}

  /**
   * Decodes the next chunk. `line` is the physical line the caller has reached in the text returned so far
   * (1 + its line breaks): error messages count from there.
   */
  write(chunk: Buffer, line: number): string {
    if (!this.started) {
      const head = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
      if (head.length < 3) {
        this.pending = head;
        return '';
      }
      this.pending = null;
      return this.dispatch(this.start(head), line, false);
    }
    return this.dispatch(chunk, line, false);
  }

  /** Flushes what is held back; refuses a file that ends inside a character. */
  end(line: number): string {
    let text = '';
    if (!this.started) {
      const head = this.pending ?? Buffer.alloc(0);
      this.pending = null;
      text = this.dispatch(this.start(head), line, true);
    } else {
      text = this.dispatch(Buffer.alloc(0), line, true);
    }
    return text;
  }

  private start(head: Buffer): Buffer {
    this.started = true;
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
      this.encoding = 'utf-8';
      this.bomLength = 3;
      return head.subarray(3);
    }
    if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
      this.encoding = head[0] === 0xff ? 'utf-16le' : 'utf-16be';
      this.bomLength = 2;
      this.iconvDecoder = iconv.getDecoder(this.encoding);
      return head.subarray(2);
    }
    if (this.requested === 'utf8') this.encoding = 'utf-8';
    if (this.requested === 'gb18030') {
      this.encoding = 'gb18030';
      this.iconvDecoder = iconv.getDecoder('gb18030');
    }
    return head;
  }

  private dispatch(buf: Buffer, line: number, last: boolean): string {
    switch (this.encoding) {
      case 'utf-8':
        return this.utf8(buf, line, last);
      case 'gb18030':
        return this.gb18030(buf, line, last);
      case 'utf-16le':
      case 'utf-16be': {
        const dec = this.iconvDecoder as Decoder;
        return dec.write(buf) + (last ? (dec.end() ?? '') : '');
      }
      default:
        return this.undecided(buf, line, last);
    }
  }

  private undecided(chunk: Buffer, line: number, last: boolean): string {
    let ascii = '';
    let window: Buffer;
    if (this.pending) {
      window = chunk.length > 0 ? Buffer.concat([this.pending, chunk]) : this.pending;
    } else {
      if (isAscii(chunk)) {
        const nul = chunk.indexOf(0);
        if (nul >= 0) throw nulError(line + countLfBytes(chunk, nul));
        return chunk.toString('latin1');
      }
      let p = 0;
      while ((chunk[p] as number) < 0x80) p++;
      ascii = chunk.toString('latin1', 0, p);
      const nul = ascii.indexOf('\u0000');
      if (nul >= 0) throw nulError(line + countNewlines(ascii, 0, nul));
      window = chunk.subarray(p);
    }
    if (window.length < DETECT_WINDOW && !last) {
      this.pending = window;
      return ascii;
    }
    this.pending = null;
    const windowLine = line + countNewlines(ascii);
    this.decide(window, windowLine, last);
    return ascii + this.dispatch(window, windowLine, last);
  }

  private decide(window: Buffer, line: number, last: boolean): void {
    const body = last ? window : window.subarray(0, utf8Cut(window));
    if (isUtf8(body)) {
      this.encoding = 'utf-8';
      return;
    }
    const gb = iconv.getDecoder('gb18030');
    const text = gb.write(window) + (last ? (gb.end() ?? '') : '');
    const badGb = text.indexOf('\ufffd');
    if (badGb < 0) {
      this.encoding = 'gb18030';
      this.iconvDecoder = iconv.getDecoder('gb18030');
      return;
    }
    // The line named is where the file stops making sense in both readings (as in catalog-io/encoding.ts).
    const badUtf8 = firstInvalidUtf8(body);
    const at = line + Math.max(countLfBytes(body, badUtf8 < 0 ? body.length : badUtf8), countNewlines(text, 0, badGb));
    throw new SourceError(
      'BAD_ENCODING',
      `无法识别文件编码：第 ${at} 行既不是有效的 UTF-8，也不是有效的 GB18030/GBK；${HINT_ZH}`,
      `Unrecognised encoding: line ${at} is neither valid UTF-8 nor valid GB18030/GBK; ${HINT_EN}`,
      { line: at },
    );
  }

  private utf8(chunk: Buffer, line: number, last: boolean): string {
    const piece = this.pending ? (chunk.length > 0 ? Buffer.concat([this.pending, chunk]) : this.pending) : chunk;
    const cut = last ? piece.length : utf8Cut(piece);
    this.pending = cut < piece.length ? Buffer.from(piece.subarray(cut)) : null;
    const body = cut < piece.length ? piece.subarray(0, cut) : piece;
    if (!isUtf8(body)) {
      const bad = firstInvalidUtf8(body);
      const at = line + countLfBytes(body, bad);
      throw new SourceError(
        'BAD_ENCODING',
        `第 ${at} 行含有无效的 UTF-8 字节（文件按 UTF-8 读取）；如果文件是 GBK/GB18030 编码，请指定该编码后重试`,
        `Line ${at} holds bytes that are not valid UTF-8 (the file is read as UTF-8); if it is GBK/GB18030, say so and try again`,
        { line: at },
      );
    }
    const nul = body.indexOf(0);
    if (nul >= 0) throw nulError(line + countLfBytes(body, nul));
    return body.toString('utf8');
  }

  private gb18030(chunk: Buffer, line: number, last: boolean): string {
    const dec = this.iconvDecoder as Decoder;
    const text = dec.write(chunk) + (last ? (dec.end() ?? '') : '');
    // iconv-lite substitutes U+FFFD for what is not GB18030 (it never throws).
    const bad = text.indexOf('\ufffd');
    if (bad >= 0) {
      const at = line + countNewlines(text, 0, bad);
      throw new SourceError(
        'BAD_ENCODING',
        `第 ${at} 行含有不是 GB18030/GBK 编码的字节（文件按 GB18030 读取）；${HINT_ZH}`,
        `Line ${at} holds bytes that are not GB18030/GBK (the file is read as GB18030); ${HINT_EN}`,
        { line: at },
      );
    }
    const nul = text.indexOf('\u0000');
    if (nul >= 0) throw nulError(line + countNewlines(text, 0, nul));
    return text;
  }
}
