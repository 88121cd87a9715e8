// Deletion duties (LIF-10, DG-12): the provider opens one in a DG-12 case, grants whose term ended are expired
// by the sweeper with a 'term_expired' duty (once, even with two sweepers at once), deadlines count working
// days across holidays, overdue duties are flagged for holder, provider and authority, the holder confirms
// with evidence (or states why deletion is impossible), and the provider accepts or reopens.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/db/ids.ts';
import { sm3 } from '../../src/engines/gm/index.ts';
import { DG12_CASE_LABELS, DG12_CASES } from '../../src/engines/sharing/dg12.ts';
import { beijingDate } from '../../src/engines/workdays/index.ts';
import type { DeletionDuty, DeletionDutyDetail } from '../../src/modules/sharing/duties.schemas.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';
import { insertGrant } from '../helpers/sharing.ts';

let h: TestApp;
let steward: Client; // provider (公安局)
let user: Client; // holder (教育局)
let officer: Client; // authority (市数据管理局)
let district: Client; // an authority whose reach covers neither party
let psb: string;
let edu: string;
let resourceId: string;

/** A signed agreement and its grant, as the sharing flow leaves them (the shared fixture: request → agreement → grant). */
function grant(termStart: string, termEnd: string): Promise<string> {
  const f = { resourceId, resourceName: '', psb, edu, steward, user, rows: [] };
  return insertGrant(h, f, { fields: ['xm', 'xb'], termStart, termEnd, ratePerMinute: 60, rowsPerDay: 1000 });
}

async function openDuty(grantId: string, c = 'use_beyond_scope'): Promise<DeletionDutyDetail> {
  const res = await steward.request('POST', '/api/deletion-duties', { grantId, case: c, reason: '发现超出约定用途使用' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function upload(client: Client, id: string, body: Buffer, fileName = '删除记录.pdf') {
  return h.app.inject({
    method: 'POST',
    url: `/api/deletion-duties/${id}/evidence?fileName=${encodeURIComponent(fileName)}`,
    headers: { cookie: client.cookie, 'x-csrf-token': client.csrf, 'content-type': 'application/pdf' },
    payload: body,
  });
}

const today = () => beijingDate(new Date());

beforeAll(async () => {
  h = await createTestApp();
  [steward, user, officer, district] = await Promise.all([h.login('psb.steward'), h.login('edu.user'), h.login('city.officer'), h.login('district.admin')]);
  psb = await h.inst('示范市公安局');
  edu = await h.inst('示范市教育局');
  const systemId = uuidv7();
  await h.t.db
    .insertInto('systems')
    .values({ id: systemId, institution_id: psb, name: '人口信息系统', status: 'accepted', trusted_terminals: '[]', storage_carriers: '[]' })
    .execute();
  const res = await steward.request('POST', '/api/resources', {
    systemId,
    name: `户籍人口${randomBytes(2).toString('hex')}`,
    shareAttribute: 'conditional',
    shareBasis: '《示范市公共数据管理办法》第十条',
    openAttribute: 'not_open',
    fields: [
      { name: 'xm', dataType: 'string', description: '姓名' },
      { name: 'xb', dataType: 'string', description: '性别' },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  resourceId = res.json().id;
});
afterAll(() => h.close());

describe('DG-12 cases', () => {
  it('lists the nine cases of 第十二条 in order, with the regulation wording', () => {
    expect(DG12_CASES).toHaveLength(9);
    expect(DG12_CASE_LABELS.term_expired.zh).toBe('公共数据保存期限已到期');
    expect(DG12_CASE_LABELS[DG12_CASES[4]].zh).toBe('公共数据处理目的已实现、无法实现或者不再必要');
  });
});

describe('opening a duty', () => {
  it('the provider opens one; due 10 working days later; audited; a second one in the same case is 409', async () => {
    const g = await grant('2026-01-01', '2027-12-31');
    const d = await openDuty(g);
    expect(d.status).toBe('open');
    expect(d.holder.id).toBe(edu);
    expect(d.provider.id).toBe(psb);
    expect(d.case).toBe('use_beyond_scope');
    expect(d.caseLabel.zh).toBe('超范围使用公共数据');
    expect(d.openedBy?.id).toBe(steward.userId);
    expect(d.dueDate).toBe((await h.services.workdays.addWorkdays(today(), 10)).result);
    expect(d.overdue).toBe(false);
    expect(d.number).toMatch(/^DEL-\d{4}-\d{6}$/);
    const ev = await h.t.db.selectFrom('audit_events').selectAll().where('action', '=', 'sharing.duty.open').where('target_id', '=', d.id).executeTakeFirst();
    expect(ev?.actor_user_id).toBe(steward.userId);
    expect(ev?.target_institution_id).toBe(edu);

    const again = await steward.request('POST', '/api/deletion-duties', { grantId: g, case: 'use_beyond_scope', reason: '再次要求' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('DUTY_EXISTS');
    expect(again.json().details.dutyId).toBe(d.id);
    // Another case on the same grant is a separate duty.
    expect((await openDuty(g, 'unsafe_environment')).id).not.toBe(d.id);
  });

  it('refuses the data user (403), an unknown grant (404), an unknown case (400), and an empty reason (400)', async () => {
    const g = await grant('2026-01-01', '2027-12-31');
    const byUser = await user.request('POST', '/api/deletion-duties', { grantId: g, case: 'other_legal', reason: '自查' });
    expect(byUser.statusCode).toBe(403);
    const unknown = await steward.request('POST', '/api/deletion-duties', { grantId: uuidv7(), case: 'other_legal', reason: '自查' });
    expect(unknown.statusCode).toBe(404);
    const badCase = await steward.request('POST', '/api/deletion-duties', { grantId: g, case: 'whatever', reason: '自查' });
    expect(badCase.statusCode).toBe(400);
    const noReason = await steward.request('POST', '/api/deletion-duties', { grantId: g, case: 'other_legal', reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    const outOfReach = await district.request('POST', '/api/deletion-duties', { grantId: g, case: 'other_legal', reason: '自查' });
    expect(outOfReach.statusCode).toBe(404);
  });
});

describe('the expiry sweeper', () => {
  it('expires a grant whose term ended and opens one term_expired duty, due across National Day 2026', async () => {
    const g = await grant('2026-01-01', '2026-09-28');
    const at = new Date('2026-09-29T00:30:00+08:00');
    const [a, b] = await Promise.all([h.services.sharingSweeper.sweep(at), h.services.sharingSweeper.sweep(at)]);
    const again = await h.services.sharingSweeper.sweep(at);
    expect(a.duties + b.duties + again.duties).toBe(1);
    expect(a.expired + b.expired + again.expired).toBe(1);
    const grantRow = await h.t.db.selectFrom('share_grants').selectAll().where('id', '=', g).executeTakeFirstOrThrow();
    expect(grantRow.status).toBe('expired');
    expect(grantRow.status_reason).toContain('2026-09-28');
    expect(grantRow.status_changed_at?.toISOString()).toBe(at.toISOString());
    const duties = await h.t.db.selectFrom('deletion_duties').selectAll().where('grant_id', '=', g).execute();
    expect(duties).toHaveLength(1);
    const d = duties[0];
    expect(d?.case_code).toBe('term_expired');
    expect(d?.opened_by).toBeNull();
    expect(beijingDate(d?.opened_at as Date)).toBe('2026-09-29');
    // 10 working days from Tue 29 Sep: 30 Sep, (1–7 Oct National Day), 8, 9, 10 (Saturday make-up day), 12–16, 19 Oct.
    expect(d?.due_date).toBe('2026-10-19');
    expect(d?.due_date).toBe((await h.services.workdays.addWorkdays('2026-09-29', 10)).result);
    const events = await h.t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('target_id', 'in', [g, d?.id as string])
      .execute();
    expect(events.map((e) => e.action).sort()).toEqual(['sharing.duty.open', 'sharing.grant.expire']);
    expect(events.every((e) => e.actor_user_id === null && e.actor_username === 'system')).toBe(true);
  });

  it('leaves grants still in term alone, and gives a grant expired elsewhere without its duty the duty', async () => {
    const running = await grant('2026-01-01', '2026-12-31');
    const stray = await grant('2026-01-01', '2026-06-30');
    await h.t.db.updateTable('share_grants').set({ status: 'expired', status_reason: '期满' }).where('id', '=', stray).execute();
    const run = await h.services.sharingSweeper.sweep(new Date('2026-07-02T12:00:00+08:00'));
    expect(run.skipped).toBe(false);
    expect((await h.t.db.selectFrom('share_grants').select('status').where('id', '=', running).executeTakeFirstOrThrow()).status).toBe('active');
    expect(await h.t.db.selectFrom('deletion_duties').select('id').where('grant_id', '=', running).execute()).toHaveLength(0);
    const strayDuties = await h.t.db.selectFrom('deletion_duties').select(['case_code', 'due_date']).where('grant_id', '=', stray).execute();
    expect(strayDuties).toEqual([{ case_code: 'term_expired', due_date: (await h.services.workdays.addWorkdays('2026-07-02', 10)).result }]);
    // Swept again: nothing new.
    const next = await h.services.sharingSweeper.sweep(new Date('2026-07-03T12:00:00+08:00'));
    expect(next.duties).toBe(0);
  });
});

describe('overdue, reach and the list', () => {
  let overdueId: string;
  let freshId: string;

  beforeAll(async () => {
    const old = await grant('2025-01-01', '2026-03-31');
    await h.services.sharingSweeper.sweep(new Date('2026-04-01T09:00:00+08:00'));
    overdueId = (await h.t.db.selectFrom('deletion_duties').select('id').where('grant_id', '=', old).executeTakeFirstOrThrow()).id;
    freshId = (await openDuty(await grant('2026-01-01', '2027-12-31'), 'purpose_achieved')).id;
  });

  it('flags an open duty past its due date for holder, provider and authority; overdue=true filters', async () => {
    for (const c of [user, steward, officer]) {
      const res = await c.request('GET', '/api/deletion-duties?overdue=true&pageSize=200');
      expect(res.statusCode, `${c.username} ${res.body}`).toBe(200);
      const items = res.json().items as DeletionDuty[];
      expect(items.some((d) => d.id === overdueId)).toBe(true);
      expect(items.some((d) => d.id === freshId)).toBe(false);
      expect(items.every((d) => d.overdue && d.status === 'open' && d.dueDate < today())).toBe(true);
      const notOverdue = (await c.request('GET', '/api/deletion-duties?overdue=false&pageSize=200')).json().items as DeletionDuty[];
      expect(notOverdue.some((d) => d.id === freshId)).toBe(true);
      expect(notOverdue.some((d) => d.id === overdueId)).toBe(false);
    }
    const all = (await user.request('GET', '/api/deletion-duties?pageSize=200')).json().items as DeletionDuty[];
    // Overdue first.
    expect(all[0]?.overdue).toBe(true);
    const holderSide = (await user.request('GET', '/api/deletion-duties?role=provider&pageSize=200')).json();
    expect(holderSide.total).toBe(0);
    const providerSide = (await steward.request('GET', '/api/deletion-duties?role=provider&pageSize=200')).json();
    expect(providerSide.items.some((d: DeletionDuty) => d.id === overdueId)).toBe(true);
  });

  it('another institution sees nothing: 404 on the duty, empty list; no sharing.read is 403', async () => {
    expect((await district.request('GET', `/api/deletion-duties/${overdueId}`)).statusCode).toBe(404);
    expect((await district.request('GET', '/api/deletion-duties')).json().total).toBe(0);
    expect((await district.request('GET', `/api/deletion-duties/${overdueId}/evidence`)).statusCode).toBe(404);
    const vendor = await h.login('vendor.ops1');
    expect((await vendor.request('GET', '/api/deletion-duties')).statusCode).toBe(403);
    expect((await officer.request('GET', `/api/deletion-duties/${overdueId}`)).statusCode).toBe(200);
  });
});

describe('confirming, accepting, reopening', () => {
  it('the holder uploads evidence (SM3 kept, both parties download it) and confirms deletion; the provider accepts', async () => {
    const d = await openDuty(await grant('2026-01-01', '2027-12-31'), 'purpose_achieved');
    expect(d.can).toEqual({ confirm: false, uploadEvidence: false, accept: false, reopen: false });
    const file = Buffer.concat([Buffer.from('%PDF-1.4 删除记录\n'), randomBytes(2048)]);
    const up = await upload(user, d.id, file);
    expect(up.statusCode, up.body).toBe(200);
    const withFile = up.json() as DeletionDutyDetail;
    expect(withFile.evidence).toMatchObject({ fileName: '删除记录.pdf', size: file.length, sm3: sm3(file).toString('hex') });
    expect(withFile.evidence?.uploadedBy?.id).toBe(user.userId);
    for (const c of [steward, user]) {
      const dl = await c.request('GET', `/api/deletion-duties/${d.id}/evidence`);
      expect(dl.statusCode).toBe(200);
      expect(dl.rawPayload.equals(file)).toBe(true);
      expect(dl.headers['content-disposition']).toContain(encodeURIComponent('删除记录.pdf'));
    }
    // Only the holder uploads.
    expect((await upload(steward, d.id, file)).statusCode).toBe(403);
    expect((await upload(user, d.id, Buffer.alloc(0))).json().code).toBe('EMPTY_FILE');

    const confirm = await user.request('POST', `/api/deletion-duties/${d.id}/confirm`, { outcome: 'deleted', statement: '已于业务库与备份中删除' });
    expect(confirm.statusCode, confirm.body).toBe(200);
    const confirmed = confirm.json() as DeletionDutyDetail;
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.outcome).toBe('deleted');
    expect(confirmed.confirmedBy?.id).toBe(user.userId);
    expect(confirmed.overdue).toBe(false);
    // Confirmed: no second confirmation, no new evidence.
    expect((await user.request('POST', `/api/deletion-duties/${d.id}/confirm`, { outcome: 'deleted' })).json().code).toBe('DUTY_CLOSED');
    expect((await upload(user, d.id, file)).statusCode).toBe(409);
    // The holder cannot accept its own confirmation.
    expect((await user.request('POST', `/api/deletion-duties/${d.id}/accept`, {})).statusCode).toBe(403);

    const view = (await steward.request('GET', `/api/deletion-duties/${d.id}`)).json() as DeletionDutyDetail;
    expect(view.can).toEqual({ confirm: false, uploadEvidence: false, accept: true, reopen: true });
    const accept = await steward.request('POST', `/api/deletion-duties/${d.id}/accept`, {});
    expect(accept.statusCode, accept.body).toBe(200);
    const done = accept.json() as DeletionDutyDetail;
    expect(done.status).toBe('accepted');
    expect(done.acceptedBy?.id).toBe(steward.userId);
    expect(done.history.map((s) => s.action)).toEqual(['opened', 'evidence', 'confirmed', 'accepted']);
    expect((await steward.request('POST', `/api/deletion-duties/${d.id}/accept`, {})).json().code).toBe('DUTY_CLOSED');
    expect((await steward.request('POST', `/api/deletion-duties/${d.id}/reopen`, { reason: 'x' })).json().code).toBe('DUTY_CLOSED');
    const actions = await h.t.db.selectFrom('audit_events').select('action').where('target_id', '=', d.id).orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toEqual(['sharing.duty.open', 'sharing.duty.evidence', 'sharing.duty.confirm', 'sharing.duty.accept']);
  });

  it('processing_stopped needs a statement of why deletion is impossible (422 STATEMENT_REQUIRED)', async () => {
    const d = await openDuty(await grant('2026-01-01', '2027-12-31'), 'function_ceased');
    for (const body of [{ outcome: 'processing_stopped' }, { outcome: 'processing_stopped', statement: '   ' }]) {
      const res = await user.request('POST', `/api/deletion-duties/${d.id}/confirm`, body);
      expect(res.statusCode).toBe(422);
      expect(res.json().code).toBe('STATEMENT_REQUIRED');
      expect(res.json().message).toContain('技术上难以删除');
    }
    expect((await h.t.db.selectFrom('deletion_duties').select('status').where('id', '=', d.id).executeTakeFirstOrThrow()).status).toBe('open');
    const ok = await user.request('POST', `/api/deletion-duties/${d.id}/confirm`, {
      outcome: 'processing_stopped',
      statement: '数据已写入不可改写的区块链存证，无法删除；除安全保护外已停止一切处理',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().outcome).toBe('processing_stopped');
    expect(ok.json().statement).toContain('区块链');
  });

  it('the provider reopens with a reason: a new deadline; the holder confirms again', async () => {
    const d = await openDuty(await grant('2026-01-01', '2027-12-31'), 'improper_procedure');
    // Nothing to accept or reopen before a confirmation.
    expect((await steward.request('POST', `/api/deletion-duties/${d.id}/accept`, {})).json().code).toBe('DUTY_NOT_CONFIRMED');
    await user.request('POST', `/api/deletion-duties/${d.id}/confirm`, { outcome: 'deleted' });
    expect((await steward.request('POST', `/api/deletion-duties/${d.id}/reopen`, {})).statusCode).toBe(400);
    expect((await user.request('POST', `/api/deletion-duties/${d.id}/reopen`, { reason: '自己退回' })).statusCode).toBe(403);
    const res = await steward.request('POST', `/api/deletion-duties/${d.id}/reopen`, { reason: '备份库中仍有该数据' });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json() as DeletionDutyDetail;
    expect(r.status).toBe('open');
    expect(r.outcome).toBeNull();
    expect(r.reopenCount).toBe(1);
    expect(r.reopenReason).toBe('备份库中仍有该数据');
    expect(r.dueDate).toBe((await h.services.workdays.addWorkdays(today(), 10)).result);
    expect(r.history.map((s) => s.action)).toEqual(['opened', 'confirmed', 'reopened']);
    expect(r.history[1]?.outcome).toBe('deleted');
    const again = await user.request('POST', `/api/deletion-duties/${d.id}/confirm`, { outcome: 'deleted', statement: '备份库亦已删除' });
    expect(again.json().status).toBe('confirmed');
    expect((await steward.request('POST', `/api/deletion-duties/${d.id}/accept`, {})).json().status).toBe('accepted');
    // Accepted: the same case may be opened again on that grant.
    expect((await steward.request('POST', '/api/deletion-duties', { grantId: d.grant.id, case: 'improper_procedure', reason: '再次发现' })).statusCode).toBe(
      201,
    );
  });

  it('refuses evidence over 10 MB', async () => {
    const d = await openDuty(await grant('2026-01-01', '2027-12-31'), 'collection_beyond_scope');
    const res = await upload(user, d.id, Buffer.alloc(10 * 1024 * 1024 + 1, 1));
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('UPLOAD_TOO_LARGE');
  });
});
