// A fresh, migrated database for one test file, cloned from the run's template (test/global-setup.ts).
//
//   let t: TestDatabase;
//   beforeAll(async () => { t = await createTestDatabase(); });
//   afterAll(() => t.drop());
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createDb, type Db, withDatabase } from '../../src/db/database.ts';
import { withAdmin } from './pg-admin.ts';

export interface TestDatabase {
  db: Db;
  /** Connection URL of this database (e.g. for an app under test that opens its own pool). */
  url: string;
  name: string;
  /** Destroys `db`'s pool and drops the database. Idempotent. */
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('dbAdminUrl');
  const template = inject('dbTemplate');
  const runId = inject('dbRunId');
  if (!adminUrl || !template || !runId) {
    throw new Error('test database settings missing: run tests through vitest with test/global-setup.ts');
  }
  const name = `${runId}_${randomBytes(5).toString('hex')}`;

  await withAdmin(adminUrl, async (c) => {
    const sql = `CREATE DATABASE ${c.escapeIdentifier(name)} TEMPLATE ${c.escapeIdentifier(template)}`;
    // Parallel test files clone the same template; PostgreSQL refuses while another session is
    // connected to it ("source database … is being accessed by other users", 55006). Retry briefly.
    for (let attempt = 1; ; attempt++) {
      try {
        await c.query(sql);
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== '55006' || attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 50 * attempt + Math.floor(Math.random() * 50)));
      }
    }
  });

  const url = withDatabase(adminUrl, name);
  const db = createDb(url);
  let dropping: Promise<void> | undefined;
  return {
    db,
    url,
    name,
    drop() {
      dropping ??= (async () => {
        await db.destroy();
        await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`));
      })();
      return dropping;
    },
  };
}
