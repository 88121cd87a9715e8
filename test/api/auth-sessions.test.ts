// Sessions (idle and absolute timeouts from the security policy), CSRF protection on cookie requests,
// and API tokens (shown once, stored hashed, scoped, expiring, revocable).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../src/modules/auth/tokens.ts';
import { DEFAULT_SECURITY_POLICY } from '../../src/modules/settings/security-policy.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { bearer, eventsOf, expectError, expectEvents, type Session, signIn } from '../helpers/auth.ts';

let h: TestApp;
let admin: Session;
let cityAdmin: Session;
beforeAll(async () => {
  h = await createTestApp();
  admin = await signIn(h, 'admin');
  cityAdmin = await signIn(h, 'city.admin');
});
afterAll(() => h.close());

async function moveSession(s: Session, set: { lastSeenAgo?: string; createdAgo?: string; expiresIn?: string }) {
  const parts = [
    set.lastSeenAgo ? sql`last_seen_at = now() - ${set.lastSeenAgo}::interval` : null,
    set.createdAgo ? sql`created_at = now() - ${set.createdAgo}::interval` : null,
    set.expiresIn ? sql`expires_at = now() + ${set.expiresIn}::interval` : null,
  ].filter((p) => p !== null);
  await sql`UPDATE sessions SET ${sql.join(parts)} WHERE id = ${s.sessionId}`.execute(h.t.db);
}

async function expectExpired(s: Session, reason: 'idle_timeout' | 'absolute_timeout') {
  const res = await s.request('GET', '/api/me');
  const body = expectError(res, 401, 'SESSION_EXPIRED');
  expect(body.details).toEqual({ reason });
  const [ended] = await expectEvents(h, res, ['auth.session_ended']);
  expect(ended).toMatchObject({
    outcome: 'success',
    actor_user_id: s.userId,
    actor_username: s.username,
    ip: s.ip,
    request_id: res.headers['x-request-id'],
    target_type: 'session',
    target_id: s.sessionId.slice(0, 12),
    details: { reason },
  });
  const row = await h.t.db.selectFrom('sessions').select(['ended_at', 'end_reason']).where('id', '=', s.sessionId).executeTakeFirstOrThrow();
  expect(row.end_reason).toBe(reason);
  expect(row.ended_at).not.toBeNull();
  // The session stays ended: a plain 401, and no second audit event.
  const again = await s.request('GET', '/api/me');
  expectError(again, 401, 'UNAUTHENTICATED');
  expect(await eventsOf(h, again)).toEqual([]);
}

async function putPolicy(policy: typeof DEFAULT_SECURITY_POLICY) {
  const res = await admin.request('PUT', '/api/settings/security-policy', policy);
  expect(res.statusCode, res.body).toBe(200);
  return res;
}

describe('session timeouts', () => {
  it('ends a session idle for more than 30 minutes, audited as idle_timeout', async () => {
    const s = await signIn(h, 'edu.user');
    await moveSession(s, { lastSeenAgo: '29 minutes' });
    expect((await s.request('GET', '/api/me')).statusCode).toBe(200);
    // That request counted as activity.
    const touched = await h.t.db.selectFrom('sessions').select('last_seen_at').where('id', '=', s.sessionId).executeTakeFirstOrThrow();
    expect(Date.now() - touched.last_seen_at.getTime()).toBeLessThan(60_000);

    await moveSession(s, { lastSeenAgo: '31 minutes' });
    await expectExpired(s, 'idle_timeout');
  });

  it('ends a session past its 12-hour absolute lifetime however active, audited as absolute_timeout', async () => {
    const s = await signIn(h, 'psb.steward');
    const row = await h.t.db.selectFrom('sessions').select(['created_at', 'expires_at']).where('id', '=', s.sessionId).executeTakeFirstOrThrow();
    // created_at is the database's clock, expires_at the app's: equal up to the insert's latency.
    expect(Math.abs(row.expires_at.getTime() - row.created_at.getTime() - 12 * 3600_000)).toBeLessThan(5_000);
    expect(new Date(s.login.json().expiresAt).getTime()).toBe(row.expires_at.getTime());

    await moveSession(s, { createdAgo: '11 hours 58 minutes', expiresIn: '2 minutes', lastSeenAgo: '1 minute' });
    expect((await s.request('GET', '/api/me')).statusCode).toBe(200);
    await moveSession(s, { createdAgo: '12 hours 1 minute', expiresIn: '-1 minute', lastSeenAgo: '1 minute' });
    await expectExpired(s, 'absolute_timeout');
  });

  it('takes both limits from the security policy, for sessions that already exist too', async () => {
    const idle = await signIn(h, 'vendor.ops1');
    const old = await signIn(h, 'vendor.ops2');
    const put = await putPolicy({ ...DEFAULT_SECURITY_POLICY, idleMinutes: 10, absoluteHours: 2 });
    try {
      expect((await eventsOf(h, put))[0]?.details).toEqual({
        changed: { idleMinutes: { from: 30, to: 10 }, absoluteHours: { from: 12, to: 2 } },
      });
      await moveSession(idle, { lastSeenAgo: '9 minutes' });
      expect((await idle.request('GET', '/api/me')).statusCode).toBe(200);
      await moveSession(idle, { lastSeenAgo: '11 minutes' });
      await expectExpired(idle, 'idle_timeout');

      // Logged in under the 12-hour limit; the new 2-hour limit applies from its start all the same.
      await moveSession(old, { createdAgo: '1 hour 58 minutes' });
      const me = await old.request('GET', '/api/me');
      expect(me.statusCode).toBe(200);
      const created = await h.t.db.selectFrom('sessions').select('created_at').where('id', '=', old.sessionId).executeTakeFirstOrThrow();
      expect(new Date(me.json().expiresAt).getTime()).toBe(created.created_at.getTime() + 2 * 3600_000);
      expect(new Date(me.json().expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(2 * 60_000);
      await moveSession(old, { createdAgo: '2 hours 1 minute' });
      await expectExpired(old, 'absolute_timeout');

      // New sessions get the new lifetime.
      const fresh = await signIn(h, 'vendor.ops2');
      const row = await h.t.db.selectFrom('sessions').select(['created_at', 'expires_at']).where('id', '=', fresh.sessionId).executeTakeFirstOrThrow();
      expect(row.expires_at.getTime() - row.created_at.getTime()).toBeGreaterThan(2 * 3600_000 - 5_000);
      expect(row.expires_at.getTime() - row.created_at.getTime()).toBeLessThanOrEqual(2 * 3600_000 + 5_000);
    } finally {
      await putPolicy(DEFAULT_SECURITY_POLICY);
    }
  });

  it('lists the user’s sessions and ends one on request, audited', async () => {
    const a = await signIn(h, 'edu.user');
    const b = await signIn(h, 'edu.user');
    const list = await a.request('GET', '/api/me/sessions');
    expect(list.statusCode).toBe(200);
    const items = list.json() as { id: string; current: boolean; ip: string }[];
    expect(items.map((x) => x.id).sort()).toEqual([a.sessionId.slice(0, 16), b.sessionId.slice(0, 16)].sort());
    expect(items.find((x) => x.current)?.id).toBe(a.sessionId.slice(0, 16));
    expect(items.find((x) => !x.current)?.ip).toBe(b.ip);
    const del = await a.request('DELETE', `/api/me/sessions/${b.sessionId.slice(0, 16)}`);
    expect(del.statusCode, del.body).toBe(204);
    const [ended] = await expectEvents(h, del, ['auth.session_ended']);
    expect(ended).toMatchObject({ actor_username: 'edu.user', ip: a.ip, details: { reason: 'revoked' } });
    expectError(await b.request('GET', '/api/me'), 401, 'UNAUTHENTICATED');
    expect((await a.request('GET', '/api/me')).statusCode).toBe(200);
    // Someone else's session is not found.
    const other = await signIn(h, 'psb.steward');
    expectError(await a.request('DELETE', `/api/me/sessions/${other.sessionId.slice(0, 16)}`), 404, 'NOT_FOUND');
    expect((await other.request('GET', '/api/me')).statusCode).toBe(200);
  });
});

describe('CSRF', () => {
  const newUser = (username: string, institutionId: string) => ({ username, displayName: '测试用户', institutionId });

  it('refuses a state-changing cookie request without or with a wrong x-csrf-token, and changes nothing', async () => {
    const other = await signIn(h, 'edu.user');
    const body = newUser('csrf.victim', cityAdmin.login.json().user.institutionId);
    const attempts = [
      await cityAdmin.request('POST', '/api/users', body, { 'x-csrf-token': undefined }),
      await cityAdmin.request('POST', '/api/users', body, { 'x-csrf-token': 'not-the-token' }),
      await cityAdmin.request('POST', '/api/users', body, { 'x-csrf-token': other.csrf }),
      await cityAdmin.request('POST', '/api/users', body, { 'x-csrf-token': '' }),
    ];
    for (const res of attempts) {
      expectError(res, 403, 'CSRF_FAILED');
      expect(await eventsOf(h, res)).toEqual([]);
    }
    expect(await h.t.db.selectFrom('users').select('id').where('username', '=', 'csrf.victim').execute()).toEqual([]);

    const policy = await admin.request(
      'PUT',
      '/api/settings/security-policy',
      { ...DEFAULT_SECURITY_POLICY, lockThreshold: 20 },
      { 'x-csrf-token': 'x'.repeat(43) },
    );
    expectError(policy, 403, 'CSRF_FAILED');
    expect((await admin.request('GET', '/api/settings/security-policy')).json()).toEqual(DEFAULT_SECURITY_POLICY);
    const stored = await h.t.db.selectFrom('settings').select('value').where('key', '=', 'security_policy').executeTakeFirst();
    expect(stored?.value ?? DEFAULT_SECURITY_POLICY).toEqual(DEFAULT_SECURITY_POLICY);

    const logout = await other.request('POST', '/api/auth/logout', undefined, { 'x-csrf-token': undefined });
    expectError(logout, 403, 'CSRF_FAILED');
    expect((await other.request('GET', '/api/me')).statusCode).toBe(200);

    // The same request with the right token goes through.
    const ok = await cityAdmin.request('POST', '/api/users', body);
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('needs no token for GET', async () => {
    const res = await cityAdmin.request('GET', '/api/institutions/tree', undefined, { 'x-csrf-token': undefined });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().length).toBeGreaterThan(5);
  });
});

describe('API tokens', () => {
  async function createToken(s: Session, scopes: string[], name = 'ci', expiresInDays = 30) {
    const res = await s.request('POST', '/api/me/tokens', { name, scopes, expiresInDays });
    expect(res.statusCode, res.body).toBe(201);
    return { res, token: res.json().token as string, id: res.json().apiToken.id as string };
  }

  it('shows the token once and stores only its hash', async () => {
    const { res, token, id } = await createToken(cityAdmin, ['institution.read'], 'nightly export', 30);
    expect(token).toMatch(/^shuan_[A-Za-z0-9_-]{43}$/);
    const dto = res.json().apiToken;
    expect(dto).toMatchObject({ name: 'nightly export', prefix: token.slice(0, 12), scopes: ['institution.read'], lastUsedAt: null, revokedAt: null });
    expect(Math.abs(new Date(dto.expiresAt).getTime() - (Date.now() + 30 * 86400_000))).toBeLessThan(60_000);
    const [created] = await expectEvents(h, res, ['auth.api_token.create']);
    expect(created).toMatchObject({
      outcome: 'success',
      actor_username: 'city.admin',
      actor_user_id: cityAdmin.userId,
      ip: cityAdmin.ip,
      request_id: res.headers['x-request-id'],
      target_type: 'api_token',
      target_id: id,
      details: { name: 'nightly export', scopes: ['institution.read'], expiresInDays: 30 },
    });

    const row = await h.t.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashSecret(token));
    // The secret appears nowhere in the database.
    for (const table of ['api_tokens', 'audit_events', 'sessions', 'users']) {
      const { rows } = await sql<{
        n: string;
      }>`SELECT count(*) AS n FROM ${sql.table(table)} t WHERE strpos(t::text, ${token}) > 0 OR strpos(t::text, ${token.slice(12)}) > 0`.execute(h.t.db);
      expect(Number(rows[0]?.n), table).toBe(0);
    }
    const list = await cityAdmin.request('GET', '/api/me/tokens');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(token.slice(12));
    expect(list.json().map((t: { id: string }) => t.id)).toContain(id);
  });

  it('authenticates as Bearer without CSRF, limited to its scopes', async () => {
    const { token, id } = await createToken(cityAdmin, ['institution.read']);
    const tree = await bearer(h, token, 'GET', '/api/institutions/tree');
    expect(tree.statusCode, tree.body).toBe(200);
    const me = await bearer(h, token, 'GET', '/api/me');
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json().user.username).toBe('city.admin');
    expect(me.json().user.permissions).toEqual(['institution.read']);
    expect((await h.t.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow()).last_used_at).not.toBeNull();

    const body = { username: 'token.made', displayName: '令牌创建', institutionId: cityAdmin.login.json().user.institutionId };
    const refused = await bearer(h, token, 'POST', '/api/users', body);
    expectError(refused, 403, 'FORBIDDEN');
    expect(await h.t.db.selectFrom('users').select('id').where('username', '=', 'token.made').execute()).toEqual([]);

    // A token that carries user.manage may, with no CSRF header.
    const manager = await createToken(cityAdmin, ['institution.read', 'user.manage']);
    const made = await bearer(h, manager.token, 'POST', '/api/users', body);
    expect(made.statusCode, made.body).toBe(201);
    const [event] = await expectEvents(h, made, ['org.user.create']);
    expect(event).toMatchObject({ actor_username: 'city.admin', ip: '192.0.2.200', request_id: made.headers['x-request-id'] });
  });

  it('cannot carry scopes its owner lacks', async () => {
    const before = await h.t.db.selectFrom('api_tokens').select('id').execute();
    const res = await cityAdmin.request('POST', '/api/me/tokens', {
      name: 'too much',
      scopes: ['institution.read', 'audit.read', 'settings.manage'],
      expiresInDays: 7,
    });
    const body = expectError(res, 422, 'SCOPE_NOT_HELD');
    expect(body.details).toEqual({ scopes: ['audit.read', 'settings.manage'] });
    expect(await h.t.db.selectFrom('api_tokens').select('id').execute()).toEqual(before);
  });

  it('cannot manage credentials: no new tokens, password or TOTP changes through a token', async () => {
    const { token } = await createToken(cityAdmin, ['institution.read', 'user.read']);
    const before = await h.t.db.selectFrom('api_tokens').select('id').execute();
    const mint = await bearer(h, token, 'POST', '/api/me/tokens', { name: 'forever', scopes: ['institution.read'], expiresInDays: 365 });
    expectError(mint, 403, 'SESSION_REQUIRED');
    expect(await h.t.db.selectFrom('api_tokens').select('id').execute()).toEqual(before);
    expectError(
      await bearer(h, token, 'POST', '/api/me/password', { currentPassword: 'Shuan#Demo2026', newPassword: 'Another#Pass2027' }),
      403,
      'SESSION_REQUIRED',
    );
    expectError(await bearer(h, token, 'POST', '/api/me/totp/setup'), 403, 'SESSION_REQUIRED');
    const own = (await cityAdmin.request('GET', '/api/me/tokens')).json() as { id: string }[];
    expectError(await bearer(h, token, 'DELETE', `/api/me/tokens/${own[own.length - 1]?.id}`), 403, 'SESSION_REQUIRED');
    expectError(await bearer(h, token, 'DELETE', `/api/me/sessions/${cityAdmin.sessionId.slice(0, 16)}`), 403, 'SESSION_REQUIRED');
    expect((await cityAdmin.request('GET', '/api/me')).statusCode).toBe(200);
    expect((await h.t.db.selectFrom('api_tokens').select('id').where('revoked_at', 'is not', null).execute()).length).toBe(0);
    expect((await h.t.db.selectFrom('users').select('totp_secret').where('id', '=', cityAdmin.userId).executeTakeFirstOrThrow()).totp_secret).toBe(
      'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
    );
  });

  it('stops working on the next call once expired or revoked', async () => {
    const expiring = await createToken(cityAdmin, ['institution.read']);
    expect((await bearer(h, expiring.token, 'GET', '/api/institutions/tree')).statusCode).toBe(200);
    await h.t.db.updateTable('api_tokens').set({ expires_at: sql<Date>`now() - interval '1 second'` }).where('id', '=', expiring.id).execute();
    expectError(await bearer(h, expiring.token, 'GET', '/api/institutions/tree'), 401, 'INVALID_TOKEN');

    const revoking = await createToken(cityAdmin, ['institution.read']);
    expect((await bearer(h, revoking.token, 'GET', '/api/institutions/tree')).statusCode).toBe(200);
    const del = await cityAdmin.request('DELETE', `/api/me/tokens/${revoking.id}`);
    expect(del.statusCode, del.body).toBe(204);
    const [revoked] = await expectEvents(h, del, ['auth.api_token.revoke']);
    expect(revoked).toMatchObject({ outcome: 'success', actor_username: 'city.admin', ip: cityAdmin.ip, target_type: 'api_token', target_id: revoking.id });
    expectError(await bearer(h, revoking.token, 'GET', '/api/institutions/tree'), 401, 'INVALID_TOKEN');
    const listed = (await cityAdmin.request('GET', '/api/me/tokens')).json().find((t: { id: string }) => t.id === revoking.id);
    expect(listed.revokedAt).not.toBeNull();
    // Revoking again, or someone else's token: not found.
    expectError(await cityAdmin.request('DELETE', `/api/me/tokens/${revoking.id}`), 404, 'NOT_FOUND');
    const mine = await createToken(admin, ['institution.read']);
    expectError(await cityAdmin.request('DELETE', `/api/me/tokens/${mine.id}`), 404, 'NOT_FOUND');
    expect((await bearer(h, mine.token, 'GET', '/api/institutions/tree')).statusCode).toBe(200);
  });

  it('needs CSRF to be revoked from a cookie session', async () => {
    const t = await createToken(cityAdmin, ['institution.read']);
    expectError(await cityAdmin.request('DELETE', `/api/me/tokens/${t.id}`, undefined, { 'x-csrf-token': undefined }), 403, 'CSRF_FAILED');
    expect((await bearer(h, t.token, 'GET', '/api/institutions/tree')).statusCode).toBe(200);
  });

  it('answers a malformed Authorization header with 401, without falling back to the cookie', async () => {
    const { token } = await createToken(cityAdmin, ['institution.read']);
    const headers = [
      'Bearer',
      `Basic ${Buffer.from('city.admin:Shuan#Demo2026').toString('base64')}`,
      'Bearer not-a-shuan-token',
      `Token ${token}`,
      `Bearer  ${token}`,
      `Bearer ${token}x`,
      'Bearer shuan_',
    ];
    for (const authorization of headers) {
      const res = await h.app.inject({ method: 'GET', url: '/api/institutions/tree', headers: { authorization, cookie: cityAdmin.cookie } });
      expectError(res, 401, 'INVALID_TOKEN');
    }
  });
});
