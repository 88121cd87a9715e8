import { describe, expect, it } from 'vitest';
import { describePlan, planMarks } from './plan.ts';
import type { FieldSpec } from './types.ts';

const carriers = (f: FieldSpec) => {
  const plan = planMarks([f]);
  return plan.fields[0]?.carriers ?? plan.skipped[0]!.reason;
};

describe('PRT-8 mark plan', () => {
  it('gives each field type its safe carrier', () => {
    expect(carriers({ name: 'je', dataType: 'decimal', scale: 2 })).toEqual(['decimal']);
    expect(carriers({ name: 'blsj', dataType: 'datetime', precision: 'minute' })).toEqual(['seconds']);
    expect(carriers({ name: 'kssj', dataType: 'time', precision: 'minute' })).toEqual(['seconds']);
    expect(carriers({ name: 'bz', dataType: 'text' })).toEqual(['text']);
    expect(carriers({ name: 'jzdz', dataType: 'string', piType: 'address' })).toEqual(['text']);
    expect(carriers({ name: 'ms', dataType: 'string', freeText: true })).toEqual(['text']);
  });

  it('never alters identifiers, integers, dates, booleans, codes or undeclared precision', () => {
    expect(carriers({ name: 'sfzh', dataType: 'string', piType: 'id_number' })).toBe('identifier');
    expect(carriers({ name: 'lxdh', dataType: 'string', piType: 'phone' })).toBe('identifier');
    expect(carriers({ name: 'zh', dataType: 'decimal', scale: 2, piType: 'financial_account' })).toBe('identifier');
    expect(carriers({ name: 'cs', dataType: 'integer' })).toBe('type-not-markable');
    expect(carriers({ name: 'csrq', dataType: 'date' })).toBe('type-not-markable');
    expect(carriers({ name: 'sfyx', dataType: 'boolean' })).toBe('type-not-markable');
    expect(carriers({ name: 'tyshxydm', dataType: 'string' })).toBe('not-free-text');
    expect(carriers({ name: 'je', dataType: 'decimal' })).toBe('no-declared-scale');
    expect(carriers({ name: 'sl', dataType: 'decimal', scale: 0 })).toBe('scale-zero');
    expect(carriers({ name: 'blsj', dataType: 'datetime' })).toBe('precision-not-minute');
    expect(carriers({ name: 'blsj', dataType: 'datetime', precision: 'second' })).toBe('precision-not-minute');
  });

  it('follows the masking the delivery applied', () => {
    expect(carriers({ name: 'sfzh', dataType: 'string', piType: 'id_number', masking: 'partial' })).toEqual(['mask']);
    expect(carriers({ name: 'jzdz', dataType: 'string', piType: 'address', masking: 'partial' })).toEqual(['text', 'mask']);
    expect(carriers({ name: 'xm', dataType: 'string', piType: 'name', masking: 'pseudonym' })).toEqual(['pseudonym']);
    expect(carriers({ name: 'sfzh', dataType: 'string', piType: 'id_number', masking: 'token' })).toEqual(['pseudonym']);
    expect(carriers({ name: 'je', dataType: 'decimal', scale: 2, masking: 'generalise' })).toBe('generalised');
    expect(carriers({ name: 'jzdz', dataType: 'string', piType: 'address', masking: 'generalise' })).toEqual(['text']);
    expect(carriers({ name: 'je', dataType: 'decimal', scale: 2, masking: 'suppress' })).toBe('suppressed');
  });

  it('reports a plan with no carrier, and one with only pseudonym evidence', () => {
    const none = planMarks([
      { name: 'sfzh', dataType: 'string', piType: 'id_number' },
      { name: 'csrq', dataType: 'date' },
    ]);
    expect(none.hasCarrier).toBe(false);
    expect(none.hasKeyedCarrier).toBe(false);
    const pseudo = planMarks([{ name: 'xm', dataType: 'string', masking: 'pseudonym' }]);
    expect(pseudo.hasCarrier).toBe(true);
    expect(pseudo.hasKeyedCarrier).toBe(false);
  });

  it('tells consumers how to read marked values', () => {
    const d = describePlan(
      planMarks([
        { name: 'je', label: '缴费金额', dataType: 'decimal', scale: 2 },
        { name: 'blsj', dataType: 'datetime', precision: 'minute' },
        { name: 'jzdz', dataType: 'string', piType: 'address', masking: 'partial' },
      ]),
    );
    expect(d.zh).toHaveLength(3);
    expect(d.zh[0]).toContain('缴费金额（je）');
    expect(d.en[0]).toContain('2 decimal places');
    expect(d.en[1]).toContain('minute');
    expect(d.en[2]).toContain('NFKC');
  });
});
