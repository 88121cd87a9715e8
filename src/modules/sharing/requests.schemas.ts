// API schemas of share requests and their approval chain (LIF-4; docs/sharing-contract.md "Requests and
// approvals"). The web app imports these types.
import { type Static, Type } from 'typebox';
import { IsoDate, IsoDateTime, Nullable, Page, Paged, PersonRef, StrEnum, Uuid } from '../../app/schema-helpers.ts';
import { STEP_KINDS } from '../../engines/sharing/chain.ts';

export const REQUEST_STATUSES = ['in_review', 'evidence_requested', 'approved', 'granted', 'rejected', 'withdrawn'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const REQUEST_STATUS_LABELS: Record<RequestStatus, { zh: string; en: string }> = {
  in_review: { zh: '审核中', en: 'In review' },
  evidence_requested: { zh: '待补充材料', en: 'Evidence requested' },
  approved: { zh: '待签署协议', en: 'Approved, awaiting signatures' },
  granted: { zh: '已授权', en: 'Granted' },
  rejected: { zh: '已驳回', en: 'Rejected' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
};

export const STEP_STATUSES = ['waiting', 'open', 'approved', 'rejected', 'cancelled'] as const;
export const SHARE_ATTRIBUTES = ['unconditional', 'conditional', 'not_shared'] as const;
export const SHARE_METHODS = ['interface', 'file'] as const;

const InstitutionRef = Type.Object({ id: Uuid, name: Type.String() });
const Scalar = Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Boolean()]);

export const RowFilterCondition = Type.Object(
  {
    field: Type.String({ minLength: 1, maxLength: 128 }),
    op: StrEnum(['eq', 'in'] as const),
    value: Type.Optional(Scalar),
    values: Type.Optional(Type.Array(Scalar, { minItems: 1, maxItems: 500 })),
  },
  { additionalProperties: false },
);

export const CurrentStep = Type.Object({
  kind: StrEnum(STEP_KINDS),
  institution: InstitutionRef,
  dueDate: Nullable(IsoDate),
  overdue: Type.Boolean(),
});

const summaryFields = {
  id: Uuid,
  number: Type.String(),
  resource: InstitutionRef,
  provider: InstitutionRef,
  applicant: InstitutionRef,
  applicantUser: PersonRef,
  purpose: Type.String(),
  purposeCode: Type.String(),
  method: StrEnum(SHARE_METHODS),
  termStart: IsoDate,
  termEnd: IsoDate,
  status: StrEnum(REQUEST_STATUSES),
  currentStep: Nullable(CurrentStep),
  createdAt: IsoDateTime,
};

export const ShareRequestSummary = Type.Object(summaryFields);
export type ShareRequestSummary = Static<typeof ShareRequestSummary>;

export const ShareRequestStep = Type.Object({
  seq: Type.Integer(),
  kind: StrEnum(STEP_KINDS),
  institution: InstitutionRef,
  status: StrEnum(STEP_STATUSES),
  openedAt: Nullable(IsoDateTime),
  dueDate: Nullable(IsoDate),
  overdue: Type.Boolean(),
  decidedBy: Nullable(PersonRef),
  decidedAt: Nullable(IsoDateTime),
  reason: Nullable(Type.String()),
});

export const ShareEvidence = Type.Object({
  id: Uuid,
  question: Type.String(),
  askedBy: PersonRef,
  askedAt: IsoDateTime,
  answer: Nullable(Type.String()),
  answeredBy: Nullable(PersonRef),
  answeredAt: Nullable(IsoDateTime),
  fileName: Nullable(Type.String()),
  fileSm3: Nullable(Type.String()),
});

export const ShareRequest = Type.Object({
  ...summaryFields,
  fields: Type.Array(Type.String()),
  rowFilter: Nullable(Type.Array(RowFilterCondition)),
  legalBasis: Type.String(),
  scenario: Type.String(),
  securityMeasures: Type.String(),
  ratePerMinute: Type.Integer(),
  rowsPerDay: Type.Integer(),
  shareAttribute: StrEnum(SHARE_ATTRIBUTES),
  level: Nullable(Type.String()),
  exception: Nullable(Type.Object({ legalBasis: Type.String(), recordedBy: Type.String(), recordedAt: Type.String() })),
  steps: Type.Array(ShareRequestStep),
  evidence: Type.Array(ShareEvidence),
  agreementId: Nullable(Uuid),
  grantId: Nullable(Uuid),
  can: Type.Object({
    decide: Type.Boolean(),
    withdraw: Type.Boolean(),
    answerEvidence: Type.Boolean(),
    askEvidence: Type.Boolean(),
    sign: Type.Boolean(),
  }),
});
export type ShareRequest = Static<typeof ShareRequest>;

const text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });

export const ShareRequestCreate = Type.Object(
  {
    resourceId: Uuid,
    fields: Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { minItems: 1, maxItems: 500 }),
    rowFilter: Type.Optional(Type.Array(RowFilterCondition, { maxItems: 20 })),
    purpose: text(2000),
    // Checked in the service (422 PURPOSE_CODE_INVALID with a clear message), not by the schema's 400.
    purposeCode: Type.String({ maxLength: 200 }),
    legalBasis: text(2000),
    scenario: text(2000),
    method: StrEnum(SHARE_METHODS),
    termStart: IsoDate,
    termEnd: IsoDate,
    securityMeasures: text(4000),
    liabilityAccepted: Type.Boolean(),
    ratePerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
    rowsPerDay: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000000 })),
    applicantInstitutionId: Type.Optional(Uuid),
    /** Not-shared data: ask the data authority for an exception (its step comes first); without it 422 NOT_SHAREABLE. */
    requestException: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ShareRequestCreate = Static<typeof ShareRequestCreate>;

export const ShareRequestQuery = Type.Intersect([
  Page,
  Type.Object(
    {
      q: Type.Optional(Type.String({ maxLength: 200 })),
      status: Type.Optional(StrEnum(REQUEST_STATUSES)),
      /** applicant: made by the caller's institutions; provider / approver: waiting on the caller's institution. */
      role: Type.Optional(StrEnum(['applicant', 'provider', 'approver'] as const)),
      resourceId: Type.Optional(Uuid),
      institutionId: Type.Optional(Uuid),
      overdue: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
]);
export type ShareRequestQuery = Static<typeof ShareRequestQuery>;
export const ShareRequestPage = Paged(ShareRequestSummary);

export const ShareRequestParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const EvidenceParams = Type.Object({ id: Uuid, evidenceId: Uuid }, { additionalProperties: false });

export const ShareDecision = Type.Object(
  {
    decision: StrEnum(['approve', 'reject'] as const),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
    /** The exception step (not-shared data): the legal basis of the exception, required to approve. */
    legalBasis: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type ShareDecision = Static<typeof ShareDecision>;

export const EvidenceAsk = Type.Object({ question: text(2000) }, { additionalProperties: false });
export const EvidenceAnswer = Type.Object({ answer: text(4000) }, { additionalProperties: false });
export const EvidenceFileQuery = Type.Object(
  { fileName: Type.String({ minLength: 1, maxLength: 200 }), answer: Type.Optional(Type.String({ maxLength: 4000 })) },
  { additionalProperties: false },
);
export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;
