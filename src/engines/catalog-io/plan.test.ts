import { describe, expect, it } from 'vitest';
import { type ExistingCatalog, MAX_FIELDS_PER_RESOURCE, type PlanContext, planImport } from './plan.ts';
import { readCatalogFile } from './read.ts';

const csv = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
const HEAD = '类型,系统名称,资源名称,字段名称,数据类型,说明,共享属性,开放属性,等级';
const ALL: PlanContext = { canCreateSystems: true, canPropose: true };

const catalog: ExistingCatalog = {
  systems: [
    { id: 's-pop', name: '人口系统', status: 'accepted', description: '人口', mlpsLevel: 3, mlpsFilingNo: null, cii: false },
    { id: 's-old', name: '旧系统', status: 'closed', description: null, mlpsLevel: null, mlpsFilingNo: null, cii: false },
    { id: 's-car', name: '车辆系统', status: 'draft', description: null, mlpsLevel: null, mlpsFilingNo: null, cii: false },
  ],
  resources: [
    { id: 'r-hh', systemId: 's-pop', name: '户籍信息', fieldNames: new Set(['姓名', '身份证号']), nextPosition: 3 },
    { id: 'r-car', systemId: 's-car', name: '登记信息', fieldNames: new Set(), nextPosition: 1 },
    { id: 'r-pop2', systemId: 's-pop', name: '登记信息', fieldNames: new Set(), nextPosition: 1 },
  ],
};

async function plan(lines: string[], ctx = ALL, existing = catalog) {
  return planImport(await readCatalogFile(csv([HEAD, ...lines])), existing, ctx);
}
const codes = (issues: { row: number | null; column: string | null; code: string }[]) => issues.map((i) => [i.row, i.column, i.code]);

describe('planning an import against the catalog', () => {
  it('adds new systems, restates registered ones, adds resources and appends fields after existing ones', async () => {
    const { plan: p, issues } = await plan([
      '系统,人口系统,,,,人口,,,',
      '系统,新系统,,,,,,,',
      '数据资源,新系统,新资源,,,,无条件共享,不予开放,',
      '数据项,新系统,新资源,甲,字符型,,,,',
      '数据项,,新资源,乙,字符型,,,,',
      '数据项,人口系统,户籍信息,住址,字符型,,,,',
    ]);
    expect(issues).toEqual([]);
    expect(p.newSystems.map((s) => s.name)).toEqual(['新系统']);
    expect(p.reusedSystems).toEqual([expect.objectContaining({ id: 's-pop' })]);
    expect(p.newResources.map((r) => [r.row.name, r.system])).toEqual([['新资源', { newIndex: 0 }]]);
    expect(p.newFields.map((f) => [f.row.name, f.resource, f.position])).toEqual([
      ['甲', { newIndex: 0 }, 1],
      ['乙', { newIndex: 0 }, 2],
      ['住址', { existingId: 'r-hh' }, 3],
    ]);
    expect(p.extendedResources).toEqual(['r-hh']);
  });

  it('refuses names already taken, closed systems, unknown or ambiguous references, with near-miss hints', async () => {
    const { issues } = await plan([
      '系统,人口系统,,,,另一个说明,,,',
      '数据资源,人口系统,户籍信息,,,,无条件共享,不予开放,',
      '数据资源,旧系统,某资源,,,,无条件共享,不予开放,',
      '数据资源,人口系統,某资源,,,,无条件共享,不予开放,',
      '数据资源,人口系统 ,户籍信息２,,,,无条件共享,不予开放,',
      '数据项,,登记信息,甲,字符型,,,,',
      '数据项,人口系统,户籍信息,姓名,字符型,,,,',
      '数据项,人口系统,户籍信息（旧）,甲,字符型,,,,',
    ]);
    expect(codes(issues)).toEqual([
      [2, '系统名称', 'DUPLICATE_NAME'],
      [3, '资源名称', 'DUPLICATE_NAME'],
      [4, '系统名称', 'SYSTEM_CLOSED'],
      [5, '系统名称', 'UNKNOWN_SYSTEM'],
      [7, '资源名称', 'AMBIGUOUS_RESOURCE'],
      [8, '字段名称', 'DUPLICATE_NAME'],
      [9, '资源名称', 'UNKNOWN_RESOURCE'],
    ]);
    expect(issues[3]?.zh).not.toContain('是否为'); // 系統 vs 系统 are different characters, not a width variant
    expect(issues[4]?.en).toContain('车辆系统');
  });

  it('hints at a name that differs only in width or spacing', async () => {
    const { issues } = await plan([
      '数据项,人口系统,户籍信息 （旧）,甲,字符型,,,,',
      '数据资源,人口系统,户籍信息（旧）,,,,无条件共享,不予开放,',
      '数据项,人口系统,户籍信息(旧),乙,字符型,,,,',
    ]);
    expect(codes(issues)).toEqual([
      [2, '资源名称', 'UNKNOWN_RESOURCE'],
      [4, '资源名称', 'UNKNOWN_RESOURCE'],
    ]);
    expect(issues[1]?.zh).toContain('是否为“户籍信息（旧）”');
  });

  it('reports repeats within the file and does not repeat an error on the rows that depend on it', async () => {
    const { issues } = await plan([
      '系统,新系统,,,,,,,',
      '系统,新系统,,,,,,,',
      '数据资源,新系统,资源甲,,,,无条件共享,不予开放,',
      '数据资源,新系统,资源甲,,,,无条件共享,不予开放,',
      '数据资源,人口系统,户籍信息,,,,无条件共享,不予开放,',
      '数据项,人口系统,户籍信息,新字段,字符型,,,,', // the resource row above is refused: no second error here
      '数据项,新系统,资源甲,甲,字符型,,,,',
      '数据项,新系统,资源甲,甲,字符型,,,,',
    ]);
    expect(codes(issues)).toEqual([
      [3, '系统名称', 'DUPLICATE_IN_FILE'],
      [5, '资源名称', 'DUPLICATE_IN_FILE'],
      [6, '资源名称', 'DUPLICATE_NAME'],
      [9, '字段名称', 'DUPLICATE_IN_FILE'],
    ]);
  });

  it('turns levels into proposals, checking CLS-4, the proposer permission and levels on catalogued resources', async () => {
    const ok = await plan([
      '数据资源,人口系统,资源乙,,,,无条件共享,不予开放,重要数据',
      '数据项,人口系统,资源乙,甲,字符型,,,,一般数据（4级）',
      '数据项,人口系统,资源乙,乙,字符型,,,,',
    ]);
    expect(ok.issues).toEqual([]);
    expect(ok.plan.gradings).toEqual([{ resourceIndex: 0, level: 'important', fields: [{ fieldIndex: 0, level: 'general-4' }] }]);

    const bad = await plan([
      '数据资源,人口系统,资源乙,,,,无条件共享,不予开放,一般数据（1级）',
      '数据项,人口系统,资源乙,甲,字符型,,,,一般数据（2级）',
      '数据资源,人口系统,资源丙,,,,无条件共享,不予开放,',
      '数据项,人口系统,资源丙,甲,字符型,,,,一般数据（2级）',
      '数据项,人口系统,户籍信息,新字段,字符型,,,,一般数据（2级）',
    ]);
    expect(codes(bad.issues)).toEqual([
      [2, '等级', 'LEVEL_BELOW_FIELD'],
      [5, '等级', 'RESOURCE_LEVEL_REQUIRED'],
      [6, '等级', 'LEVEL_ON_EXISTING_RESOURCE'],
    ]);

    const noRight = await plan(['数据资源,人口系统,资源乙,,,,无条件共享,不予开放,重要数据', '数据资源,人口系统,资源丙,,,,无条件共享,不予开放,核心数据'], {
      canCreateSystems: true,
      canPropose: false,
    });
    expect(codes(noRight.issues)).toEqual([[2, '等级', 'GRADING_NOT_PERMITTED']]);
    expect(noRight.issues[0]?.zh).toContain('2 个数据资源');
  });

  it('keeps a resource within the catalog field limit, counting the fields it has', async () => {
    const full: ExistingCatalog = {
      ...catalog,
      resources: [{ id: 'r-big', systemId: 's-pop', name: '大表', fieldNames: new Set(), nextPosition: MAX_FIELDS_PER_RESOURCE }],
    };
    const { issues } = await plan(
      ['数据项,人口系统,大表,最后一个,字符型,,,,', '数据项,人口系统,大表,多一个,字符型,,,,', '数据项,人口系统,大表,再多一个,字符型,,,,'],
      ALL,
      full,
    );
    expect(codes(issues)).toEqual([[3, '字段名称', 'TOO_MANY_FIELDS']]);
  });

  it('needs system.manage to register new systems, and says when there is nothing to import', async () => {
    const { issues } = await plan(['系统,新系统,,,,,,,', '数据资源,新系统,资源,,,,无条件共享,不予开放,'], { canCreateSystems: false, canPropose: true });
    expect(codes(issues)).toEqual([[2, '系统名称', 'SYSTEM_NOT_PERMITTED']]);
    const nothing = await plan(['系统,人口系统,,,,人口,,,']);
    expect(codes(nothing.issues)).toEqual([[null, null, 'NOTHING_TO_IMPORT']]);
  });
});
