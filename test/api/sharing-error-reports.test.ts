// Error reports (LIF-9, DG-11): a data user reports wrong data, the public reports through the open-data
// portal with a tracking code (rate-limited, no login); the provider verifies within 15 working days of
// receipt (counted across Spring Festival 2026) and resolves with a reason; record keys and contacts are
// sealed at rest and shown only to the provider; overdue reports are flagged.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/db/ids.ts';
import { sm3 } from '../../src/engines/gm/index.ts';
import { beijingDate } from '../../src/engines/workdays/index.ts';
import { loadActor } from '../../src/modules/org/actor.repo.ts';
import type { Actor } from '../../src/modules/org/actor.ts';
import type { ErrorReport } from '../../src/modules/sharing/error-reports.schemas.ts';
import { PUBLIC_REPORT_LIMIT } from '../../src/modules/sharing/error-reports.service.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';

let h: TestApp;
let steward: Client; // provider (公安局)
let user: Client; // data user (教育局)
let officer: Client; // authority
let district: Client; // reach covers neither party
let psb: string;
let resourceId: string;
let privateResourceId: string;

const RECORD_KEY = `350102199001011234-${randomBytes(3).toString('hex')}`;
const CONTACT = `13912345678-${randomBytes(3).toString('hex')}`;

async function createResource(name: string, published: boolean): Promise<string> {
  const systemId = uuidv7();
  await h.t.db
    .insertInto('systems')
    .values({
      id: systemId,
      institution_id: psb,
      name: `系统${randomBytes(2).toString('hex')}`,
      status: 'accepted',
      trusted_terminals: '[]',
      storage_carriers: '[]',
    })
    .execute();
  const res = await steward.request('POST', '/api/resources', {
    systemId,
    name,
    shareAttribute: 'unconditional',
    openAttribute: 'open',
    fields: [
      { name: 'dwmc', dataType: 'string', description: '单位名称' },
      { name: 'dz', dataType: 'string', description: '地址' },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  if (published) await h.t.db.updateTable('data_resources').set({ published: true }).where('id', '=', id).execute();
  return id;
}

/** A release as the open-data review leaves it: published, with its current snapshot file. */
async function release(status: 'published' | 'draft'): Promise<string> {
  const id = uuidv7();
  const fileId = uuidv7();
  await h.t.db
    .insertInto('open_data_releases')
    .values({
      id,
      number: `T-OPEN-${randomBytes(3).toString('hex')}`,
      resource_id: resourceId,
      institution_id: psb,
      title: '治安重点单位名录',
      description: '名称与地址',
      fields: JSON.stringify([{ name: 'dwmc' }, { name: 'dz' }]),
      quasi_identifiers: '[]',
      k: 2,
      licence: 'CC-BY-4.0',
      status,
      proposed_by: steward.userId,
      published_at: status === 'published' ? new Date() : null,
    } as never)
    .execute();
  if (status === 'published') {
    const csv = Buffer.from('\ufeffdwmc,dz\n某单位,某路1号\n');
    await h.t.db
      .insertInto('open_data_files')
      .values({ id: fileId, release_id: id, seq: 1, csv, sm3: sm3(csv).toString('hex'), rows: 1, dataset_version: 1 } as never)
      .execute();
    await h.t.db
      .updateTable('open_data_releases')
      .set({ current_file_id: fileId } as never)
      .where('id', '=', id)
      .execute();
  }
  return id;
}

function publicPost(body: unknown, ip = '203.0.113.7') {
  return h.app.inject({ method: 'POST', url: '/api/public/error-reports', payload: body as never, remoteAddress: ip });
}

const today = () => beijingDate(new Date());

beforeAll(async () => {
  h = await createTestApp();
  [steward, user, officer, district] = await Promise.all([h.login('psb.steward'), h.login('edu.user'), h.login('city.officer'), h.login('district.admin')]);
  psb = await h.inst('示范市公安局');
  resourceId = await createResource(`治安重点单位${randomBytes(2).toString('hex')}`, true);
  privateResourceId = await createResource(`内部名录${randomBytes(2).toString('hex')}`, false);
});
afterAll(() => h.close());

describe('a data user reports an error', () => {
  let report: ErrorReport;

  it('is received with a due date 15 working days later; the record key is sealed, shown only to the provider', async () => {
    const res = await user.request('POST', '/api/error-reports', {
      resourceId,
      recordKey: RECORD_KEY,
      field: 'dz',
      description: '地址已变更',
      proposedValue: '某路2号',
    });
    expect(res.statusCode, res.body).toBe(201);
    report = res.json();
    expect(report.source).toBe('user');
    expect(report.status).toBe('open');
    expect(report.provider.id).toBe(psb);
    expect(report.reporter?.id).toBe(user.userId);
    expect(report.dueDate).toBe((await h.services.workdays.addWorkdays(today(), 15)).result);
    expect(report.number).toMatch(/^ERR-\d{4}-\d{6}$/);
    // The reporter does not get the sealed value back; the provider does.
    expect(report.recordKey).toBeNull();
    expect(report.hasRecordKey).toBe(true);
    const asProvider = (await steward.request('GET', `/api/error-reports/${report.id}`)).json() as ErrorReport;
    expect(asProvider.recordKey).toBe(RECORD_KEY);
    expect(asProvider.can.resolve).toBe(true);
    const asAuthority = (await officer.request('GET', `/api/error-reports/${report.id}`)).json() as ErrorReport;
    expect(asAuthority.recordKey).toBeNull();
    expect(asAuthority.can.resolve).toBe(false);

    // Not in clear anywhere in the row, nor in the audit event.
    const raw = await h.t.db.selectFrom('error_reports').select('record_key_sealed').where('id', '=', report.id).executeTakeFirstOrThrow();
    expect(raw.record_key_sealed).not.toBeNull();
    expect((raw.record_key_sealed as Buffer).includes(Buffer.from(RECORD_KEY))).toBe(false);
    const rowText = await h.t.db
      .selectFrom('error_reports as e')
      .select(sql<string>`row_to_json(e)::text`.as('row'))
      .where('e.id', '=', report.id)
      .executeTakeFirstOrThrow();
    expect(rowText.row).not.toContain(RECORD_KEY);
    expect(rowText.row).not.toContain(Buffer.from(RECORD_KEY).toString('hex'));
    const ev = await h.t.db.selectFrom('audit_events').selectAll().where('target_id', '=', report.id).executeTakeFirstOrThrow();
    expect(ev.action).toBe('sharing.error_report.create');
    expect(JSON.stringify(ev.details)).not.toContain(RECORD_KEY);
  });

  it('a sealed key copied to another report does not open there', async () => {
    const other = (await user.request('POST', '/api/error-reports', { resourceId, description: '名称有误' })).json() as ErrorReport;
    const sealed = (await h.t.db.selectFrom('error_reports').select('record_key_sealed').where('id', '=', report.id).executeTakeFirstOrThrow())
      .record_key_sealed;
    await h.t.db.updateTable('error_reports').set({ record_key_sealed: sealed }).where('id', '=', other.id).execute();
    const view = (await steward.request('GET', `/api/error-reports/${other.id}`)).json() as ErrorReport;
    expect(view.hasRecordKey).toBe(true);
    expect(view.recordKey).toBeNull();
  });

  it('refuses an unknown field (422), a resource the user cannot see (404), and no description (400)', async () => {
    const badField = await user.request('POST', '/api/error-reports', { resourceId, field: 'nope', description: 'x' });
    expect(badField.statusCode).toBe(422);
    expect(badField.json().code).toBe('FIELD_UNKNOWN');
    expect((await user.request('POST', '/api/error-reports', { resourceId: privateResourceId, description: '错误' })).statusCode).toBe(404);
    expect((await user.request('POST', '/api/error-reports', { resourceId, description: '  ' })).statusCode).toBe(400);
    // Reporting is sharing.apply: the authority officer has none.
    expect((await officer.request('POST', '/api/error-reports', { resourceId, description: '错误' })).statusCode).toBe(403);
  });

  it('the provider resolves with a reason (none: 422 REASON_REQUIRED; twice: 409); the reporter sees the outcome', async () => {
    const noReason = await steward.request('POST', `/api/error-reports/${report.id}/resolve`, { outcome: 'corrected', resolution: '  ' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().code).toBe('REASON_REQUIRED');
    expect((await user.request('POST', `/api/error-reports/${report.id}/resolve`, { outcome: 'corrected', resolution: '自己改' })).statusCode).toBe(403);
    const ok = await steward.request('POST', `/api/error-reports/${report.id}/resolve`, { outcome: 'corrected', resolution: '已核实并更正地址' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'corrected', resolution: '已核实并更正地址' });
    expect(ok.json().resolvedBy.id).toBe(steward.userId);
    const again = await steward.request('POST', `/api/error-reports/${report.id}/resolve`, { outcome: 'rejected', resolution: '改主意' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('REPORT_CLOSED');
    const mine = (await user.request('GET', '/api/error-reports?role=reporter&pageSize=200')).json().items as ErrorReport[];
    expect(mine.find((r) => r.id === report.id)).toMatchObject({ status: 'corrected', resolution: '已核实并更正地址' });
    const ev = await h.t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('target_id', '=', report.id)
      .where('action', '=', 'sharing.error_report.resolve')
      .executeTakeFirst();
    expect(ev?.actor_user_id).toBe(steward.userId);
  });

  it('is out of reach for another institution (404, empty list)', async () => {
    expect((await district.request('GET', `/api/error-reports/${report.id}`)).statusCode).toBe(404);
    expect((await district.request('GET', '/api/error-reports')).json().total).toBe(0);
    expect((await district.request('POST', `/api/error-reports/${report.id}/resolve`, { outcome: 'rejected', resolution: '无' })).statusCode).toBe(404);
  });
});

describe('the DG-11 clock', () => {
  it('received Thu 12 Feb 2026: due 15 working days later across Spring Festival (11 Mar 2026), flagged overdue', async () => {
    const actor = (await loadActor(h.t.db, user.userId, { ip: null, requestId: null, lang: 'zh' }, { tokenScopes: null, sessionId: null })) as Actor;
    const r = await h.services.errorReports.create(actor, { resourceId, description: '春节前报告的错误' }, new Date('2026-02-12T10:00:00+08:00'));
    // 13 Feb, 14 Feb (Saturday make-up day), (15–23 Feb Spring Festival), 24–27 Feb, 28 Feb (make-up), 2–6 Mar, 9–11 Mar.
    expect(r.dueDate).toBe('2026-03-11');
    expect(r.dueDate).toBe((await h.services.workdays.addWorkdays('2026-02-12', 15)).result);
    expect(r.receivedAt).toBe(new Date('2026-02-12T10:00:00+08:00').toISOString());
    expect(r.overdue).toBe(true);
    const fresh = (await user.request('POST', '/api/error-reports', { resourceId, description: '今天的报告' })).json() as ErrorReport;
    for (const c of [steward, user, officer]) {
      const items = (await c.request('GET', '/api/error-reports?overdue=true&pageSize=200')).json().items as ErrorReport[];
      expect(items.some((x) => x.id === r.id)).toBe(true);
      expect(items.some((x) => x.id === fresh.id)).toBe(false);
    }
    const providerList = (await steward.request('GET', '/api/error-reports?role=provider&status=open&pageSize=200')).json().items as ErrorReport[];
    expect(providerList[0]?.id).toBe(r.id); // overdue first
  });
});

describe('public reports on open data', () => {
  let releaseId: string;

  beforeAll(async () => {
    releaseId = await release('published');
  });

  it('no login: a report on a published release returns a tracking code; the public follows it to the outcome', async () => {
    const res = await publicPost({ releaseId, recordKey: RECORD_KEY, field: 'dz', description: '该单位已搬迁', contact: CONTACT });
    expect(res.statusCode, res.body).toBe(201);
    const { trackingCode, dueDate } = res.json();
    expect(trackingCode).toMatch(/^[A-Z2-7]{8}-[A-Z2-7]{8}-[A-Z2-7]{8}$/);
    expect(dueDate).toBe((await h.services.workdays.addWorkdays(today(), 15)).result);
    const track = await h.app.inject({ method: 'GET', url: `/api/public/error-reports/${trackingCode}` });
    expect(track.statusCode).toBe(200);
    expect(track.json()).toMatchObject({ trackingCode, status: 'open', statusLabel: { zh: '待核实' }, resolution: null });
    expect(JSON.stringify(track.json())).not.toContain(CONTACT);

    // The provider sees it with the contact; the contact is sealed at rest.
    const list = (await steward.request('GET', '/api/error-reports?source=public&pageSize=200')).json().items as ErrorReport[];
    const mine = list.find((r) => r.releaseId === releaseId);
    expect(mine).toMatchObject({ source: 'public', contact: CONTACT, recordKey: RECORD_KEY, reporter: null, field: 'dz' });
    const row = await h.t.db
      .selectFrom('error_reports as e')
      .select(sql<string>`row_to_json(e)::text`.as('row'))
      .where('e.id', '=', mine?.id as string)
      .executeTakeFirstOrThrow();
    expect(row.row).not.toContain(CONTACT);
    expect(row.row).not.toContain(RECORD_KEY);
    // Not to the data user of another institution.
    expect((await user.request('GET', `/api/error-reports/${mine?.id}`)).statusCode).toBe(404);

    await steward.request('POST', `/api/error-reports/${mine?.id}/resolve`, { outcome: 'rejected', resolution: '经核实地址无误' });
    const after = (await h.app.inject({ method: 'GET', url: `/api/public/error-reports/${trackingCode}` })).json();
    expect(after).toMatchObject({ status: 'rejected', resolution: '经核实地址无误', statusLabel: { zh: '不予更正' } });
  });

  it('refuses a release that is not published or does not exist (404), a field not in the release (422), a bad code (400/404)', async () => {
    const draft = await release('draft');
    expect((await publicPost({ releaseId: draft, description: '错误' }, '203.0.113.8')).statusCode).toBe(404);
    expect((await publicPost({ releaseId: uuidv7(), description: '错误' }, '203.0.113.8')).statusCode).toBe(404);
    const field = await publicPost({ releaseId, field: 'sfzh', description: '错误' }, '203.0.113.8');
    expect(field.statusCode).toBe(422);
    expect(field.json().code).toBe('FIELD_UNKNOWN');
    expect((await h.app.inject({ method: 'GET', url: '/api/public/error-reports/not-a-code' })).statusCode).toBe(400); // lower case: not a code
    expect((await h.app.inject({ method: 'GET', url: '/api/public/error-reports/AAAAAAAA-AAAAAAAA-AAAAAAAA' })).statusCode).toBe(404);
  });

  it('rate-limits each address (429 RATE_LIMITED with Retry-After); another address is unaffected', async () => {
    const ip = '198.51.100.23';
    for (let i = 0; i < PUBLIC_REPORT_LIMIT.max; i++) {
      expect((await publicPost({ releaseId, description: `第${i}条` }, ip)).statusCode).toBe(201);
    }
    const over = await publicPost({ releaseId, description: '超限' }, ip);
    expect(over.statusCode).toBe(429);
    expect(over.json().code).toBe('RATE_LIMITED');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect((await publicPost({ releaseId, description: '另一地址' }, '198.51.100.24')).statusCode).toBe(201);
    const denied = await h.t.db
      .selectFrom('audit_events')
      .select('ip')
      .where('action', '=', 'sharing.error_report.create')
      .where('outcome', '=', 'denied')
      .execute();
    expect(denied.map((d) => d.ip)).toContain(ip);
  });
});
