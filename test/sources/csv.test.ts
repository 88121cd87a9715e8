// CSV/TSV reading for discovery scans (issue 4: AST-11, CLS-2) and dataset uploads (issue 5: LIF-13):
// RFC 4180 parsing across chunk boundaries, encodings, malformed files with their line numbers.
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvParser, type CsvRecord, detectDelimiter } from '../../src/sources/csv-parser.ts';
import { StreamDecoder } from '../../src/sources/decode.ts';
import { asCsv, openSource } from '../../src/sources/index.ts';
import { allRows, sourceError, tempDir } from './helpers.ts';

const tmp = tempDir('csv');
afterAll(() => tmp.remove());

function parseAll(pieces: string[], delimiter = ','): CsvRecord[] {
  const p = new CsvParser(delimiter);
  const out: CsvRecord[] = [];
  for (const piece of pieces) p.push(piece, out);
  p.end(out);
  return out;
}

describe('CsvParser (RFC 4180, resumable)', () => {
  const tricky = 'a,"b,c","say ""hi""","x\r\ny"\r\n\r\nd,,"",e\rf,"multi\nline\nfield"\n"q"\r\nlast,row';
  const expected: CsvRecord[] = [
    { cells: ['a', 'b,c', 'say "hi"', 'x\r\ny'], physicalLine: 1 },
    { cells: ['d', '', '', 'e'], physicalLine: 4 },
    { cells: ['f', 'multi\nline\nfield'], physicalLine: 5 },
    { cells: ['q'], physicalLine: 8 },
    { cells: ['last', 'row'], physicalLine: 9 },
  ];

  it('reads quoted fields, doubled quotes, embedded delimiters and line breaks, CRLF/LF/CR, blank lines counted', () => {
    expect(parseAll([tricky])).toEqual(expected);
  });

  it('gives the same records wherever the text is cut into chunks', () => {
    for (let k = 0; k <= tricky.length; k++) {
      expect(parseAll([tricky.slice(0, k), tricky.slice(k)]), `split at ${k}`).toEqual(expected);
    }
    expect(parseAll([...tricky])).toEqual(expected); // one character at a time
  });

  it('refuses a quote inside an unquoted field, text after a closing quote, and an unclosed quote, with the line', () => {
    const stray = (() => {
      try {
        parseAll(['a,b\n1,2\n3,4"5\n']);
      } catch (e) {
        return e;
      }
    })();
    expect(stray).toMatchObject({ code: 'MALFORMED', line: 3 });
    expect(() => parseAll(['a\n"b"c\n'])).toThrow(/Line 2: characters after the closing quote/);
    expect(() => parseAll(['h\n1\n"open\n\nstill open'])).toThrow(/quote opened on line 3 is never closed/);
  });

  it('refuses a field that grows past the limit (an unclosed quote would otherwise hold the whole file)', () => {
    const p = new CsvParser(',', 1000);
    const out: CsvRecord[] = [];
    p.push('h\n"', out);
    expect(() => p.push('x'.repeat(2000), out)).toThrow(expect.objectContaining({ code: 'MALFORMED', line: 2 }));
  });

  it('detects the delimiter from the header line, ignoring quoted text', () => {
    expect(detectDelimiter('姓名,电话,地址')).toBe(',');
    expect(detectDelimiter('姓名\t电话\t"地址,省"')).toBe('\t');
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('a|b|c,d')).toBe('|');
    expect(detectDelimiter('single')).toBe(',');
  });
});

describe('StreamDecoder (UTF-8 / GB18030 detection, chunk by chunk)', () => {
  const decodeIn = (bytes: Buffer, size: number, encoding: 'auto' | 'utf8' | 'gb18030' = 'auto') => {
    const d = new StreamDecoder(encoding);
    let text = '';
    for (let p = 0; p < bytes.length; p += size) text += d.write(bytes.subarray(p, p + size), 1);
    return { text: text + d.end(1), encoding: d.encoding };
  };

  it('decodes UTF-8, GBK and GB18030 four-byte characters however the bytes are cut', () => {
    const text = '姓名,地址\n张三,北京市朝阳区𠮷野家\n';
    for (const size of [1, 2, 3, 5, 64]) {
      expect(decodeIn(Buffer.from(text), size)).toEqual({ text, encoding: 'utf-8' });
      expect(decodeIn(iconv.encode(text, 'gb18030'), size)).toEqual({ text, encoding: 'gb18030' });
    }
  });

  it('lets a byte-order mark decide (UTF-8, UTF-16LE) even against the requested encoding', () => {
    expect(decodeIn(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('名,a\n')]), 1, 'gb18030')).toEqual({ text: '名,a\n', encoding: 'utf-8' });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('姓名\t电话\n', 'utf16le')]);
    expect(decodeIn(utf16, 3)).toEqual({ text: '姓名\t电话\n', encoding: 'utf-16le' });
  });
});

describe('CSV files as a source (LIF-13 uploads, AST-11 scans)', () => {
  it('reads UTF-8 with a BOM: header without the BOM, embedded newlines, physical lines and data row numbers', async () => {
    const path = tmp.file('bom.csv', `\ufeff姓名,备注\r\n张三,"第一行\r\n第二行"\r\n\r\n李四,"说 ""你好"""\r\n`);
    const src = await openSource(path);
    expect(src.kind).toBe('csv');
    expect(await src.columns()).toEqual(['姓名', '备注']);
    expect(await allRows(src)).toEqual([
      { line: 1, physicalLine: 2, values: { 姓名: '张三', 备注: '第一行\r\n第二行' } },
      { line: 2, physicalLine: 5, values: { 姓名: '李四', 备注: '说 "你好"' } },
    ]);
    expect(asCsv(src)?.encoding).toBe('utf-8');
    expect(asCsv(src)?.bomLength).toBe(3);
  });

  it('reads GBK text (detected) and GB18030 when asked, and refuses GBK read as UTF-8 at the right line', async () => {
    const text = '姓名,电话\n王五,13800138000\n赵六,13900139000\n';
    const path = tmp.file('gbk.csv', iconv.encode(text, 'gbk'));
    const auto = await openSource(path);
    expect(asCsv(auto)?.encoding).toBe('gb18030');
    expect((await allRows(auto)).map((r) => r.values.姓名)).toEqual(['王五', '赵六']);
    expect((await allRows(await openSource(path, { encoding: 'gb18030' }))).length).toBe(2);
    const err = await sourceError(async () => allRows(await openSource(path, { encoding: 'utf8' })));
    expect(err).toMatchObject({ code: 'BAD_ENCODING', line: 1 });
    expect(err.messageZh).toContain('第 1 行');
  });

  it('refuses bytes that are neither UTF-8 nor GB18030, and NUL characters, with the line', async () => {
    const bad = Buffer.concat([Buffer.from('a,b\n1,2\n'), Buffer.from([0x33, 0x2c, 0xff, 0xff, 0x0a])]);
    expect(await sourceError(async () => allRows(await openSource(tmp.file('bad.csv', bad))))).toMatchObject({ code: 'BAD_ENCODING', line: 3 });
    const nul = Buffer.from('a,b\n1,2\n3,\u00004\n');
    expect(await sourceError(async () => allRows(await openSource(tmp.file('nul.csv', nul))))).toMatchObject({ code: 'BAD_ENCODING', line: 3 });
  });

  it('streams multi-byte characters across chunk boundaries, in UTF-8 and in GBK', async () => {
    for (const enc of ['utf8', 'gbk'] as const) {
      let tested = false;
      // Pad the header until the first 256 KiB boundary falls inside a character.
      for (let pad = 0; pad < 4; pad++) {
        const lines = [`编号${'x'.repeat(pad)},内容`];
        for (let i = 0; i < 12_000; i++) lines.push(`${i},中文内容测试数据第${i}行`);
        const text = `${lines.join('\n')}\n`;
        const bytes = enc === 'utf8' ? Buffer.from(text) : iconv.encode(text, 'gbk');
        let offset = 0;
        for (const ch of text) {
          if (offset >= 256 * 1024) break;
          offset += enc === 'utf8' ? Buffer.byteLength(ch) : iconv.encode(ch, 'gbk').length;
        }
        if (offset === 256 * 1024) continue; // the boundary falls between characters: pad and retry
        const rows = await allRows(await openSource(tmp.file(`split-${enc}.csv`, bytes)));
        expect(rows.length).toBe(12_000);
        expect(rows.every((r, i) => r.values.内容 === `中文内容测试数据第${i}行` && r.physicalLine === i + 2)).toBe(true);
        tested = true;
        break;
      }
      expect(tested, `a chunk boundary inside a ${enc} character`).toBe(true);
    }
  });

  it('decides on the first window and still checks the rest: a GBK line deep in a UTF-8 file is refused at its line', async () => {
    const lines = ['编号,内容'];
    for (let i = 0; i < 20_000; i++) lines.push(`${i},北京市海淀区中关村大街${i}号`);
    const utf8 = Buffer.from(`${lines.join('\n')}\n`);
    expect(utf8.length).toBeGreaterThan(600 * 1024);
    const path = tmp.file('mixed.csv', Buffer.concat([utf8, iconv.encode('20000,上海市\n', 'gbk')]));
    const err = await sourceError(async () => allRows(await openSource(path)));
    expect(err).toMatchObject({ code: 'BAD_ENCODING', line: 20_002 });
  });

  it('reads GBK whose first Chinese character comes after 300 KB of ASCII', async () => {
    const lines = ['id,name'];
    for (let i = 0; i < 30_000; i++) lines.push(`${i},user${i}`);
    lines.push('30000,张三丰');
    const path = tmp.file('late-gbk.csv', iconv.encode(`${lines.join('\r\n')}\r\n`, 'gbk'));
    const rows = await allRows(await openSource(path));
    expect(rows.at(-1)).toEqual({ line: 30_001, physicalLine: 30_002, values: { id: '30000', name: '张三丰' } });
  });

  it('refuses malformed files with the line number: ragged row, unclosed quote at EOF, stray quote', async () => {
    const ragged = tmp.file('ragged.csv', 'a,b,c\n1,"two\nlines",3\n4,5\n');
    const e1 = await sourceError(async () => allRows(await openSource(ragged)));
    expect(e1).toMatchObject({ code: 'MALFORMED', line: 4 });
    expect(e1.messageEn).toBe('Line 4 has 2 fields but the header has 3 columns');
    const unclosed = tmp.file('unclosed.csv', 'a,b\n1,2\n3,"never closed\n4,5\n');
    expect(await sourceError(async () => allRows(await openSource(unclosed)))).toMatchObject({ code: 'MALFORMED', line: 3 });
    const stray = tmp.file('stray.csv', 'a,b\n1,2\n3,5" disk\n');
    expect(await sourceError(async () => allRows(await openSource(stray)))).toMatchObject({ code: 'MALFORMED', line: 3 });
  });

  it('reads TSV by name or by its header, names empty and repeated header cells', async () => {
    const tsv = await openSource(tmp.file('people.tsv', '姓名\t地址\n张三\t北京,朝阳\n'));
    expect(tsv.kind).toBe('tsv');
    expect((await allRows(tsv))[0]?.values).toEqual({ 姓名: '张三', 地址: '北京,朝阳' });
    const txt = await openSource(tmp.file('export.txt', 'a\tb\tc\n1\t2\t3\n'));
    expect(txt.kind).toBe('tsv');
    const dup = await openSource(tmp.file('dup.csv', ' 名称 ,,名称,名称_2\n1,2,3,4\n'));
    expect(await dup.columns()).toEqual(['名称', 'column_2', '名称_2', '名称_2_2']);
  });

  it('refuses an empty file, a missing file, a directory, and a file over maxBytes', async () => {
    expect(await sourceError(() => openSource(tmp.file('empty.csv', '\r\n\r\n')))).toMatchObject({ code: 'MALFORMED' });
    expect(await sourceError(() => openSource(`${tmp.dir}/missing.csv`))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await sourceError(() => openSource(tmp.dir))).toMatchObject({ code: 'UNREADABLE' });
    expect(await sourceError(() => openSource(tmp.file('big.csv', 'a\n1\n2\n'), { maxBytes: 4 }))).toMatchObject({ code: 'TOO_LARGE' });
  });

  it('reads an upload from memory the same as a file', async () => {
    const src = await openSource({ buffer: iconv.encode('姓名\n钱七\n', 'gbk'), name: 'upload.csv' });
    expect(src.describe).toBe('upload.csv (csv, gb18030)');
    expect(await allRows(src)).toEqual([{ line: 1, physicalLine: 2, values: { 姓名: '钱七' } }]);
  });

  it('gives raw byte chunks (after the BOM) for a byte-level scanner, and counts bytes for progress', async () => {
    const body = Buffer.from(`h1,h2\n${'1,2\n'.repeat(200_000)}`);
    const path = tmp.file('raw.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]));
    const src = asCsv(await openSource(path));
    if (!src) throw new Error('not a CSV source');
    const chunks: Buffer[] = [];
    for await (const c of src.rawChunks()) chunks.push(c);
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).equals(body)).toBe(true);
    expect(src.bytesRead?.()).toBe(src.totalBytes);
    let n = 0;
    for await (const _ of src.rows()) n++;
    expect(n).toBe(200_000);
    expect(src.bytesRead?.()).toBe(body.length + 3);
  });
});
