// API schemas of the periodic audit reports (AUD-4, AUD-5) and the life-cycle trace (AUD-6). The web app
// imports these types.
import { type Static, Type } from 'typebox';
import { IsoDateTime, Nullable, Page, PersonRef, StrEnum, Uuid } from '../../app/schema-helpers.ts';

export const OUTCOMES = ['success', 'failure', 'denied'] as const;
export const PRIVILEGE_KINDS = ['role', 'permission', 'account', 'settings', 'key'] as const;
export const VENDOR_CONCLUSIONS = ['satisfactory', 'issues_found'] as const;
export const TRACE_STAGE_CODES = [
  'register',
  'discover',
  'grade',
  'load',
  'key',
  'mask',
  'access',
  'deliver',
  'trace',
  'share',
  'delete',
  'audit',
  'other',
] as const;
export const VERSION_HELD = ['held', 'not_held', 'possibly'] as const;
export const RECORD_STATES = ['present', 'absent', 'no_dataset', 'no_key_field', 'invalid_value', 'keys_destroyed'] as const;

// ── periodic reports ───────────────────────────────────────────────────────────────────────────────────

/** Which institution (its whole subtree; the city root: city-wide) and which period [from, to). */
export const ReportQuery = Type.Object(
  {
    institutionId: Uuid,
    from: IsoDateTime,
    /** Exclusive. A period is at most a year (367 days). */
    to: IsoDateTime,
  },
  { additionalProperties: false },
);
export type ReportQuery = Static<typeof ReportQuery>;

export const Counts = Type.Object({ total: Type.Integer(), success: Type.Integer(), failure: Type.Integer(), denied: Type.Integer() });
export type Counts = Static<typeof Counts>;
const ActionCounts = Type.Object({ action: Type.String(), counts: Counts });

/** One event as a report lists it (privileged operations, vendor activity). */
const reportEventProps = {
  id: Uuid,
  seq: Type.Integer(),
  occurredAt: IsoDateTime,
  actorUserId: Nullable(Uuid),
  actorUsername: Nullable(Type.String()),
  action: Type.String(),
  targetType: Nullable(Type.String()),
  targetId: Nullable(Type.String()),
  targetInstitutionId: Nullable(Uuid),
  outcome: StrEnum(OUTCOMES),
  ip: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
};
export const ReportEvent = Type.Object(reportEventProps);
export type ReportEvent = Static<typeof ReportEvent>;

const AlertCounts = {
  raised: Type.Integer(),
  closed: Type.Integer(),
  pending: Type.Integer(),
  overdue: Type.Integer(),
  meanHandlingHours: Nullable(Type.Number()),
  meanResponseHours: Nullable(Type.Number()),
};

export const AuditReport = Type.Object({
  institution: Type.Object({ id: Uuid, name: Type.String() }),
  /** The institutions covered: the chosen one and everything under it. */
  scope: Type.Object({ institutions: Type.Integer(), cityWide: Type.Boolean() }),
  period: Type.Object({
    from: IsoDateTime,
    to: IsoDateTime,
    /** Beijing calendar days, both inclusive. */
    firstDay: Type.String(),
    lastDay: Type.String(),
  }),
  generatedAt: IsoDateTime,
  generatedBy: PersonRef,
  /** Activity by type: per action group (first segment of the code) and per action, by outcome. */
  activity: Type.Object({
    totals: Counts,
    actors: Type.Integer(),
    groups: Type.Array(Type.Object({ group: Type.String(), counts: Counts, actions: Type.Array(ActionCounts) })),
  }),
  /** Role, permission, account, configuration and key changes, newest first. */
  privileged: Type.Object({
    total: Type.Integer(),
    byKind: Type.Array(Type.Object({ kind: StrEnum(PRIVILEGE_KINDS), count: Type.Integer() })),
    /** At most `listLimit` events are listed; `total` is always exact. */
    listLimit: Type.Integer(),
    events: Type.Array(Type.Object({ ...reportEventProps, kind: StrEnum(PRIVILEGE_KINDS) })),
  }),
  /** AUD-5: every event by people holding (or having held) the vendor_operator role within the scope. */
  vendor: Type.Object({
    totals: Counts,
    users: Type.Array(
      Type.Object({
        userId: Uuid,
        username: Type.String(),
        displayName: Type.String(),
        institutions: Type.Array(Type.String()),
        counts: Counts,
        actions: Type.Array(ActionCounts),
      }),
    ),
    listLimit: Type.Integer(),
    events: Type.Array(ReportEvent),
  }),
  /** Alerts raised in the period (table audit_alerts) and their handling, as of the generation time. */
  alerts: Type.Object({
    ...AlertCounts,
    bySeverity: Type.Array(Type.Object({ severity: Type.String(), ...AlertCounts })),
    byRule: Type.Array(Type.Object({ rule: Type.String(), ...AlertCounts })),
    listLimit: Type.Integer(),
    items: Type.Array(
      Type.Object({
        id: Uuid,
        rule: Type.String(),
        severity: Type.String(),
        status: Type.String(),
        summary: Type.String(),
        createdAt: IsoDateTime,
        dueAt: IsoDateTime,
        closedAt: Nullable(IsoDateTime),
        overdue: Type.Boolean(),
      }),
    ),
  }),
  /**
   * The chain verification result (AUD-2). `method`: 'verified' when the chain over the period was checked
   * while generating; 'checkpoint' when only the latest signed checkpoint and the chaining state are reported.
   */
  integrity: Type.Object({
    method: StrEnum(['verified', 'checkpoint'] as const),
    ok: Nullable(Type.Boolean()),
    checkedEvents: Nullable(Type.Integer()),
    checkpoints: Nullable(Type.Integer()),
    firstBroken: Nullable(Type.Object({ position: Nullable(Type.Integer()), problem: Type.String() })),
    head: Nullable(Type.Object({ position: Type.Integer(), hash: Type.String() })),
    latestCheckpoint: Nullable(Type.Object({ position: Type.Integer(), headHash: Type.String(), signedAt: IsoDateTime, keyVersion: Type.Integer() })),
    /** Events of the report in the period; how many of them are in the chain, and how many wait to be chained. */
    eventsInPeriod: Type.Integer(),
    chainedInPeriod: Type.Integer(),
    pendingInPeriod: Type.Integer(),
  }),
});
export type AuditReport = Static<typeof AuditReport>;

// ── archived reports and vendor reviews ────────────────────────────────────────────────────────────────

export const ReportCreate = ReportQuery;
export type ReportCreate = ReportQuery;

export const VendorReview = Type.Object({
  id: Uuid,
  conclusion: StrEnum(VENDOR_CONCLUSIONS),
  findings: Nullable(Type.String()),
  reviewedBy: PersonRef,
  reviewedAt: IsoDateTime,
});
export type VendorReview = Static<typeof VendorReview>;

export const VendorReviewCreate = Type.Object(
  {
    /** satisfactory: nothing amiss; issues_found: findings required. */
    conclusion: StrEnum(VENDOR_CONCLUSIONS),
    findings: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);
export type VendorReviewCreate = Static<typeof VendorReviewCreate>;

const storedReportProps = {
  id: Uuid,
  institutionId: Uuid,
  institutionName: Type.String(),
  periodFrom: IsoDateTime,
  periodTo: IsoDateTime,
  generatedAt: IsoDateTime,
  generatedBy: Nullable(PersonRef),
  fileName: Type.String(),
  /** SM3 of the archived XLSX (hex): GET /api/audit/reports/{id}/xlsx returns exactly that file. */
  xlsxSm3: Type.String(),
  totals: Counts,
  vendorReview: Nullable(VendorReview),
};
export const StoredReportSummary = Type.Object(storedReportProps);
export type StoredReportSummary = Static<typeof StoredReportSummary>;

export const StoredReport = Type.Object({ ...storedReportProps, report: AuditReport });
export type StoredReport = Static<typeof StoredReport>;

export const StoredReportQuery = Type.Intersect([Page, Type.Object({ institutionId: Type.Optional(Uuid) }, { additionalProperties: false })]);
export type StoredReportQuery = Static<typeof StoredReportQuery>;
export const StoredReportPage = Type.Object({
  items: Type.Array(StoredReportSummary),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

export const ReportIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

// ── the life-cycle trace (AUD-6) ───────────────────────────────────────────────────────────────────────

export const TraceQuery = Type.Object(
  {
    resourceId: Uuid,
    /** A value of the dataset's key field: the trace of that one record. */
    recordKey: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type TraceQuery = Static<typeof TraceQuery>;

export const TraceEvent = Type.Object({
  id: Uuid,
  seq: Type.Integer(),
  occurredAt: IsoDateTime,
  stage: StrEnum(TRACE_STAGE_CODES),
  action: Type.String(),
  actorUserId: Nullable(Uuid),
  actorUsername: Nullable(Type.String()),
  outcome: StrEnum(OUTCOMES),
  targetType: Nullable(Type.String()),
  targetId: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
  /** Record trace: whether the load or delivery held the record ('held') or may have ('possibly'). */
  record: Nullable(StrEnum(['held', 'possibly'] as const)),
});
export type TraceEvent = Static<typeof TraceEvent>;

export const Trace = Type.Object({
  resource: Type.Object({ id: Uuid, name: Type.String(), institutionId: Uuid, institutionName: Type.String() }),
  /** The stages met, in the order they first appear, with their span. */
  stages: Type.Array(Type.Object({ stage: StrEnum(TRACE_STAGE_CODES), count: Type.Integer(), firstAt: IsoDateTime, lastAt: IsoDateTime })),
  /** Oldest first. At most `limit`; `total` counts them all. */
  events: Type.Array(TraceEvent),
  total: Type.Integer(),
  limit: Type.Integer(),
  record: Nullable(
    Type.Object({
      keyField: Nullable(Type.String()),
      state: StrEnum(RECORD_STATES),
      currentVersion: Type.Integer(),
      /** The version that last wrote the record's row (present records). */
      lastWrittenVersion: Nullable(Type.Integer()),
      versions: Type.Array(
        Type.Object({ version: Type.Integer(), mode: Nullable(Type.String()), loadedAt: Nullable(IsoDateTime), held: StrEnum(VERSION_HELD) }),
      ),
      deliveries: Type.Array(
        Type.Object({
          deliveryId: Uuid,
          recipient: Type.String(),
          datasetVersion: Type.Integer(),
          rows: Nullable(Type.Integer()),
          createdAt: IsoDateTime,
          included: StrEnum(['held', 'possibly'] as const),
        }),
      ),
    }),
  ),
});
export type Trace = Static<typeof Trace>;
