// Masking policies, masked previews, test-data copies and leak tracing (PRT-4, PRT-8, DG-15): defaults from
// the grade, overrides by the security officer, previews that never show a real identifier, test copies
// with values of the right kind but none of the real ones, and a leaked copy traced to its recipient.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/db/ids.ts';
import { loadActor } from '../../src/modules/org/actor.repo.ts';
import type { Actor } from '../../src/modules/org/actor.ts';
import type { DeliveryInfo, TraceReport } from '../../src/modules/protection/deliveries.schemas.ts';
import type { MaskingView } from '../../src/modules/protection/masking.schemas.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';
import { isValidResidentId, residentId } from '../helpers/identifiers.ts';

let h: TestApp;
let steward: Client;
let security: Client;
let stewardActor: Actor;
let resourceId: string;

const N = 400;
const people = Array.from({ length: N }, (_, i) => ({
  sfzh: residentId(`1101051980${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`),
  xm: `${'张王李赵刘陈杨黄'[i % 8]}${'伟芳娜敏静丽强磊'[(i * 3) % 8]}${i}`,
  lxdh: `139${String(10_000_000 + i * 7919).slice(-8)}`,
  je: (1000 + i * 3.25).toFixed(2),
  bz: `第${i}号档案，已核实`,
}));

async function post(client: Client, url: string, body: Buffer, type = 'text/csv') {
  return h.app.inject({ method: 'POST', url, headers: { cookie: client.cookie, 'x-csrf-token': client.csrf, 'content-type': type }, payload: body });
}

beforeAll(async () => {
  h = await createTestApp();
  [steward, security] = await Promise.all([h.login('psb.steward'), h.login('psb.security')]);
  stewardActor = (await loadActor(h.t.db, steward.userId, { ip: null, requestId: null, lang: 'zh' }, { tokenScopes: null, sessionId: null })) as Actor;
  const psb = await h.inst('示范市公安局');
  const systemId = uuidv7();
  await h.t.db
    .insertInto('systems')
    .values({ id: systemId, institution_id: psb, name: '户籍系统', status: 'accepted', trusted_terminals: '[]', storage_carriers: '[]' })
    .execute();
  const res = await steward.request('POST', '/api/resources', {
    systemId,
    name: `户籍人口${randomBytes(2).toString('hex')}`,
    shareAttribute: 'conditional',
    shareBasis: '《示范市公共数据管理办法》第十条',
    openAttribute: 'not_open',
    fields: [
      { name: 'sfzh', dataType: 'string', description: '身份证号' },
      { name: 'xm', dataType: 'string', description: '姓名' },
      { name: 'lxdh', dataType: 'string', description: '联系电话' },
      { name: 'je', dataType: 'decimal', description: '补贴金额' },
      { name: 'bz', dataType: 'text', description: '备注' },
    ],
  });
  resourceId = res.json().id;
  // The approved grading's labels: PI types on the personal fields, levels on all.
  for (const [name, piType, level] of [
    ['sfzh', 'id_number', 'general-4'],
    ['xm', 'name', 'general-3'],
    ['lxdh', 'phone', 'general-3'],
    ['je', null, 'general-2'],
    ['bz', null, 'general-2'],
  ] as const) {
    await h.t.db.updateTable('data_fields').set({ pi_type: piType, level }).where('resource_id', '=', resourceId).where('name', '=', name).execute();
  }
  await h.t.db.updateTable('data_resources').set({ level: 'general-4', grading_status: 'approved' }).where('id', '=', resourceId).execute();
  const csv = `sfzh,xm,lxdh,je,bz\n${people.map((p) => [p.sfzh, p.xm, p.lxdh, p.je, p.bz].join(',')).join('\n')}\n`;
  const load = await post(steward, `/api/resources/${resourceId}/dataset?mode=replace&keyField=sfzh&fileName=hj.csv`, Buffer.from(csv));
  expect(load.statusCode).toBe(200);
});
afterAll(() => h.close());

describe('masking policy', () => {
  it('defaults follow the labels and the grade: partial masks on display, fake values of the same kind for test copies', async () => {
    const res = await steward.request('GET', `/api/resources/${resourceId}/masking`);
    expect(res.statusCode).toBe(200);
    const view = res.json() as MaskingView;
    expect(view.fields.find((f) => f.name === 'sfzh')?.target).toBe('resident_id');
    expect(view.fields.find((f) => f.name === 'lxdh')?.target).toBe('mobile');
    const rule = (scenario: string, field: string) => view.scenarios.find((s) => s.scenario === scenario)?.fields.find((f) => f.name === field);
    expect(rule('display', 'sfzh')?.rule.method).toBe('partial');
    expect(rule('test', 'sfzh')?.rule.method).toBe('token');
    expect(rule('open', 'xm')?.rule.method).toBe('suppress');
    expect(rule('display', 'sfzh')?.source).toBe('default');
  });

  it('the security officer overrides a rule; a stale version is refused; an impossible rule is refused with the field', async () => {
    const denied = await steward.request('PUT', `/api/resources/${resourceId}/masking`, { version: 0, rules: { display: { bz: { method: 'suppress' } } } });
    expect(denied.statusCode).toBe(403);
    const ok = await security.request('PUT', `/api/resources/${resourceId}/masking`, { version: 0, rules: { display: { bz: { method: 'suppress' } } } });
    expect(ok.statusCode).toBe(200);
    const view = ok.json() as MaskingView;
    expect(view.version).toBe(1);
    expect(view.scenarios.find((s) => s.scenario === 'display')?.fields.find((f) => f.name === 'bz')).toMatchObject({
      rule: { method: 'suppress' },
      source: 'override',
    });
    const stale = await security.request('PUT', `/api/resources/${resourceId}/masking`, { version: 0, rules: { display: { bz: null } } });
    expect(stale.statusCode).toBe(409);
    const bad = await security.request('PUT', `/api/resources/${resourceId}/masking`, { version: 1, rules: { display: { je: { method: 'token' } } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('MASKING_POLICY_INVALID');
    expect(bad.json().details.errors[0], JSON.stringify(bad.json())).toMatchObject({ scenario: 'display', field: 'je' });
    const back = await security.request('PUT', `/api/resources/${resourceId}/masking`, { version: 1, rules: { display: { bz: null } } });
    expect(
      back
        .json()
        .scenarios.find((s: { scenario: string }) => s.scenario === 'display')
        .fields.find((f: { name: string }) => f.name === 'bz').source,
    ).toBe('default');
  });

  it('the preview shows masked rows only, and is audited', async () => {
    const res = await steward.request('GET', `/api/resources/${resourceId}/dataset/preview?limit=5`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(N);
    expect(body.rows).toHaveLength(5);
    const first = body.rows[0];
    expect(first.sfzh).toBe(`${people[0]?.sfzh.slice(0, 6)}********${people[0]?.sfzh.slice(-4)}`);
    expect(first.lxdh).toMatch(/^139\*{4}\d{4}$/);
    for (const p of people.slice(0, 5)) expect(JSON.stringify(body.rows)).not.toContain(p.sfzh);
    const audited = await h.t.db
      .selectFrom('audit_events')
      .select('id')
      .where('action', '=', 'protection.dataset.preview')
      .where('target_id', '=', resourceId)
      .execute();
    expect(audited.length).toBeGreaterThan(0);
    expect((await (await h.login('edu.user')).request('GET', `/api/resources/${resourceId}/dataset/preview`)).statusCode).toBe(404);
  });
});

describe('test-data copies and leak tracing (DG-15, PRT-8)', () => {
  const copies: { id: string; recipient: string; rows: Record<string, string>[] }[] = [];

  it('a test copy has values of the right kind and none of the real ones; every copy differs', async () => {
    for (const recipient of ['测试环境甲（东软）', '测试环境乙（浪潮）', '开发环境丙']) {
      const res = await steward.request('POST', `/api/resources/${resourceId}/deliveries`, {
        scenario: 'test',
        recipient,
        purpose: '系统联调测试',
        format: 'csv',
      });
      expect(res.statusCode).toBe(200);
      const id = res.headers['x-delivery-id'] as string;
      const text = res.body.replace(/^\uFEFF/, '');
      const [head, ...lines] = text.trim().split('\r\n');
      const cols = (head as string).split(',');
      const rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i] as string, v])));
      expect(rows).toHaveLength(N);
      for (const p of people) {
        expect(text).not.toContain(p.sfzh);
        expect(text).not.toContain(p.lxdh);
      }
      expect(rows.every((r) => isValidResidentId(r.sfzh as string))).toBe(true);
      expect(rows.every((r) => /^1[3-9]\d{9}$/.test(r.lxdh as string))).toBe(true);
      copies.push({ id, recipient, rows });
    }
    expect(copies[0]?.rows[0]?.sfzh).not.toBe(copies[1]?.rows[0]?.sfzh);
    const list = (await security.request('GET', `/api/resources/${resourceId}/deliveries`)).json() as DeliveryInfo[];
    expect(list.map((d) => d.recipient).sort()).toEqual(copies.map((c) => c.recipient).sort());
    expect(list.every((d) => d.watermark.traceable && d.rowCount === N && /^[0-9a-f]{64}$/.test(d.fileSm3))).toBe(true);
    expect(JSON.stringify(list)).not.toMatch(/markKey|mask_key|mark_key/);
  });

  async function trace(rows: Record<string, string>[], columns: string[]) {
    const csv = `${columns.join(',')}\n${rows.map((r) => columns.map((c) => r[c] ?? '').join(',')).join('\n')}\n`;
    const res = await post(security, '/api/trace?fileName=leak.csv', Buffer.from(csv));
    expect(res.statusCode).toBe(200);
    return res.json() as TraceReport;
  }

  it('100 leaked rows of a copy, shuffled, some columns dropped, are traced to its recipient', async () => {
    for (const copy of copies) {
      const sample = [...copy.rows].sort(() => Math.random() - 0.5).slice(0, 100);
      const report = await trace(sample, ['xm', 'sfzh', 'bz']);
      expect(report.verdict, JSON.stringify(report)).toBe('attributed');
      expect(report.deliveryId).toBe(copy.id);
      expect(report.recipient).toBe(copy.recipient);
      expect(report.confidence).toBeGreaterThan(0.999999);
    }
  });

  it('the real data, a handful of rows or an unrelated file are never attributed', async () => {
    const real = people.slice(0, 100).map((p) => ({ ...p }));
    expect((await trace(real as unknown as Record<string, string>[], ['sfzh', 'xm', 'lxdh'])).verdict).toBe('undetermined');
    expect((await trace((copies[0] as (typeof copies)[number]).rows.slice(0, 5), ['sfzh', 'xm'])).verdict).toBe('undetermined');
    const unrelated = await trace([{ a: '1', b: '2' }], ['a', 'b']);
    expect(unrelated.verdict).toBe('undetermined');
    expect(unrelated.candidates).toBe(0);
  });

  it('tracing is audited; a caller outside the institution sees none of its deliveries', async () => {
    const events = await h.t.db.selectFrom('audit_events').select('details').where('action', '=', 'protection.trace').execute();
    expect(events.length).toBeGreaterThanOrEqual(6);
    const edu = await h.login('edu.user');
    const csv = `sfzh,xm\n${(copies[0] as (typeof copies)[number]).rows
      .slice(0, 100)
      .map((r) => `${r.sfzh},${r.xm}`)
      .join('\n')}\n`;
    const res = await post(edu, '/api/trace?fileName=leak.csv', Buffer.from(csv));
    expect(res.statusCode).toBe(403);
  });

  it('a delivery reads the dataset through the service: none before any data is loaded', async () => {
    const empty = await h.t.db
      .selectFrom('data_resources')
      .select('id')
      .where('id', '!=', resourceId)
      .where('institution_id', '=', await h.inst('示范市公安局'))
      .executeTakeFirst();
    if (empty) {
      const res = await h.services.deliveries.create(stewardActor, empty.id, { scenario: 'test', recipient: 'x', purpose: 'y', format: 'csv' }).catch((e) => e);
      expect(res.code).toBe('DATASET_EMPTY');
    }
  });
});

describe('k-anonymity before opening (LIF-7)', () => {
  it('distinct amounts are not 5-anonymous; the search finds the band width that is, and no value leaves', async () => {
    const res = await steward.request('POST', `/api/resources/${resourceId}/anonymity`, {
      quasiIdentifiers: [{ field: 'je', hierarchy: { type: 'number', widths: [10, 100, 1000] } }],
      k: 5,
    });
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.current).toMatchObject({ rows: N, classes: N, smallestClass: 1, kAnonymous: false });
    expect(r.search.found).toBe(true);
    // Amounts step by 3.25: bands of 10 hold 3 or 4 rows (< 5), bands of 100 about 30.
    expect(r.search.best.levels.je).toBe(2);
    expect(r.search.best.smallestClass).toBeGreaterThanOrEqual(5);
    for (const p of people.slice(0, 20)) expect(res.body).not.toContain(p.je);
    const bad = await steward.request('POST', `/api/resources/${resourceId}/anonymity`, {
      quasiIdentifiers: [{ field: 'nope', hierarchy: { type: 'date' } }],
      k: 5,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('FIELD_UNKNOWN');
  });
});
