// Deletion duties (LIF-10, DG-12): /api/deletion-duties…. The evidence upload takes the file itself as the
// body (any type, ≤ 10 MB) in an encapsulated plugin, so only that route accepts non-JSON bodies.

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { attachmentHeader } from '../../app/content-disposition.ts';
import { errorHandler } from '../../app/error-handler.ts';
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import {
  DeletionDutyDetail,
  DUTY_EVIDENCE_MAX_BYTES,
  DutyConfirm,
  DutyEvidenceQuery,
  DutyOpen,
  DutyPage,
  DutyParams,
  DutyQuery,
  DutyReopen,
} from './duties.schemas.ts';
import { evidenceTooLarge } from './duties.service.ts';

const tags = ['sharing'];

function uploadErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  return errorHandler(error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? evidenceTooLarge() : error, request, reply);
}

/** An evidence file as a download under its own (often Chinese) name. */
export function attachment(reply: FastifyReply, fileName: string, body: Buffer) {
  return reply.type('application/octet-stream').header('content-disposition', attachmentHeader(fileName)).send(body);
}

export function dutiesRoutes(app: App, s: Services) {
  app.get(
    '/api/deletion-duties',
    {
      schema: {
        tags,
        summary: '删除义务 Deletion duties',
        description:
          '数据使用单位（持有方）或数据提供单位在 sharing.read 范围内的删除义务；role=holder|provider，status，overdue=true 只看逾期（未确认且已过期限）。逾期的排在前面。',
        querystring: DutyQuery,
        response: { 200: DutyPage },
      },
    },
    async (req) => s.deletionDuties.list(actorOf(req), req.query),
  );
  app.post(
    '/api/deletion-duties',
    {
      schema: {
        tags,
        summary: '要求删除（数据提供单位）Open a deletion duty (provider)',
        description:
          '按《公共数据安全管理办法》第十二条的情形（case）要求数据使用单位删除共享数据；期限为 10 个工作日（设置 sharing.deadlines.deletion）。同一授权同一情形已有未完成的义务时 409 DUTY_EXISTS。',
        body: DutyOpen,
        response: { 201: DeletionDutyDetail },
      },
    },
    async (req, reply) => reply.code(201).send(await s.deletionDuties.open(actorOf(req), req.body)),
  );
  app.get(
    '/api/deletion-duties/:id',
    { schema: { tags, summary: '删除义务详情 A deletion duty', params: DutyParams, response: { 200: DeletionDutyDetail } } },
    async (req) => s.deletionDuties.get(actorOf(req), req.params.id),
  );
  app.post(
    '/api/deletion-duties/:id/confirm',
    {
      schema: {
        tags,
        summary: '确认删除（数据使用单位）Confirm the deletion (data user)',
        description:
          'outcome=deleted 已删除；outcome=processing_stopped 技术上难以删除、已停止除安全保护措施之外的处理，须填写 statement 说明原因（否则 422 STATEMENT_REQUIRED）。证明材料先经 …/evidence 上传。',
        params: DutyParams,
        body: DutyConfirm,
        response: { 200: DeletionDutyDetail },
      },
    },
    async (req) => s.deletionDuties.confirm(actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/deletion-duties/:id/accept',
    {
      schema: {
        tags,
        summary: '验收（数据提供单位）Accept the confirmation (provider)',
        params: DutyParams,
        response: { 200: DeletionDutyDetail },
      },
    },
    async (req) => s.deletionDuties.accept(actorOf(req), req.params.id),
  );
  app.post(
    '/api/deletion-duties/:id/reopen',
    {
      schema: {
        tags,
        summary: '退回重办（数据提供单位）Reopen (provider)',
        description: '不认可删除确认时退回，须说明理由；重新计算期限。',
        params: DutyParams,
        body: DutyReopen,
        response: { 200: DeletionDutyDetail },
      },
    },
    async (req) => s.deletionDuties.reopen(actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/deletion-duties/:id/evidence',
    { schema: { tags, summary: '下载删除证明材料 Download the evidence file', params: DutyParams } },
    async (req, reply) => {
      const file = await s.deletionDuties.evidence(actorOf(req), req.params.id);
      return attachment(reply.header('x-content-sm3', file.sm3), file.fileName, file.body);
    },
  );

  app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: DUTY_EVIDENCE_MAX_BYTES }, (_req, body, done) => done(null, body));
    scope.post(
      '/api/deletion-duties/:id/evidence',
      {
        bodyLimit: DUTY_EVIDENCE_MAX_BYTES,
        errorHandler: uploadErrors,
        schema: {
          tags,
          summary: '上传删除证明材料 Upload the evidence file',
          description: '请求体为文件本身（任意类型，最大 10 MB），fileName 为文件名；保存 SM3 摘要，双方均可下载。再次上传替换原文件。',
          params: DutyParams,
          querystring: DutyEvidenceQuery,
          response: { 200: DeletionDutyDetail },
        },
      },
      async (req) => {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        return s.deletionDuties.uploadEvidence(actorOf(req), req.params.id, { bytes: body, fileName: req.query.fileName ?? 'evidence' });
      },
    );
  });
}
