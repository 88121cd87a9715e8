// Periodic audit reports per institution (AUD-4, DG-28) with the vendor activity review (AUD-5): what
// happened in an institution's subtree over a period (activity by type, privileged operations, vendor staff's
// every event, alerts and their handling, the chain verification result), as JSON, as an XLSX workbook, and
// archived with the file's SM3 so "a report within the period" has evidence. The database groups and
// counts; engines/audit-report shapes the sections.
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { AppError, badRequest, conflict, notFound, ruleViolation } from '../../app/errors.ts';
import type { Db } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import type { Database } from '../../db/schema.ts';
import {
  aggregateActivity,
  aggregateVendor,
  alertStats,
  isOverdue,
  periodDays,
  periodProblem,
  privilegedPatterns,
  privilegeKind,
} from '../../engines/audit-report/index.ts';
import { sm3 } from '../../engines/gm/index.ts';
import { assertCan, assertCanAnywhere, reachFilter } from '../org/access.ts';
import { subtreesOf } from '../org/actor.repo.ts';
import type { Actor } from '../org/actor.ts';
import { mapUniqueViolation } from '../org/db-errors.ts';
import { recordAudit } from './audit.recorder.ts';
import type {
  AuditReport,
  ReportCreate,
  ReportEvent,
  ReportQuery,
  StoredReport,
  StoredReportQuery,
  StoredReportSummary,
  VendorReview,
  VendorReviewCreate,
} from './reports.schemas.ts';
import { reportFileName, reportWorkbook } from './reports.xlsx.ts';

const INSTITUTION = { zh: '机构', en: 'Institution' };
const REPORT = { zh: '审计报告', en: 'Audit report' };
/** Events listed in a report's privileged and vendor sections; their counts are always complete. */
export const REPORT_LIST_LIMIT = 2000;
const ALERT_LIST_LIMIT = 1000;

/** What the report needs of the chain verifier (services.auditIntegrity): a verification over a sealing-time range. */
export interface ChainVerifier {
  verifyLog(opts: { from?: Date; to?: Date }): Promise<{
    ok: boolean;
    checkedEvents: number;
    checkpointsVerified: number;
    head: { position: number; hash: string } | null;
    problem: { position: number | null; zh: string; en: string } | null;
  }>;
}

export interface ReportFile {
  fileName: string;
  body: Buffer;
}

/** Who and what a report covers, settled once: the institution, its subtree, the period, vendor staff. */
interface Scope {
  institution: { id: string; name: string };
  ids: string[];
  cityWide: boolean;
  from: Date;
  to: Date;
  vendors: { userId: string; username: string; displayName: string; institutions: string[] }[];
}

type EB = ExpressionBuilder<Database, 'audit_events'>;

export class AuditReportsService {
  constructor(
    private readonly db: Db,
    /** Verifies the chain over the report's period; without one the report gives the latest checkpoint only. */
    private readonly verifier: ChainVerifier | null = null,
  ) {}

  /** GET /api/audit/reports/summary: the report, computed now, not archived. */
  async summary(actor: Actor, q: ReportQuery): Promise<AuditReport> {
    return this.compute(actor, await this.scope(actor, q));
  }

  /** GET /api/audit/reports/xlsx: the report as a workbook. Audited: the audit log leaves as a file. */
  async xlsx(actor: Actor, q: ReportQuery): Promise<ReportFile> {
    const scope = await this.scope(actor, q);
    const report = await this.compute(actor, scope);
    const body = await reportWorkbook(report);
    await recordAudit(this.db, actor, {
      action: 'audit.report.export',
      target: { type: 'institution', id: scope.institution.id, institutionId: scope.institution.id },
      details: { from: report.period.from, to: report.period.to, events: report.activity.totals.total, fileSm3: sm3(body).toString('hex') },
    });
    return { fileName: reportFileName(report), body };
  }

  /** POST /api/audit/reports: generates the report and archives it with its XLSX and the file's SM3. */
  async create(actor: Actor, body: ReportCreate): Promise<StoredReport> {
    const scope = await this.scope(actor, body);
    const report = await this.compute(actor, scope);
    const file = await reportWorkbook(report);
    const id = uuidv7();
    const fileName = reportFileName(report);
    const fileSm3 = sm3(file).toString('hex');
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('audit_reports')
        .values({
          id,
          institution_id: scope.institution.id,
          period_from: scope.from,
          period_to: scope.to,
          generated_by: actor.userId,
          generated_at: new Date(report.generatedAt),
          summary: JSON.stringify(report),
          file_name: fileName,
          xlsx: file,
          xlsx_sm3: fileSm3,
        })
        .execute();
      await recordAudit(trx, actor, {
        action: 'audit.report.create',
        target: { type: 'audit_report', id, institutionId: scope.institution.id },
        details: {
          from: report.period.from,
          to: report.period.to,
          events: report.activity.totals.total,
          vendorUsers: report.vendor.users.length,
          xlsxSm3: fileSm3,
        },
      });
    });
    return this.get(actor, id);
  }

  /** GET /api/audit/reports: archived reports of the institutions in the caller's audit reach, newest first. */
  async list(actor: Actor, query: StoredReportQuery): Promise<{ items: StoredReportSummary[]; total: number; page: number; pageSize: number }> {
    assertCanAnywhere(actor, 'audit.read');
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const reach = reachFilter(actor, 'audit.read');
    let q = this.db.selectFrom('audit_reports as r');
    if (reach) q = q.where('r.institution_id', 'in', reach.length ? reach : ['00000000-0000-0000-0000-000000000000']);
    if (query.institutionId) q = q.where('r.institution_id', '=', query.institutionId);
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const ids = await q
      .select('r.id')
      .orderBy('r.generated_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    const items = await this.summaries(ids.map((r) => r.id));
    return { items, total: Number(total), page, pageSize };
  }

  /** GET /api/audit/reports/:id: an archived report with its sections as computed then. */
  async get(actor: Actor, id: string): Promise<StoredReport> {
    const row = await this.db.selectFrom('audit_reports').select(['id', 'institution_id', 'summary']).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(REPORT);
    assertCan(actor, 'audit.read', row.institution_id, REPORT);
    const [summary] = await this.summaries([id]);
    return { ...(summary as StoredReportSummary), report: row.summary as unknown as AuditReport };
  }

  /** GET /api/audit/reports/:id/xlsx: the archived file itself (its SM3 is the one recorded). */
  async file(actor: Actor, id: string): Promise<ReportFile> {
    const row = await this.db.selectFrom('audit_reports').select(['institution_id', 'file_name', 'xlsx']).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(REPORT);
    assertCan(actor, 'audit.read', row.institution_id, REPORT);
    return { fileName: row.file_name, body: row.xlsx };
  }

  /** POST /api/audit/reports/:id/vendor-review (AUD-5): the auditor's conclusion on the vendor activity. Once per report. */
  async vendorReview(actor: Actor, id: string, body: VendorReviewCreate): Promise<StoredReport> {
    const row = await this.db.selectFrom('audit_reports').select(['id', 'institution_id', 'summary']).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(REPORT);
    assertCan(actor, 'audit.review', row.institution_id, REPORT);
    const findings = body.findings?.trim() || null;
    if (body.conclusion === 'issues_found' && !findings) {
      throw ruleViolation('FINDINGS_REQUIRED', '结论为“发现问题”时须写明审查发现', 'A conclusion of issues found needs the findings', { field: 'findings' });
    }
    const exists = () => conflict('VENDOR_REVIEW_EXISTS', '该报告已有外包人员活动审查结论', 'This report already has its vendor activity review');
    const done = await this.db.selectFrom('audit_vendor_reviews').select('id').where('report_id', '=', id).executeTakeFirst();
    if (done) throw exists();
    const report = row.summary as unknown as AuditReport;
    const work = this.db.transaction().execute(async (trx) => {
      const reviewId = uuidv7();
      await trx
        .insertInto('audit_vendor_reviews')
        .values({ id: reviewId, report_id: id, institution_id: row.institution_id, conclusion: body.conclusion, findings, reviewed_by: actor.userId })
        .execute();
      await recordAudit(trx, actor, {
        action: 'audit.report.vendor_review',
        target: { type: 'audit_report', id, institutionId: row.institution_id },
        details: {
          reviewId,
          conclusion: body.conclusion,
          hasFindings: !!findings,
          vendorUsers: report.vendor?.users.length ?? 0,
          vendorEvents: report.vendor?.totals.total ?? 0,
        },
      });
    });
    await mapUniqueViolation(work, { audit_vendor_reviews_report_id_key: exists });
    return this.get(actor, id);
  }

  /** The archived reports' list entries (with their vendor review), in the order of `ids`. */
  private async summaries(ids: string[]): Promise<StoredReportSummary[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('audit_reports as r')
      .innerJoin('institutions as i', 'i.id', 'r.institution_id')
      .leftJoin('users as u', 'u.id', 'r.generated_by')
      .leftJoin('audit_vendor_reviews as v', 'v.report_id', 'r.id')
      .leftJoin('users as vu', 'vu.id', 'v.reviewed_by')
      .select([
        'r.id',
        'r.institution_id',
        'i.name as institution_name',
        'r.period_from',
        'r.period_to',
        'r.generated_at',
        'r.generated_by',
        'u.display_name as generated_by_name',
        'r.file_name',
        'r.xlsx_sm3',
        sql<AuditReport['activity']['totals']>`r.summary->'activity'->'totals'`.as('totals'),
        'v.id as review_id',
        'v.conclusion',
        'v.findings',
        'v.reviewed_by',
        'vu.display_name as reviewed_by_name',
        'v.reviewed_at',
      ])
      .where('r.id', 'in', ids)
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids
      .map((id) => byId.get(id))
      .filter((r): r is (typeof rows)[number] => !!r)
      .map((r) => ({
        id: r.id,
        institutionId: r.institution_id,
        institutionName: r.institution_name,
        periodFrom: r.period_from.toISOString(),
        periodTo: r.period_to.toISOString(),
        generatedAt: r.generated_at.toISOString(),
        generatedBy: r.generated_by ? { id: r.generated_by, displayName: r.generated_by_name ?? '' } : null,
        fileName: r.file_name,
        xlsxSm3: r.xlsx_sm3,
        totals: r.totals,
        vendorReview:
          r.review_id && r.conclusion && r.reviewed_at
            ? ({
                id: r.review_id,
                conclusion: r.conclusion,
                findings: r.findings,
                reviewedBy: { id: r.reviewed_by ?? '', displayName: r.reviewed_by_name ?? '' },
                reviewedAt: r.reviewed_at.toISOString(),
              } satisfies VendorReview)
            : null,
      }));
  }

  // ── computing a report ───────────────────────────────────────────────────────────────────────────────

  private async scope(actor: Actor, q: ReportQuery): Promise<Scope> {
    const inst = await this.db.selectFrom('institutions').select(['id', 'name', 'parent_id']).where('id', '=', q.institutionId).executeTakeFirst();
    if (!inst) throw notFound(INSTITUTION);
    assertCan(actor, 'audit.read', inst.id, INSTITUTION);
    const from = new Date(q.from);
    const to = new Date(q.to);
    const problem = periodProblem(from, to);
    if (problem === 'order') throw badRequest('INVALID_PERIOD', '报告期间的结束时间须晚于开始时间', 'The period must end after it starts', { field: 'to' });
    if (problem === 'too_long') throw badRequest('INVALID_PERIOD', '一份报告的期间不能超过一年', 'A report covers at most a year', { field: 'from' });
    const ids = [...((await subtreesOf(this.db, [inst.id])).get(inst.id) ?? new Set([inst.id]))];

    // Vendor staff (AUD-5): who holds vendor_operator within the subtree now (given before the period ended),
    // and who was given it there before the period ended (a role removed since still counts for its period).
    const current = await this.db
      .selectFrom('role_assignments')
      .select(['user_id', 'institution_id'])
      .where('role', '=', 'vendor_operator')
      .where('institution_id', 'in', ids)
      .where('created_at', '<', to)
      .execute();
    const past = await this.db
      .selectFrom('audit_events')
      .select(['target_id', sql<string>`details->>'institutionId'`.as('institution_id')])
      .where('action', '=', 'org.role.assign')
      .where('outcome', '=', 'success')
      .where('target_type', '=', 'user')
      .where('occurred_at', '<', to)
      .where(sql<SqlBool>`details->>'role' = 'vendor_operator'`)
      .where(sql<SqlBool>`details->>'institutionId' = ANY(${ids}::text[])`)
      .execute();
    const held = new Map<string, Set<string>>();
    for (const r of [...current, ...past.map((p) => ({ user_id: p.target_id ?? '', institution_id: p.institution_id }))]) {
      if (!/^[0-9a-f-]{36}$/i.test(r.user_id)) continue;
      held.set(r.user_id, (held.get(r.user_id) ?? new Set()).add(r.institution_id));
    }
    const people = held.size
      ? await this.db
          .selectFrom('users')
          .select(['id', 'username', 'display_name'])
          .where('id', 'in', [...held.keys()])
          .execute()
      : [];
    const names = new Map(
      (
        await this.db
          .selectFrom('institutions')
          .select(['id', 'name'])
          .where('id', 'in', [...new Set([...held.values()].flatMap((s) => [...s]))].concat(inst.id))
          .execute()
      ).map((i) => [i.id, i.name]),
    );
    return {
      institution: { id: inst.id, name: inst.name },
      ids,
      cityWide: inst.parent_id === null,
      from,
      to,
      vendors: people.map((p) => ({
        userId: p.id,
        username: p.username,
        displayName: p.display_name,
        institutions: [...(held.get(p.id) ?? [])].map((i) => names.get(i) ?? i).sort(),
      })),
    };
  }

  /**
   * The events a report covers: about an institution of the subtree or done for one; platform events (no
   * institution at all) in a city-wide report; and the vendor staff's own-account events (logins, password
   * changes, API tokens: about their employer, the vendor company, which is also the institution they act
   * for) and their events about no institution.
   */
  private covered(s: Scope) {
    const vendorIds = s.vendors.map((v) => v.userId);
    return (eb: EB): Expression<SqlBool> =>
      eb.and([
        eb('occurred_at', '>=', s.from),
        eb('occurred_at', '<', s.to),
        eb.or([
          eb('target_institution_id', 'in', s.ids),
          eb('acting_institution_id', 'in', s.ids),
          ...(s.cityWide ? [eb.and([eb('target_institution_id', 'is', null), eb('acting_institution_id', 'is', null)])] : []),
          ...(vendorIds.length
            ? [
                eb.and([
                  eb('actor_user_id', 'in', vendorIds),
                  eb.or([eb('target_institution_id', 'is', null), eb('target_institution_id', '=', eb.ref('acting_institution_id'))]),
                ]),
              ]
            : []),
        ]),
      ]);
  }

  private async compute(actor: Actor, s: Scope): Promise<AuditReport> {
    const covered = this.covered(s);
    const generatedAt = new Date();
    const events = () => this.db.selectFrom('audit_events').where(covered);

    const grouped = await events()
      .select(['action', 'outcome', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy(['action', 'outcome'])
      .execute();
    const activity = aggregateActivity(grouped.map((g) => ({ action: g.action, outcome: g.outcome, count: Number(g.count) })));
    const { actors } = await events().select(sql<number>`count(DISTINCT actor_user_id)::int`.as('actors')).executeTakeFirstOrThrow();

    // Privileged operations: counted from the grouped rows, listed newest first.
    const byKind = new Map<string, number>();
    for (const g of grouped) {
      const kind = privilegeKind(g.action);
      if (kind) byKind.set(kind, (byKind.get(kind) ?? 0) + Number(g.count));
    }
    const patterns = privilegedPatterns();
    const privilegedRows = await events()
      .selectAll()
      .where((eb) =>
        eb.or([eb('action', 'in', patterns.exact), ...patterns.prefixes.map((p) => eb('action', 'like', `${p.replace(/[\\%_]/g, (m) => `\\${m}`)}%`))]),
      )
      .orderBy('occurred_at', 'desc')
      .orderBy('seq', 'desc')
      .limit(REPORT_LIST_LIMIT)
      .execute();

    // Vendor activity (AUD-5).
    const vendorIds = s.vendors.map((v) => v.userId);
    const vendorGrouped = vendorIds.length
      ? await events()
          .select(['actor_user_id', 'action', 'outcome', (eb) => eb.fn.countAll<number>().as('count')])
          .where('actor_user_id', 'in', vendorIds)
          .groupBy(['actor_user_id', 'action', 'outcome'])
          .execute()
      : [];
    const vendor = aggregateVendor(
      s.vendors,
      vendorGrouped.map((g) => ({ userId: g.actor_user_id as string, action: g.action, outcome: g.outcome, count: Number(g.count) })),
    );
    const vendorRows = vendorIds.length
      ? await events()
          .selectAll()
          .where('actor_user_id', 'in', vendorIds)
          .orderBy('occurred_at', 'desc')
          .orderBy('seq', 'desc')
          .limit(REPORT_LIST_LIMIT)
          .execute()
      : [];

    // Alerts raised in the period about the subtree (city-wide: also those about no institution).
    const alertRows = await this.db
      .selectFrom('audit_alerts')
      .select(['id', 'rule', 'severity', 'status', 'summary_zh', 'summary_en', 'created_at', 'due_at', 'acknowledged_at', 'closed_at'])
      .where('created_at', '>=', s.from)
      .where('created_at', '<', s.to)
      .where((eb) => eb.or([eb('institution_id', 'in', s.ids), ...(s.cityWide ? [eb('institution_id', 'is', null)] : [])]))
      .orderBy('created_at', 'desc')
      .execute();
    const alertInput = alertRows.map((a) => ({
      rule: a.rule,
      severity: a.severity,
      status: a.status,
      createdAt: a.created_at,
      dueAt: a.due_at,
      acknowledgedAt: a.acknowledged_at,
      closedAt: a.closed_at,
    }));
    const stats = alertStats(alertInput, generatedAt);

    const days = periodDays(s.from, s.to);
    return {
      institution: s.institution,
      scope: { institutions: s.ids.length, cityWide: s.cityWide },
      period: { from: s.from.toISOString(), to: s.to.toISOString(), firstDay: days.first, lastDay: days.last },
      generatedAt: generatedAt.toISOString(),
      generatedBy: { id: actor.userId, displayName: actor.displayName },
      activity: { ...activity, actors: Number(actors) },
      privileged: {
        total: [...byKind.values()].reduce((n, c) => n + c, 0),
        byKind: [...byKind.entries()].map(([kind, count]) => ({ kind: kind as never, count })).sort((a, b) => b.count - a.count),
        listLimit: REPORT_LIST_LIMIT,
        events: privilegedRows.map((r) => ({ ...toEvent(r), kind: privilegeKind(r.action) ?? 'settings' })),
      },
      vendor: { ...vendor, listLimit: REPORT_LIST_LIMIT, events: vendorRows.map(toEvent) },
      alerts: {
        ...stats,
        listLimit: ALERT_LIST_LIMIT,
        items: alertRows.slice(0, ALERT_LIST_LIMIT).map((a, i) => ({
          id: a.id,
          rule: a.rule,
          severity: a.severity,
          status: a.status,
          summary: actor.lang === 'en' ? a.summary_en : a.summary_zh,
          createdAt: a.created_at.toISOString(),
          dueAt: a.due_at.toISOString(),
          closedAt: a.closed_at ? a.closed_at.toISOString() : null,
          overdue: isOverdue(alertInput[i] as (typeof alertInput)[number], generatedAt),
        })),
      },
      integrity: await this.integrity(s, activity.totals.total, actor.lang),
    };
  }

  /** AUD-2 for the report: the verifier's answer over the period when there is one, else the chaining state. */
  private async integrity(s: Scope, eventsInPeriod: number, lang: 'zh' | 'en'): Promise<AuditReport['integrity']> {
    const covered = this.covered(s);
    const chained = await this.db
      .selectFrom('audit_events')
      .innerJoin('audit_chain', 'audit_chain.event_id', 'audit_events.id')
      .where((eb) => covered(eb as unknown as EB))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const pending = await this.db
      .selectFrom('audit_events')
      .innerJoin('audit_pending', 'audit_pending.event_id', 'audit_events.id')
      .where((eb) => covered(eb as unknown as EB))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const cp = await this.db
      .selectFrom('audit_checkpoints')
      .select(['position', 'head_hash', 'signed_at', 'key_version'])
      .orderBy('position', 'desc')
      .limit(1)
      .executeTakeFirst();
    const base = {
      latestCheckpoint: cp
        ? { position: Number(cp.position), headHash: cp.head_hash.toString('hex'), signedAt: cp.signed_at.toISOString(), keyVersion: cp.key_version }
        : null,
      eventsInPeriod,
      chainedInPeriod: Number(chained.n),
      pendingInPeriod: Number(pending.n),
    };
    if (!this.verifier) return { method: 'checkpoint', ok: null, checkedEvents: null, checkpoints: null, firstBroken: null, head: null, ...base };
    let v: Awaited<ReturnType<ChainVerifier['verifyLog']>>;
    try {
      // The chain's range is by sealing time: events are sealed moments after they occur, so the period's.
      v = await this.verifier.verifyLog({ from: s.from, to: s.to });
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('AUDIT_VERIFY_FAILED', 503, '日志完整性校验未能完成，请稍后重试', 'The chain verification could not run; try again later');
    }
    return {
      method: 'verified',
      ok: v.ok,
      checkedEvents: v.checkedEvents,
      checkpoints: v.checkpointsVerified,
      firstBroken: v.problem ? { position: v.problem.position, problem: lang === 'en' ? v.problem.en : v.problem.zh } : null,
      head: v.head,
      ...base,
    };
  }
}

function toEvent(r: {
  id: string;
  seq: number;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_username: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  target_institution_id: string | null;
  outcome: string;
  ip: string | null;
  details: Record<string, unknown>;
}): ReportEvent {
  return {
    id: r.id,
    seq: Number(r.seq),
    occurredAt: r.occurred_at.toISOString(),
    actorUserId: r.actor_user_id,
    actorUsername: r.actor_username,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    targetInstitutionId: r.target_institution_id,
    outcome: r.outcome as ReportEvent['outcome'],
    ip: r.ip,
    details: r.details ?? {},
  };
}
