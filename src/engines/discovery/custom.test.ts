// An authority's own recognizers as JSON (CLS-1, CLS-2): the shape is checked, patterns that could
// backtrack catastrophically are refused by rule, and accepted ones work on both scan paths.
import { describe, expect, it } from 'vitest';
import { analysePattern, type PatternError, validateCustomRecognizers } from './custom.ts';
import { Scanner, scanCsvBuffer, scanText } from './scanner.ts';
import type { Finding } from './types.ts';

const codeOf = (pattern: string) => {
  try {
    analysePattern(pattern);
    return 'ok';
  } catch (e) {
    return (e as PatternError).code;
  }
};

describe('safe patterns (custom.ts rules)', () => {
  it('refuses the classic catastrophic shapes', () => {
    expect(codeOf('(a+)+b')).toBe('PATTERN_UNBOUNDED');
    expect(codeOf('(a*)*')).toBe('PATTERN_UNBOUNDED');
    expect(codeOf('\\d+\\d+')).toBe('PATTERN_UNBOUNDED');
    expect(codeOf('a{2,}')).toBe('PATTERN_UNBOUNDED');
    expect(codeOf('a{1,100}')).toBe('PATTERN_UNBOUNDED');
    expect(codeOf('(a|a){1,20}')).toBe('PATTERN_NESTED_QUANTIFIER');
    expect(codeOf('(a?){30}')).toBe('PATTERN_NESTED_QUANTIFIER');
    expect(codeOf('(\\d{4}[- ]?){3}')).toBe('PATTERN_NESTED_QUANTIFIER');
    expect(codeOf('(\\d{1,4}){2,8}')).toBe('PATTERN_NESTED_QUANTIFIER');
    expect(codeOf('\\d{1,64}\\d{1,64}\\d{1,64}')).toBe('PATTERN_TOO_AMBIGUOUS');
  });

  it('refuses what it does not support', () => {
    expect(codeOf('(a)\\1')).toBe('PATTERN_UNSUPPORTED');
    expect(codeOf('(?=a)a')).toBe('PATTERN_UNSUPPORTED');
    expect(codeOf('(?<!a)b')).toBe('PATTERN_UNSUPPORTED');
    expect(codeOf('(?<n>a)')).toBe('PATTERN_UNSUPPORTED');
    expect(codeOf('^a$')).toBe('PATTERN_UNSUPPORTED');
    expect(codeOf('\\bA')).toBe('PATTERN_UNSUPPORTED');
    expect(codeOf('\\p{L}')).toBe('PATTERN_UNSUPPORTED');
    expect(codeOf('(a')).toBe('PATTERN_SYNTAX');
    expect(codeOf('a)')).toBe('PATTERN_SYNTAX');
    expect(codeOf('[a')).toBe('PATTERN_SYNTAX');
  });

  it('accepts bounded, unambiguous patterns and measures their length', () => {
    expect(analysePattern('[A-Z]\\d{8}')).toMatchObject({ min: 9, max: 9 });
    expect(analysePattern('(?:AJ|XS)-?\\d{4}-?\\d{6}')).toMatchObject({ min: 12, max: 14 });
    expect(analysePattern('(\\d{4}-){3}\\d{4}')).toMatchObject({ min: 19, max: 19 });
    expect(analysePattern('粤[A-Z][0-9A-Z]{5,6}')).toMatchObject({ min: 7, max: 8 });
  });
});

describe('validateCustomRecognizers', () => {
  it('reports every problem with its field, in English and Chinese', () => {
    const v = validateCustomRecognizers([
      { id: 'social', name: '', pattern: '\\d+', checksum: 'crc32', confidence: 2, piType: 'nonsense', extra: 1 },
      { id: 'X_OK', name: '好的', pattern: '\\d{6}' },
      { id: 'X_OK', name: '重复', pattern: '' },
      { id: 'CN_MOBILE', name: '冒名', pattern: '\\d{11}', hintOnly: true },
    ]);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    const got = v.errors.map((e) => `${e.field}:${e.code}`);
    expect(got).toEqual([
      '0.extra:FIELD_INVALID',
      '0.id:ID_INVALID',
      '0.name:NAME_BLANK',
      '0.pattern:PATTERN_UNBOUNDED',
      '0.checksum:CHECKSUM_UNKNOWN',
      '0.confidence:CONFIDENCE_INVALID',
      '0.piType:PI_TYPE_UNKNOWN',
      '2.id:ID_DUPLICATE',
      '2.pattern:PATTERN_MISSING',
      '3.id:ID_INVALID',
      '3.columnHints:HINTS_INVALID',
    ]);
    expect(v.errors.every((e) => e.messageZh.length > 0 && e.message.length > 0)).toBe(true);
    expect(validateCustomRecognizers({}).ok).toBe(false);
    expect(validateCustomRecognizers([{ id: 'X_WIDE', name: '宽', pattern: '[0-9]{40}[A-Z]{40}' }]).ok).toBe(false);
  });

  it('scans with a custom token recognizer: checksum, column hints, hint-only, same on both paths', () => {
    const v = validateCustomRecognizers([
      { id: 'X_SOCIAL_CARD', name: '社会保障卡号', pattern: '[A-Z]\\d{8}', columnHints: ['sbkh', '社保卡'], hintOnly: true, piType: 'id_number' },
      { id: 'X_CASE_NO', name: '案件编号', pattern: 'AJ-\\d{15}', checksum: 'luhn', confidence: 0.7 },
    ]);
    if (!v.ok) throw new Error(JSON.stringify(v.errors));
    const opts = { custom: v.recognizers, asOf: '2025-06-01' };
    // AJ- + 15 digits passing Luhn; the second fails it.
    expect(scanText('案号 AJ-123456789012347', opts).map((m) => m.type)).toEqual(['X_CASE_NO']);
    expect(scanText('案号 AJ-123456789012344', opts)).toEqual([]);
    expect(scanText('A12345678', opts)).toEqual([]); // hint-only, no hint
    expect(scanText('A12345678', { ...opts, columnName: '社保卡号' }).map((m) => [m.type, m.confidence])).toEqual([['X_SOCIAL_CARD', 0.9]]);
    const csv = 'sbkh,备注\nA12345678,AJ-123456789012347\n';
    const fast: Finding[] = [];
    const rep = scanCsvBuffer([Buffer.from(csv)], { ...opts, onFinding: (f) => fast.push(f) });
    const slow: Finding[] = [];
    const s = new Scanner({ ...opts, columns: ['sbkh', '备注'], onFinding: (f) => slow.push(f) });
    s.row(['A12345678', 'AJ-123456789012347']);
    s.finish();
    expect(fast).toEqual(slow);
    expect(fast.map((f) => `${f.column}:${f.type}`)).toEqual(['sbkh:X_SOCIAL_CARD', '备注:X_CASE_NO']);
    expect(rep.columns[0].hints).toEqual(['X_SOCIAL_CARD']);
    expect(rep.columns[0].proposal.piTypes).toEqual(['id_number']);
  });

  it('a custom recognizer replaces a built-in match only when its validation is stronger', () => {
    const v = validateCustomRecognizers([
      { id: 'X_WEAK_MOBILE', name: '弱', pattern: '1\\d{10}' },
      { id: 'X_STRONG_CARD', name: '强', pattern: '\\d{16}', checksum: 'luhn' },
    ]);
    if (!v.ok) throw new Error(JSON.stringify(v.errors));
    const opts = { custom: v.recognizers, asOf: '2025-06-01' };
    expect(scanText('13812345678', opts).map((m) => m.type)).toEqual(['CN_MOBILE']);
    expect(scanText('12812345678', opts).map((m) => m.type)).toEqual(['X_WEAK_MOBILE']);
    // A valid Visa number: built-in BANK_CARD (checksum) and the custom one (checksum) tie; the built-in stays.
    expect(scanText('4111111111111111', opts).map((m) => m.type)).toEqual(['BANK_CARD']);
    expect(scanText('9111111111111110', opts).map((m) => m.type)).toEqual(['X_STRONG_CARD']);
  });

  it('cell-scope recognizers match a whole value (Chinese allowed)', () => {
    const v = validateCustomRecognizers([{ id: 'X_HOUSEHOLD', name: '户号', pattern: '户[0-9]{6}号', scope: 'cell', piType: 'other' }]);
    if (!v.ok) throw new Error(JSON.stringify(v.errors));
    const opts = { custom: v.recognizers, asOf: '2025-06-01' };
    expect(scanText('户123456号', opts).map((m) => [m.type, m.start, m.end])).toEqual([['X_HOUSEHOLD', 0, 8]]);
    expect(scanText('户１２３４５６号', opts).map((m) => [m.type, m.start, m.end])).toEqual([['X_HOUSEHOLD', 0, 8]]);
    expect(scanText('住户123456号', opts)).toEqual([]);
  });
});
