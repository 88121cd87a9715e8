// vendor_graded_data (AUD-5, PRT-3, DG-21): a person holding the vendor_operator role touching a graded data
// resource: the event's target is a data resource (or details.resourceId names one) whose current approved
// level is at or above the configured level. One alert per person, resource and Beijing day.
import { LEVEL_INFO, type Level } from '../grading/levels.ts';
import { beijingDate, institutionOf, label, stringIn, who } from './common.ts';
import type { Params } from './params.ts';
import { MAX_ALERT_EVENTS, type RuleDef } from './rule.ts';
import type { RaisedAlert, StreamEvent } from './types.ts';

export const VENDOR_ROLE = 'vendor_operator';

/** The data resource an event touches, if any. */
export function resourceOf(e: StreamEvent): string | null {
  if (e.targetType === 'data_resource' && e.targetId) return e.targetId;
  return stringIn(e.details, 'resourceId') ?? null;
}

export const vendorGradedData: RuleDef = {
  id: 'vendor_graded_data',
  label: { zh: '外包人员接触分级数据', en: 'Vendor staff touching graded data' },
  description: {
    zh: '担任外包运维角色的人员操作了定级达到设定级别及以上的数据资源',
    en: 'A person holding the vendor operator role acted on a data resource graded at or above the set level',
  },
  defaultSeverity: 'high',
  defaultEnabled: true,
  params: [{ name: 'minLevel', type: 'level', default: 'general-3', label: { zh: '最低级别', en: 'From level' } }],
  lookbackMs: () => 0,
  actions: () => null,
  evaluate({ events, judged, facts, actionLabel }, p: Params) {
    const min = LEVEL_INFO[p.minLevel as Level].rank;
    const groups = new Map<string, { events: StreamEvent[]; resourceId: string; level: Level }>();
    for (const e of events) {
      if (!judged(e) || e.outcome !== 'success' || !e.actorUserId) continue;
      const resourceId = resourceOf(e);
      if (!resourceId) continue;
      const level = facts.resourceLevel(resourceId) as Level | null;
      if (!level || !LEVEL_INFO[level] || LEVEL_INFO[level].rank < min) continue;
      if (!facts.rolesOf(e.actorUserId).includes(VENDOR_ROLE)) continue;
      const key = `vendor_graded_data:${e.actorUserId}:${resourceId}:${beijingDate(e.occurredAt)}`;
      const g = groups.get(key);
      if (g) g.events.push(e);
      else groups.set(key, { events: [e], resourceId, level });
    }
    const out: RaisedAlert[] = [];
    for (const [key, g] of groups) {
      const e = g.events[0] as StreamEvent;
      const last = g.events[g.events.length - 1] as StreamEvent;
      const l = label(e.action, actionLabel);
      const lv = LEVEL_INFO[g.level];
      out.push({
        rule: 'vendor_graded_data',
        dedupeKey: key,
        subjectUserId: e.actorUserId,
        subjectUsername: e.actorUsername,
        institutionId: institutionOf(e),
        eventIds: g.events.slice(0, MAX_ALERT_EVENTS).map((x) => x.id),
        firstEventAt: e.occurredAt,
        lastEventAt: last.occurredAt,
        position: e.position,
        summary: {
          zh: `外包运维人员 ${who(e)} 操作了${lv.zh}数据资源 ${g.resourceId}：${l.zh}${g.events.length > 1 ? `（当日共 ${g.events.length} 次）` : ''}`,
          en: `Vendor operator ${who(e)} acted on a ${lv.en} resource ${g.resourceId}: ${l.en}${g.events.length > 1 ? ` (${g.events.length} times that day)` : ''}`,
        },
        details: {
          resourceId: g.resourceId,
          level: g.level,
          minLevel: p.minLevel,
          count: g.events.length,
          actions: [...new Set(g.events.map((x) => x.action))],
        },
      });
    }
    return out;
  },
};
