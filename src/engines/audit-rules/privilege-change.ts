// privilege_change (AUD-1, AUD-3, DG-28): each change of who may do what, or of the security settings:
// role assignments and removals, regulators' read grants, security-policy and alert-rule changes, key
// destruction. One alert per event.
import { institutionOf, label, who } from './common.ts';
import { matchesAction, type Params } from './params.ts';
import type { RuleDef } from './rule.ts';
import type { RaisedAlert } from './types.ts';

export const PRIVILEGE_ACTIONS = [
  'org.role.assign',
  'org.role.remove',
  'org.read_grant.create',
  'org.read_grant.delete',
  'settings.security_policy.update',
  'settings.data_pull_hosts.update',
  'protection.key.destroy',
  'audit.alert_rule.update',
] as const;

export const privilegeChange: RuleDef = {
  id: 'privilege_change',
  label: { zh: '权限与安全配置变更', en: 'Privilege and security changes' },
  description: {
    zh: '角色分配与撤销、查阅授权、安全策略与告警规则变更、密钥销毁',
    en: 'Role assignments and removals, read grants, security-policy and alert-rule changes, key destruction',
  },
  defaultSeverity: 'low',
  defaultEnabled: true,
  params: [{ name: 'actions', type: 'actions', default: PRIVILEGE_ACTIONS, label: { zh: '计为权限变更的操作', en: 'Actions counted as privilege changes' } }],
  lookbackMs: () => 0,
  actions: (p) => p.actions as string[],
  evaluate({ events, judged, actionLabel }, p: Params) {
    const actions = p.actions as string[];
    const out: RaisedAlert[] = [];
    for (const e of events) {
      if (!judged(e) || e.outcome !== 'success' || !matchesAction(actions, e.action)) continue;
      const l = label(e.action, actionLabel);
      const role = typeof e.details.role === 'string' ? e.details.role : null;
      const target = e.targetType ? `${e.targetType}${e.targetId ? ` ${e.targetId}` : ''}` : null;
      out.push({
        rule: 'privilege_change',
        dedupeKey: `privilege_change:${e.id}`,
        subjectUserId: e.actorUserId,
        subjectUsername: e.actorUsername,
        institutionId: institutionOf(e),
        eventIds: [e.id],
        firstEventAt: e.occurredAt,
        lastEventAt: e.occurredAt,
        position: e.position,
        summary: {
          zh: `${who(e)} 执行了权限或安全配置变更：${l.zh}${role ? `，角色 ${role}` : ''}${target ? `，对象 ${target}` : ''}`,
          en: `${who(e)} changed privileges or security settings: ${l.en}${role ? `, role ${role}` : ''}${target ? `, target ${target}` : ''}`,
        },
        details: { action: e.action, ...(role ? { role } : {}), targetType: e.targetType, targetId: e.targetId },
      });
    }
    return out;
  },
};
