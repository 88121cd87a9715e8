// Data sharing API types (issue 7: LIF-3..10, PRT-8, PRT-9; docs/sharing-contract.md), from the server's
// TypeBox schemas. Nothing is hand-copied.
import type { Static } from 'typebox';
import type {
  AGREEMENT_STATUSES,
  AgreementSign as AgreementSignSchema,
  AgreementVerification as AgreementVerificationSchema,
  PARTIES,
  ShareAgreement as ShareAgreementSchema,
} from '../../src/modules/sharing/agreements.schemas.ts';
import type {
  DeletionDutyDetail as DeletionDutyDetailSchema,
  DeletionDuty as DeletionDutySchema,
  DUTY_OUTCOMES,
  DUTY_STATUSES,
  DutyConfirm as DutyConfirmSchema,
  DutyOpen as DutyOpenSchema,
  DutyQuery as DutyQuerySchema,
} from '../../src/modules/sharing/duties.schemas.ts';
import type {
  ErrorReport as ErrorReportSchema,
  REPORT_OUTCOMES,
  REPORT_STATUSES,
  ReportCreate as ReportCreateSchema,
  ReportQuery as ReportQuerySchema,
  ReportResolve as ReportResolveSchema,
} from '../../src/modules/sharing/error-reports.schemas.ts';
import type {
  GRANT_STATUSES,
  GrantCall as GrantCallSchema,
  GrantCredentialCreated as GrantCredentialCreatedSchema,
  GrantCredential as GrantCredentialSchema,
  GrantRevokeResult as GrantRevokeResultSchema,
  GrantRevoke as GrantRevokeSchema,
  ShareGrantQuery as ShareGrantQuerySchema,
  ShareGrant as ShareGrantSchema,
} from '../../src/modules/sharing/grants.schemas.ts';
import type {
  REQUEST_STATUSES,
  SHARE_METHODS,
  ShareDecision as ShareDecisionSchema,
  ShareRequestCreate as ShareRequestCreateSchema,
  ShareRequestQuery as ShareRequestQuerySchema,
  ShareRequest as ShareRequestSchema,
  ShareRequestSummary as ShareRequestSummarySchema,
  STEP_STATUSES,
} from '../../src/modules/sharing/requests.schemas.ts';

export type { StepKind } from '../../src/engines/sharing/chain.ts';
export type { Dg12Case } from '../../src/engines/sharing/dg12.ts';

// Requests and approvals (LIF-4)
export type ShareRequest = Static<typeof ShareRequestSchema>;
export type ShareRequestSummary = Static<typeof ShareRequestSummarySchema>;
export type ShareRequestCreate = Static<typeof ShareRequestCreateSchema>;
export type RequestListQuery = Omit<Static<typeof ShareRequestQuerySchema>, 'page' | 'pageSize'>;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export type StepStatus = (typeof STEP_STATUSES)[number];
export type ShareMethod = (typeof SHARE_METHODS)[number];
export type RequestStep = ShareRequest['steps'][number];
// LIF-8: the association check stored at submission and the authority's assessment at its step.
export type AssociationSnapshot = NonNullable<ShareRequest['association']>;
export type AssociationReason = AssociationSnapshot['reasons'][number];
export type AssociationAssessment = NonNullable<ShareRequest['associationAssessment']>;
export type ShareDecision = Static<typeof ShareDecisionSchema>;
export type AssessmentInput = NonNullable<ShareDecision['assessment']>;

// Agreements and signatures (LIF-4)
export type Agreement = Static<typeof ShareAgreementSchema>;
export type AgreementSign = Static<typeof AgreementSignSchema>;
export type AgreementVerification = Static<typeof AgreementVerificationSchema>;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];
export type Party = (typeof PARTIES)[number];

// Deletion duties (LIF-10, DG-12)
export type DeletionDuty = Static<typeof DeletionDutySchema>;
export type DeletionDutyDetail = Static<typeof DeletionDutyDetailSchema>;
export type DutyQuery = Omit<Static<typeof DutyQuerySchema>, 'page' | 'pageSize'>;
export type DutyOpen = Static<typeof DutyOpenSchema>;
export type DutyConfirm = Static<typeof DutyConfirmSchema>;
export type DutyStatus = (typeof DUTY_STATUSES)[number];
export type DutyOutcome = (typeof DUTY_OUTCOMES)[number];

// Grants, credentials and gateway calls (LIF-3, LIF-5, LIF-6, PRT-9)
export type ShareGrant = Static<typeof ShareGrantSchema>;
export type GrantListQuery = Omit<Static<typeof ShareGrantQuerySchema>, 'page' | 'pageSize'>;
export type GrantStatus = (typeof GRANT_STATUSES)[number];
export type GrantRevoke = Static<typeof GrantRevokeSchema>;
export type GrantRevokeResult = Static<typeof GrantRevokeResultSchema>;
export type GrantCall = Static<typeof GrantCallSchema>;
export type GrantCredential = Static<typeof GrantCredentialSchema>;
export type GrantCredentialCreated = Static<typeof GrantCredentialCreatedSchema>;

// Error reports (LIF-9, DG-11)
export type ErrorReport = Static<typeof ErrorReportSchema>;
export type ErrorReportQuery = Omit<Static<typeof ReportQuerySchema>, 'page' | 'pageSize'>;
export type ErrorReportCreate = Static<typeof ReportCreateSchema>;
export type ErrorReportResolve = Static<typeof ReportResolveSchema>;
export type ErrorReportStatus = (typeof REPORT_STATUSES)[number];
export type ErrorReportOutcome = (typeof REPORT_OUTCOMES)[number];
