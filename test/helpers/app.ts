// An app on a fresh test database with the demo city loaded, and logged-in clients for its accounts.
import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type RouteInfo } from '../../src/app/build-app.ts';
import type { Services } from '../../src/app/services.ts';
import type { App } from '../../src/app/types.ts';
import type { AuditLogOptions } from '../../src/modules/audit/audit.sealer.ts';
import { totpCode } from '../../src/modules/auth/totp.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/modules/org/demo-city.ts';
import { seedDemoCity } from '../../src/modules/org/demo-seed.ts';
import { Kek } from '../../src/modules/protection/kek.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export interface Client {
  username: string;
  cookie: string;
  csrf: string;
  userId: string;
  institutionId: string;
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

export interface TestApp {
  app: App;
  services: Services;
  routes: RouteInfo[];
  t: TestDatabase;
  /** Institution IDs of the demo city by name. */
  inst(name: string): Promise<string>;
  login(username: string, password?: string, totpSecret?: string | null): Promise<Client>;
  close(): Promise<void>;
}

// TOTP codes are single-use per time step: each demo login uses the next unused step for that account.
// Start at the current step, not the previous one: the server accepts ±1 step around ITS clock, so a code
// for the previous step is refused if a 30-second boundary passes before the request arrives.
const lastStep = new Map<string, number>();
async function freshCode(username: string, secret: string): Promise<string> {
  for (;;) {
    const now = Math.floor(Date.now() / 30_000);
    const prev = lastStep.get(username);
    const step = prev === undefined || prev < now ? now : prev + 1;
    if (step <= now + 1) {
      lastStep.set(username, step);
      return totpCode(secret, step * 30_000 + 1000);
    }
    // Both usable steps of this window are spent: wait for the next window.
    await new Promise((r) => setTimeout(r, (now + 1) * 30_000 - Date.now() + 50));
  }
}

export async function createTestApp(opts: { seed?: boolean; audit?: AuditLogOptions; kek?: Kek } = {}): Promise<TestApp> {
  const t = await createTestDatabase();
  if (opts.seed !== false) await seedDemoCity(t.db);
  const { app, services, routes } = await buildApp({ db: t.db, kek: opts.kek ?? Kek.generate(), audit: opts.audit });

  async function login(username: string, password = DEMO_PASSWORD, totpSecret: string | null = DEMO_TOTP_SECRET): Promise<Client> {
    const user = await t.db.selectFrom('users').select(['id', 'institution_id', 'totp_enabled_at']).where('username', '=', username).executeTakeFirstOrThrow();
    const body: Record<string, string> = { username, password };
    if (user.totp_enabled_at && totpSecret) body.totpCode = await freshCode(username, totpSecret);
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: body,
      remoteAddress: `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
    });
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
    const setCookie = res.cookies.find((c) => c.name === 'shuan_sid');
    if (!setCookie) throw new Error('no session cookie');
    const cookie = `shuan_sid=${setCookie.value}`;
    const csrf = res.json().csrfToken as string;
    return {
      username,
      cookie,
      csrf,
      userId: user.id,
      institutionId: user.institution_id,
      request: (method, url, payload, headers = {}) =>
        app.inject({
          method: method as 'GET',
          url,
          payload: payload as never,
          headers: { cookie, 'x-csrf-token': csrf, ...headers },
        }),
    };
  }

  return {
    app,
    services,
    routes,
    t,
    async inst(name) {
      const row = await t.db.selectFrom('institutions').select('id').where('name', '=', name).executeTakeFirstOrThrow();
      return row.id;
    },
    login,
    async close() {
      await app.close();
      await t.drop();
    },
  };
}
