// Shapes shared by the anomaly rules (AUD-3, PRT-10, LIF-6). Pure: the service reads the chained log and
// the facts a rule needs (roles, grades, baselines, login history, the working-day calendar) and hands them
// in; a rule is a function of its parameters, a window of events and those facts.

export const SEVERITIES = ['high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const RULE_IDS = ['bulk_read', 'off_hours', 'login_failures', 'privilege_change', 'vendor_graded_data', 'new_source_ip', 'grant_rate'] as const;
export type RuleId = (typeof RULE_IDS)[number];

export function isRuleId(value: unknown): value is RuleId {
  return typeof value === 'string' && (RULE_IDS as readonly string[]).includes(value);
}

/** One audit event as the rules see it (audit_events joined to its chain position). */
export interface StreamEvent {
  /** audit_chain.position: the chain order. */
  position: number;
  id: string;
  occurredAt: Date;
  actorUserId: string | null;
  actorUsername: string | null;
  actingInstitutionId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetInstitutionId: string | null;
  outcome: string;
  ip: string | null;
  details: Record<string, unknown>;
}

/** What the service looked up for the events being judged. Every function is synchronous and total. */
export interface RuleFacts {
  /** Is this Beijing calendar date ('YYYY-MM-DD') a Chinese working day? null: the calendar has no schedule for its year. */
  isWorkday(date: string): boolean | null;
  /** The roles the user holds now (role codes). */
  rolesOf(userId: string): readonly string[];
  /** The approved level of a data resource (data_resources.level), null when ungraded or unknown. */
  resourceLevel(resourceId: string): string | null;
  /**
   * bulk_read: the subject's mean rows per window over the 30 days before the judged events; 0 when none.
   * Subjects are 'user:<id>' and 'grant:<id>'.
   */
  baseline(subject: string): number;
  /** new_source_ip: the user's successful logins before the judged events, within the look-back. */
  loginHistory(userId: string): readonly { eventId: string; ip: string | null; at: Date }[];
}

export interface EvalInput {
  /** Events in chain order (ascending position): the look-back context first, then the events being judged. */
  events: readonly StreamEvent[];
  /** Only events for which this holds may raise an alert; the others are context (a window's earlier part). */
  judged(e: StreamEvent): boolean;
  facts: RuleFacts;
  /** The human name of an action code, for summaries (audit.actions.ts); the code itself when absent. */
  actionLabel?: (action: string) => Bilingual | undefined;
}

export interface Bilingual {
  zh: string;
  en: string;
}

/** An alert a rule raises; the service adds severity, owner and the working-day deadline. */
export interface RaisedAlert {
  rule: RuleId;
  /** One alert per rule, subject and triggering event (or day): re-running never raises it twice. */
  dedupeKey: string;
  subjectUserId: string | null;
  subjectUsername: string | null;
  /** The triggering event's target institution, else its acting institution. */
  institutionId: string | null;
  /** The events behind the alert, in chain order (the trigger last for windowed rules). */
  eventIds: string[];
  firstEventAt: Date;
  lastEventAt: Date;
  /** Chain position of the event that raised it. */
  position: number;
  summary: Bilingual;
  details: Record<string, unknown>;
}
