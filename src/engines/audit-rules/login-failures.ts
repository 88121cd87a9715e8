// login_failures (AUD-3, 等保 身份鉴别): at least N failed logins ('auth.login', outcome failure) for one
// username or from one address within M minutes. Raised by the N-th failure in the window; when the account
// and the address cross together, one alert (by account) names both.
import { institutionOf, span } from './common.ts';
import type { Params } from './params.ts';
import { MAX_ALERT_EVENTS, type RuleDef } from './rule.ts';
import type { RaisedAlert, StreamEvent } from './types.ts';
import { Windows } from './window.ts';

export const loginFailures: RuleDef = {
  id: 'login_failures',
  label: { zh: '连续登录失败', en: 'Repeated login failures' },
  description: {
    zh: '同一账号或同一来源地址在时间窗内登录失败达到次数',
    en: 'Failed logins for one username or from one address within the window reach the threshold',
  },
  defaultSeverity: 'medium',
  defaultEnabled: true,
  params: [
    { name: 'threshold', type: 'integer', min: 2, max: 1000, default: 5, label: { zh: '失败次数', en: 'Failures' }, unit: { zh: '次', en: 'times' } },
    { name: 'windowMinutes', type: 'integer', min: 1, max: 1440, default: 10, label: { zh: '时间窗', en: 'Window' }, unit: { zh: '分钟', en: 'min' } },
    { name: 'byUsername', type: 'boolean', default: true, label: { zh: '按账号统计', en: 'Per username' } },
    { name: 'byIp', type: 'boolean', default: true, label: { zh: '按来源地址统计', en: 'Per source address' } },
  ],
  lookbackMs: (p) => (p.windowMinutes as number) * 60_000,
  actions: () => ['auth.login'],
  evaluate({ events, judged }, p: Params) {
    const n = p.threshold as number;
    const minutes = p.windowMinutes as number;
    const byUser = new Windows(minutes * 60_000);
    const byIp = new Windows(minutes * 60_000);
    const out: RaisedAlert[] = [];
    for (const e of events) {
      if (e.action !== 'auth.login' || e.outcome !== 'failure') continue;
      const username = e.actorUsername?.trim().toLowerCase() || null;
      const subjects: { kind: 'username' | 'ip'; value: string; w: ReturnType<Windows['get']> }[] = [];
      if (p.byUsername && username) subjects.push({ kind: 'username', value: username, w: byUser.get(username) });
      if (p.byIp && e.ip) subjects.push({ kind: 'ip', value: e.ip, w: byIp.get(e.ip) });
      let raised = false;
      for (const s of subjects) {
        const { count } = s.w.add(e);
        if (raised || !judged(e) || count !== n) continue;
        raised = true;
        const inWindow = s.w.entries(MAX_ALERT_EVENTS).map((x) => x.e) as StreamEvent[];
        const { first, last } = span(inWindow);
        const ips = [...new Set(inWindow.map((x) => x.ip).filter((x): x is string => !!x))];
        const names = [...new Set(inWindow.map((x) => x.actorUsername).filter((x): x is string => !!x))];
        out.push({
          rule: 'login_failures',
          dedupeKey: `login_failures:${s.kind}:${s.value}:${e.id}`,
          subjectUserId: s.kind === 'username' ? e.actorUserId : null,
          subjectUsername: s.kind === 'username' ? (e.actorUsername ?? username) : null,
          institutionId: institutionOf(e),
          eventIds: inWindow.map((x) => x.id),
          firstEventAt: first,
          lastEventAt: last,
          position: e.position,
          summary:
            s.kind === 'username'
              ? {
                  zh: `账号 ${e.actorUsername ?? username} 在 ${minutes} 分钟内登录失败 ${n} 次（来源地址：${ips.join('、') || '未知'}）`,
                  en: `Account ${e.actorUsername ?? username} failed to log in ${n} times within ${minutes} min (from ${ips.join(', ') || 'unknown'})`,
                }
              : {
                  zh: `来源地址 ${s.value} 在 ${minutes} 分钟内登录失败 ${n} 次（账号：${names.join('、') || '未知'}）`,
                  en: `Address ${s.value} failed to log in ${n} times within ${minutes} min (accounts: ${names.join(', ') || 'unknown'})`,
                },
          details: { subject: s.kind, value: s.value, failures: n, windowMinutes: minutes, ips, usernames: names },
        });
      }
    }
    return out;
  },
};
