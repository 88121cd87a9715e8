// Scan jobs on a resource's dataset and their review (issue 4).
import { Type } from 'typebox';
import { Uuid } from '../../app/schema-helpers.ts';
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import { Job } from '../jobs/jobs.schemas.ts';
import { RecognizerSet, RecognizerUpdate, ScanAccept, ScanStart } from './discovery.schemas.ts';

const tags = ['discovery'];
const ResourceParams = Type.Object({ id: Uuid }, { additionalProperties: false });
const ScanParams = Type.Object({ id: Uuid, jobId: Uuid }, { additionalProperties: false });

export function discoveryRoutes(app: App, s: Services) {
  app.get(
    '/api/resources/:id/scans',
    { schema: { tags, summary: '敏感数据扫描记录与结果 Scans and their results', params: ResourceParams, response: { 200: Type.Array(Job) } } },
    async (req) => s.discovery.list(actorOf(req), req.params.id),
  );
  app.post(
    '/api/resources/:id/scans',
    {
      schema: {
        tags,
        summary: '扫描数据集中的敏感数据（后台任务）Scan the dataset (background job)',
        description: '在后台任务中扫描该资源已载入的数据，进度见 GET /api/jobs/{id}；可取消；服务重启后继续。',
        params: ResourceParams,
        body: ScanStart,
        response: { 202: Job },
      },
    },
    async (req, reply) => reply.status(202).send(await s.discovery.start(actorOf(req), req.params.id, req.body)),
  );
  app.post(
    '/api/resources/:id/scans/:jobId/accept',
    {
      schema: {
        tags,
        summary: '确认扫描结果（逐项）Accept a scan’s proposals field by field',
        description: '确认的个人信息标注作为分级流程的起点（仍需提交与审批）；updateInventory=true 时以扫描结果更新个人信息清单。',
        params: ScanParams,
        body: ScanAccept,
        response: { 200: Job },
      },
    },
    async (req) => s.discovery.accept(actorOf(req), req.params.id, req.params.jobId, req.body),
  );
  app.get('/api/discovery/recognizers', { schema: { tags, summary: '自定义识别规则 Custom recognizers', response: { 200: RecognizerSet } } }, async (req) =>
    s.discovery.recognizers(actorOf(req)),
  );
  app.put(
    '/api/discovery/recognizers',
    {
      schema: {
        tags,
        summary: '保存自定义识别规则（主管部门）Save custom recognizers (authority)',
        description: '正则 + 可选校验算法 + 列名提示；拒绝可能灾难性回溯的正则。所有扫描使用。',
        body: RecognizerUpdate,
        response: { 200: RecognizerSet },
      },
    },
    async (req) => s.discovery.saveRecognizers(actorOf(req), req.body),
  );
}
