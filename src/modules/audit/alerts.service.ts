// Alerts (AUD-3, PRT-10, LIF-6): the queue, handling and the rule settings.
//
// - Reading: 'audit.read', scoped like the audit log: an alert belongs to the institution its triggering
//   event concerns; alerts that concern no institution (an address trying unknown names) belong to the
//   platform, seen by those whose audit reach includes the city root. Out of reach = 404.
// - Handling (acknowledge, close): 'alert.handle' at the alert's institution — the security officer. Auditors
//   read and review only (三员分立). open → acknowledged → closed (open → closed too); any other move is 409,
//   and of two people closing at once one wins (a conditional update). Both are audited.
// - Rule settings: one set for the whole platform, changed only with 'alert.configure' at city level (a
//   security officer whose reach includes the city root), like the authority's recognizers. The dry run
//   changes nothing and shows only what the caller's audit reach covers.
import { type ExpressionBuilder, type Selectable, sql } from 'kysely';
import { badRequest, conflict, forbidden, notFound, ruleViolation } from '../../app/errors.ts';
import type { Db, Executor } from '../../db/database.ts';
import type { AuditAlertsTable, AuditEventsTable, Database } from '../../db/schema.ts';
import {
  defaultSetting,
  effectiveSetting,
  isRuleId,
  RULES,
  type RuleId,
  type RuleSetting,
  type StreamEvent,
  validateRuleParams,
} from '../../engines/audit-rules/index.ts';
import { assertCanAnywhere, can, canAnywhere, reachFilter } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import type { WorkdaysService } from '../workdays/workdays.service.ts';
import { type AlertsProcessor, actionMatch, chained } from './alerts.processor.ts';
import type {
  AlertClose,
  AlertQuery,
  AlertRule,
  AlertRuleTest,
  AlertRuleTestResult,
  AlertRuleUpdate,
  AlertStatus,
  AuditAlert,
  AuditAlertDetail,
} from './alerts.schemas.ts';
import { recordAudit } from './audit.recorder.ts';
import type { AuditEvent } from './audit.schemas.ts';

const ALERT = { zh: '告警', en: 'Alert' };
const RULE = { zh: '告警规则', en: 'Alert rule' };

/** A rule id from the path: one of the built-in kinds, else 404. */
function ruleId(rule: string): RuleId {
  if (!isRuleId(rule)) throw notFound(RULE);
  return rule;
}
const NIL = '00000000-0000-0000-0000-000000000000';
/** The dry run reads at most this window, and lists at most this many alerts. */
export const DRY_RUN_MAX_DAYS = 31;
export const DRY_RUN_MAX_ALERTS = 500;
const DRY_RUN_MAX_EVENTS = 200_000;

interface Scope {
  /** Institutions in the actor's audit reach; null: platform-wide. */
  ids: string[] | null;
  /** Alerts and events that concern no institution are visible too. */
  platform: boolean;
}

type AlertRow = Selectable<AuditAlertsTable> & {
  institution_name: string | null;
  owner_name: string | null;
  ack_name: string | null;
  closed_name: string | null;
};

function person(id: string | null, name: string | null) {
  return id ? { id, displayName: name ?? '' } : null;
}

function toAlert(r: AlertRow, now = new Date()): AuditAlert {
  return {
    id: r.id,
    rule: r.rule as AuditAlert['rule'],
    severity: r.severity as AuditAlert['severity'],
    status: r.status as AlertStatus,
    institution: r.institution_id ? { id: r.institution_id, name: r.institution_name ?? '' } : null,
    owner: person(r.owner_user_id, r.owner_name),
    subjectUserId: r.subject_user_id,
    subjectUsername: r.subject_username,
    summary: { zh: r.summary_zh, en: r.summary_en },
    details: (r.details ?? {}) as Record<string, unknown>,
    eventIds: r.event_ids,
    firstEventAt: r.first_event_at.toISOString(),
    lastEventAt: r.last_event_at.toISOString(),
    createdAt: r.created_at.toISOString(),
    dueAt: r.due_at.toISOString(),
    overdue: r.status !== 'closed' && r.due_at.getTime() < now.getTime(),
    acknowledgedBy: person(r.acknowledged_by, r.ack_name),
    acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
    closedBy: person(r.closed_by, r.closed_name),
    closedAt: r.closed_at?.toISOString() ?? null,
    resolution: r.resolution,
  };
}

function toEvent(r: Selectable<AuditEventsTable>): AuditEvent {
  return {
    seq: Number(r.seq),
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

export class AlertsService {
  constructor(
    private readonly db: Db,
    private readonly processor: AlertsProcessor,
    private readonly workdays: WorkdaysService,
  ) {}

  private async roots(db: Executor = this.db): Promise<string[]> {
    return (await db.selectFrom('institutions').select('id').where('parent_id', 'is', null).execute()).map((r) => r.id);
  }

  private async scope(actor: Actor): Promise<Scope> {
    const ids = reachFilter(actor, 'audit.read');
    if (ids === null) return { ids: null, platform: true };
    const roots = await this.roots();
    return { ids, platform: roots.some((r) => ids.includes(r)) };
  }

  private inScope(scope: Scope, institutionId: string | null): boolean {
    if (scope.ids === null) return true;
    return institutionId ? scope.ids.includes(institutionId) : scope.platform;
  }

  private alerts() {
    return this.db
      .selectFrom('audit_alerts as a')
      .leftJoin('institutions as i', 'i.id', 'a.institution_id')
      .leftJoin('users as o', 'o.id', 'a.owner_user_id')
      .leftJoin('users as k', 'k.id', 'a.acknowledged_by')
      .leftJoin('users as x', 'x.id', 'a.closed_by');
  }

  private scoped(scope: Scope) {
    let q = this.alerts();
    if (scope.ids !== null) {
      const ids = scope.ids.length ? scope.ids : [NIL];
      q = q.where((eb) => eb.or([eb('a.institution_id', 'in', ids), ...(scope.platform ? [eb('a.institution_id', 'is', null)] : [])]));
    }
    return q;
  }

  private static readonly COLUMNS = [
    'a.id',
    'a.rule',
    'a.dedupe_key',
    'a.severity',
    'a.status',
    'a.institution_id',
    'a.owner_user_id',
    'a.subject_user_id',
    'a.subject_username',
    'a.summary_zh',
    'a.summary_en',
    'a.details',
    'a.event_ids',
    'a.first_event_at',
    'a.last_event_at',
    'a.created_at',
    'a.due_at',
    'a.acknowledged_by',
    'a.acknowledged_at',
    'a.closed_by',
    'a.closed_at',
    'a.resolution',
    'i.name as institution_name',
    'o.display_name as owner_name',
    'k.display_name as ack_name',
    'x.display_name as closed_name',
  ] as const;

  /** GET /api/audit/alerts: the queue within the caller's audit reach, newest first. */
  async list(actor: Actor, query: AlertQuery): Promise<{ items: AuditAlert[]; total: number; page: number; pageSize: number }> {
    assertCanAnywhere(actor, 'audit.read');
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    let q = this.scoped(await this.scope(actor));
    if (query.status) q = q.where('a.status', '=', query.status);
    if (query.severity) q = q.where('a.severity', '=', query.severity);
    if (query.rule) q = q.where('a.rule', '=', query.rule);
    if (query.institutionId) q = q.where('a.institution_id', '=', query.institutionId);
    if (query.owner === 'me') q = q.where('a.owner_user_id', '=', actor.userId);
    if (query.overdue !== undefined) {
      const overdue = sql<boolean>`(a.status <> 'closed' AND a.due_at < now())`;
      q = q.where(query.overdue ? overdue : sql<boolean>`NOT ${overdue}`);
    }
    if (query.from) q = q.where('a.created_at', '>=', new Date(query.from));
    if (query.to) q = q.where('a.created_at', '<', new Date(query.to));
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await q
      .select(AlertsService.COLUMNS)
      .orderBy('a.created_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    const now = new Date();
    return { items: rows.map((r) => toAlert(r as AlertRow, now)), total: Number(total), page, pageSize };
  }

  private async visible(actor: Actor, id: string): Promise<{ row: AlertRow; scope: Scope }> {
    assertCanAnywhere(actor, 'audit.read');
    const scope = await this.scope(actor);
    const row = await this.scoped(scope).select(AlertsService.COLUMNS).where('a.id', '=', id).executeTakeFirst();
    if (!row) throw notFound(ALERT);
    return { row: row as AlertRow, scope };
  }

  /** GET /api/audit/alerts/:id: the alert and the triggering events the caller may read, in chain order. */
  async get(actor: Actor, id: string): Promise<AuditAlertDetail> {
    const { row, scope } = await this.visible(actor, id);
    const ids = row.event_ids;
    let events: AuditEvent[] = [];
    if (ids.length) {
      let q = this.db.selectFrom('audit_events as e').leftJoin('audit_chain as c', 'c.event_id', 'e.id').selectAll('e').where('e.id', 'in', ids);
      if (scope.ids !== null) {
        const inst = scope.ids.length ? scope.ids : [NIL];
        q = q.where((eb: ExpressionBuilder<Database & { e: AuditEventsTable }, 'e'>) =>
          eb.or([
            eb('e.target_institution_id', 'in', inst),
            eb('e.acting_institution_id', 'in', inst),
            ...(scope.platform ? [eb.and([eb('e.target_institution_id', 'is', null), eb('e.acting_institution_id', 'is', null)])] : []),
          ]),
        );
      }
      const rows = await q.orderBy('c.position').orderBy('e.seq').execute();
      events = rows.map((r) => toEvent(r as Selectable<AuditEventsTable>));
    }
    return { ...toAlert(row), events, hiddenEvents: ids.length - events.length };
  }

  /** May the actor handle alerts of this institution (null: the platform's, a city-level officer)? */
  private async canHandle(actor: Actor, institutionId: string | null): Promise<boolean> {
    if (institutionId) return can(actor, 'alert.handle', institutionId);
    if (actor.permissions.get('alert.handle') === 'all') return true;
    return (await this.roots()).some((r) => can(actor, 'alert.handle', r));
  }

  private async transition(
    actor: Actor,
    id: string,
    to: 'acknowledged' | 'closed',
    from: readonly AlertStatus[],
    resolution: string | null,
  ): Promise<AuditAlert> {
    const { row } = await this.visible(actor, id);
    if (!(await this.canHandle(actor, row.institution_id))) {
      throw forbidden('只有本单位的安全管理员可以处置告警', "Only the institution's security officer may handle alerts");
    }
    const now = new Date();
    await this.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('audit_alerts')
        .set(
          to === 'acknowledged'
            ? { status: 'acknowledged', acknowledged_by: actor.userId, acknowledged_at: now }
            : { status: 'closed', closed_by: actor.userId, closed_at: now, resolution },
        )
        .where('id', '=', id)
        .where('status', 'in', [...from])
        .returning('id')
        .executeTakeFirst();
      if (!updated) {
        const current = await trx.selectFrom('audit_alerts').select('status').where('id', '=', id).executeTakeFirstOrThrow();
        const zh = current.status === 'closed' ? '告警已关闭' : current.status === 'acknowledged' ? '告警已被确认' : '告警状态已变化';
        throw conflict('ALERT_STATUS_CONFLICT', `${zh}，无法${to === 'closed' ? '关闭' : '确认'}`, `The alert is ${current.status}; it cannot be ${to} now`, {
          status: current.status,
        });
      }
      await recordAudit(trx, actor, {
        action: to === 'acknowledged' ? 'audit.alert.acknowledge' : 'audit.alert.close',
        target: { type: 'audit_alert', id, institutionId: row.institution_id },
        details: { rule: row.rule, severity: row.severity, from: row.status, ...(resolution !== null ? { resolution } : {}) },
      });
    });
    const after = await this.alerts().select(AlertsService.COLUMNS).where('a.id', '=', id).executeTakeFirstOrThrow();
    return toAlert(after as AlertRow);
  }

  /** POST /api/audit/alerts/:id/acknowledge: open → acknowledged. */
  acknowledge(actor: Actor, id: string): Promise<AuditAlert> {
    return this.transition(actor, id, 'acknowledged', ['open'], null);
  }

  /** POST /api/audit/alerts/:id/close: open or acknowledged → closed, with how it was resolved. */
  close(actor: Actor, id: string, body: AlertClose): Promise<AuditAlert> {
    return this.transition(actor, id, 'closed', ['open', 'acknowledged'], body.resolution.trim());
  }

  // ── rule settings ─────────────────────────────────────────────────────────────────────────────────

  /** alert.configure with a reach that includes the city root (or the whole platform). */
  private async canConfigure(actor: Actor): Promise<boolean> {
    if (!canAnywhere(actor, 'alert.configure')) return false;
    const reach = reachFilter(actor, 'alert.configure');
    return reach === null || (await this.roots()).some((r) => reach.includes(r));
  }

  private async ruleViews(editable: boolean, db: Executor = this.db): Promise<AlertRule[]> {
    const rows = await db
      .selectFrom('audit_alert_rules as r')
      .leftJoin('users as u', 'u.id', 'r.updated_by')
      .select(['r.rule', 'r.enabled', 'r.severity', 'r.params', 'r.updated_by', 'r.updated_at', 'u.display_name'])
      .execute();
    const byRule = new Map(rows.map((r) => [r.rule, r]));
    return Object.values(RULES).map((def) => {
      const stored = byRule.get(def.id);
      const s = effectiveSetting(def.id, stored);
      const d = defaultSetting(def.id);
      return {
        rule: def.id,
        label: def.label,
        description: def.description,
        enabled: s.enabled,
        severity: s.severity,
        params: s.params,
        defaults: { enabled: d.enabled, severity: d.severity, params: d.params },
        customized: !!stored,
        editable,
        updatedBy: stored?.updated_by ? { id: stored.updated_by, displayName: stored.display_name ?? '' } : null,
        updatedAt: stored ? stored.updated_at.toISOString() : null,
      };
    });
  }

  /** GET /api/audit/alert-rules: those who read the audit log or configure the rules. */
  async rules(actor: Actor): Promise<AlertRule[]> {
    if (!canAnywhere(actor, 'audit.read') && !canAnywhere(actor, 'alert.configure')) throw forbidden();
    return this.ruleViews(await this.canConfigure(actor));
  }

  private checkParams(rule: RuleId, params: unknown): RuleSetting['params'] {
    const checked = validateRuleParams(rule, params ?? {});
    if (!checked.ok) {
      const first = checked.errors[0] as (typeof checked.errors)[number];
      throw badRequest('RULE_PARAMS_INVALID', `规则参数有误：${first.field} ${first.messageZh}`, `Invalid rule parameters: ${first.field} ${first.message}`, {
        field: first.field,
        errors: checked.errors.map((e) => ({ field: e.field, code: e.code, message: e.messageZh, messageEn: e.message })),
      });
    }
    return checked.params;
  }

  /** PUT /api/audit/alert-rules/:rule (alert.configure, city level): enable, severity, parameters. */
  async updateRule(actor: Actor, ruleParam: string, body: AlertRuleUpdate): Promise<AlertRule> {
    assertCanAnywhere(actor, 'alert.configure');
    const rule = ruleId(ruleParam);
    if (!(await this.canConfigure(actor))) {
      throw forbidden(
        '告警规则全平台通用，只能由市级安全管理员设置',
        'The alert rules serve the whole platform; only a city-level security officer may change them',
        'CITY_LEVEL_REQUIRED',
      );
    }
    const full = this.checkParams(rule, body.params);
    // Only what was given is stored: parameters left out keep following the defaults.
    const given = Object.fromEntries(Object.keys(body.params ?? {}).map((k) => [k, full[k]]));
    await this.db.transaction().execute(async (trx) => {
      const previous = await trx
        .selectFrom('audit_alert_rules')
        .select(['enabled', 'severity', 'params'])
        .where('rule', '=', rule)
        .forUpdate()
        .executeTakeFirst();
      const before = effectiveSetting(rule, previous);
      const values = { enabled: body.enabled, severity: body.severity, params: JSON.stringify(given), updated_by: actor.userId, updated_at: new Date() };
      await trx
        .insertInto('audit_alert_rules')
        .values({ rule, ...values })
        .onConflict((oc) => oc.column('rule').doUpdateSet(values))
        .execute();
      await recordAudit(trx, actor, {
        action: 'audit.alert_rule.update',
        target: { type: 'audit_alert_rule', id: rule },
        details: {
          rule,
          enabled: body.enabled,
          severity: body.severity,
          params: given,
          previous: { enabled: before.enabled, severity: before.severity, params: before.params },
        },
      });
    });
    return (await this.ruleViews(true)).find((r) => r.rule === rule) as AlertRule;
  }

  /**
   * POST /api/audit/alert-rules/:rule/test: the alerts the rule WOULD raise over the chained events of a
   * window (with the saved or the given parameters). Reads only: nothing is stored or audited.
   */
  async testRule(actor: Actor, ruleParam: string, body: AlertRuleTest): Promise<AlertRuleTestResult> {
    assertCanAnywhere(actor, 'audit.read');
    const rule = ruleId(ruleParam);
    const from = new Date(body.from);
    const to = new Date(body.to);
    if (!(from < to)) throw badRequest('RANGE_INVALID', '开始时间应早于结束时间', 'from must be before to', { field: 'to' });
    if (to.getTime() - from.getTime() > DRY_RUN_MAX_DAYS * 86_400_000) {
      throw badRequest('RANGE_TOO_LONG', `试运行的时间范围最长 ${DRY_RUN_MAX_DAYS} 天`, `The dry run covers at most ${DRY_RUN_MAX_DAYS} days`, { field: 'to' });
    }
    const saved = (await this.processor.settings()).find((s) => s.rule === rule) as RuleSetting;
    const setting: RuleSetting = {
      rule,
      enabled: true,
      severity: body.severity ?? saved.severity,
      params: body.params !== undefined ? this.checkParams(rule, body.params) : saved.params,
    };
    const def = RULES[rule];
    const lookback = def.lookbackMs(setting.params);
    const actions = def.actions(setting.params);
    let q = chained(this.db)
      .where('e.occurred_at', '>=', new Date(from.getTime() - lookback))
      .where('e.occurred_at', '<', to);
    if (actions) q = q.where(actionMatch(actions));
    const rows = await q
      .orderBy('c.position')
      .limit(DRY_RUN_MAX_EVENTS + 1)
      .execute();
    if (rows.length > DRY_RUN_MAX_EVENTS) {
      throw ruleViolation('DRY_RUN_TOO_LARGE', '时间范围内的事件过多，请缩短试运行的时间范围', 'Too many events in the window; try a shorter one', {
        limit: DRY_RUN_MAX_EVENTS,
      });
    }
    const events: StreamEvent[] = rows.map((r) => ({
      position: Number(r.position),
      id: r.id,
      occurredAt: r.occurred_at,
      actorUserId: r.actor_user_id,
      actorUsername: r.actor_username,
      actingInstitutionId: r.acting_institution_id,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      targetInstitutionId: r.target_institution_id,
      outcome: r.outcome,
      ip: r.ip,
      details: (r.details ?? {}) as Record<string, unknown>,
    }));
    const cal = await this.workdays.calendar();
    const judged = (e: StreamEvent) => e.occurredAt >= from && e.occurredAt < to;
    const raised = await this.processor.evaluate(this.db, [setting], events, judged, cal);
    const scope = await this.scope(actor);
    const visible = raised.filter((a) => this.inScope(scope, a.institutionId));
    const listed = visible.slice(0, DRY_RUN_MAX_ALERTS);
    const keys = listed.map((a) => a.dedupeKey);
    const existing = new Set(
      keys.length ? (await this.db.selectFrom('audit_alerts').select('dedupe_key').where('dedupe_key', 'in', keys).execute()).map((r) => r.dedupe_key) : [],
    );
    const instIds = [...new Set(listed.map((a) => a.institutionId).filter((x): x is string => !!x))];
    const names = new Map(
      instIds.length ? (await this.db.selectFrom('institutions').select(['id', 'name']).where('id', 'in', instIds).execute()).map((r) => [r.id, r.name]) : [],
    );
    return {
      rule,
      from: from.toISOString(),
      to: to.toISOString(),
      params: setting.params,
      severity: setting.severity,
      eventsScanned: events.length,
      alerts: listed.map((a) => ({
        dedupeKey: a.dedupeKey,
        severity: a.severity,
        institution: a.institutionId ? { id: a.institutionId, name: names.get(a.institutionId) ?? '' } : null,
        subjectUsername: a.subjectUsername,
        summary: a.summary,
        details: a.details,
        eventIds: a.eventIds,
        firstEventAt: a.firstEventAt.toISOString(),
        lastEventAt: a.lastEventAt.toISOString(),
        alreadyRaised: existing.has(a.dedupeKey),
      })),
      truncated: visible.length > listed.length,
      hidden: raised.length - visible.length,
    };
  }
}
