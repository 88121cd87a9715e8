// The queue side of background jobs: enqueue (inside the caller's transaction, so a job exists exactly when
// the change that asked for it does), read, list and cancel. Who may read or cancel a job is its kind's
// business: each kind names the permission, checked at the job's institution (out of reach: 404), or anywhere
// for a kind whose work covers the platform (reach 'platform': the audit chain's verification).
import { type Selectable, sql } from 'kysely';
import { conflict, forbidden, notFound } from '../../app/errors.ts';
import type { Db, Executor } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import type { JobsTable } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { assertCan, canAnywhere, canSee } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import type { Permission } from '../org/roles.ts';
import type { Job } from './jobs.schemas.ts';

const JOB = { zh: '任务', en: 'Job' };

export interface JobKind {
  read: Permission;
  cancel: Permission;
  label: { zh: string; en: string };
  /**
   * 'platform': the job's work covers the whole platform (the audit chain's verification, AUD-2), so whoever
   * holds the permission anywhere reads or cancels it, whichever institution queued it. Default: checked at
   * the job's institution.
   */
  reach?: 'institution' | 'platform';
}

type Row = Selectable<JobsTable>;

export function toJob(r: Row): Job {
  return {
    id: r.id,
    kind: r.kind,
    institutionId: r.institution_id,
    resourceId: r.resource_id,
    status: r.status,
    progress: {
      done: r.progress.done ?? 0,
      total: r.progress.total ?? null,
      unit: r.progress.unit ?? null,
      message: r.progress.message ?? null,
    },
    result: (r.result as Record<string, unknown> | null) ?? null,
    error: (r.error as Job['error']) ?? null,
    cancelRequested: r.cancel_requested,
    attempts: r.attempts,
    createdAt: r.created_at.toISOString(),
    startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
    updatedAt: r.updated_at.toISOString(),
  };
}

export class JobsService {
  private readonly kinds = new Map<string, JobKind>();

  constructor(private readonly db: Db) {}

  defineKind(kind: string, def: JobKind): void {
    this.kinds.set(kind, def);
  }

  /** Queues a job; pass the caller's transaction so the job commits with what asked for it. */
  async enqueue(
    db: Executor,
    actor: Actor,
    job: { kind: string; institutionId: string; resourceId?: string | null; params: Record<string, unknown>; maxAttempts?: number },
  ): Promise<string> {
    const id = uuidv7();
    await db
      .insertInto('jobs')
      .values({
        id,
        kind: job.kind,
        institution_id: job.institutionId,
        resource_id: job.resourceId ?? null,
        params: JSON.stringify(job.params),
        status: 'queued',
        max_attempts: job.maxAttempts ?? 3,
        created_by: actor.userId,
      })
      .execute();
    return id;
  }

  /**
   * The queued or running job of `kind` (of that resource, when given), if any: the starters that allow one at
   * a time (scans, re-encryption, the audit verification) ask it inside their transaction before enqueueing.
   */
  async active(db: Executor, kind: string, resourceId?: string): Promise<string | null> {
    let q = db.selectFrom('jobs').select('id').where('kind', '=', kind).where('status', 'in', ['queued', 'running']);
    if (resourceId !== undefined) q = q.where('resource_id', '=', resourceId);
    return (await q.executeTakeFirst())?.id ?? null;
  }

  /** GET /api/jobs/:id */
  async get(actor: Actor, id: string): Promise<Job> {
    const row = await this.load(this.db, id);
    this.assertAllowed(actor, row, 'read');
    return toJob(row);
  }

  /** POST /api/jobs/:id/cancel: asks the worker to stop; a queued job ends at once, a running one at its next heartbeat. */
  async cancel(actor: Actor, id: string): Promise<Job> {
    const row = await this.load(this.db, id);
    this.assertAllowed(actor, row, 'cancel');
    if (row.status === 'succeeded' || row.status === 'failed' || row.status === 'cancelled') {
      throw conflict('JOB_FINISHED', '任务已结束，无法取消', 'The job has finished and cannot be cancelled', { status: row.status });
    }
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('jobs')
        .set((eb) => ({
          cancel_requested: true,
          // Nobody runs a queued job: it is cancelled now.
          status: eb.case().when('status', '=', 'queued').then(sql.lit('cancelled')).else(eb.ref('status')).end() as never,
          finished_at: eb.case().when('status', '=', 'queued').then(sql<Date>`now()`).else(eb.ref('finished_at')).end() as never,
          updated_at: new Date(),
        }))
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, actor, {
        action: 'job.cancel',
        target: { type: 'job', id, institutionId: row.institution_id },
        // resourceId: the resource's life-cycle trace (AUD-6) shows its cancelled jobs.
        details: { kind: row.kind, status: row.status, resourceId: row.resource_id },
      });
    });
    return toJob(await this.load(this.db, id));
  }

  /** The jobs of a resource, newest first (for its pages). Callers check the actor. */
  async forResource(resourceId: string, kind: string, limit = 20): Promise<Job[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('resource_id', '=', resourceId)
      .where('kind', '=', kind)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toJob);
  }

  private async load(db: Executor, id: string): Promise<Row> {
    const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(JOB);
    return row;
  }

  private assertAllowed(actor: Actor, row: Row, what: 'read' | 'cancel'): void {
    const kind = this.kinds.get(row.kind);
    if (kind?.reach === 'platform') {
      if (canAnywhere(actor, kind[what])) return;
      if (!row.institution_id || !canSee(actor, row.institution_id)) throw notFound(JOB);
      throw forbidden();
    }
    if (!kind || !row.institution_id || !canSee(actor, row.institution_id)) throw notFound(JOB);
    assertCan(actor, kind[what], row.institution_id, JOB);
  }
}
