// Share requests and their approval chain (LIF-4, HZ-22, ZZ-21; docs/sharing-contract.md "Requests and
// approvals").
//
// - Permission first: without sharing.read anywhere, 403 for any request id before it is looked up.
//   Reach: a request is visible when its applicant or its provider institution is within the caller's
//   sharing.read reach; otherwise 404. Acting needs the permission of the role at that side (apply at the
//   applicant, provide at the provider, approve at the authority step's institution): 403 in reach without it.
// - The chain is fixed at submission (engine sharing/chain.ts) from the resource's share attribute and its
//   level's controls, read through the catalog's service (ResourcesService.get/controlsFor: the resource
//   must be one the applicant may read, i.e. published or within its reach).
// - Steps open one after another, each with a working-day deadline from the workdays calendar; overdue is
//   computed against today's Beijing date, never stored.
// - Separation of duties: nobody decides a step of their own request, nobody decides two steps of one request.
// - LIF-8 (HZ-23, GZ-15): at submission the request is checked for joint/association analysis against what the
//   applicant institution already holds or is asking for (engine sharing/association.ts); a flagged request gets
//   the authority's `association` step, decided only with an assessment (share_association_assessments).
// - Clock: create/decide take `now` (default: the real time) so that deadlines across holidays can be tested.
// Every change is audited in its own transaction (AUD-1).
import { type ExpressionBuilder, type Selectable, sql } from 'kysely';
import { conflict, forbidden, notFound, ruleViolation } from '../../app/errors.ts';
import type { Db, Executor } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import type { Database, RowFilterCondition, ShareAssociationSnapshot, ShareRequestsTable } from '../../db/schema.ts';
import { sm3 } from '../../engines/gm/index.ts';
import { type AssociationField, assessAssociation, type HeldResource } from '../../engines/sharing/association.ts';
import {
  isOverdue,
  nearestAuthority,
  nextWaiting,
  planChain,
  type SharingDeadlines,
  type StepKind,
  separationProblem,
  sharingDeadlines,
  stepWorkdays,
  termProblem,
} from '../../engines/sharing/chain.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { beijingToday } from '../catalog/deadlines.ts';
import type { ResourcesService } from '../catalog/resources.service.ts';
import { assertCan, assertCanAnywhere, can, canAnywhere, canSee, reachFilter } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import type { WorkdaysService } from '../workdays/workdays.service.ts';
import { draftAgreement, nextNumber } from './agreements.service.ts';
import {
  ASSOCIATION_REPORT_MAX_BYTES,
  type AssociationAssessment,
  type ShareDecision,
  type ShareRequest,
  type ShareRequestCreate,
  type ShareRequestQuery,
  type ShareRequestSummary,
} from './requests.schemas.ts';

export const REQUEST = { zh: '共享申请', en: 'Share request' };
const EVIDENCE = { zh: '补充材料请求', en: 'Evidence request' };
const NIL = '00000000-0000-0000-0000-000000000000';
const PURPOSE_CODE = /^[a-z0-9][a-z0-9._-]{1,62}$/;
const OPEN_STATUSES = ['in_review', 'evidence_requested'] as const;

type RequestRow = Selectable<ShareRequestsTable>;

/** The institutions of a permission's reach as a non-empty list for SQL (NIL: none), or null: everywhere. */
function ids(actor: Actor, permission: Parameters<typeof reachFilter>[1]): string[] | null {
  const r = reachFilter(actor, permission);
  return r === null ? null : r.length ? r : [NIL];
}

/** Settings: the working days per step (settings `sharing.deadlines`, defaults in the engine). */
export async function loadDeadlines(db: Executor): Promise<SharingDeadlines> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'sharing.deadlines').executeTakeFirst();
  return sharingDeadlines(row?.value ?? null);
}

/** Statuses of a request still on its way to a grant: what the applicant is asking for (LIF-8's "in review"). */
const PENDING_STATUSES = ['in_review', 'evidence_requested', 'approved'] as const;

type AssessmentInput = NonNullable<ShareDecision['assessment']>;

/** The optional report file of an assessment: strict base64, not empty, ≤ 10 MB (422 otherwise). */
function decodeReport(file: AssessmentInput['reportFile']): { name: string; bytes: Buffer } | null {
  if (!file) return null;
  const b64 = file.contentBase64.replace(/\s+/g, '');
  if (!b64 || b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) {
    throw ruleViolation('FILE_INVALID', '评估报告文件内容须为 base64 编码且不能为空', 'The report file must be non-empty base64', {
      field: 'assessment.reportFile',
    });
  }
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length === 0) throw ruleViolation('FILE_INVALID', '评估报告文件不能为空', 'The report file is empty', { field: 'assessment.reportFile' });
  if (bytes.length > ASSOCIATION_REPORT_MAX_BYTES) {
    throw ruleViolation('FILE_TOO_LARGE', '评估报告文件不能超过 10 MB', 'The report file may not exceed 10 MB', { maxBytes: ASSOCIATION_REPORT_MAX_BYTES });
  }
  return { name: file.name.trim() || 'report', bytes };
}

/**
 * LIF-8: the assessment given with a decision, checked against the decision before anything is written.
 * Approving needs an acceptable conclusion (with measures when it says so); a not-acceptable conclusion can only
 * reject, and its risks are the rejection's reason.
 */
function checkAssessment(body: ShareDecision): { input: AssessmentInput; risks: string; measures: string | null; assessorOrg: string | null } | null {
  const a = body.assessment;
  if (!a) return null;
  const risks = a.risks.trim();
  const measures = a.measures?.trim() || null;
  const assessorOrg = a.assessorOrg?.trim() || null;
  if (!risks)
    throw ruleViolation('ASSESSMENT_REQUIRED', '关联分析评估须写明识别出的风险', 'The assessment must state the risks found', { field: 'assessment.risks' });
  if (a.conclusion === 'acceptable_with_measures' && !measures) {
    throw ruleViolation(
      'MEASURES_REQUIRED',
      '评估结论为“采取措施后可接受”时须写明要求的安全措施',
      'A conclusion of acceptable with measures must name the measures',
      {
        field: 'assessment.measures',
      },
    );
  }
  if (a.assessorKind === 'third_party' && !assessorOrg) {
    throw ruleViolation('ASSESSOR_ORG_REQUIRED', '委托第三方评估时须填写评估机构名称', 'A third-party assessment must name the assessing organisation', {
      field: 'assessment.assessorOrg',
    });
  }
  const approving = body.decision === 'approve';
  if (approving === (a.conclusion === 'not_acceptable')) {
    throw ruleViolation(
      'ASSESSMENT_CONFLICT',
      approving ? '评估结论为“风险不可接受”，不能批准，只能驳回' : '评估结论为可接受时不能驳回；如需驳回，请将结论改为“风险不可接受”并写明风险',
      approving ? 'A not-acceptable assessment can only reject' : 'An acceptable assessment cannot reject; conclude not acceptable and state the risks',
      { conclusion: a.conclusion, decision: body.decision },
    );
  }
  return { input: a, risks, measures, assessorOrg };
}

export function requestClosed(status: string) {
  return conflict(
    'REQUEST_CLOSED',
    `该申请已${status === 'granted' ? '授权' : status === 'rejected' ? '驳回' : status === 'withdrawn' ? '撤回' : '结束审批'}，不能再进行此操作`,
    `The request is ${status}; this is no longer possible`,
    {
      status,
    },
  );
}

/** A file kept with a request, as it was uploaded, with the SM3 recorded then. */
export interface StoredFile {
  fileName: string;
  body: Buffer;
  sm3: string;
}

export class ShareRequestsService {
  constructor(
    private readonly db: Db,
    private readonly resources: ResourcesService,
    private readonly workdays: WorkdaysService,
  ) {}

  // -------------------------------------------------------------------------------------------------
  // Reads

  /** Visible: the applicant or the provider institution within the caller's sharing.read reach. */
  visibleWhere(actor: Actor) {
    const reach = ids(actor, 'sharing.read');
    return (eb: ExpressionBuilder<Database & { r: ShareRequestsTable }, 'r'>) =>
      reach === null ? eb.lit(true) : eb.or([eb('r.applicant_institution_id', 'in', reach), eb('r.provider_institution_id', 'in', reach)]);
  }

  canRead(actor: Actor, row: { applicant_institution_id: string; provider_institution_id: string }): boolean {
    return can(actor, 'sharing.read', row.applicant_institution_id) || can(actor, 'sharing.read', row.provider_institution_id);
  }

  /** 404 when neither side is within the caller's sight; 403 when it is but sharing.read does not reach it. */
  assertReadable(actor: Actor, row: { applicant_institution_id: string; provider_institution_id: string }, what: { zh: string; en: string }): void {
    if (this.canRead(actor, row)) return;
    if (canSee(actor, row.applicant_institution_id) || canSee(actor, row.provider_institution_id)) throw forbidden();
    throw notFound(what);
  }

  /** The request row when the caller may see it; 404 otherwise (out of reach looks like missing). */
  async loadVisible(actor: Actor, id: string, db: Executor = this.db, lock = false): Promise<RequestRow> {
    // Permission first (developers' guide; as grants, duties and error reports): a caller holding no sharing.read
    // anywhere (platform administrator, vendor staff) gets 403 for any id, existing or not, before the lookup.
    // Holders: out of sight 404, in sight without reach 403 (assertReadable), then each action's own check.
    assertCanAnywhere(actor, 'sharing.read');
    let q = db.selectFrom('share_requests').selectAll().where('id', '=', id);
    if (lock) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    if (!row) throw notFound(REQUEST);
    this.assertReadable(actor, row, REQUEST);
    return row;
  }

  private summaryQuery(db: Executor = this.db) {
    return db
      .selectFrom('share_requests as r')
      .innerJoin('data_resources as dr', 'dr.id', 'r.resource_id')
      .innerJoin('institutions as pi', 'pi.id', 'r.provider_institution_id')
      .innerJoin('institutions as ai', 'ai.id', 'r.applicant_institution_id')
      .innerJoin('users as au', 'au.id', 'r.applicant_user_id')
      .leftJoin('share_request_steps as cs', (j) => j.onRef('cs.request_id', '=', 'r.id').on('cs.status', '=', 'open'))
      .leftJoin('institutions as ci', 'ci.id', 'cs.institution_id')
      .select([
        'r.id',
        'r.number',
        'r.resource_id',
        'dr.name as resource_name',
        'r.provider_institution_id',
        'pi.name as provider_name',
        'r.applicant_institution_id',
        'ai.name as applicant_name',
        'r.applicant_user_id',
        'au.display_name as applicant_user_name',
        'r.purpose',
        'r.purpose_code',
        'r.method',
        'r.term_start',
        'r.term_end',
        'r.status',
        'r.created_at',
        'cs.kind as step_kind',
        'cs.institution_id as step_institution_id',
        'ci.name as step_institution_name',
        'cs.due_date as step_due_date',
      ]);
  }

  private toSummary(r: Awaited<ReturnType<ReturnType<ShareRequestsService['summaryQuery']>['executeTakeFirstOrThrow']>>, today: string): ShareRequestSummary {
    return {
      id: r.id,
      number: r.number,
      resource: { id: r.resource_id, name: r.resource_name },
      provider: { id: r.provider_institution_id, name: r.provider_name },
      applicant: { id: r.applicant_institution_id, name: r.applicant_name },
      applicantUser: { id: r.applicant_user_id, displayName: r.applicant_user_name },
      purpose: r.purpose,
      purposeCode: r.purpose_code,
      method: r.method,
      termStart: r.term_start,
      termEnd: r.term_end,
      status: r.status,
      currentStep:
        r.step_kind && r.step_institution_id
          ? {
              kind: r.step_kind,
              institution: { id: r.step_institution_id, name: r.step_institution_name ?? '' },
              dueDate: r.step_due_date,
              overdue: isOverdue({ status: 'open', dueDate: r.step_due_date }, today),
            }
          : null,
      createdAt: r.created_at.toISOString(),
    };
  }

  /** GET /api/share-requests. */
  async list(actor: Actor, query: ShareRequestQuery): Promise<{ items: ShareRequestSummary[]; total: number; page: number; pageSize: number }> {
    assertCanAnywhere(actor, 'sharing.read');
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const today = beijingToday();
    let q = this.summaryQuery().where(this.visibleWhere(actor));
    if (query.status) q = q.where('r.status', '=', query.status);
    if (query.resourceId) q = q.where('r.resource_id', '=', query.resourceId);
    if (query.institutionId) {
      const inst = query.institutionId;
      q = q.where((eb) => eb.or([eb('r.applicant_institution_id', '=', inst), eb('r.provider_institution_id', '=', inst)]));
    }
    if (query.q?.trim()) {
      const like = `%${query.q.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      q = q.where((eb) => eb.or([eb('r.number', 'ilike', like), eb('dr.name', 'ilike', like), eb('r.purpose', 'ilike', like)]));
    }
    if (query.role === 'applicant') {
      const apply = ids(actor, 'sharing.apply');
      if (apply !== null) q = q.where('r.applicant_institution_id', 'in', apply);
    } else if (query.role === 'provider') {
      // Requests for our institution's data (all of them; `status` narrows to those under review).
      const provide = ids(actor, 'sharing.provide');
      if (provide !== null) q = q.where('r.provider_institution_id', 'in', provide);
    } else if (query.role === 'approver') {
      // Waiting on an authority step the caller's institution decides.
      const approve = ids(actor, 'sharing.approve');
      q = q.where('cs.kind', 'in', ['association', 'authority', 'authority_second', 'exception']);
      if (approve !== null) q = q.where('cs.institution_id', 'in', approve);
    }
    if (query.overdue === true) q = q.where('cs.due_date', '<', today);
    if (query.overdue === false) q = q.where((eb) => eb.or([eb('cs.due_date', 'is', null), eb('cs.due_date', '>=', today)]));
    const { total } = await q
      .clearSelect()
      .select((eb) => eb.fn.countAll<string>().as('total'))
      .executeTakeFirstOrThrow();
    const rows = await q
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return { items: rows.map((r) => this.toSummary(r, today)), total: Number(total), page, pageSize };
  }

  /** Summaries of given request ids, in the given order (the overview's queue). */
  async summariesOf(ids: string[]): Promise<ShareRequestSummary[]> {
    if (!ids.length) return [];
    const today = beijingToday();
    const rows = await this.summaryQuery().where('r.id', 'in', ids).execute();
    const byId = new Map(rows.map((r) => [r.id, this.toSummary(r, today)]));
    return ids.map((id) => byId.get(id)).filter((s): s is ShareRequestSummary => s !== undefined);
  }

  /** GET /api/share-requests/:id. */
  async get(actor: Actor, id: string): Promise<ShareRequest> {
    const row = await this.loadVisible(actor, id);
    return this.detail(actor, row);
  }

  private async detail(actor: Actor, row: RequestRow, db: Executor = this.db): Promise<ShareRequest> {
    const today = beijingToday();
    const [summary] = await (async () => {
      const r = await this.summaryQuery(db).where('r.id', '=', row.id).executeTakeFirstOrThrow();
      return [this.toSummary(r, today)];
    })();
    const steps = await db
      .selectFrom('share_request_steps as s')
      .innerJoin('institutions as i', 'i.id', 's.institution_id')
      .leftJoin('users as u', 'u.id', 's.decided_by')
      .select([
        's.seq',
        's.kind',
        's.institution_id',
        'i.name as institution_name',
        's.status',
        's.opened_at',
        's.due_date',
        's.decided_by',
        'u.display_name as decided_name',
        's.decided_at',
        's.reason',
      ])
      .where('s.request_id', '=', row.id)
      .orderBy('s.seq')
      .execute();
    const evidence = await db
      .selectFrom('share_request_evidence as e')
      .innerJoin('users as a', 'a.id', 'e.asked_by')
      .leftJoin('users as b', 'b.id', 'e.answered_by')
      .select([
        'e.id',
        'e.question',
        'e.asked_by',
        'a.display_name as asked_name',
        'e.asked_at',
        'e.answer',
        'e.answered_by',
        'b.display_name as answered_name',
        'e.answered_at',
        'e.file_name',
        'e.file_sm3',
      ])
      .where('e.request_id', '=', row.id)
      .orderBy('e.asked_at')
      .orderBy('e.id')
      .execute();
    const assessment = await this.assessmentOf(row.id, db);
    const agreement = await db.selectFrom('share_agreements').select(['id', 'status']).where('request_id', '=', row.id).executeTakeFirst();
    const grant = await db.selectFrom('share_grants').select('id').where('request_id', '=', row.id).executeTakeFirst();
    const signedParties = agreement
      ? (await db.selectFrom('agreement_signatures').select('party').where('agreement_id', '=', agreement.id).execute()).map((s) => s.party)
      : [];
    const open = steps.find((s) => s.status === 'open');
    const live = (OPEN_STATUSES as readonly string[]).includes(row.status);
    const stepPerm = open ? (open.kind === 'provider' ? 'sharing.provide' : 'sharing.approve') : null;
    const separated =
      separationProblem(
        steps.map((s) => ({ kind: s.kind, status: s.status, decidedBy: s.decided_by })),
        row.applicant_user_id,
        actor.userId,
      ) === null;
    const applicantParty = can(actor, 'sharing.apply', row.applicant_institution_id);
    const providerParty = can(actor, 'sharing.provide', row.provider_institution_id);
    return {
      ...summary,
      fields: row.fields as string[],
      rowFilter: (row.row_filter as RowFilterCondition[] | null) ?? null,
      legalBasis: row.legal_basis,
      scenario: row.scenario,
      securityMeasures: row.security_measures,
      ratePerMinute: row.rate_per_minute,
      rowsPerDay: row.rows_per_day,
      shareAttribute: row.share_attribute,
      level: row.level,
      exception: (row.exception as ShareRequest['exception']) ?? null,
      association: (row.association as ShareAssociationSnapshot | null) ?? null,
      associationAssessment: assessment,
      steps: steps.map((s) => ({
        seq: s.seq,
        kind: s.kind,
        institution: { id: s.institution_id, name: s.institution_name },
        status: s.status,
        openedAt: s.opened_at?.toISOString() ?? null,
        dueDate: s.due_date,
        overdue: isOverdue({ status: s.status, dueDate: s.due_date }, today),
        decidedBy: s.decided_by ? { id: s.decided_by, displayName: s.decided_name ?? '' } : null,
        decidedAt: s.decided_at?.toISOString() ?? null,
        reason: s.reason,
      })),
      evidence: evidence.map((e) => ({
        id: e.id,
        question: e.question,
        askedBy: { id: e.asked_by, displayName: e.asked_name },
        askedAt: e.asked_at.toISOString(),
        answer: e.answer,
        answeredBy: e.answered_by ? { id: e.answered_by, displayName: e.answered_name ?? '' } : null,
        answeredAt: e.answered_at?.toISOString() ?? null,
        fileName: e.file_name,
        fileSm3: e.file_sm3,
      })),
      agreementId: agreement?.id ?? null,
      grantId: grant?.id ?? null,
      can: {
        decide: live && !!open && !!stepPerm && can(actor, stepPerm, open.institution_id) && separated,
        withdraw: applicantParty && row.status !== 'granted' && row.status !== 'rejected' && row.status !== 'withdrawn',
        answerEvidence: live && applicantParty && evidence.some((e) => e.answered_at === null),
        askEvidence: live && providerParty && open?.kind === 'provider',
        sign:
          row.status === 'approved' &&
          agreement?.status === 'awaiting_signatures' &&
          ((applicantParty && !signedParties.includes('applicant')) || (providerParty && !signedParties.includes('provider'))),
      },
    };
  }

  /**
   * GET …/evidence/:evidenceId/file: the file the applicant answered an evidence request with, to whoever may
   * read the request (the provider asked for it to judge the applicant's capability; the authority reviews it).
   */
  async evidenceFile(actor: Actor, id: string, evidenceId: string): Promise<StoredFile> {
    const row = await this.loadVisible(actor, id);
    const f = await this.db
      .selectFrom('share_request_evidence')
      .select(['file_name', 'file', 'file_sm3'])
      .where('id', '=', evidenceId)
      .where('request_id', '=', row.id)
      .executeTakeFirst();
    if (!f?.file || !f.file_name || !f.file_sm3) throw notFound({ zh: '补充材料文件', en: 'Evidence file' });
    return { fileName: f.file_name, body: f.file, sm3: f.file_sm3 };
  }

  /** GET …/association-assessment/report: the report file of the LIF-8 assessment (HZ-23), to whoever may read the request. */
  async assessmentReport(actor: Actor, id: string): Promise<StoredFile> {
    const row = await this.loadVisible(actor, id);
    const f = await this.db
      .selectFrom('share_association_assessments')
      .select(['report_file_name', 'report_file', 'report_file_sm3'])
      .where('request_id', '=', row.id)
      .orderBy('recorded_at', 'desc')
      .executeTakeFirst();
    if (!f?.report_file || !f.report_file_name || !f.report_file_sm3) throw notFound({ zh: '关联分析评估报告', en: 'Assessment report' });
    return { fileName: f.report_file_name, body: f.report_file, sm3: f.report_file_sm3 };
  }

  /** LIF-8: the assessment recorded at the request's association step, if any. */
  async assessmentOf(requestId: string, db: Executor = this.db): Promise<AssociationAssessment | null> {
    const a = await db
      .selectFrom('share_association_assessments as a')
      .innerJoin('share_request_steps as s', 's.id', 'a.step_id')
      .innerJoin('institutions as i', 'i.id', 'a.institution_id')
      .innerJoin('users as u', 'u.id', 'a.recorded_by')
      .select([
        'a.id',
        's.seq',
        'a.institution_id',
        'i.name as institution_name',
        'a.conclusion',
        'a.risks',
        'a.measures',
        'a.assessor_kind',
        'a.assessor_org',
        'a.report_file_name',
        'a.report_file_sm3',
        'a.recorded_by',
        'u.display_name',
        'a.recorded_at',
      ])
      .where('a.request_id', '=', requestId)
      .orderBy('a.recorded_at', 'desc')
      .executeTakeFirst();
    if (!a) return null;
    return {
      id: a.id,
      stepSeq: a.seq,
      institution: { id: a.institution_id, name: a.institution_name },
      conclusion: a.conclusion,
      risks: a.risks,
      measures: a.measures,
      assessorKind: a.assessor_kind,
      assessorOrg: a.assessor_org,
      reportFileName: a.report_file_name,
      reportFileSm3: a.report_file_sm3,
      recordedBy: { id: a.recorded_by, displayName: a.display_name },
      recordedAt: a.recorded_at.toISOString(),
    };
  }

  /**
   * LIF-8 (HZ-23): what the requested fields could be linked with — the resources of the applicant institution's
   * active grants and of its requests still pending (in review, awaiting evidence or signatures) — plus the
   * applicant's declaration. Runs inside the submission's transaction; an advisory lock per applicant makes two
   * simultaneous submissions of one institution see each other (otherwise each could miss the other's request).
   */
  private async associationCheck(
    trx: Executor,
    input: { applicantId: string; resourceId: string; fields: string[]; declaration: ShareRequestCreate['association']; now: Date },
  ): Promise<ShareAssociationSnapshot> {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`share-association:${input.applicantId}`}))`.execute(trx);
    const grants = await trx
      .selectFrom('share_grants as g')
      .innerJoin('data_resources as dr', 'dr.id', 'g.resource_id')
      .select(['g.id', 'g.resource_id', 'dr.name', 'g.fields'])
      .where('g.recipient_institution_id', '=', input.applicantId)
      .where('g.status', '=', 'active')
      .execute();
    const requests = await trx
      .selectFrom('share_requests as r')
      .innerJoin('data_resources as dr', 'dr.id', 'r.resource_id')
      .select(['r.id', 'r.resource_id', 'dr.name', 'r.fields'])
      .where('r.applicant_institution_id', '=', input.applicantId)
      .where('r.status', 'in', PENDING_STATUSES)
      .execute();
    const resourceIds = [...new Set([input.resourceId, ...grants.map((g) => g.resource_id), ...requests.map((r) => r.resource_id)])];
    const fieldRows = await trx
      .selectFrom('data_fields')
      .select(['resource_id', 'name', 'pi_type', 'pi_sensitive', 'level'])
      .where('resource_id', 'in', resourceIds)
      .execute();
    // Only the fields each grant/request covers: those are what the applicant holds or will hold.
    const fieldsOf = (resourceId: string, names: string[]): AssociationField[] => {
      const wanted = new Set(names);
      return fieldRows
        .filter((f) => f.resource_id === resourceId && wanted.has(f.name))
        .map((f) => ({ name: f.name, piType: f.pi_type, piSensitive: f.pi_sensitive, level: f.level }));
    };
    const held: HeldResource[] = [
      ...grants.map((g) => ({
        resourceId: g.resource_id,
        resourceName: g.name,
        via: 'grant' as const,
        refId: g.id,
        fields: fieldsOf(g.resource_id, g.fields as string[]),
      })),
      ...requests.map((r) => ({
        resourceId: r.resource_id,
        resourceName: r.name,
        via: 'request' as const,
        refId: r.id,
        fields: fieldsOf(r.resource_id, r.fields as string[]),
      })),
    ];
    const d = input.declaration;
    const declaration = d ? { intended: d.intended, description: d.description?.trim() || null, selfAssessment: d.selfAssessment?.trim() || null } : null;
    const result = assessAssociation({ resourceId: input.resourceId, requested: fieldsOf(input.resourceId, input.fields), held, declaration });
    return { flagged: result.flagged, reasons: result.reasons, declaration, checkedAt: input.now.toISOString() };
  }

  // -------------------------------------------------------------------------------------------------
  // Submission

  /** POST /api/share-requests. `now`: the time of submission (the clock; routes pass nothing). */
  async create(actor: Actor, body: ShareRequestCreate, now: Date = new Date()): Promise<ShareRequest> {
    assertCanAnywhere(actor, 'sharing.apply');
    const applicantId = body.applicantInstitutionId ?? actor.institutionId;
    assertCan(actor, 'sharing.apply', applicantId, { zh: '申请单位', en: 'Applicant institution' });
    // The catalog decides whether the applicant may see the resource (published, or within its reach): 404 otherwise.
    const resource = await this.resources.get(actor, body.resourceId);
    if (resource.institutionId === applicantId) {
      throw ruleViolation('OWN_RESOURCE', '不能申请本单位自己的数据资源', "An institution cannot apply for its own institution's resource");
    }
    const known = new Set(resource.fields.map((f) => f.name));
    const fields = [...new Set(body.fields)];
    for (const f of fields) {
      if (!known.has(f)) throw ruleViolation('FIELD_UNKNOWN', `数据资源没有字段“${f}”`, `The resource has no field "${f}"`, { field: f });
    }
    const rowFilter = body.rowFilter?.length ? body.rowFilter : null;
    for (const c of rowFilter ?? []) {
      if (!known.has(c.field))
        throw ruleViolation('FIELD_UNKNOWN', `数据资源没有字段“${c.field}”`, `The resource has no field "${c.field}"`, { field: c.field });
      const ok = c.op === 'eq' ? c.value !== undefined && c.values === undefined : c.values !== undefined && c.value === undefined;
      if (!ok) {
        throw ruleViolation(
          'ROW_FILTER_INVALID',
          `字段“${c.field}”的范围条件有误：eq 需要 value，in 需要 values`,
          `The row condition on "${c.field}" is invalid: eq takes value, in takes values`,
          { field: c.field },
        );
      }
    }
    if (body.liabilityAccepted !== true) {
      throw ruleViolation('LIABILITY_REQUIRED', '须承诺承担数据安全责任后才能提交申请', 'The applicant must accept liability for the data before applying');
    }
    if (!PURPOSE_CODE.test(body.purposeCode)) {
      throw ruleViolation(
        'PURPOSE_CODE_INVALID',
        '用途代码须为 2–63 位小写字母、数字、点、下划线或连字符，以字母或数字开头',
        'The purpose code must be 2–63 lowercase letters, digits, dots, underscores or hyphens, starting with a letter or digit',
      );
    }
    const today = beijingToday(now);
    const term = termProblem(body.termStart, body.termEnd);
    if (term || body.termEnd < today) {
      throw ruleViolation(
        'TERM_INVALID',
        term === 'too_long' ? '使用期限不得超过 3 年' : term === 'order' ? '使用期限的结束日期不能早于开始日期' : '使用期限已过',
        term === 'too_long' ? 'The term may not exceed 3 years' : term === 'order' ? 'The term ends before it starts' : 'The term is already over',
      );
    }
    if (resource.shareAttribute === 'not_shared' && body.requestException !== true) {
      throw ruleViolation(
        'NOT_SHAREABLE',
        '该数据资源为不予共享，只有申请数据主管部门例外审批（requestException）时才能提交',
        'This resource is not shared; it can only be requested with an exception for the data authority to decide (requestException)',
        { shareAttribute: 'not_shared' },
      );
    }
    const controls = await this.resources.controlsFor(actor, resource.id);
    const tree = await this.db.selectFrom('institutions').select(['id', 'parent_id as parentId', 'kind']).execute();
    const authorityId = nearestAuthority(tree, resource.institutionId);
    const deadlines = await loadDeadlines(this.db);
    const id = uuidv7();
    await this.db.transaction().execute(async (trx) => {
      // LIF-8: the association check and the chain are fixed together, in the transaction that stores them.
      const association = await this.associationCheck(trx, { applicantId, resourceId: resource.id, fields, declaration: body.association, now });
      const plan = planChain({
        shareAttribute: resource.shareAttribute,
        sharingApprovals: controls.controls.sharingApprovals,
        providerInstitutionId: resource.institutionId,
        authorityInstitutionId: authorityId,
        association: association.flagged,
      });
      const first = plan[0] as (typeof plan)[number];
      const due = (await this.workdays.addWorkdays(today, stepWorkdays(first.kind, deadlines))).result;
      const number = await nextNumber(trx, 'share_requests', 'GX');
      await trx
        .insertInto('share_requests')
        .values({
          id,
          number,
          resource_id: resource.id,
          provider_institution_id: resource.institutionId,
          applicant_institution_id: applicantId,
          applicant_user_id: actor.userId,
          fields: JSON.stringify(fields),
          row_filter: rowFilter ? JSON.stringify(rowFilter) : null,
          purpose: body.purpose.trim(),
          purpose_code: body.purposeCode,
          legal_basis: body.legalBasis.trim(),
          scenario: body.scenario.trim(),
          method: body.method,
          term_start: body.termStart,
          term_end: body.termEnd,
          security_measures: body.securityMeasures.trim(),
          liability_accepted: true,
          rate_per_minute: body.ratePerMinute ?? 60,
          rows_per_day: body.rowsPerDay ?? 100000,
          share_attribute: resource.shareAttribute,
          level: resource.level,
          exception: null,
          association: JSON.stringify(association),
          created_at: now,
          updated_at: now,
        })
        .execute();
      for (const s of plan) {
        await trx
          .insertInto('share_request_steps')
          .values({
            id: uuidv7(),
            request_id: id,
            seq: s.seq,
            kind: s.kind,
            institution_id: s.institutionId,
            status: s.seq === 1 ? 'open' : 'waiting',
            opened_at: s.seq === 1 ? now : null,
            due_date: s.seq === 1 ? due : null,
          })
          .execute();
      }
      await recordAudit(trx, actor, {
        action: 'sharing.request.create',
        target: { type: 'share_request', id, institutionId: applicantId },
        details: {
          number,
          resourceId: resource.id,
          providerInstitutionId: resource.institutionId,
          fields,
          purposeCode: body.purposeCode,
          shareAttribute: resource.shareAttribute,
          level: resource.level,
          chain: plan.map((s) => s.kind),
          association: { flagged: association.flagged, reasons: association.reasons.map((r) => ({ code: r.code, resourceId: r.resourceId, keys: r.keys })) },
        },
      });
    });
    return this.get(actor, id);
  }

  // -------------------------------------------------------------------------------------------------
  // Decisions

  /** POST /api/share-requests/:id/decision: the open step's decider approves or rejects. */
  async decide(actor: Actor, id: string, body: ShareDecision, now: Date = new Date()): Promise<ShareRequest> {
    const pre = await this.loadVisible(actor, id);
    if (!canAnywhere(actor, 'sharing.provide') && !canAnywhere(actor, 'sharing.approve')) throw forbidden();
    const assessment = checkAssessment(body);
    const report = decodeReport(body.assessment?.reportFile);
    // A not-acceptable assessment rejects with its risks as the reason (LIF-8), unless a reason is given.
    const reason = body.reason?.trim() || (assessment && body.decision === 'reject' ? assessment.risks : null);
    if (body.decision === 'reject' && !reason) {
      throw ruleViolation('REASON_REQUIRED', '驳回须说明理由', 'A rejection needs a reason', { field: 'reason' });
    }
    // Read before the transaction: the resource's fields for the agreement text (the decider may read it).
    const resource = await this.resources.get(actor, pre.resource_id).catch(() => null);
    const deadlines = await loadDeadlines(this.db);
    const today = beijingToday(now);
    await this.db.transaction().execute(async (trx) => {
      const row = await this.loadVisible(actor, id, trx, true);
      if (!(OPEN_STATUSES as readonly string[]).includes(row.status)) throw requestClosed(row.status);
      const steps = await trx.selectFrom('share_request_steps').selectAll().where('request_id', '=', id).orderBy('seq').execute();
      const open = steps.find((s) => s.status === 'open');
      const perm = open?.kind === 'provider' ? 'sharing.provide' : 'sharing.approve';
      if (!open || !can(actor, perm, open.institution_id)) {
        throw conflict('STEP_NOT_OPEN', '当前没有等待您审批的环节', 'No step of this request is waiting on you', {
          openStep: open ? { kind: open.kind, institutionId: open.institution_id } : null,
        });
      }
      const problem = separationProblem(
        steps.map((s) => ({ kind: s.kind, status: s.status, decidedBy: s.decided_by })),
        row.applicant_user_id,
        actor.userId,
      );
      if (problem) {
        throw forbidden(
          problem === 'own_request' ? '不能审批本人提交的申请' : '同一人不能审批同一申请的两个环节',
          problem === 'own_request' ? 'Nobody decides a step of their own request' : 'One person never decides two steps of one request',
          'SAME_PERSON',
        );
      }
      // LIF-8 (HZ-23): the association step is decided only with an assessment, and an assessment belongs only there.
      if (open.kind === 'association' && !assessment) {
        throw ruleViolation(
          'ASSESSMENT_REQUIRED',
          '关联分析评估环节须提交评估结论、风险与措施后才能审批',
          'The association step needs an assessment with the decision',
          {
            field: 'assessment',
          },
        );
      }
      if (open.kind !== 'association' && assessment) {
        throw ruleViolation(
          'ASSESSMENT_CONFLICT',
          '当前环节不是关联分析评估环节，不能提交评估',
          'The open step is not the association assessment; no assessment belongs here',
          {
            openStep: open.kind,
          },
        );
      }
      let legalBasis: string | null = null;
      if (open.kind === 'exception' && body.decision === 'approve') {
        legalBasis = body.legalBasis?.trim() || null;
        if (!legalBasis) {
          throw ruleViolation('REASON_REQUIRED', '例外批准不予共享数据须写明法律依据', 'Approving an exception needs its legal basis', { field: 'legalBasis' });
        }
      }
      await trx
        .updateTable('share_request_steps')
        .set({ status: body.decision === 'approve' ? 'approved' : 'rejected', decided_by: actor.userId, decided_at: now, reason: reason ?? legalBasis })
        .where('id', '=', open.id)
        .execute();
      let assessmentAudit: Record<string, unknown> | null = null;
      if (assessment) {
        const reportSm3 = report ? sm3(report.bytes).toString('hex') : null;
        await trx
          .insertInto('share_association_assessments')
          .values({
            id: uuidv7(),
            request_id: id,
            step_id: open.id,
            institution_id: open.institution_id,
            conclusion: assessment.input.conclusion,
            risks: assessment.risks,
            measures: assessment.measures,
            assessor_kind: assessment.input.assessorKind,
            assessor_org: assessment.assessorOrg,
            report_file_name: report?.name ?? null,
            report_file: report?.bytes ?? null,
            report_file_sm3: reportSm3,
            recorded_by: actor.userId,
            recorded_at: now,
          })
          .execute();
        assessmentAudit = {
          conclusion: assessment.input.conclusion,
          measures: assessment.measures,
          assessorKind: assessment.input.assessorKind,
          assessorOrg: assessment.assessorOrg,
          ...(report ? { reportFileName: report.name, reportFileSm3: reportSm3, reportBytes: report.bytes.length } : {}),
        };
      }
      let status: RequestRow['status'] = row.status;
      let nextKind: StepKind | null = null;
      if (body.decision === 'reject') {
        status = 'rejected';
        await trx.updateTable('share_request_steps').set({ status: 'cancelled' }).where('request_id', '=', id).where('status', '=', 'waiting').execute();
      } else {
        const next = nextWaiting(steps, open.seq);
        if (next) {
          nextKind = next.kind;
          const due = (await this.workdays.addWorkdays(today, stepWorkdays(next.kind, deadlines))).result;
          await trx.updateTable('share_request_steps').set({ status: 'open', opened_at: now, due_date: due }).where('id', '=', next.id).execute();
        } else {
          status = 'approved';
        }
      }
      const exception = legalBasis ? { legalBasis, recordedBy: actor.userId, recordedAt: now.toISOString() } : null;
      await trx
        .updateTable('share_requests')
        .set((eb) => ({
          status,
          ...(status === 'rejected' || status === 'approved' ? { decided_at: now } : {}),
          ...(exception ? { exception: JSON.stringify(exception) } : {}),
          updated_at: now,
          version: eb('version', '+', 1),
        }))
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, actor, {
        action: 'sharing.request.decide',
        target: { type: 'share_request', id, institutionId: row.applicant_institution_id },
        details: {
          number: row.number,
          step: open.kind,
          seq: open.seq,
          decision: body.decision,
          reason,
          legalBasis,
          status,
          nextStep: nextKind,
          ...(assessmentAudit ? { assessment: assessmentAudit } : {}),
        },
      });
      if (status === 'approved') {
        if (!resource) throw notFound({ zh: '数据资源', en: 'Data resource' });
        await draftAgreement(trx, { ...row, exception: exception ?? row.exception }, resource);
      }
    });
    return this.get(actor, id);
  }

  // -------------------------------------------------------------------------------------------------
  // Evidence

  /** POST /api/share-requests/:id/evidence: the provider asks the applicant for evidence (the clock keeps running). */
  async askEvidence(actor: Actor, id: string, question: string): Promise<ShareRequest> {
    await this.db.transaction().execute(async (trx) => {
      const row = await this.loadVisible(actor, id, trx, true);
      if (!can(actor, 'sharing.provide', row.provider_institution_id)) throw forbidden();
      if (!(OPEN_STATUSES as readonly string[]).includes(row.status)) throw requestClosed(row.status);
      const open = await trx.selectFrom('share_request_steps').select(['kind']).where('request_id', '=', id).where('status', '=', 'open').executeTakeFirst();
      if (open?.kind !== 'provider') {
        throw conflict('STEP_NOT_OPEN', '只有在提供单位审核环节才能要求补充材料', 'Evidence can be asked for only during the provider step');
      }
      const evidenceId = uuidv7();
      await trx.insertInto('share_request_evidence').values({ id: evidenceId, request_id: id, asked_by: actor.userId, question: question.trim() }).execute();
      await trx
        .updateTable('share_requests')
        .set((eb) => ({ status: 'evidence_requested', updated_at: new Date(), version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, actor, {
        action: 'sharing.request.evidence',
        target: { type: 'share_request', id, institutionId: row.applicant_institution_id },
        details: { number: row.number, evidenceId, kind: 'ask' },
      });
    });
    return this.get(actor, id);
  }

  /** The applicant answers an evidence request (text, optionally a file kept with its SM3). */
  async answerEvidence(
    actor: Actor,
    id: string,
    evidenceId: string,
    answer: { text: string | null; file?: { name: string; bytes: Buffer } },
  ): Promise<ShareRequest> {
    await this.db.transaction().execute(async (trx) => {
      const row = await this.loadVisible(actor, id, trx, true);
      if (!can(actor, 'sharing.apply', row.applicant_institution_id)) throw forbidden();
      if (!(OPEN_STATUSES as readonly string[]).includes(row.status)) throw requestClosed(row.status);
      const ev = await trx
        .selectFrom('share_request_evidence')
        .selectAll()
        .where('id', '=', evidenceId)
        .where('request_id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!ev) throw notFound(EVIDENCE);
      if (ev.answered_at && !answer.file) {
        throw conflict('EVIDENCE_ANSWERED', '该补充材料请求已答复', 'This evidence request has already been answered');
      }
      const text = answer.text?.trim() || ev.answer || (answer.file ? `见附件：${answer.file.name}` : null);
      if (!text) throw ruleViolation('ANSWER_REQUIRED', '请填写答复内容', 'Enter an answer');
      const fileSm3 = answer.file ? sm3(answer.file.bytes).toString('hex') : null;
      await trx
        .updateTable('share_request_evidence')
        .set({
          answer: text,
          answered_by: actor.userId,
          answered_at: new Date(),
          ...(answer.file ? { file_name: answer.file.name, file: answer.file.bytes, file_sm3: fileSm3 } : {}),
        })
        .where('id', '=', evidenceId)
        .execute();
      const pending = await trx
        .selectFrom('share_request_evidence')
        .select('id')
        .where('request_id', '=', id)
        .where('answered_at', 'is', null)
        .executeTakeFirst();
      if (!pending && row.status === 'evidence_requested') {
        await trx
          .updateTable('share_requests')
          .set((eb) => ({ status: 'in_review', updated_at: new Date(), version: eb('version', '+', 1) }))
          .where('id', '=', id)
          .execute();
      }
      await recordAudit(trx, actor, {
        action: 'sharing.request.evidence',
        target: { type: 'share_request', id, institutionId: row.provider_institution_id },
        details: {
          number: row.number,
          evidenceId,
          kind: 'answer',
          ...(answer.file ? { fileName: answer.file.name, fileSm3, bytes: answer.file.bytes.length } : {}),
        },
      });
    });
    return this.get(actor, id);
  }

  /** POST /api/share-requests/:id/withdraw: the applicant withdraws before the grant exists. */
  async withdraw(actor: Actor, id: string): Promise<ShareRequest> {
    await this.db.transaction().execute(async (trx) => {
      const row = await this.loadVisible(actor, id, trx, true);
      if (!can(actor, 'sharing.apply', row.applicant_institution_id)) throw forbidden();
      if (row.status === 'granted' || row.status === 'rejected' || row.status === 'withdrawn') throw requestClosed(row.status);
      const now = new Date();
      await trx
        .updateTable('share_request_steps')
        .set({ status: 'cancelled' })
        .where('request_id', '=', id)
        .where('status', 'in', ['open', 'waiting'])
        .execute();
      await trx
        .updateTable('share_requests')
        .set((eb) => ({ status: 'withdrawn', decided_at: now, updated_at: now, version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, actor, {
        action: 'sharing.request.withdraw',
        target: { type: 'share_request', id, institutionId: row.applicant_institution_id },
        details: { number: row.number, from: row.status },
      });
    });
    return this.get(actor, id);
  }
}
