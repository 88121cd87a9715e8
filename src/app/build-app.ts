// Assembles the Fastify app: security headers, cookies, validation, errors, authentication, the modules'
// routes, OpenAPI at /openapi.json with Swagger UI at /docs, and the web app's static files.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../db/database.ts';
import { uuidv7 } from '../db/ids.ts';
import { alertsRoutes } from '../modules/audit/alerts.routes.ts';
import { auditUnavailable, auditWrites } from '../modules/audit/audit.recorder.ts';
import { auditRoutes } from '../modules/audit/audit.routes.ts';
import type { AuditLogOptions } from '../modules/audit/audit.sealer.ts';
import { auditReportsRoutes } from '../modules/audit/reports.routes.ts';
import { authRoutes } from '../modules/auth/auth.routes.ts';
import { catalogRoutes } from '../modules/catalog/catalog.routes.ts';
import { discoveryRoutes } from '../modules/discovery/discovery.routes.ts';
import { jobsRoutes } from '../modules/jobs/jobs.routes.ts';
import { orgRoutes } from '../modules/org/org.routes.ts';
import type { Kek } from '../modules/protection/kek.ts';
import { protectionRoutes } from '../modules/protection/protection.routes.ts';
import { settingsRoutes } from '../modules/settings/settings.routes.ts';
import { sharingRoutes } from '../modules/sharing/sharing.routes.ts';
import { workdaysRoutes } from '../modules/workdays/workdays.routes.ts';
import { makeAuthHook } from './auth-hook.ts';
import { errorHandler, frameworkErrorHandler, sendError } from './error-handler.ts';
import { AppError } from './errors.ts';
import { pickLang } from './lang.ts';
import { ErrorBody } from './schema-helpers.ts';
import { createServices, type Services } from './services.ts';
import type { App } from './types.ts';
import { mergeObjectIntersections, validatorCompiler } from './validation.ts';

export interface BuildOptions {
  db: Db;
  /** The key-encryption key (never stored in the database): see modules/protection/kek.ts. */
  kek: Kek;
  logger?: FastifyServerOptions['logger'];
  /** Proxies whose X-Forwarded-* headers are believed: a hop count or a list of addresses/CIDRs. */
  trustProxy?: number | string[] | false;
  /** Folder of the built web app; served when it exists. */
  webDir?: string | null;
  /** The audit chain: checkpoint policy and the witness file outside the database (audit.sealer.ts). */
  audit?: AuditLogOptions;
}

export interface RouteInfo {
  method: string;
  url: string;
  auth: 'public' | 'user';
  allowRestricted: boolean;
}

export async function buildApp(opts: BuildOptions): Promise<{ app: App; services: Services; routes: RouteInfo[] }> {
  const app = Fastify({
    logger: opts.logger ?? false,
    // Fastify accepts a hop count at run time ("trust the nth hop") though its typing omits it.
    trustProxy: (opts.trustProxy || false) as boolean,
    bodyLimit: 1024 * 1024,
    // Always our own id: audit events cite it, so a client must not choose or repeat it.
    genReqId: () => uuidv7(),
    ajv: { customOptions: { removeAdditional: false } },
    // Path segments up to this length reach the route's params schema (a 37-character "id" is a 400
    // naming the field); longer ones, and undecodable URLs, get the error contract via frameworkErrors.
    routerOptions: { maxParamLength: 1024 },
    frameworkErrors: frameworkErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  app.setValidatorCompiler(validatorCompiler);
  // JSON only: a text/plain body to a JSON route is an unsupported media type (415), not a parse error.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(errorHandler);
  app.decorateRequest('authn', null);

  const routes: RouteInfo[] = [];
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const method of methods) {
      if (method === 'HEAD' || !r.url.startsWith('/api/')) continue;
      routes.push({ method, url: r.url, auth: r.config?.auth ?? 'user', allowRestricted: !!r.config?.allowRestricted });
    }
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd renders CSS-in-JS <style> tags; scripts stay 'self' only.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    frameguard: { action: 'deny' },
    hsts: false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: "数安 Shu'an API",
        description: '公共数据安全管理平台 API。错误统一返回 { code, message, details?, requestId }。',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'shuan_sid' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: ({ schema, url, route }) => {
      // Every route documents the shared error body for its 4xx answers.
      const s = { ...(schema ?? {}) } as Record<string, unknown>;
      // Request parts are documented as validated: intersections of closed objects merged (validation.ts).
      for (const part of ['body', 'querystring', 'params', 'headers']) if (s[part]) s[part] = mergeObjectIntersections(s[part]);
      const response = { ...((s.response as Record<string, unknown>) ?? {}) };
      response['4XX'] = ErrorBody;
      s.response = response;
      if (route.config?.auth === 'public') s.security = [];
      return { schema: s as never, url };
    },
  });
  // No staticCSP: the plugin's own policy replaces helmet's with a looser one (frame-ancestors 'self',
  // https: styles) that also has upgrade-insecure-requests, which breaks every asset of /docs when the
  // platform is served over plain HTTP (the reason helmet's policy above leaves it out). Swagger UI's
  // page loads only same-origin scripts and styles, so helmet's policy already allows it.
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const services = createServices(opts.db, opts.kek, { audit: opts.audit });
  // AUD-2: remember how many audit events this process had written when the request came in…
  const auditMarks = new WeakMap<object, number>();
  app.addHook('onRequest', async (request) => {
    auditMarks.set(request, auditWrites.count);
  });
  // Authenticate before the body is even parsed: an anonymous caller learns nothing from validation.
  app.addHook('onRequest', makeAuthHook(services));
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    // …and if events were written since, answer only once they are chained (acknowledged = durable and
    // chained). A log that cannot be chained fails the request closed: 503, and nothing of the payload leaves.
    if (auditWrites.count !== auditMarks.get(request)) {
      try {
        await services.auditLog.flush();
      } catch (err) {
        const e = err instanceof AppError ? err : auditUnavailable(err);
        reply.code(503).type('application/json; charset=utf-8');
        return JSON.stringify({ code: e.code, message: e.message_(pickLang(request.headers['accept-language'])), requestId: request.id });
      }
    }
    return payload;
  });
  app.addHook('onClose', async () => {
    await services.auditLog.stop();
  });

  app.get(
    '/api/health',
    {
      config: { auth: 'public' },
      schema: { tags: ['system'], summary: '健康检查', response: { 200: Type.Object({ status: Type.String(), database: Type.String() }) } },
    },
    async () => {
      await opts.db.selectFrom('institutions').select('id').limit(1).execute();
      return { status: 'ok', database: 'ok' };
    },
  );
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  authRoutes(app, services);
  orgRoutes(app, services);
  auditRoutes(app, services);
  alertsRoutes(app, services);
  auditReportsRoutes(app, services);
  settingsRoutes(app, services);
  workdaysRoutes(app, services);
  catalogRoutes(app, services);
  protectionRoutes(app, services);
  jobsRoutes(app, services);
  discoveryRoutes(app, services);
  sharingRoutes(app, services);

  const webDir = opts.webDir ?? null;
  const hasWeb = !!webDir && existsSync(join(webDir, 'index.html'));
  // wildcard: files are looked up per request, so a rebuilt web app is served without a restart.
  if (hasWeb) await app.register(fastifyStatic, { root: webDir as string, prefix: '/', wildcard: true, index: ['index.html'] });

  app.setNotFoundHandler((request, reply) => {
    const lang = pickLang(request.headers['accept-language']);
    if (hasWeb && request.method === 'GET' && !request.url.startsWith('/api/') && !request.url.startsWith('/docs')) {
      // Client-side routes of the single-page app.
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    return sendError(reply, request, 404, 'ROUTE_NOT_FOUND', lang === 'zh' ? '接口不存在' : 'No such endpoint');
  });

  await app.ready();
  return { app, services, routes };
}
