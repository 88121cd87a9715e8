import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { type ParsedCatalog, readCatalogFile } from './read.ts';

const csv = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
const codes = (p: ParsedCatalog) => p.issues.map((i) => [i.row, i.column, i.code]);

async function xlsx(sheets: Record<string, (string | number | null)[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('reading an import file into rows', () => {
  it('matches headers by meaning: English, synonyms, required markers, full-width brackets', async () => {
    const p = await readCatalogFile(
      csv([
        'kind,system,resource name,*共享属性,Share Basis,开放类型,保存期限(月),field,data type,description',
        'resources,人口系统,户籍信息,conditional,《办法》,open,24,,,户籍',
        'fields,人口系统,户籍信息,,,,,姓名,string,',
      ]),
    );
    expect(p.issues).toEqual([]);
    expect(p.resources[0]).toMatchObject({
      system: '人口系统',
      name: '户籍信息',
      shareAttribute: 'conditional',
      shareBasis: '《办法》',
      openAttribute: 'open',
      retentionMonths: 24,
    });
    expect(p.fields[0]).toMatchObject({ system: '人口系统', resource: '户籍信息', name: '姓名', dataType: 'string' });
  });

  it('finds the header below title rows, and reads merged-down values on every row', async () => {
    const p = await readCatalogFile(
      await xlsx({
        信息系统: [['某局信息系统清单'], [], ['序号', '系统名称', '说明'], [1, '甲系统', null], [2, '乙系统', '说明']],
      }),
    );
    expect(p.issues).toEqual([]);
    expect(p.systems.map((s) => [s.src.row, s.name, s.description])).toEqual([
      [4, '甲系统', null],
      [5, '乙系统', '说明'],
    ]);
    expect(p.ignoredColumns).toEqual([{ sheet: '信息系统', column: '序号' }]);
  });

  it('in the one-table layout, refuses unknown kinds and values in columns the row kind does not use', async () => {
    const p = await readCatalogFile(
      csv([
        '类型,系统名称,资源名称,共享属性,开放属性,字段名称,数据类型',
        '系统,甲,,无条件共享,,,',
        '接口,甲,,,,,',
        ',甲,,,,,',
        '数据资源,甲,乙,无条件共享,不予开放,丙,',
      ]),
    );
    expect(codes(p)).toEqual([
      [2, '共享属性', 'COLUMN_NOT_FOR_KIND'],
      [3, '类型', 'UNKNOWN_KIND'],
      [4, '类型', 'REQUIRED'],
      [5, '字段名称', 'COLUMN_NOT_FOR_KIND'],
    ]);
  });

  it('checks each cell: required values, coded values, lengths, control characters, line breaks in names', async () => {
    const long = '长'.repeat(201);
    const p = await readCatalogFile(
      csv([
        '类型,系统名称,资源名称,共享属性,共享依据,开放属性,记录数,个人信息记录数,个人信息人数,是否敏感个人信息,保存期限（月）,更新频率',
        `数据资源,甲,${long},不予共享,,不予开放,-5,,,,0,每刻`,
        '数据资源,甲,"乙\n丙",受限共享,依\u0007据,不予开放,,10,20,是,1201,',
        '数据资源,,丁,,,,,,,,,',
      ]),
    );
    expect(codes(p)).toEqual([
      [2, '资源名称', 'TOO_LONG'],
      [2, '共享依据', 'SHARE_BASIS_REQUIRED'],
      [2, '更新频率', 'INVALID_UPDATE_FREQUENCY'],
      [2, '记录数', 'INVALID_NUMBER'],
      [2, '保存期限（月）', 'INVALID_RETENTION'],
      [3, '资源名称', 'NAME_LINE_BREAK'],
      [3, '共享依据', 'INVALID_CHARACTER'],
      [3, '保存期限（月）', 'INVALID_RETENTION'],
      [4, '系统名称', 'REQUIRED'],
      [4, '共享属性', 'REQUIRED'],
      [4, '开放属性', 'REQUIRED'],
    ]);
    // Rows without a usable name cannot be referred to; the others stay for reference checks.
    expect(p.resources.map((r) => r.name)).toEqual([]);
  });

  it('refuses a file with rows of several institutions, but not one naming another institution', async () => {
    const one = await readCatalogFile(csv(['类型,所属机构,系统名称', '系统,甲局,A', '系统,甲局,B']));
    expect(one.issues).toEqual([]);
    const two = await readCatalogFile(csv(['类型,所属机构,系统名称', '系统,甲局,A', '系统,乙局,B']));
    expect(codes(two)).toEqual([[3, '所属机构', 'MULTIPLE_INSTITUTIONS']]);
  });

  it('refuses two columns that mean the same, and reports missing columns once per kind used', async () => {
    const p = await readCatalogFile(csv(['类型,系统名称,系统,资源名称', '数据资源,甲,甲,乙', '数据资源,甲,甲,丙']));
    expect(codes(p)).toEqual([
      [1, '系统', 'DUPLICATE_COLUMN'],
      [1, '共享属性', 'MISSING_COLUMN'],
      [1, '开放属性', 'MISSING_COLUMN'],
    ]);
  });

  it('names cells that hold an error or a formula without its result, only in columns it uses', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('系统');
    ws.addRow(['系统名称', '说明', '备注']);
    ws.addRow(['甲', { error: '#N/A' }, { error: '#REF!' }]);
    const p = await readCatalogFile(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(p.issues.map((i) => [i.sheet, i.row, i.column, i.code])).toEqual([['系统', 2, '说明', 'CELL_ERROR']]);
  });

  it('says what it did not use, except instruction sheets; refuses a workbook with nothing to import', async () => {
    const p = await readCatalogFile(await xlsx({ 系统: [['系统名称'], ['甲']], 统计: [['合计', 3]], 填写说明: [['项目', '说明']] }));
    expect(p.ignoredSheets).toEqual(['统计']);
    const none = await readCatalogFile(await xlsx({ Sheet1: [['名称'], ['甲']] }));
    expect(codes(none)).toEqual([[null, null, 'NO_DATA_SHEETS']]);
    const headersOnly = await readCatalogFile(await xlsx({ 系统: [['系统名称']] }));
    expect(codes(headersOnly)).toEqual([[null, null, 'NO_ROWS']]);
  });

  it('counts data rows against the limit, not title or blank rows', async () => {
    const lines = ['类型,系统名称', ...Array.from({ length: 5 }, (_, i) => `系统,S${i}`), '', ''];
    expect((await readCatalogFile(csv(lines), { maxRows: 5, maxUncompressedBytes: 1e6 })).issues).toEqual([]);
    const over = await readCatalogFile(csv([...lines, '系统,S5']), { maxRows: 5, maxUncompressedBytes: 1e6 });
    expect(codes(over)).toEqual([[null, null, 'TOO_MANY_ROWS']]);
    expect(over.systems).toEqual([]);
  });

  it('takes back the apostrophe export puts before formula-like CSV values', async () => {
    const p = await readCatalogFile(csv(['类型,系统名称,说明', "系统,甲,'=SUM(A1)"]));
    expect(p.systems[0]?.description).toBe('=SUM(A1)');
  });
});
