// Authentication for every request (PRT-1): a bearer API token or the session cookie; CSRF protection on
// state-changing cookie requests; restricted sessions (expired password, TOTP not enrolled) reach only
// the routes that fix that.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { API_TOKEN_PREFIX } from '../modules/auth/auth.service.ts';
import type { RequestInfo } from '../modules/org/actor.ts';
import { AppError, unauthorized } from './errors.ts';
import { pickLang } from './lang.ts';
import type { Services } from './services.ts';

export const SESSION_COOKIE = 'shuan_sid';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requestInfo(request: FastifyRequest): RequestInfo {
  return {
    ip: request.ip ?? null,
    requestId: String(request.id),
    lang: pickLang(request.headers['accept-language']),
    userAgent: request.headers['user-agent'] ?? null,
  };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function makeAuthHook(services: Services) {
  return async function authHook(request: FastifyRequest, _reply: FastifyReply) {
    request.authn = null;
    const config = request.routeOptions.config;
    // Only API routes authenticate; the web app's static files (the '/*' route) and /docs are public.
    if (!request.routeOptions.url?.startsWith('/api/')) return;
    if (config.auth === 'public') return;

    const info = requestInfo(request);
    const header = request.headers.authorization;
    if (header) {
      const [scheme, token] = header.split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !token?.startsWith(API_TOKEN_PREFIX)) {
        throw new AppError('INVALID_TOKEN', 401, 'Authorization 请求头格式错误', 'Malformed Authorization header');
      }
      request.authn = await services.auth.authenticateApiToken(token, info);
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie) throw unauthorized();
    const authn = await services.auth.authenticateSession(cookie, info);
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !authn.csrfToken || !sameSecret(sent, authn.csrfToken)) {
        throw new AppError('CSRF_FAILED', 403, '请求缺少有效的 CSRF 令牌，请刷新页面后重试', 'Missing or invalid CSRF token; reload the page');
      }
    }
    if (authn.restriction && !config.allowRestricted) {
      throw authn.restriction === 'password_change'
        ? new AppError(
            'PASSWORD_CHANGE_REQUIRED',
            403,
            '密码已过期或为初始密码，请先修改密码',
            'Your password has expired or was set by an administrator; change it first',
          )
        : new AppError(
            'TOTP_ENROLMENT_REQUIRED',
            403,
            '您的角色要求双因素认证，请先绑定动态验证码',
            'Your role requires two-factor authentication; enrol TOTP first',
          );
    }
    request.authn = authn;
  };
}
