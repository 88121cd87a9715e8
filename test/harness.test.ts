// Smoke test of the test harness: a per-file database cloned from the migrated template.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';

describe('test database harness', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('gives each file its own migrated database', async () => {
    const { rows } = await sql<{ db: string }>`SELECT current_database() AS db`.execute(t.db);
    expect(rows[0]?.db).toBe(t.name);
    const tables = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_name IN ('institutions', 'users', 'audit_events')
      ORDER BY table_name`.execute(t.db);
    expect(tables.rows.map((r) => r.table_name)).toEqual(['audit_events', 'institutions', 'users']);
  });

  it('refuses UPDATE and DELETE on audit_events', async () => {
    await sql`INSERT INTO audit_events (id, action, outcome) VALUES (gen_random_uuid(), 'harness.check', 'success')`.execute(t.db);
    await expect(sql`UPDATE audit_events SET action = 'tampered'`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_events`.execute(t.db)).rejects.toThrow(/may be removed/);
    const { rows } = await sql<{ action: string }>`SELECT action FROM audit_events`.execute(t.db);
    expect(rows.map((r) => r.action)).toEqual(['harness.check']);
  });

  it('clones concurrently without "being accessed by other users" failures', async () => {
    const extra = await Promise.all([createTestDatabase(), createTestDatabase(), createTestDatabase()]);
    try {
      for (const e of extra) {
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_events`.execute(e.db);
        expect(rows[0]?.n).toBe(0);
      }
    } finally {
      await Promise.all(extra.map((e) => e.drop()));
    }
  });
});
