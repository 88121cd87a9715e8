import { describe, expect, it } from 'vitest';
import { aggregate, createAggregator, MetricSyntaxError, numericValue, parseMetrics } from './aggregate.ts';

describe('parseMetrics', () => {
  it('parses count, sum and avg; defaults to count', () => {
    expect(parseMetrics(undefined)).toEqual([{ kind: 'count' }]);
    expect(parseMetrics('count, sum:je,avg:je,sum:je')).toEqual([{ kind: 'count' }, { kind: 'sum', field: 'je' }, { kind: 'avg', field: 'je' }]);
  });
  it('refuses nonsense', () => {
    expect(() => parseMetrics('max:je')).toThrow(MetricSyntaxError);
    expect(() => parseMetrics('sum')).toThrow(MetricSyntaxError);
    expect(() => parseMetrics('count:x')).toThrow(MetricSyntaxError);
  });
});

describe('aggregate (PRT-9)', () => {
  const rows = [
    ...Array.from({ length: 12 }, (_, i) => ({ qx: '东城区', je: `${100 + i}.50`, nl: i })),
    ...Array.from({ length: 10 }, () => ({ qx: '西城区', je: '10', nl: 'x' })),
    ...Array.from({ length: 3 }, () => ({ qx: '朝阳区', je: '99999', nl: 1 })),
    { qx: null, je: null, nl: null },
  ];
  it('counts, sums and averages per group, suppressing groups under the minimum size', () => {
    const r = aggregate(rows, { groupBy: ['qx'], metrics: parseMetrics('count,sum:je,avg:je,avg:nl'), minGroupSize: 10 });
    expect(r.suppressedGroups).toBe(2);
    expect(r.groups).toEqual([
      { key: { qx: '东城区' }, count: 12, metrics: { 'sum:je': 1272, 'avg:je': 106, 'avg:nl': 5.5 } },
      { key: { qx: '西城区' }, count: 10, metrics: { 'sum:je': 100, 'avg:je': 10, 'avg:nl': null } },
    ]);
    // The suppressed groups' values appear nowhere.
    expect(JSON.stringify(r)).not.toContain('朝阳区');
    expect(JSON.stringify(r)).not.toContain('99999');
  });
  it('without groupBy: one group of everything, suppressed when too small', () => {
    expect(aggregate(rows, { groupBy: [], metrics: [{ kind: 'count' }], minGroupSize: 10 }).groups).toEqual([{ key: {}, count: 26, metrics: {} }]);
    expect(aggregate(rows.slice(0, 5), { groupBy: [], metrics: [{ kind: 'count' }], minGroupSize: 10 })).toEqual({ groups: [], suppressedGroups: 1 });
  });
  it('groups by the key row and sums the value row', () => {
    const a = createAggregator({ groupBy: ['nl'], metrics: [{ kind: 'sum', field: 'je' }], minGroupSize: 2 });
    a.add({ nl: '40-44' }, { nl: 41, je: 1 });
    a.add({ nl: '40-44' }, { nl: 43, je: 2 });
    expect(a.result().groups).toEqual([{ key: { nl: '40-44' }, count: 2, metrics: { 'sum:je': 3 } }]);
  });
  it('coerces numbers per type', () => {
    expect(numericValue('1e3')).toBe(1000);
    expect(numericValue('12abc')).toBeNull();
    expect(numericValue(true)).toBeNull();
    expect(numericValue(true, 'boolean')).toBe(1);
  });
});
