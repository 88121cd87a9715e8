// API schemas of the alerts (AUD-3, PRT-10, LIF-6): the queue, an alert with its triggering events, its
// handling, and the city-level rule settings with the dry run. The web app imports these types.
import { type Static, Type } from 'typebox';
import { IsoDateTime, Nullable, Page, Paged, PersonRef, StrEnum, Uuid } from '../../app/schema-helpers.ts';
import { RULE_IDS, SEVERITIES } from '../../engines/audit-rules/index.ts';
import { AuditEvent } from './audit.schemas.ts';

export const ALERT_STATUSES = ['open', 'acknowledged', 'closed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const ALERT_STATUS_LABELS: Record<AlertStatus, { zh: string; en: string }> = {
  open: { zh: '待处置', en: 'Open' },
  acknowledged: { zh: '处置中', en: 'Acknowledged' },
  closed: { zh: '已关闭', en: 'Closed' },
};

const RuleIdSchema = StrEnum(RULE_IDS);
const SeveritySchema = StrEnum(SEVERITIES);
const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });

const alertFields = {
  id: Uuid,
  rule: RuleIdSchema,
  severity: SeveritySchema,
  status: StrEnum(ALERT_STATUSES),
  institution: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  /** The institution's security officer who handles it; null when it has none. */
  owner: Nullable(PersonRef),
  subjectUserId: Nullable(Uuid),
  subjectUsername: Nullable(Type.String()),
  summary: Bilingual,
  details: Type.Record(Type.String(), Type.Unknown()),
  eventIds: Type.Array(Uuid),
  firstEventAt: IsoDateTime,
  lastEventAt: IsoDateTime,
  createdAt: IsoDateTime,
  /** The working-day deadline (high 1, medium 3, low 5 working days), end of that Beijing day. */
  dueAt: IsoDateTime,
  /** Not closed and past its deadline. */
  overdue: Type.Boolean(),
  acknowledgedBy: Nullable(PersonRef),
  acknowledgedAt: Nullable(IsoDateTime),
  closedBy: Nullable(PersonRef),
  closedAt: Nullable(IsoDateTime),
  resolution: Nullable(Type.String()),
};

export const AuditAlert = Type.Object(alertFields);
export type AuditAlert = Static<typeof AuditAlert>;

export const AuditAlertDetail = Type.Object({
  ...alertFields,
  /** The triggering events the caller may read, in chain order. */
  events: Type.Array(AuditEvent),
  /** Triggering events outside the caller's audit reach (not shown). */
  hiddenEvents: Type.Integer(),
});
export type AuditAlertDetail = Static<typeof AuditAlertDetail>;

export const AlertQuery = Type.Intersect([
  Page,
  Type.Object(
    {
      status: Type.Optional(StrEnum(ALERT_STATUSES)),
      severity: Type.Optional(SeveritySchema),
      rule: Type.Optional(RuleIdSchema),
      institutionId: Type.Optional(Uuid),
      /** 'me': alerts the caller owns. */
      owner: Type.Optional(StrEnum(['me'] as const)),
      /** true: open or acknowledged and past the deadline; false: not overdue. */
      overdue: Type.Optional(Type.Boolean()),
      /** Raised at or after. */
      from: Type.Optional(IsoDateTime),
      /** Raised before. */
      to: Type.Optional(IsoDateTime),
    },
    { additionalProperties: false },
  ),
]);
export type AlertQuery = Static<typeof AlertQuery>;
export const AlertPage = Paged(AuditAlert);

export const AlertParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const AlertClose = Type.Object(
  {
    /** How it was handled (false positive, account reset, reported as an incident…). */
    resolution: Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S' }),
  },
  { additionalProperties: false },
);
export type AlertClose = Static<typeof AlertClose>;

const ParamValue = Type.Union([Type.Number(), Type.Boolean(), Type.String(), Type.Array(Type.String())]);

export const AlertRule = Type.Object({
  rule: RuleIdSchema,
  label: Bilingual,
  description: Bilingual,
  enabled: Type.Boolean(),
  severity: SeveritySchema,
  /** Effective parameters (defaults where nothing was saved). */
  params: Type.Record(Type.String(), ParamValue),
  defaults: Type.Object({ enabled: Type.Boolean(), severity: SeveritySchema, params: Type.Record(Type.String(), ParamValue) }),
  /** false: the rule runs on its defaults (never saved). */
  customized: Type.Boolean(),
  /** Whether the caller may change it (alert.configure at city level). */
  editable: Type.Boolean(),
  updatedBy: Nullable(PersonRef),
  updatedAt: Nullable(IsoDateTime),
});
export type AlertRule = Static<typeof AlertRule>;

/** A rule id (RULE_IDS); an unknown one is 404. */
export const AlertRuleParams = Type.Object(
  { rule: Type.String({ pattern: '^[a-z0-9_]{1,40}$', maxLength: 40, description: RULE_IDS.join(', ') }) },
  { additionalProperties: false },
);

export const AlertRuleUpdate = Type.Object(
  {
    enabled: Type.Boolean(),
    severity: SeveritySchema,
    /** Parameters to set; those left out take their defaults. Checked per rule (RULE_PARAMS_INVALID). */
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type AlertRuleUpdate = Static<typeof AlertRuleUpdate>;

export const AlertRuleTest = Type.Object(
  {
    from: IsoDateTime,
    to: IsoDateTime,
    /** Parameters to try instead of the saved ones (checked like a save; nothing is stored). */
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    severity: Type.Optional(SeveritySchema),
  },
  { additionalProperties: false },
);
export type AlertRuleTest = Static<typeof AlertRuleTest>;

export const AlertRuleTestResult = Type.Object({
  rule: RuleIdSchema,
  from: IsoDateTime,
  to: IsoDateTime,
  params: Type.Record(Type.String(), ParamValue),
  severity: SeveritySchema,
  /** Chained events read in the window (with the look-back the rule's window needs). */
  eventsScanned: Type.Integer(),
  /** The alerts the rule would raise in the window, within the caller's audit reach. */
  alerts: Type.Array(
    Type.Object({
      dedupeKey: Type.String(),
      severity: SeveritySchema,
      institution: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
      subjectUsername: Nullable(Type.String()),
      summary: Bilingual,
      details: Type.Record(Type.String(), Type.Unknown()),
      eventIds: Type.Array(Uuid),
      firstEventAt: IsoDateTime,
      lastEventAt: IsoDateTime,
      /** An alert with the same key exists already (raised by the processor). */
      alreadyRaised: Type.Boolean(),
    }),
  ),
  /** More would be raised than listed (the list stops at 500). */
  truncated: Type.Boolean(),
  /** Alerts outside the caller's reach (not listed). */
  hidden: Type.Integer(),
});
export type AlertRuleTestResult = Static<typeof AlertRuleTestResult>;
