// The public open-data portal (LIF-7, HZ-26: open data through the platform's open catalog), no login:
// published releases only; downloads counted and limited per client address.

import { attachmentHeader } from '../../app/content-disposition.ts';
import { AppError } from '../../app/errors.ts';
import type { Services } from '../../app/services.ts';
import type { App } from '../../app/types.ts';
import { PublicQuery, PublicRelease, PublicReleaseList, ReleaseIdParams } from './open-data.schemas.ts';

const tags = ['open-data'];
const config = { auth: 'public' as const };

export function publicOpenDataRoutes(app: App, s: Services): void {
  app.get(
    '/api/public/open-data',
    { config, schema: { tags, summary: '开放数据目录（公开）Open data catalog', querystring: PublicQuery, response: { 200: PublicReleaseList } } },
    async (req) => s.openData.publicList(req.query),
  );
  app.get(
    '/api/public/open-data/:id',
    {
      config,
      schema: { tags, summary: '开放数据详情（公开）An open data set', params: ReleaseIdParams, response: { 200: PublicRelease } },
    },
    async (req) => s.openData.publicGet(req.params.id),
  );
  app.get(
    '/api/public/open-data/:id/download',
    {
      config,
      schema: {
        tags,
        summary: '下载开放数据（公开）Download an open data set',
        description: 'CSV（UTF-8，带 BOM）；响应头 x-file-sm3 为文件的 SM3，可与详情中的值核对。按来源地址限速（429 RATE_LIMITED）。',
        params: ReleaseIdParams,
      },
    },
    async (req, reply) => {
      try {
        const file = await s.openData.publicDownload(req.params.id, req.ip ?? null);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', attachmentHeader(file.fileName, 'open-data.csv'))
          .header('x-file-sm3', file.sm3)
          .send(file.body);
      } catch (err) {
        if (err instanceof AppError && err.code === 'RATE_LIMITED') reply.header('retry-after', String(err.details?.retryAfterSeconds ?? 60));
        throw err;
      }
    },
  );
}
