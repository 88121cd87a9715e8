// Error reports (LIF-9, DG-11; docs/sharing-contract.md "Error reports").
//
// - A data user ('sharing.apply') reports wrong data in a resource it can read; anyone may report through the
//   open-data portal (no login, per-IP rate limit) against a published release and gets a tracking code.
// - DG-11: the provider verifies within 15 working days of receipt and corrects or supplements; here it
//   resolves the report as corrected or rejected, with a resolution either way. Overdue = open past due.
// - Record keys and contacts identify a record or a person: sealed with SM4 under a KEK-derived key, the row id
//   and column as AAD (a sealed value copied to another row does not open), shown only to the provider
//   ('sharing.provide' at the provider). Audit events never carry them.
// - Reading: 'sharing.read' where the reporter's or the provider's institution is in reach, else 404. The
//   public sees only status and outcome, and only with the tracking code.
import { randomBytes } from 'node:crypto';
import { type Selectable, sql } from 'kysely';
import { AppError, conflict, notFound, ruleViolation } from '../../app/errors.ts';
import type { Db, Executor } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import type { ErrorReportsTable } from '../../db/schema.ts';
import { openEnvelope, sealEnvelope } from '../../engines/gm/index.ts';
import { beijingDate } from '../../engines/workdays/index.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { SlidingWindowLimiter } from '../auth/rate-limiter.ts';
import type { ResourcesService } from '../catalog/resources.service.ts';
import { assertCanAnywhere, can, reachFilter } from '../org/access.ts';
import type { Actor, RequestInfo } from '../org/actor.ts';
import type { Kek } from '../protection/kek.ts';
import type { WorkdaysService } from '../workdays/workdays.service.ts';
import {
  ERROR_REPORT_WORKDAYS,
  type ErrorReport,
  type PublicReportCreate,
  REPORT_STATUS_LABELS,
  type ReportCreate,
  type ReportQuery,
  type ReportResolve,
  type ReportStatus,
} from './error-reports.schemas.ts';

const REPORT = { zh: '纠错报告', en: 'Error report' };
const RELEASE = { zh: '开放数据', en: 'Open data release' };
const NIL = '00000000-0000-0000-0000-000000000000';
export const ERROR_REPORT_KEY_LABEL = 'shuan.error-report';
const aadFor = (id: string, column: 'record_key' | 'contact') => Buffer.from(`shuan.error-report\0${id}\0${column}`);

/** A published open-data release, as the open-data service answers for it (null: none, or not published). */
export interface ReleaseLookup {
  publishedRelease(id: string): Promise<{ id: string; resourceId: string; institutionId: string; fields: string[] } | null>;
}

/** Per-IP limits of the public routes (in-process, like the login limiter). */
export const PUBLIC_REPORT_LIMIT = { max: 10, windowMs: 10 * 60_000 };
export const PUBLIC_LOOKUP_LIMIT = { max: 60, windowMs: 60_000 };

type ReportRow = Selectable<ErrorReportsTable> & {
  resource_name: string;
  provider_name: string;
  reporter_name: string | null;
  reporter_institution_name: string | null;
  resolved_name: string | null;
};

const person = (id: string | null, name: string | null) => (id ? { id, displayName: name ?? '' } : null);

/** 'XXXXXXXX-XXXXXXXX-XXXXXXXX' in RFC 4648 base32: 120 random bits, easy to read out and type. */
export function newTrackingCode(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = randomBytes(24);
  let out = '';
  for (let i = 0; i < 24; i++) {
    out += alphabet[(bytes[i] as number) & 31];
    if (i === 7 || i === 15) out += '-';
  }
  return out;
}

function rateLimited(waitMs: number) {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new AppError('RATE_LIMITED', 429, `提交过于频繁，请 ${seconds} 秒后再试`, `Too many requests; try again in ${seconds} s`, {
    retryAfterSeconds: seconds,
  });
}

export class ErrorReportsService {
  private readonly reportLimiter = new SlidingWindowLimiter(PUBLIC_REPORT_LIMIT.max, PUBLIC_REPORT_LIMIT.windowMs);
  private readonly lookupLimiter = new SlidingWindowLimiter(PUBLIC_LOOKUP_LIMIT.max, PUBLIC_LOOKUP_LIMIT.windowMs);

  constructor(
    private readonly db: Db,
    private readonly resources: ResourcesService,
    private readonly workdays: WorkdaysService,
    private readonly kekProvider: () => Kek,
    private readonly releases: () => ReleaseLookup | null,
  ) {}

  private seal(id: string, column: 'record_key' | 'contact', value: string | undefined): Buffer | null {
    const v = value?.trim();
    if (!v) return null;
    return sealEnvelope(this.kekProvider().derive(ERROR_REPORT_KEY_LABEL), Buffer.from(v, 'utf8'), aadFor(id, column));
  }

  private open(id: string, column: 'record_key' | 'contact', sealed: Buffer | null): string | null {
    if (!sealed) return null;
    const key = this.kekProvider().derive(ERROR_REPORT_KEY_LABEL);
    try {
      return openEnvelope((kid) => (kid === key.id ? key : undefined), sealed, aadFor(id, column)).toString('utf8');
    } catch {
      // Sealed under another KEK, or damaged: the provider sees that it exists but cannot be opened.
      return null;
    }
  }

  private async number(db: Executor, at: Date): Promise<string> {
    const r = await sql<{ n: number }>`SELECT nextval('error_report_number_seq') AS n`.execute(db);
    return `ERR-${beijingDate(at).slice(0, 4)}-${String(r.rows[0]?.n ?? 0).padStart(6, '0')}`;
  }

  /** DG-11: 15 working days after the Beijing date of receipt. */
  private async due(at: Date): Promise<string> {
    return (await this.workdays.addWorkdays(beijingDate(at), ERROR_REPORT_WORKDAYS)).result;
  }

  private base() {
    return this.db
      .selectFrom('error_reports as e')
      .innerJoin('data_resources as r', 'r.id', 'e.resource_id')
      .innerJoin('institutions as p', 'p.id', 'e.provider_institution_id')
      .leftJoin('institutions as ri', 'ri.id', 'e.reporter_institution_id')
      .leftJoin('users as ru', 'ru.id', 'e.reporter_user_id')
      .leftJoin('users as rv', 'rv.id', 'e.resolved_by');
  }

  private static readonly COLUMNS = [
    'e.id',
    'e.number',
    'e.resource_id',
    'e.provider_institution_id',
    'e.source',
    'e.reporter_user_id',
    'e.reporter_institution_id',
    'e.release_id',
    'e.tracking_code',
    'e.record_key_sealed',
    'e.contact_sealed',
    'e.field',
    'e.description',
    'e.proposed_value',
    'e.received_at',
    'e.due_date',
    'e.status',
    'e.resolution',
    'e.resolved_by',
    'e.resolved_at',
    'e.version',
    'r.name as resource_name',
    'p.name as provider_name',
    'ru.display_name as reporter_name',
    'ri.name as reporter_institution_name',
    'rv.display_name as resolved_name',
  ] as const;

  private scoped(actor: Actor) {
    const ids = reachFilter(actor, 'sharing.read');
    const q = this.base();
    if (ids === null) return q;
    const inst = ids.length ? ids : [NIL];
    return q.where((eb) => eb.or([eb('e.reporter_institution_id', 'in', inst), eb('e.provider_institution_id', 'in', inst)]));
  }

  private toReport(actor: Actor, r: ReportRow, today: string): ErrorReport {
    const provider = can(actor, 'sharing.provide', r.provider_institution_id);
    return {
      id: r.id,
      number: r.number,
      resource: { id: r.resource_id, name: r.resource_name },
      provider: { id: r.provider_institution_id, name: r.provider_name },
      source: r.source,
      reporter: person(r.reporter_user_id, r.reporter_name),
      reporterInstitution: r.reporter_institution_id ? { id: r.reporter_institution_id, name: r.reporter_institution_name ?? '' } : null,
      releaseId: r.release_id,
      field: r.field,
      description: r.description,
      proposedValue: r.proposed_value,
      recordKey: provider ? this.open(r.id, 'record_key', r.record_key_sealed) : null,
      contact: provider ? this.open(r.id, 'contact', r.contact_sealed) : null,
      hasRecordKey: r.record_key_sealed !== null,
      hasContact: r.contact_sealed !== null,
      receivedAt: r.received_at.toISOString(),
      dueDate: r.due_date,
      status: r.status,
      overdue: r.status === 'open' && r.due_date < today,
      resolution: r.resolution,
      resolvedBy: person(r.resolved_by, r.resolved_name),
      resolvedAt: r.resolved_at?.toISOString() ?? null,
      can: { resolve: provider && r.status === 'open' },
    };
  }

  /** GET /api/error-reports: within reach; open and overdue first, then newest. */
  async list(actor: Actor, query: ReportQuery): Promise<{ items: ErrorReport[]; total: number; page: number; pageSize: number }> {
    assertCanAnywhere(actor, 'sharing.read');
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const today = beijingDate(new Date());
    let q = this.scoped(actor);
    const ids = reachFilter(actor, 'sharing.read');
    if (query.role && ids !== null) {
      q = q.where(query.role === 'reporter' ? 'e.reporter_institution_id' : 'e.provider_institution_id', 'in', ids.length ? ids : [NIL]);
    } else if (query.role === 'reporter') {
      q = q.where('e.source', '=', 'user');
    }
    if (query.status) q = q.where('e.status', '=', query.status);
    if (query.source) q = q.where('e.source', '=', query.source);
    if (query.resourceId) q = q.where('e.resource_id', '=', query.resourceId);
    const overdue = sql<boolean>`(e.status = 'open' AND e.due_date < ${today}::date)`;
    if (query.overdue !== undefined) q = q.where(query.overdue ? overdue : sql<boolean>`NOT ${overdue}`);
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await q
      .select(ErrorReportsService.COLUMNS)
      .orderBy(sql`(e.status = 'open' AND e.due_date < ${today}::date)`, 'desc')
      .orderBy(sql`(e.status <> 'open')`)
      .orderBy('e.received_at', 'desc')
      .orderBy('e.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return { items: rows.map((r) => this.toReport(actor, r as ReportRow, today)), total: Number(total), page, pageSize };
  }

  private async row(actor: Actor, id: string): Promise<ReportRow> {
    assertCanAnywhere(actor, 'sharing.read');
    const row = await this.scoped(actor).select(ErrorReportsService.COLUMNS).where('e.id', '=', id).executeTakeFirst();
    if (!row) throw notFound(REPORT);
    return row as ReportRow;
  }

  /** GET /api/error-reports/:id */
  async get(actor: Actor, id: string): Promise<ErrorReport> {
    return this.toReport(actor, await this.row(actor, id), beijingDate(new Date()));
  }

  /** Checks a named field belongs to the resource (422 FIELD_UNKNOWN). */
  private async checkField(resourceId: string, field: string | undefined): Promise<string | null> {
    const name = field?.trim();
    if (!name) return null;
    const known = await this.db.selectFrom('data_fields').select('name').where('resource_id', '=', resourceId).where('name', '=', name).executeTakeFirst();
    if (!known) {
      throw ruleViolation('FIELD_UNKNOWN', `数据资源没有数据项“${name}”`, `The resource has no field "${name}"`, { field: name });
    }
    return name;
  }

  /**
   * POST /api/error-reports: a data user reports wrong data in a resource it can read (catalog reach or the
   * shared catalog). `at` is the time of receipt (the clock; defaults to now).
   */
  async create(actor: Actor, body: ReportCreate, at: Date = new Date()): Promise<ErrorReport> {
    assertCanAnywhere(actor, 'sharing.apply');
    const applyReach = reachFilter(actor, 'sharing.apply');
    const reporterInstitution = applyReach === null || applyReach.includes(actor.institutionId) ? actor.institutionId : (applyReach[0] as string);
    const resource = await this.resources.get(actor, body.resourceId);
    const field = await this.checkField(resource.id, body.field);
    const dueDate = await this.due(at);
    const id = uuidv7();
    await this.db.transaction().execute(async (trx) => {
      const number = await this.number(trx, at);
      await trx
        .insertInto('error_reports')
        .values({
          id,
          number,
          resource_id: resource.id,
          provider_institution_id: resource.institutionId,
          source: 'user',
          reporter_user_id: actor.userId,
          reporter_institution_id: reporterInstitution,
          record_key_sealed: this.seal(id, 'record_key', body.recordKey),
          field,
          description: body.description.trim(),
          proposed_value: body.proposedValue?.trim() || null,
          received_at: at,
          due_date: dueDate,
        })
        .execute();
      await recordAudit(trx, actor, {
        action: 'sharing.error_report.create',
        target: { type: 'error_report', id, institutionId: resource.institutionId },
        details: { number, source: 'user', resourceId: resource.id, field, dueDate, recordKeyGiven: !!body.recordKey?.trim() },
      });
    });
    return this.get(actor, id);
  }

  /** POST /api/public/error-reports: anyone, against a published open-data release; answers with a tracking code. */
  async createPublic(
    info: RequestInfo,
    body: PublicReportCreate,
    at: Date = new Date(),
  ): Promise<{ trackingCode: string; receivedAt: string; dueDate: string }> {
    const wait = this.reportLimiter.hit(info.ip ?? 'unknown');
    const anon = { ...info, userId: null, username: null, institutionId: null };
    if (wait > 0) {
      await recordAudit(this.db, anon, { action: 'sharing.error_report.create', outcome: 'denied', details: { source: 'public', reason: 'rate_limited' } });
      throw rateLimited(wait);
    }
    const releases = this.releases();
    const release = releases ? await releases.publishedRelease(body.releaseId) : null;
    if (!release) throw notFound(RELEASE);
    // The release names its resource and the institution that published it (the provider who answers).
    const resource = { id: release.resourceId, institution_id: release.institutionId };
    // The public sees only the release's fields: a report names one of those.
    const field = body.field?.trim() || null;
    if (field && !release.fields.includes(field)) {
      throw ruleViolation('FIELD_UNKNOWN', `该开放数据没有数据项“${field}”`, `The release has no field "${field}"`, { field });
    }
    const dueDate = await this.due(at);
    const id = uuidv7();
    const trackingCode = newTrackingCode();
    await this.db.transaction().execute(async (trx) => {
      const number = await this.number(trx, at);
      await trx
        .insertInto('error_reports')
        .values({
          id,
          number,
          resource_id: resource.id,
          provider_institution_id: resource.institution_id,
          source: 'public',
          release_id: release.id,
          tracking_code: trackingCode,
          record_key_sealed: this.seal(id, 'record_key', body.recordKey),
          contact_sealed: this.seal(id, 'contact', body.contact),
          field,
          description: body.description.trim(),
          received_at: at,
          due_date: dueDate,
        })
        .execute();
      await recordAudit(trx, anon, {
        action: 'sharing.error_report.create',
        target: { type: 'error_report', id, institutionId: resource.institution_id },
        details: { number, source: 'public', resourceId: resource.id, releaseId: release.id, field, dueDate },
      });
    });
    return { trackingCode, receivedAt: at.toISOString(), dueDate };
  }

  /** GET /api/public/error-reports/:trackingCode: status and outcome, nothing else. */
  async track(info: RequestInfo, trackingCode: string) {
    const wait = this.lookupLimiter.hit(info.ip ?? 'unknown');
    if (wait > 0) throw rateLimited(wait);
    const r = await this.db
      .selectFrom('error_reports as e')
      .innerJoin('data_resources as r', 'r.id', 'e.resource_id')
      .select(['e.tracking_code', 'e.received_at', 'e.due_date', 'e.status', 'e.resolution', 'e.resolved_at', 'r.name'])
      .where('e.tracking_code', '=', trackingCode)
      .executeTakeFirst();
    if (!r) throw notFound(REPORT);
    return {
      trackingCode,
      resourceName: r.name,
      receivedAt: r.received_at.toISOString(),
      dueDate: r.due_date,
      status: r.status,
      statusLabel: REPORT_STATUS_LABELS[r.status as ReportStatus],
      resolution: r.resolution,
      resolvedAt: r.resolved_at?.toISOString() ?? null,
    };
  }

  /** POST /api/error-reports/:id/resolve: the provider verified it (DG-11): corrected, or rejected with why. */
  async resolve(actor: Actor, id: string, body: ReportResolve): Promise<ErrorReport> {
    const r = await this.row(actor, id);
    if (!can(actor, 'sharing.provide', r.provider_institution_id)) {
      throw new AppError('FORBIDDEN', 403, '只有数据提供单位可以处理纠错', 'Only the data provider may resolve an error report');
    }
    const resolution = body.resolution.trim();
    if (!resolution) {
      throw ruleViolation('REASON_REQUIRED', '请填写核实结果（更正了什么，或不予更正的理由）', 'State the result: what was corrected, or why not', {
        field: 'resolution',
      });
    }
    if (r.status !== 'open') throw conflict('REPORT_CLOSED', '该纠错报告已处理', 'This error report has already been resolved');
    await this.db.transaction().execute(async (trx) => {
      const now = new Date();
      const res = await trx
        .updateTable('error_reports')
        .set({ status: body.outcome, resolution, resolved_by: actor.userId, resolved_at: now, version: sql`version + 1` })
        .where('id', '=', r.id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw conflict('REPORT_CLOSED', '该纠错报告已处理', 'This error report has already been resolved');
      await recordAudit(trx, actor, {
        action: 'sharing.error_report.resolve',
        target: { type: 'error_report', id: r.id, institutionId: r.provider_institution_id },
        details: { number: r.number, outcome: body.outcome, late: r.due_date < beijingDate(now), source: r.source },
      });
    });
    return this.get(actor, id);
  }
}
