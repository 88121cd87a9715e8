// The systems registry (/api/systems, /api/system-filings, /api/asset-checks): AST-1, AST-2, AST-3, AST-5..10.
import { Type } from 'typebox';
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import {
  AssetCheck,
  AssetCheckCreate,
  AssetCheckPage,
  AssetCheckQuery,
  ChangeBody,
  ClosureBody,
  FilingPage,
  FilingQuery,
  FindingParams,
  FindingResolve,
  ReviewBody,
  SubmitBody,
  System,
  SystemCreate,
  SystemFiling,
  SystemFilingWithSnapshot,
  SystemIdParams,
  SystemPage,
  SystemQuery,
  SystemUpdate,
} from './systems.schemas.ts';

const tags = ['systems'];

export function systemsRoutes(app: App, s: Services) {
  app.get('/api/systems', { schema: { tags, summary: '系统登记列表 Systems', querystring: SystemQuery, response: { 200: SystemPage } } }, async (req) =>
    s.systems.list(actorOf(req), req.query),
  );
  app.post('/api/systems', { schema: { tags, summary: '新建系统登记（草稿）', body: SystemCreate, response: { 201: System } } }, async (req, reply) =>
    reply.status(201).send(await s.systems.create(actorOf(req), req.body)),
  );
  app.get('/api/systems/:id', { schema: { tags, summary: '系统详情', params: SystemIdParams, response: { 200: System } } }, async (req) =>
    s.systems.get(actorOf(req), req.params.id),
  );
  app.patch(
    '/api/systems/:id',
    { schema: { tags, summary: '修改系统（草稿或已退回）', params: SystemIdParams, body: SystemUpdate, response: { 200: System } } },
    async (req) => s.systems.update(actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/systems/:id/submit',
    { schema: { tags, summary: '提交登记申报', params: SystemIdParams, body: SubmitBody, response: { 201: SystemFiling } } },
    async (req, reply) => reply.status(201).send(await s.systems.submit(actorOf(req), req.params.id, req.body)),
  );
  app.post(
    '/api/systems/:id/changes',
    { schema: { tags, summary: '申请变更登记', params: SystemIdParams, body: ChangeBody, response: { 201: SystemFiling } } },
    async (req, reply) => reply.status(201).send(await s.systems.fileChange(actorOf(req), req.params.id, req.body)),
  );
  app.post(
    '/api/systems/:id/closure',
    { schema: { tags, summary: '申请撤销登记', params: SystemIdParams, body: ClosureBody, response: { 201: SystemFiling } } },
    async (req, reply) => reply.status(201).send(await s.systems.fileClosure(actorOf(req), req.params.id, req.body)),
  );
  app.get(
    '/api/systems/:id/filings',
    { schema: { tags, summary: '登记历史（各版本快照）', params: SystemIdParams, response: { 200: Type.Array(SystemFilingWithSnapshot) } } },
    async (req) => s.systems.filings(actorOf(req), req.params.id),
  );
  app.get('/api/system-filings', { schema: { tags, summary: '登记申报队列 Filings', querystring: FilingQuery, response: { 200: FilingPage } } }, async (req) =>
    s.systems.queue(actorOf(req), req.query),
  );
  app.post(
    '/api/system-filings/:id/review',
    { schema: { tags, summary: '审核登记申报（通过/退回）', params: SystemIdParams, body: ReviewBody, response: { 200: SystemFiling } } },
    async (req) => s.systems.review(actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/asset-checks',
    { schema: { tags, summary: '资产核查记录 Asset checks', querystring: AssetCheckQuery, response: { 200: AssetCheckPage } } },
    async (req) => s.systems.listChecks(actorOf(req), req.query),
  );
  app.post('/api/asset-checks', { schema: { tags, summary: '记录资产核查', body: AssetCheckCreate, response: { 201: AssetCheck } } }, async (req, reply) =>
    reply.status(201).send(await s.systems.createCheck(actorOf(req), req.body)),
  );
  app.post(
    '/api/asset-checks/:id/findings/:findingId/resolve',
    { schema: { tags, summary: '处理核查发现的问题', params: FindingParams, body: FindingResolve, response: { 200: AssetCheck } } },
    async (req) => s.systems.resolveFinding(actorOf(req), req.params.id, req.params.findingId, req.body),
  );
}
