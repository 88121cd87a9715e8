import { describe, expect, it } from 'vitest';
import { readCatalogFile } from './read.ts';
import { type CatalogData, toCsv, toXlsx } from './write.ts';

const data: CatalogData = {
  systems: [
    { institution: '示范市公安局', name: '人口系统', description: '户籍,流动人口\n管理', mlpsLevel: 3, mlpsFilingNo: '35-001', cii: true },
    { institution: '示范市公安局', name: '只知其名的系统', description: null, mlpsLevel: null, mlpsFilingNo: null, cii: null },
  ],
  resources: [
    {
      institution: '示范市公安局',
      system: '人口系统',
      name: '户籍信息',
      description: '=以等号开头的说明',
      shareAttribute: 'conditional',
      shareBasis: '《办法》第十二条',
      openAttribute: 'not_open',
      openBasis: null,
      updateFrequency: 'daily',
      recordCount: 1_234_567,
      retentionMonths: 36,
      collection: { purpose: '户籍管理', legalBasis: '《条例》', method: '窗口', frequency: '实时', scope: '本市' },
      piRecords: 1_000_000,
      piPeople: 900_000,
      piSensitive: true,
      level: 'important',
      fields: [
        { name: '公民身份号码', dataType: 'string', description: '18 位', level: 'general-4' },
        { name: '出生日期', dataType: 'date', description: null, level: null },
      ],
    },
    {
      institution: '示范市公安局',
      system: '只知其名的系统',
      name: '空资源',
      description: null,
      shareAttribute: 'unconditional',
      shareBasis: null,
      openAttribute: 'open',
      openBasis: null,
      updateFrequency: null,
      recordCount: null,
      retentionMonths: null,
      collection: { purpose: null, legalBasis: null, method: null, frequency: null, scope: null },
      piRecords: null,
      piPeople: null,
      piSensitive: null,
      level: null,
      fields: [],
    },
  ],
};

/** What import reads back, without where each row sat. */
async function readBack(bytes: Buffer) {
  const p = await readCatalogFile(bytes);
  expect(p.issues).toEqual([]);
  expect(p.ignoredColumns).toEqual([]);
  const strip = <T extends { src: unknown }>(rows: T[]) => rows.map(({ src: _src, ...rest }) => rest);
  return { systems: strip(p.systems), resources: strip(p.resources), fields: strip(p.fields) };
}

describe('export writes what import reads', () => {
  it('XLSX and CSV give back every value, in codes', async () => {
    const fromXlsx = await readBack(await toXlsx(data));
    const fromCsv = await readBack(toCsv(data));
    expect(fromCsv).toEqual(fromXlsx);
    expect(fromXlsx.systems).toEqual([
      { institution: '示范市公安局', name: '人口系统', description: '户籍,流动人口\n管理', mlpsLevel: 3, mlpsFilingNo: '35-001', cii: true },
      { institution: '示范市公安局', name: '只知其名的系统', description: null, mlpsLevel: null, mlpsFilingNo: null, cii: null },
    ]);
    const { fields: _f, ...resource } = data.resources[0] as CatalogData['resources'][number];
    expect(fromXlsx.resources[0]).toEqual(resource);
    expect(fromXlsx.resources[1]).toMatchObject({ name: '空资源', shareAttribute: 'unconditional', piSensitive: null, level: null });
    expect(fromXlsx.fields).toEqual([
      {
        institution: '示范市公安局',
        system: '人口系统',
        resource: '户籍信息',
        name: '公民身份号码',
        dataType: 'string',
        description: '18 位',
        level: 'general-4',
      },
      { institution: '示范市公安局', system: '人口系统', resource: '户籍信息', name: '出生日期', dataType: 'date', description: null, level: null },
    ]);
  });
});
