import { describe, expect, it } from 'vitest';
import { canonicalDate, canonicalDateTime, coerceCell } from './coerce.ts';

const ok = (v: unknown) => ({ ok: true, value: v });
const bad = (problem: string) => ({ ok: false, problem });

describe('coerceCell (LIF-13: values checked against the catalogued field types)', () => {
  it('integers: separators allowed, fractions and huge values refused rather than rounded', () => {
    expect(coerceCell('integer', ' 1,234 ')).toEqual(ok(1234));
    expect(coerceCell('integer', '-7')).toEqual(ok(-7));
    expect(coerceCell('integer', 42)).toEqual(ok(42));
    expect(coerceCell('integer', '1.5')).toEqual(bad('not_integer'));
    expect(coerceCell('integer', 1.5)).toEqual(bad('not_integer'));
    expect(coerceCell('integer', '6222021234567890123')).toEqual(bad('integer_out_of_range'));
    expect(coerceCell('integer', 'abc')).toEqual(bad('not_integer'));
  });

  it('decimals keep their exact text when a double would change it', () => {
    expect(coerceCell('decimal', '3.10')).toEqual(ok('3.10'));
    expect(coerceCell('decimal', '3.1')).toEqual(ok(3.1));
    expect(coerceCell('decimal', '12345678901234567890.12')).toEqual(ok('12345678901234567890.12'));
    expect(coerceCell('decimal', '1e3')).toEqual(ok('1e3'));
    expect(coerceCell('decimal', '1,000.5')).toEqual(ok(1000.5));
    expect(coerceCell('decimal', '1..2')).toEqual(bad('not_decimal'));
    expect(coerceCell('decimal', Number.NaN)).toEqual(bad('not_decimal'));
  });

  it('booleans in Chinese and English', () => {
    expect(coerceCell('boolean', '是')).toEqual(ok(true));
    expect(coerceCell('boolean', 'FALSE')).toEqual(ok(false));
    expect(coerceCell('boolean', '0')).toEqual(ok(false));
    expect(coerceCell('boolean', 'maybe')).toEqual(bad('not_boolean'));
  });

  it('dates in the forms government exports use, and impossible dates refused', () => {
    for (const s of ['2024-03-05', '2024/3/5', '2024.03.05', '20240305', '2024年3月5日', '2024-03-05T00:00:00Z'])
      expect(coerceCell('date', s)).toEqual(ok('2024-03-05'));
    expect(coerceCell('date', '2023-02-29')).toEqual(bad('not_date'));
    expect(coerceCell('date', '2024-02-29')).toEqual(ok('2024-02-29'));
    expect(coerceCell('date', '2024-13-01')).toEqual(bad('not_date'));
    expect(canonicalDate('03/05/2024')).toBeNull();
  });

  it('date-times without a zone are Beijing time; a zone given is kept', () => {
    expect(canonicalDateTime('2024-03-05 08:30')).toBe('2024-03-05T08:30:00+08:00');
    expect(canonicalDateTime('2024/3/5 8:30:15')).toBe('2024-03-05T08:30:15+08:00');
    expect(canonicalDateTime('2024-03-05T08:30:15.123Z')).toBe('2024-03-05T08:30:15.123Z');
    expect(canonicalDateTime('2024-03-05T08:30:15+0530')).toBe('2024-03-05T08:30:15+05:30');
    expect(coerceCell('datetime', '2024-03-05 24:00')).toEqual(bad('not_datetime'));
    expect(coerceCell('time', '7:05')).toEqual(ok('07:05:00'));
    expect(coerceCell('time', '25:00')).toEqual(bad('not_time'));
  });

  it('empty cells are null; text is trimmed; JSON is canonical; over-long cells refused', () => {
    expect(coerceCell('integer', '  ')).toEqual(ok(null));
    expect(coerceCell('string', null)).toEqual(ok(null));
    expect(coerceCell('string', ' 张三 ')).toEqual(ok('张三'));
    expect(coerceCell('json', ' { "a" : 1 } ')).toEqual(ok('{"a":1}'));
    expect(coerceCell('json', '{a:1}')).toEqual(bad('not_json'));
    expect(coerceCell('text', 'x'.repeat(70_000))).toEqual(bad('too_long'));
  });
});
