import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import { AuditPage, AuditQuery } from './audit.schemas.ts';

export function auditRoutes(app: App, s: Services) {
  app.get(
    '/api/audit-events',
    { schema: { tags: ['audit'], summary: '审计日志 Audit events', querystring: AuditQuery, response: { 200: AuditPage } } },
    async (req) => s.audit.list(actorOf(req), req.query),
  );
}
