// Grants and their client credentials (LIF-3, LIF-5, LIF-6, LIF-10): who sees a grant (recipient or provider
// side within sharing.read reach, else 404), who revokes it (the provider, or the authority over it; a
// deletion duty opens in the same transaction), who manages its credentials (the recipient's sharing.apply),
// how the secret is kept (shown once, stored only as HMAC-SM3), and the audit trail of each change.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';
import { credentialFor, insertGrant, type SharingFixture, sharingFixture } from '../helpers/sharing.ts';

let h: TestApp;
let f: SharingFixture;
let officer: Client;
let district: Client;
let security: Client;
let auditor: Client;
let grantId: string;

beforeAll(async () => {
  h = await createTestApp();
  f = await sharingFixture(h, 40);
  [officer, district, security, auditor] = await Promise.all([
    h.login('city.officer'),
    h.login('district.admin'),
    h.login('psb.security'),
    h.login('city.auditor'),
  ]);
  grantId = await insertGrant(h, f);
});
afterAll(() => h.close());

describe('reading grants', () => {
  it('recipient and provider sides see the grant with its usage; others get 404', async () => {
    for (const who of [f.user, f.steward, officer, security, auditor]) {
      const res = await who.request('GET', `/api/share-grants/${grantId}`);
      expect(res.statusCode, `${who.username} ${res.body}`).toBe(200);
      expect(res.json()).toMatchObject({
        id: grantId,
        resource: { id: f.resourceId, name: f.resourceName },
        provider: { id: f.psb, name: '示范市公安局' },
        recipient: { id: f.edu, name: '示范市教育局' },
        fields: ['sfzh', 'xm', 'qx', 'nl', 'je'],
        purposeCode: 'edu.aid-check',
        status: 'active',
        aggregateOnly: false,
        minGroupSize: 10,
        usage: { callsToday: 0, rowsToday: 0 },
      });
    }
    expect((await f.user.request('GET', `/api/share-grants/${grantId}`)).json().can).toEqual({ revoke: false, manageCredentials: true });
    expect((await f.steward.request('GET', `/api/share-grants/${grantId}`)).json().can).toEqual({ revoke: true, manageCredentials: false });
    expect((await officer.request('GET', `/api/share-grants/${grantId}`)).json().can).toEqual({ revoke: true, manageCredentials: false });
    const out = await district.request('GET', `/api/share-grants/${grantId}`);
    expect(out.statusCode).toBe(404);
    expect(out.body).not.toContain(f.resourceName);
  });

  it('lists by role, status and resource within reach', async () => {
    const mine = await f.user.request('GET', '/api/share-grants?role=recipient');
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items.map((g: { id: string }) => g.id)).toContain(grantId);
    expect((await f.user.request('GET', '/api/share-grants?role=provider')).json().total).toBe(0);
    expect(
      (await f.steward.request('GET', `/api/share-grants?role=provider&resourceId=${f.resourceId}`)).json().items.map((g: { id: string }) => g.id),
    ).toContain(grantId);
    expect((await f.steward.request('GET', '/api/share-grants?status=revoked')).json().items.map((g: { id: string }) => g.id)).not.toContain(grantId);
    expect((await district.request('GET', '/api/share-grants')).json().total).toBe(0);
    const bad = await f.user.request('GET', '/api/share-grants?status=nonsense');
    expect(bad.statusCode).toBe(400);
  });
});

describe('credentials', () => {
  it('the recipient creates one: the token is shown once and only its HMAC is stored', async () => {
    const res = await f.user.request('POST', `/api/share-grants/${grantId}/credentials`, { name: '学生资助系统' });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.token).toBe(`sgw_${body.credential.clientId}.${body.secret}`);
    expect(Buffer.from(body.secret, 'base64url').length).toBeGreaterThanOrEqual(32);
    const row = await h.t.db.selectFrom('grant_credentials').selectAll().where('id', '=', body.credential.id).executeTakeFirstOrThrow();
    expect(row.secret_mac.length).toBe(32);
    expect(row.secret_mac.toString('utf8')).not.toContain(body.secret);
    const dump = JSON.stringify(await sql`SELECT * FROM grant_credentials`.execute(h.t.db));
    expect(dump).not.toContain(body.secret);
    const list = await f.user.request('GET', `/api/share-grants/${grantId}/credentials`);
    expect(list.json()).toEqual([expect.objectContaining({ id: body.credential.id, name: '学生资助系统', status: 'active', lastUsedAt: null })]);
    expect(list.body).not.toContain(body.secret);
    const ev = await h.t.db.selectFrom('audit_events').selectAll().where('action', '=', 'sharing.credential.create').execute();
    expect(ev.at(-1)).toMatchObject({ actor_username: 'edu.user', target_id: grantId });
    expect(JSON.stringify(ev.at(-1)?.details)).not.toContain(body.secret);
    // A call marks it used.
    const call = await h.app.inject({
      method: 'GET',
      url: `/api/data-services/${grantId}/records?purpose=edu.aid-check&limit=1`,
      headers: { authorization: `Bearer ${body.token}` },
    });
    expect(call.statusCode).toBe(200);
    expect((await f.user.request('GET', `/api/share-grants/${grantId}/credentials`)).json()[0].lastUsedAt).not.toBeNull();
  });

  it('only the recipient manages them: the provider 403, an outsider 404; bad names 400', async () => {
    expect((await f.steward.request('POST', `/api/share-grants/${grantId}/credentials`, { name: 'x' })).statusCode).toBe(403);
    expect((await f.steward.request('GET', `/api/share-grants/${grantId}/credentials`)).statusCode).toBe(403);
    expect((await district.request('POST', `/api/share-grants/${grantId}/credentials`, { name: 'x' })).statusCode).toBe(404);
    expect((await f.user.request('POST', `/api/share-grants/${grantId}/credentials`, { name: '   ' })).statusCode).toBe(400);
    expect((await f.user.request('POST', `/api/share-grants/${grantId}/credentials`, {})).statusCode).toBe(400);
    const cred = await credentialFor(f.user, grantId, '待删除');
    expect((await f.steward.request('DELETE', `/api/share-grants/${grantId}/credentials/${cred.id}`)).statusCode).toBe(403);
    const other = await insertGrant(h, f);
    expect((await f.user.request('DELETE', `/api/share-grants/${other}/credentials/${cred.id}`)).statusCode).toBe(404);
  });
});

describe('revocation (LIF-10)', () => {
  it('the data user cannot revoke (403); a reason is required (422); the provider revokes once (then 409) and a deletion duty opens', async () => {
    const g = await insertGrant(h, f);
    expect((await f.user.request('POST', `/api/share-grants/${g}/revoke`, { reason: '不再需要' })).statusCode).toBe(403);
    expect((await district.request('POST', `/api/share-grants/${g}/revoke`, { reason: '不再需要' })).statusCode).toBe(404);
    const blank = await f.steward.request('POST', `/api/share-grants/${g}/revoke`, { reason: '  ' });
    expect(blank.statusCode).toBe(422);
    expect(blank.json().code).toBe('REASON_REQUIRED');
    expect((await f.steward.request('POST', `/api/share-grants/${g}/revoke`, { reason: 'x', case: 'nonsense' })).statusCode).toBe(400);
    const ok = await f.steward.request('POST', `/api/share-grants/${g}/revoke`, { reason: '数据处理目的已实现' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().grant).toMatchObject({ status: 'revoked', statusReason: '数据处理目的已实现', can: { revoke: false, manageCredentials: false } });
    const duty = await h.t.db.selectFrom('deletion_duties').selectAll().where('grant_id', '=', g).execute();
    expect(duty).toHaveLength(1);
    expect(duty[0]).toMatchObject({ id: ok.json().deletionDutyId, case_code: 'purpose_achieved', holder_institution_id: f.edu });
    const again = await f.steward.request('POST', `/api/share-grants/${g}/revoke`, { reason: '再次撤销' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('GRANT_NOT_ACTIVE');
    // No new credentials on a revoked grant.
    expect((await f.user.request('POST', `/api/share-grants/${g}/credentials`, { name: 'x' })).statusCode).toBe(409);
    const ev = await h.t.db.selectFrom('audit_events').selectAll().where('action', '=', 'sharing.grant.revoke').where('target_id', '=', g).execute();
    expect(ev).toHaveLength(1);
    expect(ev[0]?.details).toMatchObject({ grantId: g, reason: '数据处理目的已实现', case: 'purpose_achieved' });
  });

  it('the authority over the provider revokes too', async () => {
    const g = await insertGrant(h, f);
    const res = await officer.request('POST', `/api/share-grants/${g}/revoke`, { reason: '违反协议约定', case: 'use_beyond_scope' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().grant.status).toBe('revoked');
  });

  it('the calls list reads the gateway events of the grant only', async () => {
    const g = await insertGrant(h, f);
    const { token } = await credentialFor(f.user, g);
    await h.app.inject({ method: 'GET', url: `/api/data-services/${g}/records?purpose=edu.aid-check&limit=3`, headers: { authorization: `Bearer ${token}` } });
    await h.app.inject({ method: 'GET', url: `/api/data-services/${g}/records?purpose=wrong`, headers: { authorization: `Bearer ${token}` } });
    const res = await f.steward.request('GET', `/api/share-grants/${g}/calls`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      expect.objectContaining({ action: 'sharing.gateway.denied', outcome: 'denied', code: 'PURPOSE_MISMATCH', rows: null }),
      expect.objectContaining({ action: 'sharing.gateway.read', outcome: 'success', rows: 3, purposeCode: 'edu.aid-check' }),
    ]);
    expect((await district.request('GET', `/api/share-grants/${g}/calls`)).statusCode).toBe(404);
  });
});
