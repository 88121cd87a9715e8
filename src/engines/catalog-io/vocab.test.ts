import { describe, expect, it } from 'vitest';
import {
  isLowerLevel,
  parseBoolean,
  parseCount,
  parseDataType,
  parseLevel,
  parseMlpsLevel,
  parseOpenAttribute,
  parseRetentionMonths,
  parseShareAttribute,
  parseUpdateFrequency,
  shareBasisRequired,
} from './vocab.ts';

describe('catalog vocabularies as written in spreadsheets', () => {
  it('share and open attributes: codes, UI terms, older synonyms, any width or spacing', () => {
    expect(parseShareAttribute('无条件共享')).toBe('unconditional');
    expect(parseShareAttribute('受限共享')).toBe('conditional');
    expect(parseShareAttribute('有条件共享')).toBe('conditional');
    expect(parseShareAttribute(' 不予共享\u3000')).toBe('not_shared');
    expect(parseShareAttribute('NOT_SHARED')).toBe('not_shared');
    expect(parseShareAttribute('部分共享')).toBeNull();
    expect(parseOpenAttribute('有条件开放')).toBe('conditional');
    expect(parseOpenAttribute('不开放')).toBe('not_open');
    expect(parseOpenAttribute('open')).toBe('open');
    expect(parseOpenAttribute('开放')).toBeNull();
  });

  it('levels: codes and Chinese names with full- or half-width brackets; anything else is unknown', () => {
    expect(parseLevel('一般数据（4级）')).toBe('general-4');
    expect(parseLevel('一般数据(4级)')).toBe('general-4');
    expect(parseLevel('一般数据（四级）')).toBe('general-4');
    expect(parseLevel('一般数据１级')).toBe('general-1');
    expect(parseLevel('核心数据')).toBe('core');
    expect(parseLevel('important')).toBe('important');
    expect(parseLevel('General-2')).toBe('general-2');
    expect(parseLevel('一般数据（5级）')).toBeNull();
    expect(parseLevel('绝密')).toBeNull();
    expect(isLowerLevel('general-2', 'general-3')).toBe(true);
    expect(isLowerLevel('core', 'important')).toBe(false);
  });

  it('data types: UI terms, catalog codes and database types', () => {
    expect(parseDataType('字符型')).toBe('string');
    expect(parseDataType('字符型(18)')).toBe('string');
    expect(parseDataType('C')).toBe('string');
    expect(parseDataType('varchar(50)')).toBe('string');
    expect(parseDataType('VARCHAR2(100)')).toBe('string');
    expect(parseDataType('NUMBER(10)')).toBe('integer');
    expect(parseDataType('NUMBER(10,2)')).toBe('decimal');
    expect(parseDataType('bigint')).toBe('integer');
    expect(parseDataType('timestamp(6)')).toBe('datetime');
    expect(parseDataType('日期型')).toBe('date');
    expect(parseDataType('BLOB')).toBe('binary');
    expect(parseDataType('jsonb')).toBe('json');
    expect(parseDataType('超长整型')).toBeNull();
  });

  it('update frequencies, booleans, counts, retention and MLPS levels', () => {
    expect(parseUpdateFrequency('每日')).toBe('daily');
    expect(parseUpdateFrequency('每天')).toBe('daily');
    expect(parseUpdateFrequency('季度')).toBe('quarterly');
    expect(parseUpdateFrequency('annual')).toBe('annual');
    expect(parseUpdateFrequency('偶尔')).toBeNull();
    expect([parseBoolean('是'), parseBoolean('否'), parseBoolean('Y'), parseBoolean('0'), parseBoolean('也许')]).toEqual([true, false, true, false, null]);
    expect([parseCount('1234'), parseCount('1,234,567'), parseCount('12.0'), parseCount('１２')]).toEqual([1234, 1234567, 12, 12]);
    expect([parseCount('-1'), parseCount('1.5'), parseCount('1,23'), parseCount('一百')]).toEqual([null, null, null, null]);
    expect([parseRetentionMonths('36'), parseRetentionMonths('36个月'), parseRetentionMonths('3年'), parseRetentionMonths('永久')]).toEqual([36, 36, 36, null]);
    expect([parseMlpsLevel('3'), parseMlpsLevel('三级'), parseMlpsLevel('第三级'), parseMlpsLevel('等保二级'), parseMlpsLevel('六级')]).toEqual([
      3,
      3,
      3,
      2,
      null,
    ]);
  });

  it('the share basis rule: every attribute but unconditional sharing needs its basis (AST-4)', () => {
    expect(shareBasisRequired('unconditional')).toBe(false);
    expect(shareBasisRequired('conditional')).toBe(true);
    expect(shareBasisRequired('not_shared')).toBe(true);
  });
});
