// PRT-4, DG-15: the value methods (pseudonym, generalise, suppress, round, noise, keep), their parameter
// checks, and the rule that malformed values never throw and never leak.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkMethodParams, MASK_METHODS, type MaskRule, methodsFor, PSEUDONYM_ALPHABET } from './methods.ts';
import { MASK_TARGETS } from './target.ts';
import { KEY_A, KEY_B, maskAll, maskOne } from './test-helpers.ts';

describe('pseudonym (HMAC-SM3)', () => {
  const rule = { method: 'pseudonym' } as const;

  it('is readable: a prefix and 16 characters of Crockford base 32', () => {
    const p = maskOne('mobile', rule, '13812345678') as string;
    expect(p).toMatch(new RegExp(`^MB-[${PSEUDONYM_ALPHABET}]{16}$`));
    expect(maskOne('mobile', { method: 'pseudonym', params: { prefix: 'U', length: 26 } }, '13812345678')).toMatch(/^U[0-9A-Z]{26}$/);
  });

  it('is consistent for one key, however the value is written', () => {
    const { out } = maskAll('mobile', rule, ['13812345678', '+86 138-1234-5678', '１３８１２３４５６７８', 13812345678]);
    expect(new Set(out).size).toBe(1);
    expect(maskOne('email', rule, 'ZhangSan@Example.com')).toBe(maskOne('email', rule, 'zhangsan@example.com'));
  });

  it('is unlinkable across keys and distinct across values', () => {
    expect(maskOne('resident_id', rule, '11010519491231002X', KEY_A)).not.toBe(maskOne('resident_id', rule, '11010519491231002X', KEY_B));
    const values = Array.from({ length: 2000 }, (_, i) => `138${String(i).padStart(8, '0')}`);
    expect(new Set(maskAll('mobile', rule, values).out).size).toBe(values.length);
  });

  it('is keyed, not a plain hash (domain.md §3): no unkeyed SM3 of the value matches it', () => {
    const p = (maskOne('mobile', rule, '13812345678') as string).slice(3);
    for (const input of ['13812345678', 'mobile\u000013812345678']) {
      const plain = createHash('sm3').update(input).digest();
      let bits = '';
      for (const byte of plain) bits += byte.toString(2).padStart(8, '0');
      const encoded = Array.from({ length: 16 }, (_, i) => PSEUDONYM_ALPHABET[Number.parseInt(bits.slice(i * 5, i * 5 + 5), 2)]).join('');
      expect(p).not.toBe(encoded);
    }
  });

  it('separates contexts: the same value in two contexts gets two pseudonyms', () => {
    const a = maskOne('text', { method: 'pseudonym', params: { context: 'grant-1' } }, 'x');
    const b = maskOne('text', { method: 'pseudonym', params: { context: 'grant-2' } }, 'x');
    expect(a).not.toBe(b);
  });

  it('pseudonymises malformed values too (never the raw value) and counts them', () => {
    const { out, stats } = maskAll('resident_id', rule, ['not an id', { nested: true }]);
    for (const o of out) expect(o).toMatch(/^ID-[0-9A-Z]{16}$/);
    expect(stats.fallback).toBe(2);
  });
});

describe('generalise, round, noise (numbers)', () => {
  it('bands ages and integers, with top and bottom coding', () => {
    const rule: MaskRule = { method: 'generalise', params: { width: 10, min: 18, max: 90 } };
    expect(maskAll('age', rule, [34, '35', 17, 90, 95, 18]).out).toEqual(['30-39', '30-39', '<18', '≥90', '≥90', '10-19']);
    expect(maskOne('age', { method: 'generalise' }, 34)).toBe('30-34');
    expect(maskOne('decimal', { method: 'generalise', params: { width: 0.5 } }, 1.74)).toBe('[1.5,2)');
    expect(maskOne('integer', { method: 'generalise', params: { width: 1000 } }, -1)).toBe('-1000--1');
  });

  it('rounds to a step, keeping the value kind (numeric strings stay strings)', () => {
    expect(maskOne('decimal', { method: 'round', params: { step: 100 } }, 1234.56)).toBe(1200);
    expect(maskOne('decimal', { method: 'round', params: { step: 0.1 } }, '1,234.56')).toBe('1234.6');
    expect(maskOne('integer', { method: 'round' }, 1234)).toBe(1230);
    expect(maskOne('integer', { method: 'round', params: { step: 10 } }, 10n)).toBe(10n);
    expect(maskOne('decimal', { method: 'round' }, '１２.６')).toBe('13');
  });

  it('adds keyed noise within the bound; the same value always gets the same noise', () => {
    const values = Array.from({ length: 500 }, (_, i) => 1000 + i);
    const rule: MaskRule = { method: 'noise', params: { kind: 'relative', amount: 0.1, decimals: 2 } };
    const { out } = maskAll('decimal', rule, values);
    let changed = 0;
    for (const [i, o] of (out as number[]).entries()) {
      const v = values[i] as number;
      expect(Math.abs(o - v)).toBeLessThanOrEqual(v * 0.1 + 0.01);
      if (o !== v) changed++;
    }
    expect(changed).toBeGreaterThan(490);
    expect(maskAll('decimal', rule, [1234, 1234]).out[0]).toBe(maskAll('decimal', rule, [1234, 1234]).out[1]);
    expect(maskOne('decimal', rule, 1234, KEY_A)).not.toBe(maskOne('decimal', rule, 1234, KEY_B));
  });

  it('noise on ages stays a whole number between 0 and 150', () => {
    const { out } = maskAll('age', { method: 'noise', params: { kind: 'absolute', amount: 5, distribution: 'laplace' } }, [0, 1, 149, 150, 40]);
    for (const o of out as number[]) {
      expect(Number.isInteger(o)).toBe(true);
      expect(o).toBeGreaterThanOrEqual(0);
      expect(o).toBeLessThanOrEqual(150);
    }
  });

  it('non-numbers give null and are counted', () => {
    for (const rule of [{ method: 'round' }, { method: 'noise' }, { method: 'generalise' }] as const) {
      const { out, stats } = maskAll('decimal', rule, ['abc', Number.NaN, {}, '1.2.3']);
      expect(out).toEqual([null, null, null, null]);
      expect(stats.fallback).toBe(4);
    }
  });
});

describe('suppress and keep', () => {
  it('suppress gives null or the marker', () => {
    expect(maskOne('resident_id', { method: 'suppress' }, '11010519491231002X')).toBeNull();
    expect(maskOne('text', { method: 'suppress', params: { replacement: '已屏蔽' } }, 'x')).toBe('已屏蔽');
  });

  it('keep passes the value through', () => {
    expect(maskOne('decimal', { method: 'keep' }, 12.5)).toBe(12.5);
  });
});

describe('text partial masks', () => {
  it('keeps the first character and hides the length', () => {
    expect(maskOne('text', { method: 'partial' }, '客户来电咨询')).toBe('客***');
    expect(maskOne('text', { method: 'partial', params: { keepFirst: 2, keepLast: 1, fixedMaskLength: 2 } }, '客户来电咨询')).toBe('客户**询');
    expect(maskOne('text', { method: 'partial' }, '𠀀𠀁𠀂')).toBe('𠀀***');
    expect(maskOne('text', { method: 'partial' }, '是')).toBe('***');
    expect(maskOne('text', { method: 'partial' }, '')).toBe('');
  });
});

describe('no method throws on any value (PRT-4: malformed input never throws or leaks)', () => {
  const odd: unknown[] = [
    '',
    ' ',
    'x',
    '１',
    '\u0000',
    '😀😀😀',
    0,
    -1,
    1e308,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    12n,
    true,
    {},
    [],
    [1, 2],
    new Date(Number.NaN),
    new Date(0),
    Buffer.from('x'),
  ];
  for (const target of MASK_TARGETS) {
    it(`${target}: every applicable method with default parameters`, () => {
      for (const method of methodsFor(target)) {
        if (method === 'shuffle') continue;
        const { out } = maskAll(target, { method } as MaskRule, odd);
        expect(out).toHaveLength(odd.length);
        if (method !== 'keep') {
          // A secret-looking value never comes out unchanged from a masking method (numbers may round to themselves).
          const secret = maskAll(target, { method } as MaskRule, ['S3CRET-VALUE-123']).out[0];
          expect(secret).not.toBe('S3CRET-VALUE-123');
        }
      }
    });
  }
});

describe('parameter checks', () => {
  it('accepts the documented parameters', () => {
    expect(checkMethodParams('partial', 'resident_id', { keepFirst: 1, keepLast: 2, maskChar: '#' })).toEqual([]);
    expect(checkMethodParams('partial', 'bank_card', { groupSize: 0 })).toEqual([]);
    expect(checkMethodParams('token', 'bank_card', { keepPrefix: 6 })).toEqual([]);
    expect(checkMethodParams('generalise', 'age', { width: 5, max: 90 })).toEqual([]);
  });

  it('explains what is wrong, in English and Chinese', () => {
    const [unknown] = checkMethodParams('partial', 'mobile', { keepFrist: 3 });
    expect(unknown?.en).toContain('unknown parameter keepFrist');
    expect(unknown?.zh).toContain('未知参数');
    expect(checkMethodParams('partial', 'mobile', { keepFirst: 6, keepLast: 5 })[0]?.en).toContain('at most 10');
    expect(checkMethodParams('partial', 'mobile', { maskChar: '1' })[0]?.en).toContain('not a letter, digit');
    expect(checkMethodParams('partial', 'mobile', { groupSize: 4 })[0]?.param).toBe('groupSize');
    expect(checkMethodParams('noise', 'decimal', { amount: 2 })[0]?.en).toContain('at most 1');
    expect(checkMethodParams('generalise', 'age', { min: 90, max: 18 })[0]?.param).toBe('min');
    expect(checkMethodParams('generalise', 'date', { to: 'hour' })[0]?.en).toContain('month, year');
    expect(checkMethodParams('pseudonym', 'name', { length: 100 })[0]?.en).toContain('from 8 to 48');
    expect(checkMethodParams('round', 'decimal', { step: 0 })[0]?.en).toContain('> 0');
    expect(checkMethodParams('suppress', 'text', 'x')[0]?.en).toBe('params must be an object');
  });

  it('every method has an ID and applies to at least one target', () => {
    for (const m of MASK_METHODS)
      expect(
        MASK_TARGETS.some((t) => methodsFor(t).includes(m)),
        m,
      ).toBe(true);
  });
});
