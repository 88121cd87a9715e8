// Audit reports (AUD-4, AUD-5) and the life-cycle trace (AUD-6): /api/audit/reports…, /api/audit/trace.

import type { FastifyReply } from 'fastify';
import { attachmentHeader } from '../../app/content-disposition.ts';
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import {
  AuditReport,
  ReportCreate,
  ReportIdParams,
  ReportQuery,
  StoredReport,
  StoredReportPage,
  StoredReportQuery,
  Trace,
  TraceQuery,
  VendorReviewCreate,
} from './reports.schemas.ts';
import type { ReportFile } from './reports.service.ts';

const tags = ['audit'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function sendFile(reply: FastifyReply, file: ReportFile) {
  return reply.type(XLSX).header('content-disposition', attachmentHeader(file.fileName, 'audit-report.xlsx')).send(file.body);
}

export function auditReportsRoutes(app: App, s: Services) {
  app.get(
    '/api/audit/reports/summary',
    {
      schema: {
        tags,
        summary: '审计报告（即时生成）Audit report, computed now',
        description:
          '机构（含下级；市级根机构即全市）在期间 [from, to) 内的审计报告：操作分类统计、特权操作、外包人员活动、告警处置、日志完整性校验。需 audit.read，机构须在本人审计范围内（否则 404）；期间不超过一年。',
        querystring: ReportQuery,
        response: { 200: AuditReport },
      },
    },
    async (req) => s.auditReports.summary(actorOf(req), req.query),
  );
  app.get(
    '/api/audit/reports/xlsx',
    {
      schema: {
        tags,
        summary: '导出审计报告（XLSX）Export the audit report (XLSX)',
        description: '每个部分一张工作表，中文表头，北京时间；文件名含机构与期间。导出本身记入审计日志。',
        querystring: ReportQuery,
      },
    },
    async (req, reply) => sendFile(reply, await s.auditReports.xlsx(actorOf(req), req.query)),
  );
  app.post(
    '/api/audit/reports',
    {
      schema: {
        tags,
        summary: '生成并存档审计报告 Generate and archive an audit report',
        description: '存档报告内容及 XLSX 文件（记录其 SM3 摘要），作为按期出具审计报告的证据（AUD-4）。记入审计日志。',
        body: ReportCreate,
        response: { 201: StoredReport },
      },
    },
    async (req, reply) => reply.status(201).send(await s.auditReports.create(actorOf(req), req.body)),
  );
  app.get(
    '/api/audit/reports',
    {
      schema: {
        tags,
        summary: '已存档的审计报告 Archived audit reports',
        querystring: StoredReportQuery,
        response: { 200: StoredReportPage },
      },
    },
    async (req) => s.auditReports.list(actorOf(req), req.query),
  );
  app.get(
    '/api/audit/reports/:id',
    {
      schema: { tags, summary: '存档的审计报告 An archived audit report', params: ReportIdParams, response: { 200: StoredReport } },
    },
    async (req) => s.auditReports.get(actorOf(req), req.params.id),
  );
  app.get(
    '/api/audit/reports/:id/xlsx',
    {
      schema: {
        tags,
        summary: '下载存档的审计报告文件 Download the archived report file',
        description: '返回存档时生成的 XLSX 原文件，其 SM3 与记录中的 xlsxSm3 一致。',
        params: ReportIdParams,
      },
    },
    async (req, reply) => sendFile(reply, await s.auditReports.file(actorOf(req), req.params.id)),
  );
  app.post(
    '/api/audit/reports/:id/vendor-review',
    {
      schema: {
        tags,
        summary: '登记外包人员活动审查结论 Record the vendor activity review (AUD-5)',
        description: '审计员对报告中外包人员活动的审查结论，每份报告一次（409 VENDOR_REVIEW_EXISTS）；“发现问题”须写明审查发现。记入审计日志。',
        params: ReportIdParams,
        body: VendorReviewCreate,
        response: { 201: StoredReport },
      },
    },
    async (req, reply) => reply.status(201).send(await s.auditReports.vendorReview(actorOf(req), req.params.id, req.body)),
  );
  app.get(
    '/api/audit/trace',
    {
      schema: {
        tags,
        summary: '全程追溯：数据资源或一条记录的全部审计事件 Life-cycle trace of a resource or a record',
        description:
          '按时间顺序列出触及该数据资源的全部审计事件（登记、识别、分级、载入、密钥、脱敏、交付、溯源、删除…）。给出 recordKey（主键值）时，另列出持有该记录的数据集版本与包含它的数据交付。需该资源所属机构的 audit.read。查询本身记入审计日志（不记录主键值）。主键值属于个人信息时请用 POST /api/audit/trace（请求行会进入访问日志）。',
        querystring: TraceQuery,
        response: { 200: Trace },
      },
    },
    async (req) => s.auditTrace.trace(actorOf(req), req.query),
  );
  app.post(
    '/api/audit/trace',
    {
      schema: {
        tags,
        summary: '全程追溯（请求体传主键值）Life-cycle trace, the record key in the body',
        description:
          '与 GET /api/audit/trace 相同，参数放在请求体中：主键值（如身份证号）属于个人信息，不应出现在请求行（会进入访问日志与浏览器历史）。网页端使用此接口。',
        body: TraceQuery,
        response: { 200: Trace },
      },
    },
    async (req) => s.auditTrace.trace(actorOf(req), req.body),
  );
}
