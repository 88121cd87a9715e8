// The open-data release decisions (LIF-7, GZ-17): grade, personal information left, k-anonymity, confirmations.
import { describe, expect, it } from 'vitest';
import { allPassed, anonymityCheck, type GradeFieldFact, gradeCheck, missingConfirmations, piCheck, rowsToPublish, scanReleased } from './release-checks.ts';

const field = (over: Partial<GradeFieldFact> = {}): GradeFieldFact => ({
  name: 'qx',
  level: 'general-1',
  basis: 'level',
  openAllowed: true,
  openMode: 'none',
  openMethod: 'keep',
  ...over,
});

/** Resident ID numbers with their GB 11643 check character, written out here rather than taken from the product. */
function residentId(body17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = w.reduce((s, x, i) => s + x * Number(body17[i]), 0);
  return body17 + ('10X98765432'[sum % 11] as string);
}

describe('gradeCheck (1)', () => {
  it('passes fields whose level allows opening and whose open-data rule keeps a value', () => {
    const c = gradeCheck({ level: 'general-1', openAttribute: 'open' }, [field(), field({ name: 'rq', openMethod: 'generalise' })]);
    expect(c.passed).toBe(true);
    expect(c.fields.every((f) => f.passed)).toBe(true);
  });

  it('fails ungraded fields (fail safe), levels that forbid opening, forbidden modes and suppressed columns, naming each', () => {
    const c = gradeCheck({ level: 'general-2', openAttribute: 'open' }, [
      field({ name: 'a', level: null, basis: 'fail_safe' }),
      field({ name: 'b', level: 'important', openAllowed: false }),
      field({ name: 'c', openMode: 'forbidden' }),
      field({ name: 'd', openMethod: 'suppress' }),
      field({ name: 'e' }),
    ]);
    expect(c.passed).toBe(false);
    expect(c.fields.map((f) => f.passed)).toEqual([false, false, false, false, true]);
    expect(c.fields[0]?.reason.zh).toContain('未定级');
    expect(c.fields[1]?.reason.en).toContain('may not be opened');
    expect(c.fields[3]?.reason.zh).toContain('空列');
    expect(c.reason.zh).toBe('以下数据项不得开放：a、b、c、d');
  });

  it('fails a resource marked not to be opened, or not graded, even when its fields pass', () => {
    expect(gradeCheck({ level: 'general-1', openAttribute: 'not_open' }, [field()]).reason.zh).toContain('不予开放');
    expect(gradeCheck({ level: null, openAttribute: 'open' }, [field()]).passed).toBe(false);
  });
});

describe('piCheck (2)', () => {
  const ids = Array.from({ length: 30 }, (_, i) => residentId(`3501021980${String(1 + (i % 12)).padStart(2, '0')}1${i % 10}${String(100 + i).slice(-3)}`));

  it('finds ID numbers left in a column and reports the column; districts and counts pass', () => {
    const rows = ids.map((id, i) => ({ qx: ['鼓楼区', '台江区', '仓山区'][i % 3], rks: 1000 + i, zjhm: id }));
    const cols = scanReleased(['qx', 'rks', 'zjhm'], rows);
    const c = piCheck(cols, rows.length);
    expect(c.passed).toBe(false);
    expect(cols.find((x) => x.field === 'zjhm')).toMatchObject({ passed: false, piTypes: ['id_number'] });
    expect(cols.filter((x) => x.field !== 'zjhm').every((x) => x.passed)).toBe(true);
    expect(c.reason.zh).toContain('zjhm（id_number）');
  });

  it('passes when the column is suppressed, and fails when there is nothing to release', () => {
    const rows = ids.map((_, i) => ({ qx: '鼓楼区', zjhm: null, n: i }));
    expect(piCheck(scanReleased(['qx', 'zjhm', 'n'], rows), rows.length).passed).toBe(true);
    expect(piCheck(scanReleased(['qx'], []), 0).passed).toBe(false);
  });
});

describe('anonymityCheck (3) and the rows published', () => {
  const rows = [
    ...Array.from({ length: 5 }, () => ({ qx: '鼓楼区', nl: '20-29' })),
    ...Array.from({ length: 4 }, () => ({ qx: '台江区', nl: '20-29' })),
    { qx: '仓山区', nl: '30-39' },
  ];

  it('holds k when every class is large enough, or when the small classes fit in the allowed suppression', () => {
    expect(anonymityCheck(rows, ['qx', 'nl'], 4, 0)).toMatchObject({ passed: false, violatingRows: 1, smallestClass: 1 });
    expect(anonymityCheck(rows, ['qx', 'nl'], 4, 1)).toMatchObject({ passed: true, violatingRows: 1 });
    expect(anonymityCheck(rows, ['nl'], 2, 0)).toMatchObject({ passed: false });
    expect(anonymityCheck(rows, ['qx', 'nl'], 5, 4).passed).toBe(false);
    expect(anonymityCheck(rows, ['qx', 'nl'], 5, 5).passed).toBe(true);
    expect(anonymityCheck(rows, ['qx', 'nl'], 100, 100).reason.en).toContain('Every row');
    expect(rowsToPublish(rows, ['qx', 'nl'], 4)).toHaveLength(9);
    expect(rowsToPublish(rows, [], 4)).toHaveLength(10);
  });

  it('without quasi-identifiers passes (the reviewer confirms no personal records)', () => {
    const c = anonymityCheck(rows, [], 3, 0);
    expect(c.passed).toBe(true);
    expect(c.reason.zh).toContain('未指定准标识符');
  });

  it('all three must pass', () => {
    const grade = gradeCheck({ level: 'general-1', openAttribute: 'open' }, [field()]);
    const pi = piCheck(scanReleased(['qx'], rows), rows.length);
    expect(allPassed({ grade, personalInformation: pi, anonymity: anonymityCheck(rows, ['qx'], 4, 1) })).toBe(true);
    expect(allPassed({ grade, personalInformation: pi, anonymity: anonymityCheck(rows, ['qx'], 4, 0) })).toBe(false);
  });
});

describe('missingConfirmations (GZ-17)', () => {
  it('needs all three, trade secrets false or with a basis and a note', () => {
    expect(missingConfirmations({ stateSecrets: false, personalInformation: false, tradeSecrets: false })).toEqual([]);
    expect(missingConfirmations({ stateSecrets: false, personalInformation: false, tradeSecrets: { basis: 'consent', note: '第三方书面同意' } })).toEqual([]);
    expect(missingConfirmations(undefined)).toEqual(['stateSecrets', 'personalInformation', 'tradeSecrets']);
    expect(missingConfirmations({ stateSecrets: true, personalInformation: false, tradeSecrets: true })).toEqual(['stateSecrets', 'tradeSecrets']);
    expect(missingConfirmations({ stateSecrets: false, personalInformation: false, tradeSecrets: { basis: 'other', note: 'x' } })).toEqual(['tradeSecrets']);
    expect(missingConfirmations({ stateSecrets: false, personalInformation: false, tradeSecrets: { basis: 'public_interest', note: '  ' } })).toEqual([
      'tradeSecrets',
    ]);
  });
});
