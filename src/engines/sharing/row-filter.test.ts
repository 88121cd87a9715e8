import { describe, expect, it } from 'vitest';
import { canonicalFilterValue, compileRowFilter, filterFields } from './row-filter.ts';

describe('row filter', () => {
  it('keeps every row without conditions', () => {
    expect(compileRowFilter(null)({ a: 1 })).toBe(true);
    expect(compileRowFilter([])({})).toBe(true);
  });
  it('eq and in compare values, not representations', () => {
    const p = compileRowFilter([
      { field: 'qx', op: 'in', values: ['东城区', '西城区'] },
      { field: 'nl', op: 'eq', value: '42' },
    ]);
    expect(p({ qx: '东城区', nl: 42 })).toBe(true);
    expect(p({ qx: '西城区', nl: '42.0' })).toBe(true);
    expect(p({ qx: '朝阳区', nl: 42 })).toBe(false);
    expect(p({ qx: '东城区', nl: 43 })).toBe(false);
    expect(p({ qx: '东城区', nl: null })).toBe(false);
    expect(p({ nl: 42 })).toBe(false);
  });
  it('booleans and decimals', () => {
    expect(compileRowFilter([{ field: 'b', op: 'eq', value: 'TRUE' }])({ b: true })).toBe(true);
    expect(compileRowFilter([{ field: 'je', op: 'eq', value: '1000.5' }])({ je: '1000.50' })).toBe(true);
    expect(canonicalFilterValue(' x ')).toBe('x');
    expect(canonicalFilterValue(undefined)).toBeNull();
  });
  it('names the fields read', () => {
    expect(
      filterFields([
        { field: 'a', op: 'eq', value: 1 },
        { field: 'a', op: 'in', values: [2] },
        { field: 'b', op: 'eq', value: 3 },
      ]),
    ).toEqual(['a', 'b']);
  });
});
