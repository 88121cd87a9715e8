// Background jobs: their state and progress, and cancellation.
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import { Job, JobIdParams } from './jobs.schemas.ts';

const tags = ['jobs'];

export function jobsRoutes(app: App, s: Services) {
  app.get(
    '/api/jobs/:id',
    { schema: { tags, summary: '后台任务状态与进度 Job state and progress', params: JobIdParams, response: { 200: Job } } },
    async (req) => s.jobs.get(actorOf(req), req.params.id),
  );
  app.post('/api/jobs/:id/cancel', { schema: { tags, summary: '取消后台任务 Cancel a job', params: JobIdParams, response: { 200: Job } } }, async (req) =>
    s.jobs.cancel(actorOf(req), req.params.id),
  );
}
