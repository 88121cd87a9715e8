import { describe, expect, it } from 'vitest';
import { toCsv, toJsonl } from './serialize.ts';

describe('serialize', () => {
  it('CSV: BOM, CRLF, quoting of separators, quotes and newlines, nulls empty', () => {
    const out = toCsv(
      ['a', 'b'],
      [
        { a: '张三, 李四', b: 'say "hi"' },
        { a: null, b: 'x\ny' },
        { a: 1.5, b: true },
      ],
    ).toString('utf8');
    expect(out).toBe('\uFEFFa,b\r\n"张三, 李四","say ""hi"""\r\n,"x\ny"\r\n1.5,true\r\n');
  });

  it('CSV: cells a spreadsheet would run as formulas are neutralised, negative numbers are not', () => {
    const out = toCsv(['a'], [{ a: '=HYPERLINK("x")' }, { a: '-12.5' }, { a: '@SUM(A1)' }]).toString('utf8');
    expect(out.split('\r\n').slice(1, 4)).toEqual([`"'=HYPERLINK(""x"")"`, '-12.5', `"'@SUM(A1)"`]);
  });

  it('JSON Lines: one object per row with every column, in column order', () => {
    expect(toJsonl(['b', 'a'], [{ a: 1 }, { a: 'x', b: null }]).toString('utf8')).toBe('{"b":null,"a":1}\n{"b":null,"a":"x"}\n');
    expect(toJsonl(['a'], []).length).toBe(0);
  });
});
