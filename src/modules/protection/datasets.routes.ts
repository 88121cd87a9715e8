// The dataset store's routes (LIF-13): state and versions, uploads (the file is the body), pulls from a
// PostgreSQL or MySQL table. Uploads have their own content-type parsers in an encapsulated plugin, as the
// catalog import does: only this route takes CSV, XLSX or JSON Lines bodies.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorHandler } from '../../app/error-handler.ts';
import { badRequest } from '../../app/errors.ts';
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import { DATASET_UPLOAD_MAX_BYTES, FILE_BODY_TYPES, openLoadSource, openPinnedLoadSource } from './dataset-sources.ts';
import { DatasetInfo, DatasetPullBody, DatasetUploadQuery, DatasetVersion } from './datasets.schemas.ts';
import { ResourceIdParams } from './protection.schemas.ts';

const tags = ['protection'];

const uploadTooLarge = () =>
  badRequest(
    'UPLOAD_TOO_LARGE',
    `文件超过 ${DATASET_UPLOAD_MAX_BYTES / 1024 / 1024} MB，请用命令行 shuan dataset load 或从数据库表汇聚`,
    `The file exceeds ${DATASET_UPLOAD_MAX_BYTES / 1024 / 1024} MB; use \`shuan dataset load\` or a table pull`,
  );

function uploadErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  return errorHandler(error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? uploadTooLarge() : error, request, reply);
}

function parseMapping(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('VALIDATION_FAILED', 'mapping 应为 JSON 对象（列名 → 数据项名）', 'mapping must be a JSON object (column → field)', { field: 'mapping' });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw badRequest('VALIDATION_FAILED', 'mapping 应为 JSON 对象（列名 → 数据项名）', 'mapping must be a JSON object (column → field)', { field: 'mapping' });
  }
  return parsed as Record<string, string>;
}

export function datasetsRoutes(app: App, s: Services) {
  app.get(
    '/api/resources/:id/dataset',
    { schema: { tags, summary: '数据集状态与版本 Dataset state and versions', params: ResourceIdParams, response: { 200: DatasetInfo } } },
    async (req) => s.datasets.info(actorOf(req), req.params.id),
  );

  app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(FILE_BODY_TYPES, { parseAs: 'buffer', bodyLimit: DATASET_UPLOAD_MAX_BYTES }, (_req, body, done) => done(null, body));
    scope.post(
      '/api/resources/:id/dataset',
      {
        bodyLimit: DATASET_UPLOAD_MAX_BYTES,
        errorHandler: uploadErrors,
        schema: {
          tags,
          summary: '载入数据集（请求体为文件）Load the dataset from a file body',
          description:
            '请求体为 CSV/TSV（UTF-8 或 GB18030）、XLSX 或 JSON Lines 文件，最大 64 MB。列按名称对应数据项（或用 mapping）。mode：replace 整体替换、append 追加、upsert 按主键更新（需 keyField）。全部行校验通过才写入；有错误返回 422 DATASET_INVALID，按行、列列出，不含数据值。',
          params: ResourceIdParams,
          querystring: DatasetUploadQuery,
          response: { 200: DatasetVersion },
        },
      },
      async (req) => {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        if (body.length === 0) throw badRequest('EMPTY_FILE', '文件为空', 'The file is empty');
        const mapping = parseMapping(req.query.mapping);
        const name = req.query.fileName ?? 'upload';
        const source = await openLoadSource({ buffer: body, name }, name);
        try {
          return await s.datasets.load(actorOf(req), req.params.id, source, {
            mode: req.query.mode,
            keyField: req.query.keyField ?? null,
            dryRun: req.query.dryRun ?? false,
            ...(mapping ? { mapping } : {}),
          });
        } finally {
          await source.close();
        }
      },
    );
  });

  app.post(
    '/api/resources/:id/dataset/pull',
    {
      schema: {
        tags,
        summary: '从数据库表汇聚数据集 Load the dataset from a PostgreSQL or MySQL table',
        description:
          'url 为 postgres:// 或 mysql:// 连接串（口令仅用于连接，不保存、不记录），table 为表名（可含模式名）。其余同文件载入。数据库服务器须在数据汇聚白名单（GET /api/settings/data-pull-hosts）中，否则返回 422 PULL_HOST_NOT_ALLOWED，不发起连接。The database server must be on the table-pull allow-list, else 422 PULL_HOST_NOT_ALLOWED and no connection is made.',
        params: ResourceIdParams,
        body: DatasetPullBody,
        response: { 200: DatasetVersion },
      },
    },
    async (req) => {
      const { url, table, mode, keyField, dryRun, mapping } = req.body;
      if (!/^(postgres|postgresql|mysql|mariadb):\/\//i.test(url)) {
        throw badRequest('VALIDATION_FAILED', 'url 须为 postgres:// 或 mysql:// 连接串', 'url must be a postgres:// or mysql:// connection string', {
          field: 'url',
        });
      }
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        throw badRequest('VALIDATION_FAILED', 'url 不是有效的连接串', 'url is not a valid connection string', { field: 'url' });
      }
      target.searchParams.set('table', table);
      // 数据汇聚白名单: the server connects only to a database server on the allow-list, and to the address
      // that was checked (pinned); a refusal is audited and no connection is attempted.
      const { addresses } = await s.pullGuard.check(actorOf(req), req.params.id, target);
      // Recorded without credentials: scheme, host, database and table only.
      const name = `${target.protocol}//${target.host}${target.pathname}?table=${table}`;
      const source = await openPinnedLoadSource(target, name, addresses);
      try {
        return await s.datasets.load(actorOf(req), req.params.id, source, {
          mode,
          keyField: keyField ?? null,
          dryRun: dryRun ?? false,
          ...(mapping ? { mapping } : {}),
        });
      } finally {
        await source.close();
      }
    },
  );
}
