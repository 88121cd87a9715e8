import { describe, expect, it } from 'vitest';
import { DEFAULT_MATRIX, DeterminationError, determineLevel, type MatrixEntry } from './matrix.ts';

describe('the default determination matrix (domain.md §1)', () => {
  it('has exactly the levels domain.md states, one per object × degree', () => {
    // Written out by hand from domain.md §1; general-2 is the documented sub-level for "general".
    const expected: Record<string, string> = {
      'national_security|especially_serious': 'core',
      'national_security|serious': 'core',
      'national_security|ordinary': 'important',
      'economy|especially_serious': 'core',
      'economy|serious': 'important',
      'economy|ordinary': 'general-2',
      'social_order|especially_serious': 'core',
      'social_order|serious': 'important',
      'social_order|ordinary': 'general-2',
      'public_interest|especially_serious': 'core',
      'public_interest|serious': 'important',
      'public_interest|ordinary': 'general-2',
      'organization|especially_serious': 'general-4',
      'organization|serious': 'general-3',
      'organization|ordinary': 'general-2',
      'individual|especially_serious': 'general-4',
      'individual|serious': 'general-3',
      'individual|ordinary': 'general-2',
    };
    const actual = Object.fromEntries(DEFAULT_MATRIX.map((e) => [`${e.object}|${e.degree}`, e.level]));
    expect(DEFAULT_MATRIX).toHaveLength(18);
    expect(actual).toEqual(expected);
  });
});

describe('determineLevel', () => {
  it('proposes the highest level over all harms, with each harm as basis in the order given', () => {
    expect(
      determineLevel(DEFAULT_MATRIX, [
        { object: 'economy', degree: 'ordinary' },
        { object: 'individual', degree: 'serious' },
      ]),
    ).toEqual({
      level: 'general-3',
      basis: [
        { object: 'economy', degree: 'ordinary', level: 'general-2' },
        { object: 'individual', degree: 'serious', level: 'general-3' },
      ],
    });
  });

  it('lets a harm to national security outrank especially serious harm to an organisation', () => {
    const d = determineLevel(DEFAULT_MATRIX, [
      { object: 'organization', degree: 'especially_serious' },
      { object: 'national_security', degree: 'ordinary' },
    ]);
    expect(d.level).toBe('important');
  });

  it('gives core for especially serious harm to the public interest and for serious harm to national security', () => {
    expect(determineLevel(DEFAULT_MATRIX, [{ object: 'public_interest', degree: 'especially_serious' }]).level).toBe('core');
    expect(determineLevel(DEFAULT_MATRIX, [{ object: 'national_security', degree: 'serious' }]).level).toBe('core');
  });

  it('uses the matrix it is given, not the default', () => {
    const custom: MatrixEntry[] = DEFAULT_MATRIX.map((e) => (e.object === 'economy' && e.degree === 'ordinary' ? { ...e, level: 'general-3' } : e));
    expect(determineLevel(custom, [{ object: 'economy', degree: 'ordinary' }]).level).toBe('general-3');
    expect(determineLevel(DEFAULT_MATRIX, [{ object: 'economy', degree: 'ordinary' }]).level).toBe('general-2');
  });

  it('refuses no harms, and a harm an incomplete matrix lacks', () => {
    expect(() => determineLevel(DEFAULT_MATRIX, [])).toThrow(DeterminationError);
    const partial = DEFAULT_MATRIX.filter((e) => e.object !== 'individual');
    try {
      determineLevel(partial, [{ object: 'individual', degree: 'ordinary' }]);
      expect.fail('should have thrown');
    } catch (e) {
      expect((e as DeterminationError).code).toBe('NOT_IN_MATRIX');
    }
  });
});
