// Database source URLs: `postgres://user:pass@host:5432/db?table=t` (also `postgresql://`) and
// `mysql://…/db?table=t` (also `mariadb://`); the table may be `schema.table` or come with `&schema=s`.
// The password is kept apart from everything that is shown: `describe` and every error message leave it out.
import { SourceError, type SourceValue } from './types.ts';

export interface DbTarget {
  kind: 'postgres' | 'mysql';
  host: string;
  port: number | null;
  user: string | null;
  password: string | null;
  database: string | null;
  schema: string | null;
  table: string;
  /** Other query parameters, for the driver (e.g. `sslmode`). */
  params: URLSearchParams;
  /** The URL without the password, for display and audit. */
  describe: string;
}

export function isDbUrl(spec: string): boolean {
  return /^(postgres|postgresql|mysql|mariadb):\/\//i.test(spec);
}

export function parseDbUrl(spec: string | URL): DbTarget {
  let url: URL;
  try {
    url = typeof spec === 'string' ? new URL(spec) : new URL(spec.href);
  } catch {
    throw new SourceError('CONNECTION', '数据库地址格式无效', 'The database URL is not valid');
  }
  const scheme = url.protocol.replace(/:$/, '').toLowerCase();
  const kind = scheme === 'postgres' || scheme === 'postgresql' ? 'postgres' : scheme === 'mysql' || scheme === 'mariadb' ? 'mysql' : null;
  if (!kind) throw new SourceError('CONNECTION', `不支持的数据库类型：${scheme}`, `Unsupported database type: ${scheme}`);
  const params = new URLSearchParams(url.search);
  let table = params.get('table');
  let schema = params.get('schema');
  params.delete('table');
  params.delete('schema');
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || null;
  const user = url.username ? decodeURIComponent(url.username) : null;
  const password = url.password ? decodeURIComponent(url.password) : null;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost';
  const port = url.port ? Number(url.port) : null;
  const shownHost = url.hostname || 'localhost';
  const base = `${scheme}://${user ? `${encodeURIComponent(user)}@` : ''}${shownHost}${port ? `:${port}` : ''}/${database ? encodeURIComponent(database) : ''}`;
  if (!table) {
    throw new SourceError('NOT_FOUND', `数据库地址 ${base} 没有指定表（?table=表名）`, `The database URL ${base} names no table (?table=NAME)`);
  }
  if (!schema && table.includes('.')) {
    const dot = table.indexOf('.');
    schema = table.slice(0, dot);
    table = table.slice(dot + 1);
  }
  const describe = `${base}?table=${encodeURIComponent(schema ? `${schema}.${table}` : table)}`;
  return { kind, host, port, user, password, database, schema: schema || null, table, params, describe };
}

/** The message with the password cut out, in case a driver ever echoes it. */
export function scrub(message: string, password: string | null): string {
  if (!password || password.length < 3) return message;
  return message.split(password).join('***');
}

/** A database value as a cell: numbers stay numbers (non-finite ones become text), binary becomes base64,
 * arrays and objects their JSON text. */
export function dbValue(v: unknown): SourceValue {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : String(v);
    case 'bigint':
      return v.toString();
    default:
      if (Buffer.isBuffer(v)) return v.toString('base64');
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
      return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  }
}

/** Driver error → CONNECTION, with a reason a person can act on and never the password. */
export function connectionError(target: DbTarget, err: unknown): SourceError {
  const e = err as { code?: string; message?: string };
  const reason = scrub(e.message ?? String(err), target.password);
  return new SourceError(
    'CONNECTION',
    `无法连接数据库 ${target.describe.replace(/\?.*$/, '')}：${reason}`,
    `Cannot connect to the database ${target.describe.replace(/\?.*$/, '')}: ${reason}`,
    { cause: err instanceof Error ? new Error(reason) : undefined },
  );
}

export function tableNotFound(target: DbTarget, where: string): SourceError {
  const name = target.schema ? `${target.schema}.${target.table}` : target.table;
  return new SourceError(
    'NOT_FOUND',
    `数据库 ${where} 中没有表 ${name}（或没有读取它的权限）`,
    `There is no table ${name} in the database ${where} (or no permission to read it)`,
  );
}
