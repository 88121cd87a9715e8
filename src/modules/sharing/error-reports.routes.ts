// Error reports (LIF-9, DG-11): /api/error-reports… for data users and providers, and the open-data portal's
// public report and tracking routes (no login; per-IP rate limit, 429 with Retry-After).
import type { FastifyReply } from 'fastify';
import { requestInfo } from '../../app/auth-hook.ts';
import { AppError } from '../../app/errors.ts';
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import {
  ErrorReport,
  PublicReportCreate,
  PublicReportReceipt,
  PublicReportStatus,
  ReportCreate,
  ReportPage,
  ReportParams,
  ReportQuery,
  ReportResolve,
  TrackingParams,
} from './error-reports.schemas.ts';

const tags = ['sharing'];

/** Passes a rate-limit refusal on with Retry-After. */
async function withRetryAfter<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AppError && err.httpStatus === 429 && typeof err.details?.retryAfterSeconds === 'number') {
      reply.header('retry-after', String(err.details.retryAfterSeconds));
    }
    throw err;
  }
}

export function errorReportsRoutes(app: App, s: Services) {
  app.get(
    '/api/error-reports',
    {
      schema: {
        tags,
        summary: '数据纠错 Error reports',
        description:
          'sharing.read 范围内报告方或数据提供单位的纠错报告；role=reporter|provider，status，source，overdue=true 只看逾期（收到后 15 个工作日未处理）。记录标识与联系方式仅对数据提供单位显示。',
        querystring: ReportQuery,
        response: { 200: ReportPage },
      },
    },
    async (req) => s.errorReports.list(actorOf(req), req.query),
  );
  app.post(
    '/api/error-reports',
    {
      schema: {
        tags,
        summary: '报告数据错误（数据使用单位）Report an error (data user)',
        description: '对可查阅的数据资源报告错误；数据提供单位须在 15 个工作日内核实（《公共数据安全管理办法》第十一条）。recordKey 加密保存。',
        body: ReportCreate,
        response: { 201: ErrorReport },
      },
    },
    async (req, reply) => reply.code(201).send(await s.errorReports.create(actorOf(req), req.body)),
  );
  app.get(
    '/api/error-reports/:id',
    { schema: { tags, summary: '纠错报告详情 An error report', params: ReportParams, response: { 200: ErrorReport } } },
    async (req) => s.errorReports.get(actorOf(req), req.params.id),
  );
  app.post(
    '/api/error-reports/:id/resolve',
    {
      schema: {
        tags,
        summary: '处理纠错（数据提供单位）Resolve an error report (provider)',
        description: 'outcome=corrected 已更正 / rejected 不予更正；resolution 必填（否则 422 REASON_REQUIRED）。已处理的报告 409 REPORT_CLOSED。',
        params: ReportParams,
        body: ReportResolve,
        response: { 200: ErrorReport },
      },
    },
    async (req) => s.errorReports.resolve(actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/public/error-reports',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: '公众报告开放数据错误 Report an error in open data (public)',
        description:
          '无需登录；每个 IP 有频率限制（超限 429 RATE_LIMITED，带 Retry-After）。返回查询码，凭查询码查看处理结果。联系方式加密保存，仅数据提供单位可见。',
        body: PublicReportCreate,
        response: { 201: PublicReportReceipt },
      },
    },
    async (req, reply) => {
      const receipt = await withRetryAfter(reply, () => s.errorReports.createPublic(requestInfo(req), req.body));
      return reply.code(201).send(receipt);
    },
  );
  app.get(
    '/api/public/error-reports/:trackingCode',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: '凭查询码查看纠错结果 Follow a public error report',
        params: TrackingParams,
        response: { 200: PublicReportStatus },
      },
    },
    async (req, reply) => withRetryAfter(reply, () => s.errorReports.track(requestInfo(req), req.params.trackingCode)),
  );
}
