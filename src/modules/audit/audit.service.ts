// Reading the audit log (AUD-1). Writing happens through audit.recorder.ts inside each service's transaction.
import type { Selectable } from 'kysely';
import { notFound } from '../../app/errors.ts';
import type { Db } from '../../db/database.ts';
import type { AuditEventsTable } from '../../db/schema.ts';
import { assertCanAnywhere, canAnywhere, reachFilter } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import type { AuditEvent, AuditQuery } from './audit.schemas.ts';

const NIL = '00000000-0000-0000-0000-000000000000';

export class AuditService {
  constructor(private readonly db: Db) {}

  /** One event the actor may read (its institution within the actor's audit reach), else 404. */
  async visibleEvent(actor: Actor, id: string): Promise<AuditEvent> {
    assertCanAnywhere(actor, 'audit.read');
    const q = await this.scoped(actor);
    const row = await q.selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound({ zh: '审计事件', en: 'Audit event' });
    return toEvent(row);
  }

  /** Whether the actor's audit reach covers the whole platform (all, or the city root). */
  async seesPlatform(actor: Actor): Promise<boolean> {
    const ids = reachFilter(actor, 'audit.read');
    if (ids === null) return canAnywhere(actor, 'audit.read');
    const roots = await this.db.selectFrom('institutions').select('id').where('parent_id', 'is', null).execute();
    return roots.some((r) => ids.includes(r.id));
  }

  /** audit_events narrowed to what the actor's audit.read reach covers. */
  private async scoped(actor: Actor) {
    const ids = reachFilter(actor, 'audit.read');
    let q = this.db.selectFrom('audit_events');
    if (ids) {
      const scope = ids.length ? ids : [NIL];
      // Events that concern no institution (failed logins of unknown names, platform set-up) belong to
      // the platform as a whole: auditors whose reach includes the city authority (the root) see them.
      const roots = await this.db.selectFrom('institutions').select('id').where('parent_id', 'is', null).execute();
      const seesPlatform = roots.some((r) => ids.includes(r.id));
      // An event belongs to the institution it concerns and to the one the actor acted for.
      q = q.where((eb) =>
        eb.or([
          eb('target_institution_id', 'in', scope),
          eb('acting_institution_id', 'in', scope),
          ...(seesPlatform ? [eb.and([eb('target_institution_id', 'is', null), eb('acting_institution_id', 'is', null)])] : []),
        ]),
      );
    }
    return q;
  }

  async list(actor: Actor, query: AuditQuery) {
    assertCanAnywhere(actor, 'audit.read');
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    let q = await this.scoped(actor);
    if (query.action) q = q.where('action', 'like', `${query.action.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    if (query.actor) q = q.where('actor_username', '=', query.actor);
    if (query.outcome) q = q.where('outcome', '=', query.outcome);
    if (query.targetType) q = q.where('target_type', '=', query.targetType);
    if (query.targetId) q = q.where('target_id', '=', query.targetId);
    if (query.institutionId) {
      const inst = query.institutionId;
      q = q.where((eb) => eb.or([eb('target_institution_id', '=', inst), eb('acting_institution_id', '=', inst)]));
    }
    if (query.from) q = q.where('occurred_at', '>=', new Date(query.from));
    if (query.to) q = q.where('occurred_at', '<', new Date(query.to));
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await q
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    const items = rows.map(toEvent);
    return { items, total: Number(total), page, pageSize };
  }
}

function toEvent(r: Selectable<AuditEventsTable>): AuditEvent {
  return {
    seq: r.seq,
    id: r.id,
    occurredAt: r.occurred_at.toISOString(),
    actorUserId: r.actor_user_id,
    actorUsername: r.actor_username,
    actingInstitutionId: r.acting_institution_id,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    targetInstitutionId: r.target_institution_id,
    outcome: r.outcome as AuditEvent['outcome'],
    ip: r.ip,
    requestId: r.request_id,
    details: (r.details ?? {}) as Record<string, unknown>,
  };
}
