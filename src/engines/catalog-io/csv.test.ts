import { describe, expect, it } from 'vitest';
import { escapeFormula, parseCsv, unescapeFormula, writeCsv } from './csv.ts';

const parse = (text: string, maxRecords = 100) => {
  const r = parseCsv(text, { maxRecords });
  if (!r.ok) throw new Error(`refused: ${r.issue.code} ${r.issue.zh}`);
  return r.records;
};

describe('CSV as Excel and government systems write it', () => {
  it('reads quoted fields with delimiters, doubled quotes and line breaks, with CRLF, LF or CR line ends', () => {
    expect(parse('a,"b,c","say ""hi""","x\r\ny"\r\nd,e,f,g\rh,i\n')).toEqual([
      { row: 1, cells: ['a', 'b,c', 'say "hi"', 'x\r\ny'] },
      { row: 2, cells: ['d', 'e', 'f', 'g'] },
      { row: 3, cells: ['h', 'i'] },
    ]);
  });

  it('numbers rows as a spreadsheet shows them: blank lines count, a multi-line cell is one row, no row after the last line end', () => {
    expect(parse('h\r\n\r\n"1\n2"\r\n,\r\n3').map((r) => [r.row, r.cells])).toEqual([
      [1, ['h']],
      [3, ['1\n2']],
      [4, ['', '']],
      [5, ['3']],
    ]);
    expect(parse('""\n')).toEqual([{ row: 1, cells: [''] }]);
  });

  it('keeps a quote inside an unquoted value, as Excel does', () => {
    expect(parse('5" disk,b')[0]?.cells).toEqual(['5" disk', 'b']);
  });

  it('detects a tab-delimited header', () => {
    const r = parseCsv('类型\t名称\n系统\t甲,乙\n', { maxRecords: 10 });
    expect(r.ok && r.delimiter).toBe('\t');
    expect(r.ok && r.records[1]?.cells).toEqual(['系统', '甲,乙']);
  });

  it('refuses an unterminated quote at the row it starts, and text after a closing quote', () => {
    const open = parseCsv('a,b\nc,"d\ne,f\n', { maxRecords: 10 });
    expect(open.ok).toBe(false);
    if (!open.ok) expect(open.issue).toMatchObject({ code: 'MALFORMED_CSV', row: 2 });
    const after = parseCsv('a\n"b"c\n', { maxRecords: 10 });
    expect(after.ok).toBe(false);
    if (!after.ok) expect(after.issue).toMatchObject({ code: 'MALFORMED_CSV', row: 2 });
  });

  it('stops once there are more rows than allowed', () => {
    const r = parseCsv('h\n1\n2\n3\n', { maxRecords: 3 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issue.code).toBe('TOO_MANY_ROWS');
  });

  it('writes UTF-8 with a byte-order mark and CRLF, quoting what needs it, and neutralises formulas reversibly', () => {
    const rows = [
      ['名称', '说明'],
      ['=HYPERLINK("x")', 'a,b'],
      ['-1', 'line\nbreak'],
      [' padded', '@sum'],
    ];
    const bytes = writeCsv(rows);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text).toBe('名称,说明\r\n"\'=HYPERLINK(""x"")","a,b"\r\n\'-1,"line\nbreak"\r\n" padded",\'@sum\r\n');
    expect(parse(text).map((r) => r.cells.map(unescapeFormula))).toEqual(rows);
    expect(escapeFormula('普通文本')).toBe('普通文本');
    expect(unescapeFormula("'普通")).toBe("'普通");
  });
});
