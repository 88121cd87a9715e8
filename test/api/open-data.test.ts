// Open data releases (LIF-7, HZ-26, GZ-17, ZZ-23): the three checks failing and passing, submission only with
// passing checks, the reviewer's GZ-17 confirmations and the four-eyes rule, publication of a de-identified
// snapshot (SM3, changelog), the public portal without login (published only), refresh and withdrawal, reach.
// The test resources are built through the real services: a resource registered, graded and approved, its
// data loaded through the dataset store; the demo city's catalog supplies an important and an ungraded one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/db/ids.ts';
import { sm3 } from '../../src/engines/gm/index.ts';
import { seedDemoCatalog } from '../../src/modules/catalog/catalog-demo.ts';
import { loadActor } from '../../src/modules/org/actor.repo.ts';
import type { Actor } from '../../src/modules/org/actor.ts';
import type { Release } from '../../src/modules/sharing/open-data.schemas.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';
import { residentId } from '../helpers/identifiers.ts';

let h: TestApp;
let steward: Client;
let security: Client;
let officer: Client;
let cityAdmin: Client;
let eduUser: Client;
let statsId: string;
let residentsId: string;
let permitsId: string;

const DISTRICTS = ['鼓楼区', '台江区', '仓山区', '晋安区', '马尾区', '长乐区'];
const BANDS = ['0-17岁', '18-39岁', '40-59岁', '60岁以上'];

/** District × age band counts, with a contact person's ID number per row (personal data hiding in a statistics table). */
function statsCsv(offset = 0): string {
  const lines = ['qx,nld,rks,lxrzjhm'];
  let i = 0;
  for (const d of DISTRICTS) {
    for (const b of BANDS) {
      lines.push(
        `${d},${b},${1000 + offset + i * 37},${residentId(`35010219${String(70 + (i % 20)).padStart(2, '0')}0${1 + (i % 9)}1${i % 10}${String(100 + i).slice(-3)}`)}`,
      );
      i++;
    }
  }
  return `${lines.join('\n')}\n`;
}

async function actorOf(username: string): Promise<Actor> {
  const row = await h.t.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  return (await loadActor(h.t.db, row.id, { ip: null, requestId: null, lang: 'zh' }, { tokenScopes: null, sessionId: null })) as Actor;
}

async function load(csv: string) {
  const res = await h.app.inject({
    method: 'POST',
    url: `/api/resources/${statsId}/dataset?mode=replace&fileName=stats.csv`,
    headers: { cookie: steward.cookie, 'x-csrf-token': steward.csrf, 'content-type': 'text/csv' },
    payload: Buffer.from(csv),
  });
  expect(res.statusCode, res.body).toBe(200);
}

const anon = (url: string, remoteAddress = '203.0.113.7') => h.app.inject({ method: 'GET', url, remoteAddress });

async function propose(who: Client, body: Record<string, unknown>): Promise<Release> {
  const res = await who.request('POST', '/api/open-data/releases', {
    title: '各区分年龄段人口统计',
    description: '按区县和年龄段汇总的常住人口数',
    licence: '署名 4.0 国际（CC BY 4.0）',
    quasiIdentifiers: [],
    k: 3,
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Release;
}
const act = (who: Client, id: string, step: string, body?: unknown) => who.request('POST', `/api/open-data/releases/${id}/${step}`, body ?? {});
const CONFIRM = { stateSecrets: false, personalInformation: false, tradeSecrets: false };

async function events(action: string, targetId: string) {
  return h.t.db.selectFrom('audit_events').selectAll().where('action', '=', action).where('target_id', '=', targetId).orderBy('seq').execute();
}

beforeAll(async () => {
  h = await createTestApp();
  await seedDemoCatalog(h.services);
  // city.officer also stewards the bureau's data here: the one person who could propose and review (SAME_PERSON).
  const psb = await h.inst('示范市公安局');
  const officerRow = await h.t.db.selectFrom('users').select('id').where('username', '=', 'city.officer').executeTakeFirstOrThrow();
  await h.t.db
    .insertInto('role_assignments')
    .values({ id: uuidv7(), user_id: officerRow.id, role: 'data_steward', institution_id: psb, granted_by: null })
    .execute();
  [steward, security, officer, cityAdmin, eduUser] = await Promise.all(
    ['psb.steward', 'psb.security', 'city.officer', 'city.admin', 'edu.user'].map((u) => h.login(u)),
  );

  const resources = await h.t.db.selectFrom('data_resources').select(['id', 'name', 'system_id']).execute();
  residentsId = resources.find((r) => r.name === '常住人口基本信息')?.id as string;
  permitsId = resources.find((r) => r.name === '居住证办理记录')?.id as string;
  const systemId = resources.find((r) => r.name === '常住人口基本信息')?.system_id as string;

  // A statistics resource, graded general-1 (already public figures) and approved by the security officer.
  const stewardActor = await actorOf('psb.steward');
  const stats = await h.services.resources.create(stewardActor, {
    systemId,
    name: '各区分年龄段人口统计',
    description: '按区县、年龄段汇总的常住人口数，附统计联系人',
    fields: [
      { name: 'qx', dataType: 'string', description: '区县' },
      { name: 'nld', dataType: 'string', description: '年龄段' },
      { name: 'rks', dataType: 'integer', description: '人口数' },
      { name: 'lxrzjhm', dataType: 'string', description: '统计联系人证件号码' },
    ],
    shareAttribute: 'unconditional',
    openAttribute: 'open',
    updateFrequency: 'monthly',
  });
  statsId = stats.id;
  const grading = await h.services.grading.propose(stewardActor, statsId, {
    categories: ['public_security.population.household_register'],
    harms: [{ object: 'public_interest', degree: 'ordinary', reason: '汇总统计数，已在统计公报中公开' }],
    chosenLevel: 'general-1',
    overrideReason: '统计公报已公开的汇总数据，危害可忽略',
    fieldLabels: [],
  });
  await h.services.grading.decide(await actorOf('psb.security'), grading.id, { decision: 'approve', reason: '同意' });
  await load(statsCsv());
});
afterAll(() => h?.close());

describe('proposing a release', () => {
  it('refuses unknown fields and quasi-identifiers that are not released, naming the field', async () => {
    const unknown = await steward.request('POST', '/api/open-data/releases', {
      resourceId: statsId,
      title: 't',
      description: 'd',
      licence: 'l',
      fields: ['qx', 'nope'],
      quasiIdentifiers: [],
      k: 3,
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ code: 'FIELD_UNKNOWN', details: { field: 'fields.1' } });
    const qi = await steward.request('POST', '/api/open-data/releases', {
      resourceId: statsId,
      title: 't',
      description: 'd',
      licence: 'l',
      fields: ['qx'],
      quasiIdentifiers: [{ field: 'nld', hierarchy: { type: 'suppress' } }],
      k: 3,
    });
    expect(qi.statusCode).toBe(422);
    expect(qi.json()).toMatchObject({ code: 'FIELD_UNKNOWN', details: { field: 'quasiIdentifiers.0.field' } });
    const blank = await steward.request('POST', '/api/open-data/releases', {
      resourceId: statsId,
      title: '   ',
      description: 'd',
      licence: 'l',
      fields: ['qx'],
      quasiIdentifiers: [],
      k: 3,
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().details.field).toBe('title');
    // A data user cannot propose (no sharing.provide); the resource is not even in its reach.
    const user = await eduUser.request('POST', '/api/open-data/releases', {
      resourceId: statsId,
      title: 't',
      description: 'd',
      licence: 'l',
      fields: ['qx'],
      quasiIdentifiers: [],
      k: 3,
    });
    expect(user.statusCode).toBe(404);
  });

  it('a draft gets a number, the field descriptions, and an audit event', async () => {
    const r = await propose(steward, { resourceId: statsId, fields: ['qx', 'rks'] });
    expect(r).toMatchObject({ status: 'draft', checksPassed: false, checks: null, resource: { id: statsId }, proposedBy: { id: steward.userId } });
    expect(r.number).toMatch(/^KF-\d{4}-\d{5}$/);
    expect(r.fields).toEqual([
      { name: 'qx', description: '区县', dataType: 'string' },
      { name: 'rks', description: '人口数', dataType: 'integer' },
    ]);
    expect(await events('sharing.opendata.create', r.id)).toHaveLength(1);
    const next = await propose(steward, { resourceId: statsId, fields: ['qx'] });
    expect(Number(next.number.slice(-5))).toBe(Number(r.number.slice(-5)) + 1);
    // Another institution's draft is out of reach: 404, never a hint; the security officer sees it but cannot check it.
    const outside = await eduUser.request('GET', `/api/open-data/releases/${r.id}`);
    expect(outside.statusCode).toBe(404);
    expect(outside.body).not.toContain(r.title);
    expect((await act(eduUser, r.id, 'check')).statusCode).toBe(404);
    expect((await security.request('GET', `/api/open-data/releases/${r.id}`)).statusCode).toBe(200);
    expect((await act(security, r.id, 'check')).statusCode).toBe(403);
    // Submitting before any check is refused.
    const early = await act(steward, r.id, 'submit');
    expect(early.statusCode).toBe(422);
    expect(early.json().code).toBe('RELEASE_CHECKS_FAILED');
  });

  it('permission first: no sharing permission at all is 403 for any release id, in sight, out of sight or missing', async () => {
    const r = await propose(steward, { resourceId: statsId, fields: ['qx'] });
    // vendor.ops1 operates for psb (the release is in its sight), vendor.ops2 for health (out of sight), admin
    // sees everything; none holds sharing.read: the same 403 whatever the id, before any lookup.
    const [psbVendor, healthVendor, admin] = await Promise.all(['vendor.ops1', 'vendor.ops2', 'admin'].map((u) => h.login(u)));
    for (const who of [psbVendor, healthVendor, admin]) {
      for (const target of [r.id, uuidv7()]) {
        const attempts = [
          who.request('GET', `/api/open-data/releases/${target}`),
          who.request('GET', `/api/open-data/releases/${target}/files/${uuidv7()}`),
          act(who, target, 'check'),
          act(who, target, 'submit'),
          act(who, target, 'review', { decision: 'approve', confirmations: CONFIRM }),
          act(who, target, 'refresh'),
          act(who, target, 'withdraw'),
        ];
        for (const res of await Promise.all(attempts)) {
          expect(res.statusCode, res.body).toBe(403);
          expect(res.json()).toMatchObject({ code: 'FORBIDDEN', message: '没有执行此操作的权限' });
          expect(res.body).not.toContain(r.number);
        }
      }
      expect((await who.request('GET', '/api/open-data/releases')).statusCode).toBe(403);
      // Proposing: 403 before the resource is looked up, whether it exists or not.
      for (const resourceId of [statsId, uuidv7()]) {
        const res = await who.request('POST', '/api/open-data/releases', {
          resourceId,
          title: 't',
          description: 'd',
          licence: 'l',
          fields: ['qx'],
          quasiIdentifiers: [],
          k: 3,
        });
        expect(res.statusCode, res.body).toBe(403);
        expect(res.json().code).toBe('FORBIDDEN');
      }
    }
    expect(await h.t.db.selectFrom('open_data_releases').select(['status', 'version']).where('id', '=', r.id).executeTakeFirstOrThrow()).toEqual({
      status: 'draft',
      version: r.version,
    });
    // Holders of sharing.read keep the reach rule: out of sight or missing 404.
    expect((await eduUser.request('GET', `/api/open-data/releases/${r.id}`)).statusCode).toBe(404);
    expect((await eduUser.request('GET', `/api/open-data/releases/${uuidv7()}`)).statusCode).toBe(404);
  });
});

describe('check (1): the grade allows opening', () => {
  it('fails for important data the catalog marks not to be opened; submission is refused with the details', async () => {
    const r = await propose(steward, { resourceId: residentsId, fields: ['csrq', 'hjdz'] });
    const res = await act(steward, r.id, 'check');
    expect(res.statusCode, res.body).toBe(200);
    const checks = (res.json() as Release).checks;
    expect(checks?.passed).toBe(false);
    expect(checks?.grade.passed).toBe(false);
    expect(checks?.grade.resource).toMatchObject({ passed: false, openAttribute: 'not_open' });
    for (const f of checks?.grade.fields ?? []) {
      expect(f.passed).toBe(false);
      expect(f.reason.zh).toContain('不允许开放');
    }
    const submit = await act(steward, r.id, 'submit');
    expect(submit.statusCode).toBe(422);
    expect(submit.json()).toMatchObject({ code: 'RELEASE_CHECKS_FAILED' });
    expect(submit.json().details.failed).toContain('grade');
    expect(submit.json().message).toContain('不得开放');
    expect((await events('sharing.opendata.check', r.id))[0]?.details).toMatchObject({ passed: false, grade: false });
  });

  it('fails safe for an ungraded resource', async () => {
    const r = await propose(steward, { resourceId: permitsId, fields: ['blrq'] });
    const checks = ((await act(steward, r.id, 'check')).json() as Release).checks;
    expect(checks?.grade.passed).toBe(false);
    expect(checks?.grade.fields[0]?.reason.zh).toContain('未定级');
    // And there is nothing to release: the personal-information check fails too.
    expect(checks?.personalInformation.passed).toBe(false);
  });
});

describe('check (2): no personal information left after de-identification', () => {
  it('an ID-number column fails until it is suppressed; the report names what was found per column', async () => {
    const r = await propose(steward, { resourceId: statsId, fields: ['qx', 'lxrzjhm'] });
    const first = ((await act(steward, r.id, 'check')).json() as Release).checks;
    expect(first?.grade.passed).toBe(true);
    expect(first?.personalInformation.passed).toBe(false);
    const col = (c: typeof first, f: string) => c?.personalInformation.columns.find((x) => x.field === f);
    expect(col(first, 'lxrzjhm')).toMatchObject({ passed: false, piTypes: ['id_number'] });
    expect(col(first, 'lxrzjhm')?.types[0]?.type).toBe('CN_RESIDENT_ID');
    expect(col(first, 'qx')).toMatchObject({ passed: true, piTypes: [] });
    expect(first?.personalInformation.reason.zh).toContain('lxrzjhm');
    expect((await act(steward, r.id, 'submit')).json().details.failed).toEqual(['personalInformation']);

    // The security officer suppresses the column for open data: no personal information is left, but an
    // empty column is no release, so the grade check now asks for it to be removed.
    const view = await security.request('GET', `/api/resources/${statsId}/masking`);
    const put = await security.request('PUT', `/api/resources/${statsId}/masking`, {
      version: view.json().version,
      rules: { open: { lxrzjhm: { method: 'suppress' } } },
    });
    expect(put.statusCode, put.body).toBe(200);
    const second = ((await act(steward, r.id, 'check')).json() as Release).checks;
    expect(second?.personalInformation.passed).toBe(true);
    expect(col(second, 'lxrzjhm')).toMatchObject({ passed: true, nonEmpty: 0 });
    expect(second?.grade.fields.find((f) => f.field === 'lxrzjhm')).toMatchObject({ passed: false, openMethod: 'suppress' });
  });
});

describe('check (3): k-anonymity over the quasi-identifiers', () => {
  it('fails when classes are smaller than k beyond the allowed suppression, passes when k holds', async () => {
    const fine = await propose(steward, {
      resourceId: statsId,
      fields: ['qx', 'nld', 'rks'],
      quasiIdentifiers: [{ field: 'qx', hierarchy: { type: 'suppress' } }],
      k: 4,
    });
    const ok = ((await act(steward, fine.id, 'check')).json() as Release).checks;
    expect(ok?.anonymity).toMatchObject({ passed: true, k: 4, rows: 24, classes: 6, smallestClass: 4, violatingRows: 0 });
    expect(ok?.passed).toBe(true);

    const quasi = [
      { field: 'qx', hierarchy: { type: 'suppress' } },
      { field: 'nld', hierarchy: { type: 'suppress' } },
    ];
    const tight = await propose(steward, { resourceId: statsId, fields: ['qx', 'nld', 'rks'], quasiIdentifiers: quasi, k: 2 });
    const bad = ((await act(steward, tight.id, 'check')).json() as Release).checks;
    expect(bad?.anonymity).toMatchObject({ passed: false, smallestClass: 1, violatingRows: 24 });
    expect(bad?.anonymity.reason.zh).toContain('不满足 k=2');
    // The anonymity service's advice on the stored data: a generalisation (suppressing a quasi-identifier) reaches k.
    expect(bad?.anonymity.advice).toMatchObject({ kAnonymousAsStored: false, generalisationFound: true });
    expect((await act(steward, tight.id, 'submit')).json().details.failed).toEqual(['anonymity']);

    // Allowing every row to be withheld is no release either.
    const all = await propose(steward, { resourceId: statsId, fields: ['qx', 'nld', 'rks'], quasiIdentifiers: quasi, k: 2, maxSuppression: 24 });
    const none = ((await act(steward, all.id, 'check')).json() as Release).checks;
    expect(none?.anonymity.passed).toBe(false);
  });
});

describe('review, publication and the public portal', () => {
  let r: Release;
  beforeAll(async () => {
    r = await propose(steward, {
      resourceId: statsId,
      title: '各区常住人口统计',
      fields: ['qx', 'rks'],
      quasiIdentifiers: [{ field: 'qx', hierarchy: { type: 'suppress' } }],
      k: 3,
    });
  });

  it('aggregate data passes every check and is submitted; other institutions do not see it', async () => {
    const checked = (await act(steward, r.id, 'check')).json() as Release;
    expect(checked.checks).toMatchObject({ passed: true, grade: { passed: true }, personalInformation: { passed: true }, anonymity: { passed: true } });
    expect(checked.checksPassed).toBe(true);
    const sub = await act(steward, r.id, 'submit');
    expect(sub.statusCode, sub.body).toBe(200);
    expect(sub.json()).toMatchObject({ status: 'submitted', submittedBy: { id: steward.userId } });
    expect((await act(steward, r.id, 'check')).json().code).toBe('RELEASE_NOT_DRAFT');
    // Reach: the education bureau's data user gets 404 and no list entry.
    expect((await eduUser.request('GET', `/api/open-data/releases/${r.id}`)).statusCode).toBe(404);
    const list = await eduUser.request('GET', '/api/open-data/releases');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((x: { id: string }) => x.id)).not.toContain(r.id);
    expect((await steward.request('GET', '/api/open-data/releases?status=submitted')).json().items.map((x: { id: string }) => x.id)).toContain(r.id);
    // Not public before publication.
    expect((await anon(`/api/public/open-data/${r.id}`)).statusCode).toBe(404);
    expect((await anon('/api/public/open-data')).json().items).toEqual([]);
  });

  it('the provider cannot review; the reviewer must confirm GZ-17 and give a reason to reject', async () => {
    expect((await act(steward, r.id, 'review', { decision: 'approve', confirmations: CONFIRM })).statusCode).toBe(403);
    for (const confirmations of [
      undefined,
      { stateSecrets: false, personalInformation: false },
      { ...CONFIRM, personalInformation: true },
      { ...CONFIRM, tradeSecrets: true },
    ]) {
      const res = await act(officer, r.id, 'review', { decision: 'approve', ...(confirmations ? { confirmations } : {}) });
      expect(res.statusCode, JSON.stringify(confirmations)).toBe(422);
      expect(res.json().code).toBe('CONFIRMATIONS_REQUIRED');
    }
    const noNote = await act(officer, r.id, 'review', { decision: 'approve', confirmations: { ...CONFIRM, tradeSecrets: { basis: 'consent', note: '' } } });
    expect(noNote.statusCode).toBe(400);
    const reject = await act(officer, r.id, 'review', { decision: 'reject' });
    expect(reject.statusCode).toBe(422);
    expect(reject.json().code).toBe('REASON_REQUIRED');
    expect((await h.t.db.selectFrom('open_data_releases').select('status').where('id', '=', r.id).executeTakeFirstOrThrow()).status).toBe('submitted');
  });

  it('approval publishes a de-identified snapshot with its SM3 and a changelog entry', async () => {
    const res = await act(cityAdmin, r.id, 'review', {
      decision: 'approve',
      confirmations: { ...CONFIRM, tradeSecrets: { basis: 'public_interest', note: '人口统计属公共信息' } },
      reason: '符合开放条件',
    });
    expect(res.statusCode, res.body).toBe(200);
    const pub = res.json() as Release;
    expect(pub).toMatchObject({ status: 'published', reviewedBy: { id: cityAdmin.userId }, reviewReason: '符合开放条件' });
    expect(pub.files).toHaveLength(1);
    expect(pub.files[0]).toMatchObject({ seq: 1, rows: 24 });
    expect(pub.changes.map((c) => c.kind)).toEqual(['published']);
    expect(pub.currentFileId).toBe(pub.files[0]?.id);
    const ev = await events('sharing.opendata.approve', r.id);
    expect(ev).toHaveLength(1);
    expect(ev[0]?.details).toMatchObject({ fileSm3: pub.files[0]?.sm3, rows: 24 });
    // The version file, for those who see the release.
    const file = await steward.request('GET', `/api/open-data/releases/${r.id}/files/${pub.files[0]?.id}`);
    expect(file.statusCode).toBe(200);
    expect(sm3(file.rawPayload).toString('hex')).toBe(pub.files[0]?.sm3);
    expect((await eduUser.request('GET', `/api/open-data/releases/${r.id}/files/${pub.files[0]?.id}`)).statusCode).toBe(404);
  });

  it('the public lists, describes and downloads it without login; downloads are counted, not audited', async () => {
    const list = await anon('/api/public/open-data?q=常住人口');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ total: 1, items: [{ id: r.id, title: '各区常住人口统计', institution: { name: '示范市公安局' }, rows: 24 }] });
    expect((await anon('/api/public/open-data?q=不存在的数据')).json().total).toBe(0);
    const detail = await anon(`/api/public/open-data/${r.id}`);
    expect(detail.statusCode).toBe(200);
    const d = detail.json();
    expect(d).toMatchObject({
      licence: '署名 4.0 国际（CC BY 4.0）',
      fields: [
        { name: 'qx', description: '区县' },
        { name: 'rks', description: '人口数' },
      ],
    });
    expect(d.changelog).toEqual([expect.objectContaining({ kind: 'published', note: '符合开放条件' })]);
    expect(d.changelog[0]).not.toHaveProperty('by');

    const before = await h.t.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const dl = await anon(`/api/public/open-data/${r.id}/download`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toContain('text/csv');
    expect(String(dl.headers['content-disposition'])).toContain(`filename*=UTF-8''${encodeURIComponent('各区常住人口统计')}`);
    const bytes = dl.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(sm3(bytes).toString('hex')).toBe(d.file.sm3);
    const text = bytes.toString('utf8').slice(1);
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('qx,rks');
    expect(lines).toHaveLength(25);
    expect(text).not.toMatch(/\d{17}[\dX]/);
    const after = await h.t.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await anon(`/api/public/open-data/${r.id}`)).json().downloads).toBe(1);
  });

  it('refresh re-checks and adds a new file and a changelog entry', async () => {
    await load(statsCsv(500));
    const res = await act(steward, r.id, 'refresh', { reason: '更新至本月数据' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as Release;
    expect(body.files.map((f) => f.seq)).toEqual([1, 2]);
    expect(body.files[1]?.sm3).not.toBe(body.files[0]?.sm3);
    expect(body.changes.map((c) => c.kind)).toEqual(['published', 'refreshed']);
    expect(body.currentFileId).toBe(body.files[1]?.id);
    const d = (await anon(`/api/public/open-data/${r.id}`)).json();
    expect(d.file.sm3).toBe(body.files[1]?.sm3);
    expect(d.changelog.map((c: { kind: string }) => c.kind)).toEqual(['published', 'refreshed']);
    expect(await events('sharing.opendata.refresh', r.id)).toHaveLength(1);
    // The files and the changelog are evidence: the database refuses to change them.
    await expect(h.t.db.updateTable('open_data_files').set({ rows: 0 }).where('release_id', '=', r.id).execute()).rejects.toThrow(/append-only/);
    await expect(h.t.db.deleteFrom('open_data_changes').where('release_id', '=', r.id).execute()).rejects.toThrow(/append-only/);
  });

  it('limits public downloads per address', async () => {
    const ip = '198.51.100.23';
    let last = await anon(`/api/public/open-data/${r.id}/download`, ip);
    for (let i = 0; i < 40 && last.statusCode === 200; i++) last = await anon(`/api/public/open-data/${r.id}/download`, ip);
    expect(last.statusCode).toBe(429);
    expect(last.json().code).toBe('RATE_LIMITED');
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await anon(`/api/public/open-data/${r.id}/download`, '198.51.100.24')).statusCode).toBe(200);
  });

  it('withdrawal takes it off the portal, with a changelog entry', async () => {
    const res = await act(steward, r.id, 'withdraw', { reason: '数据口径调整' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'withdrawn' });
    expect(res.json().changes.map((c: { kind: string }) => c.kind)).toEqual(['published', 'refreshed', 'withdrawn']);
    expect((await anon(`/api/public/open-data/${r.id}`)).statusCode).toBe(404);
    expect((await anon(`/api/public/open-data/${r.id}/download`)).statusCode).toBe(404);
    expect((await anon('/api/public/open-data')).json().items).toEqual([]);
    expect(await h.services.openData.publishedRelease(r.id)).toBeNull();
    expect((await act(steward, r.id, 'withdraw', {})).json().code).toBe('RELEASE_NOT_PUBLISHED');
    expect(await events('sharing.opendata.withdraw', r.id)).toHaveLength(1);
  });
});

describe('four eyes', () => {
  it('the person who proposed a release cannot review it, even holding both roles (403 SAME_PERSON, audited)', async () => {
    const r = await propose(officer, { resourceId: statsId, fields: ['qx', 'rks'] });
    expect((await act(officer, r.id, 'check')).json().checksPassed).toBe(true);
    expect((await act(officer, r.id, 'submit')).statusCode).toBe(200);
    const res = await act(officer, r.id, 'review', { decision: 'approve', confirmations: CONFIRM });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('SAME_PERSON');
    const denied = await events('sharing.opendata.approve', r.id);
    expect(denied).toHaveLength(1);
    expect(denied[0]?.outcome).toBe('denied');
    // Another reviewer may; publishedRelease then names it for public error reports.
    expect((await act(cityAdmin, r.id, 'review', { decision: 'approve', confirmations: CONFIRM })).statusCode).toBe(200);
    expect(await h.services.openData.publishedRelease(r.id)).toMatchObject({ id: r.id, resourceId: statsId, fields: ['qx', 'rks'] });
  });
});
