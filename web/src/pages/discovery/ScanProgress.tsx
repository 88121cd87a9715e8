// A queued or running scan (issue 4): the background worker's progress, asked for every second
// (GET /api/jobs/:id), and the steward's cancel (POST /api/jobs/:id/cancel; cooperative: the worker stops at
// its next check; both through components/useJob.ts). When the job ends, the resource's scan list is read
// again so its result shows.
import { StopOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Progress, Space, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { isApiError } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCancelJob, useJob } from '../../components/useJob.ts';
import type { Job } from '../../discoveryTypes.ts';
import { fmtDateTime } from '../../format.ts';
import { useT } from '../../i18n.tsx';
import { fmtCount } from '../protection/labels.ts';
import { isActive, JOB_STATUS, progressPercent, scansKey } from './labels.ts';

export function ScanProgress({ job: initial, resourceId, canCancel }: { job: Job; resourceId: string; canCancel: boolean }) {
  const t = useT();
  const qc = useQueryClient();
  const q = useJob(initial);
  const job = q.data;
  const ended = !isActive(job);
  useEffect(() => {
    if (ended) void qc.invalidateQueries({ queryKey: scansKey(resourceId) });
  }, [ended, qc, resourceId]);

  // Finished meanwhile: nothing to cancel; the next read shows how it ended.
  const cancel = useCancelJob(job, q.refetch);

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
