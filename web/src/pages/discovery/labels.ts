// Labels, query keys and the pure helpers of the discovery review (issue 4; CLS-2, CLS-3, AST-11): what a
// scan job's result holds, which scan's accepted labels feed the grading drawer, and the review rows a
// reviewer starts from. Type IDs are the engine's (src/engines/discovery/types.ts), named in messages.ts.
import { isLevel } from '../../components/catalog.tsx';
import type { Job, JobProgress, JobStatus, ScanAccepted, ScanColumn, ScanResult } from '../../discoveryTypes.ts';
import type { MessageKey, TFunction } from '../../i18n.tsx';
import { messages } from '../../messages.ts';
import type { LevelCode } from '../../types.ts';

export const scansKey = (resourceId: string) => ['discovery', resourceId, 'scans'] as const;
export const jobKey = (jobId: string) => ['jobs', jobId] as const;

/** While a scan is queued or running, its job is asked for every second. */
export const POLL_MS = 1000;

export const JOB_STATUS: Record<JobStatus, { color: string; label: MessageKey }> = {
  queued: { color: 'default', label: 'discovery.status.queued' },
  running: { color: 'processing', label: 'discovery.status.running' },
  succeeded: { color: 'success', label: 'discovery.status.succeeded' },
  failed: { color: 'error', label: 'discovery.status.failed' },
  cancelled: { color: 'warning', label: 'discovery.status.cancelled' },
};

export const PI_CATEGORY: Record<'sensitive' | 'personal', { color: string; label: MessageKey }> = {
  sensitive: { color: 'red', label: 'discovery.piCategory.sensitive' },
  personal: { color: 'purple', label: 'discovery.piCategory.personal' },
};

export const isActive = (j: Pick<Job, 'status'>): boolean => j.status === 'queued' || j.status === 'running';

/** Names of the authority's own recognizers (X_… type IDs) by ID, from GET /api/discovery/recognizers. */
export type CustomNames = ReadonlyMap<string, string>;

/** The Chinese (or English) name of a recognizer type ID; an authority's own types show their saved name, else their ID. */
export function typeLabel(t: TFunction, type: string, custom?: CustomNames): string {
  const key = `discovery.type.${type}`;
  return Object.hasOwn(messages, key) ? t(key as MessageKey) : (custom?.get(type) ?? type);
}

/** The id → name map of a recognizer set's entries (stored as saved: only string ids and names are used). */
export function customNames(recognizers: readonly Record<string, unknown>[]): CustomNames {
  const out = new Map<string, string>();
  for (const r of recognizers) if (typeof r.id === 'string' && typeof r.name === 'string' && r.name) out.set(r.id, r.name);
  return out;
}

/** 0.5 → "50%", 0.034 → "3.4%". */
export const fmtShare = (x: number): string => `${(x * 100).toFixed(x > 0 && x < 0.1 ? 1 : 0)}%`;
export const fmtConfidence = (x: number): string => x.toFixed(2);

/** Percent done, or null while the total is unknown (queued, or the worker has not counted yet). */
export function progressPercent(p: JobProgress): number | null {
  if (p.total === null || p.total <= 0) return null;
  return Math.max(0, Math.min(100, Math.floor((p.done / p.total) * 100)));
}

/** A succeeded scan's result, or null (other states, or a result of another shape). */
export function scanResult(job: Job): ScanResult | null {
  if (job.status !== 'succeeded' || !job.result || !Array.isArray(job.result.columns)) return null;
  return job.result as unknown as ScanResult;
}

/** The most recent acceptance among a resource's scans (by when it was accepted, not when it ran). */
export function latestAccepted(scans: readonly Job[]): { job: Job; accepted: ScanAccepted } | null {
  let best: { job: Job; accepted: ScanAccepted } | null = null;
  for (const job of scans) {
    const accepted = scanResult(job)?.accepted;
    if (accepted && (!best || Date.parse(accepted.at) > Date.parse(best.accepted.at))) best = { job, accepted };
  }
  return best;
}

/** One row of the review: the reviewer's decision on one column. */
export interface ReviewRow {
  accept: boolean;
  piType: string | null;
  piSensitive: boolean;
  level: LevelCode | null;
}

/**
 * Where the reviewer starts: an accepted scan shows what was accepted; otherwise each column's proposal,
 * ticked when it proposes a PI type or a level and the column is a field of the resource (the server
 * refuses other names).
 */
export function initialReview(result: ScanResult, fieldNames: ReadonlySet<string>): Record<string, ReviewRow> {
  const accepted = new Map((result.accepted?.fields ?? []).map((f) => [f.name, f]));
  const out: Record<string, ReviewRow> = {};
  for (const c of result.columns) {
    const a = accepted.get(c.name);
    if (a) {
      out[c.name] = { accept: true, piType: a.piType, piSensitive: !!a.piType && a.piSensitive, level: isLevel(a.level) ? a.level : null };
      continue;
    }
    const proposal = proposalOf(c);
    out[c.name] = { ...proposal, accept: !result.accepted && fieldNames.has(c.name) && (proposal.piType !== null || proposal.level !== null) };
  }
  return out;
}

/** A column's proposal as review values (the first proposed PI type; sensitive when the column's category is). */
export function proposalOf(c: ScanColumn): Omit<ReviewRow, 'accept'> {
  const piType = c.piTypes[0] ?? null;
  return { piType, piSensitive: piType !== null && c.piCategory === 'sensitive', level: isLevel(c.level) ? c.level : null };
}
