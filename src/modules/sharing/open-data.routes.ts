// Open data releases, authenticated side (LIF-7, HZ-26, GZ-17, ZZ-23): the provider proposes, checks and
// submits; the authority reviews; the provider refreshes or withdraws. docs/sharing-contract.md "Open data".
import { attachmentHeader } from '../../app/content-disposition.ts';
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import { Release, ReleaseCreate, ReleaseFileParams, ReleaseIdParams, ReleaseList, ReleaseNote, ReleaseQuery, ReleaseReview } from './open-data.schemas.ts';

const tags = ['sharing'];

export function openDataRoutes(app: App, s: Services): void {
  app.get(
    '/api/open-data/releases',
    { schema: { tags, summary: '数据开放申请列表 Open data releases', querystring: ReleaseQuery, response: { 200: ReleaseList } } },
    async (req) => s.openData.list(actorOf(req), req.query),
  );
  app.post(
    '/api/open-data/releases',
    { schema: { tags, summary: '提出数据开放（草稿）Propose an open data release', body: ReleaseCreate, response: { 201: Release } } },
    async (req, reply) => reply.status(201).send(await s.openData.create(actorOf(req), req.body)),
  );
  app.get(
    '/api/open-data/releases/:id',
    { schema: { tags, summary: '数据开放申请详情 An open data release', params: ReleaseIdParams, response: { 200: Release } } },
    async (req) => s.openData.get(actorOf(req), req.params.id),
  );
  app.post(
    '/api/open-data/releases/:id/check',
    {
      schema: {
        tags,
        summary: '开放前检查 Run the release checks',
        description: '（1）数据项级别允许开放；（2）开放场景脱敏后的数据经敏感数据识别不含个人信息；（3）准标识符满足 k 匿名。结果与理由保存在申请上。',
        params: ReleaseIdParams,
        response: { 200: Release },
      },
    },
    async (req) => s.openData.check(actorOf(req), req.params.id),
  );
  app.post(
    '/api/open-data/releases/:id/submit',
    { schema: { tags, summary: '提交开放审核 Submit for review', params: ReleaseIdParams, response: { 200: Release } } },
    async (req) => s.openData.submit(actorOf(req), req.params.id),
  );
  app.post(
    '/api/open-data/releases/:id/review',
    {
      schema: {
        tags,
        summary: '开放审核（GZ-17 确认）Review a release',
        description: '通过须确认不含国家秘密、个人信息、商业秘密（或第三方同意/重大公共利益并说明）；通过即生成快照文件并发布。',
        params: ReleaseIdParams,
        body: ReleaseReview,
        response: { 200: Release },
      },
    },
    async (req) => s.openData.review(actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/open-data/releases/:id/withdraw',
    { schema: { tags, summary: '撤回已开放的数据 Withdraw a published release', params: ReleaseIdParams, body: ReleaseNote, response: { 200: Release } } },
    async (req) => s.openData.withdraw(actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/open-data/releases/:id/refresh',
    {
      schema: {
        tags,
        summary: '更新开放数据（重新检查并生成新快照）Refresh a release',
        params: ReleaseIdParams,
        body: ReleaseNote,
        response: { 200: Release },
      },
    },
    async (req) => s.openData.refresh(actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/open-data/releases/:id/files/:fileId',
    {
      schema: {
        tags,
        summary: '下载某一版本的开放数据文件 Download a published snapshot',
        description: 'CSV（UTF-8，带 BOM）；响应头 x-file-sm3 为文件的 SM3。',
        params: ReleaseFileParams,
      },
    },
    async (req, reply) => {
      const file = await s.openData.file(actorOf(req), req.params.id, req.params.fileId);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachmentHeader(file.fileName, 'open-data.csv'))
        .header('x-file-sm3', file.sm3)
        .send(file.body);
    },
  );
}
