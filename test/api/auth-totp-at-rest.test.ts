// TOTP secrets at rest (等保 level 3 数据保密性 of authentication data, domain.md §5; 密评 §6; PRT-5):
// users.totp_secret holds an SM4 envelope ("sa1.…") under a key derived from the KEK, bound to the user id;
// legacy clear values still work and `sealLegacyTotpSecrets` (run by `shuan serve`) seals them; a wrong
// KEK or a moved/modified value is an audited refusal, never a 500 and never a way in.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/build-app.ts';
import { hmacSm3, sealEnvelopeText } from '../../src/engines/gm/index.ts';
import { isSealedTotpSecret, sealLegacyTotpSecrets, TOTP_KEY_LABEL, TotpSecretBox, TotpSecretError } from '../../src/modules/auth/totp-secrets.ts';
import { seedDemoCity } from '../../src/modules/org/demo-seed.ts';
import { Kek, KekError } from '../../src/modules/protection/kek.ts';
import type { TestApp } from '../helpers/app.ts';
import {
  DEMO_PASSWORD,
  DEMO_TOTP_SECRET,
  eventsOf,
  expectError,
  expectEvents,
  freshIp,
  nextTotp,
  postLogin,
  type Session,
  signIn,
  userRow,
} from '../helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const kekMaterial = randomBytes(32);
const kek = new Kek(kekMaterial, 'env', null);
const otherKek = Kek.generate();

let t: TestDatabase;
let h: TestApp;
/** A second app on the same database, started with another KEK (an operator's mistake). */
let wrong: TestApp;

async function appWith(k: Kek): Promise<TestApp> {
  const { app, services, routes } = await buildApp({ db: t.db, kek: k });
  // The auth test helpers use only app and t.
  return { app, services, routes, t } as unknown as TestApp;
}

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoCity(t.db);
  h = await appWith(kek);
  wrong = await appWith(otherKek);
});
afterAll(async () => {
  await h?.app.close();
  await wrong?.app.close();
  await t?.drop();
});

const secretOf = async (username: string) => (await userRow(h, username)).totp_secret;
const failuresOf = async (username: string) => (await userRow(h, username)).failed_logins;

describe('Kek.derive (PRT-5: purpose keys from the KEK, raw KEK kept private)', () => {
  it('is HMAC-SM3(KEK, label), names the KEK and the label, and differs per KEK and per label', () => {
    const k = kek.derive(TOTP_KEY_LABEL);
    expect(k.secret.equals(hmacSm3(kekMaterial, TOTP_KEY_LABEL))).toBe(true);
    expect(k.id).toBe(`${kek.id}/shuan.totp`);
    expect(k.secret.length).toBe(32);
    expect(kek.derive(TOTP_KEY_LABEL).secret.equals(k.secret)).toBe(true);
    expect(kek.derive('shuan.other').secret.equals(k.secret)).toBe(false);
    expect(otherKek.derive(TOTP_KEY_LABEL).secret.equals(k.secret)).toBe(false);
    expect(k.secret.equals(kekMaterial)).toBe(false);
    expect(() => kek.derive('')).toThrow();
    expect(() => kek.derive('a/b')).toThrow();
  });
});

describe('TotpSecretBox (等保 authentication-data confidentiality)', () => {
  const box = new TotpSecretBox(() => kek);
  const userA = '0190a000-0000-7000-8000-00000000000a';
  const userB = '0190a000-0000-7000-8000-00000000000b';

  it('seals to sa1. text bound to the user (fresh IV each time) and opens it back', () => {
    const one = box.seal(userA, DEMO_TOTP_SECRET);
    const two = box.seal(userA, DEMO_TOTP_SECRET);
    expect(one.startsWith('sa1.')).toBe(true);
    expect(isSealedTotpSecret(one)).toBe(true);
    expect(one).not.toContain(DEMO_TOTP_SECRET);
    expect(one).not.toBe(two);
    expect(box.open(userA, one)).toBe(DEMO_TOTP_SECRET);
    expect(box.open(userA, two)).toBe(DEMO_TOTP_SECRET);
  });

  const reasonOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return err instanceof TotpSecretError ? err.reason : `not a TotpSecretError: ${(err as Error).message}`;
    }
    return 'opened';
  };

  it('refuses another user, another KEK, modified bytes and values that are neither form', () => {
    const sealed = box.seal(userA, DEMO_TOTP_SECRET);
    expect(reasonOf(() => box.open(userB, sealed))).toBe('totp_secret_invalid');
    expect(reasonOf(() => new TotpSecretBox(() => otherKek).open(userA, sealed))).toBe('kek_mismatch');
    const body = sealed.slice(4);
    const i = body.length - 10; // inside the tag
    const flipped = `sa1.${body.slice(0, i)}${body[i] === 'A' ? 'B' : 'A'}${body.slice(i + 1)}`;
    expect(reasonOf(() => box.open(userA, flipped))).toBe('totp_secret_invalid');
    expect(reasonOf(() => box.open(userA, 'sa1.not-an-envelope'))).toBe('totp_secret_invalid');
    expect(reasonOf(() => box.open(userA, 'not base32!'))).toBe('totp_secret_invalid');
    // An envelope under the same KEK but for another purpose is damaged data, not a KEK mismatch.
    const otherPurpose = sealEnvelopeText(kek.derive('shuan.other'), DEMO_TOTP_SECRET, `shuan.totp-secret\0${userA}`);
    expect(reasonOf(() => box.open(userA, otherPurpose))).toBe('totp_secret_invalid');
  });

  it('reads a legacy clear secret without asking for the KEK (commands without one keep working)', () => {
    const noKek = new TotpSecretBox(() => {
      throw new KekError('KEK_MISSING', 'no KEK');
    });
    expect(noKek.open(userA, DEMO_TOTP_SECRET)).toBe(DEMO_TOTP_SECRET);
    expect(() => noKek.seal(userA, DEMO_TOTP_SECRET)).toThrow(KekError);
  });
});

describe('enrolment stores the secret sealed (等保 身份鉴别 + 数据保密性)', () => {
  let edu: Session;
  let eduSecret: string;

  it('after setup the column holds sa1. and not the base32 secret; confirm and login with TOTP work', async () => {
    edu = await signIn(h, 'edu.user');
    const setup = await edu.request('POST', '/api/me/totp/setup');
    expect(setup.statusCode, setup.body).toBe(200);
    eduSecret = setup.json().secret;
    const stored = (await secretOf('edu.user')) as string;
    expect(stored.startsWith('sa1.')).toBe(true);
    expect(stored).not.toContain(eduSecret);
    expect(new TotpSecretBox(() => kek).open(edu.userId, stored)).toBe(eduSecret);
    const confirm = await edu.request('POST', '/api/me/totp/confirm', { code: await nextTotp(h, 'edu.user', eduSecret) });
    expect(confirm.statusCode, confirm.body).toBe(200);
    expect(await secretOf('edu.user')).toBe(stored);
    expectError(await postLogin(h, { username: 'edu.user', password: DEMO_PASSWORD }), 401, 'TOTP_REQUIRED');
    const again = await signIn(h, 'edu.user', { secret: eduSecret });
    expect(again.login.json().user.totpEnabled).toBe(true);
    const [login] = await expectEvents(h, again.login, ['auth.login']);
    expect(login).toMatchObject({ outcome: 'success', details: { secondFactor: true } });
  });

  it('a sealed value copied to another user fails: 403 TOTP_SECRET_INVALID, audited, not counted as a guess', async () => {
    await t.db
      .updateTable('users')
      .set({ totp_secret: await secretOf('edu.user'), totp_enabled_at: new Date(), totp_last_step: null })
      .where('username', '=', 'vendor.ops1')
      .execute();
    const before = await failuresOf('vendor.ops1');
    const res = await postLogin(h, { username: 'vendor.ops1', password: DEMO_PASSWORD, totpCode: await nextTotp(h, 'vendor.ops1', eduSecret) });
    expectError(res, 403, 'TOTP_SECRET_INVALID');
    const [event] = await expectEvents(h, res, ['auth.login']);
    expect(event).toMatchObject({ outcome: 'failure', actor_username: 'vendor.ops1', details: { reason: 'totp_secret_invalid' } });
    expect(await failuresOf('vendor.ops1')).toBe(before);
    expect((await userRow(h, 'vendor.ops1')).totp_last_step).toBeNull();
  });

  it('with the wrong KEK: login is 503 KEK_MISMATCH (audited, no session, no lockout count); TOTP removal too', async () => {
    const before = await failuresOf('edu.user');
    const sessions = await t.db.selectFrom('sessions').select('id').execute();
    const res = await postLogin(wrong, { username: 'edu.user', password: DEMO_PASSWORD, totpCode: '123456' });
    const body = expectError(res, 503, 'KEK_MISMATCH');
    expect(body.message).not.toContain(kek.id);
    const [event] = await expectEvents(wrong, res, ['auth.login']);
    expect(event).toMatchObject({
      outcome: 'failure',
      actor_username: 'edu.user',
      details: { reason: 'kek_mismatch', sealedUnder: kek.id, configured: otherKek.id },
    });
    expect(await failuresOf('edu.user')).toBe(before);
    expect(await t.db.selectFrom('sessions').select('id').execute()).toEqual(sessions);
    // A wrong password is still just a wrong password (the secret is opened only after the password).
    expectError(await postLogin(wrong, { username: 'edu.user', password: 'Wrong#Password1', totpCode: '123456' }), 401, 'INVALID_CREDENTIALS');

    // Removing TOTP from an existing session, through the app with the wrong KEK.
    const disable = (password: string) =>
      wrong.app.inject({
        method: 'POST',
        url: '/api/me/totp/disable',
        payload: { password, code: '123456' },
        headers: { cookie: edu.cookie, 'x-csrf-token': edu.csrf },
        remoteAddress: freshIp(),
      });
    expectError(await disable('Wrong#Password1'), 422, 'INVALID_CREDENTIALS');
    const refused = await disable(DEMO_PASSWORD);
    expectError(refused, 503, 'KEK_MISMATCH');
    expect((await eventsOf(wrong, refused)).map((e) => [e.action, e.outcome, e.details.reason])).toEqual([['auth.totp_disabled', 'failure', 'kek_mismatch']]);
    expect((await userRow(h, 'edu.user')).totp_enabled_at).not.toBeNull();
  });
});

describe('legacy clear secrets (existing databases, the demo seed) and sealLegacyTotpSecrets', () => {
  it('a legacy clear value still works, is sealed by sealLegacyTotpSecrets, and every demo account still logs in', async () => {
    expect(await secretOf('city.admin')).toBe(DEMO_TOTP_SECRET);
    const first = await signIn(h, 'city.admin');
    expect(first.login.json().user.totpEnabled).toBe(true);
    expect(await secretOf('city.admin')).toBe(DEMO_TOTP_SECRET);

    const legacy = await t.db.selectFrom('users').select(['id', 'username']).where('totp_secret', '=', DEMO_TOTP_SECRET).execute();
    expect(legacy.length).toBeGreaterThan(3);
    const { sealed } = await sealLegacyTotpSecrets(t.db, kek);
    expect(sealed).toBe(legacy.length);
    const box = new TotpSecretBox(() => kek);
    for (const u of legacy) {
      const stored = (await secretOf(u.username)) as string;
      expect(stored.startsWith('sa1.'), u.username).toBe(true);
      expect(box.open(u.id, stored)).toBe(DEMO_TOTP_SECRET);
    }
    const events = await t.db.selectFrom('audit_events').select(['actor_username', 'details']).where('action', '=', 'system.totp_secrets_sealed').execute();
    expect(events).toEqual([{ actor_username: 'system', details: { count: legacy.length, kek: kek.id } }]);

    for (const u of legacy) {
      const s = await signIn(h, u.username);
      expect(s.login.json().user.username).toBe(u.username);
    }
  });

  it('is idempotent: a second run seals nothing and records nothing', async () => {
    const snapshot = await t.db.selectFrom('users').select(['id', 'totp_secret']).orderBy('id').execute();
    expect(await sealLegacyTotpSecrets(t.db, kek)).toEqual({ sealed: 0 });
    expect(await t.db.selectFrom('users').select(['id', 'totp_secret']).orderBy('id').execute()).toEqual(snapshot);
    expect((await t.db.selectFrom('audit_events').select('id').where('action', '=', 'system.totp_secrets_sealed').execute()).length).toBe(1);
  });

  it('refuses to seal under a KEK other than the one existing secrets are sealed with, changing nothing', async () => {
    await t.db
      .updateTable('users')
      .set({ totp_secret: DEMO_TOTP_SECRET, totp_enabled_at: new Date(), totp_last_step: null })
      .where('username', '=', 'vendor.ops2')
      .execute();
    await expect(sealLegacyTotpSecrets(t.db, otherKek)).rejects.toMatchObject({ name: 'KekError', code: 'KEK_INVALID' });
    expect(await secretOf('vendor.ops2')).toBe(DEMO_TOTP_SECRET);
    // The legacy value needs no KEK to be read, even by the misconfigured app.
    const s = await signIn(wrong, 'vendor.ops2');
    expect(s.login.json().user.username).toBe('vendor.ops2');
    expect(await sealLegacyTotpSecrets(t.db, kek)).toEqual({ sealed: 1 });
    expect(((await secretOf('vendor.ops2')) as string).startsWith('sa1.')).toBe(true);
  });

  it('a modified sealed value is refused (403), audited, and does not count toward the lockout', async () => {
    const stored = (await secretOf('admin')) as string;
    const body = stored.slice(4);
    const i = body.length - 10;
    const modified = `sa1.${body.slice(0, i)}${body[i] === 'A' ? 'B' : 'A'}${body.slice(i + 1)}`;
    await t.db.updateTable('users').set({ totp_secret: modified }).where('username', '=', 'admin').execute();
    const before = await failuresOf('admin');
    const res = await postLogin(h, { username: 'admin', password: DEMO_PASSWORD, totpCode: await nextTotp(h, 'admin') });
    expectError(res, 403, 'TOTP_SECRET_INVALID');
    expect((await eventsOf(h, res)).map((e) => [e.action, e.outcome, e.details.reason])).toEqual([['auth.login', 'failure', 'totp_secret_invalid']]);
    expect(await failuresOf('admin')).toBe(before);
  });
});
