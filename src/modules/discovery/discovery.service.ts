// Scan jobs attached to a resource (issue 4): the background worker reads the resource's dataset (opened in
// memory, never written anywhere in clear), runs the discovery engine over it and stores per-column
// proposals with the job; a reviewer then accepts them field by field. Acceptance records the PI inventory
// from the scan (AST-11: rows holding PI, distinct people estimated from ID numbers hashed in memory only)
// and keeps the confirmed labels as the starting point of the grading workflow (CLS-2: a person still
// proposes and a second one approves the grade).
import { sql } from 'kysely';
import { badRequest, conflict, forbidden, notFound, ruleViolation } from '../../app/errors.ts';
import type { Db } from '../../db/database.ts';
import { type CustomRecognizer, DEFAULT_PI_MAPPING, defaultSchemeGuide, Scanner, validateCustomRecognizers } from '../../engines/discovery/index.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import type { JobContext } from '../jobs/job-runner.ts';
import { JobCancelled } from '../jobs/job-runner.ts';
import type { Job } from '../jobs/jobs.schemas.ts';
import type { JobsService } from '../jobs/jobs.service.ts';
import { assertCan, assertCanAnywhere, reachFilter } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import type { DatasetsService, ProfileSource } from '../protection/datasets.service.ts';
import type { RecognizerSet, RecognizerUpdate, ScanAccept, ScanColumn, ScanStart } from './discovery.schemas.ts';

export const SCAN_JOB = 'discovery.scan';
const RESOURCE = { zh: '数据资源', en: 'Data resource' };

export class DiscoveryService {
  constructor(
    private readonly db: Db,
    private readonly resources: ProfileSource,
    private readonly datasets: DatasetsService,
    private readonly jobs: JobsService,
  ) {
    jobs.defineKind(SCAN_JOB, { read: 'catalog.read', cancel: 'catalog.manage', label: { zh: '敏感数据扫描', en: 'Sensitive-data scan' } });
  }

  /** POST /api/resources/:id/scans: queues a scan of the resource's dataset. */
  async start(actor: Actor, resourceId: string, body: ScanStart): Promise<Job> {
    const profile = await this.resources.protectionProfile(actor, resourceId);
    assertCan(actor, 'catalog.manage', profile.institutionId, RESOURCE);
    const current = await this.datasets.current(this.db, resourceId);
    if (!current) throw ruleViolation('DATASET_EMPTY', '该数据资源尚未载入数据，无法扫描', 'The resource has no data loaded to scan');
    const id = await this.db.transaction().execute(async (trx) => {
      const running = await this.jobs.active(trx, SCAN_JOB, resourceId);
      if (running) throw conflict('SCAN_RUNNING', '该资源已有扫描任务在进行', 'A scan of this resource is already queued or running', { jobId: running });
      const jobId = await this.jobs.enqueue(trx, actor, {
        kind: SCAN_JOB,
        institutionId: profile.institutionId,
        resourceId,
        params: { ...(body.sample ? { sample: body.sample } : {}) },
      });
      await recordAudit(trx, actor, {
        action: 'discovery.scan.start',
        target: { type: 'data_resource', id: resourceId, institutionId: profile.institutionId },
        details: { jobId, sample: body.sample ?? null, datasetVersion: current.version },
      });
      return jobId;
    });
    return this.jobs.get(actor, id);
  }

  /** GET /api/resources/:id/scans: the resource's scans, newest first, with their results. */
  async list(actor: Actor, resourceId: string): Promise<Job[]> {
    const profile = await this.resources.protectionProfile(actor, resourceId);
    assertCan(actor, 'catalog.read', profile.institutionId, RESOURCE);
    return this.jobs.forResource(resourceId, SCAN_JOB);
  }

  /** POST /api/resources/:id/scans/:jobId/accept: the reviewer's decision on a finished scan. */
  async accept(actor: Actor, resourceId: string, jobId: string, body: ScanAccept): Promise<Job> {
    const profile = await this.resources.protectionProfile(actor, resourceId);
    assertCan(actor, 'catalog.manage', profile.institutionId, RESOURCE);
    const job = (await this.jobs.forResource(resourceId, SCAN_JOB, 1000)).find((j) => j.id === jobId);
    if (!job) throw notFound({ zh: '扫描任务', en: 'Scan' });
    if (job.status !== 'succeeded' || !job.result) throw conflict('SCAN_NOT_FINISHED', '扫描尚未完成', 'The scan has not finished');
    const names = new Set(profile.fields.map((f) => f.name));
    for (const [i, f] of body.fields.entries()) {
      if (!names.has(f.name))
        throw ruleViolation('UNKNOWN_FIELD', `“${f.name}”不是该资源的数据项`, `"${f.name}" is not a field of the resource`, { field: `fields.${i}.name` });
    }
    const summary = job.result.summary as { rowsWithPi: number; people: number | null; sensitive: boolean } | undefined;
    await this.db.transaction().execute(async (trx) => {
      const accepted = {
        by: { id: actor.userId, displayName: actor.displayName },
        at: new Date().toISOString(),
        fields: body.fields,
        inventory: body.updateInventory,
      };
      await sql`UPDATE jobs SET result = result || jsonb_build_object('accepted', ${JSON.stringify(accepted)}::jsonb), updated_at = now() WHERE id = ${jobId}`.execute(
        trx,
      );
      if (body.updateInventory && summary) {
        const sensitive = summary.sensitive || body.fields.some((f) => f.piSensitive);
        const people = summary.people ?? (summary.rowsWithPi > 0 ? 1 : 0);
        await trx
          .updateTable('data_resources')
          .set({
            pi_records: summary.rowsWithPi,
            pi_people: Math.min(people, summary.rowsWithPi),
            pi_sensitive: sensitive && people > 0,
            pi_source: 'discovery',
            updated_at: new Date(),
          })
          .where('id', '=', resourceId)
          .execute();
      }
      await recordAudit(trx, actor, {
        action: 'discovery.scan.accept',
        target: { type: 'data_resource', id: resourceId, institutionId: profile.institutionId },
        details: {
          jobId,
          fields: body.fields.map((f) => ({ name: f.name, piType: f.piType, piSensitive: f.piSensitive, level: f.level })),
          inventory: body.updateInventory ? summary : null,
        },
      });
    });
    return this.jobs.get(actor, jobId);
  }

  /** GET /api/discovery/recognizers: the authority's own recognizers, used by every scan. */
  async recognizers(actor: Actor): Promise<RecognizerSet> {
    assertCanAnywhere(actor, 'scheme.read');
    const row = await this.db
      .selectFrom('discovery_recognizers as d')
      .leftJoin('users as u', 'u.id', 'd.updated_by')
      .select(['d.recognizers', 'd.version', 'd.updated_at', 'd.updated_by', 'u.display_name'])
      .executeTakeFirst();
    if (!row) return { version: 0, recognizers: [], updatedBy: null, updatedAt: null };
    return {
      version: row.version,
      recognizers: row.recognizers as Record<string, unknown>[],
      updatedBy: row.updated_by ? { id: row.updated_by, displayName: row.display_name ?? '' } : null,
      updatedAt: row.updated_at.toISOString(),
    };
  }

  /** PUT /api/discovery/recognizers (the authority, scheme.manage): validated as a whole; unsafe patterns refused. */
  async saveRecognizers(actor: Actor, body: RecognizerUpdate): Promise<RecognizerSet> {
    assertCanAnywhere(actor, 'scheme.manage');
    // Like the grading scheme, the recognizers serve every scan of the platform: city level only.
    const reach = reachFilter(actor, 'scheme.manage');
    if (reach !== null) {
      const roots = await this.db.selectFrom('institutions').select('id').where('parent_id', 'is', null).execute();
      if (!roots.some((r) => reach.includes(r.id))) {
        throw forbidden(
          '自定义识别规则全平台通用，只能由市级主管部门管理员维护',
          'The recognizers serve the whole platform; only a city-level authority administrator may change them',
          'CITY_LEVEL_REQUIRED',
        );
      }
    }
    const checked = validateCustomRecognizers(body.recognizers);
    if (!checked.ok) {
      const first = checked.errors[0] as (typeof checked.errors)[number];
      throw badRequest('RECOGNIZERS_INVALID', `识别规则有误：${first.messageZh}`, `Invalid recognizers: ${first.message}`, {
        errors: checked.errors.map((e) => ({ field: `recognizers.${e.field}`, code: e.code, message: e.messageZh, messageEn: e.message })),
      });
    }
    await this.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('discovery_recognizers').select('version').forUpdate().executeTakeFirst();
      if ((current?.version ?? 0) !== body.version) {
        throw conflict('VERSION_CONFLICT', '识别规则已被他人修改，请刷新后重试', 'The recognizers changed meanwhile; reload and retry', {
          current: current?.version ?? 0,
        });
      }
      const version = body.version + 1;
      await trx
        .insertInto('discovery_recognizers')
        .values({ id: true, recognizers: JSON.stringify(body.recognizers), version, updated_by: actor.userId })
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({ recognizers: JSON.stringify(body.recognizers), version, updated_by: actor.userId, updated_at: new Date() }),
        )
        .execute();
      await recordAudit(trx, actor, {
        action: 'discovery.recognizers.update',
        details: { version, ids: checked.recognizers.map((r) => r.id) },
      });
    });
    return this.recognizers(actor);
  }

  /** The saved recognizers, checked again (a set saved under older rules that no longer passes is skipped whole). */
  private async customRecognizers(): Promise<CustomRecognizer[]> {
    const row = await this.db.selectFrom('discovery_recognizers').select('recognizers').executeTakeFirst();
    if (!row) return [];
    const checked = validateCustomRecognizers(row.recognizers);
    return checked.ok ? checked.recognizers : [];
  }

  /** The worker's side: scan the resource's dataset, reporting progress, stopping when cancelled. */
  async run(ctx: JobContext, job: { resourceId: string | null }): Promise<Record<string, unknown>> {
    const resourceId = job.resourceId as string;
    const current = await this.datasets.current(this.db, resourceId);
    if (!current) throw ruleViolation('DATASET_EMPTY', '该数据资源尚未载入数据，无法扫描', 'The resource has no data loaded to scan');
    const columns = current.layout.map((f) => f.name);
    const sample = typeof ctx.params.sample === 'number' ? ctx.params.sample : null;
    const total = sample ? Math.min(sample, current.rowCount) : current.rowCount;
    // A uniform sample: each row kept with probability total/rowCount (bounded work, no second pass).
    const keep = sample && sample < current.rowCount ? sample / current.rowCount : 1;
    // A row holds PI when any of its cells has a finding of a personal type (AST-11 inventory counts).
    let rowHit = false;
    const custom = await this.customRecognizers();
    const scanner = new Scanner({
      columns,
      guide: defaultSchemeGuide(),
      custom,
      onFinding: (f) => {
        if ((DEFAULT_PI_MAPPING as Readonly<Record<string, unknown>>)[f.type] || custom.some((c) => c.id === f.type && c.piType)) rowHit = true;
      },
    });
    let rows = 0;
    let rowsWithPi = 0;
    for await (const r of this.datasets.openRows(this.db, resourceId)) {
      if (ctx.signal.aborted) throw ctx.signal.reason instanceof JobCancelled ? ctx.signal.reason : new JobCancelled();
      if (keep < 1 && Math.random() >= keep) continue;
      rowHit = false;
      scanner.row(columns.map((c) => r.values[c] ?? null));
      rows++;
      if (rowHit) rowsWithPi++;
      if ((rows & 255) === 0) ctx.progress({ done: rows, total, unit: 'rows' });
    }
    const report = scanner.finish();
    ctx.progress({ done: rows, total: rows, unit: 'rows' });
    const out: ScanColumn[] = report.columns.map((c) => ({
      name: c.name,
      nonEmpty: c.nonEmpty,
      hits: c.hits,
      types: c.proposal.types.map((t) => ({
        type: t.type,
        count: t.count,
        share: t.share,
        confidence: t.confidence,
        ...(t.distinct !== undefined ? { distinct: Math.round(t.distinct) } : {}),
      })),
      piTypes: c.proposal.piTypes,
      piCategory: c.proposal.piCategory,
      category: c.proposal.category,
      level: c.proposal.level,
      basis: c.proposal.basis,
    }));
    return {
      rows,
      sampled: keep < 1,
      datasetVersion: current.version,
      columns: out,
      resource: { piTypes: report.resource.piTypes, piCategory: report.resource.piCategory, category: report.resource.category, level: report.resource.level },
      summary: {
        rowsWithPi,
        people: report.resource.people === null ? null : Math.round(report.resource.people),
        sensitive: report.resource.piCategory === 'sensitive',
      },
    };
  }
}
