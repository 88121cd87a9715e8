// LIF-4 (HZ-22, ZZ-21): the approval chain of a share request, as pure functions. The chain is fixed at
// submission from the resource's share attribute and its level's controls (CLS-5 `sharingApprovals`), so a
// later regrading never changes a request already under review.
//
// - unconditional (无条件共享): the provider confirms (one step).
// - conditional (有条件共享): the provider, then the data authority above the provider; a third step by a
//   second, different authority person when the level asks for three approvals.
// - not_shared (不予共享): first the authority records the legal basis of an exception (or refuses), then as
//   conditional.
// `sharingApprovals` is a floor: unconditional data graded with depth ≥ 2 still needs the authority.
// LIF-8 (HZ-23): a request flagged for joint/association analysis (engine sharing/association.ts) gets an
// `association` step for the authority's assessment after the provider step and before the authority approval
// (the provider first says whether it shares at all; the authority approves knowing the assessment).

export type ShareAttribute = 'unconditional' | 'conditional' | 'not_shared';
export type StepKind = 'provider' | 'association' | 'authority' | 'authority_second' | 'exception';
export type StepStatus = 'waiting' | 'open' | 'approved' | 'rejected' | 'cancelled';

export const STEP_KINDS = ['provider', 'association', 'authority', 'authority_second', 'exception'] as const;

export const STEP_KIND_LABELS: Record<StepKind, { zh: string; en: string }> = {
  exception: { zh: '主管部门例外审批', en: 'Authority exception' },
  provider: { zh: '提供单位审核', en: 'Provider review' },
  association: { zh: '关联分析评估', en: 'Association-analysis assessment' },
  authority: { zh: '主管部门审批', en: 'Authority approval' },
  authority_second: { zh: '主管部门复核', en: 'Authority second approval' },
};

export interface PlannedStep {
  seq: number;
  kind: StepKind;
  institutionId: string;
}

export interface ChainInput {
  shareAttribute: ShareAttribute;
  /** CLS-5 controls.sharingApprovals of the resource's level (0..3). */
  sharingApprovals: number;
  providerInstitutionId: string;
  /** The authority that decides the authority steps (nearestAuthority). */
  authorityInstitutionId: string;
  /** LIF-8: the request enables joint/association analysis; the authority assesses it (HZ-23). */
  association?: boolean;
}

/** The steps in order; seq starts at 1. */
export function planChain(input: ChainInput): PlannedStep[] {
  const depth = Math.max(0, Math.min(3, Math.trunc(input.sharingApprovals)));
  const kinds: StepKind[] = [];
  if (input.shareAttribute === 'not_shared') kinds.push('exception');
  kinds.push('provider');
  if (input.association) kinds.push('association');
  if (input.shareAttribute !== 'unconditional' || depth >= 2) kinds.push('authority');
  if (depth >= 3) kinds.push('authority_second');
  return kinds.map((kind, i) => ({
    seq: i + 1,
    kind,
    institutionId: kind === 'provider' ? input.providerInstitutionId : input.authorityInstitutionId,
  }));
}

export interface InstitutionNode {
  id: string;
  parentId: string | null;
  kind: string;
}

/**
 * The data authority that answers for a provider: the nearest ancestor whose kind is 'authority' (a district
 * institution goes to the district bureau), else the root of its tree. The provider itself never counts:
 * nobody approves their own institution's sharing as the authority.
 */
export function nearestAuthority(institutions: readonly InstitutionNode[], providerId: string): string {
  const byId = new Map(institutions.map((i) => [i.id, i]));
  let node = byId.get(providerId);
  if (!node) throw new Error(`unknown institution ${providerId}`);
  const seen = new Set<string>([node.id]);
  let root = node.id;
  while (node.parentId) {
    const parent = byId.get(node.parentId);
    if (!parent || seen.has(parent.id)) break;
    seen.add(parent.id);
    if (parent.kind === 'authority') return parent.id;
    root = parent.id;
    node = parent;
  }
  return root;
}

/** Working days per deadline (settings `sharing.deadlines`); DG-11 gives error reports 15. */
export interface SharingDeadlines {
  provider: number;
  authority: number;
  exception: number;
  /** LIF-8: the authority's association-analysis assessment (HZ-23 asks for a full assessment). */
  association: number;
  deletion: number;
  errorReport: number;
}

export const DEFAULT_SHARING_DEADLINES: SharingDeadlines = { provider: 5, authority: 5, exception: 5, association: 10, deletion: 10, errorReport: 15 };

/** Merges a stored setting over the defaults, keeping only whole numbers of days in 1..365. */
export function sharingDeadlines(stored: unknown): SharingDeadlines {
  const out = { ...DEFAULT_SHARING_DEADLINES };
  if (stored && typeof stored === 'object') {
    for (const k of Object.keys(out) as (keyof SharingDeadlines)[]) {
      const v = (stored as Record<string, unknown>)[k];
      if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 365) out[k] = v;
    }
  }
  return out;
}

/** Working days a step of this kind gets from the day it opens. */
export function stepWorkdays(kind: StepKind, d: SharingDeadlines): number {
  return kind === 'provider' ? d.provider : kind === 'exception' ? d.exception : kind === 'association' ? d.association : d.authority;
}

/** A step is overdue when it is still open and today's Beijing date is after its due date (computed, never stored). */
export function isOverdue(step: { status: string; dueDate: string | null }, today: string): boolean {
  return step.status === 'open' && step.dueDate !== null && today > step.dueDate;
}

export interface StepDecision {
  kind: StepKind;
  status: StepStatus;
  decidedBy: string | null;
}

/**
 * Separation of duties (LIF-4): nobody decides a step of a request they made, and one person never decides
 * two steps of one request. Returns the refusal's reason, or null when the person may decide.
 */
export function separationProblem(steps: readonly StepDecision[], applicantUserId: string, userId: string): 'own_request' | 'decided_before' | null {
  if (userId === applicantUserId) return 'own_request';
  if (steps.some((s) => s.decidedBy === userId)) return 'decided_before';
  return null;
}

/** The one open step of a chain, if any. */
export function openStep<T extends { status: string }>(steps: readonly T[]): T | null {
  return steps.find((s) => s.status === 'open') ?? null;
}

/** The step that opens after `seq` is approved, or null when the chain is complete. */
export function nextWaiting<T extends { seq: number; status: string }>(steps: readonly T[], seq: number): T | null {
  return [...steps].sort((a, b) => a.seq - b.seq).find((s) => s.seq > seq && s.status === 'waiting') ?? null;
}

/** Term of a request: end not before start, at most 3 years (LIF-4: a defined use term). */
export function termProblem(start: string, end: string): 'order' | 'too_long' | null {
  if (end < start) return 'order';
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const limit = new Date(Date.UTC(y + 3, m - 1, d));
  // 29 Feb + 3 years rolls to 1 Mar: the limit is the last day before the same date three years on.
  const max = new Date(limit.getTime() - 86_400_000).toISOString().slice(0, 10);
  return end > max ? 'too_long' : null;
}
