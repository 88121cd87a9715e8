// Audit report and life-cycle trace API types (AUD-4, AUD-5, AUD-6), from the server's TypeBox schemas.
import type { Static } from 'typebox';
import type {
  AuditReport as AuditReportSchema,
  ReportQuery as ReportQuerySchema,
  StoredReport as StoredReportSchema,
  StoredReportSummary as StoredReportSummarySchema,
  TraceEvent as TraceEventSchema,
  Trace as TraceSchema,
  VENDOR_CONCLUSIONS,
  VendorReviewCreate as VendorReviewCreateSchema,
} from '../../src/modules/audit/reports.schemas.ts';

export type AuditReport = Static<typeof AuditReportSchema>;
export type ReportQuery = Static<typeof ReportQuerySchema>;
export type StoredReport = Static<typeof StoredReportSchema>;
export type StoredReportSummary = Static<typeof StoredReportSummarySchema>;
export type VendorReviewCreate = Static<typeof VendorReviewCreateSchema>;
export type VendorConclusion = (typeof VENDOR_CONCLUSIONS)[number];
export type Trace = Static<typeof TraceSchema>;
export type TraceEvent = Static<typeof TraceEventSchema>;
export type ReportEvent = AuditReport['vendor']['events'][number];
export type Counts = AuditReport['activity']['totals'];
