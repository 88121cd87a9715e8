// AUD-1: services record what they did in the SAME transaction as the change, so a change without its
// audit event (or an event for a change that rolled back) cannot exist.
import type { Kysely, Transaction } from 'kysely';
import { uuidv7 } from '../../db/ids.ts';
import type { Database } from '../../db/schema.ts';
import type { RequestInfo } from '../org/actor.ts';

export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditSubject {
  userId: string | null;
  username: string | null;
  institutionId: string | null;
}

export interface AuditEventInput {
  action: string;
  outcome?: AuditOutcome;
  target?: { type: string; id: string; institutionId?: string | null };
  details?: Record<string, unknown>;
}

type Executor = Kysely<Database> | Transaction<Database>;

/** Who acted: an Actor works as-is; before login (failed attempts) pass what is known. */
export interface AuditContext extends Partial<RequestInfo> {
  userId: string | null;
  username: string | null;
  institutionId: string | null;
}

export async function recordAudit(db: Executor, who: AuditContext, event: AuditEventInput): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      id: uuidv7(),
      actor_user_id: who.userId,
      actor_username: who.username,
      acting_institution_id: who.institutionId,
      action: event.action,
      target_type: event.target?.type ?? null,
      target_id: event.target?.id ?? null,
      target_institution_id: event.target?.institutionId ?? null,
      outcome: event.outcome ?? 'success',
      ip: who.ip ?? null,
      request_id: who.requestId ?? null,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}
