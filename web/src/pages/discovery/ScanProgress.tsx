// A queued or running scan (issue 4): the background worker's progress, asked for every second
// (GET /api/jobs/:id), and the steward's cancel (POST /api/jobs/:id/cancel; cooperative: the worker stops at
// its next check). When the job ends, the resource's scan list is read again so its result shows.
import { StopOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Progress, Space, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { api, isApiError } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import type { Job } from '../../discoveryTypes.ts';
import { fmtDateTime } from '../../format.ts';
import { useT } from '../../i18n.tsx';
import { fmtCount } from '../protection/labels.ts';
import { isActive, JOB_STATUS, jobKey, POLL_MS, progressPercent, scansKey } from './labels.ts';

export function ScanProgress({ job: initial, resourceId, canCancel }: { job: Job; resourceId: string; canCancel: boolean }) {
  const t = useT();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: jobKey(initial.id),
    queryFn: () => api.get<Job>(`/api/jobs/${initial.id}`),
    initialData: initial,
    refetchInterval: (query) => (query.state.data && !isActive(query.state.data) ? false : POLL_MS),
    refetchIntervalInBackground: true,
  });
  const job = q.data;
  const ended = !isActive(job);
  useEffect(() => {
    if (ended) void qc.invalidateQueries({ queryKey: scansKey(resourceId) });
  }, [ended, qc, resourceId]);

  const cancel = useMutation({
    mutationFn: () => api.post<Job>(`/api/jobs/${job.id}/cancel`),
    onSuccess: (j) => qc.setQueryData(jobKey(j.id), j),
    onError: (e) => {
      // Finished meanwhile: nothing to cancel; the next read shows how it ended.
      if (isApiError(e, 'JOB_FINISHED')) void q.refetch();
    },
  });

  const percent = progressPercent(job.progress);
  const s = JOB_STATUS[job.status];
  return (
    <Alert
      type="info"
      style={{ marginBottom: 16 }}
      data-testid="scan-progress"
      data-status={job.status}
      data-done={job.progress.done}
      title={
        <Space wrap>
          <Typography.Text strong>{t('discovery.progress.title')}</Typography.Text>
          <Tag color={s.color} data-testid="scan-progress-status">
            {t(s.label)}
          </Tag>
          {job.cancelRequested && ended === false && <Tag color="warning">{t('discovery.progress.cancelling')}</Tag>}
          <Typography.Text type="secondary">{t('discovery.progress.startedAt', { at: fmtDateTime(job.startedAt ?? job.createdAt) })}</Typography.Text>
        </Space>
      }
      description={
        <div>
          <Progress
            percent={percent ?? (ended ? 100 : 0)}
            status={job.status === 'failed' ? 'exception' : ended ? 'normal' : 'active'}
            data-testid="scan-progress-bar"
          />
          <Typography.Text type="secondary" data-testid="scan-progress-text">
            {job.status === 'queued'
              ? t('discovery.progress.queued')
              : job.progress.total !== null
                ? t('discovery.progress.rows', { done: fmtCount(job.progress.done), total: fmtCount(job.progress.total) })
                : t('discovery.progress.rowsSoFar', { done: fmtCount(job.progress.done) })}
          </Typography.Text>
          <ErrorAlert error={cancel.error && !isApiError(cancel.error, 'JOB_FINISHED') ? cancel.error : null} style={{ marginTop: 8 }} />
        </div>
      }
      action={
        canCancel && !ended ? (
          <Button
            danger
            icon={<StopOutlined />}
            loading={cancel.isPending}
            disabled={job.cancelRequested}
            onClick={() => cancel.mutate()}
            data-testid="scan-cancel"
          >
            {t('discovery.cancel')}
          </Button>
        ) : undefined
      }
    />
  );
}
