// Forced password change and TOTP enrolment, the password policy (complexity, history, expiry) and the
// user's own TOTP settings (等保 level 3 身份鉴别, domain.md §5).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/modules/auth/totp.ts';
import { DEFAULT_SECURITY_POLICY } from '../../src/modules/settings/security-policy.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { DEMO_PASSWORD, eventsOf, expectError, expectEvents, nextTotp, postLogin, type Session, signIn, userRow } from '../helpers/auth.ts';

let h: TestApp;
let admin: Session;
let cityAdmin: Session;
beforeAll(async () => {
  h = await createTestApp();
  admin = await signIn(h, 'admin');
  cityAdmin = await signIn(h, 'city.admin');
});
afterAll(() => h.close());

async function putPolicy(policy: typeof DEFAULT_SECURITY_POLICY) {
  const res = await admin.request('PUT', '/api/settings/security-policy', policy);
  expect(res.statusCode, res.body).toBe(200);
}

async function changePassword(s: Session, currentPassword: string, newPassword: string) {
  return s.request('POST', '/api/me/password', { currentPassword, newPassword });
}

const RESTRICTED_PROBES: [string, string, unknown?][] = [
  ['GET', '/api/institutions/tree'],
  ['GET', '/api/users'],
  ['GET', '/api/me/sessions'],
  ['GET', '/api/me/tokens'],
  ['POST', '/api/me/tokens', { name: 'x', scopes: ['institution.read'], expiresInDays: 1 }],
];

async function expectRestricted(s: Session, code: 'PASSWORD_CHANGE_REQUIRED' | 'TOTP_ENROLMENT_REQUIRED') {
  for (const [method, url, body] of RESTRICTED_PROBES) expectError(await s.request(method, url, body), 403, code);
}

describe('a new account', () => {
  let staff: Session;
  let initialPassword: string;
  let newPassword: string;

  it('must change the initial password before anything else', async () => {
    const created = await cityAdmin.request('POST', '/api/users', {
      username: 'new.staff',
      displayName: '新同事',
      institutionId: cityAdmin.login.json().user.institutionId,
    });
    expect(created.statusCode, created.body).toBe(201);
    initialPassword = created.json().initialPassword;
    expect(initialPassword.length).toBeGreaterThanOrEqual(10);

    staff = await signIn(h, 'new.staff', { password: initialPassword });
    expect(staff.login.json().user).toMatchObject({ username: 'new.staff', mustChangePassword: true, totpEnrolmentRequired: false, totpRequired: false });
    await expectRestricted(staff, 'PASSWORD_CHANGE_REQUIRED');
    const me = await staff.request('GET', '/api/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user.mustChangePassword).toBe(true);
    expect(await h.t.db.selectFrom('api_tokens').select('id').where('user_id', '=', staff.userId).execute()).toEqual([]);

    const hashBefore = (await userRow(h, 'new.staff')).password_hash;
    const wrong = await changePassword(staff, 'Not#TheInitial1', 'Fresh#Start2026');
    expectError(wrong, 422, 'INVALID_CURRENT_PASSWORD');
    const [failure] = await expectEvents(h, wrong, ['auth.password_change']);
    expect(failure).toMatchObject({
      outcome: 'failure',
      actor_user_id: staff.userId,
      actor_username: 'new.staff',
      ip: staff.ip,
      details: { reason: 'bad_current_password', consecutiveFailures: 1 },
    });
    // The failed proof counts toward the lockout like a failed login.
    expect((await userRow(h, 'new.staff')).failed_logins).toBe(1);

    const cases: [string, string[]][] = [
      ['short1', ['TOO_SHORT', 'TOO_FEW_CLASSES']],
      ['Ab1!Ab1!x', ['TOO_SHORT']],
      ['onlylowercase2026', ['TOO_FEW_CLASSES']],
      ['ONLYUPPER#CASE', ['TOO_FEW_CLASSES']],
      ['My#new.staff2026', ['CONTAINS_USERNAME']],
    ];
    for (const [pw, violations] of cases) {
      const res = await changePassword(staff, initialPassword, pw);
      const body = expectError(res, 422, 'PASSWORD_POLICY');
      expect(body.details, pw).toEqual({ violations });
    }
    expectError(await changePassword(staff, initialPassword, initialPassword), 422, 'PASSWORD_REUSED');
    expect((await userRow(h, 'new.staff')).password_hash).toBe(hashBefore);
    await expectRestricted(staff, 'PASSWORD_CHANGE_REQUIRED');

    // Exactly 10 characters of 3 classes is enough.
    newPassword = 'abcdefg1!#';
    const ok = await changePassword(staff, initialPassword, newPassword);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ ok: true });
    const [changed] = await expectEvents(h, ok, ['auth.password_change']);
    expect(changed).toMatchObject({
      outcome: 'success',
      actor_user_id: staff.userId,
      actor_username: 'new.staff',
      ip: staff.ip,
      request_id: ok.headers['x-request-id'],
      target_type: 'user',
      target_id: staff.userId,
    });
    expect((await userRow(h, 'new.staff')).must_change_password).toBe(false);
    // No role yet, so nothing to see in the institution tree; its own sessions and tokens are open.
    expect((await staff.request('GET', '/api/me/sessions')).statusCode).toBe(200);
    expect((await staff.request('GET', '/api/me/tokens')).statusCode).toBe(200);
    expectError(await staff.request('GET', '/api/institutions/tree'), 403, 'FORBIDDEN');
    expect((await staff.request('GET', '/api/me')).json().user.mustChangePassword).toBe(false);
  });

  it('given a privileged role, must enrol TOTP before anything else, and cannot disable it', async () => {
    const cityId = cityAdmin.login.json().user.institutionId;
    const assign = await cityAdmin.request('POST', `/api/users/${staff.userId}/roles`, { role: 'authority_officer', institutionId: cityId });
    expect(assign.statusCode, assign.body).toBe(201);

    await expectRestricted(staff, 'TOTP_ENROLMENT_REQUIRED');
    const me = (await staff.request('GET', '/api/me')).json().user;
    expect(me).toMatchObject({ totpRequired: true, totpEnabled: false, totpEnrolmentRequired: true, mustChangePassword: false });

    expectError(await staff.request('POST', '/api/me/totp/confirm', { code: '123456' }), 422, 'TOTP_NOT_STARTED');
    const setup = await staff.request('POST', '/api/me/totp/setup');
    expect(setup.statusCode, setup.body).toBe(200);
    const { secret, otpauthUri, qrDataUrl } = setup.json();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    const uri = new URL(otpauthUri);
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe("数安 Shu'an");
    expect(decodeURIComponent(uri.pathname)).toContain('new.staff');
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(qrDataUrl.slice('data:image/png;base64,'.length), 'base64');
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // Not enabled until confirmed.
    expect((await userRow(h, 'new.staff')).totp_enabled_at).toBeNull();
    await expectRestricted(staff, 'TOTP_ENROLMENT_REQUIRED');

    const now = Math.floor(Date.now() / 30_000);
    expectError(await staff.request('POST', '/api/me/totp/confirm', { code: totpCode(secret, (now - 10) * 30_000) }), 422, 'INVALID_TOTP');
    expect((await userRow(h, 'new.staff')).totp_enabled_at).toBeNull();
    const confirm = await staff.request('POST', '/api/me/totp/confirm', { code: await nextTotp(h, 'new.staff', secret) });
    expect(confirm.statusCode, confirm.body).toBe(200);
    const [enabled] = await expectEvents(h, confirm, ['auth.totp_enabled']);
    expect(enabled).toMatchObject({ outcome: 'success', actor_username: 'new.staff', ip: staff.ip, request_id: confirm.headers['x-request-id'] });
    expect((await staff.request('GET', '/api/institutions/tree')).statusCode).toBe(200);
    expect((await staff.request('GET', '/api/me')).json().user).toMatchObject({ totpEnabled: true, totpEnrolmentRequired: false });
    expectError(await staff.request('POST', '/api/me/totp/setup'), 409, 'TOTP_ALREADY_ENABLED');

    const code = await nextTotp(h, 'new.staff', secret);
    const disable = await staff.request('POST', '/api/me/totp/disable', { password: newPassword, code });
    expectError(disable, 422, 'TOTP_REQUIRED_FOR_ROLE');
    expect((await userRow(h, 'new.staff')).totp_enabled_at).not.toBeNull();

    // From now on the login needs the code.
    expectError(await postLogin(h, { username: 'new.staff', password: newPassword }), 401, 'TOTP_REQUIRED');
    const again = await signIn(h, 'new.staff', { password: newPassword, secret });
    expect(again.login.json().user.totpEnabled).toBe(true);
  });
});

describe('TOTP for an ordinary account', () => {
  it('may be enrolled and disabled again with password and code', async () => {
    const s = await signIn(h, 'vendor.ops1');
    expect(s.login.json().user).toMatchObject({ totpRequired: false, totpEnrolmentRequired: false });
    const { secret } = (await s.request('POST', '/api/me/totp/setup')).json();
    expect((await s.request('POST', '/api/me/totp/confirm', { code: await nextTotp(h, 'vendor.ops1', secret) })).statusCode).toBe(200);
    const code = await nextTotp(h, 'vendor.ops1', secret);
    expectError(await s.request('POST', '/api/me/totp/disable', { password: 'Wrong#Password1', code }), 422, 'INVALID_CREDENTIALS');
    const off = await s.request('POST', '/api/me/totp/disable', { password: DEMO_PASSWORD, code });
    expect(off.statusCode, off.body).toBe(200);
    const [disabled] = await expectEvents(h, off, ['auth.totp_disabled']);
    expect(disabled).toMatchObject({ outcome: 'success', actor_username: 'vendor.ops1', ip: s.ip });
    const row = await userRow(h, 'vendor.ops1');
    expect([row.totp_enabled_at, row.totp_secret]).toEqual([null, null]);
  });
});

describe('password history', () => {
  it('refuses any of the last 5 passwords and allows the 6th-last', async () => {
    const s = await signIn(h, 'psb.steward');
    const passwords = [DEMO_PASSWORD, 'History#One2026', 'History#Two2026', 'History#Three2026', 'History#Four2026', 'History#Five2026'];
    for (let i = 1; i < passwords.length; i++) {
      const res = await changePassword(s, passwords[i - 1] as string, passwords[i] as string);
      expect(res.statusCode, res.body).toBe(200);
    }
    // The last five: Five (current), Four, Three, Two, One. The demo password is the sixth-last.
    for (const reused of ['History#Five2026', 'History#One2026']) {
      const res = await changePassword(s, 'History#Five2026', reused);
      const body = expectError(res, 422, 'PASSWORD_REUSED');
      expect(body.details).toBeUndefined();
      expect(await eventsOf(h, res)).toEqual([]);
    }
    const back = await changePassword(s, 'History#Five2026', DEMO_PASSWORD);
    expect(back.statusCode, back.body).toBe(200);
    expect((await s.request('GET', '/api/institutions/tree')).statusCode).toBe(200);
  });
});

describe('password expiry', () => {
  const age = (username: string, days: number) =>
    sql`UPDATE users SET password_changed_at = now() - make_interval(days => ${days}) WHERE username = ${username}`.execute(h.t.db);

  it('after 90 days lets the user log in but only to change the password', async () => {
    await age('edu.user', 89);
    const fine = await signIn(h, 'edu.user');
    expect(fine.login.json().user.mustChangePassword).toBe(false);
    expect((await fine.request('GET', '/api/institutions/tree')).statusCode).toBe(200);

    await age('edu.user', 91);
    // Existing sessions are restricted at once, and so is a new login.
    await expectRestricted(fine, 'PASSWORD_CHANGE_REQUIRED');
    const s = await signIn(h, 'edu.user');
    expect(s.login.json().user.mustChangePassword).toBe(true);
    const me = (await s.request('GET', '/api/me')).json().user;
    expect(me.mustChangePassword).toBe(true);
    expect(new Date(me.passwordExpiresAt).getTime()).toBeLessThan(Date.now());
    await expectRestricted(s, 'PASSWORD_CHANGE_REQUIRED');

    const ok = await changePassword(s, DEMO_PASSWORD, 'Renewed#Pass2026');
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await s.request('GET', '/api/institutions/tree')).statusCode).toBe(200);
    const after = (await s.request('GET', '/api/me')).json().user;
    expect(after.mustChangePassword).toBe(false);
    expect(new Date(after.passwordExpiresAt).getTime() - Date.now()).toBeGreaterThan(89 * 86400_000);
  });

  it('takes the maximum age, minimum length and history depth from the security policy', async () => {
    await putPolicy({ ...DEFAULT_SECURITY_POLICY, passwordMaxAgeDays: 30, passwordMinLength: 14, passwordHistory: 1 });
    try {
      await age('vendor.ops2', 31);
      const s = await signIn(h, 'vendor.ops2');
      expect(s.login.json().user.mustChangePassword).toBe(true);
      await expectRestricted(s, 'PASSWORD_CHANGE_REQUIRED');
      const short = await changePassword(s, DEMO_PASSWORD, 'Thirteen#2026');
      expect(expectError(short, 422, 'PASSWORD_POLICY').details).toEqual({ violations: ['TOO_SHORT'] });
      expect((await changePassword(s, DEMO_PASSWORD, 'Fourteen#20261')).statusCode).toBe(200);
      // With a history of 1, only the current password is refused: the previous one is allowed again.
      expectError(await changePassword(s, 'Fourteen#20261', 'Fourteen#20261'), 422, 'PASSWORD_REUSED');
      expect((await changePassword(s, 'Fourteen#20261', DEMO_PASSWORD)).statusCode).toBe(200);
      expect((await s.request('GET', '/api/institutions/tree')).statusCode).toBe(200);
    } finally {
      await putPolicy(DEFAULT_SECURITY_POLICY);
    }
  });
});

describe('password change', () => {
  it('ends the user’s other sessions and keeps the current one', async () => {
    const a = await signIn(h, 'district.admin');
    const b = await signIn(h, 'district.admin');
    const other = await signIn(h, 'vendor.ops1');
    const res = await changePassword(a, DEMO_PASSWORD, 'District#Admin2026');
    expect(res.statusCode, res.body).toBe(200);
    expectError(await b.request('GET', '/api/me'), 401, 'UNAUTHENTICATED');
    const ended = await h.t.db.selectFrom('sessions').select('end_reason').where('id', '=', b.sessionId).executeTakeFirstOrThrow();
    expect(ended.end_reason).toBe('password_changed');
    expect((await a.request('GET', '/api/institutions/tree')).statusCode).toBe(200);
    expect((await other.request('GET', '/api/me')).statusCode).toBe(200);
    // The old password no longer works; the new one passes the first factor.
    expectError(await postLogin(h, { username: 'district.admin', password: DEMO_PASSWORD }), 401, 'INVALID_CREDENTIALS');
    expectError(await postLogin(h, { username: 'district.admin', password: 'District#Admin2026' }), 401, 'TOTP_REQUIRED');
  });
});

describe('guessing the password inside a session', () => {
  it('counts toward the lockout, and the lock ends every session of the account', async () => {
    const a = await signIn(h, 'vendor.ops2');
    const b = await signIn(h, 'vendor.ops2');
    for (let i = 1; i <= DEFAULT_SECURITY_POLICY.lockThreshold - 1; i++) {
      expectError(await changePassword(a, `Guess#Number${i}x`, 'Whatever#Pass2026'), 422, 'INVALID_CURRENT_PASSWORD');
    }
    expect((await a.request('GET', '/api/me')).statusCode).toBe(200);
    const last = await changePassword(a, 'Guess#Number5x', 'Whatever#Pass2026');
    expectError(last, 422, 'INVALID_CURRENT_PASSWORD');
    const locked = (await expectEvents(h, last, ['auth.password_change', 'auth.account_locked']))[1];
    expect(locked).toMatchObject({ outcome: 'success', actor_username: 'vendor.ops2' });
    // Both sessions are gone and the right password no longer logs in.
    expectError(await a.request('GET', '/api/me'), 401, 'UNAUTHENTICATED');
    expectError(await b.request('GET', '/api/me'), 401, 'UNAUTHENTICATED');
    expectError(await postLogin(h, { username: 'vendor.ops2', password: DEMO_PASSWORD }), 423, 'ACCOUNT_LOCKED');
  });
});
