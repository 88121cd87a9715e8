// PRT-4: the compiled masker the data-service gateway runs on every row, and the table-level shuffle.
import { describe, expect, it } from 'vitest';
import { compileMasker, MaskingPolicyError, TableLevelMethodError } from './compile.ts';
import { MaskKeyError } from './keys.ts';
import type { MaskField } from './policy.ts';
import { KEY_A, KEY_B } from './test-helpers.ts';

const fields: MaskField[] = [
  { name: 'name', target: 'name', level: 'general-3' },
  { name: 'mobile', target: 'mobile', level: 'general-3' },
  { name: 'amount', target: 'decimal', level: 'general-2' },
];

describe('compileMasker().row', () => {
  it('masks each field by its rule or its default, and drops columns that are not fields (fail closed)', () => {
    const m = compileMasker({ scenario: 'sharing', rules: { amount: { method: 'round', params: { step: 100 } } } }, fields, KEY_A);
    const out = m.row({ name: '张三', mobile: '13812345678', amount: 1234, password: 'hunter2' });
    expect(out).toEqual({ name: '张*', mobile: '138****5678', amount: 1200 });
    expect(m.fields).toEqual(['name', 'mobile', 'amount']);
  });

  it('gives null for null or missing values and counts values, nulls and fallbacks', () => {
    const m = compileMasker({ scenario: 'display', rules: {} }, fields, KEY_A);
    expect(m.row({ name: null, mobile: 'garbage' })).toEqual({ name: null, mobile: '********', amount: null });
    m.row({ name: '李四', mobile: '13900001111', amount: 5 });
    expect(m.stats()).toEqual({
      name: { values: 1, nulls: 1, fallback: 0 },
      mobile: { values: 2, nulls: 0, fallback: 1 },
      amount: { values: 1, nulls: 1, fallback: 0 },
    });
    m.resetStats();
    expect(m.stats().mobile).toEqual({ values: 0, nulls: 0, fallback: 0 });
  });

  it('returns new objects and leaves the input row untouched', () => {
    const m = compileMasker({ scenario: 'display', rules: {} }, fields, KEY_A);
    const row = { name: '张三', mobile: '13812345678', amount: 1 };
    const a = m.row(row);
    const b = m.row(row);
    expect(a).not.toBe(b);
    a.name = 'changed';
    expect(b.name).toBe('张*');
    expect(row).toEqual({ name: '张三', mobile: '13812345678', amount: 1 });
  });

  it('test copies never carry real values (DG-15)', () => {
    const m = compileMasker({ scenario: 'test', rules: {} }, fields, KEY_A);
    const out = m.row({ name: '张三', mobile: '13812345678', amount: 1234 });
    expect(out.name).not.toBe('张三');
    expect(out.mobile).toMatch(/^1[3-9]\d{9}$/);
    expect(out.mobile).not.toBe('13812345678');
  });

  it('refuses invalid policies with every error listed', () => {
    try {
      compileMasker({ scenario: 'sharing', rules: { amount: { method: 'partial' }, ghost: { method: 'keep' } } }, fields, KEY_A);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MaskingPolicyError);
      expect((e as MaskingPolicyError).errors.map((x) => x.code)).toEqual(['METHOD_NOT_APPLICABLE', 'FIELD_UNKNOWN']);
    }
  });

  it('refuses short keys', () => {
    expect(() => compileMasker({ scenario: 'display', rules: {} }, fields, Buffer.alloc(8))).toThrow(MaskKeyError);
  });
});

describe('compileMasker().table with shuffle', () => {
  const rows = Array.from({ length: 200 }, (_, i) => ({ name: `名${i}`, mobile: `138${String(i).padStart(8, '0')}`, amount: i }));
  const tableFields: MaskField[] = [
    { name: 'name', target: 'text', level: 'general-2' },
    { name: 'mobile', target: 'mobile', level: 'general-2' },
    { name: 'amount', target: 'integer', level: 'general-2' },
  ];

  it('permutes a column: same multiset of values, different order, other columns in place', () => {
    const m = compileMasker({ scenario: 'sharing', rules: { name: { method: 'keep' }, amount: { method: 'shuffle' } } }, tableFields, KEY_A);
    const out = m.table(rows);
    expect(out.map((r) => r.amount).sort((a, b) => (a as number) - (b as number))).toEqual(rows.map((r) => r.amount));
    expect(out.filter((r, i) => r.amount === i).length).toBeLessThan(20);
    expect(out.map((r) => r.name)).toEqual(rows.map((r) => r.name));
    expect(out[0]?.mobile).toBe('138****0000');
  });

  it('is keyed: the same key gives the same permutation, another key another one', () => {
    const policy = { scenario: 'sharing' as const, rules: { amount: { method: 'shuffle' as const } } };
    const a = compileMasker(policy, tableFields, KEY_A).table(rows);
    const b = compileMasker(policy, tableFields, KEY_A).table(rows);
    const c = compileMasker(policy, tableFields, KEY_B).table(rows);
    expect(a.map((r) => r.amount)).toEqual(b.map((r) => r.amount));
    expect(a.map((r) => r.amount)).not.toEqual(c.map((r) => r.amount));
  });

  it('moves fields of one group together and fields of different groups apart', () => {
    const together = compileMasker(
      { scenario: 'sharing', rules: { name: { method: 'shuffle', params: { group: 'g' } }, amount: { method: 'shuffle', params: { group: 'g' } } } },
      tableFields,
      KEY_A,
    ).table(rows);
    for (const r of together) expect(r.name).toBe(`名${r.amount}`);
    const apart = compileMasker({ scenario: 'sharing', rules: { name: { method: 'shuffle' }, amount: { method: 'shuffle' } } }, tableFields, KEY_A).table(rows);
    expect(apart.filter((r) => r.name === `名${r.amount}`).length).toBeLessThan(20);
  });

  it('refuses to mask row by row while a table-level method is in the policy', () => {
    const m = compileMasker({ scenario: 'sharing', rules: { amount: { method: 'shuffle' } } }, tableFields, KEY_A);
    expect(m.tableLevelFields).toEqual(['amount']);
    expect(() => m.row(rows[0] as Record<string, unknown>)).toThrow(TableLevelMethodError);
  });

  it('handles empty and one-row tables', () => {
    const m = compileMasker({ scenario: 'sharing', rules: { amount: { method: 'shuffle' } } }, tableFields, KEY_A);
    expect(m.table([])).toEqual([]);
    expect(m.table([{ name: 'a', mobile: null, amount: 7 }])).toEqual([{ name: 'a', mobile: null, amount: 7 }]);
  });
});
