// Reading the audit log (AUD-1). Writing happens through audit.recorder.ts inside each service's transaction.
import type { Db } from '../../db/database.ts';
import { assertCanAnywhere, reachFilter } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import type { AuditEvent, AuditQuery } from './audit.schemas.ts';

const NIL = '00000000-0000-0000-0000-000000000000';

export class AuditService {
  constructor(private readonly db: Db) {}

  async list(actor: Actor, query: AuditQuery) {
    assertCanAnywhere(actor, 'audit.read');
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
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
    if (query.action) q = q.where('action', 'like', `${query.action.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    if (query.actor) q = q.where('actor_username', '=', query.actor);
    if (query.outcome) q = q.where('outcome', '=', query.outcome);
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
    const items: AuditEvent[] = rows.map((r) => ({
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
    }));
    return { items, total: Number(total), page, pageSize };
  }
}
