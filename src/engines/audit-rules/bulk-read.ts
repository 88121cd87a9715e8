// bulk_read (PRT-10, LIF-6): rows read by one user, or through one sharing grant (details.grantId), within
// a window above max(minRows, factor × the subject's baseline), the baseline being its mean rows per window
// over the past 30 days (looked up by the service). Raised when a read pushes the window's sum over the
// threshold; continued reading above it raises nothing more until the sum has dropped back below.
import { institutionOf, label, numberIn, span, stringIn, who } from './common.ts';
import { matchesAction, type Params } from './params.ts';
import { MAX_ALERT_EVENTS, type RuleDef } from './rule.ts';
import type { RaisedAlert, StreamEvent } from './types.ts';
import { Windows } from './window.ts';

export const BULK_READ_ACTIONS = ['protection.dataset.preview', 'protection.delivery.create', 'sharing.gateway.read', 'sharing.gateway.export'] as const;

/** Days the baseline is taken over. */
export const BASELINE_DAYS = 30;

export const bulkRead: RuleDef = {
  id: 'bulk_read',
  label: { zh: '批量读取超出基线', en: 'Bulk reads above baseline' },
  description: {
    zh: '同一用户（或同一共享授权）在时间窗内读取的数据行数超过 max(最小行数, 倍数 × 其近 30 天每窗口平均行数)',
    en: 'Rows read by one user (or one sharing grant) within the window above max(minimum rows, factor × its mean rows per window over the past 30 days)',
  },
  defaultSeverity: 'high',
  defaultEnabled: true,
  params: [
    { name: 'windowMinutes', type: 'integer', min: 1, max: 1440, default: 60, label: { zh: '时间窗', en: 'Window' }, unit: { zh: '分钟', en: 'min' } },
    {
      name: 'minRows',
      type: 'integer',
      min: 1,
      max: 1_000_000_000,
      default: 10_000,
      label: { zh: '最小行数', en: 'Minimum rows' },
      unit: { zh: '行', en: 'rows' },
    },
    { name: 'factor', type: 'number', min: 1, max: 1000, default: 5, label: { zh: '基线倍数', en: 'Factor over baseline' } },
    {
      name: 'actions',
      type: 'actions',
      default: BULK_READ_ACTIONS,
      label: { zh: '计为读取的操作', en: 'Actions counted as reads' },
      help: { zh: '带有数值型 details.rows 的事件', en: 'Events carrying a numeric details.rows' },
    },
  ],
  lookbackMs: (p) => (p.windowMinutes as number) * 60_000,
  actions: (p) => p.actions as string[],
  evaluate({ events, judged, facts, actionLabel }, p: Params) {
    const windowMinutes = p.windowMinutes as number;
    const actions = p.actions as string[];
    const windows = new Windows(windowMinutes * 60_000);
    const out: RaisedAlert[] = [];
    for (const e of events) {
      if (!matchesAction(actions, e.action) || e.outcome !== 'success') continue;
      const rows = numberIn(e.details, 'rows');
      if (rows === undefined) continue;
      const subjects: { key: string; kind: 'user' | 'grant'; id: string }[] = [];
      if (e.actorUserId) subjects.push({ key: `user:${e.actorUserId}`, kind: 'user', id: e.actorUserId });
      const grantId = stringIn(e.details, 'grantId');
      if (grantId) subjects.push({ key: `grant:${grantId}`, kind: 'grant', id: grantId });
      let raised = false;
      for (const s of subjects) {
        const w = windows.get(s.key);
        const { sum, count } = w.add(e, rows);
        if (raised || !judged(e)) continue;
        const baseline = facts.baseline(s.key);
        const threshold = Math.max(p.minRows as number, (p.factor as number) * baseline);
        // The read that pushed the window's sum over the threshold.
        if (!(sum > threshold && sum - rows <= threshold)) continue;
        raised = true;
        const inWindow = w.entries(MAX_ALERT_EVENTS).map((x) => x.e) as StreamEvent[];
        const { first, last } = span(inWindow);
        const name = s.kind === 'user' ? who(e) : s.id;
        const b = Math.round(baseline);
        out.push({
          rule: 'bulk_read',
          dedupeKey: `bulk_read:${s.kind}:${s.id}:${e.id}`,
          subjectUserId: e.actorUserId,
          subjectUsername: e.actorUsername,
          institutionId: institutionOf(e),
          eventIds: inWindow.map((x) => x.id),
          firstEventAt: first,
          lastEventAt: last,
          position: e.position,
          summary:
            s.kind === 'user'
              ? {
                  zh: `用户 ${name} 在 ${windowMinutes} 分钟内读取 ${sum} 行数据，超过阈值 ${threshold} 行（基线 ${b} 行/窗口；最后一次：${label(e.action, actionLabel).zh}）`,
                  en: `User ${name} read ${sum} rows within ${windowMinutes} min, above the threshold of ${threshold} (baseline ${b} per window; last: ${label(e.action, actionLabel).en})`,
                }
              : {
                  zh: `共享授权 ${name} 在 ${windowMinutes} 分钟内被读取 ${sum} 行数据，超过阈值 ${threshold} 行（基线 ${b} 行/窗口）`,
                  en: `Sharing grant ${name} read ${sum} rows within ${windowMinutes} min, above the threshold of ${threshold} (baseline ${b} per window)`,
                },
          details: { subject: s.kind, subjectId: s.id, rows: sum, reads: count, threshold, baseline, windowMinutes, ...(grantId ? { grantId } : {}) },
        });
      }
    }
    return out;
  },
};
