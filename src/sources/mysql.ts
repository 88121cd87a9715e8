// A MySQL or MariaDB table as a TabularSource, streamed with mysql2's `query().stream()`: the driver pauses
// the socket while the consumer is busy, so memory holds one buffer of rows whatever the table's size.
//
// Sampling (`sample: N`) is `ORDER BY RAND() LIMIT N` on the server, for the reasons given in postgres.ts:
// exactly uniform, bounded memory on the server (a priority-queue filesort for ORDER BY … LIMIT), only N rows
// sent. MySQL has no TABLESAMPLE, and a client-side reservoir would ship the whole table.
//
// Types (text protocol, session time zone UTC): integers stay numbers except BIGINT (a string, as DECIMAL);
// FLOAT/DOUBLE numbers; TINYINT(1) and BIT(1) booleans (MySQL's BOOLEAN; a TINYINT(1) holding another value
// stays a number); DATE `2024-03-01`, DATETIME `2024-03-01T08:30:00`, TIMESTAMP `2024-03-01T08:30:00Z`, zero
// dates ('0000-00-00') as MySQL writes them; BINARY/VARBINARY/BLOB as base64 (columnInfo() says `binary`);
// JSON as its text; spatial values as JSON.
import mysql from 'mysql2';
import { connectionError, type DbTarget, dbValue, scrub, tableNotFound } from './db-url.ts';
import { checkSampleSize } from './sample.ts';
import { type ColumnInfo, type ColumnType, type OpenOptions, SourceError, type SourceRow, type SourceValue, setValue, type TabularSource } from './types.ts';

const DEFAULT_BATCH = 1000;

export const quoteMysqlIdent = (name: string) => `\`${name.replace(/`/g, '``')}\``;

export function mysqlColumnType(dataType: string, columnType: string): ColumnType {
  const t = dataType.toLowerCase();
  const full = columnType.toLowerCase();
  if ((t === 'tinyint' && full.startsWith('tinyint(1)')) || (t === 'bit' && full === 'bit(1)')) return 'boolean';
  switch (t) {
    case 'tinyint':
    case 'smallint':
    case 'mediumint':
    case 'int':
    case 'integer':
    case 'bigint':
    case 'year':
    case 'bit':
      return 'integer';
    case 'decimal':
      return 'decimal';
    case 'float':
    case 'double':
      return 'number';
    case 'date':
      return 'date';
    case 'time':
      return 'time';
    case 'datetime':
    case 'timestamp':
      return 'timestamp';
    case 'json':
      return 'json';
    case 'binary':
    case 'varbinary':
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
      return 'binary';
    case 'char':
    case 'varchar':
    case 'tinytext':
    case 'text':
    case 'mediumtext':
    case 'longtext':
    case 'enum':
    case 'set':
      return 'string';
    default:
      return 'other';
  }
}

/** The conversion of one column's driver value into a cell. */
function converter(dataType: string, columnType: string): (v: unknown) => SourceValue {
  const t = dataType.toLowerCase();
  const kind = mysqlColumnType(dataType, columnType);
  if (t === 'bit') {
    return (v) => {
      if (!Buffer.isBuffer(v)) return dbValue(v);
      if (kind === 'boolean') return v.some((b) => b !== 0);
      return v.length <= 6 ? v.readUIntBE(0, Math.max(1, v.length)) : v.toString('base64');
    };
  }
  if (kind === 'boolean') return (v) => (v === 0 ? false : v === 1 ? true : dbValue(v));
  if (t === 'timestamp' || t === 'datetime') {
    const zone = t === 'timestamp' ? 'Z' : '';
    return (v) => (typeof v === 'string' && !v.startsWith('0000-00-00') ? `${v.replace(' ', 'T')}${zone}` : dbValue(v));
  }
  return dbValue;
}

export async function openMysql(target: DbTarget, opts: OpenOptions): Promise<TabularSource> {
  const where = target.describe.replace(/\?.*$/, '');
  const batch = opts.batchSize ?? DEFAULT_BATCH;
  if (!Number.isSafeInteger(batch) || batch < 1) throw new RangeError(`batchSize must be a positive integer, got ${batch}`);
  if (opts.sample !== undefined) checkSampleSize(opts.sample); // it goes into the SQL text
  const ssl = target.params.get('ssl');
  const config: mysql.ConnectionOptions = {
    // A pinned address (the one a table pull's allow-list check resolved) instead of the name.
    host: opts.connectHost ?? target.host,
    port: target.port ?? 3306,
    user: target.user ?? 'root',
    password: target.password ?? undefined,
    database: target.database ?? undefined,
    connectTimeout: opts.connectTimeoutMs ?? 10_000,
    charset: 'UTF8MB4_GENERAL_CI',
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    jsonStrings: true,
    multipleStatements: false,
    ...(ssl === 'true' || ssl === 'required' ? { ssl: { rejectUnauthorized: true } } : {}),
  };
  const active = new Set<mysql.Connection>();

  const connect = async (): Promise<mysql.Connection> => {
    const conn = mysql.createConnection(config);
    conn.on('error', () => {}); // a later drop reports through the query that fails
    try {
      await new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve())));
      await run(conn, "SET time_zone = '+00:00'");
    } catch (err) {
      conn.destroy();
      const code = (err as { code?: string }).code;
      if (code === 'ER_BAD_DB_ERROR') throw new SourceError('NOT_FOUND', `数据库 ${where} 不存在`, `The database ${where} does not exist`);
      throw connectionError(target, err);
    }
    active.add(conn);
    return conn;
  };
  const run = <T>(conn: mysql.Connection, sql: string, values: unknown[] = []) =>
    new Promise<T>((resolve, reject) => conn.query(sql, values, (err, rows) => (err ? reject(err) : resolve(rows as T))));
  const end = async (conn: mysql.Connection, graceful: boolean) => {
    active.delete(conn);
    if (!graceful) {
      conn.destroy();
      return;
    }
    await new Promise<void>((resolve) => conn.end(() => resolve()));
  };
  const queryError = (err: unknown): SourceError => {
    if (err instanceof SourceError) return err;
    const e = err as { code?: string; fatal?: boolean; message?: string };
    if (e.fatal || (e.code && /^(E[A-Z]+|PROTOCOL_.*)$/.test(e.code))) return connectionError(target, err);
    const msg = scrub(e.message ?? String(err), target.password);
    return new SourceError('UNREADABLE', `读取表失败：${msg}`, `Reading the table failed: ${msg}`);
  };

  // At open: the table must exist (in the named schema, else the URL's database).
  const schema = target.schema ?? target.database;
  if (!schema) {
    throw new SourceError('NOT_FOUND', `数据库地址 ${where} 没有指定数据库`, `The database URL ${where} names no database`);
  }
  const meta = await connect();
  let table: string;
  let info: ColumnInfo[];
  let convert: ((v: unknown) => SourceValue)[];
  let estimatedRows: number | null = null;
  try {
    type Col = { TABLE_NAME: string; COLUMN_NAME: string; DATA_TYPE: string; COLUMN_TYPE: string };
    const cols = await run<Col[]>(
      meta,
      `SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE FROM information_schema.COLUMNS
       WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
      [schema, target.table],
    );
    // information_schema may compare names without regard to case; prefer the exact name.
    const exact = cols.filter((c) => c.TABLE_NAME === target.table);
    const chosen = exact.length > 0 ? exact : cols.filter((c) => c.TABLE_NAME === cols[0]?.TABLE_NAME);
    if (chosen.length === 0) throw tableNotFound(target, where);
    table = (chosen[0] as Col).TABLE_NAME;
    info = chosen.map((c) => ({ name: c.COLUMN_NAME, type: mysqlColumnType(c.DATA_TYPE, c.COLUMN_TYPE), dbType: c.COLUMN_TYPE }));
    convert = chosen.map((c) => converter(c.DATA_TYPE, c.COLUMN_TYPE));
    const est = await run<{ n: number | string | null }[]>(
      meta,
      'SELECT TABLE_ROWS AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
      [schema, table],
    );
    const n = est[0]?.n;
    if (n !== null && n !== undefined) estimatedRows = Number(n);
  } catch (err) {
    throw queryError(err);
  } finally {
    await end(meta, true);
  }
  if (opts.sample !== undefined && estimatedRows !== null) estimatedRows = Math.min(estimatedRows, opts.sample);

  const names = info.map((c) => c.name);
  const select = `SELECT ${names.map(quoteMysqlIdent).join(', ')} FROM ${quoteMysqlIdent(schema)}.${quoteMysqlIdent(table)}${
    opts.sample !== undefined ? ` ORDER BY RAND() LIMIT ${opts.sample}` : ''
  }`;

  return {
    kind: 'mysql',
    describe: target.describe.replace(/table=[^&]*/, `table=${encodeURIComponent(`${schema}.${table}`)}`) + (opts.sample ? ` (sample ${opts.sample})` : ''),
    estimatedRows,
    columns: async () => [...names],
    columnInfo: async () => info.map((c) => ({ ...c })),
    async *rows(): AsyncGenerator<SourceRow> {
      const conn = await connect();
      let complete = false;
      let line = 0;
      const stream = conn.query({ sql: select, rowsAsArray: true }).stream({ highWaterMark: batch });
      try {
        for await (const r of stream as AsyncIterable<unknown[]>) {
          const values: Record<string, SourceValue> = {};
          for (let k = 0; k < names.length; k++) setValue(values, names[k] as string, (convert[k] as (v: unknown) => SourceValue)(r[k]));
          yield { line: ++line, values };
        }
        complete = true;
      } catch (err) {
        throw queryError(err);
      } finally {
        // A result abandoned half-way cannot be skipped on the same connection: drop it.
        stream.destroy();
        await end(conn, complete);
      }
    },
    close: async () => {
      await Promise.all([...active].map((c) => end(c, false)));
    },
  };
}
