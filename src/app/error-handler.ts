// Maps every error to { code, message, details?, requestId }. Bad input is always a 4xx that names the
// field; only our own faults are 500, and those never echo internals to the client.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type Lang } from './errors.ts';
import { pickLang } from './lang.ts';

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

const PART_ZH: Record<string, string> = { body: '请求体', querystring: '查询参数', params: '路径参数', headers: '请求头' };

function fieldOf(err: AjvError): string {
  // instancePath is a JSON pointer: '/profile/members/0/name' → 'profile.members.0.name'.
  const path = err.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
  if (err.keyword === 'required') return [path, String(err.params.missingProperty)].filter(Boolean).join('.');
  if (err.keyword === 'additionalProperties') return [path, String(err.params.additionalProperty)].filter(Boolean).join('.');
  return path;
}

function describe(err: AjvError, field: string, part: string, lang: Lang): string {
  const p = err.params;
  if (!field && err.keyword === 'type') {
    // The whole body (e.g. `null`, `[]`, a string) is not the object the route expects.
    return lang === 'zh'
      ? `${PART_ZH[part] ?? part}必须是 JSON ${p.type === 'object' ? '对象' : p.type}`
      : `The ${part === 'body' ? 'request body' : part} must be a JSON ${p.type}`;
  }
  const f = field || (lang === 'zh' ? '请求' : 'request');
  switch (err.keyword) {
    case 'nul':
      return lang === 'zh' ? `字段 ${f} 含有不允许的空字符（U+0000）` : `Field ${f} contains a NUL character (U+0000)`;
    case 'wellFormed':
      return lang === 'zh' ? `字段 ${f} 含有无效的 Unicode 字符（未配对的代理项）` : `Field ${f} contains invalid Unicode (an unpaired surrogate)`;
    case 'required':
      return lang === 'zh' ? `缺少必填字段 ${f}` : `Missing required field ${f}`;
    case 'additionalProperties':
      return lang === 'zh' ? `不允许的字段 ${f}` : `Unknown field ${f}`;
    case 'maxLength':
      return lang === 'zh' ? `字段 ${f} 超过最大长度 ${p.limit}` : `Field ${f} is longer than ${p.limit} characters`;
    case 'minLength':
      return lang === 'zh' ? `字段 ${f} 少于最小长度 ${p.limit}` : `Field ${f} is shorter than ${p.limit} characters`;
    case 'type':
      return lang === 'zh' ? `字段 ${f} 类型错误，应为 ${p.type}` : `Field ${f} must be of type ${p.type}`;
    case 'format':
      return lang === 'zh' ? `字段 ${f} 格式错误（${p.format}）` : `Field ${f} is not a valid ${p.format}`;
    case 'enum':
    case 'const':
    case 'anyOf':
      return lang === 'zh' ? `字段 ${f} 的取值不在允许范围内` : `Field ${f} has a value that is not allowed`;
    case 'maximum':
    case 'minimum':
    case 'exclusiveMaximum':
    case 'exclusiveMinimum':
      return lang === 'zh' ? `字段 ${f} 超出范围（${p.comparison} ${p.limit}）` : `Field ${f} is out of range (${p.comparison} ${p.limit})`;
    case 'maxItems':
      return lang === 'zh' ? `字段 ${f} 最多 ${p.limit} 项` : `Field ${f} has more than ${p.limit} items`;
    case 'minItems':
      return lang === 'zh' ? `字段 ${f} 至少 ${p.limit} 项` : `Field ${f} needs at least ${p.limit} items`;
    case 'pattern':
      return lang === 'zh' ? `字段 ${f} 格式错误` : `Field ${f} has an invalid format`;
    case 'uniqueItems':
      return lang === 'zh' ? `字段 ${f} 含重复项` : `Field ${f} has duplicate items`;
    default:
      return lang === 'zh' ? `字段 ${f} 无效` : `Field ${f} is invalid`;
  }
}

export function sendError(reply: FastifyReply, request: FastifyRequest, status: number, code: string, message: string, details?: Record<string, unknown>) {
  const body: Record<string, unknown> = { code, message, requestId: request.id };
  if (details) body.details = details;
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

export function errorHandler(error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply) {
  const lang = pickLang(request.headers['accept-language']);
  if (error instanceof AppError) {
    return sendError(reply, request, error.httpStatus, error.code, error.message_(lang), error.details);
  }
  const fe = error as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (fe.validation && fe.validation.length > 0) {
    const first = fe.validation[0] as AjvError;
    const field = fieldOf(first);
    const part = fe.validationContext ?? 'body';
    if (part === 'body' && request.body === undefined) {
      // No body at all (no Content-Type, nothing sent) on a route that needs one.
      return sendError(reply, request, 400, 'EMPTY_BODY', lang === 'zh' ? '请求体为空' : 'The request body is empty');
    }
    const message = describe(first, field, part, lang);
    return sendError(reply, request, 400, 'VALIDATION_FAILED', message, {
      field,
      in: part,
      inZh: PART_ZH[part] ?? part,
      rule: first.keyword,
      ...('limit' in first.params ? { limit: first.params.limit } : {}),
    });
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return sendError(reply, request, 400, 'MALFORMED_JSON', lang === 'zh' ? '请求体不是有效的 JSON' : 'The request body is not valid JSON');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendError(reply, request, 400, 'EMPTY_BODY', lang === 'zh' ? '请求体为空' : 'The request body is empty');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendError(reply, request, 415, 'UNSUPPORTED_MEDIA_TYPE', lang === 'zh' ? '不支持的请求内容类型' : 'Unsupported content type');
    case 'FST_ERR_BAD_URL':
      return sendError(reply, request, 400, 'MALFORMED_URL', lang === 'zh' ? '请求地址的编码无效' : 'The request URL is not validly encoded');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return sendError(reply, request, 414, 'URI_TOO_LONG', lang === 'zh' ? '请求路径中的参数过长' : 'A path parameter is too long');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendError(reply, request, 413, 'BODY_TOO_LARGE', lang === 'zh' ? '请求体过大' : 'The request body is too large');
  }
  if (error instanceof SyntaxError || fe.statusCode === 400) {
    return sendError(reply, request, 400, 'MALFORMED_REQUEST', lang === 'zh' ? '请求格式错误' : 'Malformed request');
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Framework and plugin refusals carry English messages only; zh-CN clients get a generic one.
    const status = fe.statusCode;
    return sendError(reply, request, status, fe.code ?? 'BAD_REQUEST', lang === 'zh' ? `请求无法处理（HTTP ${status}）` : fe.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendError(reply, request, 500, 'INTERNAL_ERROR', lang === 'zh' ? '服务器内部错误，请联系管理员' : 'Internal server error');
}

/**
 * Fastify's `frameworkErrors`: refusals raised before routing (a path that is not valid percent-encoding,
 * an over-long path segment) would otherwise get Fastify's own body without a request id. They skip the
 * route hooks, so the x-request-id header is set here too.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.header('x-request-id', request.id);
  return errorHandler(error, request, reply);
}
