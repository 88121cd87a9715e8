// Data resource catalog (AST-4, AST-11, LIF-1): /api/resources, the controls query (CLS-5) and the PI
// inventory (AST-11, ORG-4).
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import {
  PiInventory,
  PiInventoryQuery,
  ResourceControls,
  ResourceCreate,
  ResourceDetail,
  ResourceIdParams,
  ResourcePage,
  ResourceQuery,
  ResourceUpdate,
} from './resources.schemas.ts';

const tags = ['catalog'];

export function resourcesRoutes(app: App, s: Services) {
  app.get(
    '/api/resources',
    { schema: { tags, summary: '数据资源目录检索 Catalog search', querystring: ResourceQuery, response: { 200: ResourcePage } } },
    async (req) => s.resources.list(actorOf(req), req.query),
  );
  app.post(
    '/api/resources',
    { schema: { tags, summary: '登记数据资源 Register a data resource', body: ResourceCreate, response: { 201: ResourceDetail } } },
    async (req, reply) => reply.status(201).send(await s.resources.create(actorOf(req), req.body)),
  );
  app.get(
    '/api/resources/:id',
    { schema: { tags, summary: '数据资源详情 Data resource', params: ResourceIdParams, response: { 200: ResourceDetail } } },
    async (req) => s.resources.get(actorOf(req), req.params.id),
  );
  app.patch(
    '/api/resources/:id',
    { schema: { tags, summary: '修改数据资源 Update a data resource', params: ResourceIdParams, body: ResourceUpdate, response: { 200: ResourceDetail } } },
    async (req) => s.resources.update(actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/resources/:id/controls',
    { schema: { tags, summary: '数据资源管控措施 Controls for a resource (CLS-5)', params: ResourceIdParams, response: { 200: ResourceControls } } },
    async (req) => s.resources.controlsFor(actorOf(req), req.params.id),
  );
  app.get(
    '/api/pi-inventory',
    { schema: { tags, summary: '个人信息清单 PI inventory (AST-11, ORG-4)', querystring: PiInventoryQuery, response: { 200: PiInventory } } },
    async (req) => s.resources.piInventory(actorOf(req), req.query),
  );
}
