// The sharing overview (LIF-4, LIF-9, LIF-10; docs/sharing-contract.md): the authority's approval queue,
// every overdue obligation within reach (approval steps, deletion duties, error reports) and the city-wide
// sharing map over active grants. Reads only; overdue is computed against today's Beijing date.
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { STEP_KIND_LABELS } from '../../engines/sharing/chain.ts';
import { DG12_CASE_LABELS, isDg12Case } from '../../engines/sharing/dg12.ts';
import { beijingToday } from '../catalog/deadlines.ts';
import { assertCanAnywhere, reachFilter } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import type { SharingMap, SharingOverdue, SharingQueue } from './overview.schemas.ts';
import type { ShareRequestsService } from './requests.service.ts';

const NIL = '00000000-0000-0000-0000-000000000000';
const QUEUE_LIMIT = 500;

function reach(actor: Actor, permission: 'sharing.read' | 'sharing.approve'): string[] | null {
  const r = reachFilter(actor, permission);
  return r === null ? null : r.length ? r : [NIL];
}

/** Whole calendar days from `from` to `to` ('YYYY-MM-DD'). */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export class SharingOverviewService {
  constructor(
    private readonly db: Db,
    private readonly requests: ShareRequestsService,
  ) {}

  /** GET /api/sharing/queue: open authority/exception/association steps the caller's institutions decide, overdue first. */
  async queue(actor: Actor): Promise<SharingQueue> {
    assertCanAnywhere(actor, 'sharing.approve');
    const approve = reach(actor, 'sharing.approve');
    const today = beijingToday();
    let q = this.db
      .selectFrom('share_request_steps as s')
      .innerJoin('share_requests as r', 'r.id', 's.request_id')
      .select(['r.id', 's.due_date'])
      .where('s.status', '=', 'open')
      // LIF-8: the association assessment is the authority's too.
      .where('s.kind', 'in', ['association', 'authority', 'authority_second', 'exception'])
      .where('r.status', 'in', ['in_review', 'evidence_requested']);
    if (approve !== null) q = q.where('s.institution_id', 'in', approve);
    const rows = await q.orderBy('s.due_date').orderBy('r.created_at').limit(QUEUE_LIMIT).execute();
    const items = await this.requests.summariesOf(rows.map((r) => r.id));
    return { items, total: items.length, overdue: rows.filter((r) => r.due_date !== null && r.due_date < today).length };
  }

  /** GET /api/sharing/overdue: every overdue step, deletion duty and error report within sharing.read reach. */
  async overdue(actor: Actor): Promise<SharingOverdue> {
    assertCanAnywhere(actor, 'sharing.read');
    const ids = reach(actor, 'sharing.read');
    const today = beijingToday();
    let steps = this.db
      .selectFrom('share_request_steps as s')
      .innerJoin('share_requests as r', 'r.id', 's.request_id')
      .innerJoin('institutions as i', 'i.id', 's.institution_id')
      .innerJoin('data_resources as dr', 'dr.id', 'r.resource_id')
      .select(['r.id', 'r.number', 's.kind', 'dr.name as resource_name', 's.institution_id', 'i.name as institution_name', 's.due_date'])
      .where('s.status', '=', 'open')
      .where('s.due_date', '<', today);
    if (ids !== null) steps = steps.where((eb) => eb.or([eb('r.applicant_institution_id', 'in', ids), eb('r.provider_institution_id', 'in', ids)]));
    let duties = this.db
      .selectFrom('deletion_duties as d')
      .innerJoin('institutions as i', 'i.id', 'd.holder_institution_id')
      .innerJoin('data_resources as dr', 'dr.id', 'd.resource_id')
      .select(['d.id', 'd.number', 'd.case_code', 'dr.name as resource_name', 'd.holder_institution_id', 'i.name as institution_name', 'd.due_date'])
      .where('d.status', '=', 'open')
      .where('d.due_date', '<', today);
    if (ids !== null) duties = duties.where((eb) => eb.or([eb('d.holder_institution_id', 'in', ids), eb('d.provider_institution_id', 'in', ids)]));
    let reports = this.db
      .selectFrom('error_reports as e')
      .innerJoin('institutions as i', 'i.id', 'e.provider_institution_id')
      .innerJoin('data_resources as dr', 'dr.id', 'e.resource_id')
      .select(['e.id', 'e.number', 'dr.name as resource_name', 'e.provider_institution_id', 'i.name as institution_name', 'e.due_date'])
      .where('e.status', '=', 'open')
      .where('e.due_date', '<', today);
    if (ids !== null) reports = reports.where((eb) => eb.or([eb('e.provider_institution_id', 'in', ids), eb('e.reporter_institution_id', 'in', ids)]));
    const [s, d, e] = await Promise.all([steps.execute(), duties.execute(), reports.execute()]);
    const items: SharingOverdue['items'] = [
      ...s.map((r) => ({
        kind: 'request_step' as const,
        id: r.id,
        number: r.number,
        title: `${STEP_KIND_LABELS[r.kind].zh}：${r.resource_name}`,
        stepKind: r.kind,
        institution: { id: r.institution_id, name: r.institution_name },
        dueDate: r.due_date as string,
        daysOverdue: daysBetween(r.due_date as string, today),
      })),
      ...d.map((r) => ({
        kind: 'deletion_duty' as const,
        id: r.id,
        number: r.number,
        title: `${isDg12Case(r.case_code) ? DG12_CASE_LABELS[r.case_code].zh : r.case_code}：${r.resource_name}`,
        stepKind: null,
        institution: { id: r.holder_institution_id, name: r.institution_name },
        dueDate: r.due_date,
        daysOverdue: daysBetween(r.due_date, today),
      })),
      ...e.map((r) => ({
        kind: 'error_report' as const,
        id: r.id,
        number: r.number,
        title: `数据纠错：${r.resource_name}`,
        stepKind: null,
        institution: { id: r.provider_institution_id, name: r.institution_name },
        dueDate: r.due_date,
        daysOverdue: daysBetween(r.due_date, today),
      })),
    ].sort((a, b) => b.daysOverdue - a.daysOverdue || a.number.localeCompare(b.number));
    return { items, total: items.length };
  }

  /**
   * GET /api/sharing/map: active grants within reach aggregated per (provider, recipient). Rows delivered in
   * the last 30 days are summed from the gateway's per-day counters (grant_usage 'day' rows: what each day's
   * calls kept after giving back what they did not deliver), 30 rows per grant at most, where summing the
   * audit log's gateway events would read every call of the month.
   */
  async map(actor: Actor): Promise<SharingMap> {
    assertCanAnywhere(actor, 'sharing.read');
    const ids = reach(actor, 'sharing.read');
    let q = this.db
      .selectFrom('share_grants as g')
      .select(['g.id', 'g.provider_institution_id as source', 'g.recipient_institution_id as target', 'g.resource_id'])
      .where('g.status', '=', 'active');
    if (ids !== null) q = q.where((eb) => eb.or([eb('g.provider_institution_id', 'in', ids), eb('g.recipient_institution_id', 'in', ids)]));
    const grants = await q.execute();
    if (!grants.length) return { nodes: [], links: [] };
    const since = new Date(Date.now() - 30 * 86_400_000);
    const rows = await this.db
      .selectFrom('grant_usage')
      .select(['grant_id', sql<string>`sum(rows)`.as('rows')])
      .where('kind', '=', 'day')
      .where('window_start', '>=', since)
      .where(
        'grant_id',
        'in',
        grants.map((g) => g.id),
      )
      .groupBy('grant_id')
      .execute();
    const rowsByGrant = new Map(rows.map((r) => [r.grant_id, Number(r.rows)]));
    const links = new Map<string, { source: string; target: string; grants: number; resources: Set<string>; rowsLast30Days: number }>();
    for (const g of grants) {
      const key = `${g.source}>${g.target}`;
      const link = links.get(key) ?? { source: g.source, target: g.target, grants: 0, resources: new Set<string>(), rowsLast30Days: 0 };
      link.grants++;
      link.resources.add(g.resource_id);
      link.rowsLast30Days += rowsByGrant.get(g.id) ?? 0;
      links.set(key, link);
    }
    const instIds = [...new Set(grants.flatMap((g) => [g.source, g.target]))];
    const nodes = await this.db.selectFrom('institutions').select(['id', 'name', 'kind']).where('id', 'in', instIds).orderBy('name').execute();
    return {
      nodes,
      links: [...links.values()]
        .map((l) => ({ source: l.source, target: l.target, grants: l.grants, resources: l.resources.size, rowsLast30Days: l.rowsLast30Days }))
        .sort((a, b) => b.grants - a.grants || a.source.localeCompare(b.source) || a.target.localeCompare(b.target)),
    };
  }
}
