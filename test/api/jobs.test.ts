// Background jobs: claimed once across runners, progress recorded, cancellation (queued: at once; running:
// at the next heartbeat), a job whose worker died taken up again (it survives a restart), attempts bounded,
// failures recorded with their code, and a graceful stop handing the job back without spending an attempt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badRequest } from '../../src/app/errors.ts';
import { JobCancelled, JobRunner } from '../../src/modules/jobs/job-runner.ts';
import { loadActor } from '../../src/modules/org/actor.repo.ts';
import type { Actor } from '../../src/modules/org/actor.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';

let h: TestApp;
let steward: Actor;
let stewardClient: Client;
let psb: string;
const KIND = 'test.count';

beforeAll(async () => {
  h = await createTestApp();
  psb = await h.inst('示范市公安局');
  stewardClient = await h.login('psb.steward');
  steward = (await loadActor(h.t.db, stewardClient.userId, { ip: null, requestId: null, lang: 'zh' }, { tokenScopes: null, sessionId: null })) as Actor;
  h.services.jobs.defineKind(KIND, { read: 'catalog.read', cancel: 'catalog.manage', label: { zh: '计数', en: 'Count' } });
});
afterAll(() => h.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const enqueue = (params: Record<string, unknown>, maxAttempts?: number) =>
  h.services.jobs.enqueue(h.t.db, steward, { kind: KIND, institutionId: psb, params, ...(maxAttempts ? { maxAttempts } : {}) });

async function waitFor(id: string, statuses: string[], ms = 10_000) {
  const until = Date.now() + ms;
  for (;;) {
    const job = await h.services.jobs.get(steward, id);
    if (statuses.includes(job.status)) return job;
    if (Date.now() > until) throw new Error(`job ${id} stayed ${job.status}`);
    await sleep(50);
  }
}

/** Counts to params.n, reporting progress; stops when aborted; fails when asked to. */
function counter(runner: JobRunner, seen: string[] = []) {
  return runner.register(KIND, async (ctx) => {
    seen.push(ctx.id);
    const n = Number(ctx.params.n ?? 3);
    if (ctx.params.fail) throw badRequest('BAD_INPUT_IN_JOB', '任务参数有误', 'Bad job input');
    for (let i = 1; i <= n; i++) {
      if (ctx.signal.aborted) throw ctx.signal.reason instanceof JobCancelled ? ctx.signal.reason : new Error('aborted');
      ctx.progress({ done: i, total: n, unit: 'rows' });
      await sleep(Number(ctx.params.stepMs ?? 1));
    }
    return { counted: n };
  });
}

describe('job queue', () => {
  it('runs a job once with its progress and result; a second runner finds nothing to claim', async () => {
    const id = await enqueue({ n: 5 });
    const a = counter(new JobRunner(h.t.db));
    const b = counter(new JobRunner(h.t.db));
    const [ra, rb] = await Promise.all([a.runOnce(), b.runOnce()]);
    expect([ra, rb].filter(Boolean)).toEqual([id]);
    const job = await h.services.jobs.get(steward, id);
    expect(job).toMatchObject({ status: 'succeeded', result: { counted: 5 }, progress: { done: 5, total: 5, unit: 'rows' }, attempts: 1 });
  });

  it('a finished job keeps its last progress even when that write started just before the handler returned', async () => {
    // The last report comes more than a second after the previous one, so it is written at once (in the
    // background), and the handler returns right after it: the job's final update must not overtake it.
    const runner = new JobRunner(h.t.db).register(KIND, async (ctx) => {
      ctx.progress({ done: 1, total: 3, unit: 'rows' });
      await sleep(1100);
      ctx.progress({ done: 2, total: 3, unit: 'rows' });
      await sleep(1100);
      ctx.progress({ done: 3, total: 3, unit: 'rows' });
      return { counted: 3 };
    });
    for (let round = 0; round < 3; round++) {
      const id = await enqueue({});
      expect(await runner.runOnce()).toBe(id);
      expect(await h.services.jobs.get(steward, id)).toMatchObject({ status: 'succeeded', progress: { done: 3, total: 3 } });
    }
  }, 30_000);

  it('a failure is recorded with its code and message', async () => {
    const id = await enqueue({ fail: true });
    await counter(new JobRunner(h.t.db)).runOnce();
    const job = await h.services.jobs.get(steward, id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ code: 'BAD_INPUT_IN_JOB', message: '任务参数有误' });
  });

  it('a queued job cancelled never runs; a running one stops at its next heartbeat; both audited', async () => {
    const queued = await enqueue({ n: 1 });
    const res = await stewardClient.request('POST', `/api/jobs/${queued}/cancel`);
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('cancelled');
    const seen: string[] = [];
    const runner = counter(new JobRunner(h.t.db, { pollMs: 20, leaseMs: 300 }), seen);
    const running = await enqueue({ n: 10_000, stepMs: 5 });
    runner.start();
    await waitFor(running, ['running']);
    await h.services.jobs.cancel(steward, running);
    const job = await waitFor(running, ['cancelled']);
    expect(job.progress.done).toBeLessThan(10_000);
    await runner.stop();
    expect(seen).not.toContain(queued);
    const again = await stewardClient.request('POST', `/api/jobs/${running}/cancel`);
    expect(again.statusCode).toBe(409);
    const audit = await h.t.db.selectFrom('audit_events').select('target_id').where('action', '=', 'job.cancel').execute();
    expect(audit.map((a) => a.target_id)).toEqual(expect.arrayContaining([queued, running]));
  });

  it('survives a restart: a job whose worker died is taken up again after its lease, until attempts run out', async () => {
    const id = await enqueue({ n: 2 }, 2);
    // A worker claimed it and died (its lease ran out without a heartbeat).
    await h.t.db
      .updateTable('jobs')
      .set({ status: 'running', lease_owner: 'dead-worker', lease_until: new Date(Date.now() - 1000), attempts: 1 })
      .where('id', '=', id)
      .execute();
    await counter(new JobRunner(h.t.db)).runOnce();
    expect(await h.services.jobs.get(steward, id)).toMatchObject({ status: 'succeeded', attempts: 2 });

    const exhausted = await enqueue({ n: 2 }, 2);
    await h.t.db
      .updateTable('jobs')
      .set({ status: 'running', lease_owner: 'dead-worker', lease_until: new Date(Date.now() - 1000), attempts: 2 })
      .where('id', '=', exhausted)
      .execute();
    expect(await counter(new JobRunner(h.t.db)).runOnce()).toBeNull();
    const job = await h.services.jobs.get(steward, exhausted);
    expect(job.status).toBe('failed');
    expect(job.error?.code).toBe('JOB_ATTEMPTS_EXHAUSTED');
  });

  it('with concurrency 2, a short job queued behind a long one runs beside it (a long verification no longer holds scans back)', async () => {
    const long = await enqueue({ n: 10_000, stepMs: 5 });
    const short = await enqueue({ n: 3 });
    const runner = counter(new JobRunner(h.t.db, { pollMs: 20, leaseMs: 300, concurrency: 2 }));
    runner.start();
    await waitFor(short, ['succeeded']);
    expect((await h.services.jobs.get(steward, long)).status).toBe('running');
    await h.services.jobs.cancel(steward, long);
    await waitFor(long, ['cancelled']);
    await runner.stop();
  });

  it('with concurrency 1 the same short job waits for the long one', async () => {
    const long = await enqueue({ n: 10_000, stepMs: 5 });
    const short = await enqueue({ n: 3 });
    const runner = counter(new JobRunner(h.t.db, { pollMs: 20, leaseMs: 300, concurrency: 1 }));
    runner.start();
    await waitFor(long, ['running']);
    await sleep(500);
    expect((await h.services.jobs.get(steward, short)).status).toBe('queued');
    await h.services.jobs.cancel(steward, long);
    await waitFor(short, ['succeeded']);
    await runner.stop();
  });

  it('a graceful stop hands the running job back to the queue without spending an attempt', async () => {
    const id = await enqueue({ n: 10_000, stepMs: 5 });
    const runner = counter(new JobRunner(h.t.db, { pollMs: 20, leaseMs: 300 }));
    runner.start();
    await waitFor(id, ['running']);
    await runner.stop();
    expect(await h.services.jobs.get(steward, id)).toMatchObject({ status: 'queued', attempts: 0 });
    await h.services.jobs.cancel(steward, id);
  });

  it('another institution cannot see a job (404); a plain data user cannot cancel (403)', async () => {
    const id = await enqueue({ n: 1 });
    const edu = await h.login('edu.user');
    expect((await edu.request('GET', `/api/jobs/${id}`)).statusCode).toBe(404);
    const vendor = await h.login('vendor.ops1');
    expect((await vendor.request('GET', `/api/jobs/${id}`)).statusCode).toBe(200);
    expect((await vendor.request('POST', `/api/jobs/${id}/cancel`)).statusCode).toBe(403);
    await h.services.jobs.cancel(steward, id);
  });
});
