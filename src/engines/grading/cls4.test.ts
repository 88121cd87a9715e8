import { describe, expect, it } from 'vitest';
import { assertNotBelowFields, highestField, LevelBelowFieldError } from './cls4.ts';

describe('CLS-4: a resource is never below its highest field', () => {
  const fields = [
    { id: 'f1', name: '姓名', level: 'general-3' as const },
    { id: 'f2', name: '身份证号', level: 'general-4' as const },
    { id: 'f3', name: '备注', level: null },
  ];

  it('refuses a level below a field, naming the highest field', () => {
    try {
      assertNotBelowFields('general-3', fields);
      expect.fail('should have thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(LevelBelowFieldError);
      const err = e as LevelBelowFieldError;
      expect(err.field).toEqual({ id: 'f2', name: '身份证号', level: 'general-4' });
      expect(err.level).toBe('general-3');
      expect(err.messageZh).toBe('资源级别（一般数据（3级））不得低于其数据项“身份证号”的级别（一般数据（4级））');
    }
  });

  it('accepts the highest field level itself and anything above it', () => {
    expect(() => assertNotBelowFields('general-4', fields)).not.toThrow();
    expect(() => assertNotBelowFields('important', fields)).not.toThrow();
  });

  it('ignores fields without a level, and a resource without fields', () => {
    expect(() => assertNotBelowFields('general-1', [{ name: '备注', level: null }])).not.toThrow();
    expect(() => assertNotBelowFields('general-1', [])).not.toThrow();
  });

  it('names the first of several fields sharing the top level', () => {
    expect(
      highestField([
        { name: 'a', level: 'general-2' },
        { name: 'b', level: 'important' },
        { name: 'c', level: 'important' },
      ])?.name,
    ).toBe('b');
    expect(highestField([{ name: 'a', level: null }])).toBeNull();
  });
});
