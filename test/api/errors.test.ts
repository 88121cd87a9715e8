// The error contract (docs/api-contract.md): every error is { code, message, details?, requestId } with the
// message in the request's language; bad input is a 4xx naming the field, never a 500. The last block
// throws seeded junk at every route in the route table.
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';

let h: TestApp;
let admin: Client; // platform_admin
let city: Client; // authority_admin
let eduUserId: string;
let cityId: string;

beforeAll(async () => {
  h = await createTestApp();
  admin = await h.login('admin');
  city = await h.login('city.admin');
  eduUserId = (await h.t.db.selectFrom('users').select('id').where('username', '=', 'edu.user').executeTakeFirstOrThrow()).id;
  cityId = city.institutionId;
});
afterAll(() => h.close());

const CJK = /[\u4e00-\u9fff]/;

/** The common error shape; returns the parsed body. */
function expectError(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json();
  expect(body.code).toBe(code);
  expect(typeof body.message).toBe('string');
  expect(body.message.length).toBeGreaterThan(0);
  expect(typeof body.requestId).toBe('string');
  expect(body.requestId).toBe(res.headers['x-request-id']);
  expect(Object.keys(body).every((k) => ['code', 'message', 'details', 'requestId'].includes(k))).toBe(true);
  return body as { code: string; message: string; details?: Record<string, unknown>; requestId: string };
}

const rawJson = (c: Client, method: string, url: string, text: string, headers: Record<string, string> = {}) =>
  c.request(method, url, text, { 'content-type': 'application/json', ...headers });
const anonLogin = (payload: string | undefined, headers: Record<string, string> = {}) =>
  h.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    ...(payload === undefined ? {} : { payload }),
    headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
  });

const validInstitution = () => ({ parentId: cityId, kind: 'institution', name: '测试单位', sector: 'education' });

describe('malformed and empty bodies', () => {
  it.each([
    ['POST', '/api/institutions'],
    ['PATCH', '/api/users/:edu'],
    ['PUT', '/api/settings/security-policy'],
  ])('%s %s: malformed JSON → 400 MALFORMED_JSON', async (method, path) => {
    const url = path.replace(':edu', eduUserId);
    for (const text of ['{', '{"name":}', "{'name':'x'}", '{"name":"x",}', 'undefined', '\u0000']) {
      const err = expectError(await rawJson(city, method, url, text), 400, 'MALFORMED_JSON');
      expect(err.message).toMatch(CJK);
    }
  });

  it('POST /api/auth/login: malformed JSON → 400 MALFORMED_JSON (before any credential check)', async () => {
    expectError(await anonLogin('{"username":"admin",'), 400, 'MALFORMED_JSON');
  });

  it('an empty body where one is required → 400 EMPTY_BODY, with or without a JSON content type', async () => {
    expectError(await rawJson(city, 'POST', '/api/institutions', ''), 400, 'EMPTY_BODY');
    expectError(await city.request('POST', '/api/institutions'), 400, 'EMPTY_BODY');
    expectError(await rawJson(city, 'PATCH', `/api/users/${eduUserId}`, ''), 400, 'EMPTY_BODY');
    expectError(await anonLogin(''), 400, 'EMPTY_BODY');
    expectError(await anonLogin(undefined), 400, 'EMPTY_BODY');
    const en = expectError(await anonLogin(undefined, { 'accept-language': 'en' }), 400, 'EMPTY_BODY');
    expect(en.message).toBe('The request body is empty');
  });

  it.each(['null', '[]', '"text"', '5', 'true'])('a JSON %s where an object belongs → 400 VALIDATION_FAILED', async (text) => {
    const err = expectError(await rawJson(city, 'POST', '/api/institutions', text), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ in: 'body', rule: 'type' });
    expect(err.message).toBe('请求体必须是 JSON 对象');
    expectError(await anonLogin(text), 400, 'VALIDATION_FAILED');
  });

  it('prototype-pollution keys are refused and pollute nothing', async () => {
    for (const text of ['{"__proto__":{"polluted":1}}', '{"displayName":"x","__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"polluted":1}}}']) {
      const res = await rawJson(city, 'PATCH', `/api/users/${eduUserId}`, text);
      expect(res.statusCode, text).toBe(400);
      expect(['MALFORMED_JSON', 'VALIDATION_FAILED']).toContain(res.json().code);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    const user = await city.request('GET', `/api/users/${eduUserId}`);
    expect(user.json().displayName).not.toBe('x');
  });
});

describe('field validation names the field', () => {
  it('an unknown body field → 400 VALIDATION_FAILED with details.field', async () => {
    let err = expectError(await city.request('PATCH', `/api/users/${eduUserId}`, { displayName: '何琳', isAdmin: true }), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'isAdmin', in: 'body', rule: 'additionalProperties' });
    expect(err.message).toBe('不允许的字段 isAdmin');

    err = expectError(await city.request('POST', '/api/institutions', { ...validInstitution(), id: randomUUID() }), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'id', in: 'body' });

    // Nested: the path to the field.
    const profile = { securityLead: { name: '张三', salary: 1 } };
    err = expectError(await city.request('POST', '/api/institutions', { ...validInstitution(), profile }), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'profile.securityLead.salary', rule: 'additionalProperties' });

    err = expectError(await anonLogin(JSON.stringify({ username: 'admin', password: 'x', remember: true })), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'remember', in: 'body' });
  });

  it('a missing required field → 400 naming it', async () => {
    const { sector: _sector, ...noSector } = validInstitution();
    const err = expectError(await city.request('POST', '/api/institutions', noSector), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'sector', rule: 'required' });
    expect(err.message).toBe('缺少必填字段 sector');
    expect(expectError(await anonLogin(JSON.stringify({ username: 'admin' })), 400, 'VALIDATION_FAILED').details?.field).toBe('password');
  });

  it('an over-long string → 400 naming the field and the limit', async () => {
    let err = expectError(await city.request('PATCH', `/api/users/${eduUserId}`, { displayName: 'x'.repeat(101) }), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'displayName', rule: 'maxLength', limit: 100 });
    expect(err.message).toBe('字段 displayName 超过最大长度 100');

    err = expectError(await city.request('POST', '/api/institutions', { ...validInstitution(), name: '单'.repeat(101) }), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'name', limit: 100 });

    err = expectError(await anonLogin(JSON.stringify({ username: 'u'.repeat(65), password: 'x' })), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'username', limit: 64 });

    err = expectError(await city.request('GET', `/api/users?q=${'q'.repeat(101)}`), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'q', in: 'querystring', limit: 100 });

    const en = expectError(
      await city.request('PATCH', `/api/users/${eduUserId}`, { displayName: 'x'.repeat(101) }, { 'accept-language': 'en' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(en.message).toBe('Field displayName is longer than 100 characters');
  });

  it('a wrong type in a JSON body is refused, never coerced ("12" is not an integer)', async () => {
    const policy = (await admin.request('GET', '/api/settings/security-policy')).json();
    let err = expectError(
      await admin.request('PUT', '/api/settings/security-policy', { ...policy, passwordMinLength: String(policy.passwordMinLength + 2) }),
      400,
      'VALIDATION_FAILED',
    );
    expect(err.details).toMatchObject({ field: 'passwordMinLength', in: 'body', rule: 'type' });
    expect(err.message).toBe('字段 passwordMinLength 类型错误，应为 integer');
    expect((await admin.request('GET', '/api/settings/security-policy')).json()).toEqual(policy);

    const inst = (await city.request('GET', `/api/institutions/${cityId}`)).json();
    err = expectError(await city.request('PATCH', `/api/institutions/${cityId}`, { name: inst.name, version: String(inst.version) }), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'version', rule: 'type' });

    for (const [value, rule] of [
      [5, 'type'],
      [null, 'type'],
      [['x'], 'type'],
      [{}, 'type'],
      [true, 'type'],
    ] as const) {
      err = expectError(await city.request('POST', '/api/institutions', { ...validInstitution(), name: value }), 400, 'VALIDATION_FAILED');
      expect(err.details, JSON.stringify(value)).toMatchObject({ field: 'name', rule });
    }
    err = expectError(await anonLogin(JSON.stringify({ username: 5, password: 'x' })), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'username', rule: 'type' });
    err = expectError(await anonLogin(JSON.stringify({ username: 'admin', password: 'x', totpCode: 123456 })), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'totpCode', rule: 'type' });
  });

  it('query strings are text on the wire: "5" is an integer there, "abc" is not', async () => {
    const ok = await city.request('GET', '/api/users?page=1&pageSize=5&q=city');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ page: 1, pageSize: 5 });
    expect(ok.json().items.length).toBeGreaterThan(0);
    // Defaults apply when the query is empty (page and pageSize come from a shared Page schema).
    const defaults = await city.request('GET', '/api/institutions');
    expect(defaults.statusCode, defaults.body).toBe(200);
    expect(defaults.json()).toMatchObject({ page: 1, pageSize: 20 });

    let err = expectError(await city.request('GET', '/api/users?page=abc'), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'page', in: 'querystring', rule: 'type' });
    err = expectError(await city.request('GET', '/api/users?pageSize=500'), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'pageSize', rule: 'maximum', limit: 200 });
    err = expectError(await city.request('GET', '/api/users?q=a&q=b'), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'q' });
    err = expectError(await city.request('GET', '/api/users?sort=name'), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'sort', in: 'querystring', rule: 'additionalProperties' });
    err = expectError(await city.request('GET', '/api/institutions?parentId=123'), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'parentId', in: 'querystring', rule: 'format' });
  });

  it('a value outside an enum → 400 naming the field', async () => {
    let err = expectError(await city.request('PATCH', `/api/users/${eduUserId}`, { status: 'deleted' }), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'status', rule: 'enum' });
    expect(err.message).toBe('字段 status 的取值不在允许范围内');
    err = expectError(await city.request('POST', '/api/institutions', { ...validInstitution(), kind: 'ministry' }), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'kind', rule: 'enum' });
    err = expectError(await city.request('GET', '/api/users?role=root'), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'role', in: 'querystring', rule: 'enum' });
  });

  it('a NUL character in any string → 400 naming the field (PostgreSQL text cannot store it)', async () => {
    let err = expectError(await city.request('PATCH', `/api/users/${eduUserId}`, { displayName: 'a\u0000b' }), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'displayName', rule: 'nul' });
    err = expectError(
      await city.request('POST', '/api/institutions', { ...validInstitution(), profile: { securityLead: { name: '张\u0000三' } } }),
      400,
      'VALIDATION_FAILED',
    );
    expect(err.details).toMatchObject({ field: 'profile.securityLead.name' });
    err = expectError(await city.request('GET', '/api/institutions?q=%00'), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'q', in: 'querystring' });
    err = expectError(await anonLogin(JSON.stringify({ username: 'admin\u0000', password: 'x' })), 400, 'VALIDATION_FAILED');
    expect(err.details).toMatchObject({ field: 'username' });
  });

  it('an unpaired UTF-16 surrogate in any string → 400 naming the field (jsonb refuses it; text would corrupt it)', async () => {
    // JSON.stringify writes a lone surrogate as the escape \ud800, which JSON.parse turns back into one.
    let err = expectError(
      await rawJson(admin, 'POST', '/api/me/tokens', '{"name":"\\ud800x","scopes":["institution.read"],"expiresInDays":30}'),
      400,
      'VALIDATION_FAILED',
    );
    expect(err.details).toMatchObject({ field: 'name', rule: 'wellFormed' });
    err = expectError(
      await rawJson(city, 'PATCH', `/api/users/${eduUserId}`, '{"displayName":"x\\udc00"}', { 'accept-language': 'en' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(err.message).toBe('Field displayName contains invalid Unicode (an unpaired surrogate)');
    // A proper pair (an emoji) is fine.
    const ok = await admin.request('POST', '/api/me/tokens', { name: '令牌😀', scopes: ['institution.read'], expiresInDays: 30 });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().apiToken.name).toBe('令牌😀');
  });

  it.each([
    ['GET', '/api/users/not-a-uuid'],
    ['GET', '/api/users/123'],
    ['PATCH', '/api/users/00000000-0000-0000-0000-00000000000g'],
    ['GET', '/api/institutions/xyz'],
    ['POST', '/api/users/abc/unlock'],
    ['DELETE', '/api/users/:uuid/roles/not-a-uuid'],
    ['DELETE', '/api/me/tokens/1'],
    ['GET', `/api/users/${'9'.repeat(37)}`],
  ])('a malformed id in the path (%s %s) → 400, not 404 or 500', async (method, path) => {
    const url = path.replace(':uuid', randomUUID());
    const res = await city.request(method, url, method === 'PATCH' ? {} : undefined);
    const err = expectError(res, 400, 'VALIDATION_FAILED');
    expect(err.details?.in).toBe('params');
    expect(['id', 'assignmentId']).toContain(err.details?.field);
  });

  it('a path that is not valid percent-encoding, or an absurdly long id, still gets the error contract', async () => {
    for (const url of ['/api/users/%E0%A4%A', '/api/users/%', '/api/institutions/%zz/read-grants']) {
      const err = expectError(await city.request('GET', url), 400, 'MALFORMED_URL');
      expect(err.message).toBe('请求地址的编码无效');
    }
    // Long, but within what the router passes on: the params schema names the field and its limit.
    const long = expectError(await city.request('GET', `/api/users/${'9'.repeat(500)}`), 400, 'VALIDATION_FAILED');
    expect(long.details).toMatchObject({ field: 'id', in: 'params', rule: 'maxLength', limit: 36 });
    const huge = expectError(await city.request('GET', `/api/users/${'9'.repeat(5000)}`, undefined, { 'accept-language': 'en' }), 414, 'URI_TOO_LONG');
    expect(huge.message).toBe('A path parameter is too long');
  });

  it('a well-formed id that does not exist → 404 NOT_FOUND', async () => {
    expectError(await city.request('GET', `/api/users/${randomUUID()}`), 404, 'NOT_FOUND');
  });
});

describe('transport-level errors', () => {
  it.each(['application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'image/png', 'text/plain'])(
    'unsupported content type %s → 415',
    async (type) => {
      const err = expectError(await city.request('POST', '/api/institutions', 'a=b', { 'content-type': type }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(err.message).toBe('不支持的请求内容类型');
      expectError(await anonLogin('username=admin', { 'content-type': type }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    },
  );

  it('a JSON content type with parameters is still JSON', async () => {
    const res = await city.request('PATCH', `/api/users/${eduUserId}`, JSON.stringify({ nope: 1 }), { 'content-type': 'application/json; charset=utf-8' });
    expect(expectError(res, 400, 'VALIDATION_FAILED').details?.field).toBe('nope');
  });

  it('an oversized body → 413 BODY_TOO_LARGE', async () => {
    const huge = JSON.stringify({ ...validInstitution(), name: 'x'.repeat(1024 * 1024 + 10) });
    const err = expectError(await rawJson(city, 'POST', '/api/institutions', huge), 413, 'BODY_TOO_LARGE');
    expect(err.message).toBe('请求体过大');
    expectError(await anonLogin(huge, { 'accept-language': 'en' }), 413, 'BODY_TOO_LARGE');
  });

  it.each([
    ['GET', '/api/nope'],
    ['GET', '/api/users/x/y/z'],
    ['PUT', '/api/users'],
    ['POST', '/api/health'],
    ['GET', '/api/'],
  ])('unknown /api route %s %s → 404 ROUTE_NOT_FOUND JSON', async (method, url) => {
    const err = expectError(await h.app.inject({ method: method as 'GET', url }), 404, 'ROUTE_NOT_FOUND');
    expect(err.message).toBe('接口不存在');
    expectError(await city.request(method, url), 404, 'ROUTE_NOT_FOUND');
  });
});

describe('language and request id', () => {
  const requests: Record<string, (lang?: string) => Promise<LightMyRequestResponse>> = {
    'unknown route': (lang) => h.app.inject({ method: 'GET', url: '/api/nope', headers: lang ? { 'accept-language': lang } : {} }),
    'malformed JSON': (lang) => anonLogin('{', lang ? { 'accept-language': lang } : {}),
    'unknown field': (lang) => city.request('PATCH', `/api/users/${eduUserId}`, { foo: 1 }, lang ? { 'accept-language': lang } : {}),
    'not logged in': (lang) => h.app.inject({ method: 'GET', url: '/api/me', headers: lang ? { 'accept-language': lang } : {} }),
    'wrong credentials': (lang) => anonLogin(JSON.stringify({ username: 'nobody.here', password: 'wrong-password' }), lang ? { 'accept-language': lang } : {}),
  };
  const expected: Record<string, [number, string, string, string]> = {
    'unknown route': [404, 'ROUTE_NOT_FOUND', '接口不存在', 'No such endpoint'],
    'malformed JSON': [400, 'MALFORMED_JSON', '请求体不是有效的 JSON', 'The request body is not valid JSON'],
    'unknown field': [400, 'VALIDATION_FAILED', '不允许的字段 foo', 'Unknown field foo'],
    'not logged in': [401, 'UNAUTHENTICATED', '请先登录', 'Authentication required'],
    'wrong credentials': [401, 'INVALID_CREDENTIALS', '', ''],
  };

  it.each(Object.keys(requests))('%s: zh-CN by default, English with Accept-Language en / en-US,en;q=0.9', async (name) => {
    const send = requests[name] as (lang?: string) => Promise<LightMyRequestResponse>;
    const [status, code, zh, en] = expected[name] as [number, string, string, string];
    const byLang = async (lang?: string) => expectError(await send(lang), status, code).message;

    const zhDefault = await byLang();
    expect(zhDefault).toMatch(CJK);
    if (zh) expect(zhDefault).toBe(zh);
    expect(await byLang('zh-CN,zh;q=0.9,en;q=0.8')).toBe(zhDefault);
    expect(await byLang('fr-FR')).toBe(zhDefault);
    for (const lang of ['en', 'en-US,en;q=0.9', 'en-GB', 'zh-CN;q=0.5,en;q=0.9']) {
      const m = await byLang(lang);
      expect(m, lang).not.toMatch(CJK);
      if (en) expect(m, lang).toBe(en);
    }
  });

  it("requestId is the x-request-id response header, always the server's own (audit events cite it)", async () => {
    const a = expectError(await h.app.inject({ method: 'GET', url: '/api/nope' }), 404, 'ROUTE_NOT_FOUND');
    const b = expectError(await h.app.inject({ method: 'GET', url: '/api/nope' }), 404, 'ROUTE_NOT_FOUND');
    expect(a.requestId).not.toBe(b.requestId);
    const sent = await h.app.inject({ method: 'GET', url: '/api/nope', headers: { 'x-request-id': 'trace-0123456789' } });
    expect(expectError(sent, 404, 'ROUTE_NOT_FOUND').requestId).not.toBe('trace-0123456789');
    const v = expectError(await city.request('PATCH', `/api/users/${eduUserId}`, { foo: 1 }, { 'x-request-id': 'trace-0123456789' }), 400, 'VALIDATION_FAILED');
    expect(v.requestId).not.toBe('trace-0123456789');
  });
});

// ---------------------------------------------------------------------------------------------------
// Randomized robustness: seeded junk for every route in the route table, sent as a logged-in platform
// admin. Whatever arrives, the answer is < 500 and errors keep the contract.

/** mulberry32: small, fast, deterministic. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)] as T;
  const chance = (p: number) => next() < p;
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-7${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
  return { next, int, pick, chance, hex, uuid };
}
type Rng = ReturnType<typeof prng>;

const SPECIAL_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__', 'valueOf', '$where', ''];

function junkString(r: Rng): string {
  return r.pick<() => string>([
    () => '',
    () => ' ',
    () => 'x'.repeat(r.pick([37, 65, 101, 129, 255, 4097, 70_000])),
    () => '数'.repeat(r.int(1, 300)),
    () => '😀'.repeat(r.int(1, 80)),
    () => 'a\u0000b',
    () => '\ud800',
    () => "' OR 1=1; --",
    () => '../../etc/passwd',
    () => '<script>alert(1)</script>',
    () => '%00%ff',
    () => r.pick(['null', 'true', '[]', '{}', 'NaN', '-0', '1e309', '５', ' 5 ', '0x10']),
    () => r.pick(['2025-02-30', '2025-10-01', '2027-01-04', '0000-00-00', '2025-10-01T00:00:00Z', '9999-12-31T23:59:59.999Z']),
    () => r.uuid(),
    () => '00000000-0000-0000-0000-000000000000',
    () => r.hex(r.int(1, 40)),
    () => r.pick(SPECIAL_KEYS),
  ])();
}

function junkValue(r: Rng, depth = 0): unknown {
  const kinds = depth > 3 ? 5 : 8;
  switch (r.int(0, kinds - 1)) {
    case 0:
      return junkString(r);
    case 1:
      return r.pick([0, -1, 1, 1.5, -0.5, 1e308, -1e308, 2 ** 53 + 2, 2 ** 31, 1e-9, 1999, 2027, 2101, 100_001]);
    case 2:
      return r.pick([true, false]);
    case 3:
      return null;
    case 4:
      return r.uuid();
    case 5:
      return Array.from({ length: r.pick([0, 1, 2, 5, 200]) }, () => junkValue(r, depth + 1));
    default:
      return junkObject(r, depth + 1);
  }
}

/** An object that may carry own keys such as "__proto__" (defineProperty, so JSON.stringify emits them). */
function junkObject(r: Rng, depth: number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = r.int(0, 4); i > 0; i--) setKey(o, r.chance(0.4) ? r.pick(SPECIAL_KEYS) : junkString(r).slice(0, 40), junkValue(r, depth));
  return o;
}

function setKey(o: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

type Schema = Record<string, unknown>;

/** encodeURIComponent, except that a lone surrogate becomes the (invalid UTF-8) bytes it would be. */
const enc = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return `%ED%A0%80${encodeURIComponent(s.replace(/\p{Cs}/gu, '\uFFFD'))}`;
  }
};

/** A value that mostly fits `schema` (from the OpenAPI document), so requests also get past validation. */
function sample(r: Rng, schema: Schema | undefined, depth = 0): unknown {
  if (!schema || depth > 6) return junkValue(r, 4);
  if (schema.nullable && r.chance(0.15)) return null;
  if (Array.isArray(schema.enum)) return r.pick(schema.enum);
  switch (schema.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set((schema.required as string[] | undefined) ?? []);
      for (const [k, s] of Object.entries(props)) if (required.has(k) || r.chance(0.5)) o[k] = sample(r, s, depth + 1);
      return o;
    }
    case 'array': {
      const n = r.int((schema.minItems as number | undefined) ?? 0, Math.min((schema.maxItems as number | undefined) ?? 3, 3));
      return Array.from({ length: n }, () => sample(r, schema.items as Schema, depth + 1));
    }
    case 'integer': {
      const lo = (schema.minimum as number | undefined) ?? 0;
      const hi = Math.min((schema.maximum as number | undefined) ?? lo + 100, lo + 1000);
      return r.int(lo, hi);
    }
    case 'number':
      return r.next() * 100;
    case 'boolean':
      return r.chance(0.5);
    case 'string': {
      if (schema.format === 'uuid') return r.uuid();
      if (schema.format === 'date')
        return `${r.pick(['2025', '2026', '2027'])}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
      if (schema.format === 'date-time') return new Date(Date.UTC(2025, r.int(0, 11), r.int(1, 28))).toISOString();
      if (schema.format === 'email') return `u${r.hex(6)}@example.invalid`;
      if (schema.pattern === '^[0-9]{6}$') return String(r.int(0, 999_999)).padStart(6, '0');
      const min = (schema.minLength as number | undefined) ?? 0;
      const max = Math.min((schema.maxLength as number | undefined) ?? 20, 40);
      if (!schema.pattern && r.chance(0.4)) {
        // Fits the schema's length, but carries what databases and parsers choke on.
        const nasty = r.pick(['a\u0000b', '\u0000', '\ud800x', '😀😀', "x'; --", '\\%_', '\u202e\u200b', '\r\n\t']);
        return nasty.padEnd(Math.max(min, nasty.length), 'x').slice(0, Math.max(max, min, 1));
      }
      const alphabet = schema.pattern ? 'abcdefghijklmnopqrstuvwxyz0123456789' : 'abc数据安全 -_.xyz';
      return Array.from({ length: r.int(min, Math.max(min, max)) }, () => alphabet[r.int(0, alphabet.length - 1)]).join('');
    }
    default:
      return junkValue(r, 4);
  }
}

/** Replaces one random leaf (or adds a key) somewhere inside `value`. */
function mutate(r: Rng, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 0 || r.chance(0.25)) {
      setKey(o, r.chance(0.6) ? r.pick(SPECIAL_KEYS) : junkString(r).slice(0, 30), junkValue(r, 2));
    } else {
      const k = r.pick(keys);
      o[k] = r.chance(0.5) ? mutate(r, o[k]) : junkValue(r, 2);
    }
    return o;
  }
  if (Array.isArray(value) && value.length > 0 && r.chance(0.6)) {
    const i = r.int(0, value.length - 1);
    value[i] = mutate(r, value[i]);
    return value;
  }
  return junkValue(r, 2);
}

const RAW_BODIES = [
  '{',
  '}',
  '{"a":}',
  "{'a':1}",
  '[1,2',
  '"unterminated',
  '{"a":1}{"b":2}',
  '\u0000',
  'nul',
  '1e999999',
  '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'application/json; charset=latin1',
  'application/vnd.api+json',
  '',
];
const LANGS = ['', 'en', 'zh-CN', 'en-US,en;q=0.9', '*', 'xx;q=abc,,;', 'en;q=0'];

interface DocOperation {
  parameters?: { in: string; name: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

describe('randomized robustness (seeded)', () => {
  const PER_ROUTE = 20;

  it(`${PER_ROUTE} junk requests per route never give a 5xx, and every error keeps the contract`, async () => {
    const r = prng(0x5eed_2025);
    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, DocOperation>> };
    // Routes that may end the session all the other requests use (logging out, wrong current passwords
    // or TOTP codes, ending sessions) go last; the rest run on a live session (checked below).
    const risky = (url: string) => /^\/api\/(auth\/logout|me\/(password|totp|sessions))/.test(url);
    const routes = [...h.routes].sort((a, b) => Number(risky(a.url)) - Number(risky(b.url)));
    let checkedSession = false;
    expect(routes.length).toBeGreaterThan(30);

    const failures: string[] = [];
    const tally = { ok: 0, validation: 0, handlerRefusal: 0, other4xx: 0 };
    let sent = 0;

    for (const route of routes) {
      const op = doc.paths[route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.[route.method.toLowerCase()];
      const params = op?.parameters ?? [];
      const bodySchema = op?.requestBody?.content?.['application/json']?.schema;

      if (risky(route.url) && !checkedSession) {
        // Sanity: the admin session survived everything before (so the requests above reached handlers).
        const me = await admin.request('GET', '/api/me');
        expect(me.statusCode, me.body).toBe(200);
        checkedSession = true;
      }

      for (let i = 0; i < PER_ROUTE; i++) {
        // Path: a fitting value, a random (absent) UUID or junk.
        const url = route.url.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
          const schema = params.find((p) => p.in === 'path' && p.name === name)?.schema;
          const v = r.chance(0.3) ? sample(r, schema) : r.chance(0.3) ? r.uuid() : junkString(r).slice(0, r.pick([10, 60, 500]));
          // Now and then raw: undecodable percent-encoding or a segment longer than the router takes.
          if (r.chance(0.08)) return r.pick(['%E0%A4%A', '%', '%zz', '%00', 'a%2Fb', `${'z'.repeat(r.pick([101, 1025, 3000]))}`]);
          return enc(String(v)) || 'x';
        });

        // Query: documented names with fitting or junk values, plus unknown and special keys.
        const query: string[] = [];
        for (const p of params.filter((x) => x.in === 'query')) {
          if (r.chance(0.5)) query.push(`${enc(p.name)}=${enc(String(r.chance(0.7) ? sample(r, p.schema) : junkValue(r, 4)))}`);
        }
        if (r.chance(0.3)) query.push(`${enc(r.pick(SPECIAL_KEYS))}=${enc(junkString(r).slice(0, 200))}`);
        if (r.chance(0.1)) query.push(r.pick(['%E0%A4%A', '%', 'a=%zz', '&&&', '=', 'page[]=1', 'q[__proto__][x]=1']));
        const fullUrl = query.length > 0 ? `${url}?${query.join('&')}` : url;

        // Body: near-valid (schema-guided, then one mutation), junk JSON, or raw text; odd content types.
        let payload: string | undefined;
        let contentType = 'application/json';
        const mode = r.int(0, 9);
        if (mode <= 4 && bodySchema) {
          const value = sample(r, bodySchema);
          payload = JSON.stringify(r.chance(0.5) ? mutate(r, value) : value);
        } else if (mode <= 6) {
          payload = JSON.stringify(junkValue(r));
        } else if (mode === 7) {
          payload = r.pick(RAW_BODIES);
        } else if (mode === 8) {
          payload = JSON.stringify(junkValue(r));
          contentType = r.pick(CONTENT_TYPES);
        }
        if (route.method === 'GET' && r.chance(0.7)) payload = undefined;

        const headers: Record<string, string> = {};
        if (payload !== undefined && contentType) headers['content-type'] = contentType;
        const lang = r.pick(LANGS);
        if (lang) headers['accept-language'] = lang;
        if (r.chance(0.1)) headers['x-request-id'] = r.pick(['short', 'ok-request-id-123', '../../x', 'a'.repeat(100)]);

        const res = await admin.request(route.method, fullUrl, payload, headers);
        sent++;
        const where = `${route.method} ${fullUrl.slice(0, 160)} [${headers['content-type'] ?? '-'}] ${String(payload).slice(0, 160)}`;
        if (res.statusCode >= 500) {
          failures.push(`${res.statusCode} ← ${where}: ${res.body.slice(0, 200)}`);
          continue;
        }
        if (res.statusCode < 400) {
          tally.ok++;
          continue;
        }
        let body: Record<string, unknown> | undefined;
        try {
          body = res.json();
        } catch {
          failures.push(`${res.statusCode} non-JSON error ← ${where}: ${res.body.slice(0, 120)}`);
          continue;
        }
        const shapeOk =
          /^application\/json/.test(String(res.headers['content-type'])) &&
          typeof body?.code === 'string' &&
          body.code.length > 0 &&
          typeof body.message === 'string' &&
          body.message.length > 0 &&
          typeof body.requestId === 'string' &&
          body.requestId.length > 0 &&
          body.requestId === res.headers['x-request-id'] &&
          (body.details === undefined || (typeof body.details === 'object' && body.details !== null));
        if (!shapeOk) failures.push(`${res.statusCode} bad error shape ← ${where}: ${res.body.slice(0, 200)}`);
        if (body?.code === 'VALIDATION_FAILED') tally.validation++;
        else if (res.statusCode === 400 || res.statusCode === 415 || res.statusCode === 413) tally.other4xx++;
        else tally.handlerRefusal++;
      }
    }

    expect(failures).toEqual([]);
    expect(sent).toBe(routes.length * PER_ROUTE);
    // The junk reached every layer: validation, handlers' own refusals (404, 403, 409, 422 …) and success.
    expect(tally.validation).toBeGreaterThan(sent / 4);
    expect(tally.handlerRefusal).toBeGreaterThan(20);
    expect(tally.ok).toBeGreaterThan(20);
    expect(checkedSession).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    // Time grows with the number of routes (20 requests each, a few hundred routes).
  }, 240_000);
});
