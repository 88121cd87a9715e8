// API schemas of the authority's sharing overview (LIF-4, LIF-9, LIF-10): the approval queue, the overdue
// list and the city-wide sharing map (docs/sharing-contract.md "Requests and approvals").
import { type Static, Type } from 'typebox';
import { IsoDate, Nullable, StrEnum, Uuid } from '../../app/schema-helpers.ts';
import { STEP_KINDS } from '../../engines/sharing/chain.ts';
import { ShareRequestSummary } from './requests.schemas.ts';

export const SharingQueue = Type.Object({
  /** Open authority and exception steps the caller's institutions decide, overdue first, then by due date. */
  items: Type.Array(ShareRequestSummary),
  total: Type.Integer(),
  overdue: Type.Integer(),
});
export type SharingQueue = Static<typeof SharingQueue>;

export const OVERDUE_KINDS = ['request_step', 'deletion_duty', 'error_report'] as const;
export const OVERDUE_KIND_LABELS = {
  request_step: { zh: '共享审批环节', en: 'Approval step' },
  deletion_duty: { zh: '删除义务', en: 'Deletion duty' },
  error_report: { zh: '数据纠错', en: 'Error report' },
} as const;

export const OverdueItem = Type.Object({
  kind: StrEnum(OVERDUE_KINDS),
  /** The record to open: the share request, the deletion duty or the error report. */
  id: Uuid,
  number: Type.String(),
  /** What is late (the step kind, the DG-12 case, the resource name). */
  title: Type.String(),
  stepKind: Nullable(StrEnum(STEP_KINDS)),
  /** The institution that owes the action. */
  institution: Type.Object({ id: Uuid, name: Type.String() }),
  dueDate: IsoDate,
  /** Calendar days since the due date (Beijing). */
  daysOverdue: Type.Integer(),
});
export const SharingOverdue = Type.Object({ items: Type.Array(OverdueItem), total: Type.Integer() });
export type SharingOverdue = Static<typeof SharingOverdue>;

export const SharingMap = Type.Object({
  nodes: Type.Array(Type.Object({ id: Uuid, name: Type.String(), kind: Type.String() })),
  links: Type.Array(
    Type.Object({
      source: Uuid,
      target: Uuid,
      grants: Type.Integer(),
      resources: Type.Integer(),
      /** Rows delivered through the gateway in the last 30 days (audit events sharing.gateway.*). */
      rowsLast30Days: Type.Integer(),
    }),
  ),
});
export type SharingMap = Static<typeof SharingMap>;
