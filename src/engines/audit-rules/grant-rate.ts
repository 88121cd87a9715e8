// grant_rate (LIF-6, HZ-25): a data-service grant called beyond its agreed rate: gateway events carrying
// details.grantId and details.ratePerMinute, more calls in one minute (a sliding 60 seconds) than the rate.
// Raised by the first call over the rate; calls continuing above it raise nothing more until the count has
// dropped back to the rate.
import { institutionOf, numberIn, span, stringIn } from './common.ts';
import { matchesAction, type Params } from './params.ts';
import { MAX_ALERT_EVENTS, type RuleDef } from './rule.ts';
import type { RaisedAlert, StreamEvent } from './types.ts';
import { Windows } from './window.ts';

export const GRANT_RATE_ACTIONS = ['sharing.gateway.read', 'sharing.gateway.export'] as const;

export const grantRate: RuleDef = {
  id: 'grant_rate',
  label: { zh: '数据服务超频调用', en: 'Data service called beyond its rate' },
  description: {
    zh: '同一共享授权在 1 分钟内的调用次数超过约定的频率（details.ratePerMinute）',
    en: 'Calls through one sharing grant within a minute exceed its agreed rate (details.ratePerMinute)',
  },
  defaultSeverity: 'high',
  defaultEnabled: true,
  params: [{ name: 'actions', type: 'actions', default: GRANT_RATE_ACTIONS, label: { zh: '计为调用的操作', en: 'Actions counted as calls' } }],
  lookbackMs: () => 60_000,
  actions: (p) => p.actions as string[],
  evaluate({ events, judged }, p: Params) {
    const actions = p.actions as string[];
    const windows = new Windows(60_000);
    const out: RaisedAlert[] = [];
    for (const e of events) {
      if (!matchesAction(actions, e.action)) continue;
      const grantId = stringIn(e.details, 'grantId');
      const rate = numberIn(e.details, 'ratePerMinute');
      if (!grantId || rate === undefined) continue;
      const w = windows.get(grantId);
      const { count } = w.add(e);
      if (!judged(e)) continue;
      // The call that took the count over the rate.
      if (!(count > rate && count - 1 <= rate)) continue;
      const inWindow = w.entries(MAX_ALERT_EVENTS).map((x) => x.e) as StreamEvent[];
      const { first, last } = span(inWindow);
      out.push({
        rule: 'grant_rate',
        dedupeKey: `grant_rate:${grantId}:${e.id}`,
        subjectUserId: e.actorUserId,
        subjectUsername: e.actorUsername,
        institutionId: institutionOf(e),
        eventIds: inWindow.map((x) => x.id),
        firstEventAt: first,
        lastEventAt: last,
        position: e.position,
        summary: {
          zh: `共享授权 ${grantId} 在 1 分钟内被调用 ${count} 次，超过约定频率 ${rate} 次/分钟${e.actorUsername ? `（调用者 ${e.actorUsername}）` : ''}`,
          en: `Sharing grant ${grantId} was called ${count} times within a minute, above its rate of ${rate} per minute${e.actorUsername ? ` (caller ${e.actorUsername})` : ''}`,
        },
        details: { grantId, calls: count, ratePerMinute: rate },
      });
    }
    return out;
  },
};
