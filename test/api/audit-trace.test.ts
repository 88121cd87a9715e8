// The life-cycle trace (AUD-6): a resource registered, scanned, loaded, masked, delivered twice, a leaked copy
// traced, reloaded, its keys destroyed: every stage appears in time order. A record key's trace: the dataset
// versions that held the record and the deliveries that included it (and not the others), with their events.
// Scope as everywhere: out of reach 404, in reach without audit.read 403. The trace itself is audited without
// the record key's value.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/db/ids.ts';
import type { Trace } from '../../src/modules/audit/reports.schemas.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';
import { residentId } from '../helpers/identifiers.ts';

let h: TestApp;
let steward: Client;
let security: Client;
let cityAuditor: Client;
let resourceId: string;
const resourceName = `户籍变动记录${randomBytes(2).toString('hex')}`;
let psb: string;

const person = (i: number) => ({
  sfzh: residentId(`3501021985${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i).padStart(3, '0')}`),
  xm: `${'张王李赵刘陈'[i % 6]}${'伟芳娜敏静丽'[(i * 5) % 6]}${i}`,
  // Columns a watermark can ride on (a leaked copy is traced by them).
  je: (1000 + i * 3.25).toFixed(2),
  bz: `第${i}号档案，已核实`,
});
type Person = ReturnType<typeof person>;
/** Enough people for a leaked copy to carry its watermark. */
const BASE = Array.from({ length: 400 }, (_, i) => person(i + 1));
const [A, , C] = BASE as [Person, Person, Person];
const D = person(500);
const csv = (rows: Person[]) => Buffer.from(`sfzh,xm,je,bz\n${rows.map((r) => `${r.sfzh},${r.xm},${r.je},${r.bz}`).join('\n')}\n`);
const deliveries: string[] = [];
let leakedCopy = '';

async function load(mode: string, rows: Person[]) {
  const res = await h.app.inject({
    method: 'POST',
    url: `/api/resources/${resourceId}/dataset?mode=${mode}&keyField=sfzh&fileName=hj.csv`,
    headers: { cookie: steward.cookie, 'x-csrf-token': steward.csrf, 'content-type': 'text/csv' },
    payload: csv(rows),
  });
  expect(res.statusCode, res.body).toBe(200);
}
async function deliver(recipient: string): Promise<string> {
  const res = await steward.request('POST', `/api/resources/${resourceId}/deliveries`, { scenario: 'test', recipient, purpose: '系统联调测试', format: 'csv' });
  expect(res.statusCode, res.body).toBe(200);
  deliveries.push(String(res.headers['x-delivery-id']));
  return res.body;
}
async function trace(client: Client, recordKey?: string): Promise<Trace> {
  const res = await client.request('GET', `/api/audit/trace?resourceId=${resourceId}${recordKey ? `&recordKey=${encodeURIComponent(recordKey)}` : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Trace;
}

beforeAll(async () => {
  h = await createTestApp();
  [steward, security, cityAuditor] = await Promise.all([h.login('psb.steward'), h.login('psb.security'), h.login('city.auditor')]);
  psb = await h.inst('示范市公安局');
  const systemId = uuidv7();
  await h.t.db
    .insertInto('systems')
    .values({ id: systemId, institution_id: psb, name: '户籍系统', status: 'accepted', trusted_terminals: '[]', storage_carriers: '[]' })
    .execute();
  // 登记
  const res = await steward.request('POST', '/api/resources', {
    systemId,
    name: resourceName,
    shareAttribute: 'unconditional',
    openAttribute: 'not_open',
    fields: [
      { name: 'sfzh', dataType: 'string', description: '身份证号' },
      { name: 'xm', dataType: 'string', description: '姓名' },
      { name: 'je', dataType: 'decimal', description: '补贴金额' },
      { name: 'bz', dataType: 'text', description: '备注' },
    ],
  });
  expect(res.statusCode).toBe(201);
  resourceId = res.json().id;
  // 分级: the steward proposes, the security officer approves (the levels decide how each field is masked).
  const fieldId = (name: string) => (res.json().fields as { id: string; name: string }[]).find((f) => f.name === name)?.id;
  const proposal = await steward.request('POST', `/api/resources/${resourceId}/gradings`, {
    categories: ['public_security.population.household_register'],
    harms: [{ object: 'individual', degree: 'ordinary', reason: '涉及个人身份信息' }],
    chosenLevel: 'general-2',
    fieldLabels: [
      { fieldId: fieldId('sfzh'), level: 'general-2', piType: 'id_number', piSensitive: false },
      { fieldId: fieldId('xm'), level: 'general-2', piType: 'name', piSensitive: false },
      { fieldId: fieldId('je'), level: 'general-2', piSensitive: false },
      { fieldId: fieldId('bz'), level: 'general-2', piSensitive: false },
    ],
  });
  expect(proposal.statusCode, proposal.body).toBe(201);
  const approval = await security.request('POST', `/api/gradings/${proposal.json().id}/decision`, { decision: 'approve', reason: '依据充分' });
  expect(approval.statusCode, approval.body).toBe(200);
  // 载入 v1 (everyone but D)
  await load('replace', BASE);
  // 识别: a scan queued, then cancelled
  const scan = await steward.request('POST', `/api/resources/${resourceId}/scans`, {});
  expect(scan.statusCode).toBe(202);
  expect((await steward.request('POST', `/api/jobs/${scan.json().id}/cancel`)).statusCode).toBe(200);
  // 脱敏
  const masking = await security.request('PUT', `/api/resources/${resourceId}/masking`, { version: 0, targets: { sfzh: 'resident_id', xm: 'name' } });
  expect(masking.statusCode, masking.body).toBe(200);
  // 交付 #1 of v1
  leakedCopy = await deliver('测试公司甲');
  // 载入 v2: D new, A rewritten
  await load('upsert', [{ ...A, xm: `${A.xm}改` }, D]);
  // 交付 #2 of v2
  await deliver('测试公司乙');
  // 溯源: the first copy leaks
  const leak = await h.app.inject({
    method: 'POST',
    url: '/api/trace?fileName=leak.csv',
    headers: { cookie: security.cookie, 'x-csrf-token': security.csrf, 'content-type': 'text/csv' },
    payload: leakedCopy,
  });
  expect(leak.statusCode, leak.body).toBe(200);
  expect(leak.json(), leak.body).toMatchObject({ verdict: 'attributed', deliveryId: deliveries[0] });
});
afterAll(() => h?.close());

const actions = (t: Trace) => t.events.map((e) => e.action).filter((a) => !a.startsWith('audit.'));

describe('the trace of a resource', () => {
  it('lists every event that touched it, in time order, each with its stage', async () => {
    const t = await trace(cityAuditor);
    expect(t.resource).toMatchObject({ id: resourceId, name: resourceName, institutionId: psb, institutionName: '示范市公安局' });
    expect(actions(t)).toEqual([
      'catalog.resource.create',
      'catalog.grading.propose',
      'catalog.grading.approve',
      'protection.dataset.load',
      'discovery.scan.start',
      'job.cancel',
      'protection.masking.update',
      'protection.delivery.create',
      'protection.dataset.load',
      'protection.delivery.create',
      'protection.trace',
    ]);
    const stageOf = Object.fromEntries(t.events.map((e) => [e.action, e.stage]));
    expect(stageOf).toMatchObject({
      'catalog.resource.create': 'register',
      'catalog.grading.approve': 'grade',
      'protection.dataset.load': 'load',
      'discovery.scan.start': 'discover',
      'protection.masking.update': 'mask',
      'protection.delivery.create': 'deliver',
      'protection.trace': 'trace',
    });
    const times = t.events.map((e) => e.occurredAt);
    expect([...times].sort()).toEqual(times);
    expect(t.stages.map((s) => s.stage)).toEqual(['register', 'grade', 'load', 'discover', 'other', 'mask', 'deliver', 'trace']);
    expect(t.stages.find((s) => s.stage === 'deliver')?.count).toBe(2);
    expect(t.events.every((e) => e.record === null)).toBe(true);
    expect(t.record).toBeNull();
  });

  it('scope: the bureau’s security officer and the regulator with a read grant see it; out of reach 404; no audit.read 403', async () => {
    expect((await trace(security)).total).toBeGreaterThan(5);
    expect((await trace(await h.login('cac.auditor'))).total).toBeGreaterThan(5);
    const steward403 = await steward.request('GET', `/api/audit/trace?resourceId=${resourceId}`);
    expect(steward403.statusCode).toBe(403);
    const edu = await h.login('edu.user');
    const out = await edu.request('GET', `/api/audit/trace?resourceId=${resourceId}`);
    expect(out.statusCode).toBe(404);
    expect(out.body).not.toContain(resourceName);
    expect((await cityAuditor.request('GET', `/api/audit/trace?resourceId=${uuidv7()}`)).statusCode).toBe(404);
    expect((await cityAuditor.request('GET', '/api/audit/trace?resourceId=nope')).statusCode).toBe(400);
  });
});

describe('the trace of one record', () => {
  it('a record added by the second load: held by version 2 only, in the second delivery only', async () => {
    const t = await trace(cityAuditor, D.sfzh);
    expect(t.record).toMatchObject({ keyField: 'sfzh', state: 'present', currentVersion: 2, lastWrittenVersion: 2 });
    expect(t.record?.versions.map((v) => [v.version, v.mode, v.held])).toEqual([
      [1, 'replace', 'not_held'],
      [2, 'upsert', 'held'],
    ]);
    expect(t.record?.deliveries.map((d) => [d.deliveryId, d.recipient, d.datasetVersion, d.included])).toEqual([[deliveries[1], '测试公司乙', 2, 'held']]);
    // Its events: the resource-wide ones, the load that brought it, the delivery that included it; not the
    // first load, the first delivery or the leak of that first copy.
    expect(actions(t)).toEqual([
      'catalog.resource.create',
      'catalog.grading.propose',
      'catalog.grading.approve',
      'discovery.scan.start',
      'job.cancel',
      'protection.masking.update',
      'protection.dataset.load',
      'protection.delivery.create',
    ]);
    expect(t.events.filter((e) => e.record === 'held').map((e) => e.action)).toEqual(['protection.dataset.load', 'protection.delivery.create']);
  });

  it('a record loaded first and rewritten later: both versions, both deliveries, the leak of the first copy', async () => {
    const t = await trace(cityAuditor, A.sfzh);
    expect(t.record).toMatchObject({ state: 'present', lastWrittenVersion: 2 });
    expect(t.record?.versions.map((v) => v.held)).toEqual(['held', 'held']);
    expect(t.record?.deliveries.map((d) => d.deliveryId)).toEqual(deliveries);
    expect(actions(t).filter((a) => a.startsWith('protection.'))).toEqual([
      'protection.dataset.load',
      'protection.masking.update',
      'protection.delivery.create',
      'protection.dataset.load',
      'protection.delivery.create',
      'protection.trace',
    ]);
  });

  it('a key never loaded: held by no version, in no delivery', async () => {
    const t = await trace(cityAuditor, person(999).sfzh);
    expect(t.record).toMatchObject({ state: 'absent', lastWrittenVersion: null });
    expect(t.record?.versions.map((v) => v.held)).toEqual(['not_held', 'not_held']);
    expect(t.record?.deliveries).toEqual([]);
    expect(actions(t)).not.toContain('protection.delivery.create');
  });

  it('a record removed by a replace: not held since; what came before is "possibly" (the store keeps no removed rows); the removing load shows', async () => {
    await load('replace', [...BASE.filter((p) => p !== C), D]);
    const t = await trace(cityAuditor, C.sfzh);
    expect(t.record).toMatchObject({ state: 'absent', currentVersion: 3 });
    expect(t.record?.versions.map((v) => [v.version, v.held])).toEqual([
      [1, 'possibly'],
      [2, 'possibly'],
      [3, 'not_held'],
    ]);
    expect(t.record?.deliveries.map((d) => d.included)).toEqual(['possibly', 'possibly']);
    const loads = t.events.filter((e) => e.action === 'protection.dataset.load');
    expect(loads.map((e) => [e.details.version, e.record])).toEqual([
      [1, 'possibly'],
      [2, 'possibly'],
      [3, null],
    ]);
  });

  it('takes the record key in a POST body too (it is personal data: no request line, no access log), with the same answer', async () => {
    const res = await cityAuditor.request('POST', '/api/audit/trace', { resourceId, recordKey: D.sfzh });
    expect(res.statusCode, res.body).toBe(200);
    const viaGet = await trace(cityAuditor, D.sfzh);
    const body = res.json() as Trace;
    expect(body.record).toEqual(viaGet.record);
    expect(actions(body)).toEqual(actions(viaGet));
    const bad = await cityAuditor.request('POST', '/api/audit/trace', { resourceId, recordKey: '' });
    expect(bad.statusCode).toBe(400);
  });

  it('is audited with the key’s HMAC, never its value', async () => {
    const events = await h.t.db.selectFrom('audit_events').selectAll().where('action', '=', 'audit.trace').execute();
    expect(events.length).toBeGreaterThanOrEqual(6);
    const withKey = events.filter((e) => (e.details as Record<string, unknown>).recordKeyHmac);
    expect(withKey.length).toBeGreaterThanOrEqual(4);
    for (const e of events) {
      expect(e).toMatchObject({ target_type: 'data_resource', target_id: resourceId, target_institution_id: psb });
      for (const p of [A, C, D]) expect(JSON.stringify(e.details)).not.toContain(p.sfzh);
    }
    expect(new Set(withKey.map((e) => (e.details as Record<string, unknown>).recordKeyHmac)).size).toBe(4);
  });
});

describe('to deletion', () => {
  it('destroying the keys ends the trace; a record can no longer be matched (crypto-shredding)', async () => {
    const res = await security.request('POST', `/api/resources/${resourceId}/keys/destroy`, { confirmName: resourceName, reason: '保存期限届满' });
    expect(res.statusCode, res.body).toBe(200);
    const t = await trace(cityAuditor);
    const last = actions(t).at(-1);
    expect(last).toBe('protection.key.destroy');
    expect(t.events.filter((e) => !e.action.startsWith('audit.')).at(-1)?.stage).toBe('delete');
    expect(t.stages.map((s) => s.stage)).toContain('delete');
    const r = await trace(cityAuditor, A.sfzh);
    expect(r.record).toMatchObject({ state: 'keys_destroyed', keyField: 'sfzh' });
    expect(r.record?.versions.every((v) => v.held === 'possibly')).toBe(true);
    expect(r.record?.deliveries).toHaveLength(2);
    expect(actions(r).at(-1)).toBe('protection.key.destroy');
  });
});
