// Catalog import and export (AST-4) through the API: good XLSX and GB18030 CSV files import atomically;
// every kind of bad file is a 422 IMPORT_INVALID naming sheet, row and column, and leaves every catalog
// table as it was; dry runs write nothing; scope and permission refusals; export in three formats and an
// export → import round trip into another institution. Fixtures are built here, never committed.
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/db/ids.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type Cell = string | number | null;

let h: TestApp;
let steward: Client; // data steward at 公安局 (catalog.manage, system.manage, grading.propose)
let psbAdmin: Client; // institution admin at 公安局 (catalog.manage, no grading.propose)
let security: Client; // security officer at 公安局 (catalog.read, no catalog.manage)
let eduUser: Client; // data user at 教育局
let eduSteward: Client; // data steward at 教育局, made for the round trip
let psb: string;
let edu: string;

async function workbook(sheets: Record<string, Cell[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function csv(rows: Cell[][]): string {
  const q = (v: Cell) => {
    const s = v === null ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${rows.map((r) => r.map(q).join(',')).join('\r\n')}\r\n`;
}

const post = (c: Client, body: Buffer, type: string, query = '') => c.request('POST', `/api/catalog/import${query}`, body, { 'content-type': type });

/** Row counts of every table an import writes (the audit log too): "unchanged" means all equal. */
async function counts() {
  const n = async (table: 'systems' | 'data_resources' | 'data_fields' | 'resource_gradings' | 'audit_events') =>
    Number(
      (
        await h.t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    systems: await n('systems'),
    resources: await n('data_resources'),
    fields: await n('data_fields'),
    gradings: await n('resource_gradings'),
    audit: await n('audit_events'),
  };
}

type Issue = { sheet: string | null; kind: string | null; row: number | null; column: string | null; field: string | null; code: string; message: string };

/** Posts a bad file: 422 IMPORT_INVALID, and not one row written anywhere. */
async function refused(c: Client, body: Buffer, type: string, query = ''): Promise<{ res: LightMyRequestResponse; errors: Issue[] }> {
  const before = await counts();
  const res = await post(c, body, type, query);
  expect(res.statusCode, res.body).toBe(422);
  expect(res.json().code).toBe('IMPORT_INVALID');
  expect(await counts()).toEqual(before);
  const errors = res.json().details.errors as Issue[];
  expect(res.json().details.errorCount).toBe(errors.length);
  return { res, errors };
}

const SYSTEMS_HEAD = ['系统名称', '说明', '等保级别', '等保备案编号', '是否关键信息基础设施'];
const RESOURCES_HEAD = [
  '系统名称',
  '资源名称',
  '说明',
  '共享属性',
  '共享依据',
  '开放属性',
  '更新频率',
  '保存期限（月）',
  '采集目的',
  '采集依据',
  '采集方式',
  '采集频率',
  '采集范围',
  '个人信息记录数',
  '个人信息人数',
  '是否敏感个人信息',
  '等级',
];
const FIELDS_HEAD = ['系统名称', '资源名称', '字段名称', '数据类型', '说明', '等级'];

/** A minimal valid resources sheet row for `system`. */
const resourceRow = (system: string, name: string, overrides: Partial<Record<string, Cell>> = {}): Cell[] =>
  RESOURCES_HEAD.map((h) =>
    h in overrides
      ? (overrides[h] ?? null)
      : h === '系统名称'
        ? system
        : h === '资源名称'
          ? name
          : h === '共享属性'
            ? '无条件共享'
            : h === '开放属性'
              ? '不予开放'
              : null,
  );

beforeAll(async () => {
  h = await createTestApp();
  psb = await h.inst('示范市公安局');
  edu = await h.inst('示范市教育局');
  // An edu steward for the round trip: the demo city has none. Same password hash as psb.steward.
  const model = await h.t.db.selectFrom('users').select(['password_hash']).where('username', '=', 'psb.steward').executeTakeFirstOrThrow();
  const id = uuidv7();
  await h.t.db
    .insertInto('users')
    .values({
      id,
      username: 'edu.steward',
      display_name: '教育局数据管理员',
      institution_id: edu,
      password_hash: model.password_hash,
      must_change_password: false,
    })
    .execute();
  await h.t.db.insertInto('role_assignments').values({ id: uuidv7(), user_id: id, role: 'data_steward', institution_id: edu, granted_by: null }).execute();
  steward = await h.login('psb.steward');
  psbAdmin = await h.login('psb.admin');
  security = await h.login('psb.security');
  eduUser = await h.login('edu.user');
  eduSteward = await h.login('edu.steward');
});
afterAll(() => h.close());

describe('a good XLSX file', () => {
  it('imports systems, resources, fields and level proposals atomically, with one import audit event', async () => {
    const before = await counts();
    const file = await workbook({
      系统: [
        ['示范市公安局信息系统清单'], // a title row above the header
        SYSTEMS_HEAD,
        ['人口信息管理系统', '户籍与流动人口管理', '三级', '35010013001-00001', '否'],
        ['出入境证件系统', null, 2, null, null],
      ],
      数据资源: [
        RESOURCES_HEAD,
        [
          '人口信息管理系统',
          '户籍人口基本信息',
          '本市户籍人口的基本信息',
          '有条件共享',
          '《示范市公共数据管理办法》第十二条',
          '不予开放',
          '每日',
          '3年',
          '户籍管理',
          '《中华人民共和国户口登记条例》',
          '窗口登记',
          '实时',
          '本市户籍人口',
          1_200_000,
          1_000_000,
          '是',
          '重要数据',
        ],
        resourceRow('出入境证件系统', '出入境证件签发记录', { 开放属性: '有条件开放', 更新频率: '每月', '保存期限（月）': 36 }),
      ],
      数据项: [
        FIELDS_HEAD,
        ['人口信息管理系统', '户籍人口基本信息', '公民身份号码', '字符型', '18 位', '一般数据（4级）'],
        ['人口信息管理系统', '户籍人口基本信息', '姓名', 'varchar(50)', null, null],
        [null, '出入境证件签发记录', '证件号码', 'C', null, null], // no system: the resource name is unambiguous
        ['出入境证件系统', '出入境证件签发记录', '签发日期', '日期型', null, null],
      ],
      填写说明: [['说明'], ['本表不导入']],
    });
    const res = await post(steward, file, XLSX, '?fileName=%E7%9B%AE%E5%BD%95.xlsx');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      dryRun: false,
      institutionId: psb,
      format: 'xlsx',
      encoding: null,
      rows: 8,
      created: { systems: 2, resources: 2, fields: 4, gradings: 1 },
      reusedSystems: 0,
      ignoredSheets: [],
    });
    const after = await counts();
    expect(after.systems - before.systems).toBe(2);
    expect(after.resources - before.resources).toBe(2);
    expect(after.fields - before.fields).toBe(4);
    expect(after.gradings - before.gradings).toBe(1);

    const sys = await h.t.db
      .selectFrom('systems')
      .selectAll()
      .where('institution_id', '=', psb)
      .where('name', '=', '人口信息管理系统')
      .executeTakeFirstOrThrow();
    expect(sys).toMatchObject({ status: 'draft', mlps_level: 3, mlps_filing_no: '35010013001-00001', cii: false, description: '户籍与流动人口管理' });
    const r = await h.t.db.selectFrom('data_resources').selectAll().where('system_id', '=', sys.id).executeTakeFirstOrThrow();
    expect(r).toMatchObject({
      name: '户籍人口基本信息',
      share_attribute: 'conditional',
      share_basis: '《示范市公共数据管理办法》第十二条',
      open_attribute: 'not_open',
      update_frequency: 'daily',
      retention_months: 36,
      pi_records: 1_200_000,
      pi_people: 1_000_000,
      pi_sensitive: true,
      pi_source: 'declared',
      level: null, // a proposal, not a decision (CLS-2)
      grading_status: 'pending',
      published: false,
    });
    expect(r.collection).toEqual({
      purpose: '户籍管理',
      legalBasis: '《中华人民共和国户口登记条例》',
      method: '窗口登记',
      frequency: '实时',
      scope: '本市户籍人口',
    });
    const fields = await h.t.db.selectFrom('data_fields').selectAll().where('resource_id', '=', r.id).orderBy('position').execute();
    expect(fields.map((f) => [f.position, f.name, f.data_type, f.level])).toEqual([
      [1, '公民身份号码', 'string', null],
      [2, '姓名', 'string', null],
    ]);
    const g = await h.t.db.selectFrom('resource_gradings').selectAll().where('resource_id', '=', r.id).executeTakeFirstOrThrow();
    expect(g).toMatchObject({ status: 'pending', chosen_level: 'important', proposed_level: 'important', graded_by: steward.userId });
    expect(g.field_labels).toEqual([
      { fieldId: fields[0]?.id, fieldName: '公民身份号码', category: null, level: 'general-4', piType: null, piSensitive: false },
    ]);
    const other = await h.t.db
      .selectFrom('data_resources')
      .select(['id', 'grading_status', 'pi_source', 'open_attribute'])
      .where('name', '=', '出入境证件签发记录')
      .executeTakeFirstOrThrow();
    expect(other).toMatchObject({ grading_status: 'ungraded', pi_source: null, open_attribute: 'conditional' });

    const events = await h.t.db.selectFrom('audit_events').selectAll().where('action', '=', 'catalog.import').execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_username: 'psb.steward', target_institution_id: psb });
    expect(events[0]?.details).toMatchObject({ fileName: '目录.xlsx', created: { systems: 2, resources: 2, fields: 4, gradings: 1 } });
    // New systems are registered through the registry, with its own audit event each.
    expect(await h.t.db.selectFrom('audit_events').select('id').where('action', '=', 'catalog.system.create').execute()).toHaveLength(2);
  });
});

describe('a good GB18030 CSV file', () => {
  it('imports with the kind column, quoted commas and line breaks, restating a registered system and extending a resource', async () => {
    const text = csv([
      ['类型', '系统名称', '资源名称', '字段名称', '数据类型', '说明', '共享属性', '共享依据', '开放属性', '序号'],
      ['系统', '人口信息管理系统', null, null, null, '户籍与流动人口管理', null, null, null, '1'],
      [
        '数据资源',
        '人口信息管理系统',
        '流动人口居住登记',
        null,
        null,
        '居住登记信息\n（含历史记录）',
        '不予共享',
        '涉及个人隐私，依《条例》第八条',
        '不予开放',
        '2',
      ],
      ['数据项', '人口信息管理系统', '流动人口居住登记', '居住地址', '字符型', '省,市,区,街道', null, null, null, '3'],
      ['数据项', '人口信息管理系统', '户籍人口基本信息', '户籍地址', '字符型', null, null, null, null, '4'],
    ]);
    const bytes = iconv.encode(text, 'gb18030');
    expect(bytes.includes(Buffer.from('系统', 'utf8'))).toBe(false); // really not UTF-8
    const before = await counts();
    const existing = await h.t.db.selectFrom('data_resources').select(['id', 'version']).where('name', '=', '户籍人口基本信息').executeTakeFirstOrThrow();

    const res = await post(steward, bytes, 'text/csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      format: 'csv',
      encoding: 'gb18030',
      rows: 4,
      created: { systems: 0, resources: 1, fields: 2, gradings: 0 },
      reusedSystems: 1,
      extendedResources: 1,
      ignoredColumns: [{ sheet: null, column: '序号' }],
    });
    const after = await counts();
    expect([after.systems - before.systems, after.resources - before.resources, after.fields - before.fields]).toEqual([0, 1, 2]);

    const r = await h.t.db.selectFrom('data_resources').selectAll().where('name', '=', '流动人口居住登记').executeTakeFirstOrThrow();
    expect(r).toMatchObject({ description: '居住登记信息\n（含历史记录）', share_attribute: 'not_shared', share_basis: '涉及个人隐私，依《条例》第八条' });
    const f = await h.t.db.selectFrom('data_fields').selectAll().where('resource_id', '=', r.id).executeTakeFirstOrThrow();
    expect(f).toMatchObject({ name: '居住地址', description: '省,市,区,街道', position: 1 });
    // The extended resource: appended after its fields, and its version moved on (editors must reload).
    const appended = await h.t.db
      .selectFrom('data_fields')
      .selectAll()
      .where('resource_id', '=', existing.id)
      .where('name', '=', '户籍地址')
      .executeTakeFirstOrThrow();
    expect(appended.position).toBe(3);
    const now = await h.t.db.selectFrom('data_resources').select('version').where('id', '=', existing.id).executeTakeFirstOrThrow();
    expect(now.version).toBe(existing.version + 1);
  });
});

describe('bad files: 422 IMPORT_INVALID with where, and nothing written', () => {
  it('refuses bytes that are neither UTF-8 nor GB18030, naming the line', async () => {
    const bytes = Buffer.concat([Buffer.from('类型,系统名称\r\n系统,甲\r\n系统,', 'utf8'), Buffer.from([0xff, 0xfe, 0x80, 0xff]), Buffer.from('\r\n')]);
    const { errors } = await refused(steward, bytes, 'text/csv');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'ENCODING_UNRECOGNISED', row: 3, sheet: null, column: null });
    expect(errors[0]?.message).toContain('GB18030');
  });

  it('names each missing required column', async () => {
    const file = await workbook({
      数据资源: [
        ['系统名称', '资源名称', '开放属性'],
        ['人口信息管理系统', '新资源', '不予开放'],
      ],
    });
    const { errors } = await refused(steward, file, XLSX);
    expect(errors).toEqual([
      expect.objectContaining({ code: 'MISSING_COLUMN', sheet: '数据资源', kind: 'resources', row: 1, column: '共享属性', field: 'shareAttribute' }),
    ]);
  });

  it('refuses an unknown level, naming the cell', async () => {
    const file = await workbook({
      数据资源: [RESOURCES_HEAD, resourceRow('人口信息管理系统', '某新资源', { 等级: '绝密' })],
    });
    const { errors } = await refused(steward, file, XLSX);
    expect(errors).toEqual([expect.objectContaining({ code: 'UNKNOWN_LEVEL', sheet: '数据资源', row: 2, column: '等级', field: 'level' })]);
    expect(errors[0]?.message).toContain('绝密');
  });

  it('refuses a name repeated within the file and a name already in the catalog, naming both rows', async () => {
    const file = await workbook({
      数据资源: [
        RESOURCES_HEAD,
        resourceRow('人口信息管理系统', '重复资源'),
        resourceRow('人口信息管理系统', '重复资源'),
        resourceRow('人口信息管理系统', '户籍人口基本信息'),
      ],
    });
    const { errors } = await refused(steward, file, XLSX);
    expect(errors.map((e) => [e.code, e.row, e.column])).toEqual([
      ['DUPLICATE_IN_FILE', 3, '资源名称'],
      ['DUPLICATE_NAME', 4, '资源名称'],
    ]);
    expect(errors[0]?.message).toContain('第 2 行');
  });

  it('refuses a registered system restated with different facts', async () => {
    const file = await workbook({ 系统: [SYSTEMS_HEAD, ['人口信息管理系统', '另一种说明', '三级', '35010013001-00001', '否']] });
    const { errors } = await refused(steward, file, XLSX);
    expect(errors).toEqual([expect.objectContaining({ code: 'DUPLICATE_NAME', row: 2, column: '系统名称' })]);
    expect(errors[0]?.message).toContain('说明');
  });

  it('refuses a field of a resource that is neither in the file nor in the catalog', async () => {
    const file = await workbook({ 数据项: [FIELDS_HEAD, ['人口信息管理系统', '不存在的资源', '字段甲', '字符型', null, null]] });
    const { errors } = await refused(steward, file, XLSX);
    expect(errors).toEqual([expect.objectContaining({ code: 'UNKNOWN_RESOURCE', sheet: '数据项', row: 2, column: '资源名称' })]);
  });

  it('reports every problem of a file at once, in file order, in the language asked for', async () => {
    const file = await workbook({
      系统: [SYSTEMS_HEAD, ['新系统甲', null, '六级', null, '也许']],
      数据资源: [
        RESOURCES_HEAD,
        resourceRow('新系统甲', '资源甲', { 共享属性: '受限共享' }), // no basis
        resourceRow('未登记的系统', '资源乙'),
        resourceRow('新系统甲', '资源丙', { 个人信息人数: 10 }), // incomplete PI declaration
      ],
      数据项: [FIELDS_HEAD, ['新系统甲', '资源甲', '字段', '超长整型', null, '一般数据（3级）']],
    });
    const before = await counts();
    const res = await post(steward, file, XLSX);
    const en = await steward.request('POST', '/api/catalog/import', file, { 'content-type': XLSX, 'accept-language': 'en' });
    expect(res.statusCode).toBe(422);
    expect(await counts()).toEqual(before);
    const codes = (res.json().details.errors as Issue[]).map((e) => [e.sheet, e.row, e.code]);
    expect(codes).toEqual([
      ['系统', 2, 'INVALID_MLPS_LEVEL'],
      ['系统', 2, 'INVALID_BOOLEAN'],
      ['数据资源', 2, 'SHARE_BASIS_REQUIRED'],
      ['数据资源', 3, 'UNKNOWN_SYSTEM'],
      ['数据资源', 4, 'PI_DECLARATION_INCOMPLETE'],
      ['数据资源', 4, 'PI_DECLARATION_INCOMPLETE'],
      ['数据项', 2, 'INVALID_DATA_TYPE'],
      ['数据项', 2, 'RESOURCE_LEVEL_REQUIRED'],
    ]);
    expect(res.json().message).toMatch(/^导入文件有 8 处错误，未写入任何数据/);
    expect(en.json().message).toMatch(/^The import file has 8 errors; nothing was written/);
    expect((en.json().details.errors as Issue[])[0]?.message).toContain('MLPS');
  });

  it('refuses a resource level below one of its fields (CLS-4) and levels from someone who may not propose them', async () => {
    const below = await workbook({
      数据资源: [RESOURCES_HEAD, resourceRow('人口信息管理系统', '定级资源', { 等级: '一般数据（2级）' })],
      数据项: [FIELDS_HEAD, ['人口信息管理系统', '定级资源', '字段', '字符型', null, '核心数据']],
    });
    const { errors } = await refused(steward, below, XLSX);
    expect(errors).toEqual([expect.objectContaining({ code: 'LEVEL_BELOW_FIELD', sheet: '数据资源', row: 2, column: '等级' })]);

    const graded = await workbook({ 数据资源: [RESOURCES_HEAD, resourceRow('人口信息管理系统', '定级资源', { 等级: '重要数据' })] });
    const admin = await refused(psbAdmin, graded, XLSX);
    expect(admin.errors).toEqual([expect.objectContaining({ code: 'GRADING_NOT_PERMITTED', row: 2, column: '等级' })]);
  });

  it('refuses an old .xls, a damaged .xlsx, an empty file and a CSV without its kind column', async () => {
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    expect((await refused(steward, xls, 'application/vnd.ms-excel')).errors[0]?.code).toBe('XLS_NOT_SUPPORTED');
    const good = await workbook({ 系统: [SYSTEMS_HEAD] });
    expect((await refused(steward, good.subarray(0, good.length - 30), XLSX)).errors[0]?.code).toBe('FILE_UNREADABLE');
    expect((await refused(steward, Buffer.alloc(0), 'text/csv')).errors[0]?.code).toBe('EMPTY_FILE');
    const noKind = Buffer.from('\ufeff系统名称,说明\r\n甲系统,说明\r\n', 'utf8');
    expect((await refused(steward, noKind, 'text/csv')).errors[0]).toMatchObject({ code: 'MISSING_KIND_COLUMN', row: 1, column: '类型' });
  });

  it('refuses a body over 10 MB with 413 IMPORT_TOO_LARGE', async () => {
    const before = await counts();
    const res = await post(steward, Buffer.alloc(10 * 1024 * 1024 + 1, 0x41), 'text/csv');
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'IMPORT_TOO_LARGE', details: { limitBytes: 10 * 1024 * 1024 } });
    expect(await counts()).toEqual(before);
  });
});

describe('dry run', () => {
  it('validates and reports what would be written, writing nothing', async () => {
    const file = await workbook({
      数据资源: [RESOURCES_HEAD, resourceRow('人口信息管理系统', '试运行资源')],
      数据项: [FIELDS_HEAD, [null, '试运行资源', '甲', '整数型', null, null]],
    });
    const before = await counts();
    const res = await post(steward, file, XLSX, '?dryRun=true');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ dryRun: true, created: { systems: 0, resources: 1, fields: 1, gradings: 0 } });
    expect(await counts()).toEqual(before);
    // …and finds the same errors as a real import.
    const bad = await workbook({ 数据资源: [RESOURCES_HEAD, resourceRow('人口信息管理系统', '户籍人口基本信息')] });
    expect((await refused(steward, bad, XLSX, '?dryRun=true')).errors[0]?.code).toBe('DUPLICATE_NAME');
  });
});

describe('who may import where', () => {
  it('a data user: 403; another institution: 404; without catalog.manage: 403', async () => {
    const file = await workbook({ 数据资源: [RESOURCES_HEAD, resourceRow('人口信息管理系统', '无权资源')] });
    const before = await counts();
    const user = await post(eduUser, file, XLSX);
    expect(user.statusCode).toBe(403);
    const other = await post(steward, file, XLSX, `?institutionId=${edu}`);
    expect(other.statusCode).toBe(404);
    expect(other.json().code).toBe('NOT_FOUND');
    const officer = await post(security, file, XLSX);
    expect(officer.statusCode).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('accepts spreadsheet and CSV bodies only on this route', async () => {
    const json = await steward.request('POST', '/api/catalog/import', JSON.stringify({ a: 1 }), { 'content-type': 'application/json' });
    expect(json.statusCode).toBe(415);
    expect(json.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const elsewhere = await steward.request('POST', '/api/institutions', 'a,b\r\n', { 'content-type': 'text/csv' });
    expect(elsewhere.statusCode).toBe(415);
  });
});

describe('export', () => {
  it('writes XLSX in the import layout, and CSV as UTF-8 with BOM and a kind column', async () => {
    const x = await steward.request('GET', `/api/catalog/export?format=xlsx&institutionId=${psb}`);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toBe(XLSX);
    expect(x.headers['content-disposition']).toMatch(
      /^attachment; filename="catalog-\d{4}-\d{2}-\d{2}\.xlsx"; filename\*=UTF-8''catalog-\d{4}-\d{2}-\d{2}\.xlsx$/,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['系统', '数据资源', '数据项', '填写说明']);
    const resources = wb.getWorksheet('数据资源');
    if (!resources) throw new Error('no 数据资源 sheet');
    expect((resources.getRow(1).values as Cell[]).slice(1, 6)).toEqual(['所属机构', '系统名称', '资源名称', '说明', '共享属性']);
    const names = (resources.getColumn(3).values as Cell[]).slice(2);
    expect(names).toEqual(expect.arrayContaining(['户籍人口基本信息', '流动人口居住登记', '出入境证件签发记录']));

    const c = await steward.request('GET', `/api/catalog/export?format=csv&institutionId=${psb}`);
    expect(c.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect([...c.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = c.rawPayload.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]?.startsWith('类型,所属机构,系统名称,资源名称,字段名称,数据类型,说明,共享属性')).toBe(true);
    expect(text).toContain('数据资源,示范市公安局,人口信息管理系统,流动人口居住登记,,,"居住登记信息\n（含历史记录）",不予共享');
  });

  it('shows a data user of another institution only the published catalog, and no system records', async () => {
    await h.t.db.updateTable('data_resources').set({ published: true }).where('name', '=', '出入境证件签发记录').execute();
    const res = await eduUser.request('GET', '/api/catalog/export?format=json');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.resources.map((r: { name: string }) => r.name)).toEqual(['出入境证件签发记录']);
    expect(body.resources[0].fields.map((f: { name: string }) => f.name)).toEqual(['证件号码', '签发日期']);
    expect(body.systems).toEqual([expect.objectContaining({ name: '出入境证件系统', detailed: false, mlpsLevel: null, cii: null, status: null })]);
  });

  it('round-trips: an XLSX export of one institution imports unchanged into another', async () => {
    // Stand-in for an approval (the grading workflow is tested elsewhere): a decided level and field label.
    const r = await h.t.db.selectFrom('data_resources').select('id').where('name', '=', '出入境证件签发记录').executeTakeFirstOrThrow();
    await h.t.db.updateTable('data_resources').set({ level: 'general-3', grading_status: 'approved' }).where('id', '=', r.id).execute();
    await h.t.db.updateTable('data_fields').set({ level: 'general-3' }).where('resource_id', '=', r.id).where('name', '=', '证件号码').execute();

    const exported = await steward.request('GET', `/api/catalog/export?format=xlsx&institutionId=${psb}`);
    const res = await post(eduSteward, exported.rawPayload, XLSX);
    expect(res.statusCode, res.body).toBe(200);
    const src = (await steward.request('GET', `/api/catalog/export?format=json&institutionId=${psb}`)).json();
    expect(res.json()).toMatchObject({ institutionId: edu, created: { systems: src.systems.length, resources: src.resources.length, gradings: 1 } });

    const copy = (await eduSteward.request('GET', `/api/catalog/export?format=json&institutionId=${edu}`)).json();
    const strip = (d: typeof src) =>
      d.resources.map((x: Record<string, unknown>) => {
        const { id, institutionId, institution, systemId, level, gradingStatus, published, fields, ...rest } = x;
        return { ...rest, fields: (fields as { level: string | null }[]).map(({ level: _l, ...f }) => f) };
      });
    expect(strip(copy)).toEqual(strip(src));
    // The copied level is a proposal awaiting edu's security officer, not a decision.
    const pending = await h.t.db
      .selectFrom('resource_gradings as g')
      .innerJoin('data_resources as d', 'd.id', 'g.resource_id')
      .select(['g.chosen_level', 'g.status', 'd.level', 'g.field_labels'])
      .where('g.institution_id', '=', edu)
      .executeTakeFirstOrThrow();
    expect(pending).toMatchObject({ chosen_level: 'general-3', status: 'pending', level: null });
    expect(pending.field_labels).toEqual([expect.objectContaining({ fieldName: '证件号码', level: 'general-3' })]);
  });
});
