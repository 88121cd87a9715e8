// Pure rules of the systems registry: flags (AST-5, AST-7, AST-8, AST-9), consistency (AST-1, AST-6), what a
// DG-8 filing needs, the diff between versions, and input normalisation.
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  canonical,
  changedFields,
  fieldProblem,
  highestLevel,
  missingForFiling,
  newSystemFields,
  normalizeChanges,
  systemFlags,
} from './systems.rules.ts';
import type { SystemFields } from './systems.schemas.ts';

const TODAY = '2026-06-15';
const complete = (over: Partial<SystemFields> = {}): SystemFields => ({
  ...newSystemFields({ name: '人口库' }),
  securityLead: { name: '王建华' },
  securityMeasures: '访问控制、加密存储、审计',
  assessmentResult: '尚未开展',
  auditConclusion: '尚未开展',
  mlpsLevel: 3,
  hosting: 'government_cloud',
  ...over,
});

describe('addMonths', () => {
  it('adds months across years and clamps to the last day of a shorter month', () => {
    expect(addMonths('2025-06-15', 12)).toBe('2026-06-15');
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2023-02-28', 12)).toBe('2024-02-28');
    expect(addMonths('2025-12-31', 1)).toBe('2026-01-31');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
  });
});

describe('systemFlags', () => {
  it('AST-8: public cloud is flagged, government/sector cloud and own machine room are not', () => {
    expect(systemFlags(complete({ hosting: 'public_cloud', mlpsEvaluatedOn: TODAY }), null, TODAY)).toEqual(['public_cloud']);
    for (const hosting of ['government_cloud', 'sector_cloud', 'own_machine_room'] as const) {
      expect(systemFlags(complete({ hosting, mlpsEvaluatedOn: TODAY }), null, TODAY)).toEqual([]);
    }
  });

  it('AST-9: a carrier protected below the highest level of the data is flagged; equal or above is fine', () => {
    const carriers = (...levels: string[]) =>
      levels.map((l, i) => ({ name: `载体${i}`, kind: 'database' as const, protectionLevel: l as SystemFields['storageCarriers'][number]['protectionLevel'] }));
    const s = (levels: string[]) => complete({ mlpsEvaluatedOn: TODAY, storageCarriers: carriers(...levels) });
    expect(systemFlags(s(['important', 'general-3']), 'important', TODAY)).toEqual(['carrier_below_data_level']);
    expect(systemFlags(s(['important', 'core']), 'important', TODAY)).toEqual([]);
    expect(systemFlags(s(['general-3']), 'general-3', TODAY)).toEqual([]);
    expect(systemFlags(s(['general-2']), 'general-3', TODAY)).toEqual(['carrier_below_data_level']);
    // No graded data yet: nothing to compare with.
    expect(systemFlags(s(['general-1']), null, TODAY)).toEqual([]);
  });

  it('AST-5: MLPS level 3+ needs an evaluation within 12 months; level 2 does not', () => {
    expect(systemFlags(complete({ mlpsLevel: 3, mlpsEvaluatedOn: '2025-06-15' }), null, TODAY)).toEqual([]); // exactly 12 months
    expect(systemFlags(complete({ mlpsLevel: 3, mlpsEvaluatedOn: '2025-06-14' }), null, TODAY)).toEqual(['mlps_evaluation_overdue']);
    expect(systemFlags(complete({ mlpsLevel: 4, mlpsEvaluatedOn: null }), null, TODAY)).toEqual(['mlps_evaluation_overdue']);
    expect(systemFlags(complete({ mlpsLevel: 2, mlpsEvaluatedOn: null }), null, TODAY)).toEqual([]);
  });

  it('AST-7: a CII needs a security assessment within 12 months', () => {
    const base = { mlpsEvaluatedOn: TODAY, cii: true };
    expect(systemFlags(complete({ ...base, assessmentOn: '2025-06-15' }), null, TODAY)).toEqual([]);
    expect(systemFlags(complete({ ...base, assessmentOn: '2025-06-14' }), null, TODAY)).toEqual(['cii_assessment_overdue']);
    expect(systemFlags(complete({ ...base, assessmentOn: null }), null, TODAY)).toEqual(['cii_assessment_overdue']);
    expect(systemFlags(complete({ mlpsEvaluatedOn: TODAY, cii: false, assessmentOn: null }), null, TODAY)).toEqual([]);
  });

  it('reports several flags together, in a fixed order', () => {
    const s = complete({
      hosting: 'public_cloud',
      cii: true,
      mlpsLevel: 3,
      storageCarriers: [{ name: '盘', kind: 'server', protectionLevel: 'general-1' }],
    });
    expect(systemFlags(s, 'core', TODAY)).toEqual(['public_cloud', 'carrier_below_data_level', 'mlps_evaluation_overdue', 'cii_assessment_overdue']);
  });
});

describe('highestLevel', () => {
  it('takes the highest known level and ignores nulls and unknown codes', () => {
    expect(highestLevel(['general-2', null, 'important', 'general-4'])).toBe('important');
    expect(highestLevel([null, 'secret', 'general-1'])).toBe('general-1');
    expect(highestLevel([])).toBeNull();
  });
});

describe('fieldProblem (AST-1, AST-5, AST-6): contradictions refused even in a draft', () => {
  it('dates after today are refused, naming the field', () => {
    for (const field of ['assessmentOn', 'mlpsEvaluatedOn', 'cryptoAssessedOn', 'lastVulnScanOn'] as const) {
      const f = complete({ cryptoStatus: 'assessed', [field]: '2026-06-16' });
      expect(fieldProblem(f, TODAY), field).toMatchObject({ code: 'DATE_IN_FUTURE', field });
      expect(fieldProblem(complete({ cryptoStatus: 'assessed', [field]: TODAY }), TODAY), field).toBeNull();
    }
  });

  it('a 密评 date needs applied cryptography; "applied" may keep the date of an earlier assessment', () => {
    expect(fieldProblem(complete({ cryptoStatus: 'not_applied', cryptoAssessedOn: '2025-01-01' }), TODAY)).toMatchObject({
      code: 'CRYPTO_STATUS_MISMATCH',
      field: 'cryptoAssessedOn',
    });
    expect(fieldProblem(complete({ cryptoStatus: 'applied', cryptoAssessedOn: '2022-01-01' }), TODAY)).toBeNull();
  });

  it('an MLPS filing number or evaluation date needs the MLPS level', () => {
    expect(fieldProblem(complete({ mlpsLevel: null, mlpsFilingNo: '44190099999-00001' }), TODAY)).toMatchObject({
      code: 'MLPS_LEVEL_REQUIRED',
      field: 'mlpsLevel',
    });
    expect(fieldProblem(complete({ mlpsLevel: null, mlpsEvaluatedOn: '2025-01-01' }), TODAY)).toMatchObject({ code: 'MLPS_LEVEL_REQUIRED' });
    expect(fieldProblem(newSystemFields({ name: '草稿' }), TODAY)).toBeNull();
  });
});

describe('missingForFiling (DG-8 第八条)', () => {
  it('an empty draft misses every DG-8 fact', () => {
    expect(missingForFiling(newSystemFields({ name: '草稿' }))).toEqual([
      'securityLead',
      'securityMeasures',
      'assessmentResult',
      'auditConclusion',
      'mlpsLevel',
      'hosting',
    ]);
  });
  it('a complete one misses nothing; "assessed" needs its 密评 date', () => {
    expect(missingForFiling(complete())).toEqual([]);
    expect(missingForFiling(complete({ cryptoStatus: 'assessed' }))).toEqual(['cryptoAssessedOn']);
    expect(missingForFiling(complete({ cryptoStatus: 'assessed', cryptoAssessedOn: '2025-05-01' }))).toEqual([]);
  });
});

describe('changedFields and canonical', () => {
  it('lists the fields that differ, ignoring the key order of nested objects', () => {
    const a = complete({ securityLead: { name: '王建华', title: '副局长' } });
    const b = complete({ securityLead: { title: '副局长', name: '王建华' } as SystemFields['securityLead'] });
    expect(changedFields(a, b)).toEqual([]);
    const c = complete({ securityLead: { name: '李强' }, hosting: 'public_cloud', trustedTerminals: [{ name: '终端1' }] });
    expect(changedFields(a, c)).toEqual(['securityLead', 'hosting', 'trustedTerminals']);
    expect(canonical({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
  });
});

describe('normalisation', () => {
  it('trims text, turns empty optional text into null, drops empty nested members, keeps unset fields out', () => {
    const n = normalizeChanges({
      name: '  人口库  ',
      description: '   ',
      securityLead: { name: ' 王建华 ', title: ' ', phone: '0591-87000000' },
      trustedTerminals: [{ name: ' 终端A ', identifier: '', location: ' 三楼 ' }],
      storageCarriers: [{ name: ' 主库 ', kind: 'database', protectionLevel: 'important', location: '' }],
    });
    expect(n).toEqual({
      name: '人口库',
      description: null,
      securityLead: { name: '王建华', phone: '0591-87000000' },
      trustedTerminals: [{ name: '终端A', location: '三楼' }],
      storageCarriers: [{ name: '主库', kind: 'database', protectionLevel: 'important' }],
    });
    expect(Object.keys(normalizeChanges({ cii: true }))).toEqual(['cii']);
    expect(normalizeChanges({ hosting: null, mlpsLevel: null })).toEqual({ hosting: null, mlpsLevel: null });
  });

  it('a new system starts from the registry defaults', () => {
    expect(newSystemFields({ name: 'x' })).toMatchObject({ cryptoStatus: 'not_applied', cii: false, trustedTerminals: [], storageCarriers: [], hosting: null });
  });
});
