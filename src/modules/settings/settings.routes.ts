import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import { SecurityPolicy } from './security-policy.ts';

export function settingsRoutes(app: App, s: Services) {
  const tags = ['settings'];
  app.get('/api/settings/security-policy', { schema: { tags, summary: '安全策略 Security policy', response: { 200: SecurityPolicy } } }, async (req) =>
    s.settings.getSecurityPolicy(actorOf(req)),
  );
  app.put(
    '/api/settings/security-policy',
    { schema: { tags, summary: '修改安全策略', body: SecurityPolicy, response: { 200: SecurityPolicy } } },
    async (req) => s.settings.updateSecurityPolicy(actorOf(req), req.body),
  );
}
