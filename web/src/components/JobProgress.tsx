// A background job's progress as an Alert: status tag, start time, a progress bar with the count, and the cancel
// button (useJob/useCancelJob). Shared by the discovery scan (issue 4) and the audit chain's verification
// (AUD-2, issue 6); each names its texts and its test ids.
import { StopOutlined } from '@ant-design/icons';
import { Alert, Button, Progress, Space, Tag, Typography } from 'antd';
import type { CSSProperties } from 'react';
import { isApiError } from '../api.ts';
import type { Job } from '../discoveryTypes.ts';
import { fmtDateTime } from '../format.ts';
import { useT } from '../i18n.tsx';
import { isActive, JOB_STATUS, progressPercent } from '../pages/discovery/labels.ts';
import { ErrorAlert } from './ErrorAlert.tsx';
import { useCancelJob } from './useJob.ts';

export interface JobProgressTexts {
  title: string;
  queued: string;
  /** The count line: done of total, or done so far when the total is not known yet. */
  count: (done: number, total: number | null) => string;
  cancelling: string;
  startedAt: (at: string) => string;
  cancel: string;
}

export interface JobProgressTestIds {
  root: string;
  status: string;
  bar: string;
  text: string;
  cancel: string;
}

export function JobProgressAlert({
  job,
  refetch,
  texts,
  testIds,
  canCancel,
  style,
}: {
  job: Job;
  refetch: () => unknown;
  texts: JobProgressTexts;
  testIds: JobProgressTestIds;
  canCancel: boolean;
  style?: CSSProperties;
}) {
  const t = useT();
  // Finished meanwhile: nothing to cancel; the next read shows how it ended.
  const cancel = useCancelJob(job, refetch);
  const ended = !isActive(job);
  const percent = progressPercent(job.progress);
  const s = JOB_STATUS[job.status];
  return (
    <Alert
      type="info"
      style={style}
      data-testid={testIds.root}
      data-status={job.status}
      data-done={job.progress.done}
      data-total={job.progress.total ?? ''}
      title={
        <Space wrap>
          <Typography.Text strong>{texts.title}</Typography.Text>
          <Tag color={s.color} data-testid={testIds.status}>
            {t(s.label)}
          </Tag>
          {job.cancelRequested && !ended && <Tag color="warning">{texts.cancelling}</Tag>}
          <Typography.Text type="secondary">{texts.startedAt(fmtDateTime(job.startedAt ?? job.createdAt))}</Typography.Text>
        </Space>
      }
      description={
        <div>
          <Progress
            percent={percent ?? (ended ? 100 : 0)}
            status={job.status === 'failed' ? 'exception' : ended ? 'normal' : 'active'}
            data-testid={testIds.bar}
          />
          <Typography.Text type="secondary" data-testid={testIds.text}>
            {job.status === 'queued' ? texts.queued : texts.count(job.progress.done, job.progress.total)}
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
            data-testid={testIds.cancel}
          >
            {texts.cancel}
          </Button>
        ) : undefined
      }
    />
  );
}
