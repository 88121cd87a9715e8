// The authority's sharing overview: approval queue, overdue obligations, the city-wide sharing map.
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import { SharingMap, SharingOverdue, SharingQueue } from './overview.schemas.ts';

const tags = ['sharing'];

export function sharingOverviewRoutes(app: App, s: Services): void {
  app.get(
    '/api/sharing/queue',
    {
      schema: {
        tags,
        summary: '审批队列（主管部门）Approval queue (authority)',
        description: '本部门待审批的主管部门环节与例外环节，逾期的在前。',
        response: { 200: SharingQueue },
      },
    },
    async (req) => s.sharingOverview.queue(actorOf(req)),
  );
  app.get(
    '/api/sharing/overdue',
    {
      schema: {
        tags,
        summary: '逾期事项 Overdue steps, deletion duties and error reports',
        description: '共享读取范围内所有逾期的审批环节、删除义务与数据纠错，按逾期天数排序。',
        response: { 200: SharingOverdue },
      },
    },
    async (req) => s.sharingOverview.overdue(actorOf(req)),
  );
  app.get(
    '/api/sharing/map',
    {
      schema: {
        tags,
        summary: '共享地图 The sharing map',
        description: '范围内生效授权按（提供单位，使用单位）汇总：授权数、资源数、近 30 天经接口获取的记录数。',
        response: { 200: SharingMap },
      },
    },
    async (req) => s.sharingOverview.map(actorOf(req)),
  );
}
