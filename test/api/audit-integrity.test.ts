// AUD-2 (FZ-17), AUD-4: the tamper-evident audit log. Every event is on an SM3 hash chain before the request
// that wrote it answers; checkpoints are SM2-signed; verification finds every kind of tampering done directly
// in the database (a randomised run of 1,000 tamperings, 100% detected); exports verify offline; the
// database refuses changes; a log that cannot be written fails the operation closed (503, nothing leaves).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { uuidv7 } from '../../src/db/ids.ts';
import { chainMac, linkHash, verifyBundleLines, verifyCheckpoint } from '../../src/engines/audit-chain/index.ts';
import { importSm2PublicKey, sm3 } from '../../src/engines/gm/index.ts';
import { CHAIN_EVENT_COLUMNS, type ChainEventRow, chainEventOf } from '../../src/modules/audit/audit.sealer.ts';
import { AuditIntegrityService } from '../../src/modules/audit/audit-integrity.service.ts';
import { loadActor } from '../../src/modules/org/actor.repo.ts';
import type { Actor } from '../../src/modules/org/actor.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';

let h: TestApp;
let auditor: Client;
let officer: Client;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shuan-audit-'));
  h = await createTestApp({ audit: { witnessPath: join(dir, 'witness.json'), checkpointEvery: 40 } });
  auditor = await h.login('city.auditor');
  officer = await h.login('psb.security');
});
afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = async (table: 'audit_events' | 'audit_chain' | 'audit_pending' | 'audit_checkpoints') =>
  Number(
    (
      await h.t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Some varied events through the group-commit appender, 25 writers at a time. */
async function appendMany(n: number) {
  const who = { userId: null, username: 'bench', institutionId: null, ip: '10.1.2.3', requestId: null };
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      h.services.auditLog.append(who, {
        action: i % 2 ? 'sharing.gateway.read' : 'auth.login',
        outcome: i % 5 ? 'success' : 'failure',
        target: { type: 'data_resource', id: `r-${i}` },
        details: { rows: i, 说明: '全角１２３', nested: { z: [1, null, 'x'], a: true } },
      }),
    ),
  );
}

describe('the chain', () => {
  it('chains every event a request wrote before the request answers', async () => {
    const res = await officer.request('GET', '/api/audit-events?pageSize=1');
    expect(res.statusCode).toBe(200);
    expect(await count('audit_pending')).toBe(0);
    expect(await count('audit_chain')).toBe(await count('audit_events'));
    const login = await h.t.db
      .selectFrom('audit_events')
      .select('id')
      .where('actor_username', '=', 'psb.security')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(await h.t.db.selectFrom('audit_chain').select('position').where('event_id', '=', login.id).executeTakeFirst()).toBeDefined();
  });

  it('acknowledges appends only when chained, with positions in one gap-free order', async () => {
    const before = await count('audit_chain');
    await appendMany(120);
    const rows = await h.t.db.selectFrom('audit_chain').select('position').orderBy('position').execute();
    expect(rows.length).toBe(before + 120);
    expect(rows.every((r, i) => Number(r.position) === i + 1)).toBe(true);
    // A checkpoint closes any pass that took the head 40 or more events past the last one.
    const last = await h.t.db
      .selectFrom('audit_checkpoints')
      .select((eb) => eb.fn.max('position').as('p'))
      .executeTakeFirstOrThrow();
    expect(rows.length - Number(last.p)).toBeLessThan(40);
  });

  it('verifies through the API, with the witness outside the database', async () => {
    await h.services.auditLog.checkpoint();
    const res = await auditor.request('GET', '/api/audit/integrity');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ ok: true, problem: null, pending: 0, witness: { status: 'ok' } });
    expect(body.checkedEvents).toBe(await count('audit_chain'));
    expect(body.checkpointsVerified).toBe(await count('audit_checkpoints'));
    const ranged = await auditor.request('GET', `/api/audit/integrity?from=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}`);
    expect(ranged.json()).toMatchObject({ ok: true });
  });

  it('gives each event a proof a third party can recompute', async () => {
    const list = await auditor.request('GET', '/api/audit-events?pageSize=5');
    const id = list.json().items[3].id as string;
    const proof = (await auditor.request('GET', `/api/audit-events/${id}/proof`)).json();
    expect(proof).toMatchObject({ chained: true, verified: true });
    expect(sm3(Buffer.concat([Buffer.from(proof.previousHash, 'hex'), Buffer.from(proof.canonical, 'utf8')])).toString('hex')).toBe(proof.hash);
    const keys = (await auditor.request('GET', '/api/audit/integrity/public-key')).json();
    const key = importSm2PublicKey(keys.keys[0].publicKeyPem);
    expect(keys.keys[0].fingerprint).toBe(proof.checkpoint.fingerprint);
    const cp = proof.checkpoint;
    expect(verifyCheckpoint(key, { ...cp, headHash: Buffer.from(cp.headHash, 'hex'), signature: Buffer.from(cp.signature, 'hex') })).toBe(true);
    // Another institution's event is not this officer's to see.
    const psb = officer;
    const cityOnly = await h.t.db.selectFrom('audit_events').select('id').where('actor_username', '=', 'city.auditor').executeTakeFirstOrThrow();
    expect((await psb.request('GET', `/api/audit-events/${cityOnly.id}/proof`)).statusCode).toBe(404);
  });

  it('is refused UPDATE, DELETE and TRUNCATE by the database', async () => {
    for (const stmt of [
      sql`UPDATE audit_events SET action = 'x' WHERE seq = (SELECT min(seq) FROM audit_events)`,
      sql`DELETE FROM audit_events WHERE seq = (SELECT min(seq) FROM audit_events)`,
      sql`UPDATE audit_chain SET hash = hash WHERE position = 1`,
      sql`DELETE FROM audit_chain WHERE position = 1`,
      sql`DELETE FROM audit_checkpoints`,
      sql`TRUNCATE audit_chain`,
      sql`TRUNCATE audit_events`,
    ]) {
      await expect(stmt.execute(h.t.db)).rejects.toThrow(/append-only|may be removed/);
    }
  });
});

describe('tampering directly in the database', () => {
  class Rollback extends Error {}

  /** Runs `tamper` as a superuser with triggers off, verifies inside the same transaction, rolls back. */
  async function detect(tamper: (trx: Db) => Promise<void>) {
    let outcome: Awaited<ReturnType<AuditIntegrityService['verifyLog']>> | null = null;
    try {
      await h.t.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL session_replication_role = replica`.execute(trx);
        await tamper(trx as unknown as Db);
        const svc = new AuditIntegrityService(trx as unknown as Db, h.services.auditLog, h.services.audit);
        outcome = await svc.verifyLog();
        throw new Rollback();
      });
    } catch (err) {
      if (!(err instanceof Rollback)) throw err;
    }
    return outcome as unknown as Awaited<ReturnType<AuditIntegrityService['verifyLog']>>;
  }

  async function chainRows(db: Db) {
    const r = await sql<ChainEventRow & { position: number; hash: Buffer }>`
      SELECT c.position, c.hash, ${CHAIN_EVENT_COLUMNS} FROM audit_chain c JOIN audit_events e ON e.id = c.event_id ORDER BY c.position`.execute(db);
    return r.rows;
  }

  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;

  it('detects 100% of 1,000 random edits, deletions, insertions, reorderings, truncations and roll-backs', async () => {
    await appendMany(60);
    await h.services.auditLog.checkpoint();
    expect((await h.services.auditIntegrity.verifyLog()).ok).toBe(true);
    const rows = await chainRows(h.t.db);
    const head = rows.length;
    const positions = rows.map((r) => Number(r.position));
    const idAt = (p: number) => (rows[p - 1] as ChainEventRow).id;
    const edits: Record<string, (id: string) => ReturnType<typeof sql>> = {
      action: (id) => sql`UPDATE audit_events SET action = action || '.x' WHERE id = ${id}`,
      actor: (id) => sql`UPDATE audit_events SET actor_username = 'mallory' WHERE id = ${id}`,
      outcome: (id) => sql`UPDATE audit_events SET outcome = CASE outcome WHEN 'success' THEN 'denied' ELSE 'success' END WHERE id = ${id}`,
      ip: (id) => sql`UPDATE audit_events SET ip = '203.0.113.9' WHERE id = ${id}`,
      target: (id) => sql`UPDATE audit_events SET target_id = coalesce(target_id, '') || '1' WHERE id = ${id}`,
      details: (id) => sql`UPDATE audit_events SET details = details || '{"rows": 999999}'::jsonb WHERE id = ${id}`,
      time: (id) => sql`UPDATE audit_events SET occurred_at = occurred_at + interval '1 microsecond' WHERE id = ${id}`,
    };
    const kinds: Record<string, (trx: Db) => Promise<void>> = {
      edit: async (trx) => {
        await pick(Object.values(edits))(idAt(pick(positions))).execute(trx);
      },
      edit_and_recompute: async (trx) => {
        const p = pick(positions);
        await edits.actor?.(idAt(p)).execute(trx);
        const fresh = await chainRows(trx);
        let prev = p === 1 ? Buffer.alloc(32) : (fresh[p - 2]?.hash as Buffer);
        for (let q = p; q <= head; q++) {
          prev = linkHash(prev, q, chainEventOf(fresh[q - 1] as ChainEventRow));
          await sql`UPDATE audit_chain SET hash = ${prev} WHERE position = ${q}`.execute(trx);
        }
      },
      delete_event: async (trx) => {
        await sql`DELETE FROM audit_events WHERE id = ${idAt(pick(positions))}`.execute(trx);
      },
      delete_chain_row: async (trx) => {
        await sql`DELETE FROM audit_chain WHERE position = ${pick(positions)}`.execute(trx);
      },
      delete_both: async (trx) => {
        const p = pick(positions);
        await sql`DELETE FROM audit_events WHERE id = ${idAt(p)}`.execute(trx);
        await sql`DELETE FROM audit_chain WHERE position = ${p}`.execute(trx);
      },
      insert_event: async (trx) => {
        await sql`INSERT INTO audit_events (id, action, outcome, actor_username) VALUES (${uuidv7()}, 'auth.login', 'success', 'ghost')`.execute(trx);
      },
      insert_chained: async (trx) => {
        const id = uuidv7();
        const ins = await sql<{ seq: number }>`
          INSERT INTO audit_events (id, occurred_at, action, outcome) VALUES (${id}, now(), 'auth.login', 'success') RETURNING seq`.execute(trx);
        const ev = await sql<ChainEventRow>`SELECT ${CHAIN_EVENT_COLUMNS} FROM audit_events e WHERE e.id = ${id}`.execute(trx);
        const hash = linkHash(rows[head - 1]?.hash as Buffer, head + 1, chainEventOf(ev.rows[0] as ChainEventRow));
        void ins;
        await sql`INSERT INTO audit_chain (position, event_id, hash, mac) VALUES (${head + 1}, ${id}, ${hash}, ${chainMac(Buffer.alloc(32, 1), head + 1, hash)})`.execute(
          trx,
        );
      },
      reorder_chain: async (trx) => {
        const a = pick(positions);
        let b = pick(positions);
        while (b === a) b = pick(positions);
        const parked = uuidv7();
        await sql`UPDATE audit_chain SET event_id = ${parked} WHERE position = ${a}`.execute(trx);
        await sql`UPDATE audit_chain SET event_id = ${idAt(a)} WHERE position = ${b}`.execute(trx);
        await sql`UPDATE audit_chain SET event_id = ${idAt(b)} WHERE position = ${a}`.execute(trx);
      },
      reorder_content: async (trx) => {
        const a = pick(positions);
        let b = pick(positions);
        while (b === a) b = pick(positions);
        await sql`UPDATE audit_events x SET occurred_at = y.occurred_at, action = y.action, details = y.details
          FROM audit_events y WHERE (x.id, y.id) IN ((${idAt(a)}::uuid, ${idAt(b)}::uuid), (${idAt(b)}::uuid, ${idAt(a)}::uuid))`.execute(trx);
      },
      truncate_tail: async (trx) => {
        const k = 1 + Math.floor(Math.random() * 20);
        await sql`DELETE FROM audit_events WHERE id IN (SELECT event_id FROM audit_chain WHERE position > ${head - k})`.execute(trx);
        await sql`DELETE FROM audit_chain WHERE position > ${head - k}`.execute(trx);
        await sql`DELETE FROM audit_checkpoints WHERE position > ${head - k}`.execute(trx);
      },
      roll_back: async (trx) => {
        // The whole log as it was at an earlier position: events, chain and checkpoints after it gone.
        const p = pick(positions.slice(0, -1));
        await sql`DELETE FROM audit_events WHERE id IN (SELECT event_id FROM audit_chain WHERE position > ${p})`.execute(trx);
        await sql`DELETE FROM audit_chain WHERE position > ${p}`.execute(trx);
        await sql`DELETE FROM audit_checkpoints WHERE position > ${p}`.execute(trx);
      },
      strip_macs_and_recompute: async (trx) => {
        // Rewrite the tail without the KEK: recompute hashes and drop the MACs that would betray it.
        const p = pick(positions.slice(-30));
        await edits.details?.(idAt(p)).execute(trx);
        const fresh = await chainRows(trx);
        let prev = fresh[p - 2]?.hash as Buffer;
        for (let q = p; q <= head; q++) {
          prev = linkHash(prev, q, chainEventOf(fresh[q - 1] as ChainEventRow));
          await sql`UPDATE audit_chain SET hash = ${prev}, mac = NULL WHERE position = ${q}`.execute(trx);
        }
      },
      forge_checkpoint: async (trx) => {
        await sql`UPDATE audit_checkpoints SET head_hash = ${sm3('forged')} WHERE position = (SELECT max(position) FROM audit_checkpoints)`.execute(trx);
      },
    };
    const names = Object.keys(kinds);
    const tried: Record<string, number> = {};
    const missed: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const name = names[i % names.length] as string;
      const out = await detect(kinds[name] as (trx: Db) => Promise<void>);
      tried[name] = (tried[name] ?? 0) + 1;
      if (out.ok) missed.push(name);
    }
    expect(missed).toEqual([]);
    expect(Object.values(tried).reduce((a, b) => a + b, 0)).toBe(1000);
    // And nothing stayed behind: the log still verifies.
    expect((await h.services.auditIntegrity.verifyLog()).ok).toBe(true);
  }, 240_000);

  it('reads the log page by page (5,000 positions a page) and still finds damage past the first page', async () => {
    const before = await count('audit_chain');
    const who = { userId: null, username: 'pager', institutionId: null };
    let next = 0;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < 5300 - before) {
          next++;
          await h.services.auditLog.append(who, { action: 'auth.login', details: { n: next } });
        }
      }),
    );
    const all = await count('audit_chain');
    expect(all).toBeGreaterThan(5000);
    expect(await h.services.auditIntegrity.verifyLog()).toMatchObject({ ok: true, checkedEvents: all });
    const victim = await h.t.db.selectFrom('audit_chain').select('event_id').where('position', '=', 5123).executeTakeFirstOrThrow();
    const out = await detect(async (trx) => {
      await sql`UPDATE audit_events SET outcome = 'denied' WHERE id = ${victim.event_id}`.execute(trx);
    });
    expect(out.problem).toMatchObject({ kind: 'hash_mismatch', position: 5123 });
  });

  it('names what it found: the first broken position and the kind of damage', async () => {
    const rows = await chainRows(h.t.db);
    const p = 7;
    const edited = await detect(async (trx) => {
      await sql`UPDATE audit_events SET action = 'catalog.export' WHERE id = ${(rows[p - 1] as ChainEventRow).id}`.execute(trx);
    });
    expect(edited.problem).toMatchObject({ kind: 'hash_mismatch', position: p });
    const inserted = await detect(async (trx) => {
      await sql`INSERT INTO audit_events (id, action, outcome) VALUES (${uuidv7()}, 'auth.login', 'success')`.execute(trx);
    });
    expect(inserted.problem?.kind).toBe('unchained_event');
    const rolledBack = await detect(async (trx) => {
      await sql`DELETE FROM audit_events WHERE id IN (SELECT event_id FROM audit_chain WHERE position > 10)`.execute(trx);
      await sql`DELETE FROM audit_chain WHERE position > 10`.execute(trx);
      await sql`DELETE FROM audit_checkpoints WHERE position > 10`.execute(trx);
    });
    expect(rolledBack.problem?.kind).toBe('witness_rolled_back');
  });
});

describe('export for a regulator', () => {
  it('exports a bundle that verifies offline against the published fingerprint, and one edit breaks it', async () => {
    const res = await auditor.request('GET', '/api/audit/integrity/export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/shuan-audit-1-\d+\.jsonl/);
    const lines = res.body.split('\n').filter(Boolean);
    const fp = (await auditor.request('GET', '/api/audit/integrity/public-key')).json().keys[0].fingerprint as string;
    const out = await verifyBundleLines(lines, { expectFingerprint: fp });
    expect(out.problem).toBeNull();
    expect(out.ok).toBe(true);
    const i = lines.findIndex((l) => l.startsWith('E ')) + 5;
    const edited = lines.map((l, j) => (j === i ? l.replace(/"(success|failure|denied)"/, (_m, o) => `"${o === 'success' ? 'denied' : 'success'}"`) : l));
    expect(edited[i]).not.toBe(lines[i]);
    expect((await verifyBundleLines(edited, { expectFingerprint: fp })).ok).toBe(false);
    // The export itself is audited.
    const ev = await h.t.db.selectFrom('audit_events').select('action').where('action', '=', 'audit.export').executeTakeFirst();
    expect(ev).toBeDefined();
  });

  it('is only for auditors whose reach covers the platform, and the key answer says so', async () => {
    expect((await auditor.request('GET', '/api/audit/integrity/public-key')).json().canExport).toBe(true);
    expect((await officer.request('GET', '/api/audit/integrity/public-key')).json().canExport).toBe(false);
    expect((await officer.request('GET', '/api/audit/integrity/export')).statusCode).toBe(403);
  });

  it('refuses to export a log that does not verify', async () => {
    await sql`SET session_replication_role = replica`.execute(h.t.db);
    const ev = await h.t.db.selectFrom('audit_chain').select('event_id').where('position', '=', 3).executeTakeFirstOrThrow();
    const before = await h.t.db.selectFrom('audit_events').select('action').where('id', '=', ev.event_id).executeTakeFirstOrThrow();
    await sql`UPDATE audit_events SET action = 'tampered' WHERE id = ${ev.event_id}`.execute(h.t.db);
    try {
      const res = await auditor.request('GET', '/api/audit/integrity/export');
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('AUDIT_CHAIN_BROKEN');
      const v = (await auditor.request('GET', '/api/audit/integrity')).json();
      expect(v).toMatchObject({ ok: false, problem: { kind: 'hash_mismatch', position: 3 } });
    } finally {
      await sql`UPDATE audit_events SET action = ${before.action} WHERE id = ${ev.event_id}`.execute(h.t.db);
      await sql`SET session_replication_role = origin`.execute(h.t.db);
    }
  });
});

describe('fail closed', () => {
  it('refuses the operation with 503 when the log cannot be written, and changes nothing', async () => {
    const admin = await h.login('admin');
    const before = await h.t.db.selectFrom('settings').selectAll().execute();
    await sql`CREATE FUNCTION audit_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`.execute(h.t.db);
    await sql`CREATE TRIGGER audit_down BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_down()`.execute(h.t.db);
    try {
      const policy = (await admin.request('GET', '/api/settings/security-policy')).json();
      const res = await admin.request('PUT', '/api/settings/security-policy', { ...policy, passwordMinLength: policy.passwordMinLength + 1 });
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('AUDIT_UNAVAILABLE');
      expect(await h.t.db.selectFrom('settings').selectAll().execute()).toEqual(before);
    } finally {
      await sql`DROP TRIGGER audit_down ON audit_events; DROP FUNCTION audit_down()`.execute(h.t.db);
    }
  });

  it('fails a dataset load whose audit event cannot be written mid-load: 503, no version, no rows', async () => {
    // A resource with fields, loaded by its steward; the audit store breaks while the rows stream in.
    const steward = await h.login('psb.steward');
    const psb = await h.inst('示范市公安局');
    const systemId = uuidv7();
    await h.t.db
      .insertInto('systems')
      .values({
        id: systemId,
        institution_id: psb,
        name: `审计失败系统${systemId.slice(-4)}`,
        status: 'accepted',
        trusted_terminals: '[]',
        storage_carriers: '[]',
      })
      .execute();
    const created = await steward.request('POST', '/api/resources', {
      systemId,
      name: `审计失败资源${systemId.slice(-4)}`,
      shareAttribute: 'unconditional',
      openAttribute: 'not_open',
      fields: [
        { name: 'xm', dataType: 'string' },
        { name: 'nl', dataType: 'integer' },
      ],
    });
    expect(created.statusCode).toBe(201);
    const resourceId = created.json().id as string;
    const actor = (await loadActor(h.t.db, steward.userId, { ip: null, requestId: null, lang: 'zh' }, { tokenScopes: null, sessionId: null })) as Actor;
    const rows = async function* () {
      for (let line = 1; line <= 2000; line++) {
        if (line === 1000) {
          await sql`CREATE FUNCTION audit_down2() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit disk full'; END $$`.execute(h.t.db);
          await sql`CREATE TRIGGER audit_down2 BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_down2()`.execute(h.t.db);
        }
        yield { line, values: { xm: `张${line}`, nl: String(line % 90) } };
      }
    };
    try {
      const err = await h.services.datasets
        .load(actor, resourceId, { kind: 'csv', name: 'people.csv', columns: ['xm', 'nl'], rows: rows() }, { mode: 'replace' })
        .catch((e) => e);
      expect(err).toMatchObject({ code: 'AUDIT_UNAVAILABLE', httpStatus: 503 });
    } finally {
      await sql`DROP TRIGGER IF EXISTS audit_down2 ON audit_events; DROP FUNCTION IF EXISTS audit_down2()`.execute(h.t.db);
    }
    expect(await h.t.db.selectFrom('dataset_versions').select('id').where('resource_id', '=', resourceId).execute()).toEqual([]);
    expect(await h.t.db.selectFrom('dataset_rows').select('id').where('resource_id', '=', resourceId).execute()).toEqual([]);
  });

  it('sends no data when its events cannot be chained', async () => {
    await sql`CREATE FUNCTION chain_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'chain store offline'; END $$`.execute(h.t.db);
    await sql`CREATE TRIGGER chain_down BEFORE INSERT ON audit_chain FOR EACH ROW EXECUTE FUNCTION chain_down()`.execute(h.t.db);
    try {
      const res = await auditor.request('GET', '/api/audit/integrity/export');
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('AUDIT_UNAVAILABLE');
      expect(res.body).not.toMatch(/^E /m);
    } finally {
      await sql`DROP TRIGGER chain_down ON audit_chain; DROP FUNCTION chain_down()`.execute(h.t.db);
    }
    await h.services.auditLog.flush();
    expect(await count('audit_pending')).toBe(0);
    expect((await h.services.auditIntegrity.verifyLog()).ok).toBe(true);
  });
});
