// The data-service gateway (LIF-3, LIF-5, LIF-6, PRT-8, PRT-9): a recipient's system with only the grant's
// client credential reads masked, watermarked pages (JSON or CSV), exports, and aggregates with small groups
// suppressed; every refusal answers the right status AND leaves an audit event; revocation acts on the next
// call; a leaked gateway output traces to the grant's recipient; an unwritable audit log sends no data.
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijingDate } from '../../src/engines/workdays/index.ts';
import { DEMO_PASSWORD } from '../../src/modules/org/demo-city.ts';
import type { TraceReport } from '../../src/modules/protection/deliveries.schemas.ts';
import { USAGE_DAYS_KEPT } from '../../src/modules/sharing/gateway.service.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { credentialFor, insertGrant, type SharingFixture, sharingFixture } from '../helpers/sharing.ts';

let h: TestApp;
let f: SharingFixture;
let grantId: string;
let token: string;
const N = 300;
const PURPOSE = 'edu.aid-check';

function call(url: string, tok: string | null = token, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return h.app.inject({ method: 'GET', url, headers: { ...(tok ? { authorization: `Bearer ${tok}` } : {}), ...headers } });
}

/** The audit events of the grant with this action (and refusal code). */
async function events(gid: string, action: string, code?: string) {
  let q = h.t.db.selectFrom('audit_events').selectAll().where('action', '=', action).where(sql<string>`details->>'grantId'`, '=', gid);
  if (code) q = q.where(sql<string>`details->>'code'`, '=', code);
  return q.orderBy('seq').execute();
}

async function expectRefused(res: LightMyRequestResponse, gid: string, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().code).toBe(code);
  expect(res.json().message).toMatch(/[\u4e00-\u9fff]/);
  expect(res.json().rows).toBeUndefined();
  const ev = await events(gid, 'sharing.gateway.denied', code);
  expect(ev.length).toBeGreaterThan(0);
  expect(ev.at(-1)).toMatchObject({ outcome: 'denied' });
}

beforeAll(async () => {
  h = await createTestApp();
  f = await sharingFixture(h, N);
  grantId = await insertGrant(h, f);
  token = (await credentialFor(f.user, grantId)).token;
});
afterAll(() => h.close());

describe('records (LIF-5, PRT-8)', () => {
  it('a page is masked against the stored values, watermarked, audited with the rows, and paging covers every row once', async () => {
    const first = await call(`/api/data-services/${grantId}/records?purpose=${PURPOSE}&limit=100`);
    expect(first.statusCode, first.body).toBe(200);
    const page = first.json();
    expect(page).toMatchObject({ grant: grantId, purpose: PURPOSE, fields: ['sfzh', 'xm', 'qx', 'nl', 'je'], watermarked: true });
    expect(page.rows).toHaveLength(100);
    expect(page.nextCursor).toEqual(expect.any(String));
    // Rows come in store order: row i is person i.
    for (const [i, r] of (page.rows as Record<string, unknown>[]).entries()) {
      const src = f.rows[i] as (typeof f.rows)[number];
      expect(r.sfzh).not.toBe(src.sfzh); // PI masked (sharing scenario)
      expect(r.xm).not.toBe(src.xm);
      expect(r.qx).toBe(src.qx); // kept in clear
      expect(Number(r.nl)).toBe(src.nl);
    }
    // The watermark: some kept numeric cells carry the recipient's mark (the values differ from the stored ones
    // in their last digits, deterministically for this grant).
    const changed = (page.rows as Record<string, unknown>[]).filter((r, i) => String(r.je) !== f.rows[i]?.je).length;
    expect(changed).toBeGreaterThan(0);
    const ev = await events(grantId, 'sharing.gateway.read');
    expect(ev.at(-1)).toMatchObject({ outcome: 'success', target_type: 'data_resource', target_id: f.resourceId, target_institution_id: f.psb });
    expect(ev.at(-1)?.details).toMatchObject({ grantId, rows: 100, purposeCode: PURPOSE, ratePerMinute: 600, fields: ['sfzh', 'xm', 'qx', 'nl', 'je'] });

    const seen: Record<string, unknown>[] = [...page.rows];
    let cursor: string | null = page.nextCursor;
    let pages = 1;
    while (cursor) {
      const res = await call(`/api/data-services/${grantId}/records?purpose=${PURPOSE}&limit=100&cursor=${cursor}`);
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...res.json().rows);
      cursor = res.json().nextCursor;
      pages++;
      expect(pages).toBeLessThan(10);
    }
    expect(seen).toHaveLength(N);
    // Every row exactly once: the (district, age) multiset equals the source's, and the masked IDs are distinct.
    const key = (r: { qx: unknown; nl: unknown }) => `${r.qx}|${Number(r.nl)}`;
    expect(seen.map((r) => key(r as { qx: unknown; nl: unknown })).sort()).toEqual(f.rows.map(key).sort());
    expect(new Set(seen.map((r) => r.sfzh)).size).toBe(N);
    // The same grant masks the same value the same way on every call (pseudonyms are stable per grant).
    const again = (await call(`/api/data-services/${grantId}/records?purpose=${PURPOSE}&limit=100`)).json();
    expect(again.rows).toEqual(page.rows);
  });

  it('fields and filters on kept fields; CSV', async () => {
    const res = await call(`/api/data-services/${grantId}/records?purpose=${PURPOSE}&fields=qx,nl&filter[qx]=海淀区&limit=1000`);
    expect(res.statusCode, res.body).toBe(200);
    const want = f.rows.filter((r) => r.qx === '海淀区');
    expect(res.json().fields).toEqual(['qx', 'nl']);
    expect(res.json().rows).toHaveLength(want.length);
    expect(res.json().rows.map((r: { nl: number }) => Number(r.nl))).toEqual(want.map((r) => r.nl));
    expect(res.json().nextCursor).toBeNull();

    const csv = await call(`/api/data-services/${grantId}/records?purpose=${PURPOSE}&fields=qx,xm&limit=5&format=csv`);
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r\n/);
    expect(lines[0]).toBe('qx,xm');
    expect(lines).toHaveLength(6);
    expect(lines[1]?.split(',')[0]).toBe(f.rows[0]?.qx);
    expect(lines[1]?.split(',')[1]).not.toBe(f.rows[0]?.xm);
  });

  it('the grant row filter limits what any call sees', async () => {
    const g = await insertGrant(h, f, { rowFilter: [{ field: 'qx', op: 'in', values: ['丰台区', '朝阳区'] }] });
    const tok = (await credentialFor(f.user, g)).token;
    const res = await call(`/api/data-services/${g}/records?purpose=${PURPOSE}&limit=1000`, tok);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rows).toHaveLength(f.rows.filter((r) => r.qx === '丰台区' || r.qx === '朝阳区').length);
    expect(new Set(res.json().rows.map((r: { qx: string }) => r.qx))).toEqual(new Set(['丰台区', '朝阳区']));
  });
});

describe('export and aggregates', () => {
  it('export streams every row the grant allows (CSV and JSON Lines), audited with the row count', async () => {
    const csv = await call(`/api/data-services/${grantId}/export?purpose=${PURPOSE}&format=csv`);
    expect(csv.statusCode, csv.body.slice(0, 300)).toBe(200);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r\n/);
    expect(lines[0]).toBe('sfzh,xm,qx,nl,je');
    expect(lines).toHaveLength(N + 1);
    expect(lines.slice(1).some((l) => l.includes(f.rows[0]?.sfzh as string))).toBe(false);
    const jsonl = await call(`/api/data-services/${grantId}/export?purpose=${PURPOSE}&format=jsonl&fields=qx&filter[qx]=东城区`);
    expect(jsonl.statusCode).toBe(200);
    const objs = jsonl.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(objs).toHaveLength(f.rows.filter((r) => r.qx === '东城区').length);
    expect(objs[0]).toEqual({ qx: '东城区' });
    const ev = await events(grantId, 'sharing.gateway.export');
    expect(ev.map((e) => (e.details as { rows: number }).rows)).toEqual([N, objs.length]);
  });

  it('aggregates count, sum and average per group and suppress groups under the minimum size (PRT-9)', async () => {
    const g = await insertGrant(h, f, { aggregateOnly: true, minGroupSize: 15 });
    const tok = (await credentialFor(f.user, g)).token;
    const res = await call(`/api/data-services/${g}/aggregate?purpose=${PURPOSE}&groupBy=qx&metrics=count,sum:je,avg:nl`, tok);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    // 300 rows: 东城 120, 西城 90, 朝阳 60, 海淀 18, 丰台 12 → 丰台 (12 < 15) suppressed.
    expect(body.suppressedGroups).toBe(1);
    expect(body.groups.map((x: { key: { qx: string } }) => x.key.qx)).toEqual(['东城区', '西城区', '朝阳区', '海淀区']);
    expect(JSON.stringify(body)).not.toContain('丰台区');
    const dc = f.rows.filter((r) => r.qx === '东城区');
    const top = body.groups[0];
    expect(top.count).toBe(dc.length);
    expect(top.metrics['sum:je']).toBeCloseTo(
      dc.reduce((s, r) => s + Number(r.je), 0),
      6,
    );
    expect(top.metrics['avg:nl']).toBeCloseTo(dc.reduce((s, r) => s + r.nl, 0) / dc.length, 6);
    expect((await events(g, 'sharing.gateway.aggregate')).at(-1)?.details).toMatchObject({ grantId: g, groups: 4, suppressedGroups: 1 });
    // An aggregate-only grant gives no rows: records and export are refused.
    await expectRefused(await call(`/api/data-services/${g}/records?purpose=${PURPOSE}`, tok), g, 403, 'AGGREGATE_ONLY');
    await expectRefused(await call(`/api/data-services/${g}/export?purpose=${PURPOSE}`, tok), g, 403, 'AGGREGATE_ONLY');
    // Bad metrics: 400 with the field.
    const bad = await call(`/api/data-services/${g}/aggregate?purpose=${PURPOSE}&metrics=max:je`, tok);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.field).toBe('metrics');
    // Grouping by a field outside the grant is refused.
    const g2 = await insertGrant(h, f, { fields: ['qx', 'nl'] });
    const tok2 = (await credentialFor(f.user, g2)).token;
    await expectRefused(await call(`/api/data-services/${g2}/aggregate?purpose=${PURPOSE}&groupBy=xm`, tok2), g2, 403, 'FIELD_NOT_GRANTED');
  });
});

describe('refusals, each audited', () => {
  it('missing, malformed and wrong credentials → 401 INVALID_CLIENT', async () => {
    await expectRefused(await call(`/api/data-services/${grantId}/records?purpose=${PURPOSE}`, null), grantId, 401, 'INVALID_CLIENT');
    await expectRefused(await call(`/api/data-services/${grantId}/records?purpose=${PURPOSE}`, 'shuan_abc'), grantId, 401, 'INVALID_CLIENT');
    const [clientPart] = token.split('.');
    const wrong = `${clientPart}.${'A'.repeat(43)}`;
    await expectRefused(await call(`/api/data-services/${grantId}/records?purpose=${PURPOSE}`, wrong), grantId, 401, 'INVALID_CLIENT');
    // A session cookie is no way in either.
    const viaSession = await h.app.inject({
      method: 'GET',
      url: `/api/data-services/${grantId}/records?purpose=${PURPOSE}`,
      headers: { cookie: f.user.cookie },
    });
    expect(viaSession.statusCode).toBe(401);
  });

  it('a credential of grant X used on grant Y → 404 GRANT_NOT_FOUND; a revoked credential → 401', async () => {
    const other = await insertGrant(h, f);
    await expectRefused(await call(`/api/data-services/${other}/records?purpose=${PURPOSE}`), other, 404, 'GRANT_NOT_FOUND');
    const cred = await credentialFor(f.user, grantId, '临时凭证');
    expect((await call(`/api/data-services/${grantId}/records?purpose=${PURPOSE}&limit=1`, cred.token)).statusCode).toBe(200);
    const del = await f.user.request('DELETE', `/api/share-grants/${grantId}/credentials/${cred.id}`);
    expect(del.statusCode, del.body).toBe(200);
    expect(del.json()).toMatchObject({ status: 'revoked', clientId: cred.clientId });
    await expectRefused(await call(`/api/data-services/${grantId}/records?purpose=${PURPOSE}&limit=1`, cred.token), grantId, 401, 'INVALID_CLIENT');
  });

  it('out of term: expired and not yet started (Beijing dates), and expired status', async () => {
    const expired = await insertGrant(h, f, { termStart: '2020-01-01', termEnd: '2021-12-31' });
    const t1 = (await credentialFor(f.user, expired)).token;
    await expectRefused(await call(`/api/data-services/${expired}/records?purpose=${PURPOSE}`, t1), expired, 403, 'GRANT_EXPIRED');
    const future = await insertGrant(h, f, { termStart: '2098-01-01', termEnd: '2099-12-31' });
    const t2 = (await credentialFor(f.user, future)).token;
    await expectRefused(await call(`/api/data-services/${future}/records?purpose=${PURPOSE}`, t2), future, 403, 'GRANT_NOT_STARTED');
  });

  it('purpose missing or different, field not granted, filter on a masked field', async () => {
    await expectRefused(await call(`/api/data-services/${grantId}/records`), grantId, 403, 'PURPOSE_MISMATCH');
    await expectRefused(await call(`/api/data-services/${grantId}/records?purpose=marketing`), grantId, 403, 'PURPOSE_MISMATCH');
    const narrow = await insertGrant(h, f, { fields: ['qx', 'nl'] });
    const tok = (await credentialFor(f.user, narrow)).token;
    await expectRefused(await call(`/api/data-services/${narrow}/records?purpose=${PURPOSE}&fields=qx,sfzh`, tok), narrow, 403, 'FIELD_NOT_GRANTED');
    expect((await events(narrow, 'sharing.gateway.denied', 'FIELD_NOT_GRANTED')).at(-1)?.details).toMatchObject({ field: 'sfzh' });
    await expectRefused(await call(`/api/data-services/${grantId}/records?purpose=${PURPOSE}&filter[xm]=张伟0`), grantId, 422, 'FILTER_NOT_ALLOWED');
    await expectRefused(await call(`/api/data-services/${narrow}/records?purpose=${PURPOSE}&filter[sfzh]=1`, tok), narrow, 422, 'FILTER_NOT_ALLOWED');
  });

  it('over the rate → 429 RATE_LIMITED with Retry-After; the counter is shared (in the database)', async () => {
    const g = await insertGrant(h, f, { ratePerMinute: 3 });
    const tok = (await credentialFor(f.user, g)).token;
    // Start at the beginning of a minute window so the three calls share it.
    const sec = new Date().getUTCSeconds();
    if (sec > 50) await new Promise((r) => setTimeout(r, (61 - sec) * 1000));
    for (let i = 0; i < 3; i++) expect((await call(`/api/data-services/${g}/records?purpose=${PURPOSE}&limit=1`, tok)).statusCode).toBe(200);
    const res = await call(`/api/data-services/${g}/records?purpose=${PURPOSE}&limit=1`, tok);
    await expectRefused(res, g, 429, 'RATE_LIMITED');
    const after = Number(res.headers['retry-after']);
    expect(after).toBeGreaterThanOrEqual(1);
    expect(after).toBeLessThanOrEqual(60);
    expect((await events(g, 'sharing.gateway.denied', 'RATE_LIMITED')).at(-1)?.details).toMatchObject({ ratePerMinute: 3 });
  }, 30_000);

  it('over the day volume → 429 VOLUME_EXCEEDED; a page takes what is left; an export needs the whole', async () => {
    const g = await insertGrant(h, f, { rowsPerDay: 150 });
    const tok = (await credentialFor(f.user, g)).token;
    await expectRefused(await call(`/api/data-services/${g}/export?purpose=${PURPOSE}`, tok), g, 429, 'VOLUME_EXCEEDED');
    const a = await call(`/api/data-services/${g}/records?purpose=${PURPOSE}&limit=100`, tok);
    expect(a.json().rows).toHaveLength(100);
    const b = await call(`/api/data-services/${g}/records?purpose=${PURPOSE}&limit=100&cursor=${a.json().nextCursor}`, tok);
    expect(b.json().rows).toHaveLength(50);
    const c = await call(`/api/data-services/${g}/records?purpose=${PURPOSE}&limit=100&cursor=${b.json().nextCursor}`, tok);
    await expectRefused(c, g, 429, 'VOLUME_EXCEEDED');
    expect(Number(c.headers['retry-after'])).toBeGreaterThan(0);
    const grant = (await f.user.request('GET', `/api/share-grants/${g}`)).json();
    expect(grant.usage).toEqual({ callsToday: 4, rowsToday: 150 });
  });

  it('old counters are pruned: minute windows after 10 minutes, day windows after USAGE_DAYS_KEPT days; newer ones stay', async () => {
    const g = await insertGrant(h, f);
    const ago = (ms: number) => new Date(Date.now() - ms);
    const day = 86_400_000;
    const rows = [
      { kind: 'minute' as const, window_start: ago(11 * 60_000), old: true },
      { kind: 'minute' as const, window_start: ago(60_000), old: false },
      { kind: 'day' as const, window_start: ago((USAGE_DAYS_KEPT + 1) * day), old: true },
      { kind: 'day' as const, window_start: ago((USAGE_DAYS_KEPT - 1) * day), old: false },
      { kind: 'day' as const, window_start: ago(day), old: false },
    ];
    await h.t.db
      .insertInto('grant_usage')
      .values(rows.map((r) => ({ grant_id: g, kind: r.kind, window_start: r.window_start, calls: 1, rows: 10 })))
      .execute();
    expect(await h.services.gateway.pruneUsage()).toBeGreaterThanOrEqual(2);
    const left = await h.t.db.selectFrom('grant_usage').select(['kind', 'window_start']).where('grant_id', '=', g).orderBy('window_start').execute();
    expect(left.map((r) => [r.kind, r.window_start.getTime()])).toEqual(
      rows
        .filter((r) => !r.old)
        .map((r) => [r.kind, r.window_start.getTime()])
        .sort((a, b) => (a[1] as number) - (b[1] as number)),
    );
  });

  it('a short last page gives back the rows it did not use', async () => {
    const g = await insertGrant(h, f, { rowsPerDay: 1000 });
    const tok = (await credentialFor(f.user, g)).token;
    const res = await call(`/api/data-services/${g}/records?purpose=${PURPOSE}&limit=1000&filter[qx]=丰台区`, tok);
    expect(res.statusCode).toBe(200);
    const grant = (await f.user.request('GET', `/api/share-grants/${g}`)).json();
    expect(grant.usage.rowsToday).toBe(res.json().rows.length);
  });
});

describe('revocation and the audit store', () => {
  it('revocation takes effect on the next call and opens a deletion duty', async () => {
    const g = await insertGrant(h, f);
    const tok = (await credentialFor(f.user, g)).token;
    expect((await call(`/api/data-services/${g}/records?purpose=${PURPOSE}&limit=1`, tok)).statusCode).toBe(200);
    const rev = await f.steward.request('POST', `/api/share-grants/${g}/revoke`, { reason: '使用单位超范围使用数据', case: 'use_beyond_scope' });
    expect(rev.statusCode, rev.body).toBe(200);
    expect(rev.json().grant).toMatchObject({ status: 'revoked', statusReason: '使用单位超范围使用数据' });
    await expectRefused(await call(`/api/data-services/${g}/records?purpose=${PURPOSE}&limit=1`, tok), g, 403, 'GRANT_REVOKED');
    const duty = await h.t.db.selectFrom('deletion_duties').selectAll().where('id', '=', rev.json().deletionDutyId).executeTakeFirstOrThrow();
    expect(duty).toMatchObject({ grant_id: g, case_code: 'use_beyond_scope', holder_institution_id: f.edu });
    // The calls list shows the success and the refusal.
    const calls = await f.user.request('GET', `/api/share-grants/${g}/calls`);
    expect(calls.statusCode).toBe(200);
    expect(calls.json().map((c: { outcome: string; code: string | null }) => `${c.outcome}:${c.code ?? ''}`)).toEqual(['denied:GRANT_REVOKED', 'success:']);
  });

  it('an unwritable audit log → 503 AUDIT_UNAVAILABLE and no rows', async () => {
    await sql`CREATE FUNCTION gw_audit_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit disk full'; END $$`.execute(h.t.db);
    await sql`CREATE TRIGGER gw_audit_down BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION gw_audit_down()`.execute(h.t.db);
    try {
      for (const url of [
        `/api/data-services/${grantId}/records?purpose=${PURPOSE}&limit=10`,
        `/api/data-services/${grantId}/export?purpose=${PURPOSE}`,
        `/api/data-services/${grantId}/records?purpose=nope`,
      ]) {
        const res = await call(url);
        expect(res.statusCode, url).toBe(503);
        expect(res.json().code).toBe('AUDIT_UNAVAILABLE');
        expect(res.body).not.toContain(f.rows[0]?.qx as string);
      }
    } finally {
      await sql`DROP TRIGGER gw_audit_down ON audit_events; DROP FUNCTION gw_audit_down()`.execute(h.t.db);
    }
    expect((await call(`/api/data-services/${grantId}/records?purpose=${PURPOSE}&limit=1`)).statusCode).toBe(200);
  });
});

describe('leak tracing (PRT-8)', () => {
  it('a leaked CSV from the gateway traces to the grant’s recipient', async () => {
    const csv = await call(`/api/data-services/${grantId}/records?purpose=${PURPOSE}&limit=300&format=csv`);
    expect(csv.statusCode).toBe(200);
    // Another grant of the same resource to the same recipient institution is a different candidate.
    const other = await insertGrant(h, f);
    const otherTok = (await credentialFor(f.user, other)).token;
    expect((await call(`/api/data-services/${other}/records?purpose=${PURPOSE}&limit=10`, otherTok)).statusCode).toBe(200);
    const security = await h.login('psb.security');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/trace?fileName=leak.csv',
      headers: { cookie: security.cookie, 'x-csrf-token': security.csrf, 'content-type': 'text/csv' },
      payload: csv.rawPayload,
    });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as TraceReport;
    expect(report.verdict).toBe('attributed');
    expect(report.recipient).toBe('示范市教育局');
    expect(report.resourceId).toBe(f.resourceId);
    const link = await h.t.db.selectFrom('grant_deliveries').select('delivery_id').where('grant_id', '=', grantId).executeTakeFirstOrThrow();
    expect(report.deliveryId).toBe(link.delivery_id);
  });
});

describe('the whole path through the API (LIF-4 → LIF-3)', () => {
  it('apply → provider and authority approve → both sign → credential → a plain HTTP client reads masked rows', async () => {
    const officer = await h.login('city.officer');
    const today = beijingDate(new Date());
    const applied = await f.user.request('POST', '/api/share-requests', {
      resourceId: f.resourceId,
      fields: ['xm', 'qx', 'nl'],
      rowFilter: [{ field: 'qx', op: 'eq', value: '西城区' }],
      purpose: '学生资助资格核验',
      purposeCode: 'edu.aid',
      legalBasis: '《学生资助资金管理办法》',
      scenario: '核验申请资助学生的户籍信息',
      method: 'interface',
      termStart: today,
      termEnd: `${Number(today.slice(0, 4)) + 1}-12-31`,
      securityMeasures: '政务外网专线访问；国密加密存储；最小授权',
      liabilityAccepted: true,
    });
    expect(applied.statusCode, applied.body).toBe(201);
    const rid = applied.json().id as string;
    for (const who of [f.steward, officer]) {
      const d = await who.request('POST', `/api/share-requests/${rid}/decision`, { decision: 'approve', reason: '同意' });
      expect(d.statusCode, d.body).toBe(200);
    }
    const agreementId = (await f.user.request('GET', `/api/share-requests/${rid}`)).json().agreementId as string;
    expect(agreementId).toBeTruthy();
    for (const who of [f.user, f.steward]) {
      const sres = await who.request('POST', `/api/share-agreements/${agreementId}/sign`, { password: DEMO_PASSWORD });
      expect(sres.statusCode, sres.body).toBe(200);
    }
    const g = (await f.user.request('GET', `/api/share-requests/${rid}`)).json().grantId as string;
    expect(g).toBeTruthy();
    const grant = (await f.user.request('GET', `/api/share-grants/${g}`)).json();
    expect(grant).toMatchObject({ status: 'active', purposeCode: 'edu.aid', fields: ['xm', 'qx', 'nl'], recipient: { id: f.edu }, provider: { id: f.psb } });
    const tok = (await credentialFor(f.user, g)).token;
    const res = await call(`/api/data-services/${g}/records?purpose=edu.aid&limit=1000`, tok);
    expect(res.statusCode, res.body).toBe(200);
    const west = f.rows.filter((r) => r.qx === '西城区');
    expect(res.json().rows).toHaveLength(west.length);
    expect(res.json().rows[0]).toEqual({ xm: expect.any(String), qx: '西城区', nl: expect.anything() });
    expect(res.json().rows.map((r: { xm: string }) => r.xm)).not.toContain(west[0]?.xm);
  });
});
