// Data security agreements and SM2 signatures (LIF-4; docs/sharing-contract.md "Agreements and signatures"):
// the text written at the last approval, re-authentication before signing, the parties, the grant made with
// the second signature in one transaction, verification, the fixed text, and openssl verifying the bundle.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/db/ids.ts';
import { sm3 } from '../../src/engines/gm/index.ts';
import { OpensslDir } from '../../src/engines/gm/test-openssl.ts';
import { DG12_CASE_LABELS, DG12_CASES } from '../../src/engines/sharing/dg12.ts';
import { totpCode } from '../../src/modules/auth/totp.ts';
import { seedDemoCatalog } from '../../src/modules/catalog/catalog-demo.ts';
import { beijingToday } from '../../src/modules/catalog/deadlines.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/modules/org/demo-city.ts';
import { seedDemoSharing } from '../../src/modules/sharing/sharing-demo.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';

let h: TestApp;
const c = {} as Record<'eduUser' | 'psbSteward' | 'psbAdmin' | 'psbSecurity' | 'cityAdmin' | 'cityOfficer' | 'districtAdmin', Client>;
const id = {} as Record<'psb' | 'edu', string>;
const ossl = new OpensslDir();

beforeAll(async () => {
  h = await createTestApp();
  id.psb = await h.inst('示范市公安局');
  id.edu = await h.inst('示范市教育局');
  c.eduUser = await h.login('edu.user');
  c.psbSteward = await h.login('psb.steward');
  c.psbAdmin = await h.login('psb.admin');
  c.psbSecurity = await h.login('psb.security');
  c.cityAdmin = await h.login('city.admin');
  c.cityOfficer = await h.login('city.officer');
  c.districtAdmin = await h.login('district.admin');
});
afterAll(async () => {
  ossl.cleanup();
  await h?.close();
});

async function makeResource(level: string): Promise<string> {
  const systemId = uuidv7();
  await h.t.db
    .insertInto('systems')
    .values({ id: systemId, institution_id: id.psb, name: `系统-${systemId.slice(-6)}`, status: 'accepted', trusted_terminals: '[]', storage_carriers: '[]' })
    .execute();
  const rid = uuidv7();
  await h.t.db
    .insertInto('data_resources')
    .values({
      id: rid,
      institution_id: id.psb,
      system_id: systemId,
      name: `常住人口-${rid.slice(-4)}`,
      share_attribute: 'conditional',
      share_basis: '《居民身份证法》',
      open_attribute: 'not_open',
      collection: JSON.stringify({ purpose: '户籍管理' }),
      published: true,
      level,
      grading_status: 'approved',
    })
    .execute();
  for (const [i, [name, description]] of [
    ['xm', '姓名'],
    ['xb', '性别'],
    ['hjdz', '户籍地址'],
  ].entries()) {
    await h.t.db
      .insertInto('data_fields')
      .values({ id: uuidv7(), resource_id: rid, institution_id: id.psb, position: i + 1, name: name as string, data_type: 'string', description })
      .execute();
  }
  return rid;
}

/** An approved request of edu for a new psb resource at `level`; returns the request and its agreement id. */
async function approvedRequest(level = 'general-3', deciders: Client[] = [c.psbSteward, c.cityOfficer]) {
  const rid = await makeResource(level);
  const res = await c.eduUser.request('POST', '/api/share-requests', {
    resourceId: rid,
    fields: ['xm', 'hjdz'],
    purpose: '义务教育入学资格核验',
    purposeCode: 'edu.enrolment',
    legalBasis: '《义务教育法》第十二条',
    scenario: '新生入学报名时核验户籍',
    method: 'interface',
    termStart: beijingToday(),
    termEnd: `${Number(beijingToday().slice(0, 4)) + 1}-08-31`,
    securityMeasures: '政务外网专线访问；国密加密存储',
    liabilityAccepted: true,
    ratePerMinute: 30,
    rowsPerDay: 5000,
  });
  expect(res.statusCode, res.body).toBe(201);
  let r = res.json();
  for (const who of deciders) {
    const d = await who.request('POST', `/api/share-requests/${r.id}/decision`, { decision: 'approve' });
    expect(d.statusCode, d.body).toBe(200);
    r = d.json();
  }
  expect(r.status).toBe('approved');
  return { request: r, agreementId: r.agreementId as string, resourceId: rid };
}

/** An authenticator code the server has not seen for this account (codes are single-use per time step). */
async function freshTotp(username: string): Promise<string> {
  for (;;) {
    const u = await h.t.db.selectFrom('users').select('totp_last_step').where('username', '=', username).executeTakeFirstOrThrow();
    const now = Math.floor(Date.now() / 30_000);
    const step = Math.max(now - 1, (u.totp_last_step ?? 0) + 1);
    if (step <= now + 1) return totpCode(DEMO_TOTP_SECRET, step * 30_000 + 1000);
    await new Promise((r) => setTimeout(r, (now + 1) * 30_000 - Date.now() + 50));
  }
}

const sign = (who: Client, agreementId: string, b: Record<string, unknown> = { password: DEMO_PASSWORD }) =>
  who.request('POST', `/api/share-agreements/${agreementId}/sign`, b);

describe('the agreement text (LIF-4)', () => {
  it('is written at the last approval: numbered articles, the content, the DG-12 cases, its SM3', async () => {
    const { request, agreementId } = await approvedRequest();
    const res = await c.eduUser.request('GET', `/api/share-agreements/${agreementId}`);
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json();
    expect(a).toMatchObject({
      requestId: request.id,
      requestNumber: request.number,
      status: 'awaiting_signatures',
      signatures: [],
      grantId: null,
      canSignAs: 'applicant',
      provider: { id: id.psb },
      applicant: { id: id.edu },
    });
    expect(a.number).toMatch(/^XY-\d{4}-\d{6}$/);
    expect(a.textSm3).toBe(sm3(Buffer.from(a.text, 'utf8')).toString('hex'));
    expect(a.text).toContain(`协议编号：${a.number}`);
    expect(a.text).toContain('第一条');
    expect(a.text).toContain('示范市公安局');
    expect(a.text).toContain('xm（姓名）、hjdz（户籍地址）');
    expect(a.text).toContain('用途代码：edu.enrolment');
    expect(a.text).toContain('每分钟调用不超过 30 次，每日获取记录不超过 5000 条');
    for (const k of DG12_CASES) expect(a.text).toContain(DG12_CASE_LABELS[k].zh);
    expect((await c.psbSteward.request('GET', `/api/share-agreements/${agreementId}`)).json().canSignAs).toBe('provider');
    expect((await c.cityAdmin.request('GET', `/api/share-agreements/${agreementId}`)).json().canSignAs).toBeNull();
    expect((await c.districtAdmin.request('GET', `/api/share-agreements/${agreementId}`)).statusCode).toBe(404);
    expect((await c.eduUser.request('GET', `/api/share-agreements/${uuidv7()}`)).statusCode).toBe(404);
    // Permission first: no sharing permission at all (vendor staff) is 403 for any agreement id, existing or not.
    const vendor = await h.login('vendor.ops1');
    for (const target of [agreementId, uuidv7()]) {
      const res = await vendor.request('GET', `/api/share-agreements/${target}`);
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
    }
    const req = await c.eduUser.request('GET', `/api/share-requests/${request.id}`);
    expect(req.json().can.sign).toBe(true);
  });

  it('the text and its hash never change: the trigger refuses an update', async () => {
    const { agreementId } = await approvedRequest();
    await expect(sql`UPDATE share_agreements SET text = text || '（篡改）' WHERE id = ${agreementId}`.execute(h.t.db)).rejects.toThrow(/fixed/);
    await expect(sql`UPDATE share_agreements SET text_sm3 = repeat('0', 64) WHERE id = ${agreementId}`.execute(h.t.db)).rejects.toThrow(/fixed/);
    await expect(sql`DELETE FROM share_agreements WHERE id = ${agreementId}`.execute(h.t.db)).rejects.toThrow(/fixed/);
  });
});

describe('signing (re-authentication, parties, the grant)', () => {
  it('refuses non-parties, a wrong password (401, counted toward the lockout) and a second signature of one party', async () => {
    const { agreementId } = await approvedRequest();
    const notParty = await sign(c.cityAdmin, agreementId);
    expect(notParty.statusCode).toBe(403);
    expect(notParty.json().code).toBe('NOT_A_PARTY');
    expect((await sign(c.psbSecurity, agreementId)).json().code).toBe('NOT_A_PARTY');
    expect((await sign(c.districtAdmin, agreementId)).statusCode).toBe(404);

    const before = await h.t.db.selectFrom('users').select('failed_logins').where('id', '=', c.eduUser.userId).executeTakeFirstOrThrow();
    const wrong = await sign(c.eduUser, agreementId, { password: 'not-the-password' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('REAUTH_FAILED');
    const after = await h.t.db.selectFrom('users').select('failed_logins').where('id', '=', c.eduUser.userId).executeTakeFirstOrThrow();
    expect(after.failed_logins).toBe(before.failed_logins + 1);
    const failure = await h.t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'auth.reauth')
      .where('actor_user_id', '=', c.eduUser.userId)
      .executeTakeFirstOrThrow();
    expect(failure.outcome).toBe('failure');
    expect(await h.t.db.selectFrom('agreement_signatures').select('id').where('agreement_id', '=', agreementId).execute()).toHaveLength(0);
    // The session survives one wrong password.
    expect((await c.eduUser.request('GET', '/api/me')).statusCode).toBe(200);

    const ok = await sign(c.eduUser, agreementId);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'awaiting_signatures', grantId: null, canSignAs: null });
    expect(ok.json().signatures).toEqual([
      expect.objectContaining({
        party: 'applicant',
        institution: { id: id.edu, name: '示范市教育局' },
        user: expect.objectContaining({ id: c.eduUser.userId }),
        valid: true,
      }),
    ]);
    const again = await sign(c.eduUser, agreementId);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ALREADY_SIGNED');
    // One key per person, created on first use, its private half wrapped (never in clear).
    const keys = await h.t.db.selectFrom('signing_keys').selectAll().where('user_id', '=', c.eduUser.userId).execute();
    expect(keys).toHaveLength(1);
    expect(keys[0]?.wrapped.toString('latin1')).not.toContain('PRIVATE KEY');
    expect(ok.json().signatures[0].publicKeyFingerprint).toBe(keys[0]?.fingerprint);
  });

  it('a TOTP-enrolled signer needs the code too; the second signature makes the agreement signed, the request granted and the grant, together', async () => {
    await h.t.db
      .insertInto('settings')
      .values({ key: 'sharing.minGroupSize', value: JSON.stringify(5) })
      .execute();
    const { request, agreementId, resourceId } = await approvedRequest();
    expect((await sign(c.eduUser, agreementId)).statusCode).toBe(200);
    const noCode = await sign(c.psbAdmin, agreementId);
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json()).toMatchObject({ code: 'REAUTH_FAILED', details: { totpRequired: true } });
    const badCode = await sign(c.psbAdmin, agreementId, { password: DEMO_PASSWORD, totpCode: '000000' });
    expect(badCode.statusCode).toBe(401);
    const ok = await sign(c.psbAdmin, agreementId, { password: DEMO_PASSWORD, totpCode: await freshTotp('psb.admin') });
    expect(ok.statusCode, ok.body).toBe(200);
    const a = ok.json();
    expect(a.status).toBe('signed');
    expect(a.signedAt).toEqual(expect.any(String));
    expect(a.signatures.map((s: { party: string; valid: boolean }) => [s.party, s.valid])).toEqual([
      ['applicant', true],
      ['provider', true],
    ]);
    expect(a.grantId).toEqual(expect.any(String));
    const grant = await h.t.db.selectFrom('share_grants').selectAll().where('id', '=', a.grantId).executeTakeFirstOrThrow();
    expect(grant).toMatchObject({
      request_id: request.id,
      agreement_id: agreementId,
      resource_id: resourceId,
      provider_institution_id: id.psb,
      recipient_institution_id: id.edu,
      fields: ['xm', 'hjdz'],
      purpose_code: 'edu.enrolment',
      method: 'interface',
      aggregate_only: false,
      min_group_size: 5,
      rate_per_minute: 30,
      rows_per_day: 5000,
      status: 'active',
    });
    expect(grant.number).toMatch(/^SQ-\d{4}-\d{6}$/);
    const req = (await c.eduUser.request('GET', `/api/share-requests/${request.id}`)).json();
    expect(req).toMatchObject({ status: 'granted', grantId: a.grantId, agreementId });
    for (const action of ['sharing.agreement.sign', 'sharing.grant.create']) {
      const target = action === 'sharing.grant.create' ? a.grantId : agreementId;
      const n = await h.t.db.selectFrom('audit_events').select('id').where('action', '=', action).where('target_id', '=', target).execute();
      expect(n.length, action).toBe(action === 'sharing.grant.create' ? 1 : 2);
    }
    // Signed: nothing more to sign, nothing to withdraw.
    expect((await sign(c.psbSteward, agreementId)).json().code).toBe('ALREADY_SIGNED');
    expect((await c.eduUser.request('POST', `/api/share-requests/${request.id}/withdraw`)).statusCode).toBe(409);
    // Signatures are evidence: append-only.
    await expect(sql`UPDATE agreement_signatures SET signature = 'x' WHERE agreement_id = ${agreementId}`.execute(h.t.db)).rejects.toThrow(/append-only/);
    await h.t.db.deleteFrom('settings').where('key', '=', 'sharing.minGroupSize').execute();
  });

  it('core data: the grant is aggregate-only (PRT-9)', async () => {
    const { agreementId } = await approvedRequest('core', [c.psbSteward, c.cityOfficer, c.cityAdmin]);
    await sign(c.eduUser, agreementId);
    const ok = await sign(c.psbSteward, agreementId);
    expect(ok.statusCode, ok.body).toBe(200);
    const grant = await h.t.db
      .selectFrom('share_grants')
      .select(['aggregate_only', 'min_group_size'])
      .where('id', '=', ok.json().grantId)
      .executeTakeFirstOrThrow();
    expect(grant).toEqual({ aggregate_only: true, min_group_size: 10 });
    expect(ok.json().text).toContain('仅以统计结果方式提供');
  });

  it('a withdrawn request cannot be signed', async () => {
    const { request, agreementId } = await approvedRequest();
    expect((await c.eduUser.request('POST', `/api/share-requests/${request.id}/withdraw`)).statusCode).toBe(200);
    const res = await sign(c.eduUser, agreementId);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('REQUEST_CLOSED');
  });
});

describe('verification', () => {
  it('the verify endpoint re-checks every signature; openssl verifies the bundle with user ID 1234567812345678', async () => {
    const { agreementId } = await approvedRequest();
    await sign(c.eduUser, agreementId);
    await sign(c.psbSteward, agreementId);
    const v = await c.cityAdmin.request('GET', `/api/share-agreements/${agreementId}/verify`);
    expect(v.statusCode, v.body).toBe(200);
    expect(v.json()).toMatchObject({ agreementId, textSm3Valid: true, valid: true });
    expect(v.json().signatures.map((s: { valid: boolean }) => s.valid)).toEqual([true, true]);

    const b = await c.eduUser.request('GET', `/api/share-agreements/${agreementId}/bundle`);
    expect(b.statusCode, b.body).toBe(200);
    const bundle = b.json();
    expect(bundle).toMatchObject({ format: 'shuan-agreement-bundle', version: 1, sm2UserId: '1234567812345678' });
    expect(bundle.signatures).toHaveLength(2);
    ossl.write('text.txt', Buffer.from(bundle.text, 'utf8'));
    ossl.write('tampered.txt', Buffer.from(`${bundle.text}。`, 'utf8'));
    for (const s of bundle.signatures as { party: string; publicKeyPem: string; signatureDerBase64: string }[]) {
      ossl.write(`${s.party}.pem`, s.publicKeyPem);
      ossl.write(`${s.party}.der`, Buffer.from(s.signatureDerBase64, 'base64'));
      const args = ['dgst', '-sm3', '-verify', `${s.party}.pem`, '-sigopt', 'distid:1234567812345678', '-signature', `${s.party}.der`];
      expect(ossl.ok(...args, 'text.txt'), s.party).toBe(true);
      expect(ossl.ok(...args, 'tampered.txt'), `${s.party} tampered`).toBe(false);
    }
    expect(sm3(Buffer.from(bundle.text, 'utf8')).toString('hex')).toBe(bundle.textSm3);
  });

  it('a text changed behind the trigger no longer verifies', async () => {
    const { agreementId } = await approvedRequest();
    await sign(c.eduUser, agreementId);
    await sql`ALTER TABLE share_agreements DISABLE TRIGGER share_agreements_fixed`.execute(h.t.db);
    try {
      await sql`UPDATE share_agreements SET text = replace(text, '义务教育', '商业营销') WHERE id = ${agreementId}`.execute(h.t.db);
    } finally {
      await sql`ALTER TABLE share_agreements ENABLE TRIGGER share_agreements_fixed`.execute(h.t.db);
    }
    const v = (await c.eduUser.request('GET', `/api/share-agreements/${agreementId}/verify`)).json();
    expect(v).toMatchObject({ textSm3Valid: false, valid: false });
    expect(v.signatures[0].valid).toBe(false);
    expect((await c.eduUser.request('GET', `/api/share-agreements/${agreementId}`)).json().signatures[0].valid).toBe(false);
  });
});

describe('demo data', () => {
  it('the demo city has a granted request (both signatures, verifiable) and one waiting for the provider', async () => {
    await seedDemoCatalog(h.services);
    await seedDemoSharing(h.services);
    const list = (await c.eduUser.request('GET', `/api/share-requests?q=${encodeURIComponent('常住人口基本信息')}&pageSize=50`)).json();
    const byStatus = Object.fromEntries(list.items.map((r: { status: string; id: string }) => [r.status, r]));
    expect(Object.keys(byStatus).sort()).toEqual(['granted', 'in_review']);
    expect(byStatus.in_review.currentStep).toMatchObject({ kind: 'provider', institution: { id: id.psb } });
    const granted = (await c.eduUser.request('GET', `/api/share-requests/${byStatus.granted.id}`)).json();
    expect(granted.grantId).toEqual(expect.any(String));
    const v = (await c.cityAdmin.request('GET', `/api/share-agreements/${granted.agreementId}/verify`)).json();
    expect(v).toMatchObject({ valid: true });
    expect(v.signatures).toHaveLength(2);
  });
});
