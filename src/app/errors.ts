// One error type for the whole platform. The Fastify error handler (error-handler.ts) turns it into
// { code, message, details?, requestId } with the message in the request's language.
export type Lang = 'zh' | 'en';

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly httpStatus: number,
    readonly messageZh: string,
    readonly messageEn: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(messageEn);
    this.name = 'AppError';
  }

  message_(lang: Lang): string {
    return lang === 'en' ? this.messageEn : this.messageZh;
  }
}

export const badRequest = (code: string, zh: string, en: string, details?: Record<string, unknown>) => new AppError(code, 400, zh, en, details);

export const unauthorized = (code = 'UNAUTHENTICATED', zh = '请先登录', en = 'Authentication required') => new AppError(code, 401, zh, en);

export const forbidden = (zh = '没有执行此操作的权限', en = 'You are not allowed to do this', code = 'FORBIDDEN') => new AppError(code, 403, zh, en);

/** Out-of-scope and missing records look the same: 404, never a hint that the record exists. */
export const notFound = (what: { zh: string; en: string } = { zh: '记录', en: 'Record' }) =>
  new AppError('NOT_FOUND', 404, `${what.zh}不存在`, `${what.en} not found`);

export const conflict = (code: string, zh: string, en: string, details?: Record<string, unknown>) => new AppError(code, 409, zh, en, details);

/** A well-formed request that a business rule refuses (separation of duties, vendor privilege, …). */
export const ruleViolation = (code: string, zh: string, en: string, details?: Record<string, unknown>) => new AppError(code, 422, zh, en, details);
