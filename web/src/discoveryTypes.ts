// Sensitive-data discovery API types (issue 4: scan jobs on a resource's dataset and their review; CLS-2,
// CLS-3, AST-11), from the server's TypeBox schema files, as catalogTypes.ts does for the catalog.
import type { Static } from 'typebox';
import type {
  RecognizerSet as RecognizerSetSchema,
  ScanAccept as ScanAcceptSchema,
  ScanColumn as ScanColumnSchema,
  ScanStart as ScanStartSchema,
} from '../../src/modules/discovery/discovery.schemas.ts';
import type { JOB_STATUSES, Job as JobSchema } from '../../src/modules/jobs/jobs.schemas.ts';

// Background jobs (GET /api/jobs/:id, POST /api/jobs/:id/cancel)
export type Job = Static<typeof JobSchema>;
export type JobStatus = (typeof JOB_STATUSES)[number];
export type JobProgress = Job['progress'];

// Scans (POST /api/resources/:id/scans, POST …/scans/:jobId/accept)
export type ScanStart = Static<typeof ScanStartSchema>;
export type ScanAccept = Static<typeof ScanAcceptSchema>;
export type ScanAcceptField = ScanAccept['fields'][number];
export type ScanColumn = Static<typeof ScanColumnSchema>;
export type ScanColumnType = ScanColumn['types'][number];
/** The authority's own recognizers (GET /api/discovery/recognizers). */
export type RecognizerSet = Static<typeof RecognizerSetSchema>;

/**
 * The reviewer's decision stored with the job (result.accepted). The server keeps a scan job's result as
 * an open record (Job.result); its columns are the ScanColumn schema, the rest is DiscoveryService.run's
 * and DiscoveryService.accept's shape.
 */
export interface ScanAccepted {
  by: { id: string; displayName: string };
  at: string;
  fields: ScanAcceptField[];
  inventory: boolean;
}

/** A succeeded scan job's result: per-column proposals and counts, never a value. */
export interface ScanResult {
  rows: number;
  sampled: boolean;
  datasetVersion: number;
  columns: ScanColumn[];
  resource: { piTypes: string[]; piCategory: 'sensitive' | 'personal' | null; category: string | null; level: string | null };
  summary: { rowsWithPi: number; people: number | null; sensitive: boolean };
  accepted?: ScanAccepted;
}
