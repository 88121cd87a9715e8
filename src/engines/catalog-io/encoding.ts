// Text encoding of an uploaded CSV. Chinese government systems export GB18030/GBK as often as UTF-8, and
// Excel's "Unicode text" is UTF-16 with a byte-order mark. A byte-order mark decides; without one, input
// that is valid UTF-8 is UTF-8 (GBK text practically never is), otherwise it must decode as GB18030
// without a single invalid sequence. Anything else is refused with the line it fails on: a guess that
// turns names into mojibake would be written to the catalog.
import iconv from 'iconv-lite';
import { fileIssue, type ImportIssue } from './issues.ts';

export type TextEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

export type DecodeResult = { ok: true; text: string; encoding: TextEncoding; bom: boolean } | { ok: false; issue: ImportIssue };

/** Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array, from = 0): number {
  let i = from;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min, cp] = [1, 0x80, b & 0x1f];
    else if (b >= 0xe0 && b <= 0xef) [need, min, cp] = [2, 0x800, b & 0x0f];
    else if (b >= 0xf0 && b <= 0xf4) [need, min, cp] = [3, 0x10000, b & 0x07];
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += need + 1;
  }
  return -1;
}

function lineAtByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function lineAtChar(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 0x0a) line++;
  return line;
}

const SAVE_AS_ZH = '请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后重新导入';
const SAVE_AS_EN = 'save it from Excel as "CSV UTF-8 (Comma delimited)" and import it again';

function checkText(text: string, encoding: TextEncoding, bom: boolean): DecodeResult {
  // A NUL is never in a CSV: the bytes are UTF-16 without a byte-order mark, or not text at all (and
  // PostgreSQL could not store it anyway).
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const line = lineAtChar(text, nul);
    return {
      ok: false,
      issue: fileIssue(
        'BINARY_CONTENT',
        `文件第 ${line} 行含有空字符（NUL），不是可识别的文本文件（可能是不带 BOM 的 UTF-16）；${SAVE_AS_ZH}`,
        `Line ${line} contains a NUL character: this is not a text file we can read (perhaps UTF-16 without a byte-order mark); ${SAVE_AS_EN}`,
        { row: line },
      ),
    };
  }
  return { ok: true, text, encoding, bom };
}

export function decodeText(bytes: Uint8Array): DecodeResult {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    const bad = firstInvalidUtf8(buf, 3);
    if (bad >= 0) {
      const line = lineAtByte(buf, bad);
      return {
        ok: false,
        issue: fileIssue(
          'INVALID_UTF8',
          `文件开头标明为 UTF-8 编码，但第 ${line} 行含有无效的 UTF-8 字节；${SAVE_AS_ZH}`,
          `The file is marked as UTF-8 but line ${line} holds bytes that are not valid UTF-8; ${SAVE_AS_EN}`,
          { row: line },
        ),
      };
    }
    return checkText(buf.toString('utf8', 3), 'utf-8', true);
  }
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    const encoding = buf[0] === 0xff ? 'utf-16le' : 'utf-16be';
    try {
      return checkText(new TextDecoder(encoding, { fatal: true }).decode(buf.subarray(2)), encoding, true);
    } catch {
      return {
        ok: false,
        issue: fileIssue(
          'INVALID_UTF16',
          `文件开头标明为 UTF-16 编码，但内容不是有效的 UTF-16；${SAVE_AS_ZH}`,
          `The file is marked as UTF-16 but its content is not valid UTF-16; ${SAVE_AS_EN}`,
        ),
      };
    }
  }
  const badUtf8 = firstInvalidUtf8(buf);
  if (badUtf8 < 0) return checkText(buf.toString('utf8'), 'utf-8', false);
  // iconv-lite never throws on bad input: it substitutes U+FFFD, so one substitution means "not GB18030".
  // (A real U+FFFD in the file would be valid UTF-8 and never get here.)
  const text = iconv.decode(buf, 'gb18030');
  const badGb = text.indexOf('\ufffd');
  if (badGb >= 0) {
    // The line named is where the file stops making sense in both readings: a UTF-8 file with one stray
    // byte is reported at that byte, not where UTF-8 text first looks wrong as GB18030.
    const line = Math.max(lineAtByte(buf, badUtf8), lineAtChar(text, badGb));
    return {
      ok: false,
      issue: fileIssue(
        'ENCODING_UNRECOGNISED',
        `无法识别文件编码：第 ${line} 行既不是有效的 UTF-8，也不是有效的 GB18030/GBK；${SAVE_AS_ZH}`,
        `Unrecognised encoding: line ${line} is neither valid UTF-8 nor valid GB18030/GBK; ${SAVE_AS_EN}`,
        { row: line },
      ),
    };
  }
  return checkText(text, 'gb18030', false);
}
