// The worker side of the job queue. One runner per server process claims queued jobs (FOR UPDATE SKIP
// LOCKED, so several processes share the queue), holds a lease it renews while the job runs, and records
// progress, the result or the error. A process that dies leaves its lease to run out; the next claim takes
// the job again (it survives a restart) until max_attempts is spent. Cancellation is cooperative: the
// heartbeat sees cancel_requested and aborts the handler's signal.
import { hostname } from 'node:os';
import { sql } from 'kysely';
import { AppError } from '../../app/errors.ts';
import type { Db } from '../../db/database.ts';
import type { JobProgress, JobsTable } from '../../db/schema.ts';

export interface JobContext {
  readonly id: string;
  readonly params: Record<string, unknown>;
  readonly attempt: number;
  /** Aborted when someone cancels the job or the runner stops. */
  readonly signal: AbortSignal;
  /** Records progress (throttled to one write a second; the last call is always written). */
  progress(p: JobProgress): void;
}

export type JobHandler = (
  ctx: JobContext,
  job: { institutionId: string | null; resourceId: string | null; createdBy: string | null },
) => Promise<Record<string, unknown>>;

/** A handler's way to say "stopped because cancelled", so the job ends `cancelled`, not `failed`. */
export class JobCancelled extends Error {
  constructor() {
    super('job cancelled');
    this.name = 'JobCancelled';
  }
}

export interface JobRunnerOptions {
  /** Milliseconds between claims when the queue is empty. */
  pollMs?: number;
  /** Lease length; renewed every third of it. */
  leaseMs?: number;
  /** Jobs run at once by this process. */
  concurrency?: number;
}

type ClaimedJob = Pick<JobsTable, 'id' | 'kind' | 'institution_id' | 'resource_id' | 'created_by'> & { params: Record<string, unknown>; attempts: number };

export class JobRunner {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly owner = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly concurrency: number;

  constructor(
    private readonly db: Db,
    opts: JobRunnerOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 1000;
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.concurrency = opts.concurrency ?? 1;
  }

  register(kind: string, handler: JobHandler): this {
    this.handlers.set(kind, handler);
    return this;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops claiming, aborts what runs and hands those jobs back to the queue (queued again, not failed). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const r of this.running.values()) r.abort.abort(new Error('runner stopping'));
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }

  /** Claims and runs at most one job now; for tests and `shuan` commands that drain the queue. */
  async runOnce(): Promise<string | null> {
    const job = await this.claim();
    if (!job) return null;
    await this.execute(job);
    return job.id;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    try {
      while (!this.stopped && this.running.size < this.concurrency) {
        const job = await this.claim();
        if (!job) break;
        const abort = new AbortController();
        const done = this.execute(job, abort).finally(() => this.running.delete(job.id));
        this.running.set(job.id, { abort, done });
      }
    } catch {
      // The database may be restarting: try again at the next poll.
    }
    this.schedule(this.pollMs);
  }

  private async claim(): Promise<ClaimedJob | null> {
    const kinds = [...this.handlers.keys()];
    if (kinds.length === 0) return null;
    const r = await sql<ClaimedJob>`
      UPDATE jobs SET status = 'running', lease_owner = ${this.owner},
        lease_until = now() + ${`${this.leaseMs} milliseconds`}::interval,
        attempts = attempts + 1, started_at = coalesce(started_at, now()), updated_at = now()
      WHERE id = (
        SELECT id FROM jobs
        WHERE kind = ANY(${kinds}::text[]) AND NOT cancel_requested
          AND (status = 'queued' OR (status = 'running' AND lease_until < now()))
          AND attempts < max_attempts
        ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1)
      RETURNING id, kind, institution_id, resource_id, created_by, params, attempts`.execute(this.db);
    if (r.rows[0]) return r.rows[0];
    // Jobs whose last attempt died with its worker: fail them for good, with the reason.
    await sql`
      UPDATE jobs SET status = 'failed', finished_at = now(), updated_at = now(), lease_owner = NULL,
        error = ${JSON.stringify({ code: 'JOB_ATTEMPTS_EXHAUSTED', message: '任务多次中断，已停止重试', messageEn: 'The job was interrupted too often and is no longer retried' })}::jsonb
      WHERE kind = ANY(${kinds}::text[]) AND status = 'running' AND lease_until < now() AND attempts >= max_attempts`.execute(this.db);
    // Cancelled while queued (or while its worker was gone).
    await sql`
      UPDATE jobs SET status = 'cancelled', finished_at = now(), updated_at = now(), lease_owner = NULL
      WHERE kind = ANY(${kinds}::text[]) AND cancel_requested AND (status = 'queued' OR (status = 'running' AND lease_until < now()))`.execute(this.db);
    return null;
  }

  private async execute(job: ClaimedJob, abort = new AbortController()): Promise<void> {
    const handler = this.handlers.get(job.kind) as JobHandler;
    let pending: JobProgress | null = null;
    let lastWrite = 0;
    // Progress writes run one after another (a chain): an older value can never land after a newer one, and the
    // last write before the job's final update is awaited, not left in flight (it would land after the final
    // update had released the lease and be dropped: a finished job showing where it was a second earlier).
    let writing: Promise<void> = Promise.resolve();
    const writeProgress = (): Promise<void> => {
      writing = writing.then(async () => {
        if (!pending) return;
        const p = pending;
        pending = null;
        lastWrite = Date.now();
        await this.db
          .updateTable('jobs')
          .set({ progress: JSON.stringify(p), updated_at: new Date() })
          .where('id', '=', job.id)
          .where('lease_owner', '=', this.owner)
          .execute()
          .catch(() => {});
      });
      return writing;
    };
    // Heartbeat: renew the lease, write progress, and notice a cancellation.
    const beat = setInterval(
      () => {
        void (async () => {
          const r = await sql<{ cancel_requested: boolean }>`
          UPDATE jobs SET lease_until = now() + ${`${this.leaseMs} milliseconds`}::interval, updated_at = now()
          WHERE id = ${job.id} AND lease_owner = ${this.owner} RETURNING cancel_requested`.execute(this.db);
          if (r.rows[0]?.cancel_requested) abort.abort(new JobCancelled());
          await writeProgress();
        })().catch(() => {});
      },
      Math.max(200, Math.floor(this.leaseMs / 3)),
    );
    beat.unref?.();
    const ctx: JobContext = {
      id: job.id,
      params: job.params,
      attempt: job.attempts,
      signal: abort.signal,
      progress: (p) => {
        pending = p;
        if (Date.now() - lastWrite >= 1000) {
          lastWrite = Date.now();
          void writeProgress();
        }
      },
    };
    let outcome: { status: 'succeeded' | 'failed' | 'cancelled' | 'queued'; result?: Record<string, unknown>; error?: Record<string, unknown> };
    try {
      const result = await handler(ctx, { institutionId: job.institution_id, resourceId: job.resource_id, createdBy: job.created_by });
      outcome = { status: 'succeeded', result };
    } catch (err) {
      const reason = abort.signal.reason;
      if (err instanceof JobCancelled || reason instanceof JobCancelled) outcome = { status: 'cancelled' };
      else if (abort.signal.aborted && this.stopped) outcome = { status: 'queued' };
      else if (err instanceof AppError) outcome = { status: 'failed', error: { code: err.code, message: err.messageZh, messageEn: err.messageEn } };
      else outcome = { status: 'failed', error: { code: 'JOB_FAILED', message: '任务执行失败', messageEn: (err as Error)?.message ?? String(err) } };
    } finally {
      clearInterval(beat);
    }
    await writeProgress();
    const final = outcome.status === 'queued';
    await this.db
      .updateTable('jobs')
      .set({
        status: outcome.status,
        result: outcome.result ? JSON.stringify(outcome.result) : null,
        error: outcome.error ? JSON.stringify(outcome.error) : null,
        finished_at: final ? null : new Date(),
        lease_owner: null,
        lease_until: null,
        // A job handed back on shutdown does not spend an attempt.
        ...(final ? { attempts: sql<number>`attempts - 1` } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', job.id)
      .where('lease_owner', '=', this.owner)
      .execute();
  }
}
