// Login rate limits (per client IP and per account), on top of the lockout (auth-login.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { DEMO_PASSWORD, expectError, expectEvents, freshIp, postLogin, signIn, userRow } from '../helpers/auth.ts';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h.close());

describe('login rate limits', () => {
  it('allows 30 attempts per IP in 5 minutes, then answers 429 RATE_LIMITED, audited, even for a right password', async () => {
    const ip = '203.0.113.50';
    for (let i = 0; i < 30; i++) {
      // Distinct unknown names: neither the per-account limit nor a lockout is involved.
      expectError(await postLogin(h, { username: `ghost.${i}`, password: 'Wrong#Password1' }, { ip }), 401, 'INVALID_CREDENTIALS');
    }
    const limited = await postLogin(h, { username: 'edu.user', password: DEMO_PASSWORD }, { ip });
    const body = expectError(limited, 429, 'RATE_LIMITED');
    expect(body.details?.retryAfterSeconds).toBeGreaterThan(0);
    expect(body.details?.retryAfterSeconds).toBeLessThanOrEqual(300);
    expect(limited.cookies.find((c) => c.name === 'shuan_sid')).toBeUndefined();
    const [event] = await expectEvents(h, limited, ['auth.login']);
    expect(event).toMatchObject({
      outcome: 'denied',
      actor_username: 'edu.user',
      ip,
      request_id: limited.headers['x-request-id'],
      details: { reason: 'rate_limited' },
    });
    // Not a failure of the account: nothing counted against it.
    expect((await userRow(h, 'edu.user')).failed_logins).toBe(0);

    // Another address is not affected.
    const elsewhere = await signIn(h, 'edu.user', { ip: '203.0.113.51' });
    expect(elsewhere.login.json().user.username).toBe('edu.user');
  });

  it('allows 10 attempts per account in 5 minutes from any address, then answers 429 RATE_LIMITED, audited', async () => {
    // Right passwords: the limit is on attempts, not failures, so no lockout is involved.
    for (let i = 0; i < 10; i++) await signIn(h, 'vendor.ops2');
    const ip = freshIp();
    const limited = await postLogin(h, { username: 'VENDOR.OPS2', password: DEMO_PASSWORD }, { ip });
    expectError(limited, 429, 'RATE_LIMITED');
    const [event] = await expectEvents(h, limited, ['auth.login']);
    expect(event).toMatchObject({ outcome: 'denied', ip, details: { reason: 'rate_limited' } });
    const user = await userRow(h, 'vendor.ops2');
    expect([user.failed_logins, user.locked_until]).toEqual([0, null]);

    // Unknown names are limited the same way (no hint which accounts exist).
    for (let i = 0; i < 10; i++) expectError(await postLogin(h, { username: 'nobody.here', password: 'Wrong#Password1' }), 401, 'INVALID_CREDENTIALS');
    expectError(await postLogin(h, { username: 'nobody.here', password: 'Wrong#Password1' }), 429, 'RATE_LIMITED');

    // Other accounts, from the same address, are not affected.
    const other = await signIn(h, 'psb.steward', { ip });
    expect(other.login.json().user.username).toBe('psb.steward');
  });
});
