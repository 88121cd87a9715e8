// Fastify typing shared by the app and every module's routes.
import type {} from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { Authenticated } from '../modules/auth/auth.service.ts';
import type { Actor } from '../modules/org/actor.ts';
import { unauthorized } from './errors.ts';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'public' routes need no login; everything else does. */
    auth?: 'public' | 'user';
    /** Reachable while the account must change its password or enrol TOTP. */
    allowRestricted?: boolean;
  }
  interface FastifyRequest {
    authn: Authenticated | null;
  }
}

/** The authenticated actor of a request (the auth hook has already refused anonymous calls). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.authn) throw unauthorized();
  return request.authn.actor;
}
