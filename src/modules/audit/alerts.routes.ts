// Alerts (AUD-3, PRT-10, LIF-6): the queue, an alert with its events, handling, and the rule settings.
import { Type } from 'typebox';
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import {
  AlertClose,
  AlertPage,
  AlertParams,
  AlertQuery,
  AlertRule,
  AlertRuleParams,
  AlertRuleTest,
  AlertRuleTestResult,
  AlertRuleUpdate,
  AuditAlert,
  AuditAlertDetail,
} from './alerts.schemas.ts';

const tags = ['audit'];

export function alertsRoutes(app: App, s: Services) {
  app.get(
    '/api/audit/alerts',
    {
      schema: {
        tags,
        summary: '告警队列 Alert queue',
        description: '审计读取范围内的告警；可按状态、级别、规则、机构、本人负责、是否超期、产生时间筛选。',
        querystring: AlertQuery,
        response: { 200: AlertPage },
      },
    },
    async (req) => s.alerts.list(actorOf(req), req.query),
  );
  app.get(
    '/api/audit/alerts/:id',
    { schema: { tags, summary: '告警详情及触发事件 An alert and its triggering events', params: AlertParams, response: { 200: AuditAlertDetail } } },
    async (req) => s.alerts.get(actorOf(req), req.params.id),
  );
  app.post(
    '/api/audit/alerts/:id/acknowledge',
    {
      schema: {
        tags,
        summary: '确认告警（安全管理员）Acknowledge an alert (security officer)',
        description: '待处置 → 处置中；状态不符为 409 ALERT_STATUS_CONFLICT。记入审计日志。',
        params: AlertParams,
        response: { 200: AuditAlert },
      },
    },
    async (req) => s.alerts.acknowledge(actorOf(req), req.params.id),
  );
  app.post(
    '/api/audit/alerts/:id/close',
    {
      schema: {
        tags,
        summary: '关闭告警（安全管理员）Close an alert (security officer)',
        description: '待处置或处置中 → 已关闭，须填写处置结果；两人同时关闭时只有一人成功（另一人 409）。记入审计日志。',
        params: AlertParams,
        body: AlertClose,
        response: { 200: AuditAlert },
      },
    },
    async (req) => s.alerts.close(actorOf(req), req.params.id, req.body),
  );
  app.get('/api/audit/alert-rules', { schema: { tags, summary: '告警规则设置 Alert rule settings', response: { 200: Type.Array(AlertRule) } } }, async (req) =>
    s.alerts.rules(actorOf(req)),
  );
  app.put(
    '/api/audit/alert-rules/:rule',
    {
      schema: {
        tags,
        summary: '修改告警规则（市级安全管理员）Change an alert rule (city-level security officer)',
        description: '启用/停用、级别与参数；参数逐项校验（400 RULE_PARAMS_INVALID 指明字段）。记入审计日志。',
        params: AlertRuleParams,
        body: AlertRuleUpdate,
        response: { 200: AlertRule },
      },
    },
    async (req) => s.alerts.updateRule(actorOf(req), req.params.rule, req.body),
  );
  app.post(
    '/api/audit/alert-rules/:rule/test',
    {
      schema: {
        tags,
        summary: '试运行告警规则 Dry-run an alert rule',
        description: '在已上链的事件上按时间范围（最长 31 天）试运行规则，返回将会产生的告警，不写入任何数据。',
        params: AlertRuleParams,
        body: AlertRuleTest,
        response: { 200: AlertRuleTestResult },
      },
    },
    async (req) => s.alerts.testRule(actorOf(req), req.params.rule, req.body),
  );
}
