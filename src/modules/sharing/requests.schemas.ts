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

// LIF-8 (HZ-23, GZ-15): joint / association analysis. The check stored at submission and the authority's
// assessment recorded with the association step's decision.
export const ASSESSMENT_CONCLUSIONS = ['acceptable', 'acceptable_with_measures', 'not_acceptable'] as const;
export const ASSESSMENT_CONCLUSION_LABELS: Record<(typeof ASSESSMENT_CONCLUSIONS)[number], { zh: string; en: string }> = {
  acceptable: { zh: '风险可接受', en: 'Acceptable' },
  acceptable_with_measures: { zh: '采取措施后可接受', en: 'Acceptable with measures' },
  not_acceptable: { zh: '风险不可接受', en: 'Not acceptable' },
};
export const ASSESSOR_KINDS = ['authority', 'self', 'third_party'] as const;
export const ASSESSOR_KIND_LABELS: Record<(typeof ASSESSOR_KINDS)[number], { zh: string; en: string }> = {
  authority: { zh: '数据主管部门评估', en: 'Assessed by the authority' },
  self: { zh: '数据使用单位自行检查', en: "Applicant's self-check" },
  third_party: { zh: '委托第三方安全服务机构', en: 'Qualified third party' },
};
export const ASSOCIATION_REPORT_MAX_BYTES = 10 * 1024 * 1024;

export const AssociationReason = Type.Object({
  code: StrEnum(['LINK_KEY', 'QUASI_IDENTIFIERS', 'DECLARED'] as const),
  resourceId: Nullable(Uuid),
  resourceName: Nullable(Type.String()),
  via: Nullable(StrEnum(['grant', 'request'] as const)),
  /** The grant's or the request's id. */
  refId: Nullable(Uuid),
  /** PI types in common (catalog PI_TYPES). */
  keys: Type.Array(Type.String()),
  sensitive: Type.Boolean(),
});

export const AssociationSnapshot = Type.Object({
  flagged: Type.Boolean(),
  reasons: Type.Array(AssociationReason),
  declaration: Nullable(Type.Object({ intended: Type.Boolean(), description: Nullable(Type.String()), selfAssessment: Nullable(Type.String()) })),
  checkedAt: IsoDateTime,
});

export const AssociationAssessment = Type.Object({
  id: Uuid,
  stepSeq: Type.Integer(),
  institution: InstitutionRef,
  conclusion: StrEnum(ASSESSMENT_CONCLUSIONS),
  risks: Type.String(),
  measures: Nullable(Type.String()),
  assessorKind: StrEnum(ASSESSOR_KINDS),
  assessorOrg: Nullable(Type.String()),
  reportFileName: Nullable(Type.String()),
  reportFileSm3: Nullable(Type.String()),
  recordedBy: PersonRef,
  recordedAt: IsoDateTime,
});
export type AssociationAssessment = Static<typeof AssociationAssessment>;

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
  /** LIF-8: the association check fixed at submission (null on requests made before it existed). */
  association: Nullable(AssociationSnapshot),
  associationAssessment: Nullable(AssociationAssessment),
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
    /** LIF-8 (HZ-23): the applicant's own declaration that it will link the data with other data, and its self-check. */
    association: Type.Optional(
      Type.Object(
        {
          intended: Type.Boolean(),
          description: Type.Optional(Type.String({ maxLength: 2000 })),
          selfAssessment: Type.Optional(Type.String({ maxLength: 4000 })),
        },
        { additionalProperties: false },
      ),
    ),
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
    /** The association step (LIF-8): the assessment, required; checked in the service (422 ASSESSMENT_REQUIRED …). */
    assessment: Type.Optional(
      Type.Object(
        {
          conclusion: StrEnum(ASSESSMENT_CONCLUSIONS),
          risks: Type.String({ maxLength: 4000 }),
          measures: Type.Optional(Type.String({ maxLength: 4000 })),
          assessorKind: StrEnum(ASSESSOR_KINDS),
          assessorOrg: Type.Optional(Type.String({ maxLength: 200 })),
          /** Optional assessment report, the file's bytes in base64 (≤ 10 MB decoded). */
          reportFile: Type.Optional(
            Type.Object(
              {
                name: Type.String({ minLength: 1, maxLength: 200 }),
                contentBase64: Type.String({ maxLength: Math.ceil(ASSOCIATION_REPORT_MAX_BYTES / 3) * 4 }),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
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
