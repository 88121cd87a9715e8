// Grading of data resources (CLS-2, CLS-3, CLS-4) through the API: the matrix proposes, a steward chooses
// (with a reason when the choice differs), a resource is never graded below its fields, a security officer
// other than the proposer approves (writing level, categories and field labels) or rejects with a reason,
// the history keeps every step, and the dashboard counts per institution in reach. Every refusal is checked
// to write nothing. Resources are inserted directly (the resources API is tested in its own file).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/db/ids.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';

let h: TestApp;
const c = {} as Record<'cityAdmin' | 'psbAdmin' | 'psbSecurity' | 'psbSteward' | 'eduUser' | 'vendor' | 'cacAuditor', Client>;
const id = {} as Record<'city' | 'psb' | 'edu' | 'health' | 'transport' | 'civil' | 'cac' | 'vendor', string>;
const systems = new Map<string, string>();

beforeAll(async () => {
  h = await createTestApp();
  const names = {
    city: '示范市数据管理局',
    psb: '示范市公安局',
    edu: '示范市教育局',
    health: '示范市卫生健康委员会',
    transport: '示范市交通运输局',
    civil: '示范市南湖区民政局',
    cac: '中共示范市委网络安全和信息化委员会办公室',
    vendor: '示范数智科技有限公司',
  } as const;
  for (const [k, name] of Object.entries(names)) id[k as keyof typeof id] = await h.inst(name);
  c.cityAdmin = await h.login('city.admin');
  c.psbAdmin = await h.login('psb.admin');
  c.psbSecurity = await h.login('psb.security');
  c.psbSteward = await h.login('psb.steward');
  c.eduUser = await h.login('edu.user');
  c.vendor = await h.login('vendor.ops1');
  c.cacAuditor = await h.login('cac.auditor');
});
afterAll(() => h?.close());

/** One registered system per institution, created on first use. */
async function systemOf(institutionId: string): Promise<string> {
  const existing = systems.get(institutionId);
  if (existing) return existing;
  const systemId = uuidv7();
  await h.t.db
    .insertInto('systems')
    .values({
      id: systemId,
      institution_id: institutionId,
      name: `业务系统-${systemId.slice(-6)}`,
      status: 'accepted',
      trusted_terminals: '[]',
      storage_carriers: '[]',
    })
    .execute();
  systems.set(institutionId, systemId);
  return systemId;
}

let seq = 0;
/** A resource with fields (in this order); returns its id and its fields' ids by name. */
async function makeResource(
  institutionId: string,
  fields: string[],
  opts: { published?: boolean; level?: string | null; gradingStatus?: string } = {},
): Promise<{ id: string; f: Record<string, string> }> {
  const rid = uuidv7();
  seq++;
  await h.t.db
    .insertInto('data_resources')
    .values({
      id: rid,
      institution_id: institutionId,
      system_id: await systemOf(institutionId),
      name: `数据资源${seq}`,
      share_attribute: 'conditional',
      share_basis: '《示范市公共数据管理办法》第十二条',
      open_attribute: 'not_open',
      collection: JSON.stringify({ purpose: '履行法定职责' }),
      published: opts.published ?? false,
      level: opts.level ?? null,
      grading_status: opts.gradingStatus ?? 'ungraded',
    })
    .execute();
  const f: Record<string, string> = {};
  for (const [i, name] of fields.entries()) {
    f[name] = uuidv7();
    await h.t.db
      .insertInto('data_fields')
      .values({ id: f[name], resource_id: rid, institution_id: institutionId, position: i + 1, name, data_type: 'string' })
      .execute();
  }
  return { id: rid, f };
}

const harm = (object: string, degree: string, reason = '按涉及人数和数据精度评估') => ({ object, degree, reason });
const propose = (who: Client, resourceId: string, body: Record<string, unknown>) => who.request('POST', `/api/resources/${resourceId}/gradings`, body);
const decide = (who: Client, gradingId: string, body: Record<string, unknown>) => who.request('POST', `/api/gradings/${gradingId}/decision`, body);

async function resourceRow(rid: string) {
  return h.t.db.selectFrom('data_resources').select(['level', 'categories', 'grading_status', 'version']).where('id', '=', rid).executeTakeFirstOrThrow();
}
async function fieldRows(rid: string) {
  return h.t.db
    .selectFrom('data_fields')
    .select(['name', 'category', 'level', 'pi_type', 'pi_sensitive'])
    .where('resource_id', '=', rid)
    .orderBy('position')
    .execute();
}
async function gradingCount(rid: string) {
  const r = await h.t.db
    .selectFrom('resource_gradings')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('resource_id', '=', rid)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
async function auditsFor(action: string, targetId: string) {
  return h.t.db.selectFrom('audit_events').selectAll().where('action', '=', action).where('target_id', '=', targetId).orderBy('seq').execute();
}
/** Everything a refused request must leave as it was. */
async function snapshot(rid: string) {
  return { resource: await resourceRow(rid), fields: await fieldRows(rid), gradings: await gradingCount(rid) };
}

const HOUSEHOLD = 'public_security.population.household_register';

describe('proposing a grading (CLS-2)', () => {
  let r1: Awaited<ReturnType<typeof makeResource>>;
  beforeAll(async () => {
    r1 = await makeResource(id.psb, ['姓名', '身份证号', '户籍地址']);
  });

  it('a data steward proposes; the matrix gives the proposed level; the resource is pending; audited', async () => {
    const res = await propose(c.psbSteward, r1.id, {
      categories: [HOUSEHOLD],
      harms: [harm('individual', 'serious', '泄露将导致约 80 万人身份信息被冒用')],
      chosenLevel: 'general-3',
      fieldLabels: [
        { fieldId: r1.f.姓名, level: 'general-3', piType: 'name', piSensitive: false },
        { fieldId: r1.f.身份证号, category: HOUSEHOLD, level: 'general-3', piType: 'id_number', piSensitive: false },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const g = res.json();
    expect(g).toMatchObject({
      resourceId: r1.id,
      institutionId: id.psb,
      schemeVersion: 1,
      categories: [HOUSEHOLD],
      harms: [{ object: 'individual', degree: 'serious', reason: '泄露将导致约 80 万人身份信息被冒用', level: 'general-3' }],
      proposedLevel: 'general-3',
      chosenLevel: 'general-3',
      overrideReason: null,
      status: 'pending',
      gradedBy: { id: c.psbSteward.userId, name: '郭亮（公安局数据管理员）' },
      decidedBy: null,
      decidedAt: null,
    });
    expect(g.fieldLabels).toEqual([
      { fieldId: r1.f.姓名, fieldName: '姓名', category: null, level: 'general-3', piType: 'name', piSensitive: false },
      { fieldId: r1.f.身份证号, fieldName: '身份证号', category: HOUSEHOLD, level: 'general-3', piType: 'id_number', piSensitive: false },
    ]);
    // Pending: nothing is applied to the resource or its fields yet.
    expect(await resourceRow(r1.id)).toMatchObject({ grading_status: 'pending', level: null, categories: [] });
    expect((await fieldRows(r1.id)).map((f) => f.level)).toEqual([null, null, null]);
    const audit = await auditsFor('catalog.grading.propose', r1.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_username: 'psb.steward', target_type: 'resource', target_institution_id: id.psb, outcome: 'success' });
    expect(audit[0]?.details).toMatchObject({ gradingId: g.id, proposedLevel: 'general-3', chosenLevel: 'general-3', override: false });
  });

  it('proposes the level of domain.md §1 for the harms given: the highest over all of them', async () => {
    const cases: [ReturnType<typeof harm>[], string][] = [
      [[harm('national_security', 'ordinary')], 'important'],
      [[harm('national_security', 'serious')], 'core'],
      [[harm('individual', 'especially_serious'), harm('economy', 'serious')], 'important'],
      [[harm('organization', 'especially_serious')], 'general-4'],
      [[harm('public_interest', 'ordinary'), harm('individual', 'ordinary')], 'general-2'],
      [[harm('social_order', 'especially_serious'), harm('organization', 'ordinary')], 'core'],
    ];
    for (const [harms, level] of cases) {
      const r = await makeResource(id.psb, ['字段']);
      const res = await propose(c.psbSteward, r.id, { categories: [HOUSEHOLD], harms, chosenLevel: level, fieldLabels: [] });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().proposedLevel, JSON.stringify(harms)).toBe(level);
      expect(res.json().harms.map((x: { level: string }) => x.level)).toHaveLength(harms.length);
    }
  });

  it('a chosen level other than the proposal needs a reason (422 OVERRIDE_REASON_REQUIRED); nothing is written', async () => {
    const r = await makeResource(id.psb, ['车牌号']);
    const before = await snapshot(r.id);
    const body = { categories: ['public_security.traffic.vehicle'], harms: [harm('individual', 'ordinary')], chosenLevel: 'general-3', fieldLabels: [] };
    for (const overrideReason of [undefined, '   ']) {
      const res = await propose(c.psbSteward, r.id, { ...body, ...(overrideReason !== undefined ? { overrideReason } : {}) });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({
        code: 'OVERRIDE_REASON_REQUIRED',
        message: '所选级别（一般数据（3级））与按危害程度确定的级别（一般数据（2级））不同，须说明理由',
        details: { field: 'overrideReason', proposedLevel: 'general-2', chosenLevel: 'general-3' },
      });
    }
    expect(await snapshot(r.id)).toEqual(before);
    expect(await auditsFor('catalog.grading.propose', r.id)).toHaveLength(0);

    const ok = await propose(c.psbSteward, r.id, { ...body, overrideReason: '  车辆信息可关联车主行踪，从严定级  ' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ proposedLevel: 'general-2', chosenLevel: 'general-3', overrideReason: '车辆信息可关联车主行踪，从严定级' });
    expect((await auditsFor('catalog.grading.propose', r.id))[0]?.details).toMatchObject({ override: true });
  });

  it('CLS-4: a level below a field is refused (422 LEVEL_BELOW_FIELD) naming the field; nothing is written', async () => {
    const r = await makeResource(id.psb, ['姓名', '人脸照片', '备注']);
    const before = await snapshot(r.id);
    const res = await propose(c.psbSteward, r.id, {
      categories: ['public_security.video.face'],
      harms: [harm('individual', 'serious')],
      chosenLevel: 'general-3',
      fieldLabels: [
        { fieldId: r.f.姓名, level: 'general-3', piType: 'name', piSensitive: false },
        { fieldId: r.f.人脸照片, level: 'general-4', piType: 'biometric', piSensitive: true },
      ],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'LEVEL_BELOW_FIELD',
      message: '资源级别（一般数据（3级））不得低于其数据项“人脸照片”的级别（一般数据（4级））',
      details: {
        field: 'chosenLevel',
        fieldId: r.f.人脸照片,
        fieldName: '人脸照片',
        fieldLevel: 'general-4',
        chosenLevel: 'general-3',
        labelField: 'fieldLabels.1.level',
      },
    });
    const en = await c.psbSteward.request(
      'POST',
      `/api/resources/${r.id}/gradings`,
      {
        categories: ['public_security.video.face'],
        harms: [harm('individual', 'serious')],
        chosenLevel: 'general-3',
        fieldLabels: [{ fieldId: r.f.人脸照片, level: 'general-4', piType: 'biometric', piSensitive: true }],
      },
      { 'accept-language': 'en' },
    );
    expect(en.json().message).toBe('level general-3 is below field 人脸照片 (general-4); a resource takes the highest level of its fields');
    expect(en.json().details.labelField).toBe('fieldLabels.0.level');
    expect(await snapshot(r.id)).toEqual(before);
    expect(await auditsFor('catalog.grading.propose', r.id)).toHaveLength(0);

    // Graded at the field's level (an override of the matrix's general-3, with its reason), it goes through.
    const ok = await propose(c.psbSteward, r.id, {
      categories: ['public_security.video.face'],
      harms: [harm('individual', 'serious')],
      chosenLevel: 'general-4',
      overrideReason: '含人脸生物识别信息，就高从严',
      fieldLabels: [{ fieldId: r.f.人脸照片, level: 'general-4', piType: 'biometric', piSensitive: true }],
    });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('checks categories against the scheme in force and fields against the resource (422), and the request itself (400)', async () => {
    const r = await makeResource(id.psb, ['姓名']);
    const other = await makeResource(id.psb, ['姓名']);
    const before = await snapshot(r.id);
    const base = { categories: [HOUSEHOLD], harms: [harm('individual', 'ordinary')], chosenLevel: 'general-2', fieldLabels: [] as unknown[] };
    const cases: [string, Record<string, unknown>, number, string, string][] = [
      ['unknown category', { categories: ['public_security.population.pets'] }, 422, 'UNKNOWN_CATEGORY', 'categories.0'],
      [
        'unknown field category',
        { fieldLabels: [{ fieldId: r.f.姓名, category: 'health.medical.x', level: 'general-2', piSensitive: false }] },
        422,
        'UNKNOWN_CATEGORY',
        'fieldLabels.0.category',
      ],
      [
        "another resource's field",
        { fieldLabels: [{ fieldId: other.f.姓名, level: 'general-2', piSensitive: false }] },
        422,
        'UNKNOWN_FIELD',
        'fieldLabels.0.fieldId',
      ],
      ['a category twice', { categories: [HOUSEHOLD, HOUSEHOLD] }, 400, 'DUPLICATE_CATEGORY', 'categories.1'],
      [
        'a field labelled twice',
        {
          fieldLabels: [
            { fieldId: r.f.姓名, level: 'general-2', piSensitive: false },
            { fieldId: r.f.姓名, level: 'general-2', piSensitive: false },
          ],
        },
        400,
        'DUPLICATE_FIELD_LABEL',
        'fieldLabels.1.fieldId',
      ],
      [
        'sensitive PI without its type',
        { fieldLabels: [{ fieldId: r.f.姓名, level: 'general-2', piSensitive: true }] },
        400,
        'PI_TYPE_REQUIRED',
        'fieldLabels.0.piType',
      ],
      ['a harm object twice', { harms: [harm('individual', 'ordinary'), harm('individual', 'serious')] }, 400, 'DUPLICATE_HARM', 'harms.1.object'],
      ['a blank harm reason', { harms: [harm('individual', 'ordinary', '   ')] }, 400, 'VALIDATION_FAILED', 'harms.0.reason'],
      ['no harm at all', { harms: [] }, 400, 'VALIDATION_FAILED', 'harms'],
      ['no category', { categories: [] }, 400, 'VALIDATION_FAILED', 'categories'],
      [
        'an unknown PI type',
        { fieldLabels: [{ fieldId: r.f.姓名, level: 'general-2', piType: 'shoe_size', piSensitive: false }] },
        400,
        'VALIDATION_FAILED',
        'fieldLabels.0.piType',
      ],
      ['an unknown level', { chosenLevel: 'general-5' }, 400, 'VALIDATION_FAILED', 'chosenLevel'],
      ['an unknown property', { level: 'general-2' }, 400, 'VALIDATION_FAILED', 'level'],
    ];
    for (const [label, change, status, code, field] of cases) {
      const res = await propose(c.psbSteward, r.id, { ...base, ...change });
      expect(res.statusCode, label).toBe(status);
      expect(res.json(), label).toMatchObject({ code, details: { field } });
    }
    const unknown = await propose(c.psbSteward, r.id, { ...base, categories: ['public_security.population.pets'] });
    expect(unknown.json().message).toBe('分类“public_security.population.pets”不在现行分类分级规则（第 1 版）中');
    expect(await snapshot(r.id)).toEqual(before);
  });

  it('allows one pending grading per resource (409 GRADING_PENDING)', async () => {
    const before = await gradingCount(r1.id);
    const res = await propose(c.psbSteward, r1.id, {
      categories: [HOUSEHOLD],
      harms: [harm('individual', 'serious')],
      chosenLevel: 'general-3',
      fieldLabels: [],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('GRADING_PENDING');
    expect(await gradingCount(r1.id)).toBe(before);
  });

  it('two proposals at the same moment: one is pending, the other gets the same 409', async () => {
    const r = await makeResource(id.psb, ['字段']);
    const body = { categories: [HOUSEHOLD], harms: [harm('individual', 'ordinary')], chosenLevel: 'general-2', fieldLabels: [] };
    const answers = await Promise.all([propose(c.psbSteward, r.id, body), propose(c.psbSteward, r.id, body)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    expect(await gradingCount(r.id)).toBe(1);
  });
});

describe('deciding (CLS-2, CLS-3)', () => {
  it('the proposer cannot decide their own grading, even holding grading.approve (403 SAME_PERSON, audited as denied)', async () => {
    const r = await makeResource(id.psb, ['姓名']);
    const roleId = uuidv7();
    // The security officer also becomes a data steward: both permissions, one person.
    await h.t.db
      .insertInto('role_assignments')
      .values({ id: roleId, user_id: c.psbSecurity.userId, role: 'data_steward', institution_id: id.psb, granted_by: null })
      .execute();
    try {
      const p = await propose(c.psbSecurity, r.id, {
        categories: [HOUSEHOLD],
        harms: [harm('individual', 'ordinary')],
        chosenLevel: 'general-2',
        fieldLabels: [],
      });
      expect(p.statusCode, p.body).toBe(201);
      const before = await snapshot(r.id);
      const res = await decide(c.psbSecurity, p.json().id, { decision: 'approve' });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'SAME_PERSON', message: '不能审核本人提交的定级' });
      expect(await snapshot(r.id)).toEqual(before);
      const denied = await auditsFor('catalog.grading.approve', r.id);
      expect(denied).toHaveLength(1);
      expect(denied[0]).toMatchObject({ actor_username: 'psb.security', outcome: 'denied' });
      expect(denied[0]?.details).toMatchObject({ gradingId: p.json().id, reason: 'SAME_PERSON' });
      const g = await h.t.db.selectFrom('resource_gradings').select('status').where('id', '=', p.json().id).executeTakeFirstOrThrow();
      expect(g.status).toBe('pending');
    } finally {
      await h.t.db.deleteFrom('role_assignments').where('id', '=', roleId).execute();
    }
  });

  let r: Awaited<ReturnType<typeof makeResource>>;
  let first: string;
  it('a security officer approves: the level, categories and field labels are written; audited', async () => {
    r = await makeResource(id.psb, ['姓名', '身份证号', '户籍地址']);
    const p = await propose(c.psbSteward, r.id, {
      categories: [HOUSEHOLD, 'general_government.population.household'],
      harms: [harm('individual', 'serious')],
      chosenLevel: 'general-3',
      fieldLabels: [
        { fieldId: r.f.姓名, level: 'general-3', piType: 'name', piSensitive: false },
        { fieldId: r.f.身份证号, category: HOUSEHOLD, level: 'general-3', piType: 'id_number', piSensitive: false },
      ],
    });
    first = p.json().id;
    const res = await decide(c.psbSecurity, first, { decision: 'approve', reason: '定级依据充分' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      id: first,
      status: 'approved',
      decidedBy: { id: c.psbSecurity.userId, name: '胡婷（公安局安全管理员）' },
      decisionReason: '定级依据充分',
    });
    expect(res.json().decidedAt).not.toBeNull();
    expect(await resourceRow(r.id)).toMatchObject({
      level: 'general-3',
      categories: [HOUSEHOLD, 'general_government.population.household'],
      grading_status: 'approved',
    });
    // Labelled fields carry their labels (CLS-3); the unlabelled one is left as it was.
    expect(await fieldRows(r.id)).toEqual([
      { name: '姓名', category: null, level: 'general-3', pi_type: 'name', pi_sensitive: false },
      { name: '身份证号', category: HOUSEHOLD, level: 'general-3', pi_type: 'id_number', pi_sensitive: false },
      { name: '户籍地址', category: null, level: null, pi_type: null, pi_sensitive: false },
    ]);
    const audit = await auditsFor('catalog.grading.approve', r.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_username: 'psb.security', outcome: 'success' });
    expect(audit[0]?.details).toMatchObject({ gradingId: first, level: 'general-3', previousLevel: null });

    const again = await decide(c.psbSecurity, first, { decision: 'reject', reason: '重复' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'GRADING_DECIDED', details: { status: 'approved' } });
  });

  it('re-grading: CLS-4 counts the levels fields already carry; a rejected re-grading keeps the approved level', async () => {
    // No labels in this proposal: the fields keep general-3 from the approval, so general-2 is too low.
    const low = await propose(c.psbSteward, r.id, {
      categories: [HOUSEHOLD],
      harms: [harm('individual', 'ordinary')],
      chosenLevel: 'general-2',
      fieldLabels: [],
    });
    expect(low.statusCode).toBe(422);
    expect(low.json()).toMatchObject({ code: 'LEVEL_BELOW_FIELD', details: { fieldName: '姓名', fieldLevel: 'general-3' } });
    expect(low.json().details.labelField).toBeUndefined();

    const up = await propose(c.psbSteward, r.id, {
      categories: [HOUSEHOLD],
      harms: [harm('individual', 'especially_serious', '覆盖全市户籍人口')],
      chosenLevel: 'general-4',
      fieldLabels: [{ fieldId: r.f.身份证号, level: 'general-4', piType: 'id_number', piSensitive: false }],
    });
    expect(up.statusCode, up.body).toBe(201);
    expect(await resourceRow(r.id)).toMatchObject({ grading_status: 'pending', level: 'general-3' });

    const noReason = await decide(c.psbSecurity, up.json().id, { decision: 'reject', reason: '  ' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json()).toMatchObject({ code: 'REASON_REQUIRED', details: { field: 'reason' } });
    const rejected = await decide(c.psbSecurity, up.json().id, { decision: 'reject', reason: '影响人数评估依据不足' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected', decisionReason: '影响人数评估依据不足' });
    // The approved grade stays in force, and so do the field labels it gave.
    expect(await resourceRow(r.id)).toMatchObject({ grading_status: 'approved', level: 'general-3' });
    expect((await fieldRows(r.id)).map((f) => f.level)).toEqual(['general-3', 'general-3', null]);
    expect((await auditsFor('catalog.grading.reject', r.id))[0]?.details).toMatchObject({ reason: '影响人数评估依据不足', previousLevel: 'general-3' });
  });

  it('a rejected first grading leaves the resource ungraded and marked rejected', async () => {
    const x = await makeResource(id.psb, ['字段']);
    const p = await propose(c.psbSteward, x.id, {
      categories: [HOUSEHOLD],
      harms: [harm('individual', 'ordinary')],
      chosenLevel: 'general-2',
      fieldLabels: [],
    });
    const res = await decide(c.psbSecurity, p.json().id, { decision: 'reject', reason: '分类不准确' });
    expect(res.statusCode).toBe(200);
    expect(await resourceRow(x.id)).toMatchObject({ grading_status: 'rejected', level: null, categories: [] });
  });

  it('approval refuses a grading the resource has outgrown (409 GRADING_STALE), changing nothing', async () => {
    const x = await makeResource(id.psb, ['姓名', '手机号']);
    const p = await propose(c.psbSteward, x.id, {
      categories: [HOUSEHOLD],
      harms: [harm('individual', 'ordinary')],
      chosenLevel: 'general-2',
      fieldLabels: [{ fieldId: x.f.手机号, level: 'general-2', piType: 'phone', piSensitive: false }],
    });
    // The field is dropped after the proposal (as a resource edit would).
    await h.t.db.deleteFrom('data_fields').where('id', '=', x.f.手机号).execute();
    const before = await snapshot(x.id);
    const res = await decide(c.psbSecurity, p.json().id, { decision: 'approve' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'GRADING_STALE', details: { reason: 'field', fieldName: '手机号' } });
    expect(await snapshot(x.id)).toEqual(before);
    expect((await decide(c.psbSecurity, p.json().id, { decision: 'reject', reason: '数据项已变更' })).statusCode).toBe(200);
  });

  it('approval checks CLS-4 again against the fields as they are at approval time', async () => {
    const x = await makeResource(id.psb, ['姓名', '案件详情']);
    const p = await propose(c.psbSteward, x.id, {
      categories: [HOUSEHOLD],
      harms: [harm('individual', 'ordinary')],
      chosenLevel: 'general-2',
      fieldLabels: [],
    });
    // Another writer (an import, a later tool) labels a field above the proposal in the meantime.
    await h.t.db.updateTable('data_fields').set({ level: 'important' }).where('id', '=', x.f.案件详情).execute();
    const before = await snapshot(x.id);
    const res = await decide(c.psbSecurity, p.json().id, { decision: 'approve' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'LEVEL_BELOW_FIELD', details: { fieldName: '案件详情', fieldLevel: 'important' } });
    expect(await snapshot(x.id)).toEqual(before);
  });
});

describe('history and scope', () => {
  it('lists every proposal and decision, newest first; refused attempts leave no trace', async () => {
    const x = await makeResource(id.psb, ['姓名'], { published: false });
    const a = await propose(c.psbSteward, x.id, {
      categories: [HOUSEHOLD],
      harms: [harm('individual', 'ordinary')],
      chosenLevel: 'general-2',
      fieldLabels: [],
    });
    await decide(c.psbSecurity, a.json().id, { decision: 'approve' });
    await propose(c.psbSteward, x.id, { categories: [HOUSEHOLD], harms: [harm('individual', 'ordinary')], chosenLevel: 'general-1', fieldLabels: [] }); // 422
    const b = await propose(c.psbSteward, x.id, {
      categories: [HOUSEHOLD],
      harms: [harm('individual', 'serious')],
      chosenLevel: 'general-3',
      fieldLabels: [],
    });
    const res = await c.psbSteward.request('GET', `/api/resources/${x.id}/gradings`);
    expect(res.statusCode).toBe(200);
    expect(res.json().map((g: { id: string; status: string; chosenLevel: string }) => [g.id, g.status, g.chosenLevel])).toEqual([
      [b.json().id, 'pending', 'general-3'],
      [a.json().id, 'approved', 'general-2'],
    ]);
    expect(res.json()[1]).toMatchObject({ decidedBy: { id: c.psbSecurity.userId }, resourceName: expect.stringMatching(/^数据资源/) });
    // Vendor staff operating for the institution read its catalog, history included.
    expect((await c.vendor.request('GET', `/api/resources/${x.id}/gradings`)).statusCode).toBe(200);
  });

  it("another institution's unpublished resource is 404 for every grading route; a published one is readable, not gradable", async () => {
    const health = await makeResource(id.health, ['诊断结果'], { gradingStatus: 'pending' });
    const healthGrading = uuidv7();
    await h.t.db
      .insertInto('resource_gradings')
      .values({
        id: healthGrading,
        resource_id: health.id,
        institution_id: id.health,
        scheme_version: 1,
        categories: ['health.medical.emr'],
        harms: JSON.stringify([{ object: 'individual', degree: 'especially_serious', reason: '病历', level: 'general-4' }]),
        proposed_level: 'general-4',
        chosen_level: 'general-4',
        field_labels: '[]',
        status: 'pending',
      })
      .execute();
    const before = await snapshot(health.id);
    const body = { categories: ['health.medical.emr'], harms: [harm('individual', 'especially_serious')], chosenLevel: 'general-4', fieldLabels: [] };
    const p = await propose(c.psbSteward, health.id, body);
    expect(p.statusCode).toBe(404);
    expect(p.json()).toEqual({ code: 'NOT_FOUND', message: '数据资源不存在', requestId: expect.any(String) });
    expect((await decide(c.psbSecurity, healthGrading, { decision: 'approve' })).statusCode).toBe(404);
    expect((await c.psbSteward.request('GET', `/api/resources/${health.id}/gradings`)).statusCode).toBe(404);
    expect((await c.eduUser.request('GET', `/api/resources/${health.id}/gradings`)).statusCode).toBe(404);
    // The regulator's auditor reads the health commission's catalog under its read grant, and changes nothing.
    expect((await c.cacAuditor.request('GET', `/api/resources/${health.id}/gradings`)).statusCode).toBe(200);
    expect((await propose(c.cacAuditor, health.id, body)).statusCode).toBe(403);
    expect((await decide(c.cacAuditor, healthGrading, { decision: 'approve' })).statusCode).toBe(403);
    expect(await snapshot(health.id)).toEqual(before);

    const shared = await makeResource(id.psb, ['字段'], { published: true });
    expect((await c.eduUser.request('GET', `/api/resources/${shared.id}/gradings`)).statusCode).toBe(200);
    const eduPropose = await propose(c.eduUser, shared.id, { ...body, categories: [HOUSEHOLD] });
    expect(eduPropose.statusCode).toBe(403);
    expect(await gradingCount(shared.id)).toBe(0);
  });

  it('in reach without the permission is 403: an institution admin cannot propose, a steward cannot decide', async () => {
    const x = await makeResource(id.psb, ['字段']);
    const body = { categories: [HOUSEHOLD], harms: [harm('individual', 'ordinary')], chosenLevel: 'general-2', fieldLabels: [] };
    expect((await propose(c.psbAdmin, x.id, body)).statusCode).toBe(403);
    expect((await propose(c.psbSecurity, x.id, body)).statusCode).toBe(403);
    const p = await propose(c.psbSteward, x.id, body);
    expect((await decide(c.psbSteward, p.json().id, { decision: 'approve' })).statusCode).toBe(403);
    expect((await decide(c.psbAdmin, p.json().id, { decision: 'approve' })).statusCode).toBe(403);
    expect(await resourceRow(x.id)).toMatchObject({ grading_status: 'pending', level: null });
  });

  it('unknown ids are 404, malformed ones 400', async () => {
    const body = { categories: [HOUSEHOLD], harms: [harm('individual', 'ordinary')], chosenLevel: 'general-2', fieldLabels: [] };
    expect((await propose(c.psbSteward, uuidv7(), body)).statusCode).toBe(404);
    expect((await decide(c.psbSecurity, uuidv7(), { decision: 'approve' })).json()).toMatchObject({ code: 'NOT_FOUND', message: '定级记录不存在' });
    expect((await propose(c.psbSteward, 'not-a-uuid', body)).json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'id', in: 'params' } });
    expect((await decide(c.psbSecurity, uuidv7(), { decision: 'maybe' })).json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'decision' } });
  });
});

describe('GET /api/grading/dashboard', () => {
  type Row = {
    institutionId: string;
    resources: number;
    graded: number;
    ungraded: number;
    pending: number;
    byLevel: Record<string, number>;
    lateFilings: number | null;
    overdueFilings: number | null;
  };
  const zeroLevels = { core: 0, important: 0, 'general-4': 0, 'general-3': 0, 'general-2': 0, 'general-1': 0 };

  beforeAll(async () => {
    // Transport: six resources in every state, written directly with their level and status.
    await makeResource(id.transport, ['a'], { level: 'important', gradingStatus: 'approved' });
    await makeResource(id.transport, ['a'], { level: 'general-3', gradingStatus: 'approved' });
    await makeResource(id.transport, ['a'], { level: 'general-3', gradingStatus: 'pending' }); // re-grading
    await makeResource(id.transport, ['a'], { gradingStatus: 'pending' });
    await makeResource(id.transport, ['a'], { gradingStatus: 'ungraded' });
    await makeResource(id.transport, ['a'], { gradingStatus: 'rejected' });
    // Its filings: late and accepted; pending past the deadline; pending within it; late and still pending past it.
    const systemId = await systemOf(id.transport);
    const filings: [boolean, string, string][] = [
      [true, 'accepted', '2020-03-02'],
      [false, 'pending', '2020-03-02'],
      [false, 'pending', '2999-12-31'],
      [true, 'pending', '2020-03-02'],
    ];
    for (const [i, [late, reviewStatus, deadline]] of filings.entries()) {
      await h.t.db
        .insertInto('system_filings')
        .values({
          id: uuidv7(),
          system_id: systemId,
          institution_id: id.transport,
          version: i + 1,
          kind: i === 0 ? 'registration' : 'change',
          event_date: '2020-02-01',
          deadline,
          late,
          snapshot: '{}',
          review_status: reviewStatus,
        })
        .execute();
    }
  });

  it('counts per institution in reach: levels, ungraded, pending, late and overdue filings', async () => {
    const res = await c.cityAdmin.request('GET', '/api/grading/dashboard');
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json() as { schemeVersion: number; totals: Omit<Row, 'institutionId'>; institutions: Row[] };
    expect(d.schemeVersion).toBe(1);
    expect(d.institutions.find((i) => i.institutionId === id.transport)).toEqual({
      institutionId: id.transport,
      institutionName: '示范市交通运输局',
      resources: 6,
      graded: 2 + 1,
      ungraded: 3,
      pending: 2,
      byLevel: { ...zeroLevels, important: 1, 'general-3': 2 },
      lateFilings: 2,
      overdueFilings: 2,
    });
    // A data-holding institution with nothing catalogued is listed with zeros; a vendor with no data is not.
    expect(d.institutions.find((i) => i.institutionId === id.civil)).toMatchObject({ resources: 0, ungraded: 0, lateFilings: 0, byLevel: zeroLevels });
    expect(d.institutions.some((i) => i.institutionId === id.vendor)).toBe(false);
    // Totals are the sum of the rows.
    const sum = (k: 'resources' | 'graded' | 'ungraded' | 'pending') => d.institutions.reduce((n, i) => n + i[k], 0);
    expect(d.totals).toMatchObject({ resources: sum('resources'), graded: sum('graded'), ungraded: sum('ungraded'), pending: sum('pending') });
    expect(d.totals.lateFilings).toBe(2);
    expect(d.totals.byLevel.important).toBe(d.institutions.reduce((n, i) => n + i.byLevel.important, 0));
  });

  it('shows each caller only their reach; filings only within system.read reach', async () => {
    const psb = (await c.psbSecurity.request('GET', '/api/grading/dashboard')).json();
    expect(psb.institutions.map((i: Row) => i.institutionId)).toEqual([id.psb]);
    expect(psb.institutions[0].lateFilings).toBe(0);
    expect(psb.totals.resources).toBe(psb.institutions[0].resources);

    // A data user reads the catalog but not the systems registry: no filing counts.
    const edu = (await c.eduUser.request('GET', '/api/grading/dashboard')).json();
    expect(edu.institutions).toEqual([
      {
        institutionId: id.edu,
        institutionName: '示范市教育局',
        resources: 0,
        graded: 0,
        ungraded: 0,
        pending: 0,
        byLevel: zeroLevels,
        lateFilings: null,
        overdueFilings: null,
      },
    ]);
    expect(edu.totals).toMatchObject({ resources: 0, lateFilings: null, overdueFilings: null });

    // The regulator's auditor: the granted institutions (its own regulator office holds no data).
    const cac = (await c.cacAuditor.request('GET', '/api/grading/dashboard')).json();
    expect(new Set(cac.institutions.map((i: Row) => i.institutionId))).toEqual(new Set([id.psb, id.health]));
    expect(cac.institutions.find((i: Row) => i.institutionId === id.health)).toMatchObject({ resources: 1, ungraded: 1, pending: 1 });
  });
});
