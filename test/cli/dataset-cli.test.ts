// `shuan dataset load|info` and `shuan keys status|rotate` as an operator runs them (LIF-13, PRT-5): exit 0
// with a summary, exit 2 and one line on bad input (a broken file, a bad value), JSON on request.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/db/ids.ts';
import { seedDemoCity } from '../../src/modules/org/demo-seed.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { residentId } from '../helpers/identifiers.ts';

let t: TestDatabase;
const dir = mkdtempSync(join(tmpdir(), 'shuan-dataset-cli-'));
const KEK = randomBytes(32).toString('hex');
const RESOURCE = `人口基础信息${randomBytes(2).toString('hex')}`;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoCity(t.db);
  const psb = (await t.db.selectFrom('institutions').select('id').where('name', '=', '示范市公安局').executeTakeFirstOrThrow()).id;
  const systemId = uuidv7();
  await t.db
    .insertInto('systems')
    .values({ id: systemId, institution_id: psb, name: '人口系统', status: 'accepted', trusted_terminals: '[]', storage_carriers: '[]' })
    .execute();
  const resourceId = uuidv7();
  await t.db
    .insertInto('data_resources')
    .values({
      id: resourceId,
      institution_id: psb,
      system_id: systemId,
      name: RESOURCE,
      share_attribute: 'unconditional',
      open_attribute: 'not_open',
      collection: '{}',
    })
    .execute();
  await t.db
    .insertInto('data_fields')
    .values([
      { id: uuidv7(), resource_id: resourceId, institution_id: psb, position: 1, name: 'sfzh', data_type: 'string', description: null },
      { id: uuidv7(), resource_id: resourceId, institution_id: psb, position: 2, name: 'xm', data_type: 'string', description: null },
      { id: uuidv7(), resource_id: resourceId, institution_id: psb, position: 3, name: 'csrq', data_type: 'date', description: null },
    ])
    .execute();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t.drop();
});

function shuan(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/shuan.mjs', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: t.url, SHUAN_KEK: KEK, NO_COLOR: '1' },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('shuan dataset and keys', () => {
  it('loads a CSV, upserts a JSON Lines file, and reports as JSON', () => {
    const csv = join(dir, 'rk.csv');
    writeFileSync(csv, 'sfzh,xm,csrq\n11010519491231002X,张三,1949-12-31\n440524188001010014,李四,1880-01-01\n');
    const r = shuan('dataset', 'load', csv, '--resource', RESOURCE, '--mode', 'replace', '--key-field', 'sfzh');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('v1');
    const jsonl = join(dir, 'rk.jsonl');
    writeFileSync(jsonl, '{"sfzh":"11010519491231002X","xm":"张三丰","csrq":"1949-12-31"}\n');
    const up = shuan('dataset', 'load', jsonl, '--resource', RESOURCE, '--mode', 'upsert', '--format', 'json');
    expect(up.code, up.err).toBe(0);
    expect(JSON.parse(up.out)).toMatchObject({ version: 2, rowsUpdated: 1, rowCount: 2, sourceName: 'rk.jsonl' });
    const info = shuan('dataset', 'info', '--resource', RESOURCE, '--format', 'json');
    expect(JSON.parse(info.out).versions.map((v: { mode: string }) => v.mode)).toEqual(['upsert', 'replace']);
  });

  it('bad input: exit 2 and one line, nothing written; --format json lists every problem', () => {
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, 'sfzh,xm\n1,"unclosed\n');
    const r = shuan('dataset', 'load', broken, '--resource', RESOURCE, '--mode', 'append');
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'sfzh,csrq\n310101199001011234,1990-02-30\n310101199001011235,1990-13-01\n');
    const j = shuan('dataset', 'load', bad, '--resource', RESOURCE, '--mode', 'append', '--format', 'json');
    expect(j.code).toBe(2);
    const report = JSON.parse(j.out);
    expect(report.code).toBe('DATASET_INVALID');
    expect(report.errors.map((e: { line: number }) => e.line)).toEqual([1, 2]);
    expect(j.out).not.toContain('310101199001011234');
    expect(shuan('dataset', 'load', join(dir, 'missing.csv'), '--resource', RESOURCE, '--mode', 'append').code).toBe(2);
    expect(shuan('dataset', 'load', broken, '--resource', '没有这个资源', '--mode', 'append').code).toBe(2);
    const info = JSON.parse(shuan('dataset', 'info', '--resource', RESOURCE, '--format', 'json').out);
    expect(info.version).toBe(2);
  });

  it('rotates the key and re-encrypts the rows under it', () => {
    const r = shuan('keys', 'rotate', '--resource', RESOURCE, '--reencrypt', '--format', 'json');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.reencrypted).toBe(2);
    expect(out.keys.map((k: { status: string }) => k.status)).toEqual(['active', 'retired']);
    const info = JSON.parse(shuan('dataset', 'info', '--resource', RESOURCE, '--format', 'json').out);
    expect(info.sealedRowsByKey).toEqual([{ keyId: out.activeKeyId, rows: 2 }]);
  });

  it('shuan mask writes a test copy with no real value; shuan trace names its recipient', async () => {
    const big = join(dir, 'big.csv');
    const lines = ['sfzh,xm,csrq'];
    for (let i = 0; i < 300; i++) {
      const id = residentId(`110105198${i % 10}0${1 + (i % 9)}1${i % 10}${String(i).padStart(3, '0')}`);
      lines.push(`${id},姓名${i},1980-01-0${1 + (i % 9)}`);
    }
    writeFileSync(big, `${lines.join('\n')}\n`);
    // Graded (an ungraded resource is fail safe: a test copy would be all suppressed).
    const rid = (await t.db.selectFrom('data_resources').select('id').where('name', '=', RESOURCE).executeTakeFirstOrThrow()).id;
    for (const [name, piType, level] of [
      ['sfzh', 'id_number', 'general-4'],
      ['xm', 'name', 'general-3'],
      ['csrq', 'birth_date', 'general-3'],
    ] as const) {
      await t.db.updateTable('data_fields').set({ pi_type: piType, level }).where('resource_id', '=', rid).where('name', '=', name).execute();
    }
    await t.db.updateTable('data_resources').set({ level: 'general-4', grading_status: 'approved' }).where('id', '=', rid).execute();
    expect(shuan('dataset', 'load', big, '--resource', RESOURCE, '--mode', 'replace', '--key-field', 'sfzh').code).toBe(0);
    const out = join(dir, 'copy.csv');
    const m = shuan('mask', '--resource', RESOURCE, '--scenario', 'test', '--out', out, '--recipient', '测试环境甲', '--format', 'json');
    expect(m.code, m.err).toBe(0);
    expect(JSON.parse(m.out)).toMatchObject({ file: out, rowCount: 300, recipient: '测试环境甲' });
    const copy = readFileSync(out, 'utf8');
    for (const l of lines.slice(1, 50)) expect(copy).not.toContain(l.split(',')[0] as string);
    const t1 = shuan('trace', out, '--format', 'json');
    expect(t1.code, t1.err).toBe(0);
    expect(JSON.parse(t1.out), t1.out).toMatchObject({ verdict: 'attributed', recipient: '测试环境甲' });
    const t2 = shuan('trace', big, '--format', 'json');
    expect(JSON.parse(t2.out).verdict).toBe('undetermined');
    expect(shuan('trace', join(dir, 'nope.csv')).code).toBe(2);
    expect(shuan('mask', '--resource', RESOURCE, '--out', join(dir, 'x.txt')).code).toBe(2);
  });
});
