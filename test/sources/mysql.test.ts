// MySQL/MariaDB tables as a source (issue 4 scans of databases, AST-11; issue 5 pulls, LIF-13), against the
// local MariaDB. Each run creates and drops its own uniquely named tables.
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../src/sources/index.ts';
import { allRows, sourceError } from './helpers.ts';

const URL_BASE = process.env.SOURCES_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const suffix = randomBytes(4).toString('hex');
const typed = `shuan_src_types_${suffix}`;
const many = `shuan_src_many_${suffix}`;
const odd = `shuan src \`odd\`; drop ${suffix}`;
const q = (name: string) => `\`${name.replace(/`/g, '``')}\``;
let admin: mysql.Connection;

const url = (table: string) => `${URL_BASE}?table=${encodeURIComponent(table)}`;

beforeAll(async () => {
  admin = await mysql.createConnection({ uri: URL_BASE, multipleStatements: false });
  await admin.query(`CREATE TABLE ${typed} (
    id INT PRIMARY KEY, flag TINYINT(1), level TINYINT, bit1 BIT(1), bits BIT(12), big BIGINT, ubig BIGINT UNSIGNED,
    amount DECIMAL(30,3), score DOUBLE, name VARCHAR(50), born DATE, seen DATETIME(3), at TIMESTAMP NULL,
    starts TIME, yr YEAR, blob_col BLOB, doc JSON, kind ENUM('a','b')
  ) DEFAULT CHARSET = utf8mb4`);
  await admin.query("SET time_zone = '+08:00'");
  await admin.query(
    `INSERT INTO ${typed} VALUES
     (1, 1, 5, b'1', b'101', 9007199254740993, 18446744073709551615, 12345678901234567890.125, 0.1, '张三',
      '1990-03-07', '2024-01-15 08:30:00.250', '2024-01-15 08:30:00', '09:15:00', 2024, x'00ff10', '{"省":"北京"}', 'b'),
     (2, 0, NULL, b'0', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
  );
  await admin.query(`CREATE TABLE ${many} (id INT PRIMARY KEY, phone VARCHAR(11))`);
  const values = Array.from({ length: 5000 }, (_, i) => [i + 1, `138${String(i + 1).padStart(8, '0')}`]);
  await admin.query(`INSERT INTO ${many} VALUES ?`, [values]);
  await admin.query(`CREATE TABLE ${q(odd)} (v VARCHAR(5))`);
  await admin.query(`INSERT INTO ${q(odd)} VALUES ('ok')`);
});

afterAll(async () => {
  await admin.query(`DROP TABLE IF EXISTS ${typed}, ${many}, ${q(odd)}`);
  await admin.end();
});

describe('MySQL/MariaDB tables as a source', () => {
  it('lists the columns with their types and keeps values exact: BIGINT/DECIMAL strings, booleans, ISO dates, base64 blobs', async () => {
    const src = await openSource(url(typed));
    expect(src.kind).toBe('mysql');
    expect(src.describe).toBe(`mysql://root@127.0.0.1:3306/test?table=test.${typed}`);
    const info = Object.fromEntries((await src.columnInfo()).map((c) => [c.name, c.type]));
    expect(info).toMatchObject({ flag: 'boolean', level: 'integer', bit1: 'boolean', big: 'integer', amount: 'decimal', blob_col: 'binary', at: 'timestamp' });
    expect(await allRows(src)).toEqual([
      {
        line: 1,
        values: {
          id: 1,
          flag: true,
          level: 5,
          bit1: true,
          bits: 5,
          big: '9007199254740993',
          ubig: '18446744073709551615',
          amount: '12345678901234567890.125',
          score: 0.1,
          name: '张三',
          born: '1990-03-07',
          seen: '2024-01-15T08:30:00.250',
          at: '2024-01-15T00:30:00Z', // stored at +08:00, read in UTC
          starts: '09:15:00',
          yr: 2024,
          blob_col: Buffer.from([0x00, 0xff, 0x10]).toString('base64'),
          doc: '{"省":"北京"}',
          kind: 'b',
        },
      },
      {
        line: 2,
        values: {
          id: 2,
          flag: false,
          level: null,
          bit1: false,
          bits: null,
          big: null,
          ubig: null,
          amount: null,
          score: null,
          name: null,
          born: null,
          seen: null,
          at: null,
          starts: null,
          yr: null,
          blob_col: null,
          doc: null,
          kind: null,
        },
      },
    ]);
    await src.close();
  });

  it('streams a table with backpressure, numbering rows, and can stop early and read again', async () => {
    const src = await openSource(url(`test.${many}`), { batchSize: 100 });
    let n = 0;
    for await (const r of src.rows()) {
      n++;
      expect(r.line).toBe(n);
      expect(r.values.phone).toBe(`138${String(r.values.id).padStart(8, '0')}`);
    }
    expect(n).toBe(5000);
    let partial = 0;
    for await (const _ of src.rows()) if (++partial === 250) break;
    expect((await allRows(src)).length).toBe(5000);
    await src.close();
  });

  it('samples N distinct rows uniformly on the server: never simply the first N', async () => {
    const seenIds = new Set<number>();
    for (let run = 0; run < 8; run++) {
      const ids = (await allRows(await openSource(url(many), { sample: 40 }))).map((r) => r.values.id as number);
      expect(ids.length).toBe(40);
      expect(new Set(ids).size).toBe(40);
      expect(ids.every((id) => id >= 1 && id <= 5000)).toBe(true);
      for (const id of ids) seenIds.add(id);
    }
    expect(seenIds.size).toBeGreaterThan(250);
    expect([...seenIds].filter((id) => id <= 40).length).toBeLessThan(10);
  });

  it('quotes identifiers: a table name with backticks and SQL in it is read, not executed', async () => {
    expect(await allRows(await openSource(url(odd)))).toEqual([{ line: 1, values: { v: 'ok' } }]);
    expect(await sourceError(() => openSource(url(`${many}; DROP TABLE ${many}`)))).toMatchObject({ code: 'NOT_FOUND' });
    const [rows] = await admin.query(`SELECT COUNT(*) AS n FROM ${many}`);
    expect((rows as { n: number }[])[0]?.n).toBe(5000);
  });

  it('refuses a missing table or database (NOT_FOUND) and reports connection failures without the password', async () => {
    expect(await sourceError(() => openSource(url(`no_such_${suffix}`)))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await sourceError(() => openSource(`mysql://root@127.0.0.1:3306/no_db_${suffix}?table=t`))).toMatchObject({ code: 'NOT_FOUND' });
    const secret = `Pw-${suffix}-secret`;
    for (const spec of [`mysql://root:${secret}@127.0.0.1:3306/test?table=${many}`, `mariadb://root:${secret}@127.0.0.1:1/test?table=t`]) {
      const err = await sourceError(() => openSource(spec, { connectTimeoutMs: 2000 }));
      expect(err.code).toBe('CONNECTION');
      for (const text of [err.message, err.messageZh, err.messageEn, String(err.cause), JSON.stringify(err)]) expect(text).not.toContain(secret);
    }
  });
});
