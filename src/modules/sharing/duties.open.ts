// Opening a deletion duty (LIF-10, DG-12): one function shared by the provider's route, a grant's revocation
// (grants.service) and the expiry sweeper, so every path numbers, dates and audits a duty the same way.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import type { DeletionDutyStep } from '../../db/schema.ts';
import { DG12_CASE_LABELS, type Dg12Case } from '../../engines/sharing/dg12.ts';
import { beijingDate } from '../../engines/workdays/index.ts';
import { type AuditContext, recordAudit } from '../audit/audit.recorder.ts';
import type { Actor } from '../org/actor.ts';
import type { WorkdaysService } from '../workdays/workdays.service.ts';

/** Working days a data user has to delete (settings 'sharing.deadlines'.deletion). */
export const DEFAULT_DELETION_WORKDAYS = 10;

/** The platform itself (the expiry sweeper): audited without a user. */
export const PLATFORM_ACTOR: AuditContext = { userId: null, username: 'system', institutionId: null, ip: null, requestId: null };

/** The deletion deadline in working days: the authority's setting, else the default. */
export async function deletionWorkdays(db: Executor): Promise<number> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'sharing.deadlines').executeTakeFirst();
  const v = (row?.value as { deletion?: unknown } | undefined)?.deletion;
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 60 ? v : DEFAULT_DELETION_WORKDAYS;
}

/** 'DEL-2026-000001': the Beijing year of opening and a platform-wide sequence. */
export async function nextDutyNumber(db: Executor, at: Date): Promise<string> {
  const r = await sql<{ n: number }>`SELECT nextval('deletion_duty_number_seq') AS n`.execute(db);
  return `DEL-${beijingDate(at).slice(0, 4)}-${String(r.rows[0]?.n ?? 0).padStart(6, '0')}`;
}

/**
 * Opens a deletion duty for the grant's recipient in the caller's transaction; returns the duty id. Audited.
 * At most one unfinished duty exists per (grant, case): when one is already open or awaiting acceptance, its
 * id is returned and nothing new is written (the partial unique index decides, so two processes opening at
 * once create one duty). `openedAt` defaults to now (the sweeper passes its clock).
 */
export async function openDeletionDuty(
  trx: Executor,
  workdays: WorkdaysService,
  input: { grantId: string; caseCode: Dg12Case; reason: string; openedBy: Actor | null; openedAt?: Date },
): Promise<string> {
  const grant = await trx
    .selectFrom('share_grants')
    .select(['id', 'number', 'resource_id', 'provider_institution_id', 'recipient_institution_id'])
    .where('id', '=', input.grantId)
    .executeTakeFirstOrThrow();
  const existing = async () =>
    trx
      .selectFrom('deletion_duties')
      .select('id')
      .where('grant_id', '=', grant.id)
      .where('case_code', '=', input.caseCode)
      .where('status', '<>', 'accepted')
      .executeTakeFirst();
  const before = await existing();
  if (before) return before.id;

  const at = input.openedAt ?? new Date();
  const days = await deletionWorkdays(trx);
  const { result: dueDate } = await workdays.addWorkdays(beijingDate(at), days);
  const id = uuidv7();
  const number = await nextDutyNumber(trx, at);
  const step: DeletionDutyStep = { at: at.toISOString(), by: input.openedBy?.userId ?? null, action: 'opened', reason: input.reason, dueDate };
  const inserted = await trx
    .insertInto('deletion_duties')
    .values({
      id,
      number,
      grant_id: grant.id,
      resource_id: grant.resource_id,
      provider_institution_id: grant.provider_institution_id,
      holder_institution_id: grant.recipient_institution_id,
      case_code: input.caseCode,
      reason: input.reason,
      opened_by: input.openedBy?.userId ?? null,
      opened_at: at,
      due_date: dueDate,
      history: JSON.stringify([step]),
    })
    .onConflict((oc) => oc.columns(['grant_id', 'case_code']).where('status', '<>', 'accepted').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) {
    // Another transaction opened the same duty between our look and our insert.
    const won = await existing();
    if (won) return won.id;
    throw new Error(`openDeletionDuty: duty for grant ${grant.id} / ${input.caseCode} vanished`);
  }
  await recordAudit(trx, input.openedBy ?? PLATFORM_ACTOR, {
    action: 'sharing.duty.open',
    target: { type: 'deletion_duty', id, institutionId: grant.recipient_institution_id },
    details: {
      number,
      grantId: grant.id,
      grantNumber: grant.number,
      resourceId: grant.resource_id,
      providerInstitutionId: grant.provider_institution_id,
      case: input.caseCode,
      caseLabel: DG12_CASE_LABELS[input.caseCode].zh,
      dueDate,
      byPlatform: input.openedBy === null,
    },
  });
  return id;
}
