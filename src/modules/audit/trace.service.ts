// The life-cycle trace (AUD-6, ZZ-31): every audit event that touched a resource, from registration and
// grading through loading, keys, masking and each delivery to the destruction of its keys, in time order
// and by stage; and for one record key, the dataset versions that held the record and the deliveries whose
// content included it, with their events.
//
// An event touched the resource when its target is the resource, or its details name it (resourceId; an
// import's resourceIds), or it traced a leak to one of the resource's deliveries.
import { sql } from 'kysely';
import { badRequest, forbidden } from '../../app/errors.ts';
import type { Db } from '../../db/database.ts';
import { type LoadFacts, recordVersions, type TraceStage, traceStage, type VersionHeld } from '../../engines/audit-report/index.ts';
import { assertCan, can } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import type { DatasetsService } from '../protection/datasets.service.ts';
import { recordAudit } from './audit.recorder.ts';
import type { Trace, TraceEvent, TraceQuery } from './reports.schemas.ts';

const RESOURCE = { zh: '数据资源', en: 'Data resource' };
/** Events returned in one trace (oldest first); the total is always exact. */
export const TRACE_LIMIT = 2000;

/** What the trace needs of the catalog: the resource as the caller may see it. */
export interface ResourceReader {
  get(actor: Actor, id: string): Promise<{ id: string; name: string; institutionId: string; institutionName: string; published: boolean }>;
}

type Row = {
  id: string;
  seq: number;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_username: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  details: Record<string, unknown>;
};

export class AuditTraceService {
  constructor(
    private readonly db: Db,
    private readonly resources: ResourceReader,
    private readonly datasets: Pick<DatasetsService, 'locateRecord'>,
  ) {}

  /** GET /api/audit/trace?resourceId[&recordKey]. Audited (a record-key lookup matches a value against the data). */
  async trace(actor: Actor, q: TraceQuery): Promise<Trace> {
    const resource = await this.resources.get(actor, q.resourceId);
    // A published resource is known to exist: a caller outside its audit reach is refused, not told "no such".
    if (resource.published && !can(actor, 'audit.read', resource.institutionId)) throw forbidden();
    assertCan(actor, 'audit.read', resource.institutionId, RESOURCE);

    const rows = await this.events(resource.id, resource.institutionId);
    const deliveries = rows
      .filter((r) => r.action === 'protection.delivery.create' && r.outcome === 'success' && typeof r.details.deliveryId === 'string')
      .map((r) => ({
        deliveryId: r.details.deliveryId as string,
        recipient: String(r.details.recipient ?? ''),
        datasetVersion: Number(r.details.datasetVersion ?? 0),
        rows: typeof r.details.rows === 'number' ? r.details.rows : null,
        createdAt: r.occurred_at.toISOString(),
      }));

    let record: Trace['record'] = null;
    let relevance: ((r: Row) => 'drop' | TraceEvent['record']) | null = null;
    let recordKeyHmac: string | null = null;
    if (q.recordKey !== undefined) {
      const loc = await this.datasets.locateRecord(this.db, resource.id, q.recordKey);
      if (loc.state === 'invalid_value') {
        throw badRequest('RECORD_KEY_INVALID', `该值不符合主键数据项“${loc.keyField}”的类型`, `The value does not fit the key field "${loc.keyField}"`, {
          field: 'recordKey',
        });
      }
      recordKeyHmac = loc.rowKey;
      const loads = rows.filter((r) => r.action === 'protection.dataset.load' && r.outcome === 'success' && r.target_id === resource.id);
      const facts: LoadFacts[] = loads.map((r) => ({
        version: Number(r.details.version),
        mode: (['replace', 'append', 'upsert'].includes(String(r.details.mode)) ? r.details.mode : null) as LoadFacts['mode'],
        maxRowId: typeof r.details.maxRowId === 'number' ? r.details.maxRowId : null,
      }));
      const held: Map<number, VersionHeld> =
        loc.state === 'present' || loc.state === 'absent'
          ? recordVersions(loc.version, facts, loc.row)
          : new Map(Array.from({ length: loc.version }, (_, i) => [i + 1, 'possibly' as VersionHeld]));
      const loadAt = new Map(loads.map((r) => [Number(r.details.version), r]));
      const included = (v: number): 'held' | 'possibly' | null => {
        const h = held.get(v);
        return h === 'held' || h === 'possibly' ? h : null;
      };
      const kept = deliveries.filter((d) => included(d.datasetVersion) !== null);
      const keptIds = new Map(kept.map((d) => [d.deliveryId, included(d.datasetVersion)]));
      record = {
        keyField: loc.keyField,
        state: loc.state,
        currentVersion: loc.version,
        lastWrittenVersion: loc.row?.version ?? null,
        versions: [...held.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([version, h]) => {
            const ev = loadAt.get(version);
            return { version, mode: ev ? String(ev.details.mode ?? '') || null : null, loadedAt: ev ? ev.occurred_at.toISOString() : null, held: h };
          }),
        deliveries: kept.map((d) => ({ ...d, included: included(d.datasetVersion) as 'held' | 'possibly' })),
      };
      // The record's own timeline: loads that held it (and the one that removed it), deliveries that included
      // it and traces of those; everything about the resource as a whole stays.
      relevance = (r) => {
        if (r.action === 'protection.dataset.load' && r.target_id === resource.id && r.outcome === 'success') {
          const v = Number(r.details.version);
          return included(v) ?? (included(v - 1) !== null ? null : 'drop');
        }
        if (r.action === 'protection.delivery.create' && typeof r.details.deliveryId === 'string') {
          return keptIds.get(r.details.deliveryId) ?? 'drop';
        }
        if (r.action === 'protection.trace' && typeof r.details.deliveryId === 'string') return keptIds.get(r.details.deliveryId) ?? 'drop';
        return null;
      };
    }

    const events: TraceEvent[] = [];
    for (const r of rows) {
      const rel = relevance ? relevance(r) : null;
      if (rel === 'drop') continue;
      events.push({
        id: r.id,
        seq: Number(r.seq),
        occurredAt: r.occurred_at.toISOString(),
        stage: traceStage(r.action),
        action: r.action,
        actorUserId: r.actor_user_id,
        actorUsername: r.actor_username,
        outcome: r.outcome as TraceEvent['outcome'],
        targetType: r.target_type,
        targetId: r.target_id,
        details: r.details ?? {},
        record: rel ?? null,
      });
    }
    const stages = new Map<TraceStage, { stage: TraceStage; count: number; firstAt: string; lastAt: string }>();
    for (const e of events) {
      const s = stages.get(e.stage);
      if (s) {
        s.count++;
        s.lastAt = e.occurredAt;
      } else stages.set(e.stage, { stage: e.stage, count: 1, firstAt: e.occurredAt, lastAt: e.occurredAt });
    }

    await recordAudit(this.db, actor, {
      action: 'audit.trace',
      target: { type: 'data_resource', id: resource.id, institutionId: resource.institutionId },
      // The record key itself is not logged: its HMAC under the resource's index key (as stored in the row)
      // lets a later audit find who looked a given record up, without the log holding the value.
      details: record ? { recordKeyHmac, recordState: record.state, events: events.length } : { events: events.length },
    });
    return {
      resource: { id: resource.id, name: resource.name, institutionId: resource.institutionId, institutionName: resource.institutionName },
      stages: [...stages.values()],
      events: events.slice(0, TRACE_LIMIT),
      total: events.length,
      limit: TRACE_LIMIT,
      record,
    };
  }

  /** Every event about the resource, oldest first. */
  private async events(resourceId: string, institutionId: string): Promise<Row[]> {
    const cols = ['id', 'seq', 'occurred_at', 'actor_user_id', 'actor_username', 'action', 'target_type', 'target_id', 'outcome', 'details'] as const;
    // About the resource: its institution's events (indexed) whose target or details name it.
    const about = await this.db
      .selectFrom('audit_events')
      .select(cols)
      .where('target_institution_id', '=', institutionId)
      .where((eb) =>
        eb.or([
          eb('target_id', '=', resourceId),
          sql<boolean>`details->>'resourceId' = ${resourceId}`,
          eb.and([eb('action', '=', 'catalog.import'), sql<boolean>`details->'resourceIds' @> jsonb_build_array(${resourceId}::text)`]),
        ]),
      )
      .execute();
    const deliveryIds = about
      .filter((r) => r.action === 'protection.delivery.create' && typeof (r.details as Record<string, unknown>)?.deliveryId === 'string')
      .map((r) => (r.details as Record<string, unknown>).deliveryId as string);
    // Leak traces (no target: the file could have come from anywhere) that named the resource or one of its deliveries.
    const traces = await this.db
      .selectFrom('audit_events')
      .select(cols)
      .where('action', '=', 'protection.trace')
      .where((eb) =>
        eb.or([
          sql<boolean>`details->>'resourceId' = ${resourceId}`,
          ...(deliveryIds.length ? [sql<boolean>`details->>'deliveryId' = ANY(${deliveryIds}::text[])`] : []),
        ]),
      )
      .execute();
    const seen = new Set<string>();
    const all: Row[] = [];
    for (const r of [...about, ...traces]) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      all.push({ ...r, seq: Number(r.seq), details: (r.details ?? {}) as Record<string, unknown> });
    }
    return all.sort((a, b) => a.occurred_at.getTime() - b.occurred_at.getTime() || a.seq - b.seq);
  }
}
