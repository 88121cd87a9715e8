// The grading scheme (CLS-1, CLS-5) and the determination calculator (CLS-2): /api/grading/scheme(s),
// /api/grading/determine.
import { Type } from 'typebox';
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import { Determination, DetermineBody, Scheme, SchemeDraft, SchemeSummary, VersionParams } from './scheme.schemas.ts';

export function schemeRoutes(app: App, s: Services) {
  const tags = ['grading'];
  app.get('/api/grading/scheme', { schema: { tags, summary: '现行分类分级规则 Published grading scheme', response: { 200: Scheme } } }, async (req) =>
    s.scheme.getPublished(actorOf(req)),
  );
  app.get(
    '/api/grading/schemes',
    { schema: { tags, summary: '分类分级规则版本 Scheme versions', response: { 200: Type.Array(SchemeSummary) } } },
    async (req) => s.scheme.list(actorOf(req)),
  );
  app.get(
    '/api/grading/schemes/:version',
    { schema: { tags, summary: '某一版本的分类分级规则 One scheme version', params: VersionParams, response: { 200: Scheme } } },
    async (req) => s.scheme.get(actorOf(req), req.params.version),
  );
  app.put(
    '/api/grading/schemes/draft',
    { schema: { tags, summary: '保存分类分级规则草稿 Save the draft scheme', body: SchemeDraft, response: { 200: Scheme } } },
    async (req) => s.scheme.saveDraft(actorOf(req), req.body),
  );
  app.post(
    '/api/grading/schemes/draft/publish',
    { schema: { tags, summary: '发布分类分级规则 Publish the draft (city-level)', response: { 200: Scheme } } },
    async (req) => s.scheme.publish(actorOf(req)),
  );
  app.delete('/api/grading/schemes/draft', { schema: { tags, summary: '删除分类分级规则草稿 Discard the draft' } }, async (req, reply) => {
    await s.scheme.discardDraft(actorOf(req));
    return reply.status(204).send();
  });
  app.post(
    '/api/grading/determine',
    { schema: { tags, summary: '按危害程度计算级别 Determine a level from harms', body: DetermineBody, response: { 200: Determination } } },
    async (req) => s.scheme.determine(actorOf(req), req.body.harms),
  );
}
