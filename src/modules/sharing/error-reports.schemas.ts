// API schemas of error reports (LIF-9, DG-11; docs/sharing-contract.md "Error reports").
import { type Static, Type } from 'typebox';
import { IsoDate, IsoDateTime, Nullable, Page, Paged, PersonRef, StrEnum, Uuid } from '../../app/schema-helpers.ts';

export const REPORT_STATUSES = ['open', 'corrected', 'rejected'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export const REPORT_SOURCES = ['user', 'public'] as const;
export const REPORT_OUTCOMES = ['corrected', 'rejected'] as const;

export const REPORT_STATUS_LABELS: Record<ReportStatus, { zh: string; en: string }> = {
  open: { zh: '待核实', en: 'Open' },
  corrected: { zh: '已更正', en: 'Corrected' },
  rejected: { zh: '不予更正', en: 'Rejected' },
};

/** DG-11: the provider verifies within 15 working days of receipt. */
export const ERROR_REPORT_WORKDAYS = 15;

const Ref = Type.Object({ id: Uuid, name: Type.String() });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });

export const ErrorReport = Type.Object({
  id: Uuid,
  number: Type.String(),
  resource: Ref,
  provider: Ref,
  source: StrEnum(REPORT_SOURCES),
  reporter: Nullable(PersonRef),
  reporterInstitution: Nullable(Ref),
  releaseId: Nullable(Uuid),
  field: Nullable(Type.String()),
  description: Type.String(),
  proposedValue: Nullable(Type.String()),
  /** The record the report is about and the public reporter's contact: stored sealed, shown only to the provider. */
  recordKey: Nullable(Type.String()),
  contact: Nullable(Type.String()),
  /** Whether a record key / contact was given (true even where the value is not shown to the caller). */
  hasRecordKey: Type.Boolean(),
  hasContact: Type.Boolean(),
  receivedAt: IsoDateTime,
  /** 15 working days after receipt (DG-11). */
  dueDate: IsoDate,
  status: StrEnum(REPORT_STATUSES),
  /** Open and past its due date (Beijing). */
  overdue: Type.Boolean(),
  resolution: Nullable(Type.String()),
  resolvedBy: Nullable(PersonRef),
  resolvedAt: Nullable(IsoDateTime),
  can: Type.Object({ resolve: Type.Boolean() }),
});
export type ErrorReport = Static<typeof ErrorReport>;

export const ReportQuery = Type.Intersect([
  Page,
  Type.Object(
    {
      /** reporter: reports the caller's reach made; provider: reports about data the reach provides. */
      role: Type.Optional(StrEnum(['reporter', 'provider'] as const)),
      status: Type.Optional(StrEnum(REPORT_STATUSES)),
      source: Type.Optional(StrEnum(REPORT_SOURCES)),
      overdue: Type.Optional(Type.Boolean()),
      resourceId: Type.Optional(Uuid),
    },
    { additionalProperties: false },
  ),
]);
export type ReportQuery = Static<typeof ReportQuery>;
export const ReportPage = Paged(ErrorReport);

export const ReportParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const ReportCreate = Type.Object(
  {
    resourceId: Uuid,
    /** Identifies the wrong record (e.g. its key); sealed at rest. */
    recordKey: Type.Optional(Text(500)),
    /** The data item (field name) that is wrong. */
    field: Type.Optional(Text(200)),
    description: Text(4000),
    proposedValue: Type.Optional(Text(2000)),
  },
  { additionalProperties: false },
);
export type ReportCreate = Static<typeof ReportCreate>;

export const PublicReportCreate = Type.Object(
  {
    /** The published open-data release the error is in. */
    releaseId: Uuid,
    recordKey: Type.Optional(Text(500)),
    field: Type.Optional(Text(200)),
    description: Text(4000),
    /** How to reach the reporter (phone or e-mail); sealed at rest, shown only to the provider. */
    contact: Type.Optional(Text(200)),
  },
  { additionalProperties: false },
);
export type PublicReportCreate = Static<typeof PublicReportCreate>;

export const PublicReportReceipt = Type.Object({
  /** Keep it: the only way to follow the report (GET /api/public/error-reports/:trackingCode). */
  trackingCode: Type.String(),
  receivedAt: IsoDateTime,
  dueDate: IsoDate,
});

/** Codes are upper-case base32 in three groups; any value of that shape is looked up (an unknown one is 404). */
export const TrackingParams = Type.Object({ trackingCode: Type.String({ pattern: '^[A-Z0-9-]{4,40}$', maxLength: 40 }) }, { additionalProperties: false });

export const PublicReportStatus = Type.Object({
  trackingCode: Type.String(),
  resourceName: Type.String(),
  receivedAt: IsoDateTime,
  dueDate: IsoDate,
  status: StrEnum(REPORT_STATUSES),
  statusLabel: Type.Object({ zh: Type.String(), en: Type.String() }),
  resolution: Nullable(Type.String()),
  resolvedAt: Nullable(IsoDateTime),
});

export const ReportResolve = Type.Object(
  {
    outcome: StrEnum(REPORT_OUTCOMES),
    /** What was corrected, or why not: required either way (DG-11 verification is on the record). */
    resolution: Type.String({ maxLength: 4000 }),
  },
  { additionalProperties: false },
);
export type ReportResolve = Static<typeof ReportResolve>;
