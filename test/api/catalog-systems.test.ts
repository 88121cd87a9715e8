// The systems registry over HTTP (AST-1, AST-2, AST-3, AST-5..10; DG-8 = 东莞 第八条): DG-8 fields, the filing
// workflow (draft → submitted → accepted / returned; changes and closures of registered systems), the
// 15-working-day deadline and late marks, the history of versions, the authority's queue, scope (ORG-6) and
// asset consistency checks. Who may call each route at all is authz-matrix.test.ts; here every refusal is
// also checked to leave the data as it was, and every change to leave its audit event.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/db/ids.ts';
import { beijingToday } from '../../src/modules/catalog/deadlines.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';

let h: TestApp;
const c = {} as Record<'steward' | 'psbAdmin' | 'cityAdmin' | 'officer' | 'districtAdmin' | 'eduUser' | 'cacAuditor' | 'vendor' | 'civilSteward', Client>;
const id = {} as Record<'city' | 'district' | 'psb' | 'edu' | 'civil' | 'health', string>;
const TODAY = beijingToday();

/** 'YYYY-MM-DD' shifted by whole days (calendar arithmetic in UTC, so no time zone can shift it). */
function shift(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function expectError(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json();
  expect(body.code).toBe(code);
  expect(body.message).toMatch(/[\u4e00-\u9fff]/);
  return body as { code: string; message: string; details?: Record<string, unknown> };
}

async function auditSeq(): Promise<number> {
  const r = await h.t.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.max('seq').as('m'))
    .executeTakeFirstOrThrow();
  return Number(r.m ?? 0);
}
async function audits(action: string, since: number) {
  return h.t.db.selectFrom('audit_events').selectAll().where('action', '=', action).where('seq', '>', since).orderBy('seq').execute();
}
/** Every row of the registry's tables: a refused request must leave this unchanged. */
async function registryState() {
  const [systems, filings, checks, findings] = await Promise.all([
    h.t.db.selectFrom('systems').selectAll().orderBy('id').execute(),
    h.t.db.selectFrom('system_filings').selectAll().orderBy('id').execute(),
    h.t.db.selectFrom('asset_checks').selectAll().orderBy('id').execute(),
    h.t.db.selectFrom('asset_check_findings').selectAll().orderBy('id').execute(),
  ]);
  return JSON.stringify({ systems, filings, checks, findings });
}
/** Runs a request that must be refused, and checks it changed nothing. */
async function refused(send: () => Promise<LightMyRequestResponse>, status: number, code: string) {
  const before = await registryState();
  const err = expectError(await send(), status, code);
  expect(await registryState()).toBe(before);
  return err;
}

/** Every DG-8 field filled, dated relative to today so that no flag depends on when the test runs. */
const full = () => ({
  description: '全市常住人口基础信息的采集、比对与共享',
  securityLead: { name: '王建华', title: '分管副局长', department: '科技信息化处', phone: '0591-87000000', email: 'wang@psb.example.cn' },
  securityMeasures: '统一身份认证、字段级加密、数据库审计、数据脱敏',
  assessmentResult: '2026 年度数据安全评估：中风险 2 项，已整改',
  assessmentOn: shift(TODAY, -40),
  auditConclusion: '年度审计未发现重大问题',
  mlpsLevel: 3,
  mlpsFilingNo: '35010099001-00001',
  mlpsEvaluatedOn: shift(TODAY, -30),
  cryptoStatus: 'assessed',
  cryptoAssessedOn: shift(TODAY, -20),
  cii: true,
  hosting: 'government_cloud',
  trustedTerminals: [{ name: '运维终端 01', identifier: 'PSB-T-0001', location: '指挥中心三楼', holder: '郭亮' }],
  storageCarriers: [
    { name: '人口库主库', kind: 'database', protectionLevel: 'important', encrypted: true, location: '政务云 A 区' },
    { name: '备份磁带', kind: 'backup_media', protectionLevel: 'important', encrypted: true },
  ],
  lastVulnScanOn: shift(TODAY, -7),
});

async function create(client: Client, institutionId: string, name: string, extra: Record<string, unknown> = full()) {
  const res = await client.request('POST', '/api/systems', { institutionId, name, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
async function submit(client: Client, systemId: string, eventDate: string) {
  const res = await client.request('POST', `/api/systems/${systemId}/submit`, { eventDate });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
async function review(client: Client, filingId: string, decision: 'accept' | 'return', reason?: string) {
  const res = await client.request('POST', `/api/system-filings/${filingId}/review`, reason === undefined ? { decision } : { decision, reason });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
async function getSystem(client: Client, systemId: string) {
  const res = await client.request('GET', `/api/systems/${systemId}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
/** A registered (accepted) psb system. */
async function registered(name: string) {
  const s = await create(c.steward, id.psb, name);
  const f = await submit(c.steward, s.id, TODAY);
  await review(c.officer, f.id, 'accept');
  return getSystem(c.steward, s.id);
}

beforeAll(async () => {
  h = await createTestApp();
  const names = {
    city: '示范市数据管理局',
    district: '示范市南湖区数据管理局',
    psb: '示范市公安局',
    edu: '示范市教育局',
    civil: '示范市南湖区民政局',
    health: '示范市卫生健康委员会',
  } as const;
  for (const [k, name] of Object.entries(names)) id[k as keyof typeof id] = await h.inst(name);
  c.steward = await h.login('psb.steward');
  c.psbAdmin = await h.login('psb.admin');
  c.cityAdmin = await h.login('city.admin');
  c.officer = await h.login('city.officer');
  c.districtAdmin = await h.login('district.admin');
  c.eduUser = await h.login('edu.user');
  c.cacAuditor = await h.login('cac.auditor');
  c.vendor = await h.login('vendor.ops1');

  // A data steward at the district's civil-affairs bureau, made the way an administrator would.
  const created = await c.districtAdmin.request('POST', '/api/users', { username: 'civil.steward', displayName: '民政数据管理员', institutionId: id.civil });
  expect(created.statusCode, created.body).toBe(201);
  const { user, initialPassword } = created.json();
  const role = await c.districtAdmin.request('POST', `/api/users/${user.id}/roles`, { role: 'data_steward', institutionId: id.civil });
  expect(role.statusCode, role.body).toBe(201);
  c.civilSteward = await h.login('civil.steward', initialPassword, null);
  const changed = await c.civilSteward.request('POST', '/api/me/password', { currentPassword: initialPassword, newPassword: 'Civil#Steward2026' });
  expect(changed.statusCode, changed.body).toBe(200);

  // Deadlines of filings dated around today run up to a month either way of it; the built-in holiday data
  // ends with 2026. A year the data lacks is refused (422, tested below), so the administrator loads it, as
  // they would once the State Council announces it. The made-up schedule only needs New Year's Day.
  const schedules = (await c.cityAdmin.request('GET', '/api/workdays/schedules')).json() as { year: number }[];
  const year = Number(TODAY.slice(0, 4));
  for (const y of [year - 1, year, year + 1]) {
    if (schedules.some((s) => s.year === y)) continue;
    const put = await c.cityAdmin.request('PUT', `/api/workdays/schedules/${y}`, { holidays: [`${y}-01-01`], makeupWorkdays: [] });
    expect(put.statusCode, put.body).toBe(200);
  }
});
afterAll(() => h?.close());

describe('registering a system (AST-1, DG-8 fields)', () => {
  it('a data steward creates a draft with every DG-8 field; the answer shows them, and the creation is audited', async () => {
    const since = await auditSeq();
    const s = await create(c.steward, id.psb, '人口基础信息库');
    expect(s).toMatchObject({
      institutionId: id.psb,
      institutionName: '示范市公安局',
      name: '人口基础信息库',
      status: 'draft',
      version: 1,
      flags: [],
      resourceCount: 0,
      resources: [],
      latestFiling: null,
      hasLateFiling: false,
      closedOn: null,
      ...full(),
    });
    const [ev] = await audits('catalog.system.create', since);
    expect(ev).toMatchObject({ actor_username: 'psb.steward', outcome: 'success', target_type: 'system', target_id: s.id, target_institution_id: id.psb });
    expect(ev?.details).toMatchObject({ name: '人口基础信息库', hosting: 'government_cloud', mlpsLevel: 3, cii: true });
    // Text is stored trimmed; optional members left empty are not stored at all.
    const trimmed = await create(c.steward, id.psb, '  户籍业务系统  ', {
      description: '   ',
      securityLead: { name: ' 王建华 ', title: '' },
      trustedTerminals: [{ name: ' 终端A ', location: ' ' }],
    });
    expect(trimmed).toMatchObject({ name: '户籍业务系统', description: null, securityLead: { name: '王建华' }, trustedTerminals: [{ name: '终端A' }] });
    expect(trimmed.securityLead).toEqual({ name: '王建华' });
    expect(trimmed.cryptoStatus).toBe('not_applied');
  });

  it('AST-8: a system on a public cloud may be recorded, and is flagged', async () => {
    const s = await create(c.steward, id.psb, '互联网预约系统', { ...full(), hosting: 'public_cloud' });
    expect(s.hosting).toBe('public_cloud');
    expect(s.flags).toEqual(['public_cloud']);
    const list = (await c.cityAdmin.request('GET', '/api/systems?hosting=public_cloud')).json();
    expect(list.items.map((i: { id: string }) => i.id)).toEqual([s.id]);
    expect(list.items[0].flags).toEqual(['public_cloud']);
  });

  it('AST-5, AST-7, AST-9: an old MLPS evaluation, an unassessed CII and a carrier below the data’s grade are flagged', async () => {
    const s = await create(c.steward, id.psb, '视频图像平台', {
      ...full(),
      mlpsEvaluatedOn: shift(TODAY, -400),
      assessmentOn: null,
      assessmentResult: null,
      storageCarriers: [{ name: '视频存储', kind: 'object_storage', protectionLevel: 'general-3' }],
    });
    expect(s.flags).toEqual(['mlps_evaluation_overdue', 'cii_assessment_overdue']);
    // The system's data is graded "important" (resources are the resources module's; inserted here as data).
    const resId = uuidv7();
    await h.t.db
      .insertInto('data_resources')
      .values({
        id: resId,
        institution_id: id.psb,
        system_id: s.id,
        name: '卡口过车记录',
        share_attribute: 'conditional',
        share_basis: '《公共数据共享管理办法》',
        open_attribute: 'not_open',
        collection: JSON.stringify({}),
        level: 'important',
        grading_status: 'approved',
      })
      .execute();
    const after = await getSystem(c.steward, s.id);
    expect(after.flags).toEqual(['carrier_below_data_level', 'mlps_evaluation_overdue', 'cii_assessment_overdue']);
    expect(after.resourceCount).toBe(1);
    expect(after.resources).toEqual([
      {
        id: resId,
        name: '卡口过车记录',
        level: 'important',
        gradingStatus: 'approved',
        shareAttribute: 'conditional',
        openAttribute: 'not_open',
        published: false,
      },
    ]);
    // Raising the carrier to the data's grade clears that flag.
    const fixed = await c.steward.request('PATCH', `/api/systems/${s.id}`, {
      version: after.version,
      storageCarriers: [{ name: '视频存储', kind: 'object_storage', protectionLevel: 'important' }],
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json().flags).toEqual(['mlps_evaluation_overdue', 'cii_assessment_overdue']);
  });

  it('bad input is a 4xx naming the field, in Chinese or English, and writes nothing', async () => {
    const post = (body: Record<string, unknown>, headers?: Record<string, string>) => () =>
      c.steward.request('POST', '/api/systems', { institutionId: id.psb, name: '校验用系统', ...body }, headers);
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ color: 'red' }, 400, 'VALIDATION_FAILED', 'color'],
      [{ name: '   ' }, 400, 'VALIDATION_FAILED', 'name'],
      [{ name: '　' }, 400, 'VALIDATION_FAILED', 'name'], // a full-width space alone
      [{ name: 'x'.repeat(101) }, 400, 'VALIDATION_FAILED', 'name'],
      [{ hosting: 'private_cloud' }, 400, 'VALIDATION_FAILED', 'hosting'],
      [{ mlpsLevel: 6 }, 400, 'VALIDATION_FAILED', 'mlpsLevel'],
      [{ mlpsLevel: '3' }, 400, 'VALIDATION_FAILED', 'mlpsLevel'],
      [{ cryptoStatus: 'unknown' }, 400, 'VALIDATION_FAILED', 'cryptoStatus'],
      [{ assessmentOn: '2025-02-30' }, 400, 'VALIDATION_FAILED', 'assessmentOn'],
      [{ securityLead: { name: '张三', mobile: '138' } }, 400, 'VALIDATION_FAILED', 'securityLead.mobile'],
      [{ storageCarriers: [{ name: '盘', kind: 'database', protectionLevel: 'secret' }] }, 400, 'VALIDATION_FAILED', 'storageCarriers.0.protectionLevel'],
      [{ trustedTerminals: [{ name: ' ' }] }, 400, 'VALIDATION_FAILED', 'trustedTerminals.0.name'],
      [{ lastVulnScanOn: shift(TODAY, 1) }, 422, 'DATE_IN_FUTURE', 'lastVulnScanOn'],
      [{ cryptoStatus: 'not_applied', cryptoAssessedOn: '2025-01-01' }, 422, 'CRYPTO_STATUS_MISMATCH', 'cryptoAssessedOn'],
      [{ mlpsFilingNo: '35010099001-00009' }, 422, 'MLPS_LEVEL_REQUIRED', 'mlpsLevel'],
    ];
    for (const [body, status, code, field] of cases) {
      const err = await refused(post(body), status, code);
      expect(err.details?.field, JSON.stringify(body)).toBe(field);
    }
    const en = (await post({ lastVulnScanOn: shift(TODAY, 1) }, { 'accept-language': 'en' })()).json();
    expect(en.message).toMatch(/future/);
  });

  it('a name is unique within an institution (409 DUPLICATE_NAME); another institution may use it', async () => {
    await create(c.steward, id.psb, '政务外网门户');
    const err = await refused(() => c.psbAdmin.request('POST', '/api/systems', { institutionId: id.psb, name: ' 政务外网门户 ' }), 409, 'DUPLICATE_NAME');
    expect(err.details?.field).toBe('name');
    await create(c.civilSteward, id.civil, '政务外网门户', {});
  });

  it('scope and permission: out of reach → 404, in reach without system.manage → 403, no system.read → 403', async () => {
    const body = (institutionId: string) => ({ institutionId, name: '越权系统' });
    await refused(() => c.steward.request('POST', '/api/systems', body(id.edu)), 404, 'NOT_FOUND');
    await refused(() => c.districtAdmin.request('POST', '/api/systems', body(id.psb)), 404, 'NOT_FOUND');
    await refused(() => c.cacAuditor.request('POST', '/api/systems', body(id.psb)), 403, 'FORBIDDEN'); // regulator reads, never writes
    await refused(() => c.vendor.request('POST', '/api/systems', body(id.psb)), 403, 'FORBIDDEN');
    await refused(() => c.eduUser.request('POST', '/api/systems', body(id.edu)), 403, 'FORBIDDEN'); // data_user
    await refused(() => c.cityAdmin.request('POST', '/api/systems', body(id.psb)), 403, 'FORBIDDEN'); // the authority reviews, it does not register others' systems
    await refused(() => c.steward.request('POST', '/api/systems', body(uuidv7())), 404, 'NOT_FOUND');
    expectError(await c.eduUser.request('GET', '/api/systems'), 403, 'FORBIDDEN');
    const psbSystem = await create(c.steward, id.psb, '出入境管理系统');
    expectError(await c.eduUser.request('GET', `/api/systems/${psbSystem.id}`), 404, 'NOT_FOUND');
    expectError(await c.districtAdmin.request('GET', `/api/systems/${psbSystem.id}`), 404, 'NOT_FOUND');
    // The regulator reads what its read grant covers (psb), the vendor what it operates (psb).
    expect((await c.cacAuditor.request('GET', `/api/systems/${psbSystem.id}`)).statusCode).toBe(200);
    expect((await c.vendor.request('GET', `/api/systems/${psbSystem.id}`)).statusCode).toBe(200);
    expectError(await c.steward.request('GET', `/api/systems/${uuidv7()}`), 404, 'NOT_FOUND');
  });
});

describe('editing a draft (PATCH)', () => {
  it('needs the current version: a stale one is 409 VERSION_CONFLICT and changes nothing; a good edit is audited', async () => {
    const s = await create(c.steward, id.psb, '警务云平台');
    const since = await auditSeq();
    const ok = await c.steward.request('PATCH', `/api/systems/${s.id}`, { version: 1, securityMeasures: '  双因素认证、数据库加密  ', mlpsFilingNo: null });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ version: 2, securityMeasures: '双因素认证、数据库加密', mlpsFilingNo: null, hosting: 'government_cloud' });
    const [ev] = await audits('catalog.system.update', since);
    expect(ev).toMatchObject({ actor_username: 'psb.steward', target_id: s.id, target_institution_id: id.psb });
    expect(ev?.details).toEqual({ changed: ['securityMeasures', 'mlpsFilingNo'], version: 2 });

    const err = await refused(() => c.psbAdmin.request('PATCH', `/api/systems/${s.id}`, { version: 1, cii: false }), 409, 'VERSION_CONFLICT');
    expect(err.details).toEqual({ currentVersion: 2 });
    await refused(() => c.psbAdmin.request('PATCH', `/api/systems/${s.id}`, { cii: false }), 400, 'VALIDATION_FAILED');
    await refused(() => c.psbAdmin.request('PATCH', `/api/systems/${s.id}`, { version: 2, mlpsLevel: null }), 422, 'MLPS_LEVEL_REQUIRED');
    await refused(() => c.cacAuditor.request('PATCH', `/api/systems/${s.id}`, { version: 2, cii: false }), 403, 'FORBIDDEN');
    await refused(() => c.districtAdmin.request('PATCH', `/api/systems/${s.id}`, { version: 2, cii: false }), 404, 'NOT_FOUND');
    // Renaming onto another system's name is the same 409 as creating it.
    await refused(() => c.psbAdmin.request('PATCH', `/api/systems/${s.id}`, { version: 2, name: '人口基础信息库' }), 409, 'DUPLICATE_NAME');
  });
});

describe('the filing workflow (AST-1, AST-2)', () => {
  let sys: { id: string };
  const filingIds: string[] = [];

  it('an incomplete draft cannot be submitted (422 REGISTRATION_INCOMPLETE lists what is missing)', async () => {
    const draft = await create(c.steward, id.psb, '交管业务草稿', { hosting: 'government_cloud', mlpsLevel: 2 });
    const err = await refused(() => c.steward.request('POST', `/api/systems/${draft.id}/submit`, { eventDate: TODAY }), 422, 'REGISTRATION_INCOMPLETE');
    expect(err.details).toMatchObject({ field: 'securityLead', missing: ['securityLead', 'securityMeasures', 'assessmentResult', 'auditConclusion'] });
    // The message names the fields as the form does, not by their codes.
    expect(err.message).toBe('登记信息不完整，缺少：数据安全负责人、安全保护措施、最近一次风险评估结果、审计结论（尚无结论的事项请如实填写，如“尚未开展”）');
    const assessed = await create(c.steward, id.psb, '密评待补系统', { ...full(), cryptoAssessedOn: null });
    const e2 = await refused(() => c.steward.request('POST', `/api/systems/${assessed.id}/submit`, { eventDate: TODAY }), 422, 'REGISTRATION_INCOMPLETE');
    expect(e2.details?.missing).toEqual(['cryptoAssessedOn']);
  });

  it('a draft has nothing to change or close yet (409 NOT_REGISTERED); an event date after today is refused', async () => {
    const s = await create(c.steward, id.psb, '治安管理信息系统');
    sys = s;
    await refused(() => c.steward.request('POST', `/api/systems/${s.id}/changes`, { eventDate: TODAY, summary: '扩容', changes: {} }), 409, 'NOT_REGISTERED');
    await refused(() => c.steward.request('POST', `/api/systems/${s.id}/closure`, { eventDate: TODAY, summary: '下线' }), 409, 'NOT_REGISTERED');
    const err = await refused(() => c.steward.request('POST', `/api/systems/${s.id}/submit`, { eventDate: shift(TODAY, 1) }), 422, 'EVENT_DATE_IN_FUTURE');
    expect(err.details?.field).toBe('eventDate');
    await refused(() => c.steward.request('POST', `/api/systems/${s.id}/submit`, {}), 400, 'VALIDATION_FAILED');
    await refused(() => c.steward.request('POST', `/api/systems/${s.id}/submit`, { eventDate: '2025-13-01' }), 400, 'VALIDATION_FAILED');
  });

  it('submitting files a registration: deadline 15 working days across National Day 2025, late when filed after it', async () => {
    const since = await auditSeq();
    const f = await submit(c.steward, sys.id, '2025-09-26');
    filingIds.push(f.id);
    // By hand: 09-28 (make-up Sunday) is working day 1, 09-29 2, 09-30 3, 10-01..10-08 off, 10-09 4, 10-10 5,
    // 10-11 (make-up Saturday) 6, 10-13..10-17 7–11, 10-20..10-23 12–15. Plain Mon–Fri would give 10-17.
    expect(f).toMatchObject({
      systemId: sys.id,
      systemName: '治安管理信息系统',
      institutionId: id.psb,
      institutionName: '示范市公安局',
      version: 1,
      kind: 'registration',
      eventDate: '2025-09-26',
      deadline: '2025-10-23',
      late: true,
      summary: null,
      changedFields: [],
      filedBy: { id: c.steward.userId },
      reviewStatus: 'pending',
      reviewedAt: null,
      reviewedBy: null,
      reviewReason: null,
      canReview: false,
    });
    const s = await getSystem(c.steward, sys.id);
    expect(s).toMatchObject({
      status: 'submitted',
      version: 2,
      hasLateFiling: true,
      latestFiling: { id: f.id, reviewStatus: 'pending', deadline: '2025-10-23' },
    });
    const [ev] = await audits('catalog.system.submit', since);
    expect(ev).toMatchObject({ actor_username: 'psb.steward', target_type: 'system', target_id: sys.id, target_institution_id: id.psb });
    expect(ev?.details).toEqual({ filingId: f.id, version: 1, eventDate: '2025-09-26', deadline: '2025-10-23', late: true, changedFields: [] });
    // The reviewer sees it as theirs to decide.
    expect((await c.officer.request('GET', `/api/systems/${sys.id}`)).json().latestFiling.canReview).toBe(true);
  });

  it('while under review: no second submission (409), no edit (409), no change filing (409)', async () => {
    await refused(() => c.steward.request('POST', `/api/systems/${sys.id}/submit`, { eventDate: '2025-09-26' }), 409, 'FILING_PENDING');
    await refused(() => c.steward.request('PATCH', `/api/systems/${sys.id}`, { version: 2, cii: false }), 409, 'SYSTEM_NOT_EDITABLE');
    await refused(() => c.steward.request('POST', `/api/systems/${sys.id}/changes`, { eventDate: TODAY, summary: 'x', changes: {} }), 409, 'FILING_PENDING');
    await refused(() => c.steward.request('POST', `/api/systems/${sys.id}/closure`, { eventDate: TODAY, summary: 'x' }), 409, 'FILING_PENDING');
  });

  it('only the authority over the institution reviews; a return needs a reason', async () => {
    const url = `/api/system-filings/${filingIds[0]}/review`;
    await refused(() => c.steward.request('POST', url, { decision: 'accept' }), 403, 'FORBIDDEN');
    await refused(() => c.psbAdmin.request('POST', url, { decision: 'accept' }), 403, 'FORBIDDEN');
    await refused(() => c.cacAuditor.request('POST', url, { decision: 'accept' }), 403, 'FORBIDDEN');
    await refused(() => c.districtAdmin.request('POST', url, { decision: 'accept' }), 404, 'NOT_FOUND');
    await refused(() => c.eduUser.request('POST', url, { decision: 'accept' }), 404, 'NOT_FOUND');
    await refused(() => c.officer.request('POST', `/api/system-filings/${uuidv7()}/review`, { decision: 'accept' }), 404, 'NOT_FOUND');
    let err = await refused(() => c.officer.request('POST', url, { decision: 'return' }), 422, 'RETURN_REASON_REQUIRED');
    expect(err.details?.field).toBe('reason');
    err = await refused(() => c.officer.request('POST', url, { decision: 'return', reason: '  　 ' }), 422, 'RETURN_REASON_REQUIRED');
    await refused(() => c.officer.request('POST', url, { decision: 'reject', reason: 'x' }), 400, 'VALIDATION_FAILED');
  });

  it('a return (with reason) sends the registration back; it can be edited and resubmitted as version 2', async () => {
    const since = await auditSeq();
    const returned = await review(c.officer, filingIds[0] as string, 'return', '  安全保障措施描述不具体，请补充加密算法和密钥管理方式  ');
    expect(returned).toMatchObject({
      reviewStatus: 'returned',
      reviewReason: '安全保障措施描述不具体，请补充加密算法和密钥管理方式',
      reviewedBy: { id: c.officer.userId },
      canReview: false,
    });
    const [ev] = await audits('catalog.system_filing.return', since);
    expect(ev).toMatchObject({ actor_username: 'city.officer', target_type: 'system', target_id: sys.id, target_institution_id: id.psb, outcome: 'success' });
    expect(ev?.details).toMatchObject({
      filingId: filingIds[0],
      kind: 'registration',
      version: 1,
      reason: '安全保障措施描述不具体，请补充加密算法和密钥管理方式',
    });
    await refused(() => c.officer.request('POST', `/api/system-filings/${filingIds[0]}/review`, { decision: 'accept' }), 409, 'FILING_NOT_PENDING');

    let s = await getSystem(c.steward, sys.id);
    expect(s).toMatchObject({ status: 'returned', version: 3 });
    const edit = await c.steward.request('PATCH', `/api/systems/${sys.id}`, {
      version: 3,
      securityMeasures: 'SM4 字段级加密，密钥由密码机托管；SM2 双因素认证',
    });
    expect(edit.statusCode, edit.body).toBe(200);
    const f2 = await submit(c.steward, sys.id, '2025-09-26');
    filingIds.push(f2.id);
    expect(f2).toMatchObject({ version: 2, kind: 'registration', changedFields: ['securityMeasures'], reviewStatus: 'pending' });
    const accepted = await review(c.officer, f2.id, 'accept');
    expect(accepted).toMatchObject({ reviewStatus: 'accepted', reviewReason: null });
    s = await getSystem(c.steward, sys.id);
    expect(s).toMatchObject({ status: 'accepted', securityMeasures: 'SM4 字段级加密，密钥由密码机托管；SM2 双因素认证' });
  });

  it('a registered system is no longer edited directly nor resubmitted (409)', async () => {
    const s = await getSystem(c.steward, sys.id);
    await refused(() => c.steward.request('PATCH', `/api/systems/${sys.id}`, { version: s.version, cii: false }), 409, 'SYSTEM_NOT_EDITABLE');
    await refused(() => c.steward.request('POST', `/api/systems/${sys.id}/submit`, { eventDate: TODAY }), 409, 'ALREADY_REGISTERED');
  });

  it('a change filing (DG-8 变更) holds the new version until accepted; the registry shows the registered one meanwhile', async () => {
    const before = await getSystem(c.steward, sys.id);
    const since = await auditSeq();
    const res = await c.steward.request('POST', `/api/systems/${sys.id}/changes`, {
      eventDate: TODAY,
      summary: '迁移至行业云，等保级别调整为四级',
      version: before.version,
      changes: { hosting: 'sector_cloud', mlpsLevel: 4, cii: true },
    });
    expect(res.statusCode, res.body).toBe(201);
    const f = res.json();
    filingIds.push(f.id);
    expect(f).toMatchObject({
      kind: 'change',
      version: 3,
      eventDate: TODAY,
      late: false,
      changedFields: ['mlpsLevel', 'hosting'],
      summary: '迁移至行业云，等保级别调整为四级',
    });
    expect(f.deadline > TODAY).toBe(true);
    const [ev] = await audits('catalog.system.change', since);
    expect(ev?.details).toMatchObject({ filingId: f.id, version: 3, changedFields: ['mlpsLevel', 'hosting'], late: false });

    const pending = await getSystem(c.steward, sys.id);
    expect(pending).toMatchObject({
      status: 'accepted',
      hosting: 'government_cloud',
      mlpsLevel: 3,
      version: before.version,
      latestFiling: { id: f.id, kind: 'change' },
    });
    await refused(() => c.steward.request('POST', `/api/systems/${sys.id}/changes`, { eventDate: TODAY, summary: '再变', changes: {} }), 409, 'FILING_PENDING');
    await refused(() => c.steward.request('POST', `/api/systems/${sys.id}/closure`, { eventDate: TODAY, summary: '下线' }), 409, 'FILING_PENDING');

    await review(c.cityAdmin, f.id, 'accept');
    const after = await getSystem(c.steward, sys.id);
    expect(after).toMatchObject({ status: 'accepted', hosting: 'sector_cloud', mlpsLevel: 4, version: before.version + 1 });
  });

  it('a change cannot blank out a DG-8 fact, nor use a stale version; a returned change leaves the registry as it was', async () => {
    const s = await getSystem(c.steward, sys.id);
    const blank = await refused(
      () => c.steward.request('POST', `/api/systems/${sys.id}/changes`, { eventDate: TODAY, summary: '删除负责人', changes: { securityLead: null } }),
      422,
      'REGISTRATION_INCOMPLETE',
    );
    expect(blank.details?.missing).toEqual(['securityLead']);
    await refused(
      () => c.steward.request('POST', `/api/systems/${sys.id}/changes`, { eventDate: TODAY, summary: 'x', version: s.version - 1, changes: {} }),
      409,
      'VERSION_CONFLICT',
    );
    await refused(
      () => c.steward.request('POST', `/api/systems/${sys.id}/changes`, { eventDate: TODAY, summary: '   ', changes: {} }),
      400,
      'VALIDATION_FAILED',
    );
    await refused(
      () => c.steward.request('POST', `/api/systems/${sys.id}/changes`, { eventDate: TODAY, summary: 'x', changes: { owner: '张三' } }),
      400,
      'VALIDATION_FAILED',
    );
    const res = await c.steward.request('POST', `/api/systems/${sys.id}/changes`, {
      eventDate: TODAY,
      summary: '系统更名',
      changes: { name: '治安综合管理平台' },
    });
    expect(res.statusCode, res.body).toBe(201);
    filingIds.push(res.json().id);
    await review(c.officer, res.json().id, 'return', '更名需附批复文件');
    const after = await getSystem(c.steward, sys.id);
    expect(after).toMatchObject({ name: '治安管理信息系统', status: 'accepted', version: s.version });
  });

  it('a closure (DG-8 撤销) closes the system once accepted; a closed system takes no more filings or edits', async () => {
    const eventDate = shift(TODAY, -3);
    const res = await c.steward.request('POST', `/api/systems/${sys.id}/closure`, { eventDate, summary: '业务并入省级平台，本系统下线' });
    expect(res.statusCode, res.body).toBe(201);
    const f = res.json();
    filingIds.push(f.id);
    expect(f).toMatchObject({ kind: 'closure', version: 5, eventDate, changedFields: [] });
    expect((await getSystem(c.steward, sys.id)).status).toBe('accepted');
    const since = await auditSeq();
    await review(c.officer, f.id, 'accept');
    expect((await audits('catalog.system_filing.accept', since))[0]?.details).toMatchObject({ filingId: f.id, kind: 'closure', version: 5 });
    const closed = await getSystem(c.steward, sys.id);
    expect(closed).toMatchObject({ status: 'closed', closedOn: eventDate });
    await refused(() => c.steward.request('POST', `/api/systems/${sys.id}/changes`, { eventDate: TODAY, summary: 'x', changes: {} }), 409, 'SYSTEM_CLOSED');
    await refused(() => c.steward.request('POST', `/api/systems/${sys.id}/closure`, { eventDate: TODAY, summary: 'x' }), 409, 'SYSTEM_CLOSED');
    await refused(() => c.steward.request('POST', `/api/systems/${sys.id}/submit`, { eventDate: TODAY }), 409, 'SYSTEM_CLOSED');
    await refused(() => c.steward.request('PATCH', `/api/systems/${sys.id}`, { version: closed.version, cii: false }), 409, 'SYSTEM_CLOSED');
  });

  it('the history keeps every version with its full snapshot, newest first', async () => {
    const res = await c.cacAuditor.request('GET', `/api/systems/${sys.id}/filings`);
    expect(res.statusCode, res.body).toBe(200);
    const history = res.json() as { id: string; version: number; kind: string; reviewStatus: string; snapshot: Record<string, unknown> }[];
    expect(history.map((f) => [f.version, f.kind, f.reviewStatus])).toEqual([
      [5, 'closure', 'accepted'],
      [4, 'change', 'returned'],
      [3, 'change', 'accepted'],
      [2, 'registration', 'accepted'],
      [1, 'registration', 'returned'],
    ]);
    expect(history.map((f) => f.id)).toEqual([...filingIds].reverse());
    const v = (n: number) => history.find((f) => f.version === n)?.snapshot as Record<string, unknown>;
    expect(v(1)).toMatchObject({
      name: '治安管理信息系统',
      securityMeasures: full().securityMeasures,
      hosting: 'government_cloud',
      mlpsLevel: 3,
      resources: [],
    });
    expect(v(2)).toMatchObject({ securityMeasures: 'SM4 字段级加密，密钥由密码机托管；SM2 双因素认证', hosting: 'government_cloud' });
    expect(v(3)).toMatchObject({ hosting: 'sector_cloud', mlpsLevel: 4 });
    expect(v(4)).toMatchObject({ name: '治安综合管理平台', hosting: 'sector_cloud' });
    expect(v(5)).toMatchObject({ name: '治安管理信息系统', hosting: 'sector_cloud' });
    // Every snapshot is a complete version, not a diff.
    for (const f of history) expect(Object.keys(f.snapshot).sort()).toEqual([...Object.keys(full()), 'name', 'resources'].sort());
    expectError(await c.districtAdmin.request('GET', `/api/systems/${sys.id}/filings`), 404, 'NOT_FOUND');
    expectError(await c.eduUser.request('GET', `/api/systems/${sys.id}/filings`), 404, 'NOT_FOUND');
  });

  it('the filer cannot decide their own filing (403 SAME_PERSON, audited as denied)', async () => {
    // The city officer also becomes a data steward of the city bureau (no 三员 conflict between the two).
    const role = await c.cityAdmin.request('POST', `/api/users/${c.officer.userId}/roles`, { role: 'data_steward', institutionId: id.city });
    expect(role.statusCode, role.body).toBe(201);
    const s = await create(c.officer, id.city, '数据共享交换平台');
    const f = await submit(c.officer, s.id, TODAY);
    expect(f.canReview).toBe(false);
    expect((await c.cityAdmin.request('GET', `/api/systems/${s.id}`)).json().latestFiling.canReview).toBe(true);
    const since = await auditSeq();
    const before = await registryState();
    expectError(await c.officer.request('POST', `/api/system-filings/${f.id}/review`, { decision: 'accept' }), 403, 'SAME_PERSON');
    expect(await registryState()).toBe(before);
    const [denied] = await audits('catalog.system_filing.accept', since);
    expect(denied).toMatchObject({ actor_username: 'city.officer', outcome: 'denied', target_id: s.id });
    expect(denied?.details).toMatchObject({ filingId: f.id, reason: 'SAME_PERSON' });
    await review(c.cityAdmin, f.id, 'accept');
  });
});

describe('deadlines (DG-8, AST-2)', () => {
  /** The deadline the workdays service gives for an event date. */
  async function deadlineOf(eventDate: string): Promise<string> {
    const res = await c.steward.request('GET', `/api/workdays/add?date=${eventDate}&days=15`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().result;
  }

  it('a filing on its deadline day is on time; one whose deadline was the previous working day is late', async () => {
    // Deadlines always fall on working days, so "filed on the deadline" needs today to be one. If it is
    // not, the administrator's schedule makes it one (a make-up day), as a real 调休 announcement would.
    if (!(await c.steward.request('GET', `/api/workdays/check?date=${TODAY}`)).json().workday) {
      const year = Number(TODAY.slice(0, 4));
      const schedules = (await c.cityAdmin.request('GET', '/api/workdays/schedules')).json() as {
        year: number;
        holidays: string[];
        makeupWorkdays: string[];
      }[];
      const current = schedules.find((s) => s.year === year) as { holidays: string[]; makeupWorkdays: string[] };
      const weekend = [0, 6].includes(new Date(`${TODAY}T00:00:00Z`).getUTCDay());
      const put = await c.cityAdmin.request('PUT', `/api/workdays/schedules/${year}`, {
        holidays: current.holidays.filter((d) => d !== TODAY),
        makeupWorkdays: weekend ? [...current.makeupWorkdays, TODAY] : current.makeupWorkdays,
      });
      expect(put.statusCode, put.body).toBe(200);
    }
    // The earliest event date whose deadline is today: the day before it has an earlier deadline.
    let onTime = TODAY;
    while ((await deadlineOf(shift(onTime, -1))) === TODAY || (await deadlineOf(onTime)) > TODAY) onTime = shift(onTime, -1);
    expect(await deadlineOf(onTime)).toBe(TODAY);
    const lateEvent = shift(onTime, -1);
    const lateDeadline = await deadlineOf(lateEvent);
    expect(lateDeadline < TODAY).toBe(true);

    const a = await create(c.steward, id.psb, '期限当日申报系统');
    const fa = await submit(c.steward, a.id, onTime);
    expect(fa).toMatchObject({ eventDate: onTime, deadline: TODAY, late: false });
    const b = await create(c.steward, id.psb, '期限次日申报系统');
    const fb = await submit(c.steward, b.id, lateEvent);
    expect(fb).toMatchObject({ eventDate: lateEvent, deadline: lateDeadline, late: true });
    expect((await getSystem(c.steward, a.id)).hasLateFiling).toBe(false);
    expect((await getSystem(c.steward, b.id)).hasLateFiling).toBe(true);
  });

  it('a year without a holiday schedule is a clear 422, never a guess, and nothing is written', async () => {
    const s = await create(c.steward, id.psb, '历史遗留系统');
    const err = await refused(() => c.steward.request('POST', `/api/systems/${s.id}/submit`, { eventDate: '2003-06-02' }), 422, 'WORKDAY_SCHEDULE_MISSING');
    expect(err.details).toEqual({ year: 2003 });
    expect((await getSystem(c.steward, s.id)).status).toBe('draft');
  });
});

describe('the authority’s queue and scope (ORG-6)', () => {
  let civilSystem: { id: string };
  let civilFiling: { id: string };

  it('a district institution’s filing is in the district authority’s queue, not in another district’s view', async () => {
    civilSystem = await create(c.civilSteward, id.civil, '社会救助管理系统');
    civilFiling = await submit(c.civilSteward, civilSystem.id, '2025-09-26');
    const q = await c.districtAdmin.request('GET', '/api/system-filings?reviewStatus=pending');
    expect(q.statusCode, q.body).toBe(200);
    const page = q.json();
    expect(page.items.map((f: { id: string }) => f.id)).toEqual([civilFiling.id]);
    expect(page.items[0]).toMatchObject({ institutionId: id.civil, deadline: '2025-10-23', late: true, canReview: true });
    expect(page.total).toBe(1);

    const cityQueue = (await c.cityAdmin.request('GET', '/api/system-filings?reviewStatus=pending&pageSize=200')).json();
    expect(cityQueue.items.map((f: { id: string }) => f.id)).toContain(civilFiling.id);
    expect(cityQueue.items.some((f: { institutionId: string }) => f.institutionId === id.psb)).toBe(true);
    // The queue puts the longest-waiting filing first.
    const filedAt = cityQueue.items.map((f: { filedAt: string }) => f.filedAt);
    expect(filedAt).toEqual([...filedAt].sort());

    const mine = (await c.steward.request('GET', '/api/system-filings?pageSize=200')).json();
    expect(mine.items.every((f: { institutionId: string }) => f.institutionId === id.psb)).toBe(true);
    expect(mine.items.every((f: { canReview: boolean }) => !f.canReview)).toBe(true);
    expectError(await c.eduUser.request('GET', '/api/system-filings'), 403, 'FORBIDDEN');
  });

  it('the district authority sees and decides its subtree’s systems; psb’s stay out of its sight', async () => {
    const list = (await c.districtAdmin.request('GET', '/api/systems?pageSize=200')).json();
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((s: { institutionId: string }) => s.institutionId === id.civil)).toBe(true);
    expect(list.items.map((s: { id: string }) => s.id)).toContain(civilSystem.id);
    expect((await c.districtAdmin.request('GET', `/api/systems/${civilSystem.id}`)).statusCode).toBe(200);
    await review(c.districtAdmin, civilFiling.id, 'accept');
    expect((await getSystem(c.civilSteward, civilSystem.id)).status).toBe('accepted');
    // The city sees the district too; psb and the regulator do not.
    expect((await c.cityAdmin.request('GET', `/api/systems/${civilSystem.id}`)).statusCode).toBe(200);
    expectError(await c.steward.request('GET', `/api/systems/${civilSystem.id}`), 404, 'NOT_FOUND');
    expectError(await c.cacAuditor.request('GET', `/api/systems/${civilSystem.id}`), 404, 'NOT_FOUND');
    const psbList = (await c.steward.request('GET', '/api/systems?pageSize=200')).json();
    expect(psbList.items.every((s: { institutionId: string }) => s.institutionId === id.psb)).toBe(true);
    // A filter naming an institution out of reach finds nothing rather than widening the reach.
    expect((await c.districtAdmin.request('GET', `/api/systems?institutionId=${id.psb}`)).json()).toMatchObject({ items: [], total: 0 });
  });

  it('filters: status, hosting, MLPS level, late, text (Chinese substring), institution; filings by late and kind', async () => {
    const get = async (qs: string) => {
      const res = await c.cityAdmin.request('GET', `/api/systems?pageSize=200&${qs}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { items: Record<string, unknown>[]; total: number };
    };
    const all = await get('');
    expect(all.total).toBe(all.items.length);
    const closed = await get('status=closed');
    expect(closed.items.map((s) => s.name)).toEqual(['治安管理信息系统']);
    const text = await get(`q=${encodeURIComponent('救助')}`);
    expect(text.items.map((s) => s.id)).toEqual([civilSystem.id]);
    const late = await get('late=true');
    expect(late.items.length).toBeGreaterThan(0);
    expect(late.items.every((s) => s.hasLateFiling === true)).toBe(true);
    const onTime = await get('late=false');
    expect(onTime.items.every((s) => s.hasLateFiling === false)).toBe(true);
    expect(late.total + onTime.total).toBe(all.total);
    const level4 = await get('mlpsLevel=4');
    expect(level4.items.every((s) => s.mlpsLevel === 4)).toBe(true);
    expect(level4.total).toBeGreaterThan(0);
    const civil = await get(`institutionId=${id.civil}`);
    expect(civil.items.every((s) => s.institutionId === id.civil)).toBe(true);
    const paged = (await c.cityAdmin.request('GET', '/api/systems?pageSize=2&page=2')).json();
    expect(paged).toMatchObject({ page: 2, pageSize: 2, total: all.total });
    expect(paged.items).toEqual(all.items.slice(2, 4));
    expectError(await c.cityAdmin.request('GET', '/api/systems?mlpsLevel=9'), 400, 'VALIDATION_FAILED');
    expectError(await c.cityAdmin.request('GET', '/api/systems?status=deleted'), 400, 'VALIDATION_FAILED');

    const lateFilings = (await c.cityAdmin.request('GET', '/api/system-filings?late=true&pageSize=200')).json();
    expect(lateFilings.items.length).toBeGreaterThan(0);
    expect(lateFilings.items.every((f: { late: boolean }) => f.late)).toBe(true);
    const closures = (await c.cityAdmin.request('GET', '/api/system-filings?kind=closure&pageSize=200')).json();
    expect(closures.items.map((f: { kind: string; systemName: string }) => [f.kind, f.systemName])).toEqual([['closure', '治安管理信息系统']]);
  });
});

describe('asset consistency checks (AST-3)', () => {
  let check: { id: string; findings: { id: string; systemId: string | null }[] };
  let psbSystemId: string;

  it('records who checked, when, the scope and each difference found, optionally tied to a system; audited', async () => {
    psbSystemId = (await registered('移动警务平台')).id;
    const since = await auditSeq();
    const res = await c.steward.request('POST', '/api/asset-checks', {
      institutionId: id.psb,
      checkedOn: shift(TODAY, -1),
      scope: '  全局在用信息系统  ',
      notes: '与资产台账逐项比对',
      findings: [
        { systemId: psbSystemId, description: '台账中的存储载体与现场不一致：新增一台备份服务器未登记' },
        { description: '发现一套未登记的测试系统仍在运行' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    check = res.json();
    expect(check).toMatchObject({
      institutionId: id.psb,
      institutionName: '示范市公安局',
      checkedOn: shift(TODAY, -1),
      checkedBy: { id: c.steward.userId },
      scope: '全局在用信息系统',
      notes: '与资产台账逐项比对',
      openFindings: 2,
    });
    expect(check.findings).toMatchObject([
      { systemId: psbSystemId, systemName: '移动警务平台', resolved: false, resolution: null, resolvedBy: null },
      { systemId: null, systemName: null, description: '发现一套未登记的测试系统仍在运行', resolved: false },
    ]);
    const [ev] = await audits('catalog.asset_check.create', since);
    expect(ev).toMatchObject({ actor_username: 'psb.steward', target_type: 'asset_check', target_id: check.id, target_institution_id: id.psb });
    expect(ev?.details).toEqual({ checkedOn: shift(TODAY, -1), findings: 2, systemIds: [psbSystemId] });
    // A check that found no differences is a record too (AST-3: "a check within period").
    const clean = await c.psbAdmin.request('POST', '/api/asset-checks', { institutionId: id.psb, checkedOn: TODAY, findings: [] });
    expect(clean.statusCode, clean.body).toBe(201);
    expect(clean.json()).toMatchObject({ findings: [], openFindings: 0, scope: null, notes: null });
  });

  it('refuses a system of another institution (or none), a future date, and callers without system.manage', async () => {
    const body = (over: Record<string, unknown>) => ({ institutionId: id.psb, checkedOn: TODAY, findings: [{ description: '差异' }], ...over });
    const civilSystem = (await c.civilSteward.request('GET', '/api/systems')).json().items[0].id;
    let err = await refused(
      () => c.steward.request('POST', '/api/asset-checks', body({ findings: [{ description: 'a' }, { systemId: civilSystem, description: 'b' }] })),
      422,
      'SYSTEM_NOT_IN_INSTITUTION',
    );
    expect(err.details?.field).toBe('findings.1.systemId');
    err = await refused(
      () => c.steward.request('POST', '/api/asset-checks', body({ findings: [{ systemId: uuidv7(), description: 'a' }] })),
      422,
      'SYSTEM_NOT_IN_INSTITUTION',
    );
    err = await refused(() => c.steward.request('POST', '/api/asset-checks', body({ checkedOn: shift(TODAY, 1) })), 422, 'DATE_IN_FUTURE');
    expect(err.details?.field).toBe('checkedOn');
    await refused(() => c.steward.request('POST', '/api/asset-checks', body({ findings: [{ description: '  ' }] })), 400, 'VALIDATION_FAILED');
    await refused(() => c.steward.request('POST', '/api/asset-checks', body({ findings: undefined })), 400, 'VALIDATION_FAILED');
    await refused(() => c.steward.request('POST', '/api/asset-checks', body({ institutionId: id.edu })), 404, 'NOT_FOUND');
    await refused(() => c.eduUser.request('POST', '/api/asset-checks', body({ institutionId: id.edu })), 403, 'FORBIDDEN');
    await refused(() => c.cacAuditor.request('POST', '/api/asset-checks', body({})), 403, 'FORBIDDEN');
  });

  it('a finding is resolved once, with its resolution, by the institution; audited', async () => {
    const [first] = check.findings;
    const url = `/api/asset-checks/${check.id}/findings/${first?.id}/resolve`;
    await refused(() => c.steward.request('POST', url, { resolution: '   ' }), 400, 'VALIDATION_FAILED');
    await refused(() => c.cacAuditor.request('POST', url, { resolution: '已补登' }), 403, 'FORBIDDEN');
    await refused(() => c.districtAdmin.request('POST', url, { resolution: '已补登' }), 404, 'NOT_FOUND');
    await refused(() => c.eduUser.request('POST', url, { resolution: '已补登' }), 404, 'NOT_FOUND');
    await refused(() => c.steward.request('POST', `/api/asset-checks/${uuidv7()}/findings/${first?.id}/resolve`, { resolution: '已补登' }), 404, 'NOT_FOUND');
    const since = await auditSeq();
    const res = await c.psbAdmin.request('POST', url, { resolution: ' 已将备份服务器补登为存储载体 ' });
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json();
    expect(after.openFindings).toBe(1);
    expect(after.findings[0]).toMatchObject({
      id: first?.id,
      resolved: true,
      resolution: '已将备份服务器补登为存储载体',
      resolvedBy: { id: c.psbAdmin.userId },
    });
    expect(after.findings[0].resolvedAt).toMatch(/^\d{4}-/);
    const [ev] = await audits('catalog.asset_check.resolve', since);
    expect(ev).toMatchObject({ actor_username: 'psb.admin', target_id: check.id, target_institution_id: id.psb });
    expect(ev?.details).toEqual({ findingId: first?.id, systemId: psbSystemId });
    await refused(() => c.steward.request('POST', url, { resolution: '再次处理' }), 409, 'FINDING_RESOLVED');
  });

  it('lists checks in reach, newest first, filtered by open findings', async () => {
    const list = async (client: Client, qs = '') => {
      const res = await client.request('GET', `/api/asset-checks?pageSize=200${qs}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { items: { id: string; institutionId: string; openFindings: number; checkedOn: string }[]; total: number };
    };
    const psb = await list(c.steward);
    expect(psb.total).toBe(2);
    expect(psb.items.map((i) => i.checkedOn)).toEqual([TODAY, shift(TODAY, -1)]);
    expect((await list(c.steward, '&unresolved=true')).items.map((i) => i.id)).toEqual([check.id]);
    expect((await list(c.steward, '&unresolved=false')).items.every((i) => i.openFindings === 0)).toBe(true);
    expect((await list(c.cacAuditor)).total).toBe(2); // the regulator's read grant covers psb
    expect((await list(c.districtAdmin)).total).toBe(0);
    expect((await list(c.cityAdmin, `&institutionId=${id.psb}`)).total).toBe(2);
    expectError(await c.eduUser.request('GET', '/api/asset-checks'), 403, 'FORBIDDEN');
  });
});
