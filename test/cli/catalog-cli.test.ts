// `shuan catalog import|export` against a test database, as an operator runs them: exit 0 on success, 2 with
// one readable line on bad input (and the full error list with --format json), files written with --out.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCity } from '../../src/modules/org/demo-seed.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let t: TestDatabase;
let dir: string;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoCity(t.db);
  dir = mkdtempSync(join(tmpdir(), 'shuan-catalog-cli-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t.drop();
});

function shuan(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/shuan.mjs', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: t.url, NO_COLOR: '1' },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function xlsxFile(name: string, sheets: Record<string, (string | number | null)[][]>): Promise<string> {
  const wb = new ExcelJS.Workbook();
  for (const [sheet, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(sheet);
    for (const r of rows) ws.addRow(r);
  }
  const path = join(dir, name);
  writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
  return path;
}

async function counts() {
  const n = async (table: 'systems' | 'data_resources' | 'data_fields') =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { systems: await n('systems'), resources: await n('data_resources'), fields: await n('data_fields') };
}

const GOOD = {
  系统: [
    ['系统名称', '说明'],
    ['交通卡口系统', '道路卡口过车记录'],
  ],
  数据资源: [
    ['系统名称', '资源名称', '共享属性', '共享依据', '开放属性', '更新频率'],
    ['交通卡口系统', '卡口过车记录', '受限共享', '《道路交通安全法》', '不予开放', '实时'],
  ],
  数据项: [
    ['资源名称', '字段名称', '数据类型', '说明'],
    ['卡口过车记录', '号牌号码', '字符型', null],
    ['卡口过车记录', '通过时间', 'timestamp', null],
  ],
};

describe('shuan catalog', () => {
  it('lists its commands', () => {
    const r = shuan('catalog', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('import');
    expect(r.out).toContain('export');
  });

  it('dry-runs, then imports a good file (exit 0), audited as the operator', async () => {
    const file = await xlsxFile('good.xlsx', GOOD);
    const before = await counts();
    const dry = shuan('catalog', 'import', file, '--institution', '示范市公安局', '--dry-run', '--format', 'json');
    expect(dry.code, dry.err).toBe(0);
    expect(JSON.parse(dry.out)).toMatchObject({ dryRun: true, created: { systems: 1, resources: 1, fields: 2 } });
    expect(await counts()).toEqual(before);

    const r = shuan('catalog', 'import', file, '--institution', '示范市公安局');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('已导入');
    expect(await counts()).toEqual({ systems: before.systems + 1, resources: before.resources + 1, fields: before.fields + 2 });
    const ev = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'catalog.import').executeTakeFirstOrThrow();
    expect(ev.actor_username).toMatch(/^cli:/);
    expect(ev.details).toMatchObject({ fileName: 'good.xlsx' });
  });

  it('gives an invalid file exit 2 and one line, the full list with --format json, and writes nothing', async () => {
    const file = await xlsxFile('bad.xlsx', {
      数据资源: [
        ['系统名称', '资源名称', '共享属性', '开放属性', '等级'],
        ['交通卡口系统', '卡口过车记录', '无条件共享', '不予开放', null], // exists already
        ['交通卡口系统', '新资源', '随便共享', '不予开放', '机密'],
      ],
    });
    const before = await counts();
    const r = shuan('catalog', 'import', file, '--institution', '示范市公安局');
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('IMPORT_INVALID');
    expect(r.err).toContain('3 处错误');
    const j = shuan('catalog', 'import', file, '--institution', '示范市公安局', '--format', 'json');
    expect(j.code).toBe(2);
    const body = JSON.parse(j.out);
    expect(body.code).toBe('IMPORT_INVALID');
    expect(body.errors.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([
      [2, 'DUPLICATE_NAME'],
      [3, 'INVALID_SHARE_ATTRIBUTE'],
      [3, 'UNKNOWN_LEVEL'],
    ]);
    expect(await counts()).toEqual(before);
  });

  it('refuses a missing file, an unknown institution and a missing --institution with exit 2', async () => {
    const missing = shuan('catalog', 'import', join(dir, 'nope.csv'), '--institution', '示范市公安局');
    expect(missing.code).toBe(2);
    expect(missing.err.trim().split('\n')).toHaveLength(1);
    expect(missing.err).toContain('nope.csv');
    const file = await xlsxFile('good2.xlsx', GOOD);
    const inst = shuan('catalog', 'import', file, '--institution', '不存在的机构');
    expect(inst.code).toBe(2);
    expect(inst.err).toContain('不存在的机构');
    expect(shuan('catalog', 'import', file).code).toBe(2);
    expect(shuan('catalog', 'export', '--format', 'pdf').code).toBe(2);
  });

  it('exports JSON, CSV and XLSX files with --out', async () => {
    const json = join(dir, 'c.json');
    const r = shuan('catalog', 'export', '--format', 'json', '--institution', '示范市公安局', '--out', json);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(json);
    const data = JSON.parse(readFileSync(json, 'utf8'));
    expect(data.resources.map((x: { name: string }) => x.name)).toEqual(['卡口过车记录']);
    expect(data.resources[0].fields.map((f: { name: string; dataType: string }) => [f.name, f.dataType])).toEqual([
      ['号牌号码', 'string'],
      ['通过时间', 'datetime'],
    ]);

    const csv = join(dir, 'c.csv');
    expect(shuan('catalog', 'export', '--format', 'csv', '--institution', '示范市公安局', '--out', csv).code).toBe(0);
    const bytes = readFileSync(csv);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('数据项,示范市公安局,交通卡口系统,卡口过车记录,通过时间,日期时间型');

    const xlsx = join(dir, 'c.xlsx');
    expect(shuan('catalog', 'export', '--format', 'xlsx', '--out', xlsx).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    expect(wb.getWorksheet('数据项')?.actualRowCount).toBe(3);
  });

  it('round-trips a CSV export into another institution', async () => {
    const csv = join(dir, 'c.csv');
    const before = await counts();
    const r = shuan('catalog', 'import', csv, '--institution', '示范市卫生健康委员会', '--format', 'json');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ format: 'csv', encoding: 'utf-8', created: { systems: 1, resources: 1, fields: 2 } });
    expect(await counts()).toEqual({ systems: before.systems + 1, resources: before.resources + 1, fields: before.fields + 2 });
  });
});
