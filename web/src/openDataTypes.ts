// Open data (LIF-7, HZ-26, GZ-17, ZZ-23) and public error report (DG-11) API types, from the server's TypeBox
// schemas (src/modules/sharing/open-data.schemas.ts, error-reports.schemas.ts).
import type { Static } from 'typebox';
import type {
  PublicReportCreate as PublicReportCreateSchema,
  PublicReportReceipt as PublicReportReceiptSchema,
  PublicReportStatus as PublicReportStatusSchema,
} from '../../src/modules/sharing/error-reports.schemas.ts';
import type {
  CHANGE_KINDS,
  PublicReleaseList as PublicReleaseListSchema,
  PublicRelease as PublicReleaseSchema,
  PublicReleaseSummary as PublicReleaseSummarySchema,
  QuasiIdentifier as QuasiIdentifierSchema,
  RELEASE_STATUSES,
  ReleaseChecks as ReleaseChecksSchema,
  ReleaseCreate as ReleaseCreateSchema,
  ReleaseList as ReleaseListSchema,
  ReleaseNote as ReleaseNoteSchema,
  ReleaseQuery as ReleaseQuerySchema,
  ReleaseReview as ReleaseReviewSchema,
  Release as ReleaseSchema,
  ReleaseSummary as ReleaseSummarySchema,
} from '../../src/modules/sharing/open-data.schemas.ts';

export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];
export type ChangeKind = (typeof CHANGE_KINDS)[number];
export type QuasiIdentifier = Static<typeof QuasiIdentifierSchema>;
export type Hierarchy = QuasiIdentifier['hierarchy'];
export type ReleaseCreate = Static<typeof ReleaseCreateSchema>;
export type ReleaseQuery = Static<typeof ReleaseQuerySchema>;
export type ReleaseReview = Static<typeof ReleaseReviewSchema>;
export type ReleaseNote = Static<typeof ReleaseNoteSchema>;
export type ReleaseChecks = Static<typeof ReleaseChecksSchema>;
export type ReleaseSummary = Static<typeof ReleaseSummarySchema>;
export type Release = Static<typeof ReleaseSchema>;
export type ReleaseList = Static<typeof ReleaseListSchema>;

export type PublicReleaseSummary = Static<typeof PublicReleaseSummarySchema>;
export type PublicReleaseList = Static<typeof PublicReleaseListSchema>;
export type PublicRelease = Static<typeof PublicReleaseSchema>;

export type PublicReportCreate = Static<typeof PublicReportCreateSchema>;
export type PublicReportReceipt = Static<typeof PublicReportReceiptSchema>;
export type PublicReportStatus = Static<typeof PublicReportStatusSchema>;
