import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import { DataPullHosts } from './data-pull-hosts.ts';
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
  // 数据汇聚白名单: the database servers a table pull may reach (same permissions as the security policy).
  app.get(
    '/api/settings/data-pull-hosts',
    {
      schema: {
        tags,
        summary: '数据汇聚白名单 Database servers table pulls may connect to',
        description: '未保存过时为空列表：所有数据库表汇聚都被拒绝。Never saved: an empty list, every table pull refused.',
        response: { 200: DataPullHosts },
      },
    },
    async (req) => s.settings.getDataPullHosts(actorOf(req)),
  );
  app.put(
    '/api/settings/data-pull-hosts',
    {
      schema: {
        tags,
        summary: '修改数据汇聚白名单 Change the table-pull allow-list',
        description:
          '每条为主机名（精确匹配，不区分大小写）、IP 地址或网段（CIDR），可带端口，最多 200 条；无效条目返回 400 VALIDATION_FAILED（details.field、details.entry）。Each entry a host name, an IP address or a CIDR range, optionally with a port; at most 200.',
        body: DataPullHosts,
        response: { 200: DataPullHosts },
      },
    },
    async (req) => s.settings.updateDataPullHosts(actorOf(req), req.body),
  );
}
