// What the two masking editors share (PRT-4): the PUT /api/resources/:id/masking call (the view goes back in
// the cache, the previews are fetched again; on VERSION_CONFLICT the view is re-read so the next try carries
// the current version), and the problems of a 400 MASKING_POLICY_INVALID answer, listed per scenario and field.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert } from 'antd';
import { api, isApiError } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useT } from '../../i18n.tsx';
import type { MaskingPolicyProblem, MaskingView, MaskRule, MaskScenario } from '../../protectionTypes.ts';
import { isMaskScenario, maskingKey, policyProblems, previewKey, scenarioLabel } from './maskingLabels.ts';

/** The body of PUT /api/resources/:id/masking (MaskingUpdate), with the scenarios optional one by one. */
export interface MaskingChange {
  version: number;
  targets?: Record<string, string | null>;
  rules?: Partial<Record<MaskScenario, Record<string, MaskRule | null>>>;
}

export function useMaskingUpdate(resourceId: string, onDone: (view: MaskingView) => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: MaskingChange) => api.put<MaskingView>(`/api/resources/${resourceId}/masking`, body),
    onSuccess: (view) => {
      qc.setQueryData(maskingKey(resourceId), view);
      void qc.invalidateQueries({ queryKey: previewKey(resourceId) });
      onDone(view);
    },
    onError: (e) => {
      if (isApiError(e, 'VERSION_CONFLICT')) void qc.invalidateQueries({ queryKey: maskingKey(resourceId) });
    },
  });
}

/** A failed save: MASKING_POLICY_INVALID as a list of problems by scenario and field, anything else as usual. */
export function MaskingSaveError({ error }: { error: unknown }) {
  const t = useT();
  const problems = policyProblems(error);
  if (!problems) return <ErrorAlert error={error} testId="masking-save-error" />;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="masking-problems"
      title={t('protection.masking.invalidTitle')}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {problems.map((p: MaskingPolicyProblem) => (
            <li key={`${p.scenario}|${p.field}|${p.code}`} data-testid="masking-problem" data-scenario={p.scenario} data-field={p.field} data-code={p.code}>
              <strong>
                {t('protection.masking.problemAt', { scenario: isMaskScenario(p.scenario) ? t(scenarioLabel(p.scenario)) : p.scenario, field: p.field })}
              </strong>
              {t('common.colon')}
              {p.message}
            </li>
          ))}
        </ul>
      }
    />
  );
}
