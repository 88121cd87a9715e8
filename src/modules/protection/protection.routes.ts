// The protection module's routes (issue 5): a resource's data keys (PRT-5, FZ-12, LIF-11) and its dataset (LIF-13).
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import { Job } from '../jobs/jobs.schemas.ts';
import { datasetsRoutes } from './datasets.routes.ts';
import { maskingRoutes } from './masking.routes.ts';
import { KeyDestroyBody, ReencryptQuery, ReencryptResult, ResourceIdParams, ResourceKeys } from './protection.schemas.ts';

const tags = ['protection'];

export function protectionRoutes(app: App, s: Services) {
  datasetsRoutes(app, s);
  maskingRoutes(app, s);
  app.get(
    '/api/resources/:id/keys',
    { schema: { tags, summary: '数据密钥（版本与状态）Data keys', params: ResourceIdParams, response: { 200: ResourceKeys } } },
    async (req) => s.keys.list(actorOf(req), req.params.id),
  );
  app.post(
    '/api/resources/:id/keys/rotate',
    { schema: { tags, summary: '轮换数据密钥 Rotate the data key', params: ResourceIdParams, response: { 200: ResourceKeys } } },
    async (req) => s.keys.rotate(actorOf(req), req.params.id),
  );
  app.post(
    '/api/resources/:id/keys/reencrypt',
    {
      schema: {
        tags,
        summary: '用当前密钥重新加密旧版本密钥加密的数据 Re-encrypt rows under older key versions',
        description: '每次最多处理 maxRows 行（缺省 20,000），返回剩余行数；剩余为 0 时轮换完成。',
        params: ResourceIdParams,
        querystring: ReencryptQuery,
        response: { 200: ReencryptResult },
      },
    },
    async (req) => s.datasets.reencrypt(actorOf(req), req.params.id, { ...(req.query.maxRows ? { maxRows: req.query.maxRows } : {}) }),
  );
  app.post(
    '/api/resources/:id/keys/reencrypt-job',
    {
      schema: {
        tags,
        summary: '后台重新加密任务 Re-encrypt in a background job',
        description: '把旧版本密钥加密的数据全部改用当前密钥，作为后台任务运行：进度见 GET /api/jobs/{id}，可取消，服务重启后继续。',
        params: ResourceIdParams,
        response: { 202: Job },
      },
    },
    async (req, reply) => reply.status(202).send(await s.datasets.startReencryptJob(actorOf(req), req.params.id, s.jobs)),
  );
  app.post(
    '/api/resources/:id/keys/destroy',
    {
      schema: {
        tags,
        summary: '销毁数据密钥（数据不可恢复）Destroy the data keys (crypto-shredding)',
        params: ResourceIdParams,
        body: KeyDestroyBody,
        response: { 200: ResourceKeys },
      },
    },
    async (req) => s.keys.destroy(actorOf(req), req.params.id, req.body),
  );
}
