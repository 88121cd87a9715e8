// A queued or running scan (issue 4): the background worker's progress, asked for every second
// (GET /api/jobs/:id), and the steward's cancel (POST /api/jobs/:id/cancel; cooperative: the worker stops at
// its next check; both through components/useJob.ts). When the job ends, the resource's scan list is read
// again so its result shows.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { JobProgressAlert } from '../../components/JobProgress.tsx';
import { useJob } from '../../components/useJob.ts';
import type { Job } from '../../discoveryTypes.ts';
import { useT } from '../../i18n.tsx';
import { fmtCount } from '../protection/labels.ts';
import { isActive, scansKey } from './labels.ts';

export function ScanProgress({ job: initial, resourceId, canCancel }: { job: Job; resourceId: string; canCancel: boolean }) {
  const t = useT();
  const qc = useQueryClient();
  const q = useJob(initial);
  const job = q.data;
  const ended = !isActive(job);
  useEffect(() => {
    if (ended) void qc.invalidateQueries({ queryKey: scansKey(resourceId) });
  }, [ended, qc, resourceId]);

  return (
    <JobProgressAlert
      job={job}
      refetch={q.refetch}
      canCancel={canCancel}
      style={{ marginBottom: 16 }}
      texts={{
        title: t('discovery.progress.title'),
        queued: t('discovery.progress.queued'),
        count: (done, total) =>
          total !== null
            ? t('discovery.progress.rows', { done: fmtCount(done), total: fmtCount(total) })
            : t('discovery.progress.rowsSoFar', { done: fmtCount(done) }),
        cancelling: t('discovery.progress.cancelling'),
        startedAt: (at) => t('discovery.progress.startedAt', { at }),
        cancel: t('discovery.cancel'),
      }}
      testIds={{ root: 'scan-progress', status: 'scan-progress-status', bar: 'scan-progress-bar', text: 'scan-progress-text', cancel: 'scan-cancel' }}
    />
  );
}
