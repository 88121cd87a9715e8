import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText, firstInvalidUtf8 } from './encoding.ts';

const TEXT = '类型,系统名称\r\n系统,人口信息管理系统（𠀀）\r\n';

function decoded(bytes: Buffer) {
  const r = decodeText(bytes);
  if (!r.ok) throw new Error(`refused: ${r.issue.code}`);
  return r;
}

describe('text encoding of an uploaded CSV', () => {
  it('reads UTF-8 with and without a byte-order mark', () => {
    expect(decoded(Buffer.from(TEXT, 'utf8'))).toMatchObject({ text: TEXT, encoding: 'utf-8', bom: false });
    expect(decoded(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')]))).toMatchObject({ text: TEXT, encoding: 'utf-8', bom: true });
  });

  it('detects GB18030 (and so GBK), including four-byte characters outside GBK', () => {
    expect(decoded(iconv.encode(TEXT, 'gb18030'))).toMatchObject({ text: TEXT, encoding: 'gb18030' });
    const gbk = '数据资源,户籍人口基本信息\r\n';
    expect(decoded(iconv.encode(gbk, 'gbk'))).toMatchObject({ text: gbk, encoding: 'gb18030' });
  });

  it('reads UTF-16 with a byte-order mark (Excel "Unicode text")', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]);
    expect(decoded(le)).toMatchObject({ text: TEXT, encoding: 'utf-16le' });
    const be = Buffer.from(Buffer.from(TEXT, 'utf16le')).swap16();
    expect(decoded(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toMatchObject({ text: TEXT, encoding: 'utf-16be' });
  });

  it('refuses bytes valid in neither encoding, naming the line', () => {
    const bytes = Buffer.concat([Buffer.from('a,b\nc,d\n', 'utf8'), Buffer.from([0x81, 0x20, 0xff])]);
    const r = decodeText(bytes);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issue).toMatchObject({ code: 'ENCODING_UNRECOGNISED', row: 3 });
  });

  it('refuses a UTF-8 byte-order mark followed by bytes that are not UTF-8', () => {
    const r = decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a\n'), iconv.encode('数据', 'gbk')]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issue).toMatchObject({ code: 'INVALID_UTF8', row: 2 });
  });

  it('refuses NUL characters (binary data, or UTF-16 without its mark)', () => {
    const r = decodeText(Buffer.from('a,b\n', 'utf16le'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issue.code).toBe('BINARY_CONTENT');
  });

  it('knows well-formed UTF-8: overlong forms, surrogates and truncated sequences are not', () => {
    expect(firstInvalidUtf8(Buffer.from('ok 系统 𠀀', 'utf8'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xc0, 0x80]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(Buffer.from([0x41, 0x42, 0xe7, 0xb3]))).toBe(2);
    expect(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0);
  });
});
