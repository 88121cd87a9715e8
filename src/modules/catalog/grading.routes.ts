// Grading of data resources (CLS-2..4) and the grading dashboard: /api/resources/:id/gradings,
// /api/gradings/:id/decision, /api/grading/dashboard.
import { Type } from 'typebox';
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import { Grading, GradingDashboard, GradingDecision, GradingIdParams, GradingProposal } from './grading.schemas.ts';

export function gradingRoutes(app: App, s: Services) {
  const tags = ['grading'];
  app.post(
    '/api/resources/:id/gradings',
    { schema: { tags, summary: '提交定级 Propose a grading', params: GradingIdParams, body: GradingProposal, response: { 201: Grading } } },
    async (req, reply) => reply.status(201).send(await s.grading.propose(actorOf(req), req.params.id, req.body)),
  );
  app.get(
    '/api/resources/:id/gradings',
    { schema: { tags, summary: '定级历史 Grading history', params: GradingIdParams, response: { 200: Type.Array(Grading) } } },
    async (req) => s.grading.history(actorOf(req), req.params.id),
  );
  app.post(
    '/api/gradings/:id/decision',
    { schema: { tags, summary: '审核定级 Approve or reject a grading', params: GradingIdParams, body: GradingDecision, response: { 200: Grading } } },
    async (req) => s.grading.decide(actorOf(req), req.params.id, req.body),
  );
  app.get('/api/grading/dashboard', { schema: { tags, summary: '分类分级看板 Grading dashboard', response: { 200: GradingDashboard } } }, async (req) =>
    s.grading.dashboard(actorOf(req)),
  );
}
