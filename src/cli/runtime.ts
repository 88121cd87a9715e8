// Opens the platform's database for a CLI command: the external PostgreSQL named by DATABASE_URL, or the
// embedded server under the data directory (started for the command and stopped after it). Migrations
// run on open, so every command sees the current schema.

import { createServices, type Services } from '../app/services.ts';
import type { AppConfig } from '../config.ts';
import { createDb, type Db } from '../db/database.ts';
import { runningEmbeddedUrl, startEmbeddedPostgres } from '../db/embedded.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { type Kek, loadKek } from '../modules/protection/kek.ts';

export interface OpenDatabase {
  db: Db;
  embedded: boolean;
  /** Migration names applied by this open. */
  applied: string[];
  close(): Promise<void>;
}

export async function openDatabase(config: AppConfig, log: (line: string) => void, opts: { attach?: boolean } = {}): Promise<OpenDatabase> {
  // A command run beside `shuan serve` uses the server that serve runs (and leaves it running).
  const running = opts.attach && !config.databaseUrl ? await runningEmbeddedUrl(config.dataDir) : null;
  const externalUrl = config.databaseUrl ?? running;
  if (externalUrl) {
    const db = createDb(externalUrl);
    try {
      const result = await migrateToLatest(db);
      return { db, embedded: !!running, applied: appliedNames(result.results), close: () => db.destroy() };
    } catch (err) {
      await db.destroy();
      throw err;
    }
  }
  const pg = await startEmbeddedPostgres({ dataDir: config.dataDir, onLog: log });
  const db = createDb(pg.url);
  try {
    const result = await migrateToLatest(db);
    return {
      db,
      embedded: true,
      applied: appliedNames(result.results),
      close: async () => {
        await db.destroy();
        await pg.stop();
      },
    };
  } catch (err) {
    await db.destroy();
    await pg.stop();
    throw err;
  }
}

function appliedNames(results: { migrationName: string; status: string }[] | undefined): string[] {
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * The services for a CLI command. The KEK is loaded on first use only, so commands that never touch keys
 * run where none is configured; in demo mode (`seed-demo`) a missing one is created under the data dir.
 */
export function cliServices(config: AppConfig, db: Db, opts: { demo?: boolean } = {}): Services {
  let kek: Kek | null = null;
  return createServices(
    db,
    () => {
      kek ??= loadKek({ env: process.env, dataDir: config.dataDir, createIfMissing: opts.demo === true });
      return kek;
    },
    { audit: { witnessPath: config.auditWitness } },
  );
}
