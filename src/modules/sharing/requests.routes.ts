// Share requests and the approval chain (LIF-4; docs/sharing-contract.md "Requests and approvals").
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import { attachment } from './duties.routes.ts';
import {
  ASSOCIATION_REPORT_MAX_BYTES,
  EVIDENCE_MAX_BYTES,
  EvidenceAnswer,
  EvidenceAsk,
  EvidenceFileQuery,
  EvidenceParams,
  ShareDecision,
  ShareRequest,
  ShareRequestCreate,
  ShareRequestPage,
  ShareRequestParams,
  ShareRequestQuery,
} from './requests.schemas.ts';

const tags = ['sharing'];

export function shareRequestsRoutes(app: App, s: Services): void {
  app.post(
    '/api/share-requests',
    {
      schema: {
        tags,
        summary: '提交共享申请 Apply for a shared resource',
        description:
          '数据使用单位申请共享目录中的数据资源：字段、记录范围、用途与用途代码、法律依据、场景、方式、期限（≤3 年）、安全措施、责任承诺。审批链按共享属性与数据级别生成；不予共享数据须 requestException=true（主管部门例外审批在先）。提交时检查关联分析风险（LIF-8：与本单位已获授权或在审申请的资源存在共同直接标识或两项以上准标识符，或 association.intended=true 自行声明），命中时在提供单位之后增加主管部门“关联分析评估”环节，结果快照存于 association。',
        body: ShareRequestCreate,
        response: { 201: ShareRequest },
      },
    },
    async (req, reply) => reply.code(201).send(await s.shareRequests.create(actorOf(req), req.body)),
  );
  app.get(
    '/api/share-requests',
    {
      schema: {
        tags,
        summary: '共享申请列表 Share requests',
        description: '申请方或提供方在调用者共享读取范围内的申请；role=applicant|provider|approver 筛选本单位相关的申请，overdue=true 只列逾期环节。',
        querystring: ShareRequestQuery,
        response: { 200: ShareRequestPage },
      },
    },
    async (req) => s.shareRequests.list(actorOf(req), req.query),
  );
  app.get(
    '/api/share-requests/:id',
    { schema: { tags, summary: '共享申请详情 A share request', params: ShareRequestParams, response: { 200: ShareRequest } } },
    async (req) => s.shareRequests.get(actorOf(req), req.params.id),
  );
  app.post(
    '/api/share-requests/:id/decision',
    {
      // The association assessment may carry its report file in base64 (≤ 10 MB decoded, LIF-8).
      bodyLimit: Math.ceil(ASSOCIATION_REPORT_MAX_BYTES / 3) * 4 + 64 * 1024,
      schema: {
        tags,
        summary: '审批当前环节 Decide the open step',
        description:
          '提供单位环节：提供单位的数据管理员/单位管理员；主管部门环节、例外环节与关联分析评估环节：主管部门。驳回须填理由（422 REASON_REQUIRED）；例外批准须填法律依据 legalBasis。关联分析评估环节（LIF-8）须附 assessment：结论 acceptable / acceptable_with_measures（须写 measures，否则 422 MEASURES_REQUIRED）才能批准，not_acceptable 只能驳回（风险即驳回理由）；缺评估 422 ASSESSMENT_REQUIRED，结论与决定不符或非该环节 422 ASSESSMENT_CONFLICT；可附评估报告文件（base64，≤10 MB，保存 SM3）。同一人不能审批两个环节或本人的申请（403 SAME_PERSON）。最后一环批准后生成协议文本。',
        params: ShareRequestParams,
        body: ShareDecision,
        response: { 200: ShareRequest },
      },
    },
    async (req) => s.shareRequests.decide(actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/share-requests/:id/evidence',
    {
      schema: {
        tags,
        summary: '要求补充材料（提供单位）Ask the applicant for evidence',
        description: '申请进入“待补充材料”，审批时限照常计算。',
        params: ShareRequestParams,
        body: EvidenceAsk,
        response: { 200: ShareRequest },
      },
    },
    async (req) => s.shareRequests.askEvidence(actorOf(req), req.params.id, req.body.question),
  );
  app.post(
    '/api/share-requests/:id/evidence/:evidenceId/answer',
    {
      schema: {
        tags,
        summary: '答复补充材料（申请单位）Answer an evidence request',
        params: EvidenceParams,
        body: EvidenceAnswer,
        response: { 200: ShareRequest },
      },
    },
    async (req) => s.shareRequests.answerEvidence(actorOf(req), req.params.id, req.params.evidenceId, { text: req.body.answer }),
  );
  app.post(
    '/api/share-requests/:id/withdraw',
    { schema: { tags, summary: '撤回共享申请 Withdraw a share request', params: ShareRequestParams, response: { 200: ShareRequest } } },
    async (req) => s.shareRequests.withdraw(actorOf(req), req.params.id),
  );
  app.get(
    '/api/share-requests/:id/evidence/:evidenceId/file',
    {
      schema: {
        tags,
        summary: '下载补充材料文件 Download an evidence file',
        description: '申请单位答复补充材料时上传的文件，原样返回；x-content-sm3 为上传时记录的 SM3。可查看该申请者可下载。',
        params: EvidenceParams,
      },
    },
    async (req, reply) => {
      const file = await s.shareRequests.evidenceFile(actorOf(req), req.params.id, req.params.evidenceId);
      return attachment(reply.header('x-content-sm3', file.sm3), file.fileName, file.body);
    },
  );
  app.get(
    '/api/share-requests/:id/association-assessment/report',
    {
      schema: {
        tags,
        summary: '下载关联分析评估报告 Download the association-analysis assessment report (LIF-8)',
        description: '主管部门在关联分析评估环节记录的评估报告文件，原样返回；x-content-sm3 为记录时的 SM3。可查看该申请者可下载。',
        params: ShareRequestParams,
      },
    },
    async (req, reply) => {
      const file = await s.shareRequests.assessmentReport(actorOf(req), req.params.id);
      return attachment(reply.header('x-content-sm3', file.sm3), file.fileName, file.body);
    },
  );
  // The evidence file: the request body is the file itself (≤ 10 MB), its name in ?fileName=.
  app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: EVIDENCE_MAX_BYTES }, (_req, body, done) => done(null, body));
    scope.post(
      '/api/share-requests/:id/evidence/:evidenceId/answer-file',
      {
        bodyLimit: EVIDENCE_MAX_BYTES,
        schema: {
          tags,
          summary: '上传补充材料文件（申请单位）Upload an evidence file',
          description: '请求体为文件本身（≤10 MB），文件名放在 ?fileName=，可附 ?answer= 文字答复；保存文件及其 SM3。',
          params: EvidenceParams,
          querystring: EvidenceFileQuery,
          response: { 200: ShareRequest },
        },
      },
      async (req) => {
        const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        return s.shareRequests.answerEvidence(actorOf(req), req.params.id, req.params.evidenceId, {
          text: req.query.answer ?? null,
          file: { name: req.query.fileName, bytes },
        });
      },
    );
  });
}
