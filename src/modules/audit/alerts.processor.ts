// AUD-3, PRT-10, LIF-6: the alert processor. It reads the audit log in CHAIN order (audit_chain.position, the
// order the regulator verifies) from its cursor, in batches, and runs the enabled rules over each batch with
// the window of earlier events the rules need. One transaction per batch, under an advisory lock so that of
// several server processes one evaluates at a time: alerts are inserted idempotently (dedupe_key) and the
// cursor advances in the same transaction, so a crash repeats a batch at worst and never raises twice.
//
// The facts the rules judge against (current roles, resource grades, bulk-read baselines, login history,
// the working-day calendar) are read here, once per batch. These are read-only look-ups of the org and
// catalog records by the platform itself, not on behalf of a person, so they read the tables directly.

import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { PeriodicTask } from '../../app/periodic.ts';
import type { Db, Executor } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import {
  BASELINE_DAYS,
  effectiveSetting,
  evaluateRule,
  type RaisedAlert,
  RULE_IDS,
  RULES,
  type RuleFacts,
  type RuleSetting,
  type Severity,
  SLA_WORKDAYS,
  type StreamEvent,
} from '../../engines/audit-rules/index.ts';
import { beijingDate, type WorkdayCalendar, WorkdaysYearMissingError } from '../../engines/workdays/index.ts';
import type { WorkdaysService } from '../workdays/workdays.service.ts';
import { AUDIT_ACTION_LABELS } from './audit.actions.ts';

/** The advisory lock of the alert processor (an arbitrary constant: 'SHUAALRT' as bytes). */
export const ALERTS_LOCK = 0x5348_5541_414c_5254n;
export const ALERTS_CURSOR = 'alerts';
const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AlertToRaise extends RaisedAlert {
  severity: Severity;
}

export interface ProcessorRun {
  /** Another process held the lock: nothing was done. */
  skipped: boolean;
  batches: number;
  events: number;
  /** Alerts inserted (already-raised ones are not counted). */
  raised: number;
  /** The cursor after the run. */
  position: number;
}

/** A condition on e.action matching the patterns (exact codes, 'prefix.*'). */
export function actionMatch(patterns: readonly string[]): RawBuilder<SqlBool> {
  const exact = patterns.filter((p) => !p.endsWith('.*'));
  const prefixes = patterns.filter((p) => p.endsWith('.*')).map((p) => `${p.slice(0, -1).replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
  const parts = [...(exact.length ? [sql`e.action IN (${sql.join(exact)})`] : []), ...prefixes.map((p) => sql`e.action LIKE ${p}`)];
  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` OR `)})` : sql<SqlBool>`false`;
}

/** Union of the rules' action lists; null when a rule reads every action. */
function actionsOf(settings: readonly RuleSetting[]): string[] | null {
  const all = new Set<string>();
  for (const s of settings) {
    const a = RULES[s.rule].actions(s.params);
    if (a === null) return null;
    for (const x of a) all.add(x);
  }
  return [...all];
}

const EVENT_COLUMNS = [
  'c.position',
  'e.id',
  'e.occurred_at',
  'e.actor_user_id',
  'e.actor_username',
  'e.acting_institution_id',
  'e.action',
  'e.target_type',
  'e.target_id',
  'e.target_institution_id',
  'e.outcome',
  'e.ip',
  'e.details',
] as const;

interface EventRow {
  position: number;
  id: string;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_username: string | null;
  acting_institution_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  target_institution_id: string | null;
  outcome: string;
  ip: string | null;
  details: unknown;
}

function toEvent(r: EventRow): StreamEvent {
  return {
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
    details: (r.details && typeof r.details === 'object' ? r.details : {}) as Record<string, unknown>,
  };
}

/** The chained events joined to their positions (the base of every stream query). */
export function chained(db: Executor) {
  return db.selectFrom('audit_chain as c').innerJoin('audit_events as e', 'e.id', 'c.event_id').select(EVENT_COLUMNS);
}

/** 'YYYY-MM-DD' → the end of that Beijing day (a deadline day counts whole, 民法典 art. 203). */
export function endOfBeijingDay(date: string): Date {
  return new Date(`${date}T23:59:59.999+08:00`);
}

/**
 * The handling deadline: `days` working days after the Beijing date of `created` (workdays calendar), at the
 * end of that day. A year the calendar has no schedule for (not yet announced) is counted Monday–Friday and
 * flagged, rather than leaving an alert without a deadline.
 */
export function dueDate(cal: WorkdayCalendar, created: Date, days: number): { dueAt: Date; approximate: boolean } {
  const start = beijingDate(created);
  try {
    return { dueAt: endOfBeijingDay(cal.addWorkdays(start, days)), approximate: false };
  } catch (err) {
    if (!(err instanceof WorkdaysYearMissingError)) throw err;
    let t = new Date(`${start}T00:00:00Z`).getTime();
    let left = days;
    while (left > 0) {
      t += DAY_MS;
      const wd = new Date(t).getUTCDay();
      if (wd !== 0 && wd !== 6) left--;
    }
    return { dueAt: endOfBeijingDay(new Date(t).toISOString().slice(0, 10)), approximate: true };
  }
}

export class AlertsProcessor {
  private readonly loop: PeriodicTask;
  private readonly batchSize: number;
  private readonly maxBatches: number;

  constructor(
    private readonly db: Db,
    private readonly workdays: WorkdaysService,
    opts: { batchSize?: number; maxBatches?: number; onError?: (err: unknown) => void } = {},
  ) {
    this.batchSize = opts.batchSize ?? 1000;
    this.maxBatches = opts.maxBatches ?? 100;
    const onError = opts.onError ?? ((err) => console.error(`数安：告警处理失败 / alert processing failed: ${(err as Error).message}`));
    this.loop = new PeriodicTask(() => this.runOnce(), onError);
  }

  /** Every rule's effective setting (defaults where the authority saved none). */
  async settings(db: Executor = this.db): Promise<RuleSetting[]> {
    const rows = await db.selectFrom('audit_alert_rules').select(['rule', 'enabled', 'severity', 'params']).execute();
    const byRule = new Map(rows.map((r) => [r.rule, r]));
    return RULE_IDS.map((id) => effectiveSetting(id, byRule.get(id)));
  }

  /** Processes every chained event after the cursor (up to maxBatches batches) and reports what it did. */
  async runOnce(): Promise<ProcessorRun> {
    const total: ProcessorRun = { skipped: false, batches: 0, events: 0, raised: 0, position: 0 };
    const cal = await this.workdays.calendar();
    for (let i = 0; i < this.maxBatches; i++) {
      const r = await this.batch(cal);
      if (r.skipped) return { ...total, skipped: total.batches === 0, position: r.position };
      total.position = r.position;
      if (r.events === 0) break;
      total.batches++;
      total.events += r.events;
      total.raised += r.raised;
      if (r.events < this.batchSize) break;
    }
    return total;
  }

  /** Runs the processor every `intervalMs` (the server); errors are reported, never thrown. */
  start(intervalMs = 5000): void {
    this.loop.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async batch(cal: WorkdayCalendar): Promise<{ skipped: boolean; events: number; raised: number; position: number }> {
    return this.db.transaction().execute(async (trx) => {
      const lock = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${ALERTS_LOCK}) AS ok`.execute(trx);
      if (!lock.rows[0]?.ok) {
        const at = await trx.selectFrom('audit_stream_cursors').select('position').where('name', '=', ALERTS_CURSOR).executeTakeFirst();
        return { skipped: true, events: 0, raised: 0, position: Number(at?.position ?? 0) };
      }
      await trx
        .insertInto('audit_stream_cursors')
        .values({ name: ALERTS_CURSOR, position: 0 })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const cursor = Number(
        (await trx.selectFrom('audit_stream_cursors').select('position').where('name', '=', ALERTS_CURSOR).executeTakeFirstOrThrow()).position,
      );
      const rows = (await chained(trx).where('c.position', '>', cursor).orderBy('c.position').limit(this.batchSize).execute()) as EventRow[];
      if (!rows.length) return { skipped: false, events: 0, raised: 0, position: cursor };
      const batch = rows.map(toEvent);
      const last = (batch[batch.length - 1] as StreamEvent).position;
      const settings = (await this.settings(trx)).filter((s) => s.enabled);
      let raised = 0;
      if (settings.length) {
        const context = await this.context(trx, settings, batch, (q) => q.where('c.position', '<=', cursor));
        const alerts = await this.evaluate(trx, settings, [...context, ...batch], (e) => e.position > cursor, cal);
        raised = await this.insert(trx, alerts, cal);
      }
      await trx.updateTable('audit_stream_cursors').set({ position: last, updated_at: sql`now()` }).where('name', '=', ALERTS_CURSOR).execute();
      return { skipped: false, events: batch.length, raised, position: last };
    });
  }

  /**
   * The earlier chained events the windowed rules need before `judged` (by occurred_at, the longest window
   * of the enabled rules), restricted to the actions those rules read. `before` limits them to what comes
   * before the judged events in the chain.
   */
  async context(
    db: Executor,
    settings: readonly RuleSetting[],
    judged: readonly StreamEvent[],
    before: (q: ReturnType<typeof chained>) => ReturnType<typeof chained>,
  ): Promise<StreamEvent[]> {
    const windowed = settings.filter((s) => RULES[s.rule].lookbackMs(s.params) > 0);
    if (!windowed.length || !judged.length) return [];
    const lookback = Math.max(...windowed.map((s) => RULES[s.rule].lookbackMs(s.params)));
    const earliest = Math.min(...judged.map((e) => e.occurredAt.getTime()));
    const actions = actionsOf(windowed);
    let q = before(chained(db)).where('e.occurred_at', '>', new Date(earliest - lookback));
    if (actions) q = q.where(actionMatch(actions));
    const rows = (await q.orderBy('c.position').limit(200_000).execute()) as EventRow[];
    return rows.map(toEvent);
  }

  /** Runs the rules over the events (chain order) with the facts they need; severity from each setting. */
  async evaluate(
    db: Executor,
    settings: readonly RuleSetting[],
    events: readonly StreamEvent[],
    judged: (e: StreamEvent) => boolean,
    cal: WorkdayCalendar,
  ): Promise<AlertToRaise[]> {
    const facts = await this.facts(db, settings, events, judged, cal);
    const out: AlertToRaise[] = [];
    for (const s of settings) {
      for (const a of evaluateRule(s, { events, judged, facts, actionLabel: (x) => AUDIT_ACTION_LABELS[x] })) out.push({ ...a, severity: s.severity });
    }
    return out.sort((a, b) => a.position - b.position);
  }

  /** Inserts the alerts (already-raised ones are skipped by dedupe_key); returns how many were new. */
  private async insert(db: Executor, alerts: readonly AlertToRaise[], cal: WorkdayCalendar): Promise<number> {
    if (!alerts.length) return 0;
    // Events name institutions without a foreign key: one that does not exist (any more) leaves the alert
    // the platform's, rather than failing the batch and stopping the processor on it.
    const named = [...new Set(alerts.map((a) => a.institutionId).filter((x): x is string => !!x && UUID.test(x)))];
    const known = new Set(named.length ? (await db.selectFrom('institutions').select('id').where('id', 'in', named).execute()).map((r) => r.id) : []);
    const owners = await this.owners(db, [...known]);
    const now = new Date();
    let raised = 0;
    for (const raw of alerts) {
      const a = { ...raw, institutionId: raw.institutionId && known.has(raw.institutionId) ? raw.institutionId : null };
      const due = dueDate(cal, now, SLA_WORKDAYS[a.severity]);
      const row = await db
        .insertInto('audit_alerts')
        .values({
          id: uuidv7(),
          rule: a.rule,
          dedupe_key: a.dedupeKey,
          severity: a.severity,
          status: 'open',
          institution_id: a.institutionId,
          owner_user_id: a.institutionId ? (owners.get(a.institutionId) ?? null) : null,
          subject_user_id: a.subjectUserId && UUID.test(a.subjectUserId) ? a.subjectUserId : null,
          subject_username: a.subjectUsername,
          summary_zh: a.summary.zh,
          summary_en: a.summary.en,
          details: JSON.stringify({ ...a.details, position: a.position, ...(due.approximate ? { dueApproximate: true } : {}) }),
          event_ids: a.eventIds,
          first_event_at: a.firstEventAt,
          last_event_at: a.lastEventAt,
          created_at: now,
          due_at: due.dueAt,
        })
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (row) raised++;
    }
    return raised;
  }

  /** The owner of an institution's alerts: its first-appointed active security officer. */
  private async owners(db: Executor, institutionIds: string[]): Promise<Map<string, string>> {
    const ids = [...new Set(institutionIds)];
    if (!ids.length) return new Map();
    const rows = await db
      .selectFrom('role_assignments as r')
      .innerJoin('users as u', 'u.id', 'r.user_id')
      .select(['r.institution_id', 'u.id'])
      .where('r.role', '=', 'security_officer')
      .where('r.institution_id', 'in', ids)
      .where('u.status', '=', 'active')
      .orderBy('r.created_at')
      .orderBy('u.id')
      .execute();
    const out = new Map<string, string>();
    for (const r of rows) if (!out.has(r.institution_id)) out.set(r.institution_id, r.id);
    return out;
  }

  /** Looks up what the enabled rules need for the judged events. */
  private async facts(
    db: Executor,
    settings: readonly RuleSetting[],
    events: readonly StreamEvent[],
    judged: (e: StreamEvent) => boolean,
    cal: WorkdayCalendar,
  ): Promise<RuleFacts> {
    const rules = new Map(settings.map((s) => [s.rule, s]));
    const judgedEvents = events.filter(judged);
    const users = new Set<string>();
    for (const e of judgedEvents) if (e.actorUserId && UUID.test(e.actorUserId)) users.add(e.actorUserId);

    const roles = new Map<string, string[]>();
    if (users.size && (rules.has('vendor_graded_data') || rules.has('new_source_ip'))) {
      const rows = await db
        .selectFrom('role_assignments')
        .select(['user_id', 'role'])
        .where('user_id', 'in', [...users])
        .execute();
      for (const r of rows) roles.set(r.user_id, [...(roles.get(r.user_id) ?? []), r.role]);
    }

    const levels = new Map<string, string | null>();
    if (rules.has('vendor_graded_data')) {
      const ids = new Set<string>();
      for (const e of judgedEvents) {
        if (!e.actorUserId || !(roles.get(e.actorUserId) ?? []).includes('vendor_operator')) continue;
        const r = e.targetType === 'data_resource' ? e.targetId : typeof e.details.resourceId === 'string' ? e.details.resourceId : null;
        if (r && UUID.test(r)) ids.add(r);
      }
      if (ids.size) {
        const rows = await db
          .selectFrom('data_resources')
          .select(['id', 'level'])
          .where('id', 'in', [...ids])
          .execute();
        for (const r of rows) levels.set(r.id, r.level);
      }
    }

    const baselines = new Map<string, number>();
    const bulk = rules.get('bulk_read');
    if (bulk && judgedEvents.length) {
      const windowMinutes = bulk.params.windowMinutes as number;
      const actions = bulk.params.actions as string[];
      const reads = judgedEvents.filter((e) => typeof e.details.rows === 'number');
      const readers = [...new Set(reads.map((e) => e.actorUserId).filter((x): x is string => !!x && UUID.test(x)))];
      const grants = [...new Set(reads.map((e) => e.details.grantId).filter((x): x is string => typeof x === 'string' && x.length > 0 && x.length <= 200))];
      const ref = new Date(Math.min(...judgedEvents.map((e) => e.occurredAt.getTime())));
      const from = new Date(ref.getTime() - BASELINE_DAYS * DAY_MS);
      const windows = (BASELINE_DAYS * 24 * 60) / windowMinutes;
      const rowsExpr = sql<number>`sum((e.details->>'rows')::numeric)`;
      const base = () =>
        db
          .selectFrom('audit_events as e')
          .where('e.occurred_at', '>=', from)
          .where('e.occurred_at', '<', ref)
          .where('e.outcome', '=', 'success')
          .where(sql<SqlBool>`jsonb_typeof(e.details->'rows') = 'number'`)
          .where(actionMatch(actions));
      if (readers.length) {
        const rows = await base()
          .select(['e.actor_user_id as subject', rowsExpr.as('rows')])
          .where('e.actor_user_id', 'in', readers)
          .groupBy('e.actor_user_id')
          .execute();
        for (const r of rows) baselines.set(`user:${r.subject}`, Number(r.rows) / windows);
      }
      if (grants.length) {
        const grantExpr = sql<string>`e.details->>'grantId'`;
        const rows = await base()
          .select([grantExpr.as('subject'), rowsExpr.as('rows')])
          .where(grantExpr, 'in', grants)
          .groupBy(grantExpr)
          .execute();
        for (const r of rows) baselines.set(`grant:${r.subject}`, Number(r.rows) / windows);
      }
    }

    const history = new Map<string, { eventId: string; ip: string | null; at: Date }[]>();
    const nsi = rules.get('new_source_ip');
    if (nsi) {
      const logins = judgedEvents.filter((e) => e.action === 'auth.login' && e.outcome === 'success' && e.actorUserId && UUID.test(e.actorUserId));
      const loginUsers = [...new Set(logins.map((e) => e.actorUserId as string))];
      if (loginUsers.length) {
        const first = Math.min(...logins.map((e) => e.occurredAt.getTime()));
        const last = Math.max(...logins.map((e) => e.occurredAt.getTime()));
        const judgedIds = new Set(judgedEvents.map((e) => e.id));
        const rows = await db
          .selectFrom('audit_events')
          .select(['id', 'actor_user_id', 'ip', 'occurred_at'])
          .where('action', '=', 'auth.login')
          .where('outcome', '=', 'success')
          .where('actor_user_id', 'in', loginUsers)
          .where('occurred_at', '>=', new Date(first - (nsi.params.lookbackDays as number) * DAY_MS))
          .where('occurred_at', '<=', new Date(last))
          .orderBy('occurred_at')
          .execute();
        for (const r of rows) {
          if (judgedIds.has(r.id) || !r.actor_user_id) continue;
          history.set(r.actor_user_id, [...(history.get(r.actor_user_id) ?? []), { eventId: r.id, ip: r.ip, at: r.occurred_at }]);
        }
      }
    }

    return {
      isWorkday: (date) => {
        try {
          return cal.isWorkday(date);
        } catch (err) {
          if (err instanceof WorkdaysYearMissingError) return null;
          throw err;
        }
      },
      rolesOf: (userId) => roles.get(userId) ?? [],
      resourceLevel: (id) => levels.get(id) ?? null,
      baseline: (subject) => baselines.get(subject) ?? 0,
      loginHistory: (userId) => history.get(userId) ?? [],
    };
  }
}
