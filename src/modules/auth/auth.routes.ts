// Login, logout and the user's own security settings (/api/auth/*, /api/me/*).
import { Type } from 'typebox';
import { requestInfo, SESSION_COOKIE } from '../../app/auth-hook.ts';
import { Ok, Uuid } from '../../app/schema-helpers.ts';
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import {
  ActiveSession,
  ApiToken,
  ApiTokenCreate,
  ApiTokenCreated,
  LoginBody,
  PasswordChange,
  SessionInfo,
  TotpConfirm,
  TotpDisable,
  TotpSetup,
} from './auth.schemas.ts';

const tags = ['auth'];
const restricted = { allowRestricted: true };

export function authRoutes(app: App, s: Services) {
  app.post(
    '/api/auth/login',
    { config: { auth: 'public' }, schema: { tags, summary: '登录 Log in', body: LoginBody, response: { 200: SessionInfo } } },
    async (request, reply) => {
      const result = await s.auth.login(requestInfo(request), request.body);
      reply.setCookie(SESSION_COOKIE, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        expires: result.expiresAt,
      });
      const authn = await s.auth.authenticateSession(result.token, requestInfo(request));
      return { user: await s.auth.me(authn.actor), csrfToken: result.csrfToken, expiresAt: result.expiresAt.toISOString() };
    },
  );

  app.post('/api/auth/logout', { config: restricted, schema: { tags, summary: '退出登录 Log out', response: { 200: Ok } } }, async (request, reply) => {
    await s.auth.logout(actorOf(request));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/me', { config: restricted, schema: { tags, summary: '当前用户 Current user', response: { 200: SessionInfo } } }, async (request) => {
    const actor = actorOf(request);
    return {
      user: await s.auth.me(actor),
      csrfToken: request.authn?.csrfToken ?? '',
      expiresAt: (request.authn?.expiresAt ?? new Date()).toISOString(),
    };
  });

  app.post(
    '/api/me/password',
    { config: restricted, schema: { tags, summary: '修改密码 Change password', body: PasswordChange, response: { 200: Ok } } },
    async (request) => {
      await s.auth.changePassword(actorOf(request), request.body);
      return { ok: true };
    },
  );

  app.post('/api/me/totp/setup', { config: restricted, schema: { tags, summary: '开始绑定 TOTP', response: { 200: TotpSetup } } }, async (request) =>
    s.auth.totpSetup(actorOf(request)),
  );

  app.post(
    '/api/me/totp/confirm',
    { config: restricted, schema: { tags, summary: '确认绑定 TOTP', body: TotpConfirm, response: { 200: Ok } } },
    async (request) => {
      await s.auth.totpConfirm(actorOf(request), request.body.code);
      return { ok: true };
    },
  );

  app.post('/api/me/totp/disable', { schema: { tags, summary: '解绑 TOTP', body: TotpDisable, response: { 200: Ok } } }, async (request) => {
    await s.auth.totpDisable(actorOf(request), request.body.password, request.body.code);
    return { ok: true };
  });

  app.get('/api/me/sessions', { schema: { tags, summary: '我的会话 My sessions', response: { 200: Type.Array(ActiveSession) } } }, async (request) =>
    s.auth.listSessions(actorOf(request)),
  );

  app.delete(
    '/api/me/sessions/:id',
    {
      schema: {
        tags,
        summary: '结束会话 End a session',
        params: Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{16}$' }) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      await s.auth.revokeSession(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.get('/api/me/tokens', { schema: { tags, summary: 'API 令牌列表', response: { 200: Type.Array(ApiToken) } } }, async (request) =>
    s.auth.listTokens(actorOf(request)),
  );

  app.post(
    '/api/me/tokens',
    { schema: { tags, summary: '创建 API 令牌', body: ApiTokenCreate, response: { 201: ApiTokenCreated } } },
    async (request, reply) => {
      const created = await s.auth.createToken(actorOf(request), request.body);
      return reply.status(201).send(created);
    },
  );

  app.delete(
    '/api/me/tokens/:id',
    { schema: { tags, summary: '撤销 API 令牌', params: Type.Object({ id: Uuid }, { additionalProperties: false }) } },
    async (request, reply) => {
      await s.auth.revokeToken(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
}
