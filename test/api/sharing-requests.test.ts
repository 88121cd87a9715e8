// Share requests and the approval chain (LIF-4; docs/sharing-contract.md "Requests and approvals"): the
// chain per share attribute and level, deadlines from the working-day calendar, separation of duties,
// reach, evidence, rejection, withdrawal, and the authority's queue, overdue list and map.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/db/ids.ts';
import { sm3 } from '../../src/engines/gm/index.ts';
import { beijingToday } from '../../src/modules/catalog/deadlines.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';

let h: TestApp;
const c = {} as Record<'eduUser' | 'psbSteward' | 'psbSecurity' | 'cityAdmin' | 'cityOfficer' | 'districtAdmin' | 'cacAuditor' | 'vendor', Client>;
const id = {} as Record<'city' | 'psb' | 'edu' | 'health' | 'district', string>;
const systems = new Map<string, string>();

beforeAll(async () => {
  h = await createTestApp();
  id.city = await h.inst('示范市数据管理局');
  id.district = await h.inst('示范市南湖区数据管理局');
  id.psb = await h.inst('示范市公安局');
  id.edu = await h.inst('示范市教育局');
  id.health = await h.inst('示范市卫生健康委员会');
  c.eduUser = await h.login('edu.user');
  c.psbSteward = await h.login('psb.steward');
  c.psbSecurity = await h.login('psb.security');
  c.cityAdmin = await h.login('city.admin');
  c.cityOfficer = await h.login('city.officer');
  c.districtAdmin = await h.login('district.admin');
  c.cacAuditor = await h.login('cac.auditor');
  c.vendor = await h.login('vendor.ops1');
});
afterAll(() => h?.close());

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
/** A catalog resource as the catalog stores it (graded at `level`, published unless said otherwise). */
async function makeResource(
  institutionId: string,
  opts: { shareAttribute?: 'unconditional' | 'conditional' | 'not_shared'; level?: string | null; published?: boolean } = {},
): Promise<string> {
  const rid = uuidv7();
  seq++;
  await h.t.db
    .insertInto('data_resources')
    .values({
      id: rid,
      institution_id: institutionId,
      system_id: await systemOf(institutionId),
      name: `共享资源${seq}`,
      share_attribute: opts.shareAttribute ?? 'conditional',
      share_basis: opts.shareAttribute === 'unconditional' ? null : '《示范市公共数据管理办法》第十二条',
      open_attribute: 'not_open',
      collection: JSON.stringify({ purpose: '履行法定职责' }),
      published: opts.published ?? true,
      level: opts.level === undefined ? 'important' : opts.level,
      grading_status: opts.level === null ? 'ungraded' : 'approved',
    })
    .execute();
  for (const [i, name] of ['xm', 'sfzh', 'xb', 'hjdz'].entries()) {
    await h.t.db
      .insertInto('data_fields')
      .values({ id: uuidv7(), resource_id: rid, institution_id: institutionId, position: i + 1, name, data_type: 'string', description: `字段${name}` })
      .execute();
  }
  return rid;
}

const nextYear = Number(beijingToday().slice(0, 4)) + 1;
function body(resourceId: string, extra: Record<string, unknown> = {}) {
  return {
    resourceId,
    fields: ['xm', 'xb'],
    rowFilter: [{ field: 'hjdz', op: 'eq', value: '南湖区' }],
    purpose: '义务教育入学资格核验',
    purposeCode: 'edu.enrolment',
    legalBasis: '《中华人民共和国义务教育法》第十二条',
    scenario: '新生入学报名时核验户籍',
    method: 'interface',
    termStart: beijingToday(),
    termEnd: `${nextYear}-08-31`,
    securityMeasures: '政务外网专线访问；国密加密存储；最小授权',
    liabilityAccepted: true,
    ...extra,
  };
}

async function apply(who: Client, resourceId: string, extra: Record<string, unknown> = {}) {
  const res = await who.request('POST', '/api/share-requests', body(resourceId, extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
const decide = (who: Client, rid: string, b: Record<string, unknown>) => who.request('POST', `/api/share-requests/${rid}/decision`, b);
const steps = (r: { steps: { kind: string; status: string; institution: { id: string } }[] }) => r.steps.map((s) => `${s.kind}:${s.status}`);

async function audits(action: string, targetId: string) {
  return h.t.db.selectFrom('audit_events').selectAll().where('action', '=', action).where('target_id', '=', targetId).orderBy('seq').execute();
}

describe('submission and the chain per share attribute (LIF-4)', () => {
  it('unconditional data of a low level: one provider step, due in the provider deadline working days; the provider confirms → approved with an agreement', async () => {
    const rid = await makeResource(id.psb, { shareAttribute: 'unconditional', level: 'general-2' });
    const r = await apply(c.eduUser, rid);
    expect(r).toMatchObject({
      status: 'in_review',
      provider: { id: id.psb },
      applicant: { id: id.edu },
      applicantUser: { id: c.eduUser.userId },
      fields: ['xm', 'xb'],
      rowFilter: [{ field: 'hjdz', op: 'eq', value: '南湖区' }],
      ratePerMinute: 60,
      rowsPerDay: 100000,
      shareAttribute: 'unconditional',
      level: 'general-2',
      agreementId: null,
    });
    expect(r.number).toMatch(/^GX-\d{4}-\d{6}$/);
    expect(steps(r)).toEqual(['provider:open']);
    const due = (await h.services.workdays.addWorkdays(beijingToday(), 5)).result;
    expect(r.steps[0]).toMatchObject({ institution: { id: id.psb }, dueDate: due, overdue: false });
    expect(r.currentStep).toMatchObject({ kind: 'provider', institution: { id: id.psb }, dueDate: due, overdue: false });
    expect(r.can).toMatchObject({ decide: false, withdraw: true });
    const [ev] = await audits('sharing.request.create', r.id);
    expect(ev).toMatchObject({ actor_username: 'edu.user', target_institution_id: id.edu });
    expect(ev?.details).toMatchObject({ number: r.number, chain: ['provider'], purposeCode: 'edu.enrolment' });

    const seen = await c.psbSteward.request('GET', `/api/share-requests/${r.id}`);
    expect(seen.json().can.decide).toBe(true);
    const ok = await decide(c.psbSteward, r.id, { decision: 'approve' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'approved', currentStep: null });
    expect(ok.json().agreementId).toEqual(expect.any(String));
    expect(steps(ok.json())).toEqual(['provider:approved']);
    expect(ok.json().steps[0].decidedBy).toEqual({ id: c.psbSteward.userId, displayName: expect.any(String) });
  });

  it('conditional data: provider then the nearest authority; a step not waiting on the caller is 409 STEP_NOT_OPEN', async () => {
    const rid = await makeResource(id.psb, { level: 'general-3' });
    const r = await apply(c.eduUser, rid);
    expect(steps(r)).toEqual(['provider:open', 'authority:waiting']);
    expect(r.steps[1].institution.id).toBe(id.city);
    // The authority cannot take the provider's step; the applicant may decide nothing.
    expect((await decide(c.cityOfficer, r.id, { decision: 'approve' })).json().code).toBe('STEP_NOT_OPEN');
    expect((await decide(c.eduUser, r.id, { decision: 'approve' })).statusCode).toBe(403);
    const p = await decide(c.psbSteward, r.id, { decision: 'approve' });
    expect(steps(p.json())).toEqual(['provider:approved', 'authority:open']);
    const due = (await h.services.workdays.addWorkdays(beijingToday(), 5)).result;
    expect(p.json().currentStep).toMatchObject({ kind: 'authority', institution: { id: id.city }, dueDate: due });
    // The provider cannot decide the authority step.
    const again = await decide(c.psbSteward, r.id, { decision: 'approve' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('STEP_NOT_OPEN');
    const a = await decide(c.cityOfficer, r.id, { decision: 'approve', reason: '用途明确，依据充分' });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json().status).toBe('approved');
    expect(a.json().steps[1]).toMatchObject({ status: 'approved', reason: '用途明确，依据充分', decidedBy: { id: c.cityOfficer.userId } });
    const decided = await audits('sharing.request.decide', r.id);
    expect(decided.map((e) => (e.details as { step: string }).step)).toEqual(['provider', 'authority']);
  });

  it('sharingApprovals is a floor: unconditional data graded important still goes to the authority', async () => {
    const rid = await makeResource(id.psb, { shareAttribute: 'unconditional', level: 'important' });
    expect(steps(await apply(c.eduUser, rid))).toEqual(['provider:open', 'authority:waiting']);
  });

  it('depth 3 (core, or ungraded = fail safe): a second authority step decided by a different person (403 SAME_PERSON)', async () => {
    for (const level of ['core', null]) {
      const rid = await makeResource(id.psb, { level });
      const r = await apply(c.eduUser, rid);
      expect(steps(r), String(level)).toEqual(['provider:open', 'authority:waiting', 'authority_second:waiting']);
      await decide(c.psbSteward, r.id, { decision: 'approve' });
      expect((await decide(c.cityOfficer, r.id, { decision: 'approve' })).statusCode).toBe(200);
      const same = await decide(c.cityOfficer, r.id, { decision: 'approve' });
      expect(same.statusCode).toBe(403);
      expect(same.json().code).toBe('SAME_PERSON');
      expect(same.json().message).toContain('同一人');
      const second = await decide(c.cityAdmin, r.id, { decision: 'approve' });
      expect(second.statusCode, second.body).toBe(200);
      expect(second.json().status).toBe('approved');
      expect(steps(second.json())).toEqual(['provider:approved', 'authority:approved', 'authority_second:approved']);
    }
  });

  it('not-shared data: refused without an exception request; with one, the authority records the exception first (legal basis required)', async () => {
    const rid = await makeResource(id.psb, { shareAttribute: 'not_shared', level: 'general-3' });
    const refused = await c.eduUser.request('POST', '/api/share-requests', body(rid));
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('NOT_SHAREABLE');
    const r = await apply(c.eduUser, rid, { requestException: true });
    expect(steps(r)).toEqual(['exception:open', 'provider:waiting', 'authority:waiting']);
    expect(r.steps[0].institution.id).toBe(id.city);
    const noBasis = await decide(c.cityOfficer, r.id, { decision: 'approve' });
    expect(noBasis.statusCode).toBe(422);
    expect(noBasis.json()).toMatchObject({ code: 'REASON_REQUIRED', details: { field: 'legalBasis' } });
    const ex = await decide(c.cityOfficer, r.id, { decision: 'approve', legalBasis: '市政府第 12 次常务会议纪要' });
    expect(ex.statusCode, ex.body).toBe(200);
    expect(ex.json().exception).toMatchObject({ legalBasis: '市政府第 12 次常务会议纪要', recordedBy: c.cityOfficer.userId });
    expect(steps(ex.json())).toEqual(['exception:approved', 'provider:open', 'authority:waiting']);
    await decide(c.psbSteward, r.id, { decision: 'approve' });
    // The officer decided the exception: the authority step needs another person.
    expect((await decide(c.cityOfficer, r.id, { decision: 'approve' })).json().code).toBe('SAME_PERSON');
    const done = await decide(c.cityAdmin, r.id, { decision: 'approve' });
    expect(done.json().status).toBe('approved');
    const agreement = await c.eduUser.request('GET', `/api/share-agreements/${done.json().agreementId}`);
    expect(agreement.json().text).toContain('例外批准共享');
  });

  it('a district institution goes to the district authority', async () => {
    const street = await h.inst('南湖区滨江街道办事处');
    const rid = await makeResource(street, { level: 'general-3' });
    const r = await apply(c.eduUser, rid);
    expect(r.steps.map((s: { institution: { id: string } }) => s.institution.id)).toEqual([street, id.district]);
  });

  it('refuses bad applications with a code and a zh/en message', async () => {
    const rid = await makeResource(id.psb, { level: 'general-3' });
    const cases: [Client, Record<string, unknown>, number, string][] = [
      [c.eduUser, body(rid, { fields: ['xm', 'nope'] }), 422, 'FIELD_UNKNOWN'],
      [c.eduUser, body(rid, { rowFilter: [{ field: 'nope', op: 'eq', value: 1 }] }), 422, 'FIELD_UNKNOWN'],
      [c.eduUser, body(rid, { rowFilter: [{ field: 'xm', op: 'in', value: 1 }] }), 422, 'ROW_FILTER_INVALID'],
      [c.eduUser, body(rid, { liabilityAccepted: false }), 422, 'LIABILITY_REQUIRED'],
      [c.eduUser, body(rid, { purposeCode: 'Bad Code' }), 422, 'PURPOSE_CODE_INVALID'],
      [c.eduUser, body(rid, { termEnd: `${nextYear + 3}-12-31` }), 422, 'TERM_INVALID'],
      [c.eduUser, body(rid, { termStart: `${nextYear}-01-02`, termEnd: `${nextYear}-01-01` }), 422, 'TERM_INVALID'],
      [c.eduUser, body(rid, { fields: [] }), 400, 'VALIDATION_FAILED'],
      [c.psbSteward, body(rid), 422, 'OWN_RESOURCE'],
      // No sharing.apply anywhere.
      [c.cityOfficer, body(rid), 403, 'FORBIDDEN'],
      [c.psbSecurity, body(rid), 403, 'FORBIDDEN'],
      // Applying for another institution out of reach.
      [c.eduUser, body(rid, { applicantInstitutionId: id.health }), 404, 'NOT_FOUND'],
    ];
    for (const [who, b, status, code] of cases) {
      const res = await who.request('POST', '/api/share-requests', b);
      expect(res.statusCode, `${code} ${res.body}`).toBe(status);
      if (code !== 'VALIDATION_FAILED') expect(res.json().code).toBe(code);
    }
    const en = await c.eduUser.request('POST', '/api/share-requests', body(rid, { liabilityAccepted: false }), { 'accept-language': 'en' });
    expect(en.json().message).toMatch(/liability/i);
    // An unpublished resource of another institution does not exist for the applicant.
    const hidden = await makeResource(id.psb, { published: false });
    expect((await c.eduUser.request('POST', '/api/share-requests', body(hidden))).statusCode).toBe(404);
    expect((await c.eduUser.request('POST', '/api/share-requests', body(uuidv7()))).statusCode).toBe(404);
  });
});

describe('reach (404 out of reach)', () => {
  it("an institution never sees another's request that does not concern it", async () => {
    const rid = await makeResource(id.health, { level: 'general-3' });
    const r = await apply(c.eduUser, rid);
    expect((await c.psbSteward.request('GET', `/api/share-requests/${r.id}`)).statusCode).toBe(404);
    expect((await decide(c.psbSteward, r.id, { decision: 'approve' })).statusCode).toBe(404);
    expect((await c.psbSteward.request('POST', `/api/share-requests/${r.id}/evidence`, { question: '?' })).statusCode).toBe(404);
    const list = await c.psbSteward.request('GET', '/api/share-requests?pageSize=200');
    expect(list.json().items.map((x: { id: string }) => x.id)).not.toContain(r.id);
    // The regulator's auditor reads health (its read grant), the city authority everything.
    expect((await c.cacAuditor.request('GET', `/api/share-requests/${r.id}`)).statusCode).toBe(200);
    expect((await c.cityAdmin.request('GET', `/api/share-requests/${r.id}`)).statusCode).toBe(200);
    expect((await c.districtAdmin.request('GET', `/api/share-requests/${r.id}`)).statusCode).toBe(404);
    // Vendor staff hold no sharing permission.
    expect((await c.vendor.request('GET', '/api/share-requests')).statusCode).toBe(403);
  });

  it('permission first: no sharing permission at all is 403 for any request id, in sight, out of sight or missing', async () => {
    const rid = await makeResource(id.health, { level: 'general-3' });
    const r = await apply(c.eduUser, rid);
    // vendor.ops1 sees only psb (the request is out of its sight), vendor.ops2 health (the provider), admin everything;
    // none holds sharing.read, so each gets the same 403 whatever the id, before any lookup: no hint of existence.
    const admin = await h.login('admin');
    const healthVendor = await h.login('vendor.ops2');
    for (const who of [c.vendor, healthVendor, admin]) {
      for (const target of [r.id, uuidv7()]) {
        const attempts = [
          who.request('GET', `/api/share-requests/${target}`),
          decide(who, target, { decision: 'reject', reason: '无权' }),
          who.request('POST', `/api/share-requests/${target}/evidence`, { question: '?' }),
          who.request('POST', `/api/share-requests/${target}/evidence/${uuidv7()}/answer`, { answer: 'x' }),
          who.request('POST', `/api/share-requests/${target}/withdraw`),
          who.request('GET', `/api/share-requests/${target}/evidence/${uuidv7()}/file`),
          who.request('GET', `/api/share-requests/${target}/association-assessment/report`),
        ];
        for (const res of await Promise.all(attempts)) {
          expect(res.statusCode, res.body).toBe(403);
          expect(res.json()).toMatchObject({ code: 'FORBIDDEN', message: '没有执行此操作的权限' });
          expect(res.body).not.toContain(r.number);
        }
      }
    }
    expect((await h.t.db.selectFrom('share_requests').select('status').where('id', '=', r.id).executeTakeFirstOrThrow()).status).toBe('in_review');
    // Holders of sharing.read keep the reach rule: out of sight 404, missing 404.
    expect((await c.psbSteward.request('GET', `/api/share-requests/${r.id}`)).statusCode).toBe(404);
    expect((await c.psbSteward.request('GET', `/api/share-requests/${uuidv7()}`)).statusCode).toBe(404);
  });

  it('lists filter by role, status, q and resource', async () => {
    const rid = await makeResource(id.psb, { level: 'general-3' });
    const r = await apply(c.eduUser, rid, { purpose: '学籍核验专用目的' });
    const ids = async (who: Client, qs: string) =>
      (await who.request('GET', `/api/share-requests?pageSize=200&${qs}`)).json().items.map((x: { id: string }) => x.id);
    expect(await ids(c.eduUser, 'role=applicant')).toContain(r.id);
    expect(await ids(c.psbSteward, 'role=provider')).toContain(r.id);
    expect(await ids(c.cityOfficer, 'role=approver')).not.toContain(r.id);
    expect(await ids(c.eduUser, `q=${encodeURIComponent('学籍核验专用')}`)).toEqual([r.id]);
    expect(await ids(c.eduUser, `q=${r.number}`)).toEqual([r.id]);
    expect(await ids(c.eduUser, `resourceId=${rid}`)).toEqual([r.id]);
    expect(await ids(c.eduUser, 'status=rejected')).not.toContain(r.id);
    await decide(c.psbSteward, r.id, { decision: 'approve' });
    expect(await ids(c.cityOfficer, 'role=approver')).toContain(r.id);
  });
});

describe('evidence, rejection, withdrawal', () => {
  it('the provider asks for evidence; the applicant answers (text, then a file kept with its SM3)', async () => {
    const rid = await makeResource(id.psb, { level: 'general-3' });
    const r = await apply(c.eduUser, rid);
    expect((await c.eduUser.request('POST', `/api/share-requests/${r.id}/evidence`, { question: '?' })).statusCode).toBe(403);
    const asked = await c.psbSteward.request('POST', `/api/share-requests/${r.id}/evidence`, { question: '请提供系统等保测评报告' });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json().status).toBe('evidence_requested');
    const ev = asked.json().evidence[0];
    expect(ev).toMatchObject({ question: '请提供系统等保测评报告', askedBy: { id: c.psbSteward.userId }, answer: null });
    expect((await c.eduUser.request('GET', `/api/share-requests/${r.id}`)).json().can.answerEvidence).toBe(true);
    expect((await c.psbSteward.request('POST', `/api/share-requests/${r.id}/evidence/${ev.id}/answer`, { answer: 'x' })).statusCode).toBe(403);
    const ans = await c.eduUser.request('POST', `/api/share-requests/${r.id}/evidence/${ev.id}/answer`, { answer: '已通过三级等保测评' });
    expect(ans.statusCode, ans.body).toBe(200);
    expect(ans.json().status).toBe('in_review');
    expect(ans.json().evidence[0]).toMatchObject({ answer: '已通过三级等保测评', answeredBy: { id: c.eduUser.userId } });
    expect((await c.eduUser.request('POST', `/api/share-requests/${r.id}/evidence/${ev.id}/answer`, { answer: 'y' })).json().code).toBe('EVIDENCE_ANSWERED');
    const file = Buffer.from('%PDF-1.4 等保测评报告');
    const up = await c.eduUser.request(
      'POST',
      `/api/share-requests/${r.id}/evidence/${ev.id}/answer-file?fileName=${encodeURIComponent('测评报告.pdf')}`,
      file,
      {
        'content-type': 'application/pdf',
      },
    );
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json().evidence[0]).toMatchObject({ fileName: '测评报告.pdf', fileSm3: sm3(file).toString('hex'), answer: '已通过三级等保测评' });
    // The provider who asked reads the file as uploaded (SM3 as recorded); an unknown evidence id is a 404.
    const dl = await c.psbSteward.request('GET', `/api/share-requests/${r.id}/evidence/${ev.id}/file`);
    expect(dl.statusCode, dl.body).toBe(200);
    expect(dl.rawPayload.equals(file)).toBe(true);
    expect(dl.headers['x-content-sm3']).toBe(sm3(file).toString('hex'));
    expect(String(dl.headers['content-disposition'])).toContain(encodeURIComponent('测评报告.pdf'));
    expect((await c.psbSteward.request('GET', `/api/share-requests/${r.id}/evidence/${uuidv7()}/file`)).statusCode).toBe(404);
    const events = await audits('sharing.request.evidence', r.id);
    expect(events.map((e) => (e.details as { kind: string }).kind)).toEqual(['ask', 'answer', 'answer']);
    expect((await c.eduUser.request('POST', `/api/share-requests/${r.id}/evidence/${uuidv7()}/answer`, { answer: 'z' })).statusCode).toBe(404);
  });

  it('a rejection needs a reason and ends the request', async () => {
    const rid = await makeResource(id.psb, { level: 'general-3' });
    const r = await apply(c.eduUser, rid);
    const noReason = await decide(c.psbSteward, r.id, { decision: 'reject', reason: '  ' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().code).toBe('REASON_REQUIRED');
    const rej = await decide(c.psbSteward, r.id, { decision: 'reject', reason: '申请字段超出履职需要' });
    expect(rej.json()).toMatchObject({ status: 'rejected', currentStep: null });
    expect(steps(rej.json())).toEqual(['provider:rejected', 'authority:cancelled']);
    expect(rej.json().steps[0].reason).toBe('申请字段超出履职需要');
    expect((await decide(c.psbSteward, r.id, { decision: 'approve' })).json().code).toBe('REQUEST_CLOSED');
    expect((await c.eduUser.request('POST', `/api/share-requests/${r.id}/withdraw`)).json().code).toBe('REQUEST_CLOSED');
  });

  it('the applicant withdraws before the grant; the provider cannot', async () => {
    const rid = await makeResource(id.psb, { level: 'general-3' });
    const r = await apply(c.eduUser, rid);
    expect((await c.psbSteward.request('POST', `/api/share-requests/${r.id}/withdraw`)).statusCode).toBe(403);
    const w = await c.eduUser.request('POST', `/api/share-requests/${r.id}/withdraw`);
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json().status).toBe('withdrawn');
    expect(steps(w.json())).toEqual(['provider:cancelled', 'authority:cancelled']);
    expect((await audits('sharing.request.withdraw', r.id)).length).toBe(1);
    expect((await c.eduUser.request('POST', `/api/share-requests/${r.id}/withdraw`)).statusCode).toBe(409);
  });
});

describe('deadlines, queue, overdue list and map', () => {
  it('uses settings sharing.deadlines for the working days of a step', async () => {
    await h.t.db
      .insertInto('settings')
      .values({ key: 'sharing.deadlines', value: JSON.stringify({ provider: 2, authority: 9 }) })
      .execute();
    try {
      const rid = await makeResource(id.psb, { level: 'general-3' });
      const r = await apply(c.eduUser, rid);
      expect(r.steps[0].dueDate).toBe((await h.services.workdays.addWorkdays(beijingToday(), 2)).result);
      const p = await decide(c.psbSteward, r.id, { decision: 'approve' });
      expect(p.json().steps[1].dueDate).toBe((await h.services.workdays.addWorkdays(beijingToday(), 9)).result);
    } finally {
      await h.t.db.deleteFrom('settings').where('key', '=', 'sharing.deadlines').execute();
    }
  });

  it('the queue lists open authority steps, overdue first; the overdue list shows late steps within reach', async () => {
    const r1 = await apply(c.eduUser, await makeResource(id.psb, { level: 'general-3' }));
    const r2 = await apply(c.eduUser, await makeResource(id.psb, { level: 'general-3' }));
    await decide(c.psbSteward, r1.id, { decision: 'approve' });
    await decide(c.psbSteward, r2.id, { decision: 'approve' });
    // r2's authority step opened long ago and is now past its due date.
    await h.t.db.updateTable('share_request_steps').set({ due_date: '2026-01-05' }).where('request_id', '=', r2.id).where('status', '=', 'open').execute();
    const q = await c.cityOfficer.request('GET', '/api/sharing/queue');
    expect(q.statusCode, q.body).toBe(200);
    const qids = q.json().items.map((x: { id: string }) => x.id);
    expect(qids.indexOf(r2.id)).toBeGreaterThanOrEqual(0);
    expect(qids.indexOf(r2.id)).toBeLessThan(qids.indexOf(r1.id));
    expect(q.json().items[qids.indexOf(r2.id)].currentStep).toMatchObject({ kind: 'authority', overdue: true });
    expect(q.json().overdue).toBeGreaterThanOrEqual(1);
    expect((await c.eduUser.request('GET', '/api/sharing/queue')).statusCode).toBe(403);
    expect((await c.psbSteward.request('GET', '/api/sharing/queue')).statusCode).toBe(403);
    // The district authority decides none of the city's steps.
    expect((await c.districtAdmin.request('GET', '/api/sharing/queue')).json().items.map((x: { id: string }) => x.id)).not.toContain(r2.id);

    const od = await c.eduUser.request('GET', '/api/sharing/overdue');
    expect(od.statusCode, od.body).toBe(200);
    const item = od.json().items.find((x: { id: string }) => x.id === r2.id);
    expect(item).toMatchObject({ kind: 'request_step', number: r2.number, stepKind: 'authority', institution: { id: id.city }, dueDate: '2026-01-05' });
    expect(item.daysOverdue).toBeGreaterThan(0);
    expect(od.json().items.map((x: { id: string }) => x.id)).not.toContain(r1.id);
    const listed = await c.eduUser.request('GET', '/api/share-requests?overdue=true&pageSize=200');
    expect(listed.json().items.map((x: { id: string }) => x.id)).toEqual([r2.id]);
    // Not the health bureau's business.
    const health = await h.login('vendor.ops2');
    expect((await health.request('GET', '/api/sharing/overdue')).statusCode).toBe(403);
  });

  it('the map aggregates active grants per provider and recipient, with gateway rows of the last 30 days', async () => {
    const rid = await makeResource(id.psb, { level: 'general-3' });
    const r = await apply(c.eduUser, rid);
    await decide(c.psbSteward, r.id, { decision: 'approve' });
    await decide(c.cityOfficer, r.id, { decision: 'approve' });
    const ag = (await c.eduUser.request('GET', `/api/share-requests/${r.id}`)).json().agreementId;
    const s1 = await c.eduUser.request('POST', `/api/share-agreements/${ag}/sign`, { password: 'Shuan#Demo2026' });
    expect(s1.statusCode, s1.body).toBe(200);
    const s2 = await c.psbSteward.request('POST', `/api/share-agreements/${ag}/sign`, { password: 'Shuan#Demo2026' });
    expect(s2.statusCode, s2.body).toBe(200);
    const grantId = s2.json().grantId as string;
    // The gateway's per-day counters: 30 + 12 rows within the last 30 days, 1,000 before them (not counted).
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000);
    await h.t.db
      .insertInto('grant_usage')
      .values([
        { grant_id: grantId, kind: 'day', window_start: day(0), calls: 3, rows: 30 },
        { grant_id: grantId, kind: 'day', window_start: day(29), calls: 1, rows: 12 },
        { grant_id: grantId, kind: 'day', window_start: day(31), calls: 9, rows: 1000 },
      ])
      .execute();
    const m = await c.cityAdmin.request('GET', '/api/sharing/map');
    expect(m.statusCode, m.body).toBe(200);
    const link = m.json().links.find((l: { source: string; target: string }) => l.source === id.psb && l.target === id.edu);
    expect(link).toMatchObject({ grants: 1, resources: 1, rowsLast30Days: 42 });
    expect(
      m
        .json()
        .nodes.map((n: { id: string }) => n.id)
        .sort(),
    ).toEqual([id.psb, id.edu].sort());
    // Within reach only: the district sees neither side.
    expect((await c.districtAdmin.request('GET', '/api/sharing/map')).json()).toEqual({ nodes: [], links: [] });
  });
});
