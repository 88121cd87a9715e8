import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { attachmentHeader } from '../../app/content-disposition.ts';
import { Page, Uuid } from '../../app/schema-helpers.ts';
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import { Job } from '../jobs/jobs.schemas.ts';
import { AuditPage, AuditQuery, CheckpointPage, EventProof, IntegrityRange, IntegrityReport, PublicKeys } from './audit.schemas.ts';

export function auditRoutes(app: App, s: Services) {
  app.get(
    '/api/audit-events',
    { schema: { tags: ['audit'], summary: '审计日志 Audit events', querystring: AuditQuery, response: { 200: AuditPage } } },
    async (req) => s.audit.list(actorOf(req), req.query),
  );
  app.get(
    '/api/audit-events/:id/proof',
    {
      schema: {
        tags: ['audit'],
        summary: '事件存证：链位置、哈希与签名检查点 Event proof',
        params: Type.Object({ id: Uuid }),
        response: { 200: EventProof },
      },
    },
    async (req) => s.auditIntegrity.proof(actorOf(req), req.params.id),
  );
  // AUD-2: verification of the chain (SM3 links, MACs, SM2-signed checkpoints, witness, completeness).
  app.get(
    '/api/audit/integrity',
    { schema: { tags: ['audit'], summary: '校验审计日志完整性 Verify the audit chain', querystring: IntegrityRange, response: { 200: IntegrityReport } } },
    async (req) => s.auditIntegrity.verify(actorOf(req), req.query),
  );
  // AUD-2 (issue 6): the same verification as a background job, with progress (events checked / in range) and
  // cancellation through GET /api/jobs/:id and POST /api/jobs/:id/cancel; the report is the job's result.
  app.post(
    '/api/audit/integrity/jobs',
    {
      schema: {
        tags: ['audit'],
        summary: '在后台任务中校验审计日志完整性 Verify the audit chain in a background job',
        description:
          '与 GET /api/audit/integrity 相同的校验，在后台任务中运行：进度（已校验事件数 / 范围内事件数）见 GET /api/jobs/{id}，可取消（POST /api/jobs/{id}/cancel），结果（校验报告）在任务的 result 中。同一时间只运行一个校验任务：已有任务排队或运行时返回 409 AUDIT_VERIFY_RUNNING，details.jobId 为该任务。需 audit.read。',
        body: IntegrityRange,
        response: { 202: Job },
      },
    },
    async (req, reply) => reply.status(202).send(await s.auditIntegrity.startVerifyJob(actorOf(req), req.body ?? {}, s.jobs)),
  );
  app.get(
    '/api/audit/integrity/checkpoints',
    { schema: { tags: ['audit'], summary: '签名检查点 Signed checkpoints', querystring: Page, response: { 200: CheckpointPage } } },
    async (req) => s.auditIntegrity.checkpoints(actorOf(req), req.query),
  );
  app.get(
    '/api/audit/integrity/public-key',
    { schema: { tags: ['audit'], summary: '审计签名公钥及指纹 Signing public keys', response: { 200: PublicKeys } } },
    async (req) => s.auditIntegrity.publicKey(actorOf(req)),
  );
  app.get(
    '/api/audit/integrity/export',
    {
      schema: {
        tags: ['audit'],
        summary: '导出可离线校验的审计日志包 Export a verifiable bundle (JSON Lines)',
        description:
          '一行一条记录：首行说明，其后为签名公钥、检查点（JSON 对象），事件行为 `E <哈希> <规范编码数组>`，末行为结束行。用 `shuan audit verify-bundle` 离线校验。',
        querystring: IntegrityRange,
      },
    },
    async (req, reply) => {
      const bundle = await s.auditIntegrity.exportFor(actorOf(req), req.query);
      const name = `shuan-audit-${bundle.first ?? 0}-${bundle.last ?? 0}.jsonl`;
      return reply.type('application/x-ndjson; charset=utf-8').header('content-disposition', attachmentHeader(name)).send(Readable.from(bundle.lines));
    },
  );
}
