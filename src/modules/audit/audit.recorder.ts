// AUD-1: services record what they did in the SAME transaction as the change, so a change without its
// audit event (or an event for a change that rolled back) cannot exist. AUD-2: the event also enters
// audit_pending in the same statement; the sealer (audit.sealer.ts) chains it after the commit, and the
// request waits for that before it answers (build-app.ts). If the log cannot be written, the operation
// fails with 503 AUDIT_UNAVAILABLE and its transaction rolls back: no change, no data, without its event.
import { type Kysely, sql, type Transaction } from 'kysely';
import { AppError } from '../../app/errors.ts';
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

/** The row an event becomes (shared with the group-commit appender). */
export function auditRow(who: AuditContext, event: AuditEventInput, occurredAt: Date) {
  return {
    id: uuidv7(),
    occurred_at: occurredAt,
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
  };
}

export const auditUnavailable = (cause?: unknown) =>
  new AppError(
    'AUDIT_UNAVAILABLE',
    503,
    '审计日志暂时无法写入，操作未执行，请稍后重试',
    'The audit log cannot be written right now; nothing was done. Try again later',
    {
      ...(cause instanceof Error ? { reason: cause.message.slice(0, 200) } : {}),
    },
  );

/**
 * Events recorded by this process so far. A request compares it before and after (build-app.ts): if it
 * moved, the request waits for a seal pass before answering. Other requests' events only cost it a shared
 * pass, never a missed one.
 */
export const auditWrites = { count: 0 };

/** Returns the event's id. */
export async function recordAudit(db: Executor, who: AuditContext, event: AuditEventInput): Promise<string> {
  const row = auditRow(who, event, new Date());
  try {
    await sql`
      WITH e AS (
        INSERT INTO audit_events (id, occurred_at, actor_user_id, actor_username, acting_institution_id, action,
          target_type, target_id, target_institution_id, outcome, ip, request_id, details)
        VALUES (${row.id}, ${row.occurred_at}, ${row.actor_user_id}, ${row.actor_username}, ${row.acting_institution_id},
          ${row.action}, ${row.target_type}, ${row.target_id}, ${row.target_institution_id}, ${row.outcome}, ${row.ip},
          ${row.request_id}, ${row.details}::jsonb)
        RETURNING seq, id
      )
      INSERT INTO audit_pending (seq, event_id) SELECT seq, id FROM e
    `.execute(db);
  } catch (err) {
    throw auditUnavailable(err);
  }
  auditWrites.count++;
  return row.id;
}
