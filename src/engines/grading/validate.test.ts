import { describe, expect, it } from 'vitest';
import type { CategoryInput } from './categories.ts';
import { indexCategories } from './categories.ts';
import { type Controls, DEFAULT_CONTROLS, weakerControls } from './controls.ts';
import { defaultScheme } from './default-scheme.ts';
import { DEFAULT_MATRIX } from './matrix.ts';
import { type SchemeInput, validateScheme } from './validate.ts';

/** A valid input to vary: the default scheme as an editor would send it. */
function base(): SchemeInput & {
  categories: CategoryInput[];
  matrix: { object: string; degree: string; level: string }[];
  controls: Record<string, Controls>;
} {
  const s = defaultScheme();
  return { name: s.name, notes: s.notes, categories: s.categories, matrix: s.matrix, controls: s.controls };
}

function codes(input: SchemeInput): string[] {
  const r = validateScheme(input);
  return r.ok ? [] : r.errors.map((e) => `${e.field}:${e.code}`);
}

const tree = (...nodes: CategoryInput[]): CategoryInput[] => nodes;

describe('the default scheme', () => {
  it('passes its own validation', () => {
    expect(codes(base())).toEqual([]);
  });

  it('classifies public data sector → category → sub-category with stable codes', () => {
    const index = indexCategories(defaultScheme().categories);
    expect(index.get('health.medical.emr')).toMatchObject({ name: '电子病历', path: ['卫生健康', '医疗服务', '电子病历'], depth: 3 });
    expect(index.get('general_government.population.household')?.path).toEqual(['政务综合', '人口基础信息', '户籍信息']);
    expect(index.get('human_resources.social_insurance.enrollment')?.name).toBe('社保参保信息');
    expect(index.get('public_security')?.name).toBe('公安');
    const sectors = defaultScheme().categories.map((c) => c.code);
    expect(sectors).toEqual(
      expect.arrayContaining([
        'general_government',
        'public_security',
        'education',
        'health',
        'human_resources',
        'civil_affairs',
        'transport',
        'natural_resources',
        'market_regulation',
        'finance_tax',
      ]),
    );
    // Every sector is three levels deep: categories under it, sub-categories under each category.
    for (const sector of defaultScheme().categories) {
      expect(sector.children.length, sector.code).toBeGreaterThan(0);
      for (const cat of sector.children) expect(cat.children.length, cat.code).toBeGreaterThan(0);
    }
  });

  it('is a fresh copy each time (editing one does not change the next)', () => {
    const a = defaultScheme();
    a.controls.core.logRetentionMonths = 999;
    (a.categories[0] as { name: string }).name = 'x';
    expect(defaultScheme().controls.core.logRetentionMonths).toBe(60);
    expect(defaultScheme().categories[0]?.name).toBe('政务综合');
  });
});

describe('validateScheme: normalising', () => {
  it('trims names, gives every node a children list and puts the matrix in canonical order', () => {
    const input = base();
    input.name = '  市规则 ';
    input.notes = '   ';
    input.categories = tree({ code: 'health', name: ' 卫生健康 ', children: [{ code: 'health.medical', name: '医疗服务' }] });
    input.matrix = [...DEFAULT_MATRIX].reverse();
    const r = validateScheme(input);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.scheme.name).toBe('市规则');
    expect(r.scheme.notes).toBeNull();
    expect(r.scheme.categories).toEqual([{ code: 'health', name: '卫生健康', children: [{ code: 'health.medical', name: '医疗服务', children: [] }] }]);
    expect(r.scheme.matrix).toEqual(DEFAULT_MATRIX);
  });
});

describe('validateScheme: the matrix', () => {
  it('needs every object × degree', () => {
    const input = base();
    input.matrix = input.matrix.filter((e) => !(e.object === 'national_security' && e.degree === 'ordinary'));
    const r = validateScheme(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      {
        field: 'matrix',
        code: 'MATRIX_MISSING',
        message: 'the matrix has no level for national_security × ordinary',
        messageZh: '定级矩阵缺少“国家安全 × 一般危害”的级别',
      },
    ]);
  });

  it('refuses a second entry for the same object × degree', () => {
    const input = base();
    input.matrix = [...input.matrix, { object: 'economy', degree: 'serious', level: 'core' }];
    expect(codes(input)).toEqual(['matrix.18:MATRIX_DUPLICATE']);
  });

  it('refuses unknown objects, degrees and levels (the entry then counts as missing)', () => {
    const input = base();
    input.matrix = input.matrix.map((e, i) => (i === 2 ? { ...e, level: 'secret' } : e));
    expect(codes(input)).toEqual(['matrix.2.level:MATRIX_UNKNOWN_LEVEL', 'matrix:MATRIX_MISSING']);
    const other = base();
    other.matrix = other.matrix.map((e, i) => (i === 0 ? { ...e, object: 'nation', degree: 'severe' } : e));
    expect(codes(other)).toEqual(['matrix.0.object:MATRIX_UNKNOWN_OBJECT', 'matrix.0.degree:MATRIX_UNKNOWN_DEGREE', 'matrix:MATRIX_MISSING']);
  });

  it('refuses a milder harm graded above a more severe one to the same object', () => {
    const input = base();
    // individual: especially serious general-4, serious general-3, ordinary raised to general-4 (> serious).
    const i = input.matrix.findIndex((e) => e.object === 'individual' && e.degree === 'ordinary');
    input.matrix[i] = { object: 'individual', degree: 'ordinary', level: 'general-4' };
    expect(codes(input)).toEqual([`matrix.${i}.level:MATRIX_NOT_MONOTONIC`]);
  });
});

describe('validateScheme: categories', () => {
  const withTree = (categories: CategoryInput[]) => ({ ...base(), categories });

  it('needs at least one category', () => {
    expect(codes(withTree([]))).toEqual(['categories:CATEGORIES_EMPTY']);
  });

  it('refuses malformed codes', () => {
    expect(codes(withTree(tree({ code: 'Health', name: '卫生健康' })))).toEqual(['categories.0.code:CATEGORY_CODE_INVALID']);
    expect(codes(withTree(tree({ code: 'health..emr', name: '卫生健康' })))).toEqual(['categories.0.code:CATEGORY_CODE_INVALID']);
    expect(codes(withTree(tree({ code: '1health', name: '卫生健康' })))).toEqual(['categories.0.code:CATEGORY_CODE_INVALID']);
    expect(codes(withTree(tree({ code: '卫生', name: '卫生健康' })))).toEqual(['categories.0.code:CATEGORY_CODE_INVALID']);
  });

  it("needs a child's code to be its parent's code plus one segment", () => {
    expect(codes(withTree(tree({ code: 'health', name: '卫生健康', children: [{ code: 'education.medical', name: '医疗服务' }] })))).toEqual([
      'categories.0.children.0.code:CATEGORY_CODE_NOT_UNDER_PARENT',
    ]);
    expect(codes(withTree(tree({ code: 'health', name: '卫生健康', children: [{ code: 'health.medical.emr', name: '电子病历' }] })))).toEqual([
      'categories.0.children.0.code:CATEGORY_CODE_NOT_UNDER_PARENT',
    ]);
    expect(codes(withTree(tree({ code: 'health.medical', name: '医疗服务' })))).toEqual(['categories.0.code:CATEGORY_CODE_NOT_UNDER_PARENT']);
  });

  it('reports a malformed parent once, not again for each child', () => {
    expect(codes(withTree(tree({ code: 'Health', name: '卫生健康', children: [{ code: 'health.medical', name: '医疗服务' }] })))).toEqual([
      'categories.0.code:CATEGORY_CODE_INVALID',
    ]);
  });

  it('refuses a code used twice', () => {
    expect(
      codes(withTree(tree({ code: 'health', name: '卫生健康', children: [{ code: 'health.medical', name: '医疗服务' }] }, { code: 'health', name: '卫生' }))),
    ).toEqual(['categories.1.code:CATEGORY_CODE_DUPLICATE']);
  });

  it('refuses blank names and two siblings of the same name', () => {
    expect(
      codes(
        withTree(
          tree({
            code: 'health',
            name: '  ',
            children: [
              { code: 'health.medical', name: '医疗服务' },
              { code: 'health.clinic', name: '医疗服务' },
            ],
          }),
        ),
      ),
    ).toEqual(['categories.0.name:CATEGORY_NAME_BLANK', 'categories.0.children.1.name:CATEGORY_NAME_DUPLICATE']);
  });

  it('allows four levels and refuses a fifth', () => {
    const deep = (levels: number): CategoryInput => {
      const segs = ['a', 'b', 'c', 'd', 'e'].slice(0, levels);
      let n: CategoryInput = { code: segs.join('.'), name: `L${levels}` };
      for (let d = levels - 1; d >= 1; d--) n = { code: segs.slice(0, d).join('.'), name: `L${d}`, children: [n] };
      return n;
    };
    expect(codes(withTree([deep(4)]))).toEqual([]);
    expect(codes(withTree([deep(5)]))).toEqual(['categories.0.children.0.children.0.children.0.children.0:CATEGORY_TOO_DEEP']);
  });
});

describe('validateScheme: controls (CLS-5)', () => {
  it('needs controls for every level and refuses unknown levels', () => {
    const input = base();
    const { 'general-1': _dropped, ...rest } = input.controls;
    input.controls = { ...rest, 'general-5': DEFAULT_CONTROLS['general-1'] };
    expect(codes(input)).toEqual(['controls.general-5:CONTROLS_UNKNOWN_LEVEL', 'controls.general-1:CONTROLS_MISSING']);
  });

  it('checks each value: retention at least six months, approvals 0–3, known masking modes', () => {
    const input = base();
    input.controls['general-1'] = { ...DEFAULT_CONTROLS['general-1'], logRetentionMonths: 3 };
    input.controls['general-2'] = { ...DEFAULT_CONTROLS['general-2'], sharingApprovals: 4 };
    input.controls['general-3'] = { ...DEFAULT_CONTROLS['general-3'], masking: { ...DEFAULT_CONTROLS['general-3'].masking, display: 'blur' as never } };
    expect(codes(input)).toEqual([
      'controls.general-3.masking.display:CONTROLS_INVALID',
      'controls.general-2.sharingApprovals:CONTROLS_INVALID',
      'controls.general-1.logRetentionMonths:CONTROLS_INVALID',
    ]);
  });

  it('refuses a higher level protected less than the level below it', () => {
    const input = base();
    // important unencrypted while general-4 is encrypted; core (encrypted) stays above important.
    input.controls.important = { ...DEFAULT_CONTROLS.important, encryptAtRest: false };
    expect(codes(input)).toEqual(['controls.important.encryptAtRest:CONTROLS_WEAKER_THAN_LOWER']);
    const r = validateScheme(input);
    expect(r.ok ? '' : r.errors[0]?.messageZh).toBe('重要数据的“存储加密”弱于较低的一般数据（4级）；级别越高，管控不得越弱');
  });

  it('refuses open-data settings that contradict each other, and aggregate-only data shared as rows', () => {
    const input = base();
    input.controls['general-3'] = { ...DEFAULT_CONTROLS['general-3'], openAllowed: true };
    input.controls.core = { ...DEFAULT_CONTROLS.core, masking: { ...DEFAULT_CONTROLS.core.masking, sharing: 'suppress' } };
    expect(codes(input)).toEqual(['controls.core.masking.sharing:CONTROLS_INCONSISTENT', 'controls.general-3.masking.openData:CONTROLS_INCONSISTENT']);
  });

  it('weakerControls names each weaker dimension', () => {
    const g = DEFAULT_CONTROLS['general-1'];
    expect(weakerControls(g, g)).toEqual([]);
    expect(weakerControls(g, DEFAULT_CONTROLS.core)).toEqual([
      'encryptAtRest',
      'masking.display',
      'masking.devTest',
      'masking.sharing',
      'masking.openData',
      'sharingApprovals',
      'watermark',
      'logRetentionMonths',
      'openAllowed',
      'aggregateOnly',
    ]);
  });

  it('the default controls: core and important encrypted, watermarked, 2–3 approvals; only core aggregate-only', () => {
    expect(DEFAULT_CONTROLS.core).toMatchObject({ encryptAtRest: true, watermark: true, sharingApprovals: 3, aggregateOnly: true, openAllowed: false });
    expect(DEFAULT_CONTROLS.important).toMatchObject({ encryptAtRest: true, watermark: true, sharingApprovals: 2, aggregateOnly: false, openAllowed: false });
    expect(DEFAULT_CONTROLS['general-4'].masking.sharing).toBe('pseudonymize');
    expect(DEFAULT_CONTROLS['general-3']).toMatchObject({ encryptAtRest: true, masking: { sharing: 'partial' } });
    expect(DEFAULT_CONTROLS['general-1']).toMatchObject({ encryptAtRest: false, sharingApprovals: 0, openAllowed: true, logRetentionMonths: 6 });
  });
});

describe('validateScheme: name', () => {
  it('needs a name and reports every problem at once', () => {
    const input = base();
    input.name = '   ';
    input.categories = [];
    input.matrix = input.matrix.slice(1);
    expect(codes(input)).toEqual(['name:NAME_BLANK', 'categories:CATEGORIES_EMPTY', 'matrix:MATRIX_MISSING']);
  });
});
