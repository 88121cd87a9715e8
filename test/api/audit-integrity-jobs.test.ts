// AUD-2 (issue 6: the verification page): the chain's verification as a background job (`audit.verify`,
// POST /api/audit/integrity/jobs). Progress is events checked of the events in range, reported at least every
// 1,000 events; the result is the same report the synchronous GET gives; the job stops between pages when
// cancelled; one runs at a time (409 AUDIT_VERIFY_RUNNING names it); starting is audited with the job row;
// whoever may verify (audit.read anywhere) may read and cancel it, whichever institution started it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobRunner } from '../../src/app/workers.ts';
import type { IntegrityReport } from '../../src/modules/audit/audit-integrity.service.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';

let h: TestApp;
let auditor: Client;
let regulator: Client;
let officer: Client;
let steward: Client;
let dir: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const chainSize = async () =>
  Number(
    (
      await h.t.db
        .selectFrom('audit_chain')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The report without what differs between two runs of the same verification. */
const stable = (r: Record<string, unknown>) => {
  const { elapsedMs: _e, verifiedAt: _v, ...rest } = r;
  return rest;
};

async function start(client: Client, body: Record<string, unknown> = {}) {
  return client.request('POST', '/api/audit/integrity/jobs', body);
}

async function jobStatus(id: string): Promise<string> {
  const row = await h.t.db.selectFrom('jobs').select('status').where('id', '=', id).executeTakeFirstOrThrow();
  return row.status;
}

async function until(what: string, ok: () => Promise<boolean>, ms = 15_000) {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** Edits one event directly in the database (triggers off, committed); returns the undo. */
async function tamper(position: number): Promise<() => Promise<void>> {
  const link = await h.t.db.selectFrom('audit_chain').select('event_id').where('position', '=', position).executeTakeFirstOrThrow();
  const before = await h.t.db.selectFrom('audit_events').select('outcome').where('id', '=', link.event_id).executeTakeFirstOrThrow();
  const set = async (outcome: string) =>
    h.t.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await sql`UPDATE audit_events SET outcome = ${outcome} WHERE id = ${link.event_id}`.execute(trx);
    });
  await set(before.outcome === 'denied' ? 'success' : 'denied');
  return () => set(before.outcome);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shuan-audit-jobs-'));
  h = await createTestApp({ audit: { witnessPath: join(dir, 'witness.json'), checkpointEvery: 500 } });
  auditor = await h.login('city.auditor');
  regulator = await h.login('cac.auditor');
  officer = await h.login('psb.security');
  steward = await h.login('psb.steward');
  // More than two pages of 5,000 positions, so progress, paging and cancellation between pages are exercised.
  const who = { userId: null, username: 'pager', institutionId: null };
  let next = (await chainSize()) + 1;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next <= 10_400) {
        next++;
        await h.services.auditLog.append(who, { action: 'auth.login', outcome: next % 7 ? 'success' : 'failure', details: { n: next } });
      }
    }),
  );
  await h.services.auditLog.checkpoint();
}, 120_000);

afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('AUD-2 verification as a background job', () => {
  it('runs to succeeded with progress done == total and the same report as the synchronous check; the start is audited', async () => {
    const res = await start(auditor);
    expect(res.statusCode).toBe(202);
    const job = res.json();
    expect(job).toMatchObject({ kind: 'audit.verify', status: 'queued', result: null });
    // Audited in the transaction that queued the job.
    const ev = await h.t.db
      .selectFrom('audit_events')
      .select(['action', 'actor_username', 'target_type', 'details'])
      .where('action', '=', 'audit.verify.start')
      .where('target_id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(ev).toMatchObject({ actor_username: 'city.auditor', target_type: 'job', details: { kind: 'audit.verify', from: null, to: null } });

    expect(await createJobRunner(h.t.db, h.services).runOnce()).toBe(job.id);
    const size = await chainSize();
    expect(size).toBeGreaterThan(10_000);
    const done = (await auditor.request('GET', `/api/jobs/${job.id}`)).json();
    expect(done).toMatchObject({ status: 'succeeded', error: null, progress: { done: size, total: size, unit: 'events' } });
    expect(done.result).toMatchObject({ ok: true, problem: null, checkedEvents: size, pending: 0, witness: { status: 'ok' } });
    // verifyLog's result is unchanged by the job: the synchronous check of the same log gives the same report.
    const sync = await h.services.auditIntegrity.verifyLog();
    expect(stable(done.result)).toEqual(stable(JSON.parse(JSON.stringify(sync))));
  });

  it('a ranged job verifies the positions sealed in the range, like the GET with the same query', async () => {
    const from = new Date(Date.now() - 3600_000).toISOString();
    const res = await start(regulator, { from });
    expect(res.statusCode).toBe(202);
    expect(await createJobRunner(h.t.db, h.services).runOnce()).toBe(res.json().id);
    const sync = await h.services.auditIntegrity.verifyLog({ from: new Date(from) });
    const job = (await regulator.request('GET', `/api/jobs/${res.json().id}`)).json();
    expect(job.status).toBe('succeeded');
    expect(job.result).toMatchObject({ ok: true, range: { from, to: null }, witness: null });
    expect(job.progress.done).toBe(job.progress.total);
    expect(job.progress.done).toBe(job.result.checkedEvents);
    expect(stable(job.result)).toEqual(stable(JSON.parse(JSON.stringify(sync))));
  });

  it('names the first broken position after a row is edited directly in the database', async () => {
    const undo = await tamper(6_789);
    try {
      const res = await start(auditor);
      expect(res.statusCode).toBe(202);
      await createJobRunner(h.t.db, h.services).runOnce();
      const job = (await auditor.request('GET', `/api/jobs/${res.json().id}`)).json();
      expect(job.status).toBe('succeeded');
      const report = job.result as IntegrityReport;
      expect(report).toMatchObject({ ok: false, checkedEvents: 6_788, problem: { kind: 'hash_mismatch', position: 6_789 } });
      expect(report.problem?.zh).toMatch(/6789/);
      // Progress stops where the verification stopped: not every event in range was read.
      expect(job.progress.done).toBe(6_788);
      expect(job.progress.total).toBeGreaterThan(10_000);
    } finally {
      await undo();
    }
    expect((await h.services.auditIntegrity.verifyLog()).ok).toBe(true);
  });

  it('reports progress at least every 1,000 events; the report is identical with or without the hooks', async () => {
    const seen: { done: number; total: number }[] = [];
    const withHooks = await h.services.auditIntegrity.verifyLog({}, { progress: (done, total) => seen.push({ done, total }) });
    const without = await h.services.auditIntegrity.verifyLog();
    expect(stable({ ...withHooks })).toEqual(stable({ ...without }));
    const total = withHooks.checkedEvents;
    expect(seen[0]).toEqual({ done: 0, total });
    expect(seen.at(-1)).toEqual({ done: total, total });
    for (let i = 1; i < seen.length; i++) expect((seen[i] as { done: number }).done - (seen[i - 1] as { done: number }).done).toBeLessThanOrEqual(1000);
  });

  it('stops between pages when its signal is aborted, throwing the reason', async () => {
    const abort = new AbortController();
    const reason = new Error('stop here');
    let last = 0;
    const out = await h.services.auditIntegrity
      .verifyLog(
        {},
        {
          signal: abort.signal,
          progress: (done) => {
            last = done;
            if (done >= 5000) abort.abort(reason);
          },
        },
      )
      .catch((e) => e);
    expect(out).toBe(reason);
    // The first page (5,000 positions) was read; the second was not checked.
    expect(last).toBe(5000);
  });

  it('a running job whose cancellation is requested ends cancelled at its next page, with no result', async () => {
    const res = await start(auditor);
    const id = res.json().id as string;
    // Hold the job at its first read of the log (the table locked), so the cancellation lands while it runs.
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let locked: () => void = () => {};
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    const blocker = h.t.db.transaction().execute(async (trx) => {
      await sql`LOCK TABLE audit_events IN ACCESS EXCLUSIVE MODE`.execute(trx);
      locked();
      await held;
    });
    await isLocked;
    const runner = createJobRunner(h.t.db, h.services, { pollMs: 20, leaseMs: 300 });
    runner.start();
    try {
      await until('the job to run', async () => (await jobStatus(id)) === 'running');
      // What POST /api/jobs/:id/cancel stores (its audit event would wait for the lock); the runner's next
      // heartbeat sees it and aborts the job's signal.
      const asked = await sql<{ at: Date }>`UPDATE jobs SET cancel_requested = true WHERE id = ${id} RETURNING clock_timestamp() AS at`.execute(h.t.db);
      const at = asked.rows[0]?.at as Date;
      await until('a heartbeat after the request', async () => {
        const row = await h.t.db.selectFrom('jobs').select('updated_at').where('id', '=', id).executeTakeFirstOrThrow();
        return row.updated_at > at;
      });
    } finally {
      release();
      await blocker;
    }
    await until('the job to end', async () => !['queued', 'running'].includes(await jobStatus(id)));
    await runner.stop();
    const job = (await auditor.request('GET', `/api/jobs/${id}`)).json();
    expect(job).toMatchObject({ status: 'cancelled', cancelRequested: true, result: null });
    // Stopped before its first page was checked.
    expect(job.progress).toMatchObject({ done: 0, unit: 'events' });
    expect(job.progress.total).toBeGreaterThan(10_000);
  });

  it('runs one at a time: a second start gets 409 AUDIT_VERIFY_RUNNING naming the job, which the other auditor may read and cancel', async () => {
    const first = await start(auditor);
    expect(first.statusCode).toBe(202);
    const id = first.json().id as string;
    for (const c of [auditor, regulator, officer]) {
      const again = await start(c);
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ code: 'AUDIT_VERIFY_RUNNING', details: { jobId: id } });
    }
    // Two starts at once: still one job.
    const [a, b] = await Promise.all([start(regulator), start(officer)]);
    expect([a.statusCode, b.statusCode]).toEqual([409, 409]);
    expect(await h.t.db.selectFrom('jobs').select('id').where('kind', '=', 'audit.verify').where('status', 'in', ['queued', 'running']).execute()).toEqual([
      { id },
    ]);
    // The job covers the platform: every holder of audit.read follows it, whichever institution started it.
    for (const c of [regulator, officer]) expect((await c.request('GET', `/api/jobs/${id}`)).json()).toMatchObject({ id, kind: 'audit.verify' });
    const cancelled = await regulator.request('POST', `/api/jobs/${id}/cancel`);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });
    const next = await start(officer);
    expect(next.statusCode).toBe(202);
    await regulator.request('POST', `/api/jobs/${next.json().id}/cancel`);
    const concurrent = await Promise.all([start(regulator), start(officer), start(auditor)]);
    expect(concurrent.map((r) => r.statusCode).sort()).toEqual([202, 409, 409]);
    const winner = concurrent.find((r) => r.statusCode === 202)?.json().id as string;
    for (const r of concurrent.filter((x) => x.statusCode === 409)) expect(r.json().details.jobId).toBe(winner);
    await auditor.request('POST', `/api/jobs/${winner}/cancel`);
  });

  it('needs audit.read: others get 403 and queue nothing, and cannot read a verification job', async () => {
    const before = await h.t.db.selectFrom('jobs').select('id').execute();
    const admin = await h.login('psb.admin');
    for (const c of [steward, admin]) expect((await start(c)).statusCode).toBe(403);
    expect(await h.t.db.selectFrom('jobs').select('id').execute()).toEqual(before);
    const res = await start(auditor);
    const id = res.json().id as string;
    // The job belongs to the city auditor's institution, outside the steward's sight: 404; within sight: 403.
    expect((await steward.request('GET', `/api/jobs/${id}`)).statusCode).toBe(404);
    expect((await steward.request('POST', `/api/jobs/${id}/cancel`)).statusCode).toBe(404);
    const cityAdmin = await h.login('city.admin');
    expect((await cityAdmin.request('GET', `/api/jobs/${id}`)).statusCode).toBe(403);
    await auditor.request('POST', `/api/jobs/${id}/cancel`);
  });

  it('validates the range like the GET', async () => {
    const res = await start(auditor, { from: 'yesterday' });
    expect(res.statusCode).toBe(400);
    expect((await start(auditor, { from: new Date().toISOString(), extra: 1 })).statusCode).toBe(400);
    expect(await h.t.db.selectFrom('jobs').select('id').where('kind', '=', 'audit.verify').where('status', '=', 'queued').execute()).toEqual([]);
  });
});
