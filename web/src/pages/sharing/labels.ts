// Status and kind labels of the sharing pages (issue 7), zh first: requests and their steps (LIF-4),
// agreements, grants (LIF-3), deletion duties (LIF-10, DG-12) and error reports (LIF-9, DG-11).

import { STEP_KIND_LABELS } from '../../../../src/engines/sharing/chain.ts';
import { DG12_CASE_LABELS } from '../../../../src/engines/sharing/dg12.ts';
import { AGREEMENT_STATUS_LABELS, PARTY_LABELS } from '../../../../src/modules/sharing/agreements.schemas.ts';
import { DUTY_OUTCOME_LABELS, DUTY_STATUS_LABELS } from '../../../../src/modules/sharing/duties.schemas.ts';
import { REPORT_STATUS_LABELS } from '../../../../src/modules/sharing/error-reports.schemas.ts';
import { GRANT_STATUS_LABELS } from '../../../../src/modules/sharing/grants.schemas.ts';
import { REQUEST_STATUS_LABELS } from '../../../../src/modules/sharing/requests.schemas.ts';
import type {
  AgreementStatus,
  DutyOutcome,
  DutyStatus,
  ErrorReportOutcome,
  ErrorReportStatus,
  GrantStatus,
  Party,
  RequestStatus,
  ShareMethod,
  StepKind,
  StepStatus,
} from '../../sharingTypes.ts';

export type Label = { zh: string; en: string };
type Tagged = Label & { color: string };

const colored = <K extends string>(labels: Record<K, Label>, colors: Record<K, string>): Record<K, Tagged> =>
  Object.fromEntries(Object.entries<Label>(labels).map(([k, l]) => [k, { ...l, color: colors[k as K] }])) as Record<K, Tagged>;

export const REQUEST_STATUS: Record<RequestStatus, Tagged> = colored(REQUEST_STATUS_LABELS, {
  in_review: 'processing',
  evidence_requested: 'warning',
  approved: 'cyan',
  granted: 'success',
  rejected: 'error',
  withdrawn: 'default',
});

export const STEP_KIND: Record<StepKind, Label> = STEP_KIND_LABELS;

export const STEP_STATUS: Record<StepStatus, Tagged> = {
  waiting: { zh: '未开始', en: 'Waiting', color: 'default' },
  open: { zh: '办理中', en: 'Open', color: 'processing' },
  approved: { zh: '已同意', en: 'Approved', color: 'success' },
  rejected: { zh: '已驳回', en: 'Rejected', color: 'error' },
  cancelled: { zh: '已取消', en: 'Cancelled', color: 'default' },
};

export const METHOD: Record<ShareMethod, Label> = {
  interface: { zh: '接口调用', en: 'Interface (API)' },
  file: { zh: '文件交换', en: 'File' },
};

export const AGREEMENT_STATUS: Record<AgreementStatus, Tagged> = colored(AGREEMENT_STATUS_LABELS, { awaiting_signatures: 'warning', signed: 'success' });

export const PARTY: Record<Party, Label> = PARTY_LABELS;

export const GRANT_STATUS: Record<GrantStatus, Tagged> = colored(GRANT_STATUS_LABELS, { active: 'success', revoked: 'error', expired: 'default' });

export const DUTY_STATUS: Record<DutyStatus, Tagged> = colored(DUTY_STATUS_LABELS, { open: 'warning', confirmed: 'processing', accepted: 'success' });
export const DUTY_OUTCOME: Record<DutyOutcome, Label> = DUTY_OUTCOME_LABELS;
export { DG12_CASE_LABELS as DG12_CASE };

export const ERROR_REPORT_STATUS: Record<ErrorReportStatus, Tagged> = colored(REPORT_STATUS_LABELS, {
  open: 'warning',
  corrected: 'success',
  rejected: 'default',
});
export const ERROR_REPORT_OUTCOME: Record<ErrorReportOutcome, Label> = { corrected: REPORT_STATUS_LABELS.corrected, rejected: REPORT_STATUS_LABELS.rejected };

/** A label for a code the table above may not know yet (a value added on the server later). */
export function labelOf<K extends string>(table: Record<K, Label>, code: string): Label {
  return (table as Record<string, Label>)[code] ?? { zh: code, en: code };
}
