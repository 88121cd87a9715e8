// Discovery feeds the grading workflow (issue 4, CLS-2, CLS-3): when a resource's latest accepted scan holds
// confirmed field labels (PI type, sensitive, level), the grading drawer starts from them. A person still
// proposes the grade and another approves it; once a grading made after the acceptance is approved, the
// resource's own field labels carry that decision and the scan no longer pre-fills.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.ts';
import { isLevel, PI_TYPES } from '../../components/catalog.tsx';
import type { Job, ScanAccepted } from '../../discoveryTypes.ts';
import type { LevelCode, ResourceDetail } from '../../types.ts';
import { latestAccepted, scansKey } from './labels.ts';

/** The labels a scan acceptance gives one field (by field ID). */
export interface PrefillLabel {
  piType: string | undefined;
  piSensitive: boolean;
  /** Undefined: the acceptance set no level; the field keeps its own. */
  level: LevelCode | undefined;
}

export interface ScanPrefill {
  accepted: ScanAccepted;
  labels: Record<string, PrefillLabel>;
}

/** The pre-fill a resource's scans give, or null (none accepted, or a later approved grading supersedes it). */
export function scanPrefill(resource: Pick<ResourceDetail, 'fields' | 'latestGrading'>, scans: readonly Job[]): ScanPrefill | null {
  const latest = latestAccepted(scans);
  if (!latest) return null;
  const g = resource.latestGrading;
  if (g && g.status === 'approved' && Date.parse(g.decidedAt ?? g.gradedAt) >= Date.parse(latest.accepted.at)) return null;
  const byName = new Map(resource.fields.map((f) => [f.name, f.id]));
  const labels: Record<string, PrefillLabel> = {};
  for (const f of latest.accepted.fields) {
    const id = byName.get(f.name);
    if (!id) continue;
    const piType = f.piType && (PI_TYPES as readonly string[]).includes(f.piType) ? f.piType : undefined;
    labels[id] = { piType, piSensitive: !!piType && f.piSensitive, level: isLevel(f.level) ? f.level : undefined };
  }
  return Object.keys(labels).length > 0 ? { accepted: latest.accepted, labels } : null;
}

/**
 * The grading drawer's pre-fill from the resource's scans. Reading scans needs catalog.read at the
 * resource's institution; without it (or on any error) the drawer simply starts without a pre-fill.
 */
export function useScanPrefill(resource: ResourceDetail): { pending: boolean; prefill: ScanPrefill | null } {
  const q = useQuery({
    queryKey: scansKey(resource.id),
    queryFn: () => api.get<Job[]>(`/api/resources/${resource.id}/scans`),
    retry: false,
  });
  return { pending: q.isPending, prefill: q.data ? scanPrefill(resource, q.data) : null };
}
