// Login, logout, cookies, failed logins and lockout, the security policy's lockout settings, TOTP at
// login, and security headers (等保 level 3 身份鉴别, domain.md §5).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/build-app.ts';
import { hashSecret } from '../../src/modules/auth/tokens.ts';
import { totpCode } from '../../src/modules/auth/totp.ts';
import { Kek } from '../../src/modules/protection/kek.ts';
import { DEFAULT_SECURITY_POLICY } from '../../src/modules/settings/security-policy.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import {
  DEMO_PASSWORD,
  DEMO_TOTP_SECRET,
  eventsOf,
  expectError,
  expectEvents,
  freshIp,
  nextTotp,
  postLogin,
  sessionFrom,
  signIn,
  userRow,
} from '../helpers/auth.ts';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h.close());

function setCookieHeader(res: { headers: Record<string, unknown> }): string {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : [raw];
  const found = list.find((c) => typeof c === 'string' && c.startsWith('shuan_sid='));
  if (typeof found !== 'string') throw new Error('no shuan_sid cookie set');
  return found;
}
const attrs = (cookie: string) =>
  cookie
    .split(';')
    .slice(1)
    .map((a) => a.trim().toLowerCase());

describe('login, /api/me and logout', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie (not Secure over plain HTTP), returns a CSRF token, and logout ends the session', async () => {
    const ip = freshIp();
    const res = await postLogin(h, { username: 'edu.user', password: DEMO_PASSWORD }, { ip });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = setCookieHeader(res);
    expect(attrs(cookie)).toContain('httponly');
    expect(attrs(cookie)).toContain('samesite=strict');
    expect(attrs(cookie)).toContain('path=/');
    expect(attrs(cookie)).not.toContain('secure');
    const s = sessionFrom(h, res, 'edu.user', ip);
    const body = res.json();
    expect(body.user.username).toBe('edu.user');
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(body.csrfToken).not.toBe(s.token);

    // Only a hash of the session secret is stored.
    const row = await h.t.db.selectFrom('sessions').selectAll().where('user_id', '=', s.userId).where('ended_at', 'is', null).execute();
    expect(row.map((r) => r.id)).toEqual([hashSecret(s.token)]);
    expect(row[0]?.ip).toBe(ip);

    const [login] = await expectEvents(h, res, ['auth.login']);
    expect(login).toMatchObject({
      outcome: 'success',
      actor_user_id: s.userId,
      actor_username: 'edu.user',
      ip,
      request_id: res.headers['x-request-id'],
      target_type: 'user',
      target_id: s.userId,
      details: { secondFactor: false },
    });

    // GET needs the cookie only.
    const me = await s.request('GET', '/api/me', undefined, { 'x-csrf-token': undefined });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json().user.username).toBe('edu.user');
    expect(me.json().csrfToken).toBe(s.csrf);
    expect(me.json().user.mustChangePassword).toBe(false);

    const anonymous = await h.app.inject({ method: 'GET', url: '/api/me' });
    expectError(anonymous, 401, 'UNAUTHENTICATED');

    const out = await s.request('POST', '/api/auth/logout');
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json()).toEqual({ ok: true });
    const cleared = setCookieHeader(out);
    expect(cleared).toMatch(/^shuan_sid=;/);
    expect(attrs(cleared).some((a) => a.startsWith('expires=thu, 01 jan 1970') || a === 'max-age=0')).toBe(true);
    const [logout] = await expectEvents(h, out, ['auth.logout']);
    expect(logout).toMatchObject({
      outcome: 'success',
      actor_user_id: s.userId,
      actor_username: 'edu.user',
      ip,
      request_id: out.headers['x-request-id'],
      target_type: 'session',
      details: { reason: 'logout' },
    });
    const ended = await h.t.db.selectFrom('sessions').select(['ended_at', 'end_reason']).where('id', '=', s.sessionId).executeTakeFirstOrThrow();
    expect(ended.end_reason).toBe('logout');
    expect(ended.ended_at).not.toBeNull();

    expectError(await s.request('GET', '/api/me'), 401, 'UNAUTHENTICATED');
    expectError(await s.request('GET', '/api/institutions/tree'), 401, 'UNAUTHENTICATED');
  });

  it('does not trust x-forwarded-proto unless the app trusts its proxy', async () => {
    const res = await postLogin(h, { username: 'edu.user', password: DEMO_PASSWORD }, { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(attrs(setCookieHeader(res))).not.toContain('secure');
  });

  it('marks the cookie Secure when the request came over TLS behind a trusted proxy', async () => {
    const { app } = await buildApp({ db: h.t.db, kek: Kek.generate(), trustProxy: ['10.9.9.0/24'] });
    try {
      const tls = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'psb.steward', password: DEMO_PASSWORD },
        // A client-written leftmost entry is not believed: only what the trusted proxy appended counts.
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.66, 203.0.113.9' },
        remoteAddress: '10.9.9.9',
      });
      expect(tls.statusCode, tls.body).toBe(200);
      const cookie = setCookieHeader(tls);
      expect(attrs(cookie)).toContain('secure');
      expect(attrs(cookie)).toContain('httponly');
      expect(attrs(cookie)).toContain('samesite=strict');
      // The client address behind the proxy is what the audit log records.
      const [event] = await expectEvents(h, tls, ['auth.login']);
      expect(event).toMatchObject({ outcome: 'success', actor_username: 'psb.steward', ip: '203.0.113.9' });

      const plain = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'psb.steward', password: DEMO_PASSWORD },
        headers: { 'x-forwarded-proto': 'http' },
        remoteAddress: '10.9.9.10',
      });
      expect(plain.statusCode, plain.body).toBe(200);
      expect(attrs(setCookieHeader(plain))).not.toContain('secure');
    } finally {
      await app.close();
    }
  });
});

describe('failed logins and lockout', () => {
  it('answers a wrong password and an unknown user alike (401 INVALID_CREDENTIALS), and audits both', async () => {
    const ip = freshIp();
    const wrong = await postLogin(h, { username: 'vendor.ops1', password: 'Wrong#Password1' }, { ip });
    const wrongBody = expectError(wrong, 401, 'INVALID_CREDENTIALS');
    expect(wrong.cookies.find((c) => c.name === 'shuan_sid')).toBeUndefined();
    const user = await userRow(h, 'vendor.ops1');
    expect(user.failed_logins).toBe(1);
    const [failure] = await expectEvents(h, wrong, ['auth.login']);
    expect(failure).toMatchObject({
      outcome: 'failure',
      actor_user_id: user.id,
      actor_username: 'vendor.ops1',
      ip,
      request_id: wrong.headers['x-request-id'],
      details: { reason: 'bad_password', consecutiveFailures: 1 },
    });

    const unknown = await postLogin(h, { username: 'no.such.person', password: 'Wrong#Password1' }, { ip });
    const unknownBody = expectError(unknown, 401, 'INVALID_CREDENTIALS');
    expect(unknownBody.message).toBe(wrongBody.message);
    expect(Object.keys(unknownBody).sort()).toEqual(Object.keys(wrongBody).sort());
    const [anon] = await expectEvents(h, unknown, ['auth.login']);
    expect(anon).toMatchObject({
      outcome: 'failure',
      actor_user_id: null,
      actor_username: 'no.such.person',
      ip,
      request_id: unknown.headers['x-request-id'],
      details: { reason: 'unknown_user' },
    });

    // A success resets the consecutive-failure count.
    await signIn(h, 'vendor.ops1');
    expect((await userRow(h, 'vendor.ops1')).failed_logins).toBe(0);
  });

  it('locks the account for 30 minutes after 5 consecutive failures, even against the right password', async () => {
    for (let i = 1; i <= 4; i++) {
      const res = await postLogin(h, { username: 'psb.steward', password: `Wrong#Password${i}` });
      expectError(res, 401, 'INVALID_CREDENTIALS');
      const [e] = await expectEvents(h, res, ['auth.login']);
      expect(e?.details).toEqual({ reason: 'bad_password', consecutiveFailures: i });
    }
    expect((await userRow(h, 'psb.steward')).locked_until).toBeNull();

    const ip = freshIp();
    const fifth = await postLogin(h, { username: 'psb.steward', password: 'Wrong#Password5' }, { ip });
    expectError(fifth, 401, 'INVALID_CREDENTIALS');
    const user = await userRow(h, 'psb.steward');
    expect(user.locked_until).not.toBeNull();
    const lockMs = (user.locked_until as Date).getTime() - Date.now();
    expect(lockMs).toBeGreaterThan(29 * 60_000);
    expect(lockMs).toBeLessThanOrEqual(30 * 60_000);
    const [failure, locked] = await expectEvents(h, fifth, ['auth.login', 'auth.account_locked']);
    expect(failure).toMatchObject({ outcome: 'failure', details: { reason: 'bad_password', consecutiveFailures: 5 } });
    expect(locked).toMatchObject({
      outcome: 'success',
      actor_user_id: user.id,
      actor_username: 'psb.steward',
      ip,
      request_id: fifth.headers['x-request-id'],
      target_type: 'user',
      target_id: user.id,
      details: { failures: 5, minutes: 30, lockedUntil: (user.locked_until as Date).toISOString() },
    });

    const right = await postLogin(h, { username: 'psb.steward', password: DEMO_PASSWORD }, { ip });
    const body = expectError(right, 423, 'ACCOUNT_LOCKED');
    expect(body.details).toEqual({ lockedUntil: (user.locked_until as Date).toISOString() });
    expect(right.cookies.find((c) => c.name === 'shuan_sid')).toBeUndefined();
    const [denied] = await expectEvents(h, right, ['auth.login']);
    expect(denied).toMatchObject({ outcome: 'denied', actor_username: 'psb.steward', ip, details: { reason: 'locked' } });

    await h.t.db
      .updateTable('users')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where('id', '=', user.id)
      .execute();
    const after = await signIn(h, 'psb.steward');
    expect(after.login.json().user.username).toBe('psb.steward');
    const reset = await userRow(h, 'psb.steward');
    expect(reset.locked_until).toBeNull();
    expect(reset.failed_logins).toBe(0);
  });

  it('takes the lockout thresholds from the security policy, which only the platform admin changes, audited', async () => {
    const admin = await signIn(h, 'admin');
    const current = await admin.request('GET', '/api/settings/security-policy');
    expect(current.statusCode, current.body).toBe(200);
    expect(current.json()).toEqual(DEFAULT_SECURITY_POLICY);

    // An authority administrator may read the policy but not change it.
    const cityAdmin = await signIn(h, 'city.admin');
    const refused = await cityAdmin.request('PUT', '/api/settings/security-policy', { ...DEFAULT_SECURITY_POLICY, lockThreshold: 20 });
    expectError(refused, 403, 'FORBIDDEN');
    expect(await eventsOf(h, refused)).toEqual([]);

    // Only values within the 等保 bounds are accepted, and all of them must be given.
    for (const [bad, field] of [
      [{ ...DEFAULT_SECURITY_POLICY, passwordMinLength: 8 }, 'passwordMinLength'],
      [{ ...DEFAULT_SECURITY_POLICY, lockThreshold: 0 }, 'lockThreshold'],
      [{ ...DEFAULT_SECURITY_POLICY, idleMinutes: 600 }, 'idleMinutes'],
      [{ ...DEFAULT_SECURITY_POLICY, absoluteHours: undefined }, 'absoluteHours'],
      [{ ...DEFAULT_SECURITY_POLICY, extra: 1 }, 'extra'],
    ] as const) {
      const res = await admin.request('PUT', '/api/settings/security-policy', bad);
      const body = expectError(res, 400, 'VALIDATION_FAILED');
      expect(body.details?.field).toBe(field);
      expect(await eventsOf(h, res)).toEqual([]);
    }
    // Nothing saved by the refused changes (the demo city's other settings, e.g. data_pull_hosts, are not this).
    expect(await h.t.db.selectFrom('settings').select('key').where('key', '=', 'security_policy').execute()).toEqual([]);
    // Reading it needs settings.read.
    const plain = await signIn(h, 'edu.user');
    expectError(await plain.request('GET', '/api/settings/security-policy'), 403, 'FORBIDDEN');

    const next = { ...DEFAULT_SECURITY_POLICY, lockThreshold: 3, lockMinutes: 60 };
    const put = await admin.request('PUT', '/api/settings/security-policy', next);
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual(next);
    try {
      const [change] = await expectEvents(h, put, ['settings.security_policy.update']);
      expect(change).toMatchObject({
        outcome: 'success',
        actor_user_id: admin.userId,
        actor_username: 'admin',
        ip: admin.ip,
        request_id: put.headers['x-request-id'],
        target_type: 'settings',
        target_id: 'security_policy',
        details: { changed: { lockThreshold: { from: 5, to: 3 }, lockMinutes: { from: 30, to: 60 } } },
      });
      expect((await cityAdmin.request('GET', '/api/settings/security-policy')).json()).toEqual(next);

      for (let i = 1; i <= 2; i++) expectError(await postLogin(h, { username: 'vendor.ops2', password: `Wrong#Password${i}` }), 401, 'INVALID_CREDENTIALS');
      expect((await userRow(h, 'vendor.ops2')).locked_until).toBeNull();
      const third = await postLogin(h, { username: 'vendor.ops2', password: 'Wrong#Password3' });
      expectError(third, 401, 'INVALID_CREDENTIALS');
      const [, locked] = await expectEvents(h, third, ['auth.login', 'auth.account_locked']);
      expect(locked?.details).toMatchObject({ failures: 3, minutes: 60 });
      const until = (await userRow(h, 'vendor.ops2')).locked_until as Date;
      expect(until.getTime() - Date.now()).toBeGreaterThan(59 * 60_000);
      expect(until.getTime() - Date.now()).toBeLessThanOrEqual(60 * 60_000);
      expectError(await postLogin(h, { username: 'vendor.ops2', password: DEMO_PASSWORD }), 423, 'ACCOUNT_LOCKED');
    } finally {
      const restore = await admin.request('PUT', '/api/settings/security-policy', DEFAULT_SECURITY_POLICY);
      expect(restore.statusCode, restore.body).toBe(200);
    }
  });
});

describe('TOTP at login', () => {
  it('requires the code from privileged accounts, counts a wrong code as a failure and refuses a replayed code', async () => {
    const ip = freshIp();
    const before = await userRow(h, 'city.officer');
    expect(before.totp_enabled_at).not.toBeNull();

    const noCode = await postLogin(h, { username: 'city.officer', password: DEMO_PASSWORD }, { ip });
    expectError(noCode, 401, 'TOTP_REQUIRED');
    expect(noCode.cookies.find((c) => c.name === 'shuan_sid')).toBeUndefined();
    expect((await userRow(h, 'city.officer')).failed_logins).toBe(0);
    const [pending] = await expectEvents(h, noCode, ['auth.login']);
    expect(pending).toMatchObject({ outcome: 'denied', actor_user_id: before.id, ip, details: { reason: 'totp_required' } });

    // A wrong password is refused before the code matters.
    const badPassword = await postLogin(h, { username: 'city.officer', password: 'Wrong#Password1', totpCode: await nextTotp(h, 'city.officer') }, { ip });
    expectError(badPassword, 401, 'INVALID_CREDENTIALS');

    const now = Math.floor(Date.now() / 30_000);
    const stale = totpCode(DEMO_TOTP_SECRET, (now - 10) * 30_000 + 1000);
    const wrong = await postLogin(h, { username: 'city.officer', password: DEMO_PASSWORD, totpCode: stale }, { ip });
    expectError(wrong, 401, 'INVALID_TOTP');
    expect((await userRow(h, 'city.officer')).failed_logins).toBe(2);
    const [wrongEvent] = await expectEvents(h, wrong, ['auth.login']);
    expect(wrongEvent).toMatchObject({ outcome: 'failure', actor_username: 'city.officer', ip, details: { reason: 'bad_totp', consecutiveFailures: 2 } });

    const code = await nextTotp(h, 'city.officer');
    const ok = await postLogin(h, { username: 'city.officer', password: DEMO_PASSWORD, totpCode: code }, { ip });
    expect(ok.statusCode, ok.body).toBe(200);
    const [okEvent] = await expectEvents(h, ok, ['auth.login']);
    expect(okEvent).toMatchObject({ outcome: 'success', details: { secondFactor: true } });
    expect((await userRow(h, 'city.officer')).failed_logins).toBe(0);

    const replay = await postLogin(h, { username: 'city.officer', password: DEMO_PASSWORD, totpCode: code }, { ip });
    expectError(replay, 401, 'INVALID_TOTP');
    expect(replay.cookies.find((c) => c.name === 'shuan_sid')).toBeUndefined();
    const [replayEvent] = await expectEvents(h, replay, ['auth.login']);
    expect(replayEvent).toMatchObject({ outcome: 'failure', details: { reason: 'bad_totp', consecutiveFailures: 1 } });
  });

  it('accepts a code only once even when two logins race with it', async () => {
    const code = await nextTotp(h, 'city.auditor');
    const body = { username: 'city.auditor', password: DEMO_PASSWORD, totpCode: code };
    const results = await Promise.all([postLogin(h, body), postLogin(h, body), postLogin(h, body)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401, 401]);
    for (const r of results.filter((x) => x.statusCode === 401)) expectError(r, 401, 'INVALID_TOTP');
    for (const r of results.filter((x) => x.statusCode === 401)) {
      const [e] = await expectEvents(h, r, ['auth.login']);
      expect(e).toMatchObject({ outcome: 'failure', actor_username: 'city.auditor', details: { reason: 'bad_totp' } });
    }
    const live = await h.t.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', (await userRow(h, 'city.auditor')).id)
      .execute();
    expect(live).toHaveLength(1);
  });
});

describe('security headers', () => {
  const expectSecurityHeaders = (res: { headers: Record<string, unknown> }) => {
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
  };

  it('are on API answers, errors included', async () => {
    const health = await h.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
    expectSecurityHeaders(health);
    expect(health.headers['cache-control']).toBe('no-store');
    const denied = await h.app.inject({ method: 'GET', url: '/api/me' });
    expectError(denied, 401, 'UNAUTHENTICATED');
    expectSecurityHeaders(denied);
    const missing = await h.app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expectError(missing, 404, 'ROUTE_NOT_FOUND');
    expectSecurityHeaders(missing);
    const s = await signIn(h, 'edu.user');
    expectSecurityHeaders(s.login);
  });

  it('are on the API documentation page', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expectSecurityHeaders(res);
  });

  it('are on the web app HTML, client-side routes included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shuan-web-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><html><head><title>数安</title></head><body><div id="root"></div></body></html>');
    const { app } = await buildApp({ db: h.t.db, kek: Kek.generate(), webDir: dir });
    try {
      for (const url of ['/', '/institutions/123']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.body).toContain('<div id="root">');
        expectSecurityHeaders(res);
      }
    } finally {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
