// off_hours (PRT-10, HZ-25): data access or privileged actions outside working time: on a day that is not
// a Chinese working day (State Council schedule, 调休 included) or outside the working hours, Beijing time.
// One alert per person and Beijing day (the day's first such event raises it; later ones in the same run
// are listed with it).
import { beijingClock, beijingDate, beijingMinuteOfDay, institutionOf, label, who } from './common.ts';
import { matchesAction, type ParamError, type Params, parseTime } from './params.ts';
import { MAX_ALERT_EVENTS, type RuleDef } from './rule.ts';
import type { RaisedAlert, StreamEvent } from './types.ts';

export const OFF_HOURS_ACTIONS = [
  'protection.dataset.preview',
  'protection.delivery.create',
  'protection.dataset.load',
  'sharing.gateway.read',
  'sharing.gateway.export',
  'catalog.export',
  'protection.trace',
  'protection.key.destroy',
  'protection.key.rotate',
  'org.role.assign',
  'org.role.remove',
  'org.read_grant.create',
  'org.read_grant.delete',
  'org.user.reset_password',
  'settings.security_policy.update',
  'settings.data_pull_hosts.update',
  'audit.alert_rule.update',
] as const;

/** Why a moment is outside working time; null when inside. `calendarKnown` false: the year had no schedule (weekdays assumed). */
export function offHoursReason(
  at: Date,
  start: number,
  end: number,
  isWorkday: (date: string) => boolean | null,
): { reason: 'rest_day' | 'outside_hours'; date: string; clock: string; calendarKnown: boolean } | null {
  const date = beijingDate(at);
  const known = isWorkday(date);
  // A year without a schedule: Monday–Friday are taken as working days (noted in the alert).
  const workday = known ?? ![0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
  const clock = beijingClock(at);
  if (!workday) return { reason: 'rest_day', date, clock, calendarKnown: known !== null };
  const m = beijingMinuteOfDay(at);
  if (m < start || m >= end) return { reason: 'outside_hours', date, clock, calendarKnown: known !== null };
  return null;
}

export const offHours: RuleDef = {
  id: 'off_hours',
  label: { zh: '非工作时间访问', en: 'Access outside working hours' },
  description: {
    zh: '在非工作日（按国务院节假日及调休安排）或工作时间以外（北京时间）访问数据或进行特权操作',
    en: 'Data access or privileged actions on a non-working day (State Council schedule) or outside working hours (Beijing time)',
  },
  defaultSeverity: 'medium',
  defaultEnabled: true,
  params: [
    { name: 'workStart', type: 'time', default: '08:00', label: { zh: '上班时间', en: 'Working hours start' } },
    { name: 'workEnd', type: 'time', default: '19:00', label: { zh: '下班时间', en: 'Working hours end' } },
    { name: 'actions', type: 'actions', default: OFF_HOURS_ACTIONS, label: { zh: '数据访问及特权操作', en: 'Data access and privileged actions' } },
  ],
  refine(p: Params): ParamError[] {
    const s = parseTime(p.workStart) as number;
    const e = parseTime(p.workEnd) as number;
    return s < e ? [] : [{ field: 'params.workEnd', code: 'OUT_OF_RANGE', message: 'must be after workStart', messageZh: '下班时间应晚于上班时间' }];
  },
  lookbackMs: () => 0,
  actions: (p) => p.actions as string[],
  evaluate({ events, judged, facts, actionLabel }, p: Params) {
    const start = parseTime(p.workStart) as number;
    const end = parseTime(p.workEnd) as number;
    const actions = p.actions as string[];
    const groups = new Map<string, { events: StreamEvent[]; reason: NonNullable<ReturnType<typeof offHoursReason>> }>();
    for (const e of events) {
      if (!judged(e) || e.outcome !== 'success' || !(e.actorUserId || e.actorUsername) || !matchesAction(actions, e.action)) continue;
      const reason = offHoursReason(e.occurredAt, start, end, facts.isWorkday);
      if (!reason) continue;
      const key = `off_hours:${e.actorUserId ?? e.actorUsername}:${reason.date}`;
      const g = groups.get(key);
      if (g) g.events.push(e);
      else groups.set(key, { events: [e], reason });
    }
    const out: RaisedAlert[] = [];
    for (const [key, g] of groups) {
      const e = g.events[0] as StreamEvent;
      const last = g.events[g.events.length - 1] as StreamEvent;
      const l = label(e.action, actionLabel);
      const why =
        g.reason.reason === 'rest_day'
          ? { zh: `${g.reason.date} 为非工作日`, en: `${g.reason.date} is not a working day` }
          : {
              zh: `${g.reason.date} ${g.reason.clock} 在工作时间（${p.workStart}–${p.workEnd}）以外`,
              en: `${g.reason.date} ${g.reason.clock} is outside working hours (${p.workStart}–${p.workEnd})`,
            };
      out.push({
        rule: 'off_hours',
        dedupeKey: key,
        subjectUserId: e.actorUserId,
        subjectUsername: e.actorUsername,
        institutionId: institutionOf(e),
        eventIds: g.events.slice(0, MAX_ALERT_EVENTS).map((x) => x.id),
        firstEventAt: e.occurredAt,
        lastEventAt: last.occurredAt,
        position: e.position,
        summary: {
          zh: `${who(e)} 在非工作时间操作：${l.zh}（${why.zh}${g.events.length > 1 ? `；当日共 ${g.events.length} 次` : ''}）`,
          en: `${who(e)} acted outside working time: ${l.en} (${why.en}${g.events.length > 1 ? `; ${g.events.length} times that day` : ''})`,
        },
        details: {
          reason: g.reason.reason,
          date: g.reason.date,
          time: g.reason.clock,
          workStart: p.workStart,
          workEnd: p.workEnd,
          count: g.events.length,
          actions: [...new Set(g.events.map((x) => x.action))],
          ...(g.reason.calendarKnown ? {} : { calendarKnown: false }),
        },
      });
    }
    return out;
  },
};
