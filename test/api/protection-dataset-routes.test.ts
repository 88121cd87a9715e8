// The dataset store through HTTP (LIF-13): uploads in the encodings and formats institutions have (GBK CSV,
// XLSX, JSON Lines), broken files refused with the line, pulls from PostgreSQL and MySQL/MariaDB tables
// (the password never recorded), and the state page's data.
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/db/ids.ts';
import type { DatasetInfo, DatasetVersion } from '../../src/modules/protection/datasets.schemas.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';

let h: TestApp;
let steward: Client;
let resourceId: string;
const MYSQL = 'mysql://root@127.0.0.1:3306/test';
const myTable = `shuan_ds_${randomBytes(4).toString('hex')}`;

const FIELDS = [
  { name: 'sfzh', dataType: 'string' },
  { name: 'xm', dataType: 'string' },
  { name: 'csrq', dataType: 'date' },
  { name: 'je', dataType: 'decimal' },
];

beforeAll(async () => {
  h = await createTestApp();
  steward = await h.login('psb.steward');
  const psb = await h.inst('示范市公安局');
  const systemId = uuidv7();
  await h.t.db
    .insertInto('systems')
    .values({ id: systemId, institution_id: psb, name: '人口系统', status: 'accepted', trusted_terminals: '[]', storage_carriers: '[]' })
    .execute();
  const res = await steward.request('POST', '/api/resources', {
    systemId,
    name: '人口信息',
    shareAttribute: 'unconditional',
    openAttribute: 'not_open',
    fields: FIELDS,
  });
  resourceId = res.json().id;
});
afterAll(async () => {
  const conn = await mysql.createConnection(MYSQL).catch(() => null);
  await conn?.query(`DROP TABLE IF EXISTS ${myTable}`);
  await conn?.end();
  await h.close();
});

async function upload(body: Buffer, query: string, type = 'text/csv') {
  return h.app.inject({
    method: 'POST',
    url: `/api/resources/${resourceId}/dataset?${query}`,
    headers: { cookie: steward.cookie, 'x-csrf-token': steward.csrf, 'content-type': type },
    payload: body,
  });
}

describe('dataset uploads and pulls', () => {
  it('a GBK CSV with Chinese headers mapped onto the fields', async () => {
    const csv = '身份证号,姓名,出生日期,金额\r\n11010519491231002X,张三,1949-12-31,12.50\r\n440524188001010014,"李四, 小名",1880/1/1,3\r\n';
    const mapping = encodeURIComponent(JSON.stringify({ 身份证号: 'sfzh', 姓名: 'xm', 出生日期: 'csrq', 金额: 'je' }));
    const res = await upload(iconv.encode(csv, 'gbk'), `mode=replace&keyField=sfzh&fileName=rk.csv&mapping=${mapping}`);
    expect(res.statusCode).toBe(200);
    const v = res.json() as DatasetVersion;
    expect([v.rowsRead, v.rowsAdded, v.rowCount, v.sourceKind, v.sourceName]).toEqual([2, 2, 2, 'csv', 'rk.csv']);
    const rows = [];
    for await (const r of h.services.datasets.openRows(h.t.db, resourceId)) rows.push(r.values);
    expect(rows).toEqual([
      { sfzh: '11010519491231002X', xm: '张三', csrq: '1949-12-31', je: '12.50' },
      { sfzh: '440524188001010014', xm: '李四, 小名', csrq: '1880-01-01', je: 3 },
    ]);
  });

  it('XLSX and JSON Lines upserts by the key', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('数据');
    ws.addRow(['sfzh', 'xm', 'csrq', 'je']);
    ws.addRow(['11010519491231002X', '张三丰', new Date(Date.UTC(1949, 11, 31)), 99.5]);
    const xlsx = await upload(
      Buffer.from(await wb.xlsx.writeBuffer()),
      'mode=upsert&fileName=rk.xlsx',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(xlsx.statusCode).toBe(200);
    expect([xlsx.json().rowsUpdated, xlsx.json().rowCount]).toEqual([1, 2]);
    const jsonl =
      '{"sfzh":"310101199001011234","xm":"王五","csrq":"1990-01-01","je":1}\n\n{"sfzh":"11010519491231002X","xm":"张三","csrq":"1949-12-31","je":"12.50"}\n';
    const res = await upload(Buffer.from(jsonl), 'mode=upsert&fileName=rk.jsonl', 'application/x-ndjson');
    expect(res.statusCode).toBe(200);
    expect([res.json().rowsAdded, res.json().rowsUpdated, res.json().rowCount]).toEqual([1, 1, 3]);
  });

  it('a broken file is a 400 naming the line; a bad value a 422 naming line and column; nothing written', async () => {
    const before = (await steward.request('GET', `/api/resources/${resourceId}/dataset`)).json() as DatasetInfo;
    const broken = await upload(Buffer.from('sfzh,xm\n1,"unclosed\n2,b\n'), 'mode=append&fileName=bad.csv');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().code).toBe('SOURCE_MALFORMED');
    expect(broken.json().details.line).toBe(2);
    const bad = await upload(Buffer.from('sfzh,csrq\n510101199001011234,1990-02-30\n'), 'mode=append&fileName=bad.csv');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('DATASET_INVALID');
    expect(bad.json().details.errors[0]).toMatchObject({ line: 1, column: 'csrq', problem: 'not_date' });
    expect(JSON.stringify(bad.json())).not.toContain('510101199001011234');
    const unknown = await upload(Buffer.from('身份证,xm\n1,2\n'), 'mode=append');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('DATASET_UNKNOWN_COLUMNS');
    const noKey = await upload(Buffer.from('xm\n张\n'), 'mode=upsert');
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().code).toBe('DATASET_KEY_MISSING');
    const empty = await upload(Buffer.alloc(0), 'mode=append');
    expect(empty.statusCode).toBe(400);
    const after = (await steward.request('GET', `/api/resources/${resourceId}/dataset`)).json() as DatasetInfo;
    expect([after.version, after.rowCount, after.contentHash]).toEqual([before.version, before.rowCount, before.contentHash]);
  });

  it('pulls a PostgreSQL table; the version records no credentials', async () => {
    await h.t.db.schema
      .createTable('ext_people')
      .addColumn('sfzh', 'text')
      .addColumn('xm', 'text')
      .addColumn('csrq', 'date')
      .addColumn('je', 'numeric')
      .execute();
    await h.t.db
      .insertInto('ext_people' as never)
      .values([
        { sfzh: '120101198001011236', xm: '赵六', csrq: '1980-01-01', je: '100.25' },
        { sfzh: '130101198001011230', xm: '钱七', csrq: '1980-01-02', je: '7' },
      ] as never)
      .execute();
    // The test database's own URL; its password (embedded server) must be nowhere in the answer or records.
    const password = decodeURIComponent(new URL(h.t.url).password);
    const res = await steward.request('POST', `/api/resources/${resourceId}/dataset/pull`, { url: h.t.url, table: 'public.ext_people', mode: 'append' });
    expect(res.statusCode, res.body).toBe(200);
    const v = res.json() as DatasetVersion;
    expect([v.sourceKind, v.rowsAdded, v.rowCount]).toEqual(['postgres', 2, 5]);
    expect(v.sourceName).toContain('ext_people');
    const stored =
      JSON.stringify(await h.t.db.selectFrom('dataset_versions').selectAll().execute()) +
      JSON.stringify(await h.t.db.selectFrom('audit_events').select('details').execute());
    if (password) expect(stored + res.body).not.toContain(password);
    const missing = await steward.request('POST', `/api/resources/${resourceId}/dataset/pull`, { url: h.t.url, table: 'no_such_table', mode: 'append' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().code).toBe('SOURCE_NOT_FOUND');
  });

  it('pulls a MySQL/MariaDB table', async () => {
    const conn = await mysql.createConnection(MYSQL);
    await conn.query(`CREATE TABLE ${myTable} (sfzh VARCHAR(18), xm VARCHAR(20) CHARACTER SET utf8mb4, csrq DATE, je DECIMAL(10,2)) DEFAULT CHARSET=utf8mb4`);
    await conn.query(`INSERT INTO ${myTable} VALUES ('140101198001011233','孙八','1980-03-01',5.50)`);
    await conn.end();
    const res = await steward.request('POST', `/api/resources/${resourceId}/dataset/pull`, { url: MYSQL, table: myTable, mode: 'upsert' });
    expect(res.statusCode).toBe(200);
    expect([res.json().sourceKind, res.json().rowsAdded, res.json().rowCount]).toEqual(['mysql', 1, 6]);
    const rows = [];
    for await (const r of h.services.datasets.openRows(h.t.db, resourceId)) rows.push(r.values);
    expect(rows.find((r) => r.sfzh === '140101198001011233')).toEqual({ sfzh: '140101198001011233', xm: '孙八', csrq: '1980-03-01', je: '5.50' });
  });

  it('refuses pulls from anything but a database URL', async () => {
    const res = await steward.request('POST', `/api/resources/${resourceId}/dataset/pull`, { url: 'file:///etc/passwd', table: 't', mode: 'append' });
    expect(res.statusCode).toBe(400);
  });
});
