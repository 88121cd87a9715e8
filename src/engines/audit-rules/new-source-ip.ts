// new_source_ip (AUD-3, 等保 身份鉴别): a privileged user (configurable roles) logs in successfully from an
// address not seen for them in the look-back (90 days). A user with no login at all in the look-back is
// establishing a baseline: no alert unless ignoreFirstLogin is off.
import { institutionOf } from './common.ts';
import type { Params } from './params.ts';
import type { RuleDef } from './rule.ts';
import type { RaisedAlert } from './types.ts';

export const PRIVILEGED_WATCH_ROLES = ['platform_admin', 'authority_admin', 'institution_admin', 'security_officer'] as const;
/** Every role code a rule may watch (org/roles.ts ROLES; repeated here so the engine imports no module). */
export const ROLE_CODES = [
  'platform_admin',
  'authority_admin',
  'authority_officer',
  'institution_admin',
  'security_officer',
  'data_steward',
  'data_user',
  'auditor',
  'vendor_operator',
] as const;

const DAY_MS = 86_400_000;

export const newSourceIp: RuleDef = {
  id: 'new_source_ip',
  label: { zh: '特权用户新来源地址登录', en: 'Privileged login from a new address' },
  description: {
    zh: '特权用户从近期未使用过的来源地址登录成功',
    en: 'A privileged user logged in from an address not seen for them recently',
  },
  defaultSeverity: 'medium',
  defaultEnabled: true,
  params: [
    { name: 'roles', type: 'choices', options: ROLE_CODES, default: PRIVILEGED_WATCH_ROLES, label: { zh: '关注的角色', en: 'Roles watched' } },
    { name: 'lookbackDays', type: 'integer', min: 1, max: 365, default: 90, label: { zh: '回溯天数', en: 'Look-back' }, unit: { zh: '天', en: 'days' } },
    {
      name: 'ignoreFirstLogin',
      type: 'boolean',
      default: true,
      label: { zh: '忽略回溯期内的首次登录', en: 'Ignore the first login in the look-back' },
      help: { zh: '回溯期内没有任何登录记录时不告警（建立基线）', en: 'No alert when the user has no login at all in the look-back (baseline)' },
    },
  ],
  // Its look-back is the login history the service passes in, not a window of the stream.
  lookbackMs: () => 0,
  actions: () => ['auth.login'],
  evaluate({ events, judged, facts }, p: Params) {
    const roles = p.roles as string[];
    const lookback = (p.lookbackDays as number) * DAY_MS;
    // Logins judged earlier in this run join the history of later ones.
    const seen = new Map<string, { eventId: string; ip: string | null; at: Date }[]>();
    const out: RaisedAlert[] = [];
    for (const e of events) {
      if (e.action !== 'auth.login' || e.outcome !== 'success' || !e.actorUserId) continue;
      const userId = e.actorUserId;
      let history = seen.get(userId);
      if (!history) {
        history = [...facts.loginHistory(userId)];
        seen.set(userId, history);
      }
      const from = e.occurredAt.getTime() - lookback;
      const prior = history.filter((h) => h.eventId !== e.id && h.at.getTime() >= from && h.at.getTime() <= e.occurredAt.getTime());
      history.push({ eventId: e.id, ip: e.ip, at: e.occurredAt });
      if (!judged(e) || !e.ip) continue;
      const held = facts.rolesOf(userId).filter((r) => roles.includes(r));
      if (held.length === 0) continue;
      if (prior.some((h) => h.ip === e.ip)) continue;
      if (prior.length === 0 && p.ignoreFirstLogin) continue;
      const known = [...new Set(prior.map((h) => h.ip).filter((x): x is string => !!x))].slice(0, 10);
      out.push({
        rule: 'new_source_ip',
        dedupeKey: `new_source_ip:${userId}:${e.ip}:${e.id}`,
        subjectUserId: userId,
        subjectUsername: e.actorUsername,
        institutionId: institutionOf(e),
        eventIds: [e.id],
        firstEventAt: e.occurredAt,
        lastEventAt: e.occurredAt,
        position: e.position,
        summary: {
          zh: `特权用户 ${e.actorUsername ?? userId}（${held.join('、')}）从新的来源地址 ${e.ip} 登录（近 ${p.lookbackDays} 天未使用过）`,
          en: `Privileged user ${e.actorUsername ?? userId} (${held.join(', ')}) logged in from a new address ${e.ip} (not seen in ${p.lookbackDays} days)`,
        },
        details: { ip: e.ip, roles: held, knownIps: known, lookbackDays: p.lookbackDays },
      });
    }
    return out;
  },
};
