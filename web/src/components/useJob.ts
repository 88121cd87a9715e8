// A background job followed from the page (GET /api/jobs/:id every POLL_MS while it is queued or running) and
// its cancel (POST /api/jobs/:id/cancel; cooperative: the worker stops at its next check). Shared by the
// discovery scan (issue 4) and the audit chain's verification (AUD-2, issue 6).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError } from '../api.ts';
import type { Job } from '../discoveryTypes.ts';
import { isActive, jobKey, POLL_MS } from '../pages/discovery/labels.ts';

/** The job as last read; asked for again every POLL_MS until it has ended. */
export function useJob(initial: Job) {
  return useQuery({
    queryKey: jobKey(initial.id),
    queryFn: () => api.get<Job>(`/api/jobs/${initial.id}`),
    initialData: initial,
    refetchInterval: (query) => (query.state.data && !isActive(query.state.data) ? false : POLL_MS),
    refetchIntervalInBackground: true,
  });
}

/** Cancels the job; when it finished meanwhile (409 JOB_FINISHED) the next read shows how it ended. */
export function useCancelJob(job: Job, refetch: () => unknown) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<Job>(`/api/jobs/${job.id}/cancel`),
    onSuccess: (j) => qc.setQueryData(jobKey(j.id), j),
    onError: (e) => {
      if (isApiError(e, 'JOB_FINISHED')) void refetch();
    },
  });
}
