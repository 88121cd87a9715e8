// The data resource catalog (AST-4, AST-11, LIF-1), catalog search, the PI inventory (AST-11, ORG-4) and the
// controls query (CLS-5): what the /api/resources and /api/pi-inventory routes do beyond "who may call them"
// (that is authz-matrix.test.ts). Refusals are checked to write nothing; changes to leave an audit event.
//
// Systems are written straight into the table (the registry's own workflow is tested with the systems
// routes); a published grading scheme with known controls is written the same way, so the controls
// expected below are exactly the ones in this file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/cli/system-actor.ts';
import { uuidv7 } from '../../src/db/ids.ts';
import { type Controls, DEFAULT_CONTROLS, defaultScheme, LEVEL_LIST, type Level, validateScheme } from '../../src/engines/grading/index.ts';
import { PI_OFFICER_THRESHOLDS } from '../../src/modules/catalog/catalog.constants.ts';
import type { ResourceCreate } from '../../src/modules/catalog/resources.schemas.ts';
import { strictestControls } from '../../src/modules/catalog/resources.service.ts';
import { loadActor } from '../../src/modules/org/actor.repo.ts';
import type { Actor } from '../../src/modules/org/actor.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';

let h: TestApp;
let operator: Actor; // the CLI operator: creates records where no demo account holds catalog.manage
const c = {} as Record<'cityAdmin' | 'psbAdmin' | 'psbSecurity' | 'psbSteward' | 'eduUser' | 'cacAuditor' | 'vendorPsb' | 'vendorHealth', Client>;
const id = {} as Record<'city' | 'psb' | 'edu' | 'health', string>;
const sys = {} as Record<'population' | 'traffic' | 'closed' | 'edu' | 'health', string>;

/**
 * The scheme's controls per level: the default ones with every log retention one month longer, so that an
 * answer taken from the built-in defaults instead of the published scheme shows.
 */
const CONTROLS = Object.fromEntries(
  Object.entries(DEFAULT_CONTROLS).map(([level, ctl]) => [level, { ...ctl, logRetentionMonths: ctl.logRetentionMonths + 1 }]),
) as Record<Level, Controls>;
let schemeVersion: number;

async function publishScheme() {
  const checked = validateScheme({ ...defaultScheme(), name: '资源目录测试用分类分级规则', controls: CONTROLS });
  if (!checked.ok) throw new Error(`test scheme invalid: ${JSON.stringify(checked.errors)}`);
  await h.t.db.updateTable('grading_schemes').set({ status: 'superseded' }).where('status', '=', 'published').execute();
  const max = await h.t.db
    .selectFrom('grading_schemes')
    .select((eb) => eb.fn.max('version').as('v'))
    .executeTakeFirstOrThrow();
  schemeVersion = Number(max.v ?? 0) + 1;
  await h.t.db
    .insertInto('grading_schemes')
    .values({
      id: uuidv7(),
      version: schemeVersion,
      status: 'published',
      name: checked.scheme.name,
      categories: JSON.stringify(checked.scheme.categories),
      levels: JSON.stringify(LEVEL_LIST),
      matrix: JSON.stringify(checked.scheme.matrix),
      controls: JSON.stringify(checked.scheme.controls),
      published_at: new Date(),
    })
    .execute();
}

async function makeSystem(institutionId: string, name: string, status = 'accepted') {
  const sid = uuidv7();
  await h.t.db
    .insertInto('systems')
    .values({ id: sid, institution_id: institutionId, name, status, trusted_terminals: '[]', storage_carriers: '[]' })
    .execute();
  return sid;
}

beforeAll(async () => {
  h = await createTestApp();
  id.city = await h.inst('示范市数据管理局');
  id.psb = await h.inst('示范市公安局');
  id.edu = await h.inst('示范市教育局');
  id.health = await h.inst('示范市卫生健康委员会');
  operator = systemActor(id.city);
  await publishScheme();
  sys.population = await makeSystem(id.psb, '人口信息管理系统');
  sys.traffic = await makeSystem(id.psb, '交通管理信息系统', 'draft');
  sys.closed = await makeSystem(id.psb, '旧户籍管理系统', 'closed');
  sys.edu = await makeSystem(id.edu, '学籍管理系统');
  sys.health = await makeSystem(id.health, '全民健康信息平台');
  c.cityAdmin = await h.login('city.admin');
  c.psbAdmin = await h.login('psb.admin');
  c.psbSecurity = await h.login('psb.security');
  c.psbSteward = await h.login('psb.steward');
  c.eduUser = await h.login('edu.user');
  c.cacAuditor = await h.login('cac.auditor');
  c.vendorPsb = await h.login('vendor.ops1');
  c.vendorHealth = await h.login('vendor.ops2');
});
afterAll(() => h?.close());

async function auditSeq(): Promise<number> {
  const r = await h.t.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.max('seq').as('m'))
    .executeTakeFirstOrThrow();
  return Number(r.m ?? 0);
}
async function audits(action: string, since: number) {
  return h.t.db.selectFrom('audit_events').selectAll().where('action', '=', action).where('seq', '>', since).orderBy('seq', 'desc').execute();
}
/** A fingerprint of the catalog tables, to show a refused request wrote nothing. */
async function catalogState(): Promise<string> {
  const resources = await h.t.db.selectFrom('data_resources').selectAll().orderBy('id').execute();
  const fields = await h.t.db.selectFrom('data_fields').selectAll().orderBy('id').execute();
  return JSON.stringify([resources, fields]);
}

const population = (over: Partial<ResourceCreate> = {}): ResourceCreate => ({
  systemId: sys.population,
  name: '常住人口基本信息',
  description: '全市常住人口的户籍与居住登记信息',
  fields: [
    { name: '姓名', dataType: 'string' },
    { name: '公民身份号码', dataType: 'string', description: '18位居民身份证号码' },
    { name: '户籍地址', dataType: 'string', description: '户籍登记地址' },
    { name: '出生日期', dataType: 'date' },
  ],
  shareAttribute: 'conditional',
  shareBasis: '《示范市公共数据管理办法》第十八条',
  openAttribute: 'not_open',
  openBasis: '涉及个人信息',
  updateFrequency: 'daily',
  recordCount: 8_800_000,
  retentionMonths: 360,
  collection: {
    purpose: '户籍管理与人口服务',
    legalBasis: '《中华人民共和国户口登记条例》',
    method: '户籍窗口登记、政务服务网申报',
    frequency: '随业务办理实时采集',
    scope: '本市户籍及居住登记人口',
  },
  pi: { records: 8_800_000, people: 8_600_000, sensitive: false },
  ...over,
});

async function create(client: Client, body: unknown) {
  return client.request('POST', '/api/resources', body);
}
async function created(client: Client, body: unknown) {
  const res = await create(client, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('registering resources (AST-4, LIF-1, AST-11)', () => {
  it('a data steward registers a resource with fields, attributes, collection record and PI declaration; audited', async () => {
    const since = await auditSeq();
    const r = await created(c.psbSteward, population());
    expect(r).toMatchObject({
      institutionId: id.psb,
      institutionName: '示范市公安局',
      systemId: sys.population,
      systemName: '人口信息管理系统',
      name: '常住人口基本信息',
      shareAttribute: 'conditional',
      shareBasis: '《示范市公共数据管理办法》第十八条',
      openAttribute: 'not_open',
      openBasis: '涉及个人信息',
      updateFrequency: 'daily',
      recordCount: 8_800_000,
      retentionMonths: 360,
      collectionComplete: true,
      collectionMissing: [],
      pi: { records: 8_800_000, people: 8_600_000, sensitive: false, source: 'declared' },
      published: false,
      categories: [],
      level: null,
      gradingStatus: 'ungraded',
      latestGrading: null,
      editable: true,
      version: 1,
    });
    expect(
      r.fields.map((f: { position: number; name: string; dataType: string; description: string | null }) => [f.position, f.name, f.dataType, f.description]),
    ).toEqual([
      [1, '姓名', 'string', null],
      [2, '公民身份号码', 'string', '18位居民身份证号码'],
      [3, '户籍地址', 'string', '户籍登记地址'],
      [4, '出生日期', 'date', null],
    ]);
    for (const f of r.fields) expect(f).toMatchObject({ category: null, level: null, piType: null, piSensitive: false });
    expect(r.piInventory).toEqual({ holdsPi: true, declared: true, records: 8_800_000, people: 8_600_000, sensitive: false, source: 'declared', piFields: [] });

    const row = await h.t.db.selectFrom('data_resources').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ institution_id: id.psb, pi_source: 'declared', pi_people: 8_600_000, created_by: c.psbSteward.userId });
    const [ev] = await audits('catalog.resource.create', since);
    expect(ev).toMatchObject({
      actor_username: 'psb.steward',
      outcome: 'success',
      target_type: 'data_resource',
      target_id: r.id,
      target_institution_id: id.psb,
    });
    expect(ev?.details).toEqual({
      name: '常住人口基本信息',
      systemId: sys.population,
      shareAttribute: 'conditional',
      openAttribute: 'not_open',
      published: false,
      fieldCount: 4,
      collectionComplete: true,
      piDeclared: true,
    });
  });

  it('LIF-1: a collection record is complete only with all five parts; blank parts count as missing', async () => {
    const r = await created(c.psbSteward, {
      systemId: sys.population,
      name: '流动人口登记信息',
      fields: [{ name: '姓名', dataType: 'string' }],
      shareAttribute: 'unconditional',
      openAttribute: 'not_open',
      collection: { purpose: '流动人口服务管理', legalBasis: '   ', method: '社区采集' },
    });
    expect(r.collectionComplete).toBe(false);
    expect(r.collectionMissing).toEqual(['legalBasis', 'frequency', 'scope']);
    expect(r.collection).toEqual({ purpose: '流动人口服务管理', method: '社区采集' });
    expect(r.pi).toBeNull();
    expect(r.piInventory).toMatchObject({ holdsPi: false, declared: false, records: null, people: null });

    const done = await c.psbSteward.request('PATCH', `/api/resources/${r.id}`, {
      version: r.version,
      collection: { purpose: '流动人口服务管理', legalBasis: '《居住证暂行条例》', method: '社区采集', frequency: '每月', scope: '本市居住半年以上人员' },
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ collectionComplete: true, collectionMissing: [], version: 2 });
  });

  it('AST-4: conditional or no sharing needs its legal basis (400 SHARE_BASIS_REQUIRED naming shareBasis); nothing is written', async () => {
    const before = await catalogState();
    for (const [shareAttribute, shareBasis] of [
      ['conditional', undefined],
      ['not_shared', null],
      ['not_shared', '   '],
    ] as const) {
      const res = await create(c.psbSteward, population({ name: `无依据资源-${shareAttribute}`, shareAttribute, shareBasis }));
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ code: 'SHARE_BASIS_REQUIRED', details: { field: 'shareBasis', shareAttribute } });
      expect(res.json().message).toMatch(/共享依据/);
    }
    const en = await c.psbSteward.request('POST', '/api/resources', population({ name: '无依据资源', shareBasis: '' }), { 'accept-language': 'en' });
    expect(en.json().message).toMatch(/legal basis/);
    expect(await catalogState()).toBe(before);

    // Unconditional sharing needs none.
    const free = await created(c.psbSteward, population({ name: '派出所办公地址', shareAttribute: 'unconditional', shareBasis: undefined, pi: null }));
    expect(free.shareBasis).toBeNull();

    // PATCH: the rule holds on the result. Switching to not_shared without a basis is refused ...
    const refused = await c.psbSteward.request('PATCH', `/api/resources/${free.id}`, { version: free.version, shareAttribute: 'not_shared' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('SHARE_BASIS_REQUIRED');
    // ... with one it is fine, and later switching between conditional and not_shared keeps the stored basis ...
    const withBasis = await c.psbSteward.request('PATCH', `/api/resources/${free.id}`, {
      version: free.version,
      shareAttribute: 'not_shared',
      shareBasis: '涉及警务工作秘密',
    });
    expect(withBasis.statusCode, withBasis.body).toBe(200);
    const cond = await c.psbSteward.request('PATCH', `/api/resources/${free.id}`, { version: withBasis.json().version, shareAttribute: 'conditional' });
    expect(cond.statusCode, cond.body).toBe(200);
    expect(cond.json()).toMatchObject({ shareAttribute: 'conditional', shareBasis: '涉及警务工作秘密' });
    // ... but clearing the basis while it is needed is refused.
    const cleared = await c.psbSteward.request('PATCH', `/api/resources/${free.id}`, { version: cond.json().version, shareBasis: null });
    expect(cleared.statusCode).toBe(400);
    expect(cleared.json().code).toBe('SHARE_BASIS_REQUIRED');
    expect((await h.t.db.selectFrom('data_resources').select(['share_basis', 'version']).where('id', '=', free.id).executeTakeFirstOrThrow()).share_basis).toBe(
      '涉及警务工作秘密',
    );
  });

  it('bad input is a 4xx naming the field, and writes nothing', async () => {
    const before = await catalogState();
    const cases: [unknown, number, string, string | undefined][] = [
      [
        population({
          name: '字段重名',
          fields: [
            { name: '姓名', dataType: 'string' },
            { name: ' 姓名 ', dataType: 'string' },
          ],
        }),
        400,
        'DUPLICATE_FIELD_NAME',
        'fields.1.name',
      ],
      [population({ name: '空字段名', fields: [{ name: '  ', dataType: 'string' }] }), 400, 'VALIDATION_FAILED', 'fields.0.name'],
      [population({ name: '   ' }), 400, 'VALIDATION_FAILED', 'name'],
      [population({ name: '类型错误', fields: [{ name: '姓名', dataType: 'varchar' as never }] }), 400, 'VALIDATION_FAILED', 'fields.0.dataType'],
      [population({ name: '负数', recordCount: -1 }), 400, 'VALIDATION_FAILED', 'recordCount'],
      [population({ name: '保存期限', retentionMonths: 0 }), 400, 'VALIDATION_FAILED', 'retentionMonths'],
      [population({ name: '人数', pi: { records: 1, people: -5, sensitive: false } }), 400, 'VALIDATION_FAILED', 'pi.people'],
      // AST-11: the declaration ORG-4 is computed from must hang together.
      [population({ name: '有人无记录', pi: { records: 0, people: 5, sensitive: false } }), 400, 'INVALID_PI_DECLARATION', 'pi.records'],
      [population({ name: '有记录无人', pi: { records: 5, people: 0, sensitive: false } }), 400, 'INVALID_PI_DECLARATION', 'pi.people'],
      [population({ name: '无人敏感', pi: { records: 0, people: 0, sensitive: true } }), 400, 'INVALID_PI_DECLARATION', 'pi.sensitive'],
      [population({ name: '超过总数', recordCount: 100, pi: { records: 101, people: 50, sensitive: false } }), 400, 'INVALID_PI_DECLARATION', 'pi.records'],
      [{ ...population({ name: '多余字段' }), institutionId: id.psb }, 400, 'VALIDATION_FAILED', 'institutionId'],
      [population({ name: '共享属性', shareAttribute: '有条件共享' as never }), 400, 'VALIDATION_FAILED', 'shareAttribute'],
      [population({ name: '采集记录', collection: { purpose: 'x', channel: 'y' } as never }), 400, 'VALIDATION_FAILED', 'collection.channel'],
      [population({ name: '长名称'.repeat(100) }), 400, 'VALIDATION_FAILED', 'name'],
      // Same name in the same system: 409; the system must exist, be the caller's and not be closed.
      [population(), 409, 'DUPLICATE_NAME', 'name'],
      [population({ name: '无此系统', systemId: uuidv7() }), 404, 'NOT_FOUND', undefined],
      [population({ name: '他单位系统', systemId: sys.edu }), 404, 'NOT_FOUND', undefined],
      [population({ name: '已注销系统', systemId: sys.closed }), 422, 'SYSTEM_CLOSED', 'systemId'],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await create(c.psbSteward, body);
      expect(res.statusCode, `${code}: ${res.body}`).toBe(status);
      expect(res.json().code).toBe(code);
      if (field) expect(res.json().details?.field).toBe(field);
    }
    expect(await catalogState()).toBe(before);

    // The same name in another system of the institution is another resource; a draft system takes resources.
    const other = await created(c.psbSteward, population({ systemId: sys.traffic, pi: null }));
    expect(other.systemName).toBe('交通管理信息系统');
  });

  it('who may register and edit: catalog.manage at the system institution (403 in reach without it, 404 out of reach)', async () => {
    const before = await catalogState();
    const bySecurity = await create(c.psbSecurity, population({ name: '安全管理员登记' }));
    expect(bySecurity.statusCode).toBe(403);
    expect(bySecurity.json().code).toBe('FORBIDDEN');
    const byVendor = await create(c.vendorPsb, population({ name: '外包人员登记' }));
    expect(byVendor.statusCode).toBe(403);
    const byEduUser = await create(c.eduUser, population({ name: '他单位登记' }));
    expect(byEduUser.statusCode).toBe(404);
    expect(byEduUser.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect(byEduUser.body).not.toContain('人口信息管理系统');
    expect(await catalogState()).toBe(before);

    // The institution admin holds catalog.manage too.
    const byAdmin = await created(c.psbAdmin, population({ name: '暂住证信息', pi: null }));
    expect(byAdmin.editable).toBe(true);

    // Editing: the security officer reads (editable false) but may not change; another institution's
    // staff do not even learn the unpublished resource exists.
    const read = await c.psbSecurity.request('GET', `/api/resources/${byAdmin.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().editable).toBe(false);
    const patchSec = await c.psbSecurity.request('PATCH', `/api/resources/${byAdmin.id}`, { version: 1, description: '改' });
    expect(patchSec.statusCode).toBe(403);
    const patchEdu = await c.eduUser.request('PATCH', `/api/resources/${byAdmin.id}`, { version: 1, description: '改' });
    expect(patchEdu.statusCode).toBe(404);
    const getEdu = await c.eduUser.request('GET', `/api/resources/${byAdmin.id}`);
    expect(getEdu.statusCode).toBe(404);
    expect(getEdu.body).not.toContain('暂住证');
    // Published, the resource is known to everyone with catalog.read: editing it is then 403, not a 404 that contradicts the catalog.
    const pub = await c.psbSteward.request('PATCH', `/api/resources/${byAdmin.id}`, { version: 1, published: true });
    expect(pub.statusCode, pub.body).toBe(200);
    const patchEdu2 = await c.eduUser.request('PATCH', `/api/resources/${byAdmin.id}`, { version: 2, description: '改' });
    expect(patchEdu2.statusCode).toBe(403);
    const missing = await c.psbSteward.request('PATCH', `/api/resources/${uuidv7()}`, { version: 1, description: '改' });
    expect(missing.statusCode).toBe(404);
    expect((await h.t.db.selectFrom('data_resources').select(['description', 'version']).where('id', '=', byAdmin.id).executeTakeFirstOrThrow()).version).toBe(
      2,
    );
  });
  it('an API token scoped to catalog.manage alone registers through the API and gets its resource back', async () => {
    const issued = await c.psbSteward.request('POST', '/api/me/tokens', { name: '目录同步', scopes: ['catalog.manage'], expiresInDays: 30 });
    expect(issued.statusCode, issued.body).toBe(201);
    const bearer = { authorization: `Bearer ${issued.json().token}` };
    const res = await h.app.inject({ method: 'POST', url: '/api/resources', payload: population({ name: '同步登记的资源', pi: null }), headers: bearer });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ name: '同步登记的资源', editable: true, version: 1 });
    const patched = await h.app.inject({
      method: 'PATCH',
      url: `/api/resources/${res.json().id}`,
      payload: { version: 1, description: '接口同步' },
      headers: bearer,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    // Reading is catalog.read, which the token was not given.
    const read = await h.app.inject({ method: 'GET', url: `/api/resources/${res.json().id}`, headers: bearer });
    expect(read.statusCode).toBe(403);
  });
});

describe('editing resources', () => {
  it('PATCH needs the version the editor saw: a stale one is 409 VERSION_CONFLICT and changes nothing', async () => {
    const r = await created(c.psbSteward, population({ name: '户籍迁移记录', pi: null }));
    const first = await c.psbSteward.request('PATCH', `/api/resources/${r.id}`, { version: 1, description: '迁入迁出登记' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().version).toBe(2);
    const before = await catalogState();
    const stale = await c.psbSteward.request('PATCH', `/api/resources/${r.id}`, { version: 1, description: '覆盖他人的修改' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: 2 } });
    const noVersion = await c.psbSteward.request('PATCH', `/api/resources/${r.id}`, { description: '无版本号' });
    expect(noVersion.statusCode).toBe(400);
    expect(noVersion.json().details.field).toBe('version');
    expect(await catalogState()).toBe(before);
  });

  it('replacing fields keeps the CLS-3 labels of fields whose name stays; new fields start unlabelled; audited', async () => {
    const r = await created(c.psbSteward, population({ name: '重点人员信息', pi: null }));
    const byName = new Map<string, string>(r.fields.map((f: { name: string; id: string }) => [f.name, f.id]));
    const fid = (name: string) => byName.get(name) as string;
    // Labels as an approved grading leaves them (the grading workflow writes these columns).
    await h.t.db
      .updateTable('data_fields')
      .set({ category: 'population.identity', level: 'general-4', pi_type: 'id_number', pi_sensitive: true })
      .where('id', '=', fid('公民身份号码'))
      .execute();
    await h.t.db.updateTable('data_fields').set({ category: 'population.basic', level: 'general-3', pi_type: 'name' }).where('id', '=', fid('姓名')).execute();

    const since = await auditSeq();
    const res = await c.psbSteward.request('PATCH', `/api/resources/${r.id}`, {
      version: r.version,
      fields: [
        { name: '公民身份号码', dataType: 'string', description: '身份证号码（18位）' },
        { name: '  姓名 ', dataType: 'text' },
        { name: '管控类别', dataType: 'string' },
        { name: '出生日期', dataType: 'date' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const fields = res.json().fields;
    expect(fields.map((f: { name: string }) => f.name)).toEqual(['公民身份号码', '姓名', '管控类别', '出生日期']);
    expect(fields[0]).toEqual({
      id: fid('公民身份号码'),
      position: 1,
      name: '公民身份号码',
      dataType: 'string',
      description: '身份证号码（18位）',
      category: 'population.identity',
      level: 'general-4',
      piType: 'id_number',
      piSensitive: true,
    });
    expect(fields[1]).toMatchObject({ id: fid('姓名'), position: 2, dataType: 'text', category: 'population.basic', level: 'general-3', piType: 'name' });
    expect(fields[2]).toMatchObject({ position: 3, category: null, level: null, piType: null, piSensitive: false });
    expect([...byName.values()]).not.toContain(fields[2].id);
    expect(fields[3]).toMatchObject({ id: fid('出生日期'), position: 4 });
    expect(await h.t.db.selectFrom('data_fields').select('id').where('id', '=', fid('户籍地址')).executeTakeFirst()).toBeUndefined();
    // The labelled fields make the resource hold (sensitive) PI in its inventory entry, even without a declaration.
    expect(res.json().piInventory).toMatchObject({
      holdsPi: true,
      declared: false,
      sensitive: true,
      piFields: [
        { id: fid('公民身份号码'), name: '公民身份号码', piType: 'id_number', piSensitive: true },
        { id: fid('姓名'), name: '姓名', piType: 'name', piSensitive: false },
      ],
    });

    const [ev] = await audits('catalog.resource.update', since);
    expect(ev).toMatchObject({ actor_username: 'psb.steward', target_id: r.id, target_institution_id: id.psb });
    expect(ev?.details).toEqual({
      name: '重点人员信息',
      changed: ['fields'],
      version: 2,
      fields: { added: ['管控类别'], removed: ['户籍地址'], changed: ['公民身份号码', '姓名'], counts: { added: 1, removed: 1, changed: 2 }, reordered: true },
    });
  });

  it('PATCH changes only what it names, moves a resource between its institution systems, and audits the changed keys', async () => {
    const r = await created(c.psbSteward, population({ name: '机动车驾驶人信息', systemId: sys.traffic, pi: null, published: false }));
    const since = await auditSeq();
    const res = await c.psbSteward.request('PATCH', `/api/resources/${r.id}`, {
      version: 1,
      systemId: sys.population,
      openAttribute: 'conditional',
      updateFrequency: null,
      retentionMonths: 120,
      pi: { records: 2_000_000, people: 1_900_000, sensitive: false },
      published: true,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      systemId: sys.population,
      openAttribute: 'conditional',
      openBasis: '涉及个人信息',
      shareAttribute: 'conditional',
      updateFrequency: null,
      retentionMonths: 120,
      recordCount: 8_800_000,
      pi: { records: 2_000_000, people: 1_900_000, sensitive: false, source: 'declared' },
      published: true,
      version: 2,
    });
    const [ev] = await audits('catalog.resource.update', since);
    expect(ev?.details).toEqual({
      name: '机动车驾驶人信息',
      changed: ['systemId', 'openAttribute', 'updateFrequency', 'retentionMonths', 'pi.records', 'pi.people', 'pi.source', 'published'],
      version: 2,
      published: true,
    });

    // Not to a closed system, not to another institution's system, not onto a name taken there.
    for (const [systemId, status, code] of [
      [sys.closed, 422, 'SYSTEM_CLOSED'],
      [sys.edu, 404, 'NOT_FOUND'],
      [sys.traffic, 409, 'DUPLICATE_NAME'],
    ] as const) {
      if (code === 'DUPLICATE_NAME') await created(c.psbSteward, population({ name: '机动车驾驶人信息', systemId: sys.traffic, pi: null }));
      const moved = await c.psbSteward.request('PATCH', `/api/resources/${r.id}`, { version: 2, systemId });
      expect(moved.statusCode, moved.body).toBe(status);
      expect(moved.json().code).toBe(code);
    }
    // The record count cannot drop below the records the PI declaration says hold PI.
    const below = await c.psbSteward.request('PATCH', `/api/resources/${r.id}`, { version: 2, recordCount: 1_999_999 });
    expect(below.statusCode).toBe(400);
    expect(below.json()).toMatchObject({ code: 'INVALID_PI_DECLARATION', details: { field: 'pi.records' } });
    // Removing the PI declaration clears its counts and source.
    const cleared = await c.psbSteward.request('PATCH', `/api/resources/${r.id}`, { version: 2, pi: null });
    expect(cleared.json()).toMatchObject({ pi: null, piInventory: { holdsPi: false, declared: false } });
  });
});

describe('catalog search and visibility across institutions', () => {
  const eduIds = {} as Record<'roster' | 'schools' | 'teachers', string>;
  const psbIds = {} as Record<'vehicles' | 'stations', string>;

  beforeAll(async () => {
    // The education bureau's catalog: one unpublished resource, two published ones.
    const res = h.services.resources;
    eduIds.roster = (
      await res.create(operator, {
        systemId: sys.edu,
        name: '学生学籍信息',
        description: '全市中小学生学籍',
        fields: [
          { name: '学生姓名', dataType: 'string' },
          { name: '身份证件号', dataType: 'string', description: '学生居民身份证号码' },
        ],
        shareAttribute: 'conditional',
        shareBasis: '《中小学生学籍管理办法》',
        openAttribute: 'not_open',
        pi: { records: 300_000, people: 100_000, sensitive: true },
      })
    ).id;
    eduIds.schools = (
      await res.create(operator, {
        systemId: sys.edu,
        name: '学校名录',
        description: '全市学校名称与地址',
        fields: [
          { name: '学校名称', dataType: 'string' },
          { name: '办学地址', dataType: 'string' },
        ],
        shareAttribute: 'unconditional',
        openAttribute: 'open',
        published: true,
      })
    ).id;
    eduIds.teachers = (
      await res.create(operator, {
        systemId: sys.edu,
        name: '教师资格认定信息',
        fields: [{ name: '教师姓名', dataType: 'string' }],
        shareAttribute: 'conditional',
        shareBasis: '《教师资格条例》',
        openAttribute: 'conditional',
        published: true,
        pi: { records: 60_000, people: 50_000, sensitive: false },
      })
    ).id;
    psbIds.vehicles = (
      await created(c.psbSteward, {
        systemId: sys.traffic,
        name: '非机动车登记信息 100%_真实',
        fields: [
          { name: '车牌号', dataType: 'string', description: '电动自行车号牌' },
          { name: '车主身份号码', dataType: 'string' },
        ],
        shareAttribute: 'unconditional',
        openAttribute: 'not_open',
        updateFrequency: 'realtime',
        published: true,
      })
    ).id;
    psbIds.stations = (
      await created(c.psbSteward, {
        systemId: sys.traffic,
        name: '交警执勤点位',
        description: '全市交警执勤岗位分布',
        fields: [
          { name: '点位名称', dataType: 'string' },
          { name: '坐标', dataType: 'geometry', description: 'GPS 坐标（WGS-84）' },
        ],
        shareAttribute: 'unconditional',
        openAttribute: 'open',
      })
    ).id;
  });

  async function search(client: Client, query: string) {
    const res = await client.request('GET', `/api/resources?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: { id: string; name: string; matchedFields: string[] }[]; total: number; page: number; pageSize: number };
  }
  const idsOf = (page: { items: { id: string }[] }) => page.items.map((i) => i.id);

  it('never shows another institution its unpublished resources: not by id, not in a search, not in a count', async () => {
    // 身份 matches the unpublished roster only through a field; 学 matches all three education resources by name.
    for (const query of [
      `q=${encodeURIComponent('身份')}`,
      `q=${encodeURIComponent('学')}`,
      `institutionId=${id.edu}`,
      `systemId=${sys.edu}`,
      'pageSize=200',
      'published=false&pageSize=200',
    ]) {
      const page = await search(c.psbSteward, query);
      expect(idsOf(page), query).not.toContain(eduIds.roster);
    }
    const byEdu = await search(c.psbSteward, `institutionId=${id.edu}`);
    expect(idsOf(byEdu).sort()).toEqual([eduIds.schools, eduIds.teachers].sort());
    expect(byEdu.total).toBe(2);
    expect((await search(c.psbSteward, `q=${encodeURIComponent('学籍')}`)).total).toBe(0);
    const direct = await c.psbSteward.request('GET', `/api/resources/${eduIds.roster}`);
    expect(direct.statusCode).toBe(404);
    expect(direct.body).not.toContain('学籍');
    expect((await c.psbSteward.request('GET', `/api/resources/${eduIds.roster}/controls`)).statusCode).toBe(404);

    // Published ones are the shared catalog: readable, not editable.
    const shared = await c.psbSteward.request('GET', `/api/resources/${eduIds.schools}`);
    expect(shared.statusCode).toBe(200);
    expect(shared.json()).toMatchObject({ name: '学校名录', institutionName: '示范市教育局', editable: false });

    // The other way round: the education bureau's data user sees the police's published resource only.
    const fromEdu = await search(c.eduUser, `institutionId=${id.psb}&pageSize=200`);
    const publishedPsb = await h.t.db.selectFrom('data_resources').select('id').where('institution_id', '=', id.psb).where('published', '=', true).execute();
    expect(idsOf(fromEdu).sort()).toEqual(publishedPsb.map((r) => r.id).sort());
    expect(idsOf(fromEdu)).toContain(psbIds.vehicles);
    expect(idsOf(fromEdu)).not.toContain(psbIds.stations);
    expect((await c.eduUser.request('GET', `/api/resources/${psbIds.stations}`)).statusCode).toBe(404);
    // ... and its own institution's unpublished one.
    expect(idsOf(await search(c.eduUser, `institutionId=${id.edu}`))).toContain(eduIds.roster);
  });

  it('reach decides the rest: a regulator reads what its grant covers, the city authority its whole tree', async () => {
    const cac = await search(c.cacAuditor, 'pageSize=200');
    expect(idsOf(cac)).toContain(psbIds.stations); // psb: granted
    expect(idsOf(cac)).not.toContain(eduIds.roster); // edu: not granted, unpublished
    expect(idsOf(cac)).toContain(eduIds.schools); // edu: published
    const city = await search(c.cityAdmin, 'pageSize=200');
    expect(idsOf(city)).toEqual(expect.arrayContaining([psbIds.stations, eduIds.roster, eduIds.schools]));
    const vendor = await search(c.vendorPsb, 'pageSize=200');
    expect(idsOf(vendor)).toContain(psbIds.stations);
    expect(idsOf(vendor)).not.toContain(eduIds.roster);
  });

  it('q matches names and descriptions of resources and of their fields, Chinese substrings included; wildcards are literal', async () => {
    const own = (page: { items: { id: string; name: string; matchedFields: string[] }[] }) => page.items;
    // Resource description.
    expect(own(await search(c.psbSteward, `q=${encodeURIComponent('岗位分布')}`)).map((i) => i.id)).toEqual([psbIds.stations]);
    // Field name: the matching fields are listed.
    const plate = own(await search(c.psbSteward, `q=${encodeURIComponent('车牌')}`));
    expect(plate.map((i) => [i.id, i.matchedFields])).toEqual([[psbIds.vehicles, ['车牌号']]]);
    // Field description.
    expect(own(await search(c.psbSteward, `q=${encodeURIComponent('电动自行车')}`)).map((i) => i.matchedFields)).toEqual([['车牌号']]);
    // Case-insensitive on Latin text.
    expect(own(await search(c.psbSteward, 'q=gps')).map((i) => [i.id, i.matchedFields])).toEqual([[psbIds.stations, ['坐标']]]);
    // % and _ are literal characters, not wildcards.
    expect(own(await search(c.psbSteward, `q=${encodeURIComponent('100%_')}`)).map((i) => i.id)).toEqual([psbIds.vehicles]);
    expect((await search(c.psbSteward, `q=${encodeURIComponent('%')}`)).total).toBe(1);
    expect((await search(c.psbSteward, `q=${encodeURIComponent('_')}`)).total).toBe(1);
    expect((await search(c.psbSteward, `q=${encodeURIComponent('0%')}`)).total).toBe(1);
    expect((await search(c.psbSteward, `q=${encodeURIComponent('\\')}`)).total).toBe(0);
    // Resource name, Chinese, several hits: sorted by name; matchedFields lists only matching fields.
    const identity = own(await search(c.psbSteward, `q=${encodeURIComponent('身份')}`));
    expect(identity.map((i) => i.name)).toEqual([...identity.map((i) => i.name)].sort());
    expect(identity.find((i) => i.id === psbIds.vehicles)?.matchedFields).toEqual(['车主身份号码']);
    expect(identity.length).toBeGreaterThanOrEqual(4);
    // Blank q is no filter.
    expect((await search(c.psbSteward, 'q=%20%20')).total).toBe((await search(c.psbSteward, '')).total);
  });

  it('filters and pagination', async () => {
    const all = await search(c.cityAdmin, 'pageSize=200');
    // The city authority reaches every institution here, so it sees the whole catalog: the oracle below.
    expect(all.total).toBe((await h.t.db.selectFrom('data_resources').select('id').execute()).length);
    const check = async (query: string, pred: (r: Record<string, unknown>) => boolean) => {
      const page = await search(c.cityAdmin, `${query}&pageSize=200`);
      expect(page.items.length, query).toBeGreaterThan(0);
      expect(
        page.items.every((i) => pred(i as unknown as Record<string, unknown>)),
        query,
      ).toBe(true);
      expect(page.total).toBe(all.items.filter((i) => pred(i as unknown as Record<string, unknown>)).length);
      return page;
    };
    await check(`institutionId=${id.edu}`, (r) => r.institutionId === id.edu);
    await check(`systemId=${sys.traffic}`, (r) => r.systemId === sys.traffic);
    await check('shareAttribute=unconditional', (r) => r.shareAttribute === 'unconditional');
    await check('shareAttribute=conditional', (r) => r.shareAttribute === 'conditional');
    await check('openAttribute=open', (r) => r.openAttribute === 'open');
    await check('published=true', (r) => r.published === true);
    await check('published=false', (r) => r.published === false);
    await check('pi=true', (r) => r.holdsPi === true);
    await check('pi=false', (r) => r.holdsPi === false);
    await check('gradingStatus=ungraded', (r) => r.gradingStatus === 'ungraded');
    await check('collectionComplete=true', (r) => r.collectionComplete === true);
    await check('collectionComplete=false', (r) => r.collectionComplete === false);
    // pi=true also finds a resource whose only PI evidence is a field label (重点人员信息 above).
    expect((await search(c.cityAdmin, `pi=true&q=${encodeURIComponent('重点人员')}`)).total).toBe(1);

    await h.t.db.updateTable('data_resources').set({ level: 'important', grading_status: 'approved' }).where('id', '=', psbIds.vehicles).execute();
    const graded = await search(c.cityAdmin, 'level=important');
    expect(idsOf(graded)).toEqual([psbIds.vehicles]);
    expect(idsOf(await search(c.cityAdmin, 'gradingStatus=approved'))).toEqual([psbIds.vehicles]);
    expect((await search(c.cityAdmin, 'level=general-1')).total).toBe(0);

    // Pages: disjoint, in name order, together the whole result.
    const pages = [];
    for (let p = 1; p <= Math.ceil(all.total / 3); p++) pages.push(await search(c.cityAdmin, `page=${p}&pageSize=3`));
    expect(pages.every((p) => p.total === all.total && p.pageSize === 3)).toBe(true);
    expect(pages.flatMap(idsOf)).toEqual(idsOf(all));
    expect(all.items.map((i) => i.name)).toEqual([...all.items.map((i) => i.name)].sort());
    const beyond = await search(c.cityAdmin, 'page=999');
    expect(beyond.items).toEqual([]);
    expect(beyond.total).toBe(all.total);

    for (const bad of ['level=secret', 'shareAttribute=有条件共享', 'pi=maybe', 'pageSize=201', 'institutionId=psb', `q=${'长'.repeat(101)}`, 'sort=name']) {
      const res = await c.cityAdmin.request('GET', `/api/resources?${encodeURI(bad)}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('controls for a resource (CLS-5)', () => {
  let graded: { id: string };
  let ungraded: { id: string };

  beforeAll(async () => {
    graded = await created(c.psbSteward, population({ name: '在逃人员信息', pi: null }));
    ungraded = await created(c.psbSteward, population({ name: '治安案件信息', pi: null }));
    // The level as an approved grading sets it.
    await h.t.db.updateTable('data_resources').set({ level: 'general-3', grading_status: 'approved' }).where('id', '=', graded.id).execute();
  });

  it('a graded resource gets the controls of its level, from the published scheme', async () => {
    const res = await c.psbSteward.request('GET', `/api/resources/${graded.id}/controls`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ resourceId: graded.id, level: 'general-3', basis: 'level', schemeVersion, controls: CONTROLS['general-3'] });
    const detail = (await c.psbSteward.request('GET', `/api/resources/${graded.id}`)).json();
    expect(detail).toMatchObject({ level: 'general-3', gradingStatus: 'approved' });
    expect(detail.controls).toEqual(res.json());
    // The service call later modules use answers the same.
    const actor = await actorFor(c.psbSteward);
    expect(await h.services.resources.controlsFor(actor, graded.id)).toEqual(res.json());
  });

  it('fail safe: an ungraded resource, or one with a level the scheme does not know, gets the strictest controls', async () => {
    const res = await c.psbSteward.request('GET', `/api/resources/${ungraded.id}/controls`);
    expect(res.statusCode, res.body).toBe(200);
    // A valid scheme never protects a higher level less, so the strictest controls are the top level's.
    expect(res.json()).toEqual({ resourceId: ungraded.id, level: null, basis: 'fail_safe', schemeVersion, controls: CONTROLS.core });
    expect((await c.psbSteward.request('GET', `/api/resources/${ungraded.id}`)).json().controls).toEqual(res.json());

    await h.t.db.updateTable('data_resources').set({ level: 'general-9', grading_status: 'approved' }).where('id', '=', ungraded.id).execute();
    const unknown = await c.psbSteward.request('GET', `/api/resources/${ungraded.id}/controls`);
    expect(unknown.json()).toMatchObject({ level: 'general-9', basis: 'fail_safe', controls: CONTROLS.core });
    await h.t.db.updateTable('data_resources').set({ level: null, grading_status: 'ungraded' }).where('id', '=', ungraded.id).execute();
  });

  it('the strictest controls are taken part by part, so even rows that break the scheme order never loosen them', () => {
    const low = CONTROLS['general-1'];
    const odd: Controls = { ...low, logRetentionMonths: 600, masking: { ...low.masking, devTest: 'suppress' } };
    expect(strictestControls([CONTROLS.core, odd, low])).toEqual({
      ...CONTROLS.core,
      logRetentionMonths: 600,
      masking: { ...CONTROLS.core.masking, devTest: 'forbidden' },
    });
    expect(strictestControls([low, { ...low, openAllowed: false, masking: { ...low.masking, openData: 'forbidden' } }])).toMatchObject({
      openAllowed: false,
      masking: { openData: 'forbidden' },
    });
  });

  it('a published resource controls are readable by other institutions (they share it); an unpublished one is 404 to them', async () => {
    expect((await c.eduUser.request('GET', `/api/resources/${graded.id}/controls`)).statusCode).toBe(404);
    await c.psbSteward.request('PATCH', `/api/resources/${graded.id}`, { version: 1, published: true });
    const res = await c.eduUser.request('GET', `/api/resources/${graded.id}/controls`);
    expect(res.statusCode).toBe(200);
    expect(res.json().controls).toEqual(CONTROLS['general-3']);
    expect((await c.psbSteward.request('GET', `/api/resources/${uuidv7()}/controls`)).statusCode).toBe(404);
  });
});

describe('PI inventory (AST-11) and the PI officer thresholds (ORG-4)', () => {
  type Inst = {
    institutionId: string;
    resources: { id: string; name: string; people: number | null; sensitive: boolean; declared: boolean; piFieldCount: number }[];
    totals: { records: number; people: number; sensitivePeople: number };
    undeclaredResources: number;
    crossed: { people: boolean; sensitivePeople: boolean };
    officerRequired: boolean;
    piOfficerNamed: boolean;
    piOfficerName: string | null;
    compliant: boolean;
  };
  async function inventory(client: Client, query = '') {
    const res = await client.request('GET', `/api/pi-inventory${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { basis: string; thresholds: { people: number; sensitivePeople: number }; institutions: Inst[] };
  }
  const healthRes = {} as Record<'residents' | 'births' | 'cameras' | 'clinics', string>;

  beforeAll(async () => {
    // The health commission: no demo account holds catalog.manage there, so the CLI operator registers.
    const mk = (name: string, extra: Partial<ResourceCreate>) =>
      h.services.resources.create(operator, {
        systemId: sys.health,
        name,
        fields: [{ name: '姓名', dataType: 'string' }],
        shareAttribute: 'unconditional',
        openAttribute: 'not_open',
        ...extra,
      });
    // Exactly 1,000,000 people together: the threshold is "at least".
    healthRes.residents = (await mk('居民电子健康档案', { pi: { records: 1_500_000, people: 600_000, sensitive: false } })).id;
    healthRes.births = (await mk('出生医学证明信息', { pi: { records: 450_000, people: 400_000, sensitive: false } })).id;
    // PI shown by a field label only: listed, counted as undeclared, left out of the totals.
    healthRes.cameras = (await mk('院内监控记录', { fields: [{ name: '就诊人员轨迹', dataType: 'string' }] })).id;
    await h.t.db.updateTable('data_fields').set({ pi_type: 'location_track', pi_sensitive: true }).where('resource_id', '=', healthRes.cameras).execute();
    // Declared as holding no PI: not in the inventory.
    healthRes.clinics = (await mk('医疗机构名录', { pi: { records: 0, people: 0, sensitive: false } })).id;
  });

  it('per institution in reach: the resources holding PI, the summed declared counts and the basis of the sum', async () => {
    const inv = await inventory(c.vendorHealth);
    expect(inv.basis).toBe('sum_of_declared');
    expect(inv.thresholds).toEqual({ people: 1_000_000, sensitivePeople: 100_000 });
    expect(inv.thresholds).toEqual(PI_OFFICER_THRESHOLDS);
    expect(inv.institutions.map((i) => i.institutionId)).toEqual([id.health]);
    const health = inv.institutions[0] as Inst;
    expect(health.resources.map((r) => [r.name, r.people, r.sensitive, r.declared, r.piFieldCount])).toEqual([
      ['出生医学证明信息', 400_000, false, true, 0],
      ['居民电子健康档案', 600_000, false, true, 0],
      ['院内监控记录', null, true, false, 1],
    ]);
    expect(health.totals).toEqual({ records: 1_950_000, people: 1_000_000, sensitivePeople: 0 });
    expect(health.undeclaredResources).toBe(1);
    expect(health.resources.map((r) => r.id)).not.toContain(healthRes.clinics);
  });

  it('ORG-4: at 1,000,000 people an officer is required; the institution complies once its profile names one', async () => {
    let health = (await inventory(c.vendorHealth)).institutions[0] as Inst;
    expect(health).toMatchObject({
      crossed: { people: true, sensitivePeople: false },
      officerRequired: true,
      piOfficerNamed: false,
      piOfficerName: null,
      compliant: false,
    });

    // One person fewer: below the threshold.
    await h.services.resources.update(operator, healthRes.births, { version: 1, pi: { records: 450_000, people: 399_999, sensitive: false } });
    health = (await inventory(c.vendorHealth)).institutions[0] as Inst;
    expect(health).toMatchObject({ totals: { people: 999_999 }, crossed: { people: false }, officerRequired: false, compliant: true });
    await h.services.resources.update(operator, healthRes.births, { version: 2, pi: { records: 450_000, people: 400_000, sensitive: false } });

    // The city authority names the officer in the institution's profile.
    const inst = (await c.cityAdmin.request('GET', `/api/institutions/${id.health}`)).json();
    const named = await c.cityAdmin.request('PATCH', `/api/institutions/${id.health}`, {
      version: inst.version,
      profile: { ...inst.profile, piOfficer: { name: '钱颖', title: '个人信息保护负责人' } },
    });
    expect(named.statusCode, named.body).toBe(200);
    health = (await inventory(c.vendorHealth)).institutions[0] as Inst;
    expect(health).toMatchObject({ officerRequired: true, piOfficerNamed: true, piOfficerName: '钱颖', compliant: true });
  });

  it('ORG-4: more than 100,000 people with sensitive PI require an officer; exactly 100,000 do not; a sensitive field label counts', async () => {
    // The education bureau: 学生学籍信息 declares 100,000 people's sensitive PI.
    let edu = (await inventory(c.eduUser)).institutions.find((i) => i.institutionId === id.edu) as Inst;
    expect(edu.totals).toEqual({ records: 360_000, people: 150_000, sensitivePeople: 100_000 });
    expect(edu).toMatchObject({ crossed: { people: false, sensitivePeople: false }, officerRequired: false, compliant: true });

    // The teachers' resource was declared not sensitive; a field labelled sensitive makes it so.
    const teachers = await h.t.db.selectFrom('data_resources').select('id').where('name', '=', '教师资格认定信息').executeTakeFirstOrThrow();
    await h.t.db.updateTable('data_fields').set({ pi_type: 'id_document_image', pi_sensitive: true }).where('resource_id', '=', teachers.id).execute();
    edu = (await inventory(c.eduUser)).institutions.find((i) => i.institutionId === id.edu) as Inst;
    expect(edu.totals.sensitivePeople).toBe(150_000);
    expect(edu).toMatchObject({ crossed: { people: false, sensitivePeople: true }, officerRequired: true, piOfficerNamed: false, compliant: false });
  });

  it('the inventory covers the institutions in catalog.read reach: not those merely publishing to the shared catalog', async () => {
    // The police steward reads the education bureau's published 教师资格认定信息 in the shared catalog; that
    // does not put the education bureau into the police's inventory.
    const psb = await inventory(c.psbSteward);
    expect(psb.institutions.map((i) => i.institutionId)).toEqual([id.psb]);
    expect((await c.psbSteward.request('GET', `/api/pi-inventory?institutionId=${id.edu}`)).statusCode).toBe(404);
    // The regulator: the institutions its grant covers (psb, health), not edu.
    const cac = await inventory(c.cacAuditor);
    expect(cac.institutions.map((i) => i.institutionId).sort()).toEqual([id.health, id.psb].sort());
    // The city authority: all, one entry per institution; filtered to one on request.
    const city = await inventory(c.cityAdmin);
    expect(city.institutions.map((i) => i.institutionId).sort()).toEqual([id.edu, id.health, id.psb].sort());
    const one = await inventory(c.cityAdmin, `?institutionId=${id.health}`);
    expect(one.institutions.map((i) => i.institutionId)).toEqual([id.health]);
    const bad = await c.cityAdmin.request('GET', '/api/pi-inventory?institutionId=health');
    expect(bad.statusCode).toBe(400);
  });
});

/** The Actor behind a logged-in client, as the auth hook builds it (for calling a service directly). */
async function actorFor(client: Client): Promise<Actor> {
  const actor = await loadActor(h.t.db, client.userId, { ip: null, requestId: null, lang: 'zh' }, { tokenScopes: null, sessionId: null });
  if (!actor) throw new Error(`no actor for ${client.username}`);
  return actor;
}
