// PostgreSQL tables as a source (issue 4 scans of databases, AST-11; issue 5 pulls, LIF-13), against the
// local server. Each run creates and drops its own uniquely named tables.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource, type SourceRow } from '../../src/sources/index.ts';
import { allRows, sourceError } from './helpers.ts';

const URL_BASE = process.env.SOURCES_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const suffix = randomBytes(4).toString('hex');
const typed = `shuan_src_types_${suffix}`;
const many = `shuan_src_many_${suffix}`;
const odd = `shuan src "odd"; drop ${suffix}`;
const admin = new pg.Client({ connectionString: URL_BASE });

const url = (table: string, extra = '') => `${URL_BASE}?table=${encodeURIComponent(table)}${extra}`;

beforeAll(async () => {
  await admin.connect();
  await admin.query(`CREATE TABLE ${typed} (
    id integer PRIMARY KEY, small smallint, big bigint, amount numeric(30,3), ratio real, score double precision,
    ok boolean, name text, born date, seen timestamp, at timestamptz, starts time, blob bytea, doc jsonb,
    tags text[], uid uuid, "Weird ""col""" text)`);
  await admin.query(
    `INSERT INTO ${typed} VALUES
     (1, 7, 9007199254740993, 12345678901234567890.125, 1.5, 0.1, true, '张三', '1990-03-07', '2024-01-15 08:30:00.25',
      '2024-01-15 08:30:00+08', '09:15:00', '\\x00ff10', '{"省":"北京","n":1}', '{a,b}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'w'),
     (2, NULL, NULL, NULL, 'NaN', NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
  );
  await admin.query(`CREATE TABLE ${many} (id integer PRIMARY KEY, phone text)`);
  await admin.query(`INSERT INTO ${many} SELECT g, '138' || lpad(g::text, 8, '0') FROM generate_series(1, 25000) g`);
  await admin.query(`CREATE TABLE "${odd.replace(/"/g, '""')}" (v text)`);
  await admin.query(`INSERT INTO "${odd.replace(/"/g, '""')}" VALUES ('ok')`);
});

afterAll(async () => {
  await admin.query(`DROP TABLE IF EXISTS ${typed}, ${many}, "${odd.replace(/"/g, '""')}"`);
  await admin.end();
});

const appName = `shuan-source-test-${suffix}`;
const activeSourceConnections = async () =>
  Number((await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [appName])).rows[0].n);

describe('PostgreSQL tables as a source', () => {
  it('lists the columns with their types and keeps values exact: bigint/numeric as strings, dates ISO, bytea base64', async () => {
    const src = await openSource(url(typed));
    expect(src.kind).toBe('postgres');
    expect(src.describe).toBe(`postgres://postgres@127.0.0.1:5432/test?table=public.${typed}`);
    expect(await src.columns()).toEqual([
      'id',
      'small',
      'big',
      'amount',
      'ratio',
      'score',
      'ok',
      'name',
      'born',
      'seen',
      'at',
      'starts',
      'blob',
      'doc',
      'tags',
      'uid',
      'Weird "col"',
    ]);
    const info = Object.fromEntries((await src.columnInfo()).map((c) => [c.name, c.type]));
    expect(info).toMatchObject({
      id: 'integer',
      big: 'integer',
      amount: 'decimal',
      score: 'number',
      ok: 'boolean',
      born: 'date',
      at: 'timestamp',
      blob: 'binary',
      doc: 'json',
    });
    const rows = await allRows(src);
    expect(rows).toEqual([
      {
        line: 1,
        values: {
          id: 1,
          small: 7,
          big: '9007199254740993',
          amount: '12345678901234567890.125',
          ratio: 1.5,
          score: 0.1,
          ok: true,
          name: '张三',
          born: '1990-03-07',
          seen: '2024-01-15T08:30:00.25',
          at: '2024-01-15T00:30:00Z',
          starts: '09:15:00',
          blob: Buffer.from([0x00, 0xff, 0x10]).toString('base64'),
          doc: '{"n": 1, "省": "北京"}',
          tags: '["a","b"]',
          uid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
          'Weird "col"': 'w',
        },
      },
      {
        line: 2,
        values: {
          id: 2,
          small: null,
          big: null,
          amount: null,
          ratio: 'NaN',
          score: null,
          ok: false,
          name: null,
          born: null,
          seen: null,
          at: null,
          starts: null,
          blob: null,
          doc: null,
          tags: null,
          uid: null,
          'Weird "col"': null,
        },
      },
    ]);
    await src.close();
  });

  it('streams a table in cursor batches, numbering rows, and releases the connection when the reader stops early', async () => {
    const src = await openSource(url(`public.${many}`), { batchSize: 1000, applicationName: appName });
    let n = 0;
    let sum = 0;
    for await (const r of src.rows()) {
      n++;
      sum += r.values.id as number;
      expect(r.line).toBe(n);
    }
    expect(n).toBe(25_000);
    expect(sum).toBe((25_000 * 25_001) / 2);
    let seen = 0;
    for await (const _ of src.rows()) {
      if (++seen === 1500) {
        expect(await activeSourceConnections()).toBe(1);
        break;
      }
    }
    expect(await activeSourceConnections()).toBe(0);
    await src.close();
  });

  it('samples N distinct rows uniformly on the server: never simply the first N', async () => {
    const seenIds = new Set<number>();
    for (let run = 0; run < 8; run++) {
      const src = await openSource(url(many), { sample: 50 });
      expect(src.describe).toContain('(sample 50)');
      const rows: SourceRow[] = await allRows(src);
      const ids = rows.map((r) => r.values.id as number);
      expect(ids.length).toBe(50);
      expect(new Set(ids).size).toBe(50);
      expect(ids.every((id) => id >= 1 && id <= 25_000)).toBe(true);
      expect(rows.map((r) => r.line)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      for (const id of ids) seenIds.add(id);
    }
    // 8 samples of 50 from 25,000 rows overlap little; the first 50 rows are not where they come from.
    expect(seenIds.size).toBeGreaterThan(350);
    expect([...seenIds].filter((id) => id <= 50).length).toBeLessThan(10);
    const small = await allRows(await openSource(url(typed), { sample: 10 }));
    expect(small.map((r) => r.values.id).sort()).toEqual([1, 2]);
  });

  it('quotes identifiers: a table name with quotes, spaces and SQL in it is read, not executed', async () => {
    const src = await openSource(url(odd));
    expect(await allRows(src)).toEqual([{ line: 1, values: { v: 'ok' } }]);
    const injected = await sourceError(() => openSource(url(`${many}; DROP TABLE ${many}`)));
    expect(injected.code).toBe('NOT_FOUND');
    expect((await admin.query(`SELECT count(*)::int AS n FROM ${many}`)).rows[0].n).toBe(25_000);
  });

  it('refuses a table or schema that does not exist (NOT_FOUND), and a missing table parameter', async () => {
    expect(await sourceError(() => openSource(url(`no_such_table_${suffix}`)))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await sourceError(() => openSource(url(`no_schema_${suffix}.${many}`)))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await sourceError(() => openSource(URL_BASE))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await sourceError(() => openSource(`postgres://postgres@127.0.0.1:5432/no_db_${suffix}?table=t`))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reports connection failures as CONNECTION without ever showing the password', async () => {
    const secret = `Pw-${suffix}-secret`;
    const err = await sourceError(() => openSource(`postgres://postgres:${secret}@127.0.0.1:1/test?table=t`, { connectTimeoutMs: 2000 }));
    expect(err.code).toBe('CONNECTION');
    expect(err.messageEn).toContain('postgres://postgres@127.0.0.1:1/test');
    for (const text of [err.message, err.messageZh, err.messageEn, String(err.cause), JSON.stringify(err)]) expect(text).not.toContain(secret);
    const ok = await openSource(`postgres://postgres:${secret}@127.0.0.1:5432/test?table=${many}`);
    expect(ok.describe).not.toContain(secret);
  });
});
