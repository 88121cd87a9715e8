// Helpers for the authentication API tests (test/api/auth-*.test.ts): raw logins from a chosen IP,
// TOTP codes that respect the server's replay protection, session clients and audit-event lookups.
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { hashSecret } from '../../src/modules/auth/tokens.ts';
import { totpCode } from '../../src/modules/auth/totp.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/modules/org/demo-city.ts';
import type { TestApp } from './app.ts';

export { DEMO_PASSWORD, DEMO_TOTP_SECRET };

let ipCounter = 0;
/** A fresh client IP (198.18.0.0/15, the benchmarking range) so per-IP login limits never interfere. */
export function freshIp(): string {
  ipCounter++;
  return `198.18.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
}

/**
 * A TOTP code for the next time step the server will accept for this account: later than the last step
 * it accepted (replay protection) and no earlier than the current step (a code for the previous step
 * could fall out of the ±1 window if the clock crossed a step boundary meanwhile).
 */
export async function nextTotp(h: TestApp, username: string, secret = DEMO_TOTP_SECRET): Promise<string> {
  const u = await h.t.db.selectFrom('users').select('totp_last_step').where('username', '=', username).executeTakeFirstOrThrow();
  const now = Math.floor(Date.now() / 30_000);
  const step = Math.max(now, (u.totp_last_step ?? -1) + 1);
  if (step > now + 1) throw new Error(`no unused TOTP step left for ${username} in this 30-second window`);
  return totpCode(secret, step * 30_000 + 1000);
}

export function postLogin(h: TestApp, body: Record<string, unknown>, opts: { ip?: string; headers?: Record<string, string> } = {}) {
  return h.app.inject({ method: 'POST', url: '/api/auth/login', payload: body, remoteAddress: opts.ip ?? freshIp(), headers: opts.headers });
}

export interface Session {
  username: string;
  userId: string;
  /** The cookie value (the session secret). */
  token: string;
  /** sessions.id: SHA-256 of the secret. */
  sessionId: string;
  cookie: string;
  csrf: string;
  ip: string;
  login: LightMyRequestResponse;
  /** A request with the cookie and the CSRF header (override or drop headers with `headers`). */
  request(method: string, url: string, body?: unknown, headers?: Record<string, string | undefined>): Promise<LightMyRequestResponse>;
}

export function sessionFrom(h: TestApp, res: LightMyRequestResponse, username: string, ip: string): Session {
  expect(res.statusCode, res.body).toBe(200);
  const c = res.cookies.find((x) => x.name === 'shuan_sid');
  if (!c) throw new Error('no session cookie');
  const body = res.json();
  const cookie = `shuan_sid=${c.value}`;
  const csrf = body.csrfToken as string;
  return {
    username,
    userId: body.user.id,
    token: c.value,
    sessionId: hashSecret(c.value),
    cookie,
    csrf,
    ip,
    login: res,
    request: (method, url, payload, headers = {}) => {
      const all: Record<string, string> = { cookie, 'x-csrf-token': csrf };
      for (const [k, v] of Object.entries(headers)) {
        if (v === undefined) delete all[k];
        else all[k] = v;
      }
      return h.app.inject({ method: method as 'GET', url, payload: payload as never, headers: all, remoteAddress: ip });
    },
  };
}

/** Logs in (with a TOTP code when the account has TOTP enabled) from a fresh IP. */
export async function signIn(h: TestApp, username: string, opts: { password?: string; secret?: string; ip?: string } = {}): Promise<Session> {
  const u = await h.t.db.selectFrom('users').select(['totp_enabled_at']).where('username', '=', username).executeTakeFirstOrThrow();
  const body: Record<string, string> = { username, password: opts.password ?? DEMO_PASSWORD };
  if (u.totp_enabled_at) body.totpCode = await nextTotp(h, username, opts.secret);
  const ip = opts.ip ?? freshIp();
  return sessionFrom(h, await postLogin(h, body, { ip }), username, ip);
}

export function bearer(h: TestApp, token: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  return h.app.inject({
    method: method as 'GET',
    url,
    payload: body as never,
    headers: { authorization: `Bearer ${token}`, ...headers },
    remoteAddress: '192.0.2.200',
  });
}

export interface AuditRow {
  action: string;
  outcome: string;
  actor_user_id: string | null;
  actor_username: string | null;
  acting_institution_id: string | null;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
}

/** The audit events a response's request produced (by its x-request-id), in order. */
export async function eventsOf(h: TestApp, res: LightMyRequestResponse): Promise<AuditRow[]> {
  const requestId = res.headers['x-request-id'];
  expect(typeof requestId).toBe('string');
  const rows = await h.t.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'actor_user_id', 'actor_username', 'acting_institution_id', 'target_type', 'target_id', 'ip', 'request_id', 'details'])
    .where('request_id', '=', requestId as string)
    .orderBy('seq')
    .execute();
  return rows as AuditRow[];
}

/** Asserts the request produced exactly these actions, and returns its events. */
export async function expectEvents(h: TestApp, res: LightMyRequestResponse, actions: string[]): Promise<AuditRow[]> {
  const rows = await eventsOf(h, res);
  expect(rows.map((r) => r.action)).toEqual(actions);
  return rows;
}

export async function userRow(h: TestApp, username: string) {
  return h.t.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
}

export function expectError(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json();
  expect(body.code).toBe(code);
  expect(body.requestId).toBe(res.headers['x-request-id']);
  return body as { code: string; message: string; details?: Record<string, unknown>; requestId: string };
}
