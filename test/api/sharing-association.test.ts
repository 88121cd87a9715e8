// LIF-8 (HZ-23, GZ-15; docs/sharing-contract.md "LIF-8 关联分析评估"): a share request that could be linked with
// data the applicant already holds (active grant) or is asking for (request in review), or whose applicant
// declares the intent, is flagged at submission; the authority then assesses it in an `association` step
// before its approval, the assessment is stored with the decision, and the agreement gains a clause. Also the
// injectable clock of submission and decisions (deadlines across National Day 2026).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { beijingToday } from '../../src/modules/catalog/deadlines.ts';
import { loadActor } from '../../src/modules/org/actor.repo.ts';
import type { Actor } from '../../src/modules/org/actor.ts';
import type { ShareRequest, ShareRequestCreate } from '../../src/modules/sharing/requests.schemas.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';
import { insertGrant, type SharingFixture, type TypedField, typedResource } from '../helpers/sharing.ts';

let h: TestApp;
const c = {} as Record<'eduUser' | 'psbSteward' | 'cityOfficer' | 'cityAdmin' | 'districtAdmin', Client>;
const id = {} as Record<'city' | 'psb' | 'edu' | 'health', string>;

beforeAll(async () => {
  h = await createTestApp();
  id.city = await h.inst('示范市数据管理局');
  id.psb = await h.inst('示范市公安局');
  id.edu = await h.inst('示范市教育局');
  id.health = await h.inst('示范市卫生健康委员会');
  c.eduUser = await h.login('edu.user');
  c.psbSteward = await h.login('psb.steward');
  c.cityOfficer = await h.login('city.officer');
  c.cityAdmin = await h.login('city.admin');
  c.districtAdmin = await h.login('district.admin');
});
afterAll(() => h?.close());

// Each test starts from an applicant holding nothing: what earlier tests left pending or granted is retired.
afterEach(async () => {
  await h.t.db.updateTable('share_grants').set({ status: 'revoked' }).where('recipient_institution_id', '=', id.edu).where('status', '=', 'active').execute();
  const pending = h.t.db
    .selectFrom('share_requests')
    .select('id')
    .where('applicant_institution_id', '=', id.edu)
    .where('status', 'in', ['in_review', 'evidence_requested', 'approved']);
  await h.t.db
    .updateTable('share_request_steps')
    .set({ status: 'cancelled' })
    .where('request_id', 'in', pending)
    .where('status', 'in', ['open', 'waiting'])
    .execute();
  await h.t.db
    .updateTable('share_requests')
    .set({ status: 'withdrawn' })
    .where('applicant_institution_id', '=', id.edu)
    .where('status', 'in', ['in_review', 'evidence_requested', 'approved'])
    .execute();
});

/** The psb resource edu asks for: an ID number, a name, a birth date, a district. */
const REQUESTED: TypedField[] = [
  ['gmsfhm', 'id_number', 'general-3'],
  ['xm', 'name'],
  ['csrq', 'birth_date'],
  ['qx', null],
];
const fixture = (resourceId: string): SharingFixture =>
  ({ resourceId, resourceName: '', psb: id.psb, edu: id.edu, steward: c.psbSteward, user: c.eduUser, rows: [] }) as SharingFixture;

/** A held resource granted to edu (active grant over all its fields). */
async function grantOf(fields: TypedField[], name?: string) {
  const r = await typedResource(h, id.psb, fields, { name });
  const grantId = await insertGrant(h, fixture(r.id), { resourceId: r.id, fields: fields.map((f) => f[0]) });
  return { ...r, grantId };
}

const nextYear = Number(beijingToday().slice(0, 4)) + 1;
function body(resourceId: string, fields: string[], extra: Record<string, unknown> = {}) {
  return {
    resourceId,
    fields,
    purpose: '学生资助对象身份核验',
    purposeCode: 'edu.aid-check',
    legalBasis: '《学生资助资金管理办法》',
    scenario: '资助申请受理时核验申请人身份',
    method: 'interface' as const,
    termStart: beijingToday(),
    termEnd: `${nextYear}-08-31`,
    securityMeasures: '政务外网专线访问；国密加密存储',
    liabilityAccepted: true,
    ...extra,
  };
}
async function apply(resourceId: string, fields: string[], extra: Record<string, unknown> = {}): Promise<ShareRequest> {
  const res = await c.eduUser.request('POST', '/api/share-requests', body(resourceId, fields, extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
async function requested(extra: Record<string, unknown> = {}) {
  const r = await typedResource(h, id.psb, REQUESTED);
  return { resource: r, request: await apply(r.id, ['gmsfhm', 'xm', 'csrq', 'qx'], extra) };
}
const decide = (who: Client, rid: string, b: Record<string, unknown>) => who.request('POST', `/api/share-requests/${rid}/decision`, b);
const kinds = (r: ShareRequest) => r.steps.map((s) => `${s.kind}:${s.status}`);
const ASSESS = {
  conclusion: 'acceptable_with_measures',
  risks: '身份证号可逐条关联学籍与户籍数据',
  measures: '比对在隔离环境中进行，结果只保留核验结论',
  assessorKind: 'authority',
};

describe('the association check at submission (LIF-8)', () => {
  it('no key in common with what the applicant holds: not flagged, the chain is unchanged', async () => {
    await grantOf([
      ['lxdh', 'phone'],
      ['xm', 'name'],
      ['jkzk', 'health', 'general-2', true],
    ]);
    const { request } = await requested();
    expect(request.association).toMatchObject({ flagged: false, reasons: [], declaration: null });
    expect(kinds(request)).toEqual(['provider:open', 'authority:waiting']);
  });

  it('an ID number in common with an active grant (matched by PI type, not name): LINK_KEY, and the association step after the provider', async () => {
    const held = await grantOf([
      ['zjhm', 'id_number'],
      ['xxmc', 'education_work'],
    ]);
    const { request } = await requested();
    expect(request.association?.flagged).toBe(true);
    expect(request.association?.reasons).toEqual([
      { code: 'LINK_KEY', resourceId: held.id, resourceName: held.name, via: 'grant', refId: held.grantId, keys: ['id_number'], sensitive: false },
    ]);
    expect(kinds(request)).toEqual(['provider:open', 'association:waiting', 'authority:waiting']);
    expect(request.steps[1]?.institution.id).toBe(id.city);
    const [ev] = await h.t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'sharing.request.create')
      .where('target_id', '=', request.id)
      .execute();
    expect(ev?.details).toMatchObject({
      chain: ['provider', 'association', 'authority'],
      association: { flagged: true, reasons: [{ code: 'LINK_KEY', resourceId: held.id }] },
    });
  });

  it('two quasi-identifiers in common (name + birth date): QUASI_IDENTIFIERS; sensitive when the held side has sensitive PI', async () => {
    const held = await grantOf([
      ['name', 'name'],
      ['birthday', 'birth_date'],
      ['zd', 'health', 'general-3', true],
    ]);
    const { request } = await requested();
    expect(request.association?.reasons).toEqual([
      {
        code: 'QUASI_IDENTIFIERS',
        resourceId: held.id,
        resourceName: held.name,
        via: 'grant',
        refId: held.grantId,
        keys: ['birth_date', 'name'],
        sensitive: true,
      },
    ]);
  });

  it('a request still in review counts too (via request); a revoked grant does not', async () => {
    const revoked = await grantOf([['sfz', 'id_number']]);
    await h.t.db.updateTable('share_grants').set({ status: 'revoked' }).where('id', '=', revoked.grantId).execute();
    const other = await typedResource(h, id.psb, [
      ['sjhm', 'phone'],
      ['sfzhm', 'id_number'],
    ]);
    const first = await apply(other.id, ['sjhm', 'sfzhm']);
    expect(first.association?.flagged).toBe(false);
    const { request } = await requested();
    expect(request.association?.reasons).toEqual([
      { code: 'LINK_KEY', resourceId: other.id, resourceName: other.name, via: 'request', refId: first.id, keys: ['id_number'], sensitive: false },
    ]);
  });

  it('only the fields asked for count: a held link key the request does not ask for is no link', async () => {
    await grantOf([['zjhm', 'id_number']]);
    const r = await typedResource(h, id.psb, REQUESTED);
    const request = await apply(r.id, ['xm', 'qx']);
    expect(request.association?.flagged).toBe(false);
  });

  it('declared by the applicant with its self-check: DECLARED, stored with the declaration', async () => {
    const { request } = await requested({ association: { intended: true, description: '与学籍库比对困难学生', selfAssessment: '仅比对核验，不留存明细' } });
    expect(request.association).toMatchObject({
      flagged: true,
      reasons: [{ code: 'DECLARED', resourceId: null, via: null, keys: [], sensitive: false }],
      declaration: { intended: true, description: '与学籍库比对困难学生', selfAssessment: '仅比对核验，不留存明细' },
    });
    expect(kinds(request)).toEqual(['provider:open', 'association:waiting', 'authority:waiting']);
  });
});

describe('the association step and its assessment (LIF-8, HZ-23)', () => {
  async function atAssociation(extra: Record<string, unknown> = {}) {
    const held = await grantOf([['zjhm', 'id_number']], `学籍信息${Date.now().toString(36)}`);
    const { request } = await requested(extra);
    const p = await decide(c.psbSteward, request.id, { decision: 'approve' });
    expect(p.statusCode, p.body).toBe(200);
    expect(p.json().currentStep).toMatchObject({ kind: 'association', institution: { id: id.city } });
    return { held, request: p.json() as ShareRequest };
  }

  it('the authority sees it in its queue and among requests waiting on it; another authority cannot decide it (404)', async () => {
    const { request } = await atAssociation();
    const queue = (await c.cityOfficer.request('GET', '/api/sharing/queue')).json();
    expect(queue.items.find((x: { id: string }) => x.id === request.id)?.currentStep.kind).toBe('association');
    const mine = (await c.cityOfficer.request('GET', '/api/share-requests?role=approver&pageSize=100')).json();
    expect(mine.items.map((x: { id: string }) => x.id)).toContain(request.id);
    const other = await decide(c.districtAdmin, request.id, { decision: 'approve', assessment: ASSESS });
    expect(other.statusCode).toBe(404);
    // The provider cannot take the authority's assessment: nothing waits on it (409 as for any step).
    const provider = await decide(c.psbSteward, request.id, { decision: 'approve', assessment: ASSESS });
    expect(provider.statusCode).toBe(409);
    expect(provider.json().code).toBe('STEP_NOT_OPEN');
    expect(await h.t.db.selectFrom('share_association_assessments').select('id').where('request_id', '=', request.id).execute()).toEqual([]);
  });

  it('deciding without an assessment is 422 ASSESSMENT_REQUIRED; measures are required for acceptable_with_measures; conclusion and decision must agree', async () => {
    const { request } = await atAssociation();
    const none = await decide(c.cityOfficer, request.id, { decision: 'approve' });
    expect(none.statusCode).toBe(422);
    expect(none.json()).toMatchObject({ code: 'ASSESSMENT_REQUIRED' });
    expect(none.json().message).toContain('关联分析评估');
    const noMeasures = await decide(c.cityOfficer, request.id, { decision: 'approve', assessment: { ...ASSESS, measures: '  ' } });
    expect(noMeasures.statusCode).toBe(422);
    expect(noMeasures.json()).toMatchObject({ code: 'MEASURES_REQUIRED', details: { field: 'assessment.measures' } });
    const conflict = await decide(c.cityOfficer, request.id, { decision: 'approve', assessment: { ...ASSESS, conclusion: 'not_acceptable' } });
    expect(conflict.statusCode).toBe(422);
    expect(conflict.json().code).toBe('ASSESSMENT_CONFLICT');
    const thirdParty = await decide(c.cityOfficer, request.id, { decision: 'approve', assessment: { ...ASSESS, assessorKind: 'third_party' } });
    expect(thirdParty.json().code).toBe('ASSESSOR_ORG_REQUIRED');
    const badFile = await decide(c.cityOfficer, request.id, {
      decision: 'approve',
      assessment: { ...ASSESS, reportFile: { name: 'r.pdf', contentBase64: '***' } },
    });
    expect(badFile.json().code).toBe('FILE_INVALID');
    // Nothing was written by the refused attempts.
    const still = (await c.eduUser.request('GET', `/api/share-requests/${request.id}`)).json() as ShareRequest;
    expect(still.currentStep?.kind).toBe('association');
    expect(still.associationAssessment).toBeNull();
  });

  it('an assessment on a step that is not the association step is 422 ASSESSMENT_CONFLICT', async () => {
    const r = await typedResource(h, id.psb, REQUESTED);
    const plain = await apply(r.id, ['qx']);
    const res = await decide(c.psbSteward, plain.id, { decision: 'approve', assessment: ASSESS });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('ASSESSMENT_CONFLICT');
  });

  it('not acceptable: the request is rejected with the risks as the reason; the assessment and the audit event are stored', async () => {
    const { request } = await atAssociation();
    const risks = '关联后可识别困难家庭儿童的健康状况，风险不可接受';
    const res = await decide(c.cityOfficer, request.id, { decision: 'reject', assessment: { conclusion: 'not_acceptable', risks, assessorKind: 'authority' } });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json() as ShareRequest;
    expect(r.status).toBe('rejected');
    expect(kinds(r)).toEqual(['provider:approved', 'association:rejected', 'authority:cancelled']);
    expect(r.steps[1]?.reason).toBe(risks);
    expect(r.associationAssessment).toMatchObject({
      conclusion: 'not_acceptable',
      risks,
      measures: null,
      assessorKind: 'authority',
      stepSeq: 2,
      recordedBy: { id: c.cityOfficer.userId },
    });
    const events = await h.t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'sharing.request.decide')
      .where('target_id', '=', request.id)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.details)).toMatchObject([
      { step: 'provider', decision: 'approve' },
      { step: 'association', decision: 'reject', reason: risks, assessment: { conclusion: 'not_acceptable', assessorKind: 'authority' } },
    ]);
    // The assessment is evidence: never updated.
    await expect(h.t.db.updateTable('share_association_assessments').set({ risks: '改写' }).where('request_id', '=', request.id).execute()).rejects.toThrow(
      /append-only/,
    );
  });

  it('acceptable with measures (third party, report file): the chain goes on to the authority; the agreement names the linked resource and the measures', async () => {
    const { held, request } = await atAssociation();
    const report = Buffer.from('关联分析安全评估报告（测试）');
    const res = await decide(c.cityAdmin, request.id, {
      decision: 'approve',
      assessment: {
        ...ASSESS,
        assessorKind: 'third_party',
        assessorOrg: '示范市网络安全测评中心',
        reportFile: { name: '评估报告.pdf', contentBase64: report.toString('base64') },
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json() as ShareRequest;
    expect(kinds(r)).toEqual(['provider:approved', 'association:approved', 'authority:open']);
    expect(r.associationAssessment).toMatchObject({
      conclusion: 'acceptable_with_measures',
      measures: ASSESS.measures,
      assessorKind: 'third_party',
      assessorOrg: '示范市网络安全测评中心',
      reportFileName: '评估报告.pdf',
      reportFileSm3: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const stored = await h.t.db
      .selectFrom('share_association_assessments')
      .select(['report_file'])
      .where('request_id', '=', request.id)
      .executeTakeFirstOrThrow();
    expect(stored.report_file?.equals(report)).toBe(true);
    // Whoever reads the request can download the report as recorded, with its SM3; others get 404.
    const dl = await c.eduUser.request('GET', `/api/share-requests/${request.id}/association-assessment/report`);
    expect(dl.statusCode, dl.body).toBe(200);
    expect(dl.rawPayload.equals(report)).toBe(true);
    expect(dl.headers['x-content-sm3']).toBe(r.associationAssessment?.reportFileSm3);
    expect(String(dl.headers['content-disposition'])).toContain(encodeURIComponent('评估报告.pdf'));
    expect((await c.districtAdmin.request('GET', `/api/share-requests/${request.id}/association-assessment/report`)).statusCode).toBe(404);
    // The same person cannot decide the next step; another authority person approves.
    expect((await decide(c.cityAdmin, request.id, { decision: 'approve' })).json().code).toBe('SAME_PERSON');
    const done = await decide(c.cityOfficer, request.id, { decision: 'approve' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().status).toBe('approved');
    const agreement = (await c.eduUser.request('GET', `/api/share-agreements/${done.json().agreementId}`)).json();
    expect(agreement.text).toContain(`关联分析安全要求。本次共享数据可能与乙方已获取或正在申请的数据资源“${held.name}”进行关联分析`);
    expect(agreement.text).toContain(`乙方应当落实评估要求的以下安全措施：${ASSESS.measures}。`);
    expect(agreement.text).toContain('不得通过数据碰撞、关联分析重新识别特定自然人');
  });

  it('an unflagged request gets no clause', async () => {
    const r = await typedResource(h, id.psb, REQUESTED);
    const plain = await apply(r.id, ['qx']);
    await decide(c.psbSteward, plain.id, { decision: 'approve' });
    const done = await decide(c.cityOfficer, plain.id, { decision: 'approve' });
    expect(done.json().status).toBe('approved');
    const agreement = (await c.eduUser.request('GET', `/api/share-agreements/${done.json().agreementId}`)).json();
    expect(agreement.text).not.toContain('关联分析安全要求');
  });
});

describe('the injectable clock of request steps (LIF-4 deadlines)', () => {
  async function actorOf(client: Client): Promise<Actor> {
    return (await loadActor(h.t.db, client.userId, { ip: null, requestId: null, lang: 'zh' }, { tokenScopes: null, sessionId: null })) as Actor;
  }

  it('submitted Wed 30 Sep 2026: the provider step is due 5 working days later across National Day (13 Oct 2026); the next step counts from its decision date', async () => {
    const r = await typedResource(h, id.psb, REQUESTED);
    const submittedAt = new Date('2026-09-30T10:00:00+08:00');
    const created = await h.services.shareRequests.create(
      await actorOf(c.eduUser),
      { ...body(r.id, ['qx']), termStart: '2026-10-01', termEnd: '2027-08-31' } satisfies ShareRequestCreate,
      submittedAt,
    );
    // 1–7 Oct holiday; 8 Oct (Thu) 1, 9 Oct (Fri) 2, 10 Oct (Saturday make-up day) 3, 12 Oct (Mon) 4, 13 Oct (Tue) 5.
    expect(created.steps[0]).toMatchObject({ kind: 'provider', openedAt: submittedAt.toISOString(), dueDate: '2026-10-13' });
    expect(created.steps[0]?.dueDate).toBe((await h.services.workdays.addWorkdays('2026-09-30', 5)).result);
    expect(created.createdAt).toBe(submittedAt.toISOString());
    // Past its due date (the real today is after 13 Oct 2026 whenever this runs later): overdue.
    const today = beijingToday();
    expect(created.steps[0]?.overdue).toBe(today > '2026-10-13');
    if (today > '2026-10-13') {
      const overdue = (await c.psbSteward.request('GET', '/api/share-requests?overdue=true&pageSize=100')).json();
      expect(overdue.items.map((x: { id: string }) => x.id)).toContain(created.id);
      const list = (await c.psbSteward.request('GET', '/api/sharing/overdue')).json();
      expect(list.items.some((x: { id: string; stepKind: string }) => x.id === created.id && x.stepKind === 'provider')).toBe(true);
    }

    const decidedAt = new Date('2026-10-20T15:00:00+08:00');
    const next = await h.services.shareRequests.decide(await actorOf(c.psbSteward), created.id, { decision: 'approve' }, decidedAt);
    // Tue 20 Oct + 5 working days: 21, 22, 23, 26, 27 Oct.
    expect(next.steps[0]).toMatchObject({ status: 'approved', decidedAt: decidedAt.toISOString() });
    expect(next.steps[1]).toMatchObject({ kind: 'authority', status: 'open', openedAt: decidedAt.toISOString(), dueDate: '2026-10-27' });
    expect(next.steps[1]?.dueDate).toBe((await h.services.workdays.addWorkdays('2026-10-20', 5)).result);
    expect(next.steps[1]?.overdue).toBe(today > '2026-10-27');
  });
});
