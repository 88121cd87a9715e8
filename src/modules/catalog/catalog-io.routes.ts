// Catalog import and export (/api/catalog/import, /api/catalog/export; AST-4).
//
// The import takes the file itself as the request body (the web app sends the File; curl --data-binary).
// Its content-type parsers live in an encapsulated plugin, so only this route accepts spreadsheet and CSV
// bodies: every other route still answers 415 to them, and this one answers 415 to JSON. Which kind of
// file it is comes from its bytes, not the declared type: browsers label .csv as application/vnd.ms-excel
// on Windows machines with Excel, and as application/octet-stream elsewhere.

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { attachmentHeader } from '../../app/content-disposition.ts';
import { errorHandler } from '../../app/error-handler.ts';
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import { ExportQuery, ImportQuery, ImportResult } from './catalog-io.schemas.ts';
import { IMPORT_MAX_BYTES, importTooLarge } from './catalog-io.service.ts';

const tags = ['catalog'];

export const IMPORT_CONTENT_TYPES = [
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'text/csv',
  'application/csv',
  'application/vnd.ms-excel',
  'application/octet-stream',
];

/** The body limit's refusal says what the limit is and what to do, like the service's own size check. */
function importErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  return errorHandler(error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? importTooLarge() : error, request, reply);
}

export function catalogIoRoutes(app: App, s: Services) {
  app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(IMPORT_CONTENT_TYPES, { parseAs: 'buffer', bodyLimit: IMPORT_MAX_BYTES }, (_req, body, done) => done(null, body));
    scope.post(
      '/api/catalog/import',
      {
        bodyLimit: IMPORT_MAX_BYTES,
        errorHandler: importErrors,
        schema: {
          tags,
          summary: '导入数据资源目录 Import the catalog (XLSX or CSV body)',
          description:
            '请求体为文件本身（XLSX，或 UTF-8 / GB18030 编码的 CSV），最大 10 MB、50,000 行。先校验全部行，有任何错误返回 422 IMPORT_INVALID（details.errors 按工作表、行、列列出每处错误），不写入任何数据。dryRun=true 只校验。',
          querystring: ImportQuery,
          response: { 200: ImportResult },
        },
      },
      async (req) => {
        const body = req.body;
        return s.catalogIo.import(actorOf(req), Buffer.isBuffer(body) ? body : Buffer.alloc(0), {
          ...(req.query.institutionId ? { institutionId: req.query.institutionId } : {}),
          dryRun: req.query.dryRun ?? false,
          ...(req.query.fileName ? { fileName: req.query.fileName } : {}),
        });
      },
    );
  });

  app.get(
    '/api/catalog/export',
    {
      schema: {
        tags,
        summary: '导出数据资源目录 Export the catalog',
        description:
          '导出调用者可查阅的目录（本机构范围内的全部资源及已发布的共享资源）。xlsx：系统/数据资源/数据项三张工作表；csv：一张表加“类型”列，UTF-8 带 BOM；json：含 ID 与代码。xlsx 与 csv 的格式即导入格式。',
        querystring: ExportQuery,
      },
    },
    async (req, reply) => {
      const file = await s.catalogIo.export(actorOf(req), { format: req.query.format ?? 'xlsx', institutionId: req.query.institutionId ?? null });
      return reply.type(file.contentType).header('content-disposition', attachmentHeader(file.fileName)).send(file.body);
    },
  );
}
