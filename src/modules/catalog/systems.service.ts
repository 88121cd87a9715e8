// The systems registry (AST-1, AST-2, AST-3, AST-5..10; 东莞 第八条 = DG-8 登记制度).
//
// A system row holds either the working draft (never accepted: draft → submitted → returned → submitted …)
// or, once the authority accepted a registration, the REGISTERED state: a change filing carries the new
// version in its snapshot and reaches the row only when the authority accepts it, so the registry always
// shows what was registered, and a returned change leaves it untouched. Every filing keeps a full snapshot
// (the history of versions). Deadlines: 15 working days after the event (DG-8), counted by the workdays
// service; `late` is fixed when the filing is made.
import type { Selectable, Transaction, Updateable } from 'kysely';
import { sql } from 'kysely';
import { type AppError, badRequest, conflict, forbidden, notFound, ruleViolation } from '../../app/errors.ts';
import type { Db, Executor } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import type { Database, SystemsTable } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { assertCan, assertCanAnywhere, can, canAnywhere, reachFilter } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import { mapUniqueViolation } from '../org/db-errors.ts';
import type { WorkdaysService } from '../workdays/workdays.service.ts';
import { beijingToday, DG8_FILING_WORKDAYS, isFutureDate, isLate } from './deadlines.ts';
import {
  changedFields,
  type FieldProblem,
  fieldProblem,
  highestLevel,
  missingForFiling,
  newSystemFields,
  normalizeChanges,
  systemFlags,
} from './systems.rules.ts';
import type {
  AssetCheck,
  AssetCheckCreate,
  AssetCheckQuery,
  ChangeBody,
  ClosureBody,
  CryptoStatus,
  FilingKind,
  FilingQuery,
  FindingResolve,
  Hosting,
  ReviewBody,
  ReviewStatus,
  SecurityLead,
  StorageCarrier,
  SubmitBody,
  System,
  SystemCreate,
  SystemFields,
  SystemFiling,
  SystemFilingWithSnapshot,
  SystemQuery,
  SystemSnapshot,
  SystemStatus,
  SystemSummary,
  SystemUpdate,
  TrustedTerminal,
} from './systems.schemas.ts';
import { SYSTEM_FIELD_LABELS } from './systems.schemas.ts';

const WHAT = { zh: '系统', en: 'System' };
const FILING_WHAT = { zh: '登记申报', en: 'Filing' };
const INSTITUTION_WHAT = { zh: '机构', en: 'Institution' };
const FINDING_WHAT = { zh: '核查发现的问题', en: 'Finding' };
/** Matches no row: an empty reach must filter everything out, and `in ()` is not SQL. */
const NIL = '00000000-0000-0000-0000-000000000000';
/** A system's detail lists at most this many of its resources (resourceCount gives the total). */
const RESOURCE_LIST_LIMIT = 200;

type SystemRow = Selectable<SystemsTable>;
type Trx = Transaction<Database>;

/** What other catalog services need to know of a system; they check their own permission on institutionId. */
export interface SystemRef {
  id: string;
  institutionId: string;
  name: string;
  status: SystemStatus;
}

const duplicateName = () =>
  conflict('DUPLICATE_NAME', '本单位已有同名系统（包括已撤销登记的系统）', 'The institution already has a system with this name (closed ones included)', {
    field: 'name',
  });
const UNIQUE = { systems_institution_name_uq: duplicateName };

const versionConflict = (current: number) =>
  conflict('VERSION_CONFLICT', '该系统信息已被他人修改，请刷新后重试', 'Someone else changed this system; reload and try again', { currentVersion: current });

const problemError = (p: FieldProblem) => ruleViolation(p.code, p.zh, p.en, { field: p.field });

const incomplete = (missing: string[]) =>
  ruleViolation(
    'REGISTRATION_INCOMPLETE',
    `登记信息不完整，缺少：${missing.map((f) => SYSTEM_FIELD_LABELS[f]?.zh ?? f).join('、')}（尚无结论的事项请如实填写，如“尚未开展”）`,
    `The registration is incomplete; missing: ${missing.map((f) => SYSTEM_FIELD_LABELS[f]?.en ?? f).join(', ')} (state in words what is not available yet)`,
    { field: missing[0], missing },
  );

/**
 * The route schemas refuse a blank name already; the service is also called without a route (catalog
 * import, CLI), and an empty name must never be stored.
 */
function assertNamed(name: string, field = 'name') {
  if (!name) throw badRequest('VALIDATION_FAILED', `字段 ${field} 不能为空`, `Field ${field} must not be blank`, { field, in: 'body', rule: 'blank' });
}

const escapeLike = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** The workflow refusals: what each state allows. `undefined` means the action may go ahead. */
function stateError(status: string, action: 'edit' | 'submit' | 'file'): AppError | undefined {
  if (status === 'closed') {
    return conflict('SYSTEM_CLOSED', '该系统已撤销登记，不能再修改或申报', 'The system’s registration is closed; it cannot be edited or filed again');
  }
  if (action === 'edit') {
    if (status === 'submitted')
      return conflict('SYSTEM_NOT_EDITABLE', '登记申报正在审核，审核完成前不能修改', 'The registration is under review; it cannot be edited now');
    if (status === 'accepted') {
      return conflict('SYSTEM_NOT_EDITABLE', '系统已登记，信息发生变化请提交变更登记', 'The system is registered; file a change to alter its registration');
    }
    return undefined;
  }
  if (action === 'submit') {
    if (status === 'submitted')
      return conflict('FILING_PENDING', '登记申报已提交，正在审核，不能重复提交', 'The registration is already submitted and under review');
    if (status === 'accepted') {
      return conflict(
        'ALREADY_REGISTERED',
        '系统已登记；信息变化请提交变更登记，系统关闭请提交撤销登记',
        'The system is registered already; file a change or a closure instead',
      );
    }
    return undefined;
  }
  if (status === 'submitted') return conflict('FILING_PENDING', '登记申报正在审核，审核完成前不能再次申报', 'A filing of this system is under review');
  if (status !== 'accepted') {
    return conflict('NOT_REGISTERED', '系统尚未登记，请先提交登记并经主管部门通过', 'The system is not registered yet; submit its registration first');
  }
  return undefined;
}

const filingPending = () =>
  conflict('FILING_PENDING', '该系统已有申报正在审核，审核完成后才能再次申报', 'A filing of this system is under review; wait for the decision');

function fieldsOf(r: SystemRow): SystemFields {
  return {
    name: r.name,
    description: r.description,
    securityLead: (r.security_lead as SecurityLead | null) ?? null,
    securityMeasures: r.security_measures,
    assessmentResult: r.assessment_result,
    assessmentOn: r.assessment_on,
    auditConclusion: r.audit_conclusion,
    mlpsLevel: r.mlps_level,
    mlpsFilingNo: r.mlps_filing_no,
    mlpsEvaluatedOn: r.mlps_evaluated_on,
    cryptoStatus: r.crypto_status as CryptoStatus,
    cryptoAssessedOn: r.crypto_assessed_on,
    cii: r.cii,
    hosting: r.hosting as Hosting | null,
    trustedTerminals: (r.trusted_terminals as TrustedTerminal[] | null) ?? [],
    storageCarriers: (r.storage_carriers as StorageCarrier[] | null) ?? [],
    lastVulnScanOn: r.last_vuln_scan_on,
  };
}

/** Column values for the fields given (jsonb as JSON text). */
function columnsOf(f: Partial<SystemFields>): Updateable<SystemsTable> {
  const c: Updateable<SystemsTable> = {};
  if (f.name !== undefined) c.name = f.name;
  if (f.description !== undefined) c.description = f.description;
  if (f.securityLead !== undefined) c.security_lead = f.securityLead === null ? null : JSON.stringify(f.securityLead);
  if (f.securityMeasures !== undefined) c.security_measures = f.securityMeasures;
  if (f.assessmentResult !== undefined) c.assessment_result = f.assessmentResult;
  if (f.assessmentOn !== undefined) c.assessment_on = f.assessmentOn;
  if (f.auditConclusion !== undefined) c.audit_conclusion = f.auditConclusion;
  if (f.mlpsLevel !== undefined) c.mlps_level = f.mlpsLevel;
  if (f.mlpsFilingNo !== undefined) c.mlps_filing_no = f.mlpsFilingNo;
  if (f.mlpsEvaluatedOn !== undefined) c.mlps_evaluated_on = f.mlpsEvaluatedOn;
  if (f.cryptoStatus !== undefined) c.crypto_status = f.cryptoStatus;
  if (f.cryptoAssessedOn !== undefined) c.crypto_assessed_on = f.cryptoAssessedOn;
  if (f.cii !== undefined) c.cii = f.cii;
  if (f.hosting !== undefined) c.hosting = f.hosting;
  if (f.trustedTerminals !== undefined) c.trusted_terminals = JSON.stringify(f.trustedTerminals);
  if (f.storageCarriers !== undefined) c.storage_carriers = JSON.stringify(f.storageCarriers);
  if (f.lastVulnScanOn !== undefined) c.last_vuln_scan_on = f.lastVulnScanOn;
  return c;
}

/**
 * The stored snapshot jsonb: the DG-8 fields, the resources covered, and (metadata of the filing, kept with
 * it because it is fixed at filing time) the fields the filing changed.
 */
interface StoredSnapshot extends SystemSnapshot {
  changedFields: string[];
}

function readSnapshot(raw: unknown): SystemSnapshot {
  const s = (raw ?? {}) as Partial<StoredSnapshot>;
  const { changedFields: _changed, resources, ...fields } = s;
  // Defaults first: a snapshot written before a field existed still reads as a complete version.
  return { ...newSystemFields({ name: s.name ?? '' }), ...fields, resources: resources ?? [] };
}

type FilingRow = {
  id: string;
  system_id: string;
  system_name: string;
  institution_id: string;
  institution_name: string;
  version: number;
  kind: string;
  event_date: string;
  deadline: string;
  late: boolean;
  summary: string | null;
  changed_fields: string[] | null;
  filed_at: Date;
  filed_by: string | null;
  filed_by_name: string | null;
  review_status: string;
  reviewed_at: Date | null;
  reviewed_by: string | null;
  reviewed_by_name: string | null;
  review_reason: string | null;
};

function filingDto(actor: Actor, r: FilingRow): SystemFiling {
  return {
    id: r.id,
    systemId: r.system_id,
    systemName: r.system_name,
    institutionId: r.institution_id,
    institutionName: r.institution_name,
    version: r.version,
    kind: r.kind as FilingKind,
    eventDate: r.event_date,
    deadline: r.deadline,
    late: r.late,
    summary: r.summary,
    changedFields: r.changed_fields ?? [],
    filedAt: r.filed_at.toISOString(),
    filedBy: r.filed_by ? { id: r.filed_by, displayName: r.filed_by_name ?? '' } : null,
    reviewStatus: r.review_status as ReviewStatus,
    reviewedAt: r.reviewed_at ? r.reviewed_at.toISOString() : null,
    reviewedBy: r.reviewed_by ? { id: r.reviewed_by, displayName: r.reviewed_by_name ?? '' } : null,
    reviewReason: r.review_reason,
    // Separation of duties: whoever filed does not also accept (the same holds as for grading, SAME_PERSON).
    canReview: r.review_status === 'pending' && r.filed_by !== actor.userId && can(actor, 'system.review', r.institution_id),
  };
}

type Decorations = {
  latest: Map<string, FilingRow>;
  late: Set<string>;
  resources: Map<string, { count: number; level: string | null }>;
};

export class SystemsService {
  constructor(
    private readonly db: Db,
    private readonly workdays: WorkdaysService,
  ) {}

  // ---- lookups for the catalog's other services (resources, import) ----

  /** A system's identity and state, without a permission check: the caller checks its own on institutionId. */
  async ref(id: string, db: Executor = this.db): Promise<SystemRef | undefined> {
    const r = await db.selectFrom('systems').select(['id', 'institution_id', 'name', 'status']).where('id', '=', id).executeTakeFirst();
    return r && { id: r.id, institutionId: r.institution_id, name: r.name, status: r.status as SystemStatus };
  }

  /** The system of that name at an institution (import matches systems by name), without a permission check. */
  async refByName(institutionId: string, name: string, db: Executor = this.db): Promise<SystemRef | undefined> {
    const r = await db
      .selectFrom('systems')
      .select(['id', 'institution_id', 'name', 'status'])
      .where('institution_id', '=', institutionId)
      .where('name', '=', name.trim())
      .executeTakeFirst();
    return r && { id: r.id, institutionId: r.institution_id, name: r.name, status: r.status as SystemStatus };
  }

  // ---- systems ----

  async list(actor: Actor, query: SystemQuery): Promise<{ items: SystemSummary[]; total: number; page: number; pageSize: number }> {
    assertCanAnywhere(actor, 'system.read');
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const ids = reachFilter(actor, 'system.read');
    let q = this.db.selectFrom('systems as s').innerJoin('institutions as i', 'i.id', 's.institution_id');
    if (ids) q = q.where('s.institution_id', 'in', ids.length ? ids : [NIL]);
    if (query.q) {
      const like = escapeLike(query.q);
      q = q.where((eb) => eb.or([eb('s.name', 'ilike', like), eb('s.description', 'ilike', like), eb('s.mlps_filing_no', 'ilike', like)]));
    }
    if (query.institutionId) q = q.where('s.institution_id', '=', query.institutionId);
    if (query.status) q = q.where('s.status', '=', query.status);
    if (query.hosting) q = q.where('s.hosting', '=', query.hosting);
    if (query.mlpsLevel !== undefined) q = q.where('s.mlps_level', '=', query.mlpsLevel);
    if (query.late !== undefined) {
      const late = query.late;
      q = q.where((eb) => {
        const hasLate = eb.exists(eb.selectFrom('system_filings as lf').select('lf.id').whereRef('lf.system_id', '=', 's.id').where('lf.late', '=', true));
        return late ? hasLate : eb.not(hasLate);
      });
    }
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await q
      .selectAll('s')
      .select('i.name as institution_name')
      .orderBy('i.name')
      .orderBy('s.name')
      .orderBy('s.id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    const deco = await this.decorations(
      this.db,
      rows.map((r) => r.id),
    );
    const today = beijingToday();
    const items = rows.map((r): SystemSummary => {
      const f = fieldsOf(r);
      return {
        ...this.head(actor, r, r.institution_name, deco, today),
        name: r.name,
        hosting: f.hosting,
        mlpsLevel: f.mlpsLevel,
        cryptoStatus: f.cryptoStatus,
        cii: f.cii,
      };
    });
    return { items, total: Number(total), page, pageSize };
  }

  async get(actor: Actor, id: string): Promise<System> {
    const row = await this.row(this.db, id);
    assertCan(actor, 'system.read', row.institution_id, WHAT);
    return this.detail(this.db, actor, row);
  }

  /**
   * A draft registration (AST-1). `trx` lets the catalog import create systems inside its own all-or-nothing
   * transaction; the permission check is the same either way.
   */
  async create(actor: Actor, body: SystemCreate, trx?: Trx): Promise<System> {
    assertCan(actor, 'system.manage', body.institutionId, INSTITUTION_WHAT);
    const fields = newSystemFields(body);
    assertNamed(fields.name);
    const problem = fieldProblem(fields, beijingToday());
    if (problem) throw problemError(problem);
    const work = async (db: Trx) => {
      const inst = await db.selectFrom('institutions').select(['id', 'status']).where('id', '=', body.institutionId).executeTakeFirst();
      // A platform-wide actor "sees" any ID: a missing one is 404, not a foreign-key 500.
      if (!inst) throw notFound(INSTITUTION_WHAT);
      if (inst.status !== 'active')
        throw ruleViolation('INSTITUTION_CLOSED', '该机构已撤销，不能登记新系统', 'The institution is closed; no new system can be registered');
      await this.assertNameFree(db, body.institutionId, fields.name, null);
      const id = uuidv7();
      await db
        .insertInto('systems')
        .values({
          ...columnsOf(fields),
          id,
          institution_id: body.institutionId,
          status: 'draft',
          name: fields.name,
          trusted_terminals: JSON.stringify(fields.trustedTerminals),
          storage_carriers: JSON.stringify(fields.storageCarriers),
          created_by: actor.userId,
        })
        .execute();
      const row = await this.row(db, id);
      await recordAudit(db, actor, {
        action: 'catalog.system.create',
        target: { type: 'system', id, institutionId: body.institutionId },
        details: { name: fields.name, hosting: fields.hosting, mlpsLevel: fields.mlpsLevel, cii: fields.cii },
      });
      return this.detail(db, actor, row);
    };
    return mapUniqueViolation(trx ? work(trx) : this.db.transaction().execute(work), UNIQUE);
  }

  /** Edits a draft or a returned registration; `version` guards against overwriting someone else's edit. */
  async update(actor: Actor, id: string, body: SystemUpdate): Promise<System> {
    const pre = await this.row(this.db, id);
    assertCan(actor, 'system.manage', pre.institution_id, WHAT);
    const { version, ...input } = body;
    const changes = normalizeChanges(input);
    if (changes.name !== undefined) assertNamed(changes.name);
    const work = this.db.transaction().execute(async (trx) => {
      const row = await this.row(trx, id, true);
      const refused = stateError(row.status, 'edit');
      if (refused) throw refused;
      if (row.version !== version) throw versionConflict(row.version);
      const before = fieldsOf(row);
      const after = { ...before, ...changes };
      const problem = fieldProblem(after, beijingToday());
      if (problem) throw problemError(problem);
      if (after.name !== before.name) await this.assertNameFree(trx, row.institution_id, after.name, id);
      const changed = changedFields(before, after);
      const updated = await trx
        .updateTable('systems')
        .set({ ...columnsOf(changes), version: row.version + 1, updated_at: new Date() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, {
        action: 'catalog.system.update',
        target: { type: 'system', id, institutionId: row.institution_id },
        details: { changed, version: updated.version },
      });
      return this.detail(trx, actor, updated);
    });
    return mapUniqueViolation(work, UNIQUE);
  }

  // ---- filings (AST-1, AST-2) ----

  /** Registration filing of a draft or returned system; eventDate = the day it went into operation. */
  async submit(actor: Actor, id: string, body: SubmitBody): Promise<SystemFiling> {
    const pre = await this.row(this.db, id);
    assertCan(actor, 'system.manage', pre.institution_id, WHAT);
    const today = beijingToday();
    const guard = (r: SystemRow) => {
      const refused = stateError(r.status, 'submit');
      if (refused) throw refused;
      this.assertFileable(fieldsOf(r), today);
    };
    guard(pre);
    this.assertEventDate(body.eventDate, today);
    const deadline = await this.deadline(body.eventDate);
    return this.db.transaction().execute(async (trx) => {
      const row = await this.row(trx, id, true);
      guard(row);
      const fields = fieldsOf(row);
      // A resubmission after a return shows the authority what was corrected.
      const previous = await trx
        .selectFrom('system_filings')
        .select('snapshot')
        .where('system_id', '=', id)
        .where('kind', '=', 'registration')
        .orderBy('version', 'desc')
        .executeTakeFirst();
      const changed = previous ? changedFields(readSnapshot(previous.snapshot), fields) : [];
      const filing = await this.insertFiling(trx, actor, row, 'registration', body.eventDate, deadline, body.summary, fields, changed);
      await trx
        .updateTable('systems')
        .set({ status: 'submitted', version: row.version + 1, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, actor, {
        action: 'catalog.system.submit',
        target: { type: 'system', id, institutionId: row.institution_id },
        details: { filingId: filing.id, version: filing.version, eventDate: body.eventDate, deadline, late: filing.late, changedFields: changed },
      });
      return this.filing(trx, actor, filing.id);
    });
  }

  /** A change of a registered system (DG-8 变更登记): the new version waits in the filing until accepted. */
  async fileChange(actor: Actor, id: string, body: ChangeBody): Promise<SystemFiling> {
    const changes = normalizeChanges(body.changes);
    if (changes.name !== undefined) assertNamed(changes.name, 'changes.name');
    return this.fileOnRegistered(actor, id, body, 'change', (current) => ({ ...current, ...changes }));
  }

  /** Closure of a registered system (DG-8 撤销登记): closed once the authority accepts. */
  async fileClosure(actor: Actor, id: string, body: ClosureBody): Promise<SystemFiling> {
    return this.fileOnRegistered(actor, id, body, 'closure', (current) => current);
  }

  private async fileOnRegistered(
    actor: Actor,
    id: string,
    body: { eventDate: string; summary: string; version?: number },
    kind: 'change' | 'closure',
    next: (current: SystemFields) => SystemFields,
  ): Promise<SystemFiling> {
    const pre = await this.row(this.db, id);
    assertCan(actor, 'system.manage', pre.institution_id, WHAT);
    const today = beijingToday();
    const guard = async (db: Executor, r: SystemRow) => {
      const refused = stateError(r.status, 'file');
      if (refused) throw refused;
      const pending = await db.selectFrom('system_filings').select('id').where('system_id', '=', id).where('review_status', '=', 'pending').executeTakeFirst();
      if (pending) throw filingPending();
      if (body.version !== undefined && body.version !== r.version) throw versionConflict(r.version);
      // A registered system stays complete: a change cannot blank out a DG-8 fact.
      if (kind === 'change') this.assertFileable(next(fieldsOf(r)), today);
    };
    await guard(this.db, pre);
    this.assertEventDate(body.eventDate, today);
    const deadline = await this.deadline(body.eventDate);
    const work = this.db.transaction().execute(async (trx) => {
      const row = await this.row(trx, id, true);
      await guard(trx, row);
      const current = fieldsOf(row);
      const proposed = next(current);
      if (proposed.name !== current.name) await this.assertNameFree(trx, row.institution_id, proposed.name, id);
      const changed = changedFields(current, proposed);
      const filing = await this.insertFiling(trx, actor, row, kind, body.eventDate, deadline, body.summary, proposed, changed);
      await recordAudit(trx, actor, {
        action: `catalog.system.${kind}`,
        target: { type: 'system', id, institutionId: row.institution_id },
        details: { filingId: filing.id, version: filing.version, eventDate: body.eventDate, deadline, late: filing.late, changedFields: changed },
      });
      return this.filing(trx, actor, filing.id);
    });
    return mapUniqueViolation(work, UNIQUE);
  }

  /** Every filing of a system with its snapshot, newest first: the registration's full history. */
  async filings(actor: Actor, systemId: string): Promise<SystemFilingWithSnapshot[]> {
    const sys = await this.row(this.db, systemId);
    assertCan(actor, 'system.read', sys.institution_id, WHAT);
    const rows = await this.filingQuery(this.db).select('f.snapshot').where('f.system_id', '=', systemId).orderBy('f.version', 'desc').execute();
    return rows.map((r) => ({ ...filingDto(actor, r), snapshot: readSnapshot(r.snapshot) }));
  }

  /** The authority's queue (and everyone's list of filings in reach): pending first, oldest first; then newest first. */
  async queue(actor: Actor, query: FilingQuery): Promise<{ items: SystemFiling[]; total: number; page: number; pageSize: number }> {
    assertCanAnywhere(actor, 'system.read');
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const ids = reachFilter(actor, 'system.read');
    let q = this.filingQuery(this.db);
    if (ids) q = q.where('f.institution_id', 'in', ids.length ? ids : [NIL]);
    if (query.reviewStatus) q = q.where('f.review_status', '=', query.reviewStatus);
    if (query.kind) q = q.where('f.kind', '=', query.kind);
    if (query.late !== undefined) q = q.where('f.late', '=', query.late);
    if (query.institutionId) q = q.where('f.institution_id', '=', query.institutionId);
    if (query.systemId) q = q.where('f.system_id', '=', query.systemId);
    const { total } = await q
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .executeTakeFirstOrThrow();
    const rows = await q
      .orderBy(sql`(f.review_status = 'pending')`, 'desc')
      .orderBy(sql`case when f.review_status = 'pending' then f.filed_at end`, 'asc')
      .orderBy('f.filed_at', 'desc')
      .orderBy('f.id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return { items: rows.map((r) => filingDto(actor, r)), total: Number(total), page, pageSize };
  }

  /** The authority accepts or returns a pending filing (system.review at the system's institution). */
  async review(actor: Actor, filingId: string, body: ReviewBody): Promise<SystemFiling> {
    const pre = await this.db
      .selectFrom('system_filings')
      .select(['id', 'system_id', 'institution_id', 'kind', 'version', 'filed_by', 'review_status'])
      .where('id', '=', filingId)
      .executeTakeFirst();
    if (!pre) throw notFound(FILING_WHAT);
    assertCan(actor, 'system.review', pre.institution_id, FILING_WHAT);
    const reason = body.reason?.trim() || null;
    if (body.decision === 'return' && !reason) {
      throw ruleViolation(
        'RETURN_REASON_REQUIRED',
        '退回申报必须写明理由，以便申报单位补正',
        'A return needs a reason so that the institution knows what to correct',
        {
          field: 'reason',
        },
      );
    }
    const notPending = () => conflict('FILING_NOT_PENDING', '该申报已审核，不能重复审核', 'This filing has already been decided');
    if (pre.review_status !== 'pending') throw notPending();
    const target = { type: 'system', id: pre.system_id, institutionId: pre.institution_id };
    if (pre.filed_by === actor.userId) {
      await recordAudit(this.db, actor, {
        action: `catalog.system_filing.${body.decision}`,
        outcome: 'denied',
        target,
        details: { filingId, kind: pre.kind, version: pre.version, reason: 'SAME_PERSON' },
      });
      throw forbidden('不能审核本人提交的申报', 'You cannot decide a filing you made yourself', 'SAME_PERSON');
    }
    const work = this.db.transaction().execute(async (trx) => {
      // Lock order system → filing, as in every filing path.
      const sys = await this.row(trx, pre.system_id, true);
      const f = await trx.selectFrom('system_filings').selectAll().where('id', '=', filingId).forUpdate().executeTakeFirstOrThrow();
      if (f.review_status !== 'pending') throw notPending();
      const snap = readSnapshot(f.snapshot);
      let set: Updateable<SystemsTable> | null = null;
      if (body.decision === 'accept') {
        if (f.kind === 'registration') set = { status: 'accepted' };
        else if (f.kind === 'closure') set = { status: 'closed', closed_on: f.event_date };
        else {
          const { resources: _resources, ...fields } = snap;
          if (fields.name !== sys.name) await this.assertNameFree(trx, sys.institution_id, fields.name, sys.id);
          set = columnsOf(fields);
        }
      } else if (f.kind === 'registration') {
        set = { status: 'returned' };
      }
      // A returned change or closure leaves the registered system as it was.
      if (set)
        await trx
          .updateTable('systems')
          .set({ ...set, version: sys.version + 1, updated_at: new Date() })
          .where('id', '=', sys.id)
          .execute();
      await trx
        .updateTable('system_filings')
        .set({
          review_status: body.decision === 'accept' ? 'accepted' : 'returned',
          reviewed_by: actor.userId,
          reviewed_at: new Date(),
          review_reason: reason,
        })
        .where('id', '=', filingId)
        .execute();
      await recordAudit(trx, actor, {
        action: `catalog.system_filing.${body.decision}`,
        target,
        details: { filingId, kind: f.kind, version: f.version, late: f.late, reason },
      });
      return this.filing(trx, actor, filingId);
    });
    return mapUniqueViolation(work, UNIQUE);
  }

  // ---- asset consistency checks (AST-3) ----

  async listChecks(actor: Actor, query: AssetCheckQuery): Promise<{ items: AssetCheck[]; total: number; page: number; pageSize: number }> {
    assertCanAnywhere(actor, 'system.read');
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const ids = reachFilter(actor, 'system.read');
    let q = this.db.selectFrom('asset_checks as c');
    if (ids) q = q.where('c.institution_id', 'in', ids.length ? ids : [NIL]);
    if (query.institutionId) q = q.where('c.institution_id', '=', query.institutionId);
    if (query.unresolved !== undefined) {
      q = q.where((eb) => {
        const open = eb.exists(
          eb.selectFrom('asset_check_findings as of').select('of.id').whereRef('of.check_id', '=', 'c.id').where('of.resolved_at', 'is', null),
        );
        return query.unresolved ? open : eb.not(open);
      });
    }
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await q
      .select('c.id')
      .orderBy('c.checked_on', 'desc')
      .orderBy('c.created_at', 'desc')
      .orderBy('c.id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return {
      items: await this.checks(
        this.db,
        rows.map((r) => r.id),
      ),
      total: Number(total),
      page,
      pageSize,
    };
  }

  async createCheck(actor: Actor, body: AssetCheckCreate): Promise<AssetCheck> {
    assertCan(actor, 'system.manage', body.institutionId, INSTITUTION_WHAT);
    if (isFutureDate(body.checkedOn, beijingToday())) {
      throw ruleViolation('DATE_IN_FUTURE', `核查日期 ${body.checkedOn} 晚于今天，只能记录已完成的核查`, `checkedOn ${body.checkedOn} is in the future`, {
        field: 'checkedOn',
      });
    }
    return this.db.transaction().execute(async (trx) => {
      const inst = await trx.selectFrom('institutions').select('id').where('id', '=', body.institutionId).executeTakeFirst();
      if (!inst) throw notFound(INSTITUTION_WHAT);
      const systemIds = [...new Set(body.findings.flatMap((f) => (f.systemId ? [f.systemId] : [])))];
      const own = new Set(
        systemIds.length
          ? (await trx.selectFrom('systems').select('id').where('id', 'in', systemIds).where('institution_id', '=', body.institutionId).execute()).map(
              (r) => r.id,
            )
          : [],
      );
      // Another institution's system and a missing one get the same answer: nothing is revealed.
      const foreign = body.findings.findIndex((f) => f.systemId && !own.has(f.systemId));
      if (foreign >= 0) {
        throw ruleViolation(
          'SYSTEM_NOT_IN_INSTITUTION',
          '核查发现关联的系统不是本单位登记的系统',
          'A finding names a system that is not registered at this institution',
          {
            field: `findings.${foreign}.systemId`,
          },
        );
      }
      const id = uuidv7();
      await trx
        .insertInto('asset_checks')
        .values({
          id,
          institution_id: body.institutionId,
          checked_by: actor.userId,
          checked_on: body.checkedOn,
          scope: body.scope?.trim() || null,
          notes: body.notes?.trim() || null,
        })
        .execute();
      if (body.findings.length) {
        await trx
          .insertInto('asset_check_findings')
          .values(
            body.findings.map((f) => ({
              id: uuidv7(),
              check_id: id,
              institution_id: body.institutionId,
              system_id: f.systemId ?? null,
              description: f.description.trim(),
            })),
          )
          .execute();
      }
      await recordAudit(trx, actor, {
        action: 'catalog.asset_check.create',
        target: { type: 'asset_check', id, institutionId: body.institutionId },
        details: { checkedOn: body.checkedOn, findings: body.findings.length, systemIds },
      });
      const [check] = await this.checks(trx, [id]);
      return check as AssetCheck;
    });
  }

  async resolveFinding(actor: Actor, checkId: string, findingId: string, body: FindingResolve): Promise<AssetCheck> {
    const pre = await this.db
      .selectFrom('asset_check_findings')
      .select(['id', 'institution_id'])
      .where('id', '=', findingId)
      .where('check_id', '=', checkId)
      .executeTakeFirst();
    if (!pre) throw notFound(FINDING_WHAT);
    assertCan(actor, 'system.manage', pre.institution_id, FINDING_WHAT);
    return this.db.transaction().execute(async (trx) => {
      const f = await trx.selectFrom('asset_check_findings').selectAll().where('id', '=', findingId).forUpdate().executeTakeFirstOrThrow();
      if (f.resolved_at) throw conflict('FINDING_RESOLVED', '该问题已处理，不能重复处理', 'This finding is already resolved');
      const resolution = body.resolution.trim();
      await trx
        .updateTable('asset_check_findings')
        .set({ resolved_at: new Date(), resolved_by: actor.userId, resolution })
        .where('id', '=', findingId)
        .execute();
      await recordAudit(trx, actor, {
        action: 'catalog.asset_check.resolve',
        target: { type: 'asset_check', id: checkId, institutionId: f.institution_id },
        details: { findingId, systemId: f.system_id },
      });
      const [check] = await this.checks(trx, [checkId]);
      return check as AssetCheck;
    });
  }

  // ---- internals ----

  private async row(db: Executor, id: string, lock = false): Promise<SystemRow> {
    let q = db.selectFrom('systems').selectAll().where('id', '=', id);
    if (lock) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    if (!row) throw notFound(WHAT);
    return row;
  }

  private async assertNameFree(db: Executor, institutionId: string, name: string, selfId: string | null) {
    const same = await db
      .selectFrom('systems')
      .select('id')
      .where('institution_id', '=', institutionId)
      .where('name', '=', name)
      .where('id', '!=', selfId ?? NIL)
      .executeTakeFirst();
    if (same) throw duplicateName();
  }

  /** What every filing needs: the DG-8 facts present and consistent. */
  private assertFileable(fields: SystemFields, today: string) {
    const missing = missingForFiling(fields);
    if (missing.length) throw incomplete(missing);
    const problem = fieldProblem(fields, today);
    if (problem) throw problemError(problem);
  }

  private assertEventDate(eventDate: string, today: string) {
    if (isFutureDate(eventDate, today)) {
      throw ruleViolation(
        'EVENT_DATE_IN_FUTURE',
        `变化之日 ${eventDate} 晚于今天（${today}），只能申报已经发生的变化`,
        `eventDate ${eventDate} is after today (${today}); only what has happened can be filed`,
        { field: 'eventDate' },
      );
    }
  }

  /** DG-8: 15 working days after the event, by the workdays service (422 WORKDAY_SCHEDULE_MISSING for an unknown year). */
  private async deadline(eventDate: string): Promise<string> {
    return (await this.workdays.addWorkdays(eventDate, DG8_FILING_WORKDAYS)).result;
  }

  private async insertFiling(
    trx: Trx,
    actor: Actor,
    row: SystemRow,
    kind: FilingKind,
    eventDate: string,
    deadline: string,
    summary: string | undefined,
    fields: SystemFields,
    changed: string[],
  ): Promise<{ id: string; version: number; late: boolean }> {
    // The system row is locked, so max + 1 cannot race; the unique (system_id, version) index backs it.
    const { max } = await trx
      .selectFrom('system_filings')
      .select((eb) => eb.fn.max('version').as('max'))
      .where('system_id', '=', row.id)
      .executeTakeFirstOrThrow();
    const version = Number(max ?? 0) + 1;
    const resources = await trx
      .selectFrom('data_resources')
      .select(['id', 'name', 'level'])
      .where('system_id', '=', row.id)
      .orderBy('name')
      .orderBy('id')
      .execute();
    const snapshot: StoredSnapshot = { ...fields, resources, changedFields: changed };
    const filedAt = new Date();
    const late = isLate(filedAt, deadline);
    const id = uuidv7();
    await trx
      .insertInto('system_filings')
      .values({
        id,
        system_id: row.id,
        institution_id: row.institution_id,
        version,
        kind,
        event_date: eventDate,
        deadline,
        late,
        summary: summary?.trim() || null,
        snapshot: JSON.stringify(snapshot),
        filed_by: actor.userId,
        filed_at: filedAt,
      })
      .execute();
    return { id, version, late };
  }

  private filingQuery(db: Executor) {
    return db
      .selectFrom('system_filings as f')
      .innerJoin('systems as s', 's.id', 'f.system_id')
      .innerJoin('institutions as i', 'i.id', 'f.institution_id')
      .leftJoin('users as fu', 'fu.id', 'f.filed_by')
      .leftJoin('users as ru', 'ru.id', 'f.reviewed_by')
      .select([
        'f.id',
        'f.system_id',
        's.name as system_name',
        'f.institution_id',
        'i.name as institution_name',
        'f.version',
        'f.kind',
        'f.event_date',
        'f.deadline',
        'f.late',
        'f.summary',
        sql<string[] | null>`f.snapshot -> 'changedFields'`.as('changed_fields'),
        'f.filed_at',
        'f.filed_by',
        'fu.display_name as filed_by_name',
        'f.review_status',
        'f.reviewed_at',
        'f.reviewed_by',
        'ru.display_name as reviewed_by_name',
        'f.review_reason',
      ]);
  }

  private async filing(db: Executor, actor: Actor, id: string): Promise<SystemFiling> {
    const r = await this.filingQuery(db).where('f.id', '=', id).executeTakeFirstOrThrow();
    return filingDto(actor, r);
  }

  /** Latest filing, late marks and resource totals of some systems, in three queries whatever their number. */
  private async decorations(db: Executor, ids: string[]): Promise<Decorations> {
    const deco: Decorations = { latest: new Map(), late: new Set(), resources: new Map() };
    if (!ids.length) return deco;
    const [latest, late, resources] = await Promise.all([
      this.filingQuery(db).where('f.system_id', 'in', ids).distinctOn('f.system_id').orderBy('f.system_id').orderBy('f.version', 'desc').execute(),
      db.selectFrom('system_filings').select('system_id').distinct().where('system_id', 'in', ids).where('late', '=', true).execute(),
      db
        .selectFrom('data_resources')
        .select(['system_id', 'level', (eb) => eb.fn.countAll<number>().as('n')])
        .where('system_id', 'in', ids)
        .groupBy(['system_id', 'level'])
        .execute(),
    ]);
    for (const f of latest) deco.latest.set(f.system_id, f);
    for (const l of late) deco.late.add(l.system_id);
    for (const r of resources) {
      const cur = deco.resources.get(r.system_id) ?? { count: 0, level: null };
      deco.resources.set(r.system_id, { count: cur.count + Number(r.n), level: highestLevel([cur.level, r.level]) });
    }
    return deco;
  }

  private head(actor: Actor, r: SystemRow, institutionName: string, deco: Decorations, today: string) {
    const res = deco.resources.get(r.id) ?? { count: 0, level: null };
    const latest = deco.latest.get(r.id);
    return {
      id: r.id,
      institutionId: r.institution_id,
      institutionName,
      status: r.status as SystemStatus,
      closedOn: r.closed_on,
      flags: systemFlags(fieldsOf(r), res.level, today),
      resourceCount: res.count,
      latestFiling: latest ? filingDto(actor, latest) : null,
      hasLateFiling: deco.late.has(r.id),
      version: r.version,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    };
  }

  private async detail(db: Executor, actor: Actor, row: SystemRow): Promise<System> {
    const [inst, deco] = await Promise.all([
      db.selectFrom('institutions').select('name').where('id', '=', row.institution_id).executeTakeFirstOrThrow(),
      this.decorations(db, [row.id]),
    ]);
    // The shared-catalog rule (docs/catalog-contract.md): published resources for anyone holding catalog.read
    // anywhere, unpublished ones only within catalog.read reach.
    let resources: System['resources'] = [];
    if (canAnywhere(actor, 'catalog.read')) {
      let q = db
        .selectFrom('data_resources')
        .select(['id', 'name', 'level', 'grading_status', 'share_attribute', 'open_attribute', 'published'])
        .where('system_id', '=', row.id);
      if (!can(actor, 'catalog.read', row.institution_id)) q = q.where('published', '=', true);
      const rows = await q.orderBy('name').orderBy('id').limit(RESOURCE_LIST_LIMIT).execute();
      resources = rows.map((r) => ({
        id: r.id,
        name: r.name,
        level: r.level,
        gradingStatus: r.grading_status,
        shareAttribute: r.share_attribute,
        openAttribute: r.open_attribute,
        published: r.published,
      }));
    }
    return { ...this.head(actor, row, inst.name, deco, beijingToday()), ...fieldsOf(row), resources };
  }

  private async checks(db: Executor, ids: string[]): Promise<AssetCheck[]> {
    if (!ids.length) return [];
    const [checks, findings] = await Promise.all([
      db
        .selectFrom('asset_checks as c')
        .innerJoin('institutions as i', 'i.id', 'c.institution_id')
        .leftJoin('users as u', 'u.id', 'c.checked_by')
        .select([
          'c.id',
          'c.institution_id',
          'i.name as institution_name',
          'c.checked_on',
          'c.checked_by',
          'u.display_name as checked_by_name',
          'c.scope',
          'c.notes',
          'c.created_at',
        ])
        .where('c.id', 'in', ids)
        .execute(),
      db
        .selectFrom('asset_check_findings as f')
        .leftJoin('systems as s', 's.id', 'f.system_id')
        .leftJoin('users as u', 'u.id', 'f.resolved_by')
        .select([
          'f.id',
          'f.check_id',
          'f.system_id',
          's.name as system_name',
          'f.description',
          'f.resolved_at',
          'f.resolved_by',
          'u.display_name as resolved_by_name',
          'f.resolution',
        ])
        .where('f.check_id', 'in', ids)
        .orderBy('f.id')
        .execute(),
    ]);
    const byId = new Map(checks.map((c) => [c.id, c]));
    return ids.flatMap((id) => {
      const c = byId.get(id);
      if (!c) return [];
      const own = findings
        .filter((f) => f.check_id === id)
        .map((f) => ({
          id: f.id,
          systemId: f.system_id,
          systemName: f.system_name,
          description: f.description,
          resolved: f.resolved_at !== null,
          resolvedAt: f.resolved_at ? f.resolved_at.toISOString() : null,
          resolvedBy: f.resolved_by ? { id: f.resolved_by, displayName: f.resolved_by_name ?? '' } : null,
          resolution: f.resolution,
        }));
      return [
        {
          id: c.id,
          institutionId: c.institution_id,
          institutionName: c.institution_name,
          checkedOn: c.checked_on,
          checkedBy: c.checked_by ? { id: c.checked_by, displayName: c.checked_by_name ?? '' } : null,
          scope: c.scope,
          notes: c.notes,
          findings: own,
          openFindings: own.filter((f) => !f.resolved).length,
          createdAt: c.created_at.toISOString(),
        },
      ];
    });
  }
}
