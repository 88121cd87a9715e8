import { describe, expect, it } from 'vitest';
import { canonicalValue, cellText, normaliseHeader, parseClock, parseDate, parseDateTime, parseDecimal } from './cells.ts';
import type { FieldSpec } from './types.ts';

const dec = (s: number | string) => {
  const d = parseDecimal(s);
  return d ? `${d.units}e-${d.scale}` : null;
};

describe('PRT-8 leaked-cell parsers: decimals', () => {
  it('reads the same exact value from every way a leaker writes it', () => {
    for (const form of [3.0963, '3.0963', ' 3.0963 ', '3.09630', '３.０９６３', '+3.0963', '0003.0963', '30963e-4', '0.30963E1']) {
      expect(dec(form), String(form)).toBe('30963e-4');
    }
    expect(dec('1,234.5637')).toBe('12345637e-4');
    expect(dec('¥1,234.50')).toBe('12345e-1');
    expect(dec("'-3.0963")).toBe('-30963e-4'); // a CSV export's formula apostrophe
    expect(dec(1e-7)).toBe('1e-7');
    expect(dec('3.10')).toBe(dec(3.1));
    expect(dec(12)).toBe('12e-0');
  });

  it('refuses what is not a number', () => {
    for (const bad of ['', 'abc', '1.2.3', '1,23', '--1', '.', 'e5', Number.NaN, Number.POSITIVE_INFINITY, null, undefined, {}, true]) {
      expect(parseDecimal(bad), String(bad)).toBeNull();
    }
  });
});

describe('PRT-8 leaked-cell parsers: clock readings', () => {
  const at = (cell: unknown) => {
    const r = parseClock(cell);
    return r ? [r.minuteOfHour, r.second, r.millisecond] : null;
  };

  it('reads minute of the hour and seconds from every date-time format, in the platform zone', () => {
    const instant = new Date('2024-03-05T02:30:17Z'); // 10:30:17 in Asia/Shanghai
    const forms: unknown[] = [
      instant,
      '2024-03-05 10:30:17',
      '2024/3/5 10:30:17',
      '2024-03-05T10:30:17',
      '2024-03-05T02:30:17.000Z',
      '2024-03-05T10:30:17+08:00',
      '2024年3月5日 10时30分17秒',
      '2024年3月5日 10:30:17',
      '3/5/2024 10:30:17 AM',
      '10:30:17',
      instant.getTime(),
      instant.getTime() / 1000,
      45356 + (10 * 3600 + 30 * 60 + 17) / 86400, // Excel serial day (wall clock)
      String(45356 + (10 * 3600 + 30 * 60 + 17) / 86400), // the same serial, read from a CSV as text
    ];
    for (const f of forms) expect(at(f), String(f)).toEqual([30, 17, 0]);
  });

  it('keeps the minute of the hour when a leaker moves between UTC and local time', () => {
    expect(at('2024-03-05 02:30:17')).toEqual(at('2024-03-05 10:30:17'));
  });

  it('sees milliseconds and missing seconds', () => {
    expect(at('2024-03-05 10:30')).toEqual([30, 0, 0]);
    expect(at('2024-03-05 10:30:17.250')).toEqual([30, 17, 250]);
    expect(at('2024-03-05')).toBeNull();
    expect(at('no time here')).toBeNull();
  });
});

describe('PRT-8 canonical values (what a consumer uses)', () => {
  const f = (dataType: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ name: 'x', dataType, ...extra });

  it('rounds decimals to the declared scale and truncates minute-precision times', () => {
    expect(canonicalValue(f('decimal', { scale: 2 }), '3.0963')).toBe('3.10');
    expect(canonicalValue(f('decimal', { scale: 2 }), 3.1049)).toBe('3.10');
    expect(canonicalValue(f('decimal', { scale: 2 }), '-3.0951')).toBe('-3.10');
    expect(canonicalValue(f('decimal', { scale: 2 }), '3.1')).toBe('3.10');
    expect(canonicalValue(f('datetime', { precision: 'minute' }), '2024/3/5 10:30:29')).toBe('2024-03-05T10:30');
    expect(canonicalValue(f('datetime', { precision: 'minute' }), new Date('2024-03-05T02:30:29Z'))).toBe('2024-03-05T10:30');
    expect(canonicalValue(f('datetime'), '2024-03-05 10:30:29')).toBe('2024-03-05T10:30:29');
    expect(canonicalValue(f('time', { precision: 'minute' }), '9:05:17')).toBe('09:05');
  });

  it('reads dates, integers, booleans and text in their usual spellings', () => {
    for (const d of ['2024-03-05', '2024/3/5', '2024.03.05', '2024年3月5日', '20240305', new Date('2024-03-04T16:00:00Z'), 45356]) {
      expect(parseDate(d), String(d)).toBe('2024-03-05');
    }
    expect(canonicalValue(f('integer'), ' 42 ')).toBe('42');
    expect(canonicalValue(f('integer'), 42)).toBe('42');
    expect(canonicalValue(f('integer'), '4.2')).toBeNull();
    expect(canonicalValue(f('boolean'), '是')).toBe('true');
    expect(canonicalValue(f('boolean'), 'FALSE')).toBe('false');
    expect(canonicalValue(f('text'), '  北京市朝阳区建国路８８号　3号楼 ')).toBe('北京市朝阳区建国路88号 3号楼');
    expect(parseDateTime('2024-03-05 2:30:00 PM')).toBe('2024-03-05T14:30:00.000');
  });

  it('matches headers without case, width or spacing', () => {
    expect(normaliseHeader(' LX_DH ')).toBe('lxdh');
    expect(normaliseHeader('\ufeff联系电话')).toBe('联系电话');
    expect(normaliseHeader('ＪＥ')).toBe('je');
    expect(cellText(new Date('2024-03-05T02:30:17Z'))).toBe('2024-03-05T02:30:17.000Z');
  });
});
