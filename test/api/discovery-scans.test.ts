// Scan jobs on a resource's dataset (issue 4): queued by the steward, run by the background worker with
// progress, one at a time per resource, taken up again after a worker died, results per column without any
// value, and acceptance feeding the PI inventory (AST-11) with the reviewer's labels kept for grading.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobRunner } from '../../src/app/workers.ts';
import { uuidv7 } from '../../src/db/ids.ts';
import type { Job } from '../../src/modules/jobs/jobs.schemas.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';
import { residentId } from '../helpers/identifiers.ts';

let h: TestApp;
let steward: Client;
let resourceId: string;
const N = 300;
// 300 rows for 150 people (each twice), a phone each, and a column of order numbers.
const rows = Array.from({ length: N }, (_, i) => ({
  sfzh: residentId(
    `4401061990${String(1 + (Math.floor(i / 2) % 12)).padStart(2, '0')}${String(1 + (Math.floor(i / 2) % 28)).padStart(2, '0')}${String(Math.floor(i / 2)).padStart(3, '0')}`,
  ),
  lxdh: `137${String(20_000_000 + i * 3331).slice(-8)}`,
  ddbh: `DD${String(100000 + i)}`,
}));

beforeAll(async () => {
  h = await createTestApp();
  steward = await h.login('psb.steward');
  const psb = await h.inst('示范市公安局');
  const systemId = uuidv7();
  await h.t.db
    .insertInto('systems')
    .values({ id: systemId, institution_id: psb, name: '扫描系统', status: 'accepted', trusted_terminals: '[]', storage_carriers: '[]' })
    .execute();
  const res = await steward.request('POST', '/api/resources', {
    systemId,
    name: `办件记录${randomBytes(2).toString('hex')}`,
    shareAttribute: 'unconditional',
    openAttribute: 'not_open',
    fields: [
      { name: 'sfzh', dataType: 'string' },
      { name: 'lxdh', dataType: 'string' },
      { name: 'ddbh', dataType: 'string' },
    ],
  });
  resourceId = res.json().id;
  const csv = `sfzh,lxdh,ddbh\n${rows.map((r) => `${r.sfzh},${r.lxdh},${r.ddbh}`).join('\n')}\n`;
  const load = await h.app.inject({
    method: 'POST',
    url: `/api/resources/${resourceId}/dataset?mode=replace&fileName=bj.csv`,
    headers: { cookie: steward.cookie, 'x-csrf-token': steward.csrf, 'content-type': 'text/csv' },
    payload: csv,
  });
  expect(load.statusCode).toBe(200);
});
afterAll(() => h.close());

describe('scan jobs', () => {
  let job: Job;

  it('the steward queues a scan; a second one waits for the first (409)', async () => {
    const res = await steward.request('POST', `/api/resources/${resourceId}/scans`, {});
    expect(res.statusCode).toBe(202);
    job = res.json();
    expect(job).toMatchObject({ kind: 'discovery.scan', status: 'queued', resourceId });
    const again = await steward.request('POST', `/api/resources/${resourceId}/scans`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('SCAN_RUNNING');
  });

  it('the worker runs it (also after a worker died mid-scan): per-column proposals and counts, no values', async () => {
    // A worker took it and died: its lease ran out.
    await h.t.db
      .updateTable('jobs')
      .set({ status: 'running', lease_owner: 'gone', lease_until: new Date(Date.now() - 1000), attempts: 1 })
      .where('id', '=', job.id)
      .execute();
    expect(await createJobRunner(h.t.db, h.services).runOnce()).toBe(job.id);
    const res = await steward.request('GET', `/api/resources/${resourceId}/scans`);
    const done = (res.json() as Job[])[0] as Job;
    expect(done).toMatchObject({ id: job.id, status: 'succeeded', attempts: 2, progress: { done: N, total: N } });
    const result = done.result as {
      rows: number;
      columns: { name: string; hits: Record<string, number>; types: { type: string }[]; piTypes: string[] }[];
      summary: { rowsWithPi: number; people: number };
    };
    expect(result.rows).toBe(N);
    const col = (n: string) => result.columns.find((c) => c.name === n);
    expect(col('sfzh')?.types[0]?.type).toBe('CN_RESIDENT_ID');
    expect(col('sfzh')?.hits.CN_RESIDENT_ID).toBe(N);
    expect(col('sfzh')?.piTypes).toContain('id_number');
    expect(col('lxdh')?.types[0]?.type).toBe('CN_MOBILE');
    expect(col('ddbh')?.types).toEqual([]);
    expect(result.summary.rowsWithPi).toBe(N);
    // Distinct people from the ID numbers (an estimate): about 150, never 300.
    expect(result.summary.people).toBeGreaterThan(140);
    expect(result.summary.people).toBeLessThan(160);
    expect(res.body).not.toContain(rows[0]?.sfzh);
    expect(res.body).not.toContain(rows[0]?.lxdh);
  });

  it('acceptance records the PI inventory from the scan and keeps the confirmed labels; audited', async () => {
    const res = await steward.request('POST', `/api/resources/${resourceId}/scans/${job.id}/accept`, {
      fields: [
        { name: 'sfzh', piType: 'id_number', piSensitive: false, level: 'general-4' },
        { name: 'lxdh', piType: 'phone', piSensitive: false, level: 'general-3' },
      ],
      updateInventory: true,
    });
    expect(res.statusCode).toBe(200);
    expect((res.json() as Job).result?.accepted).toMatchObject({ inventory: true });
    const r = await h.t.db.selectFrom('data_resources').select(['pi_records', 'pi_people', 'pi_source']).where('id', '=', resourceId).executeTakeFirstOrThrow();
    expect(r.pi_records).toBe(N);
    expect(r.pi_source).toBe('discovery');
    expect(r.pi_people).toBeGreaterThan(140);
    const bad = await steward.request('POST', `/api/resources/${resourceId}/scans/${job.id}/accept`, {
      fields: [{ name: 'nope', piType: null, piSensitive: false, level: null }],
      updateInventory: false,
    });
    expect(bad.statusCode).toBe(422);
    const audit = await h.t.db.selectFrom('audit_events').select('action').where('target_id', '=', resourceId).where('action', 'like', 'discovery.%').execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['discovery.scan.accept', 'discovery.scan.start']);
  });

  it('a scan can be cancelled; a resource without data cannot be scanned', async () => {
    const res = await steward.request('POST', `/api/resources/${resourceId}/scans`, { sample: 50 });
    expect(res.statusCode).toBe(202);
    const cancelled = await steward.request('POST', `/api/jobs/${res.json().id}/cancel`);
    expect(cancelled.json().status).toBe('cancelled');
    expect(await createJobRunner(h.t.db, h.services).runOnce()).toBeNull();
    const other = await h.t.db.selectFrom('data_resources').select('id').where('id', '!=', resourceId).executeTakeFirst();
    if (other) {
      const none = await h.services.discovery
        .start(await (async () => (await import('../../src/cli/system-actor.ts')).systemActor(null))(), other.id, {})
        .catch((e) => e);
      expect(none.code).toBe('DATASET_EMPTY');
    }
  });
});

describe('custom recognizers (added by the authority without a release)', () => {
  const SOCIAL = { id: 'X_SOCIAL_CARD', name: '社会保障卡号', pattern: '[A-Z]\\d{8}', columnHints: ['sbkh', '社保卡'], hintOnly: true, piType: 'id_number' };

  it('only the authority saves them; unsafe or malformed ones are refused with the field; versions guard edits', async () => {
    const admin = await h.login('city.admin');
    expect((await steward.request('PUT', '/api/discovery/recognizers', { version: 0, recognizers: [SOCIAL] })).statusCode).toBe(403);
    const unsafe = await admin.request('PUT', '/api/discovery/recognizers', { version: 0, recognizers: [{ id: 'X_BAD', name: '坏', pattern: '(a+)+b' }] });
    expect(unsafe.statusCode).toBe(400);
    expect(unsafe.json().code).toBe('RECOGNIZERS_INVALID');
    expect(unsafe.json().details.errors[0].field).toBe('recognizers.0.pattern');
    const ok = await admin.request('PUT', '/api/discovery/recognizers', { version: 0, recognizers: [SOCIAL] });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ version: 1, recognizers: [{ id: 'X_SOCIAL_CARD' }] });
    expect((await admin.request('PUT', '/api/discovery/recognizers', { version: 0, recognizers: [] })).statusCode).toBe(409);
    expect((await steward.request('GET', '/api/discovery/recognizers')).json().version).toBe(1);
  });

  it('scans use them', async () => {
    const psb = await h.inst('示范市公安局');
    const systemId = uuidv7();
    await h.t.db
      .insertInto('systems')
      .values({ id: systemId, institution_id: psb, name: '社保系统', status: 'accepted', trusted_terminals: '[]', storage_carriers: '[]' })
      .execute();
    const res = await steward.request('POST', '/api/resources', {
      systemId,
      name: `参保信息${randomBytes(2).toString('hex')}`,
      shareAttribute: 'unconditional',
      openAttribute: 'not_open',
      fields: [{ name: 'sbkh', dataType: 'string' }],
    });
    const id = res.json().id as string;
    const csv = `sbkh\n${Array.from({ length: 60 }, (_, i) => `A${String(10_000_000 + i * 7)}`).join('\n')}\n`;
    const load = await h.app.inject({
      method: 'POST',
      url: `/api/resources/${id}/dataset?mode=replace`,
      headers: { cookie: steward.cookie, 'x-csrf-token': steward.csrf, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(load.statusCode).toBe(200);
    const job = (await steward.request('POST', `/api/resources/${id}/scans`, {})).json() as Job;
    await createJobRunner(h.t.db, h.services).runOnce();
    const done = (await steward.request('GET', `/api/jobs/${job.id}`)).json() as Job;
    const columns = (done.result?.columns ?? []) as { name: string; types: { type: string }[] }[];
    const col = columns[0];
    expect(col?.types[0]?.type).toBe('X_SOCIAL_CARD');
  });
});
