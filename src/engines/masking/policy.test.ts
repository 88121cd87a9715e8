// PRT-4 (masking rules per field type and scenario), DG-15 (test systems never see real data), LIF-7 (open
// data keeps personal information out): default rules and policy validation.
import { describe, expect, it } from 'vitest';
import { LEVELS } from '../grading/levels.ts';
import { METHODS } from './methods.ts';
import { defaultRuleFor, type MaskField, validatePolicy } from './policy.ts';
import { MASK_TARGETS, TARGET_INFO } from './target.ts';

describe('defaultRuleFor', () => {
  it('display → partial masks for personal information (PRT-4)', () => {
    expect(defaultRuleFor('mobile', 'display', 'general-3')).toEqual({ method: 'partial' });
    expect(defaultRuleFor('name', 'display', 'general-1')).toEqual({ method: 'partial' });
    expect(defaultRuleFor('birth_date', 'display', 'general-3')).toEqual({ method: 'generalise', params: { to: 'month' } });
    expect(defaultRuleFor('decimal', 'display', 'general-3')).toEqual({ method: 'keep' });
  });

  it('core data is suppressed in every scenario', () => {
    for (const target of MASK_TARGETS)
      for (const s of ['display', 'test', 'sharing', 'open'] as const) expect(defaultRuleFor(target, s, 'core').method).toBe('suppress');
  });

  it('test copies get tokens or pseudonyms for every personal target at every level but core and important (DG-15)', () => {
    for (const target of MASK_TARGETS.filter((t) => TARGET_INFO[t].pi)) {
      for (const level of ['general-4', 'general-3', 'general-2', 'general-1'] as const) {
        const rule = defaultRuleFor(target, 'test', level);
        expect(['token', 'pseudonym', 'noise'], `${target} ${level}`).toContain(rule.method);
        if (METHODS.token.applies(target)) expect(rule.method).toBe('token');
      }
    }
    // Important data must not go to test systems at all (the grading defaults forbid it): suppressed here.
    expect(defaultRuleFor('mobile', 'test', 'important').method).toBe('suppress');
  });

  it('sharing → partial, pseudonyms where the grade asks for them', () => {
    expect(defaultRuleFor('resident_id', 'sharing', 'general-3')).toEqual({ method: 'partial' });
    expect(defaultRuleFor('resident_id', 'sharing', 'general-2')).toEqual({ method: 'partial' });
    expect(defaultRuleFor('resident_id', 'sharing', 'general-4')).toEqual({ method: 'pseudonym' });
    expect(defaultRuleFor('age', 'sharing', 'important')).toEqual({ method: 'generalise', params: { width: 5 } });
  });

  it('open data keeps personal information out: suppressed or generalised (LIF-7)', () => {
    for (const target of MASK_TARGETS.filter((t) => TARGET_INFO[t].pi)) {
      for (const level of LEVELS) {
        const rule = defaultRuleFor(target, 'open', level);
        expect(['suppress', 'generalise'], `${target} ${level}`).toContain(rule.method);
      }
    }
    expect(defaultRuleFor('address', 'open', 'general-1')).toEqual({ method: 'generalise', params: { to: 'district' } });
    expect(defaultRuleFor('decimal', 'open', 'general-1')).toEqual({ method: 'keep' });
    // General 3级 and above may not be opened under the default controls.
    expect(defaultRuleFor('decimal', 'open', 'general-3').method).toBe('suppress');
  });

  it('follows the authority scheme when it passes its own mode', () => {
    expect(defaultRuleFor('decimal', 'sharing', 'general-1', 'suppress').method).toBe('suppress');
    expect(defaultRuleFor('mobile', 'sharing', 'general-1', 'pseudonymize').method).toBe('pseudonym');
    // The PI floor holds even when the scheme says "none".
    expect(defaultRuleFor('mobile', 'sharing', 'general-1', 'none').method).toBe('partial');
  });

  it('every default rule is valid for its target', () => {
    for (const target of MASK_TARGETS) {
      for (const level of LEVELS) {
        for (const scenario of ['display', 'test', 'sharing', 'open'] as const) {
          const rule = defaultRuleFor(target, scenario, level);
          const errors = validatePolicy({ scenario, rules: { f: rule } }, [{ name: 'f', target, level }]);
          expect(errors, `${target} ${scenario} ${level}`).toEqual([]);
        }
      }
    }
  });
});

describe('validatePolicy', () => {
  const fields: MaskField[] = [
    { name: 'mobile', target: 'mobile', level: 'general-3' },
    { name: 'amount', target: 'decimal', level: 'general-2' },
  ];

  it('accepts a good policy', () => {
    expect(
      validatePolicy(
        { scenario: 'sharing', rules: { mobile: { method: 'partial', params: { keepLast: 2 } }, amount: { method: 'round', params: { step: 100 } } } },
        fields,
      ),
    ).toEqual([]);
  });

  it('reports every problem with the field named, in English and Chinese', () => {
    const errors = validatePolicy(
      {
        scenario: 'public',
        rules: {
          phone: { method: 'partial' },
          mobile: { method: 'encrypt' },
          amount: { method: 'partial' },
        },
      },
      fields,
    );
    expect(errors.map((e) => [e.field, e.code])).toEqual([
      ['scenario', 'SCENARIO_INVALID'],
      ['rules.phone', 'FIELD_UNKNOWN'],
      ['rules.mobile', 'METHOD_UNKNOWN'],
      ['rules.amount', 'METHOD_NOT_APPLICABLE'],
    ]);
    const na = errors.find((e) => e.code === 'METHOD_NOT_APPLICABLE');
    expect(na?.message).toBe('field amount: partial does not apply to decimal values (usable: keep, generalise, suppress, shuffle, round, noise)');
    expect(na?.messageZh).toContain('部分遮蔽不适用于数值');
  });

  it('reports bad parameters with their path', () => {
    const errors = validatePolicy({ scenario: 'display', rules: { mobile: { method: 'partial', params: { keepFirst: -1, colour: 'red' } } } }, fields);
    expect(errors.map((e) => e.field)).toEqual(['rules.mobile.params.keepFirst', 'rules.mobile.params.colour']);
    expect(errors[0]?.message).toBe('field mobile: partial keepFirst must be an integer from 0 to 10');
  });

  it('refuses malformed rule sets and duplicate fields', () => {
    expect(validatePolicy({ scenario: 'open', rules: [] }, fields).map((e) => e.code)).toEqual(['RULES_INVALID']);
    expect(validatePolicy({ scenario: 'open', rules: { mobile: null } }, fields).map((e) => e.code)).toEqual(['METHOD_UNKNOWN']);
    expect(validatePolicy({ scenario: 'open', rules: {} }, [...fields, fields[0] as MaskField]).map((e) => e.code)).toEqual(['FIELD_DUPLICATE']);
  });
});
