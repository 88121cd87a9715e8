// The OpenAPI document (/openapi.json) and Swagger UI (/docs): the document passes a third-party OpenAPI
// validator, documents every /api route with the shared 4xx error body and with the request parts the
// route really validates, and the Swagger UI page loads under the platform's content security policy.

import { randomUUID } from 'node:crypto';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteInfo } from '../../src/app/build-app.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';

interface Parameter {
  in: string;
  name: string;
  required?: boolean;
  schema?: Record<string, unknown>;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
  security?: unknown[];
}
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>> };

let h: TestApp;
let doc: Doc;

beforeAll(async () => {
  h = await createTestApp();
  const res = await h.app.inject({ method: 'GET', url: '/openapi.json' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  doc = res.json();
});
afterAll(() => h.close());

/** '/api/users/:id/roles/:assignmentId' → '/api/users/{id}/roles/{assignmentId}' */
const openapiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const pathParams = (url: string) => [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string);
const operation = (r: RouteInfo) => doc.paths[openapiPath(r.url)]?.[r.method.toLowerCase()];
const label = (r: RouteInfo) => `${r.method} ${r.url}`;

describe('/openapi.json', () => {
  it('passes @seriousme/openapi-schema-validator', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.0');
  });

  it('holds no TypeBox internals (symbols are dropped by JSON; ~kind-style keys and $id must not leak)', () => {
    const leaks: string[] = [];
    const walk = (v: unknown, at: string) => {
      if (Array.isArray(v)) {
        for (const [i, x] of v.entries()) walk(x, `${at}/${i}`);
      } else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k.startsWith('~') || k === '$id' || k === '$schema') leaks.push(`${at}/${k}`);
          walk(x, `${at}/${k}`);
        }
      }
    };
    walk(doc, '');
    expect(leaks).toEqual([]);
  });

  it('is the same document Swagger UI loads', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(doc);
  });

  it('documents every /api route, and only those', () => {
    expect(h.routes.length).toBeGreaterThan(30);
    const missing = h.routes.filter((r) => !operation(r)).map(label);
    expect(missing).toEqual([]);
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    const expected = h.routes.map((r) => `${r.method} ${openapiPath(r.url)}`);
    expect(documented.filter((d) => d.includes(' /api/')).sort()).toEqual([...new Set(expected)].sort());
  });

  it('gives every /api route the shared 4XX error body { code, message, details?, requestId }', () => {
    for (const r of h.routes) {
      const schema = operation(r)?.responses['4XX']?.content?.['application/json']?.schema;
      expect(schema, label(r)).toBeDefined();
      expect(schema?.type, label(r)).toBe('object');
      expect(schema?.required, label(r)).toEqual(expect.arrayContaining(['code', 'message', 'requestId']));
      expect(Object.keys((schema?.properties as object) ?? {}).sort(), label(r)).toEqual(['code', 'details', 'message', 'requestId']);
    }
  });

  it('marks public routes as needing no credentials', () => {
    for (const r of h.routes) {
      const op = operation(r);
      if (r.auth === 'public') expect(op?.security, label(r)).toEqual([]);
      else expect(op?.security, label(r)).toBeUndefined(); // the document-wide session/bearer requirement
    }
  });

  it('documents every path parameter of every route as required', () => {
    for (const r of h.routes) {
      const documented = (operation(r)?.parameters ?? []).filter((p) => p.in === 'path');
      expect(documented.map((p) => p.name).sort(), label(r)).toEqual(pathParams(r.url).sort());
      for (const p of documented) {
        expect(p.required, `${label(r)} ${p.name}`).toBe(true);
        expect(p.schema?.type, `${label(r)} ${p.name}`).toBeDefined();
      }
    }
  });
});

// Which request parts a route validates is observed, not assumed: each validated part refuses a probe
// with 400 VALIDATION_FAILED naming where (details.in). Probes are sent logged in (authentication runs
// first, on request). A probe that a route does not validate reaches the handler, with ids that exist
// nowhere (so 404 and friends); logging out really ends the session, so that route gets its own logins.
describe('request parts the routes declare are in the document', () => {
  const candidates = () => [randomUUID(), '2027', '0123456789abcdef'];
  let admin: Client;
  const spare = ['city.officer', 'district.admin', 'psb.admin', 'psb.security', 'psb.steward', 'city.auditor'];

  beforeAll(async () => {
    admin = await h.login('admin');
  });

  async function send(r: RouteInfo, url: string, body?: unknown): Promise<LightMyRequestResponse> {
    const client = r.url === '/api/auth/logout' ? await h.login(spare.shift() as string) : admin;
    return body === undefined ? client.request(r.method, url) : client.request(r.method, url, JSON.stringify(body), { 'content-type': 'application/json' });
  }
  const refusedIn = (res: LightMyRequestResponse, part: string) =>
    res.statusCode === 400 && res.json().code === 'VALIDATION_FAILED' && res.json().details?.in === part;

  /** The route's URL with path parameters the route accepts (found by trying a few shapes). */
  async function acceptedUrl(r: RouteInfo): Promise<string> {
    let url = r.url;
    for (const name of pathParams(r.url)) {
      let chosen: string | undefined;
      for (const value of candidates()) {
        const probe = url.replace(`:${name}`, value).replace(/:([A-Za-z0-9_]+)/g, () => randomUUID());
        const res = await send(r, probe);
        if (!refusedIn(res, 'params') || res.json().details.field !== name) {
          chosen = value;
          break;
        }
      }
      expect(chosen, `${label(r)}: no accepted value for :${name}`).toBeDefined();
      url = url.replace(`:${name}`, chosen as string);
    }
    return url;
  }

  it('path parameters: every route with one validates it (a bad value is a 400 naming it)', async () => {
    for (const r of h.routes.filter((x) => pathParams(x.url).length > 0)) {
      for (const name of pathParams(r.url)) {
        const res = await send(
          r,
          r.url.replace(`:${name}`, 'not-a-valid-value').replace(/:([A-Za-z0-9_]+)/g, () => randomUUID()),
        );
        expect(refusedIn(res, 'params'), `${label(r)} :${name} → ${res.statusCode} ${res.body}`).toBe(true);
        expect(res.json().details.field).toBe(name);
      }
    }
  });

  it('query strings: documented exactly where the route validates one', async () => {
    for (const r of h.routes) {
      const url = await acceptedUrl(r);
      const res = await send(r, `${url}?zz_probe=1`);
      const validated = refusedIn(res, 'querystring');
      const documented = (operation(r)?.parameters ?? []).filter((p) => p.in === 'query');
      expect(documented.length > 0, `${label(r)}: route validates a query string: ${validated}`).toBe(validated);
      if (validated) {
        // Either the unknown probe is named, or a required parameter the route misses first.
        const field = res.json().details.field;
        if (field !== 'zz_probe') expect(documented.find((p) => p.name === field)?.required, `${label(r)} ?${field}`).toBe(true);
      }
      for (const p of documented) expect(p.schema?.type, `${label(r)} ?${p.name}`).toBeDefined();
    }
  });

  it('request bodies: documented exactly where the route validates one', async () => {
    for (const r of h.routes.filter((x) => x.method !== 'GET')) {
      const url = await acceptedUrl(r);
      const res = await send(r, url, { zz_probe: 1 });
      const validated = refusedIn(res, 'body');
      const op = operation(r);
      expect(!!op?.requestBody, `${label(r)}: route validates a body: ${validated} (${res.statusCode} ${res.body})`).toBe(validated);
      if (!validated) continue;
      expect(op?.requestBody?.required, label(r)).toBe(true);
      const schema = op?.requestBody?.content?.['application/json']?.schema;
      expect(schema?.type, label(r)).toBe('object');
      // Unknown fields are refused, and the document says so.
      expect(schema?.additionalProperties, label(r)).toBe(false);
      expect(Object.keys((schema?.properties as object) ?? {}).length, label(r)).toBeGreaterThan(0);
    }
  });
});

describe('Swagger UI at /docs', () => {
  /** GET, following redirects (relative or absolute Location) within the app. */
  async function get(url: string): Promise<{ res: LightMyRequestResponse; url: string }> {
    let at = url;
    for (let hop = 0; hop < 5; hop++) {
      const res = await h.app.inject({ method: 'GET', url: at });
      if (res.statusCode < 300 || res.statusCode >= 400) return { res, url: at };
      const next = new URL(String(res.headers.location), `http://localhost${at}`);
      expect(next.origin).toBe('http://localhost');
      at = next.pathname + next.search;
    }
    throw new Error(`too many redirects from ${url}`);
  }

  function csp(res: LightMyRequestResponse): Map<string, string[]> {
    const header = String(res.headers['content-security-policy'] ?? '');
    return new Map(
      header
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((parts) => parts[0])
        .map(([name, ...values]) => [(name as string).toLowerCase(), values]),
    );
  }
  const allows = (policy: Map<string, string[]>, directive: string, source: string) =>
    (policy.get(directive) ?? policy.get('default-src') ?? []).includes(source);

  it('answers an HTML page whose scripts, styles and icons load under its CSP', async () => {
    const { res, url } = await get('/docs');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const html = res.body;
    expect(html).toContain('swagger-ui');

    const policy = csp(res);
    expect(policy.size, 'the page must carry a CSP').toBeGreaterThan(0);
    // The platform's policy, not a looser one: no framing, and no upgrade-insecure-requests (which would
    // send every asset request to https:// when the platform is served over plain HTTP).
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.has('upgrade-insecure-requests')).toBe(false);
    expect(allows(policy, 'script-src', "'self'")).toBe(true);
    expect(allows(policy, 'style-src', "'self'")).toBe(true);
    // Swagger UI fetches the document from the same origin and draws its logo from a data: URL.
    expect(allows(policy, 'connect-src', "'self'")).toBe(true);
    expect(allows(policy, 'img-src', 'data:')).toBe(true);

    // No inline script: script-src 'self' would block it (only external <script src> is allowed).
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs, 'inline scripts are blocked by the CSP').toMatch(/\bsrc=/);
      expect((body ?? '').trim()).toBe('');
    }
    const assets = [
      ...scripts.map(([, attrs]) => /\bsrc="([^"]+)"/.exec(attrs ?? '')?.[1]),
      ...[...html.matchAll(/<link\b[^>]*\bhref="([^"]+)"/gi)].map((m) => m[1]),
    ].filter((a): a is string => !!a);
    expect(assets.length).toBeGreaterThanOrEqual(4);

    const base = new URL(url, 'http://localhost');
    for (const asset of assets) {
      const target = new URL(asset, base);
      expect(target.origin, `${asset} must be same-origin ('self')`).toBe('http://localhost');
      const { res: a } = await get(target.pathname);
      expect(a.statusCode, asset).toBe(200);
      const type = String(a.headers['content-type']);
      if (asset.endsWith('.js')) expect(type, asset).toMatch(/javascript/);
      if (asset.endsWith('.css')) expect(type, asset).toMatch(/^text\/css/);
      if (asset.endsWith('.png')) expect(type, asset).toMatch(/^image\/png/);
      expect(a.rawPayload.length, asset).toBeGreaterThan(0);
    }
  });

  it('the initializer script loads the same-origin document', async () => {
    const { res } = await get('/docs/static/swagger-initializer.js');
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/url: resolveUrl\('\.\/json'\)/);
  });
});
