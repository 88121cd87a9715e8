// The dataset store (LIF-13): rows mapped onto the resource's fields and type checked, graded fields sealed
// at rest (CLS-5), all-or-nothing loads whose rejections name line and column but never the value,
// replace / append / upsert with row counts and an order-independent content hash per version, rows read
// back with their integrity checked, and rotation / destruction of the resource's key applied to them.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobRunner } from '../../src/app/workers.ts';
import { uuidv7 } from '../../src/db/ids.ts';
import { loadActor } from '../../src/modules/org/actor.repo.ts';
import type { Actor } from '../../src/modules/org/actor.ts';
import type { LoadSource } from '../../src/modules/protection/datasets.service.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';

let h: TestApp;
let steward: Actor;
let security: Client;
let psb: string;
let resourceId: string;
let resourceName: string;

// 人口基础信息: the resident ID and phone fields are graded important (sealed at rest under the default
// scheme); the name general-2 (clear); counts and dates ungraded fields take the resource's level.
const FIELDS = [
  { name: 'sfzh', dataType: 'string' },
  { name: 'xm', dataType: 'string' },
  { name: 'lxdh', dataType: 'string' },
  { name: 'csrq', dataType: 'date' },
  { name: 'jzdz', dataType: 'text' },
  { name: 'nl', dataType: 'integer' },
] as const;

function source(rows: Record<string, unknown>[], columns?: string[], name = 'rk.csv'): LoadSource {
  return {
    kind: 'csv',
    name,
    columns: columns ?? Object.keys(rows[0] ?? {}),
    rows: (async function* () {
      let line = 0;
      for (const values of rows) yield { line: ++line, values };
    })(),
  };
}

function person(i: number) {
  return {
    sfzh: `1101051949123${String(i).padStart(5, '0')}`,
    xm: `张${i}`,
    lxdh: `138${String(i).padStart(8, '0')}`,
    csrq: '1949-12-31',
    jzdz: `北京市东城区${i}号`,
    nl: String(70 + (i % 5)),
  };
}

async function gradeFields(levels: Record<string, string | null>, resourceLevel: string) {
  for (const [name, level] of Object.entries(levels)) {
    await h.t.db.updateTable('data_fields').set({ level }).where('resource_id', '=', resourceId).where('name', '=', name).execute();
  }
  await h.t.db.updateTable('data_resources').set({ level: resourceLevel, grading_status: 'approved' }).where('id', '=', resourceId).execute();
}

beforeAll(async () => {
  h = await createTestApp();
  psb = await h.inst('示范市公安局');
  const stewardClient = await h.login('psb.steward');
  security = await h.login('psb.security');
  steward = (await loadActor(h.t.db, stewardClient.userId, { ip: null, requestId: null, lang: 'zh' }, { tokenScopes: null, sessionId: null })) as Actor;
  const systemId = uuidv7();
  await h.t.db
    .insertInto('systems')
    .values({
      id: systemId,
      institution_id: psb,
      name: `人口系统${randomBytes(2).toString('hex')}`,
      status: 'accepted',
      trusted_terminals: '[]',
      storage_carriers: '[]',
    })
    .execute();
  resourceName = `人口基础信息${randomBytes(2).toString('hex')}`;
  const res = await stewardClient.request('POST', '/api/resources', {
    systemId,
    name: resourceName,
    shareAttribute: 'unconditional',
    openAttribute: 'not_open',
    fields: FIELDS,
  });
  expect(res.statusCode).toBe(201);
  resourceId = res.json().id;
  await scheme();
});
afterAll(() => h.close());

/** The published scheme's levels that seal (encryptAtRest) and that do not. */
let sealingLevel = '';
let clearLevel = '';
async function scheme() {
  const s = await h.services.scheme.current();
  const entries = Object.entries(s.controls);
  sealingLevel = (entries.find(([, c]) => c.encryptAtRest) as [string, unknown])[0];
  clearLevel = (entries.find(([, c]) => !c.encryptAtRest) as [string, unknown])[0];
}

const rowsOf = async () => {
  const out = [];
  for await (const r of h.services.datasets.openRows(h.t.db, resourceId)) out.push(r.values);
  return out;
};

describe('dataset store', () => {
  it('an ungraded resource is fail safe: every field is sealed, nothing of the data in clear in the database', async () => {
    const v = await h.services.datasets.load(steward, resourceId, source([person(1), person(2)]), { mode: 'replace' });
    expect(v.rowsAdded).toBe(2);
    expect(new Set(v.sealedFields)).toEqual(new Set(FIELDS.map((f) => f.name)));
    const raw = await h.t.db.selectFrom('dataset_rows').select(['clear', 'sealed', 'row_key']).where('resource_id', '=', resourceId).execute();
    const dump = JSON.stringify(raw.map((r) => [r.clear, r.sealed?.toString('latin1')]));
    for (const needle of [person(1).sfzh, person(1).xm, person(1).lxdh, '东城区']) expect(dump).not.toContain(needle);
    expect(await rowsOf()).toEqual([
      { ...person(1), nl: 71 },
      { ...person(2), nl: 72 },
    ]);
  });

  it('graded: only fields whose level requires encryption at rest are sealed (CLS-5)', async () => {
    await gradeFields({ sfzh: sealingLevel, lxdh: sealingLevel, xm: clearLevel, csrq: clearLevel, jzdz: clearLevel, nl: clearLevel }, sealingLevel);
    const v = await h.services.datasets.load(steward, resourceId, source([person(1), person(2), person(3)]), { mode: 'replace', keyField: 'sfzh' });
    expect(new Set(v.sealedFields)).toEqual(new Set(['sfzh', 'lxdh']));
    expect(v.rowsRemoved).toBe(2);
    expect(v.rowCount).toBe(3);
    const raw = await h.t.db.selectFrom('dataset_rows').select(['clear']).where('resource_id', '=', resourceId).execute();
    expect(raw.map((r) => Object.keys(r.clear).sort())).toEqual(Array(3).fill(['csrq', 'jzdz', 'nl', 'xm']));
    expect(JSON.stringify(raw)).not.toContain(person(3).sfzh);
  });

  it('a bad file is refused whole: every problem by line and column, no value echoed, nothing written', async () => {
    const before = await h.services.datasets.info(steward, resourceId);
    const rows = [person(10), { ...person(11), csrq: '1949-02-30' }, { ...person(12), nl: '七十' }, person(10)];
    const err = await h.services.datasets.load(steward, resourceId, source(rows), { mode: 'append' }).catch((e) => e);
    expect(err.code).toBe('DATASET_INVALID');
    expect(err.httpStatus).toBe(422);
    expect(err.details.total).toBe(3);
    expect(err.details.errors.map((e: { line: number; column: string; problem: string }) => [e.line, e.column, e.problem])).toEqual([
      [2, 'csrq', 'not_date'],
      [3, 'nl', 'not_integer'],
      [4, 'sfzh', 'duplicate_key'],
    ]);
    const text = JSON.stringify(err.details) + err.messageZh + err.messageEn;
    for (const v of [person(10).sfzh, '1949-02-30', '七十']) expect(text).not.toContain(v);
    const after = await h.services.datasets.info(steward, resourceId);
    expect(after.version).toBe(before.version);
    expect(after.rowCount).toBe(before.rowCount);
    expect(after.contentHash).toBe(before.contentHash);
  });

  it('unknown columns are refused before reading; a mapping names them', async () => {
    const err = await h.services.datasets.load(steward, resourceId, source([{ 身份证号: '1' }]), { mode: 'append' }).catch((e) => e);
    expect(err.code).toBe('DATASET_UNKNOWN_COLUMNS');
    const mapped = await h.services.datasets.load(steward, resourceId, source([{ 身份证号: person(20).sfzh, 姓名: '王五' }]), {
      mode: 'append',
      mapping: { 身份证号: 'sfzh', 姓名: 'xm' },
    });
    expect(mapped.rowsAdded).toBe(1);
  });

  it('append, then upsert by the key: counts, versions and a content hash that depends only on the rows', async () => {
    const appended = await h.services.datasets.load(steward, resourceId, source([person(4)]), { mode: 'append' });
    expect(appended.rowCount).toBe(5);
    const dup = await h.services.datasets.load(steward, resourceId, source([person(4)]), { mode: 'append' }).catch((e) => e);
    expect(dup.code).toBe('DATASET_INVALID');
    const up = await h.services.datasets.load(steward, resourceId, source([{ ...person(4), xm: '李四' }, person(5)]), { mode: 'upsert' });
    expect([up.rowsAdded, up.rowsUpdated, up.rowCount]).toEqual([1, 1, 6]);
    const rows = await rowsOf();
    expect(rows.find((r) => r.sfzh === person(4).sfzh)?.xm).toBe('李四');

    // The same rows loaded in another order by replace give the same content hash.
    const all = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? '' : String(v)])));
    const replaced = await h.services.datasets.load(steward, resourceId, source([...all].reverse()), { mode: 'replace', keyField: 'sfzh' });
    expect(replaced.contentHash).toBe(up.contentHash);
    const info = await h.services.datasets.info(steward, resourceId);
    expect(info.versions.map((v) => v.mode).slice(0, 3)).toEqual(['replace', 'upsert', 'append']);
    expect(info.rowCount).toBe(6);
  });

  it('a dry run counts and hashes like the real load and writes nothing', async () => {
    const before = await h.services.datasets.info(steward, resourceId);
    const dry = await h.services.datasets.load(steward, resourceId, source([{ ...person(5), xm: '赵六' }, person(6)]), { mode: 'upsert', dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect([dry.rowsAdded, dry.rowsUpdated]).toEqual([1, 1]);
    const after = await h.services.datasets.info(steward, resourceId);
    expect(after.version).toBe(before.version);
    const real = await h.services.datasets.load(steward, resourceId, source([{ ...person(5), xm: '赵六' }, person(6)]), { mode: 'upsert' });
    expect(real.contentHash).toBe(dry.contentHash);
  });

  it('a row altered in the database is refused when read, not served', async () => {
    const one = await h.t.db
      .selectFrom('dataset_rows')
      .select(['id', 'clear'])
      .where('resource_id', '=', resourceId)
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    await h.t.db
      .updateTable('dataset_rows')
      .set({ clear: JSON.stringify({ ...(one.clear as object), xm: '篡改' }) })
      .where('id', '=', one.id)
      .execute();
    await expect(rowsOf()).rejects.toMatchObject({ code: 'DATASET_ROW_TAMPERED' });
    await h.t.db
      .updateTable('dataset_rows')
      .set({ clear: JSON.stringify(one.clear) })
      .where('id', '=', one.id)
      .execute();
    expect((await rowsOf()).length).toBe(7);
  });

  it('after a key rotation old rows still open and new writes use the new key; destruction makes the rows unrecoverable', async () => {
    const rotated = await security.request('POST', `/api/resources/${resourceId}/keys/rotate`);
    expect(rotated.statusCode).toBe(200);
    const v = await h.services.datasets.load(steward, resourceId, source([person(30)]), { mode: 'append' });
    expect(v.keyId).toBe(rotated.json().activeKeyId);
    const info = await h.services.datasets.info(steward, resourceId);
    expect(info.sealedRowsByKey.length).toBe(2);
    expect((await rowsOf()).length).toBe(8);

    // Finishing the move: every sealed row under the active key, in batches, the count going to zero.
    const step = await security.request('POST', `/api/resources/${resourceId}/keys/reencrypt?maxRows=3`);
    expect(step.statusCode).toBe(200);
    expect(step.json()).toMatchObject({ moved: 3, remaining: 4 });
    const stewardClient = await h.login('psb.steward');
    expect((await stewardClient.request('POST', `/api/resources/${resourceId}/keys/reencrypt`)).statusCode).toBe(403);
    const rest = await security.request('POST', `/api/resources/${resourceId}/keys/reencrypt`);
    expect(rest.json()).toMatchObject({ moved: 4, remaining: 0 });
    const moved = await h.services.datasets.info(steward, resourceId);
    expect(moved.sealedRowsByKey).toEqual([{ keyId: rotated.json().activeKeyId, rows: 8 }]);
    expect((await rowsOf()).length).toBe(8);

    // The same move as a background job: rotate again, queue the job, the worker moves every row.
    const rerotated = await security.request('POST', `/api/resources/${resourceId}/keys/rotate`);
    const job = await security.request('POST', `/api/resources/${resourceId}/keys/reencrypt-job`);
    expect(job.statusCode).toBe(202);
    expect((await security.request('POST', `/api/resources/${resourceId}/keys/reencrypt-job`)).statusCode).toBe(409);
    expect(await createJobRunner(h.t.db, h.services).runOnce()).toBe(job.json().id);
    const finished = await security.request('GET', `/api/jobs/${job.json().id}`);
    expect(finished.json()).toMatchObject({ status: 'succeeded', result: { moved: 8, remaining: 0 }, progress: { done: 8, total: 8 } });
    expect((await h.services.datasets.info(steward, resourceId)).sealedRowsByKey).toEqual([{ keyId: rerotated.json().activeKeyId, rows: 8 }]);
    expect((await rowsOf()).length).toBe(8);

    const destroyed = await security.request('POST', `/api/resources/${resourceId}/keys/destroy`, { confirmName: resourceName, reason: '测试销毁' });
    expect(destroyed.statusCode).toBe(200);
    await expect(rowsOf()).rejects.toMatchObject({ code: 'DATA_KEY_DESTROYED' });
    const again = await h.services.datasets.load(steward, resourceId, source([person(31)]), { mode: 'append' }).catch((e) => e);
    expect(again.code).toBe('DATA_KEY_DESTROYED');
  });
});
