// Masking policies, masked previews, deliveries (test copies) and leak tracing (PRT-4, PRT-8, DG-15).

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { attachmentHeader } from '../../app/content-disposition.ts';
import { errorHandler } from '../../app/error-handler.ts';
import { badRequest } from '../../app/errors.ts';
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import { AnonymityRequest, AnonymityResult } from './anonymity.schemas.ts';
import { DATASET_UPLOAD_MAX_BYTES, FILE_BODY_TYPES } from './dataset-sources.ts';
import { DeliveryCreate, DeliveryInfo, TraceQuery, TraceReport } from './deliveries.schemas.ts';
import { DatasetPreview, MaskingUpdate, MaskingView, PreviewQuery } from './masking.schemas.ts';
import { ResourceIdParams } from './protection.schemas.ts';

const tags = ['protection'];

function traceErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const tooLarge = badRequest(
    'UPLOAD_TOO_LARGE',
    `文件超过 ${DATASET_UPLOAD_MAX_BYTES / 1024 / 1024} MB`,
    `The file exceeds ${DATASET_UPLOAD_MAX_BYTES / 1024 / 1024} MB`,
  );
  return errorHandler(error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? tooLarge : error, request, reply);
}

export function maskingRoutes(app: App, s: Services) {
  app.get(
    '/api/resources/:id/masking',
    { schema: { tags, summary: '脱敏规则（按场景）Masking policy per scenario', params: ResourceIdParams, response: { 200: MaskingView } } },
    async (req) => s.masking.view(actorOf(req), req.params.id),
  );
  app.put(
    '/api/resources/:id/masking',
    {
      schema: {
        tags,
        summary: '调整脱敏规则 Change the masking policy',
        description: 'targets：数据项 → 脱敏对象类型；rules：场景 → 数据项 → 规则（null 恢复缺省）。version 须为读取时的版本。',
        params: ResourceIdParams,
        body: MaskingUpdate,
        response: { 200: MaskingView },
      },
    },
    async (req) => s.masking.update(actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/resources/:id/dataset/preview',
    { schema: { tags, summary: '数据预览（已脱敏）Masked preview', params: ResourceIdParams, querystring: PreviewQuery, response: { 200: DatasetPreview } } },
    async (req) => s.deliveries.preview(actorOf(req), req.params.id, req.query.scenario ?? 'display', req.query.limit ?? 20),
  );
  app.post(
    '/api/resources/:id/anonymity',
    {
      schema: {
        tags,
        summary: 'k-匿名 / l-多样性检查与泛化方案（开放前）k-anonymity check and generalisation search',
        description: '对已载入的数据按所选准标识符检查 k-匿名（及 l-多样性），并给出达到目标的最小泛化方案。只返回统计结果，不含数据值。',
        params: ResourceIdParams,
        body: AnonymityRequest,
        response: { 200: AnonymityResult },
      },
    },
    async (req) => s.anonymity.check(actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/resources/:id/deliveries',
    { schema: { tags, summary: '数据交付记录与水印 Deliveries and their watermarks', params: ResourceIdParams, response: { 200: Type.Array(DeliveryInfo) } } },
    async (req) => s.deliveries.list(actorOf(req), req.params.id),
  );
  app.post(
    '/api/resources/:id/deliveries',
    {
      schema: {
        tags,
        summary: '生成脱敏、加水印的测试数据副本 Produce a masked, watermarked test copy',
        description: '响应体为文件本身；交付记录编号在响应头 x-delivery-id。',
        params: ResourceIdParams,
        body: DeliveryCreate,
      },
    },
    async (req, reply) => {
      const file = await s.deliveries.create(actorOf(req), req.params.id, req.body);
      return reply
        .type(file.contentType)
        .header('content-disposition', attachmentHeader(file.fileName, `delivery.${req.body.format}`))
        .header('x-delivery-id', file.delivery.id)
        .send(file.body);
    },
  );

  app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(FILE_BODY_TYPES, { parseAs: 'buffer', bodyLimit: DATASET_UPLOAD_MAX_BYTES }, (_req, body, done) => done(null, body));
    scope.post(
      '/api/trace',
      {
        bodyLimit: DATASET_UPLOAD_MAX_BYTES,
        errorHandler: traceErrors,
        schema: {
          tags,
          summary: '泄露溯源：判断文件来自哪次数据交付 Trace a leaked file to its delivery',
          description: '请求体为泄露的文件（CSV/XLSX/JSON Lines）。在调用者可查看的交付记录中判断来源，给出置信度；无法判断时如实说明。',
          querystring: TraceQuery,
          response: { 200: TraceReport },
        },
      },
      async (req) => {
        const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        return s.deliveries.trace(actorOf(req), { bytes, name: req.query.fileName ?? 'leak' });
      },
    );
  });
}
