// Deletion duties (LIF-10, DG-12; docs/sharing-contract.md "Deletion duties").
//
// - Reading: 'sharing.read'; a duty is visible when its holder (the grant's recipient) or its provider is in
//   the caller's reach, else 404. `overdue` = still open after its due date (Beijing), computed, never stored.
// - Opening: the provider ('sharing.provide' at the grant's provider) in any DG-12 case; revocations and
//   the expiry sweeper open duties through openDeletionDuty (duties.open.ts) in their own transactions.
// - The holder ('sharing.apply' at the recipient) uploads evidence and confirms: 'deleted', or
//   'processing_stopped' with a statement of why deletion is technically impossible (DG-12's last
//   paragraph: such data may only be kept under its security measures, nothing else).
// - The provider accepts the confirmation or reopens the duty with a reason (a new working-day deadline).
// Every change is audited in its transaction; status changes are conditional updates, so of two people
// acting at once one wins and the other gets 409.
import { type Selectable, sql } from 'kysely';
import { AppError, badRequest, conflict, notFound, ruleViolation } from '../../app/errors.ts';
import type { Db, Executor } from '../../db/database.ts';
import type { DeletionDutiesTable, DeletionDutyStep } from '../../db/schema.ts';
import { sm3 } from '../../engines/gm/index.ts';
import { DG12_CASE_LABELS, type Dg12Case } from '../../engines/sharing/dg12.ts';
import { beijingDate } from '../../engines/workdays/index.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { assertCanAnywhere, can, reachFilter } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import type { WorkdaysService } from '../workdays/workdays.service.ts';
import { deletionWorkdays, openDeletionDuty } from './duties.open.ts';
import {
  type DeletionDuty,
  type DeletionDutyDetail,
  DUTY_EVIDENCE_MAX_BYTES,
  type DutyConfirm,
  type DutyOpen,
  type DutyQuery,
  type DutyReopen,
  type DutyStatus,
} from './duties.schemas.ts';

const DUTY = { zh: '删除义务', en: 'Deletion duty' };
const GRANT = { zh: '共享授权', en: 'Share grant' };
const NIL = '00000000-0000-0000-0000-000000000000';

type DutyRow = Selectable<DeletionDutiesTable> & {
  grant_number: string;
  resource_name: string;
  provider_name: string;
  holder_name: string;
  opened_name: string | null;
  confirmed_name: string | null;
  accepted_name: string | null;
  reopened_name: string | null;
  evidence_name_by: string | null;
};

const person = (id: string | null, name: string | null) => (id ? { id, displayName: name ?? '' } : null);

export const dutyClosed = (status: DutyStatus) =>
  status === 'accepted'
    ? conflict('DUTY_CLOSED', '该删除义务已验收，不能再更改', 'This deletion duty has been accepted and can no longer change')
    : conflict('DUTY_CLOSED', '该删除义务已确认，等待提供单位验收', 'This deletion duty is already confirmed and awaits the provider');

const notConfirmed = () =>
  conflict('DUTY_NOT_CONFIRMED', '数据使用单位尚未确认删除，不能验收或退回', 'The data user has not confirmed the deletion yet; nothing to accept or reopen');

export function evidenceTooLarge() {
  return badRequest(
    'UPLOAD_TOO_LARGE',
    `证明材料超过 ${DUTY_EVIDENCE_MAX_BYTES / 1024 / 1024} MB`,
    `The evidence file exceeds ${DUTY_EVIDENCE_MAX_BYTES / 1024 / 1024} MB`,
  );
}

export class DeletionDutiesService {
  constructor(
    private readonly db: Db,
    private readonly workdays: WorkdaysService,
  ) {}

  private base(db: Executor = this.db) {
    return db
      .selectFrom('deletion_duties as d')
      .innerJoin('share_grants as g', 'g.id', 'd.grant_id')
      .innerJoin('data_resources as r', 'r.id', 'd.resource_id')
      .innerJoin('institutions as p', 'p.id', 'd.provider_institution_id')
      .innerJoin('institutions as h', 'h.id', 'd.holder_institution_id')
      .leftJoin('users as uo', 'uo.id', 'd.opened_by')
      .leftJoin('users as uc', 'uc.id', 'd.confirmed_by')
      .leftJoin('users as ua', 'ua.id', 'd.accepted_by')
      .leftJoin('users as ur', 'ur.id', 'd.reopened_by')
      .leftJoin('users as ue', 'ue.id', 'd.evidence_uploaded_by');
  }

  private static readonly COLUMNS = [
    'd.id',
    'd.number',
    'd.grant_id',
    'd.resource_id',
    'd.provider_institution_id',
    'd.holder_institution_id',
    'd.case_code',
    'd.reason',
    'd.opened_by',
    'd.opened_at',
    'd.due_date',
    'd.status',
    'd.outcome',
    'd.statement',
    'd.confirmed_by',
    'd.confirmed_at',
    'd.evidence_name',
    'd.evidence_sm3',
    'd.evidence_size',
    'd.evidence_uploaded_by',
    'd.evidence_uploaded_at',
    'd.accepted_by',
    'd.accepted_at',
    'd.reopen_count',
    'd.reopened_by',
    'd.reopened_at',
    'd.reopen_reason',
    'd.history',
    'd.version',
    'g.number as grant_number',
    'r.name as resource_name',
    'p.name as provider_name',
    'h.name as holder_name',
    'uo.display_name as opened_name',
    'uc.display_name as confirmed_name',
    'ua.display_name as accepted_name',
    'ur.display_name as reopened_name',
    'ue.display_name as evidence_name_by',
  ] as const;

  /** Restricts to duties whose holder or provider is in the caller's sharing.read reach. */
  private scoped(actor: Actor, db: Executor = this.db) {
    const ids = reachFilter(actor, 'sharing.read');
    const q = this.base(db);
    if (ids === null) return q;
    const inst = ids.length ? ids : [NIL];
    return q.where((eb) => eb.or([eb('d.holder_institution_id', 'in', inst), eb('d.provider_institution_id', 'in', inst)]));
  }

  private toDuty(r: DutyRow, today: string): DeletionDuty {
    const code = r.case_code as Dg12Case;
    return {
      id: r.id,
      number: r.number,
      grant: { id: r.grant_id, number: r.grant_number },
      resource: { id: r.resource_id, name: r.resource_name },
      provider: { id: r.provider_institution_id, name: r.provider_name },
      holder: { id: r.holder_institution_id, name: r.holder_name },
      case: code,
      caseLabel: DG12_CASE_LABELS[code],
      reason: r.reason,
      openedBy: person(r.opened_by, r.opened_name),
      openedAt: r.opened_at.toISOString(),
      dueDate: r.due_date,
      status: r.status,
      overdue: r.status === 'open' && r.due_date < today,
      outcome: r.outcome,
      statement: r.statement,
      confirmedBy: person(r.confirmed_by, r.confirmed_name),
      confirmedAt: r.confirmed_at?.toISOString() ?? null,
      evidence:
        r.evidence_name && r.evidence_sm3 && r.evidence_uploaded_at
          ? {
              fileName: r.evidence_name,
              sm3: r.evidence_sm3,
              size: r.evidence_size ?? 0,
              uploadedBy: person(r.evidence_uploaded_by, r.evidence_name_by),
              uploadedAt: r.evidence_uploaded_at.toISOString(),
            }
          : null,
      acceptedBy: person(r.accepted_by, r.accepted_name),
      acceptedAt: r.accepted_at?.toISOString() ?? null,
      reopenCount: r.reopen_count,
      reopenedBy: person(r.reopened_by, r.reopened_name),
      reopenedAt: r.reopened_at?.toISOString() ?? null,
      reopenReason: r.reopen_reason,
    };
  }

  /** GET /api/deletion-duties: within reach, open and overdue first, then newest. */
  async list(actor: Actor, query: DutyQuery): Promise<{ items: DeletionDuty[]; total: number; page: number; pageSize: number }> {
    assertCanAnywhere(actor, 'sharing.read');
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const today = beijingDate(new Date());
    let q = this.scoped(actor);
    const ids = reachFilter(actor, 'sharing.read');
    if (query.role && ids !== null) {
      q = q.where(query.role === 'holder' ? 'd.holder_institution_id' : 'd.provider_institution_id', 'in', ids.length ? ids : [NIL]);
    }
    if (query.status) q = q.where('d.status', '=', query.status);
    if (query.grantId) q = q.where('d.grant_id', '=', query.grantId);
    if (query.resourceId) q = q.where('d.resource_id', '=', query.resourceId);
    if (query.case) q = q.where('d.case_code', '=', query.case);
    const overdue = sql<boolean>`(d.status = 'open' AND d.due_date < ${today}::date)`;
    if (query.overdue !== undefined) q = q.where(query.overdue ? overdue : sql<boolean>`NOT ${overdue}`);
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await q
      .select(DeletionDutiesService.COLUMNS)
      .orderBy(sql`(d.status = 'open' AND d.due_date < ${today}::date)`, 'desc')
      .orderBy(sql`(d.status = 'accepted')`)
      .orderBy('d.opened_at', 'desc')
      .orderBy('d.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return { items: rows.map((r) => this.toDuty(r as DutyRow, today)), total: Number(total), page, pageSize };
  }

  private async row(actor: Actor, id: string, db: Executor = this.db): Promise<DutyRow> {
    assertCanAnywhere(actor, 'sharing.read');
    const row = await this.scoped(actor, db).select(DeletionDutiesService.COLUMNS).where('d.id', '=', id).executeTakeFirst();
    if (!row) throw notFound(DUTY);
    return row as DutyRow;
  }

  private async detail(actor: Actor, r: DutyRow): Promise<DeletionDutyDetail> {
    const today = beijingDate(new Date());
    const steps = r.history ?? [];
    const userIds = [...new Set(steps.map((s) => s.by).filter((x): x is string => !!x))];
    const names = new Map(
      userIds.length
        ? (await this.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', userIds).execute()).map((u) => [u.id, u.display_name])
        : [],
    );
    const holder = can(actor, 'sharing.apply', r.holder_institution_id);
    const provider = can(actor, 'sharing.provide', r.provider_institution_id);
    return {
      ...this.toDuty(r, today),
      history: steps.map((s) => ({ ...s, by: s.by ? { id: s.by, displayName: names.get(s.by) ?? '' } : null })),
      can: {
        confirm: holder && r.status === 'open',
        uploadEvidence: holder && r.status === 'open',
        accept: provider && r.status === 'confirmed',
        reopen: provider && r.status === 'confirmed',
      },
    };
  }

  /** GET /api/deletion-duties/:id */
  async get(actor: Actor, id: string): Promise<DeletionDutyDetail> {
    return this.detail(actor, await this.row(actor, id));
  }

  /** POST /api/deletion-duties: the provider opens a duty on a grant of its data in a DG-12 case. */
  async open(actor: Actor, body: DutyOpen): Promise<DeletionDutyDetail> {
    assertCanAnywhere(actor, 'sharing.read');
    const grant = await this.db
      .selectFrom('share_grants')
      .select(['id', 'provider_institution_id', 'recipient_institution_id'])
      .where('id', '=', body.grantId)
      .executeTakeFirst();
    const ids = reachFilter(actor, 'sharing.read');
    if (!grant || (ids !== null && !ids.includes(grant.provider_institution_id) && !ids.includes(grant.recipient_institution_id))) {
      throw notFound(GRANT);
    }
    if (!can(actor, 'sharing.provide', grant.provider_institution_id)) {
      throw new AppError('FORBIDDEN', 403, '只有数据提供单位可以要求删除', 'Only the data provider may open a deletion duty');
    }
    const id = await this.db.transaction().execute(async (trx) => {
      const open = await trx
        .selectFrom('deletion_duties')
        .select(['id', 'number'])
        .where('grant_id', '=', grant.id)
        .where('case_code', '=', body.case)
        .where('status', '<>', 'accepted')
        .executeTakeFirst();
      if (open) {
        throw conflict(
          'DUTY_EXISTS',
          `该授权在此情形下已有未完成的删除义务（${open.number}）`,
          `This grant already has an unfinished deletion duty in this case (${open.number})`,
          { dutyId: open.id },
        );
      }
      return openDeletionDuty(trx, this.workdays, { grantId: grant.id, caseCode: body.case, reason: body.reason.trim(), openedBy: actor });
    });
    return this.get(actor, id);
  }

  /** Holder-side checks: visible, 'sharing.apply' at the holder, still open. */
  private async asHolder(actor: Actor, id: string, db: Executor): Promise<DutyRow> {
    const r = await this.row(actor, id, db);
    if (!can(actor, 'sharing.apply', r.holder_institution_id)) {
      throw new AppError('FORBIDDEN', 403, '只有持有数据的使用单位可以确认删除', 'Only the data user holding the data may confirm its deletion');
    }
    if (r.status !== 'open') throw dutyClosed(r.status);
    return r;
  }

  private async asProvider(actor: Actor, id: string, db: Executor): Promise<DutyRow> {
    const r = await this.row(actor, id, db);
    if (!can(actor, 'sharing.provide', r.provider_institution_id)) {
      throw new AppError('FORBIDDEN', 403, '只有数据提供单位可以验收或退回', 'Only the data provider may accept or reopen a deletion duty');
    }
    if (r.status === 'open') throw notConfirmed();
    if (r.status === 'accepted') throw dutyClosed('accepted');
    return r;
  }

  /** Conditional update on (status, version): of two concurrent changes, one wins and the other is 409. */
  private async transition(trx: Executor, r: DutyRow, set: Partial<Record<keyof DeletionDutiesTable, unknown>>, step: DeletionDutyStep): Promise<void> {
    const res = await trx
      .updateTable('deletion_duties')
      .set({
        ...(set as object),
        history: sql`history || ${JSON.stringify([step])}::jsonb`,
        version: sql`version + 1`,
      } as never)
      .where('id', '=', r.id)
      .where('status', '=', r.status)
      .where('version', '=', r.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) {
      throw conflict('VERSION_CONFLICT', '该删除义务刚被他人更改，请刷新后重试', 'The deletion duty was just changed by someone else; reload and retry');
    }
  }

  private target(r: DutyRow) {
    return { type: 'deletion_duty', id: r.id, institutionId: r.holder_institution_id };
  }

  /** POST /api/deletion-duties/:id/evidence?fileName=: the holder's proof (≤ 10 MB; SM3 kept), replacing any earlier file. */
  async uploadEvidence(actor: Actor, id: string, file: { bytes: Buffer; fileName: string }): Promise<DeletionDutyDetail> {
    if (file.bytes.length === 0) throw badRequest('EMPTY_FILE', '文件为空', 'The file is empty');
    if (file.bytes.length > DUTY_EVIDENCE_MAX_BYTES) throw evidenceTooLarge();
    const digest = sm3(file.bytes).toString('hex');
    await this.db.transaction().execute(async (trx) => {
      const r = await this.asHolder(actor, id, trx);
      const now = new Date();
      await this.transition(
        trx,
        r,
        {
          evidence: file.bytes,
          evidence_name: file.fileName,
          evidence_sm3: digest,
          evidence_size: file.bytes.length,
          evidence_uploaded_by: actor.userId,
          evidence_uploaded_at: now,
        },
        { at: now.toISOString(), by: actor.userId, action: 'evidence', fileName: file.fileName, sm3: digest },
      );
      await recordAudit(trx, actor, {
        action: 'sharing.duty.evidence',
        target: this.target(r),
        details: { number: r.number, fileName: file.fileName, size: file.bytes.length, sm3: digest },
      });
    });
    return this.get(actor, id);
  }

  /** GET /api/deletion-duties/:id/evidence: the file, for either party within reach. */
  async evidence(actor: Actor, id: string): Promise<{ fileName: string; body: Buffer; sm3: string }> {
    const r = await this.row(actor, id);
    const file = await this.db
      .selectFrom('deletion_duties')
      .select(['evidence', 'evidence_name', 'evidence_sm3'])
      .where('id', '=', r.id)
      .executeTakeFirstOrThrow();
    if (!file.evidence || !file.evidence_name || !file.evidence_sm3) throw notFound({ zh: '证明材料', en: 'Evidence file' });
    return { fileName: file.evidence_name, body: file.evidence, sm3: file.evidence_sm3 };
  }

  /** POST /api/deletion-duties/:id/confirm: the holder reports the data deleted, or its processing stopped (DG-12). */
  async confirm(actor: Actor, id: string, body: DutyConfirm): Promise<DeletionDutyDetail> {
    const statement = body.statement?.trim() || null;
    if (body.outcome === 'processing_stopped' && !statement) {
      throw ruleViolation(
        'STATEMENT_REQUIRED',
        '选择“停止处理”须说明该数据从技术上难以删除的原因（《公共数据安全管理办法》第十二条）',
        'Stopping processing instead of deleting needs a statement of why deletion is technically impossible (DG-12)',
        { field: 'statement' },
      );
    }
    await this.db.transaction().execute(async (trx) => {
      const r = await this.asHolder(actor, id, trx);
      const now = new Date();
      await this.transition(
        trx,
        r,
        { status: 'confirmed', outcome: body.outcome, statement, confirmed_by: actor.userId, confirmed_at: now },
        { at: now.toISOString(), by: actor.userId, action: 'confirmed', outcome: body.outcome, statement },
      );
      await recordAudit(trx, actor, {
        action: 'sharing.duty.confirm',
        target: this.target(r),
        details: { number: r.number, grantId: r.grant_id, outcome: body.outcome, evidenceSm3: r.evidence_sm3, late: r.due_date < beijingDate(now) },
      });
    });
    return this.get(actor, id);
  }

  /** POST /api/deletion-duties/:id/accept: the provider accepts the confirmation; the duty is done. */
  async accept(actor: Actor, id: string): Promise<DeletionDutyDetail> {
    await this.db.transaction().execute(async (trx) => {
      const r = await this.asProvider(actor, id, trx);
      const now = new Date();
      await this.transition(
        trx,
        r,
        { status: 'accepted', accepted_by: actor.userId, accepted_at: now },
        { at: now.toISOString(), by: actor.userId, action: 'accepted' },
      );
      await recordAudit(trx, actor, {
        action: 'sharing.duty.accept',
        target: this.target(r),
        details: { number: r.number, grantId: r.grant_id, outcome: r.outcome },
      });
    });
    return this.get(actor, id);
  }

  /** POST /api/deletion-duties/:id/reopen: the provider does not accept; the holder gets a new deadline. */
  async reopen(actor: Actor, id: string, body: DutyReopen): Promise<DeletionDutyDetail> {
    const reason = body.reason.trim();
    await this.db.transaction().execute(async (trx) => {
      const r = await this.asProvider(actor, id, trx);
      const now = new Date();
      const { result: dueDate } = await this.workdays.addWorkdays(beijingDate(now), await deletionWorkdays(trx));
      await this.transition(
        trx,
        r,
        {
          status: 'open',
          due_date: dueDate,
          outcome: null,
          statement: null,
          confirmed_by: null,
          confirmed_at: null,
          reopen_count: r.reopen_count + 1,
          reopened_by: actor.userId,
          reopened_at: now,
          reopen_reason: reason,
        },
        { at: now.toISOString(), by: actor.userId, action: 'reopened', reason, dueDate },
      );
      await recordAudit(trx, actor, {
        action: 'sharing.duty.reopen',
        target: this.target(r),
        details: { number: r.number, grantId: r.grant_id, reason, dueDate, previousOutcome: r.outcome },
      });
    });
    return this.get(actor, id);
  }
}
