// A PostgreSQL table as a TabularSource. Rows stream through a server-side cursor (DECLARE … / FETCH n in a
// read-only transaction), so memory holds one batch whatever the table's size.
//
// Sampling (`sample: N`) is `ORDER BY random() LIMIT N` on the server. It is exactly uniform (every N-row
// subset equally likely, random() being independent per row); PostgreSQL runs it as a full scan feeding a
// bounded "top-N heapsort" (O(N) memory on the server), and only N rows cross the network. TABLESAMPLE was
// rejected: SYSTEM picks whole pages (rows on one page come together, not independent) and BERNOULLI returns
// a random number of rows, so neither gives "N rows, uniformly". A client-side reservoir would be uniform
// too but would ship the whole table over the connection.
//
// Types: smallint/integer/real/double stay numbers; bigint and numeric are strings (no precision lost);
// booleans stay booleans; date → `2024-03-01`, timestamp → `2024-03-01T08:30:00`, timestamptz →
// `2024-03-01T00:30:00Z` (the session runs in UTC), time as PostgreSQL writes it; json/jsonb as their text;
// bytea as base64 (columnInfo() says `binary`); arrays as JSON text.
import { isIP } from 'node:net';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import pg from 'pg';
import { connectionError, type DbTarget, dbValue, scrub, tableNotFound } from './db-url.ts';
import { checkSampleSize } from './sample.ts';
import { type ColumnInfo, type ColumnType, type OpenOptions, SourceError, type SourceRow, type SourceValue, setValue, type TabularSource } from './types.ts';

const DEFAULT_BATCH = 1000;

const raw = (s: string) => s;

/** `2024-03-01 08:30:00.5+08` or `…+05:30` (PostgreSQL's text) → ISO 8601; infinity and BC dates as they are. */
export function isoTimestamp(s: string): string {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)(?:([+-]\d\d)(?::(\d\d))?(?::(\d\d))?)?$/.exec(s);
  if (!m) return s;
  const [, date, time, oh, om, os] = m;
  if (oh === undefined) return `${date}T${time}`;
  if (oh === '+00' && !om && !os) return `${date}T${time}Z`;
  return `${date}T${time}${oh}:${om ?? '00'}${os ? `:${os}` : ''}`;
}

// Type OIDs whose default pg parsing is replaced (pg turns dates into local-time Date objects, intervals
// into objects and re-parses JSON we would only stringify again).
const PARSERS: [number, (s: string) => unknown][] = [
  [1082, raw], // date
  [1083, raw], // time
  [1266, raw], // timetz
  [1114, isoTimestamp], // timestamp
  [1184, isoTimestamp], // timestamptz
  [1186, raw], // interval
  [114, raw], // json
  [3802, raw], // jsonb
  [1115, raw], // timestamp[]
  [1182, raw], // date[]
  [1183, raw], // time[]
  [1185, raw], // timestamptz[]
  [1187, raw], // interval[]
  [1270, raw], // timetz[]
  [199, raw], // json[]
  [3807, raw], // jsonb[]
  [1001, raw], // bytea[]
];

export function pgColumnType(dataType: string): ColumnType {
  switch (dataType) {
    case 'smallint':
    case 'integer':
    case 'bigint':
      return 'integer';
    case 'numeric':
      return 'decimal';
    case 'real':
    case 'double precision':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'time without time zone':
    case 'time with time zone':
      return 'time';
    case 'timestamp without time zone':
    case 'timestamp with time zone':
      return 'timestamp';
    case 'json':
    case 'jsonb':
      return 'json';
    case 'bytea':
      return 'binary';
    case 'text':
    case 'character varying':
    case 'character':
    case 'uuid':
    case 'name':
    case 'citext':
      return 'string';
    default:
      return 'other';
  }
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function openPostgres(target: DbTarget, opts: OpenOptions): Promise<TabularSource> {
  const params = new URLSearchParams(target.params);
  // A pinned address (opts.connectHost) goes into the connection string; `ssl=true` becomes its equivalent
  // `sslmode=verify-full` so that the TLS options are an object that can carry the host name (below).
  const pinned = opts.connectHost !== undefined && opts.connectHost !== target.host;
  if (pinned && /^(true|1)$/.test(params.get('ssl') ?? '') && !params.has('sslmode')) {
    params.delete('ssl');
    params.set('sslmode', 'verify-full');
  }
  // …and nothing in the query may point the connection elsewhere (pg reads ?host= and ?port= over the URL's).
  if (opts.connectHost !== undefined) for (const k of ['host', 'hostaddr', 'port']) params.delete(k);
  const connectTo = opts.connectHost ?? target.host;
  const connectionString = (() => {
    const u = new URL('postgres://localhost');
    u.hostname = connectTo.includes(':') ? `[${connectTo}]` : connectTo;
    if (target.port) u.port = String(target.port);
    if (target.user) u.username = encodeURIComponent(target.user);
    if (target.password) u.password = encodeURIComponent(target.password);
    u.pathname = `/${encodeURIComponent(target.database ?? '')}`;
    u.search = params.toString();
    return u.href;
  })();
  const where = target.describe.replace(/\?.*$/, '');
  const batch = opts.batchSize ?? DEFAULT_BATCH;
  if (!Number.isSafeInteger(batch) || batch < 1) throw new RangeError(`batchSize must be a positive integer, got ${batch}`);
  if (opts.sample !== undefined) checkSampleSize(opts.sample); // it goes into the SQL text
  const active = new Set<pg.Client>();

  const connect = async (): Promise<pg.Client> => {
    const client = new pg.Client({
      connectionString,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
      application_name: opts.applicationName ?? 'shuan-source',
    });
    for (const [oid, parse] of PARSERS) client.setTypeParser(oid, 'text', parse);
    // Connecting to a pinned address: the certificate is still checked against (and SNI still names) the
    // URL's host name, not the address. pg hands these TLS options to tls.connect as they are.
    const tls = (client as unknown as { ssl: boolean | TlsOptions }).ssl;
    if (pinned && isIP(target.host) === 0 && tls && typeof tls === 'object') tls.servername = target.host;
    // A connection that drops later reports through the query that fails; this keeps it from crashing.
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => {});
      if ((err as { code?: string }).code === '3D000') {
        throw new SourceError('NOT_FOUND', `数据库 ${where} 不存在`, `The database ${where} does not exist`);
      }
      throw connectionError(target, err);
    }
    active.add(client);
    return client;
  };
  const release = async (client: pg.Client) => {
    active.delete(client);
    await client.end().catch(() => {});
  };
  const queryError = (err: unknown): SourceError => {
    if (err instanceof SourceError) return err;
    const e = err as { code?: string; message?: string };
    // SQLSTATE class 08 (connection exception), 57P (operator intervention), or a socket error.
    if (!e.code || /^(08|57P)/.test(e.code) || /^E[A-Z]+$/.test(e.code)) return connectionError(target, err);
    const msg = scrub(e.message ?? String(err), target.password);
    return new SourceError('UNREADABLE', `读取表失败：${msg}`, `Reading the table failed: ${msg}`);
  };

  // At open: the table must exist (exact name, in the given schema or the first schema of the search path).
  const meta = await connect();
  let schema: string;
  let info: ColumnInfo[];
  let estimatedRows: number | null = null;
  try {
    if (target.schema) schema = target.schema;
    else {
      const r = await meta.query<{ nspname: string }>(
        `SELECT s.nspname FROM unnest(current_schemas(false)) WITH ORDINALITY AS s(nspname, pos)
         WHERE EXISTS (SELECT 1 FROM information_schema.tables t WHERE t.table_schema = s.nspname AND t.table_name = $1)
         ORDER BY s.pos LIMIT 1`,
        [target.table],
      );
      if (r.rows.length === 0) throw tableNotFound(target, where);
      schema = (r.rows[0] as { nspname: string }).nspname;
    }
    const cols = await meta.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [schema, target.table],
    );
    if (cols.rows.length === 0) throw tableNotFound(target, where);
    info = cols.rows.map((c) => ({ name: c.column_name, type: pgColumnType(c.data_type), dbType: c.data_type }));
    const est = await meta.query<{ n: number | null }>(
      `SELECT c.reltuples::float8 AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relname = $2`,
      [schema, target.table],
    );
    const n = est.rows[0]?.n;
    if (typeof n === 'number' && n >= 0) estimatedRows = Math.round(n);
  } catch (err) {
    throw queryError(err);
  } finally {
    await release(meta);
  }
  if (opts.sample !== undefined && estimatedRows !== null) estimatedRows = Math.min(estimatedRows, opts.sample);

  const names = info.map((c) => c.name);
  const select = `SELECT ${names.map(quoteIdent).join(', ')} FROM ${quoteIdent(schema)}.${quoteIdent(target.table)}${
    opts.sample !== undefined ? ` ORDER BY random() LIMIT ${opts.sample}` : ''
  }`;

  return {
    kind: 'postgres',
    describe:
      target.describe.replace(/table=[^&]*/, `table=${encodeURIComponent(`${schema}.${target.table}`)}`) + (opts.sample ? ` (sample ${opts.sample})` : ''),
    estimatedRows,
    columns: async () => [...names],
    columnInfo: async () => info.map((c) => ({ ...c })),
    async *rows(): AsyncGenerator<SourceRow> {
      const client = await connect();
      let line = 0;
      try {
        try {
          await client.query("SET TIME ZONE 'UTC'");
          await client.query('BEGIN READ ONLY');
          await client.query(`DECLARE shuan_source NO SCROLL CURSOR FOR ${select}`);
        } catch (err) {
          throw queryError(err);
        }
        for (;;) {
          let result: pg.QueryArrayResult;
          try {
            result = await client.query({ text: `FETCH FORWARD ${batch} FROM shuan_source`, rowMode: 'array' });
          } catch (err) {
            throw queryError(err);
          }
          for (const r of result.rows) {
            const values: Record<string, SourceValue> = {};
            for (let k = 0; k < names.length; k++) setValue(values, names[k] as string, dbValue(r[k]));
            yield { line: ++line, values };
          }
          if (result.rows.length < batch) break;
        }
      } finally {
        await client.query('ROLLBACK').catch(() => {});
        await release(client);
      }
    },
    close: async () => {
      await Promise.all([...active].map(release));
    },
  };
}
