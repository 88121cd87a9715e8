// Vitest global setup: one PostgreSQL server per test run and one migrated template database.
// Each test file clones its own database from the template (test/helpers/db.ts).
//
// With DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) that server is used and only the
// databases this run creates (template `shuan_tpl_<id>`, clones `shuan_run_<id>_*`) are touched.
// Without it, an embedded server is started in a fresh temp directory and removed afterwards.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildNative } from '../scripts/build-native.mjs';
import { createDb, withDatabase } from '../src/db/database.ts';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../src/db/embedded.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { withAdmin } from './helpers/pg-admin.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the run's server (any database; used for CREATE/DROP DATABASE). */
    dbAdminUrl: string;
    /** Migrated template database to clone. */
    dbTemplate: string;
    /** Prefix of every database created by this run (`<runId>_…`). */
    dbRunId: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const suffix = randomBytes(5).toString('hex');
  const runId = `shuan_run_${suffix}`;
  const template = `shuan_tpl_${suffix}`;
  const log = (msg: string) => process.stderr.write(`[test db] ${msg}\n`);
  const started = Date.now();

  await reapAbandonedTempDirs(log);
  // The native discovery scanner, when its sources changed since it was built (npm ci builds it first).
  buildNative({ quiet: true });

  let embedded: EmbeddedPostgres | undefined;
  let tempDir: string | undefined;
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'shuan-test-pg-'));
    const lines: string[] = [];
    try {
      embedded = await startEmbeddedPostgres({
        dataDir: tempDir,
        database: 'postgres',
        onLog: (l) => {
          lines.push(l); // shown only if the start fails
          if (lines.length > 200) lines.shift();
        },
        // A throwaway server: durability buys nothing here, commit latency does.
        settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
      });
    } catch (err) {
      process.stderr.write(`${lines.join('\n')}\n`);
      await fs.rm(tempDir, { recursive: true, force: true });
      throw err;
    }
    adminUrl = embedded.adminUrl;
  }
  const serverReady = Date.now();

  const teardown = async () => {
    try {
      await dropRunDatabases(adminUrl, runId, template);
    } finally {
      if (embedded) await embedded.stop();
      if (tempDir) await fs.rm(tempDir, { recursive: true, force: true });
    }
  };

  try {
    await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(template)}`));
    const db = createDb(withDatabase(adminUrl, template), { max: 1 });
    try {
      await migrateToLatest(db);
    } finally {
      await db.destroy(); // CREATE DATABASE … TEMPLATE fails while the template has connections
    }
  } catch (err) {
    await teardown().catch(() => {});
    throw err;
  }
  log(
    `${embedded ? `embedded server on port ${embedded.port}` : 'DATABASE_URL server'} ready in ${serverReady - started} ms, ` +
      `template ${template} migrated in ${Date.now() - serverReady} ms`,
  );

  project.provide('dbAdminUrl', adminUrl);
  project.provide('dbTemplate', template);
  project.provide('dbRunId', runId);
  return teardown;
}

/** Drops the template and every clone of this run (and nothing else on the server). */
async function dropRunDatabases(adminUrl: string, runId: string, template: string): Promise<void> {
  await withAdmin(adminUrl, async (c) => {
    const { rows } = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname = $1 OR starts_with(datname, $2)`, [
      template,
      `${runId}_`,
    ]);
    for (const { datname } of rows) {
      await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(datname)} WITH (FORCE)`);
    }
  });
}

/**
 * An interrupted run (Ctrl-C skips global teardown) leaves its temp directories behind: this run's
 * server dir (`shuan-test-pg-*`) and those of src/db/embedded.test.ts (`shuan-embedded-test-*`).
 * Their servers normally stop with the process that started them; a directory whose owner process is
 * gone is removed here, after a fast shutdown of any server still running from it.
 */
async function reapAbandonedTempDirs(log: (msg: string) => void): Promise<void> {
  const tmp = os.tmpdir();
  for (const name of await fs.readdir(tmp).catch(() => [] as string[])) {
    if (!/^shuan-(test-pg|embedded-test)-/.test(name)) continue;
    const dir = path.join(tmp, name);
    try {
      const lock = await readJson<{ pid?: number }>(path.join(dir, 'embedded.lock'));
      if (lock?.pid && isAlive(lock.pid)) continue; // a live run
      if (!lock && Date.now() - (await fs.stat(dir)).mtimeMs < 30 * 60_000) continue; // maybe just created
      const pgDir = path.join(dir, 'pg');
      const pid = Number.parseInt((await fs.readFile(path.join(pgDir, 'postmaster.pid'), 'utf8').catch(() => '')) || '', 10);
      if (pid && isAlive(pid) && (await fs.readlink(`/proc/${pid}/cwd`).catch(() => '')) === pgDir) {
        process.kill(pid, 'SIGINT');
        for (let i = 0; i < 300 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
        if (isAlive(pid)) continue;
      }
      await fs.rm(dir, { recursive: true, force: true });
      log(`removed abandoned ${dir}`);
    } catch {
      // not ours to judge; leave it
    }
  }
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2)); // a zombie has exited
  } catch {
    return !existsSync('/proc/self'); // Linux: gone meanwhile; elsewhere: cannot tell, assume alive
  }
}
