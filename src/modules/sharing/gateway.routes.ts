// The data-service gateway (docs/sharing-contract.md "Grants and the gateway"): called by the recipient's
// systems with a grant's client credential (`Authorization: Bearer sgw_…`), no session and no CSRF. The
// routes are public to the auth hook; the gateway authenticates every call itself.
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestInfo } from '../../app/auth-hook.ts';
import { attachmentHeader } from '../../app/content-disposition.ts';
import type { Services } from '../../app/services.ts';
import type { App } from '../../app/types.ts';
import { AggregateQuery, AggregateResult, BarePage, BareQuery, ExportQuery, GatewayParams, RecordsPage, RecordsQuery } from './gateway.schemas.ts';
import { type GatewayCall, RateLimited } from './gateway.service.ts';

const tags = ['data-services'];

const AUTH_NOTE =
  '请求头 `Authorization: Bearer sgw_<clientId>.<secret>`（授权的接口凭证）。拒绝均记入审计日志：401 INVALID_CLIENT、404 GRANT_NOT_FOUND、403 GRANT_REVOKED / GRANT_EXPIRED / GRANT_NOT_STARTED / PURPOSE_MISMATCH / FIELD_NOT_GRANTED / AGGREGATE_ONLY、422 FILTER_NOT_ALLOWED、429 RATE_LIMITED / VOLUME_EXCEEDED（带 Retry-After）；审计日志无法写入时 503 AUDIT_UNAVAILABLE，不返回数据。';

/** Whether the benchmark's bare endpoint is served (configuration, read when the routes are registered). */
export function benchBareEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SHUAN_BENCH_BARE === '1';
}

function callOf(req: FastifyRequest): GatewayCall {
  return { grantId: (req.params as { grantId: string }).grantId, authorization: req.headers.authorization, info: requestInfo(req) };
}

/** 429 answers tell when to come back. */
async function withRetryAfter<T>(reply: FastifyReply, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof RateLimited) reply.header('retry-after', String(err.retryAfter));
    throw err;
  }
}

export function gatewayRoutes(app: App, s: Services): void {
  app.get(
    '/api/data-services/:grantId/records',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: '数据服务：分页读取明细 Data service: a page of records',
        description: `按授权读取脱敏并加水印的明细行；purpose 必填；fields 逗号分隔（缺省为授权全部字段）；filter[字段]=值 仅限授权内且共享时不脱敏的字段；cursor 为上页 nextCursor；limit ≤ 1000；format=json|csv。${AUTH_NOTE}`,
        params: GatewayParams,
        querystring: RecordsQuery,
        response: { 200: RecordsPage },
      },
    },
    async (req, reply) =>
      withRetryAfter(reply, async () => {
        const { page, csv } = await s.gateway.records(callOf(req), req.query);
        if (csv) return reply.type('text/csv; charset=utf-8').send(csv as never);
        return page;
      }),
  );
  app.get(
    '/api/data-services/:grantId/export',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: '数据服务：批量导出 Data service: bulk export',
        description: `流式导出授权允许的全部行（脱敏、加水印），format=csv|jsonl；计入每日数据量，超出时 429 VOLUME_EXCEEDED 且不读取任何数据。${AUTH_NOTE}`,
        params: GatewayParams,
        querystring: ExportQuery,
      },
    },
    async (req, reply) =>
      withRetryAfter(reply, async () => {
        const out = await s.gateway.export(callOf(req), req.query);
        return reply
          .type(out.contentType)
          .header('content-disposition', attachmentHeader(out.fileName))
          .header('x-row-count', String(out.rows))
          .send(Readable.from(out.stream));
      }),
  );
  app.get(
    '/api/data-services/:grantId/aggregate',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: '数据服务：统计查询（可用不可见）Data service: aggregates (PRT-9)',
        description: `groupBy=字段,字段&metrics=count,sum:字段,avg:字段；分组键取共享脱敏后的值；小于最小分组规模的分组不返回，只报告被抑制的分组数。${AUTH_NOTE}`,
        params: GatewayParams,
        querystring: AggregateQuery,
        response: { 200: AggregateResult },
      },
    },
    async (req, reply) => withRetryAfter(reply, () => s.gateway.aggregate(callOf(req), req.query)),
  );
  if (benchBareEnabled()) {
    app.get(
      '/api/data-services/:grantId/bare',
      {
        config: { auth: 'public' },
        schema: {
          tags,
          summary: '性能基准对照端点（仅 SHUAN_BENCH_BARE=1 时存在）Benchmark anchor (only with SHUAN_BENCH_BARE=1)',
          description:
            '同一数据存储的同样行，解密后直接返回：无鉴权、无检查、无脱敏、无水印、无审计。仅供 `npm run bench -- gateway` 对照，切勿在生产环境开启。',
          params: GatewayParams,
          querystring: BareQuery,
          response: { 200: BarePage },
        },
      },
      async (req) => (await s.gateway.bare(req.params.grantId, req.query.limit ?? 100)) as { rows: Record<string, string | number | boolean | null>[] },
    );
  }
}
