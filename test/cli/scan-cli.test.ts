// `shuan scan` (issue 4) as an operator runs it: files in the encodings and formats institutions have and
// database tables (PostgreSQL, MariaDB) with sampling; JSON in the documented shape; findings without the
// matched values; exit 2 and one line on unreadable input.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { residentId } from '../helpers/identifiers.ts';

const dir = mkdtempSync(join(tmpdir(), 'shuan-scan-cli-'));
const MYSQL = 'mysql://root@127.0.0.1:3306/test';
const myTable = `shuan_scan_${randomBytes(4).toString('hex')}`;
let t: TestDatabase;

const people = Array.from({ length: 200 }, (_, i) => ({
  xm: `${'王李张刘陈'[i % 5]}${'伟芳敏静强'[(i * 7) % 5]}`,
  sfzh: residentId(`3501021985${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`),
  lxdh: `139${String(10_000_000 + i * 4973).slice(-8)}`,
  ddh: `2024${String(100000000 + i * 7).slice(-9)}`,
}));

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const conn = await mysql.createConnection(MYSQL).catch(() => null);
  await conn?.query(`DROP TABLE IF EXISTS ${myTable}`);
  await conn?.end();
  await t.drop();
});

function shuan(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/shuan.mjs', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const typesOf = (out: { columns: { name: string; proposal: { types: string[] } }[] }) =>
  Object.fromEntries(out.columns.map((c) => [c.name, c.proposal.types[0] ?? null]));

describe('shuan scan', () => {
  it('a GBK CSV: identifiers found per column, order numbers not taken for anything, JSON in the documented shape', () => {
    const csv = `姓名,身份证号,联系电话,订单号\r\n${people.map((p) => [p.xm, p.sfzh, p.lxdh, p.ddh].join(',')).join('\r\n')}\r\n`;
    const file = join(dir, 'rk-gbk.csv');
    writeFileSync(file, iconv.encode(csv, 'gbk'));
    const r = shuan('scan', file, '--format', 'json');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(Object.keys(out).sort()).toEqual(['bytes', 'columns', 'elapsedMs', 'rows', 'source']);
    expect(out.rows).toBe(200);
    expect(typesOf(out)).toMatchObject({ 姓名: 'CN_NAME', 身份证号: 'CN_RESIDENT_ID', 联系电话: 'CN_MOBILE', 订单号: null });
    expect(out.columns.find((c: { name: string }) => c.name === '身份证号').hits.CN_RESIDENT_ID).toBe(200);
    expect(out.columns.find((c: { name: string }) => c.name === '身份证号').proposal.piCategory).toBeTruthy();
  });

  it('--findings lists each finding by row and column with offsets, never the value', () => {
    const file = join(dir, 'text.csv');
    writeFileSync(file, `备注\n联系人手机１３８１２３４５６７８，身份证${people[0]?.sfzh}\n`);
    const r = shuan('scan', file, '--format', 'json', '--findings');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    const types = out.findings.map((f: { type: string }) => f.type).sort();
    expect(types).toEqual(['CN_MOBILE', 'CN_RESIDENT_ID']);
    const mobile = out.findings.find((f: { type: string }) => f.type === 'CN_MOBILE');
    expect(mobile).toMatchObject({ row: 1, column: '备注', start: 5, end: 16 });
    expect(r.out).not.toContain(people[0]?.sfzh);
    expect(r.out).not.toContain('１３８');
  });

  it('XLSX and a table on PostgreSQL with a sample', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('人员');
    ws.addRow(['xm', 'sfzh']);
    for (const p of people.slice(0, 50)) ws.addRow([p.xm, p.sfzh]);
    const xlsx = join(dir, 'rk.xlsx');
    writeFileSync(xlsx, Buffer.from(await wb.xlsx.writeBuffer()));
    const x = shuan('scan', xlsx, '--format', 'json');
    expect(x.code, x.err).toBe(0);
    expect(typesOf(JSON.parse(x.out))).toMatchObject({ sfzh: 'CN_RESIDENT_ID' });

    await t.db.schema.createTable('rk').addColumn('sfzh', 'text').addColumn('lxdh', 'text').execute();
    await t.db
      .insertInto('rk' as never)
      .values(people.map((p) => ({ sfzh: p.sfzh, lxdh: p.lxdh })) as never)
      .execute();
    const pg = shuan('scan', `${t.url}?table=rk`, '--sample', '50', '--format', 'json');
    expect(pg.code, pg.err).toBe(0);
    const out = JSON.parse(pg.out);
    expect(out.rows).toBe(50);
    expect(typesOf(out)).toMatchObject({ sfzh: 'CN_RESIDENT_ID', lxdh: 'CN_MOBILE' });
    const password = decodeURIComponent(new URL(t.url).password);
    if (password) expect(pg.out).not.toContain(password);
  });

  it('a table on MariaDB', async () => {
    const conn = await mysql.createConnection(MYSQL);
    await conn.query(`CREATE TABLE ${myTable} (xm VARCHAR(20), sfzh VARCHAR(18)) DEFAULT CHARSET=utf8mb4`);
    await conn.query(
      `INSERT INTO ${myTable} VALUES ${people
        .slice(0, 80)
        .map(() => '(?, ?)')
        .join(',')}`,
      people.slice(0, 80).flatMap((p) => [p.xm, p.sfzh]),
    );
    await conn.end();
    const r = shuan('scan', `${MYSQL}?table=${myTable}`, '--format', 'json');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).rows).toBe(80);
    expect(typesOf(JSON.parse(r.out))).toMatchObject({ sfzh: 'CN_RESIDENT_ID' });
  });

  it('unreadable input: exit 2 with one line naming the problem (and the line for a broken file)', () => {
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, 'a,b\n1,"unclosed\n2,3\n');
    const r = shuan('scan', broken);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/2/);
    expect(shuan('scan', join(dir, 'missing.csv')).code).toBe(2);
    expect(shuan('scan', `${t.url}?table=no_such_table`).code).toBe(2);
    expect(shuan('scan', broken, '--sample', '0').code).toBe(2);
  });

  it('--recognizers adds the authority’s own types; an unsafe pattern is refused (exit 2)', () => {
    const rec = join(dir, 'rec.json');
    writeFileSync(
      rec,
      JSON.stringify([{ id: 'X_SOCIAL_CARD', name: '社会保障卡号', pattern: '[A-Z]\\d{8}', columnHints: ['sbkh'], hintOnly: true, piType: 'id_number' }]),
    );
    const file = join(dir, 'sb.csv');
    writeFileSync(file, `sbkh\n${Array.from({ length: 30 }, (_, i) => `B${String(20_000_000 + i)}`).join('\n')}\n`);
    const r = shuan('scan', file, '--recognizers', rec, '--format', 'json');
    expect(r.code, r.err).toBe(0);
    expect(typesOf(JSON.parse(r.out))).toMatchObject({ sbkh: 'X_SOCIAL_CARD' });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ id: 'X_BAD', name: '坏', pattern: '(a+)+b' }]));
    const b = shuan('scan', file, '--recognizers', bad);
    expect(b.code).toBe(2);
    expect(b.err.trim().split('\n')).toHaveLength(1);
  });
});
