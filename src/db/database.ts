// Kysely factory: one code path for the embedded server and an external PostgreSQL (DATABASE_URL).
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

// timestamptz comes back as Date; bigint (int8) as string unless we parse it. Counts and sequence
// numbers here stay far below 2^53, so parse int8 to number for ergonomic, exact values.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// `date` columns stay plain 'YYYY-MM-DD' strings: they are calendar dates (Beijing), not instants.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
// …and so do date[] columns (OID 1182): '{2026-01-01,2026-02-16}' → ['2026-01-01', '2026-02-16'].
pg.types.setTypeParser(1182 as never, (v: string) => (v === '{}' ? [] : v.slice(1, -1).split(',')));

export type Db = Kysely<Database>;

/** The pg pool behind each Db made here (see poolOf). */
const pools = new WeakMap<Db, pg.Pool>();

export function createDb(connectionString: string, opts: { max?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString, max: opts.max ?? 10 });
  // An idle client losing its server (e.g. the embedded server stopping) must not crash the app.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
}

/**
 * The pg pool under a Db from createDb, for the few hot statements that need what Kysely does not offer:
 * a named prepared statement (parsed and planned once per connection, not at every execution).
 */
export function poolOf(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('poolOf: this Db was not made by createDb');
  return pool;
}

/** Replaces the database name in a postgres:// URL (used to reach sibling databases on one server). */
export function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Either the database or an open transaction: repo functions accept both. */
export type Executor = Kysely<Database> | import('kysely').Transaction<Database>;
