import { describe, expect, it } from 'vitest';
import {
  actionGroup,
  aggregateActivity,
  aggregateVendor,
  alertStats,
  beijingDateTime,
  beijingDay,
  isOverdue,
  periodDays,
  periodProblem,
  privilegeKind,
} from './report.ts';

describe('activity by type', () => {
  it('groups by the first segment of the action code and splits every count by outcome', () => {
    const a = aggregateActivity([
      { action: 'auth.login', outcome: 'success', count: 5 },
      { action: 'auth.login', outcome: 'failure', count: 2 },
      { action: 'auth.logout', outcome: 'success', count: 4 },
      { action: 'org.role.assign', outcome: 'denied', count: 1 },
      { action: 'org.role.assign', outcome: 'success', count: 1 },
      { action: 'weird', outcome: 'success', count: 3 },
      { action: 'auth.login', outcome: 'success', count: 0 },
    ]);
    expect(a.totals).toEqual({ total: 16, success: 13, failure: 2, denied: 1 });
    expect(a.groups.map((g) => g.group)).toEqual(['auth', 'weird', 'org']);
    const auth = a.groups[0];
    expect(auth?.counts).toEqual({ total: 11, success: 9, failure: 2, denied: 0 });
    expect(auth?.actions).toEqual([
      { action: 'auth.login', counts: { total: 7, success: 5, failure: 2, denied: 0 } },
      { action: 'auth.logout', counts: { total: 4, success: 4, failure: 0, denied: 0 } },
    ]);
    expect(a.groups[2]?.actions[0]?.counts).toEqual({ total: 2, success: 1, failure: 0, denied: 1 });
    expect(actionGroup('protection.key.destroy')).toBe('protection');
    expect(actionGroup('nodots')).toBe('nodots');
  });

  it('is empty for no rows', () => {
    expect(aggregateActivity([])).toEqual({ totals: { total: 0, success: 0, failure: 0, denied: 0 }, groups: [] });
  });
});

describe('privileged operations', () => {
  it('classifies role, permission, account, configuration and key operations; ordinary work is not privileged', () => {
    expect(privilegeKind('org.role.assign')).toBe('role');
    expect(privilegeKind('org.read_grant.create')).toBe('permission');
    expect(privilegeKind('auth.api_token.create')).toBe('permission');
    expect(privilegeKind('org.user.reset_password')).toBe('account');
    expect(privilegeKind('settings.security_policy.update')).toBe('settings');
    expect(privilegeKind('settings.anything_new')).toBe('settings');
    expect(privilegeKind('protection.key.destroy')).toBe('key');
    expect(privilegeKind('protection.key.rotate')).toBe('key');
    expect(privilegeKind('protection.masking.update')).toBe('settings');
    for (const a of ['auth.login', 'catalog.resource.create', 'protection.dataset.load', 'protection.delivery.create', 'audit.report.create']) {
      expect(privilegeKind(a), a).toBeNull();
    }
  });
});

describe('vendor activity', () => {
  it('lists every vendor person, by user and action, including those who did nothing', () => {
    const v = aggregateVendor(
      [
        { userId: 'u1', username: 'vendor.a', displayName: 'A', institutions: ['psb'] },
        { userId: 'u2', username: 'vendor.b', displayName: 'B', institutions: ['psb'] },
        { userId: 'u3', username: 'vendor.c', displayName: 'C', institutions: ['psb'] },
      ],
      [
        { userId: 'u2', action: 'auth.login', outcome: 'success', count: 3 },
        { userId: 'u2', action: 'catalog.resource.update', outcome: 'denied', count: 1 },
        { userId: 'u1', action: 'auth.login', outcome: 'failure', count: 1 },
        { userId: 'stranger', action: 'auth.login', outcome: 'success', count: 9 },
      ],
    );
    expect(v.totals).toEqual({ total: 5, success: 3, failure: 1, denied: 1 });
    expect(v.users.map((u) => [u.username, u.counts.total])).toEqual([
      ['vendor.b', 4],
      ['vendor.a', 1],
      ['vendor.c', 0],
    ]);
    expect(v.users[0]?.actions).toEqual([
      { action: 'auth.login', counts: { total: 3, success: 3, failure: 0, denied: 0 } },
      { action: 'catalog.resource.update', counts: { total: 1, success: 0, failure: 0, denied: 1 } },
    ]);
    expect(v.users[2]?.actions).toEqual([]);
  });
});

describe('alerts and their handling', () => {
  const t = (h: number) => new Date(Date.UTC(2026, 0, 5, 0) + h * 3_600_000);
  const rows = [
    // closed in time after 2 h (acknowledged after 1 h)
    { rule: 'bulk_read', severity: 'high', status: 'closed', createdAt: t(0), dueAt: t(24), acknowledgedAt: t(1), closedAt: t(2) },
    // closed late after 30 h, never acknowledged first
    { rule: 'bulk_read', severity: 'medium', status: 'closed', createdAt: t(0), dueAt: t(24), acknowledgedAt: null, closedAt: t(30) },
    // still open, past due
    { rule: 'off_hours', severity: 'high', status: 'open', createdAt: t(10), dueAt: t(20), acknowledgedAt: null, closedAt: null },
    // acknowledged, not due yet
    { rule: 'off_hours', severity: 'low', status: 'acknowledged', createdAt: t(40), dueAt: t(100), acknowledgedAt: t(43), closedAt: null },
  ];
  it('counts raised, closed, pending and overdue as of a time, with mean handling and response hours', () => {
    const s = alertStats(rows, t(50));
    expect(s).toMatchObject({ raised: 4, closed: 2, pending: 2, overdue: 2, meanHandlingHours: 16, meanResponseHours: 11.33 }); // (1 + 30 + 3) / 3, to two decimals
    expect(s.bySeverity.map((x) => [x.severity, x.raised, x.overdue])).toEqual([
      ['high', 2, 1],
      ['medium', 1, 1],
      ['low', 1, 0],
    ]);
    expect(s.byRule.map((x) => [x.rule, x.raised, x.closed, x.meanHandlingHours])).toEqual([
      ['bulk_read', 2, 2, 16],
      ['off_hours', 2, 0, null],
    ]);
    // Before the open one fell due it was not overdue.
    expect(isOverdue(rows[2] as (typeof rows)[number], t(15))).toBe(false);
  });
  it('is all zeros and nulls without alerts', () => {
    expect(alertStats([], t(0))).toEqual({
      raised: 0,
      closed: 0,
      pending: 0,
      overdue: 0,
      meanHandlingHours: null,
      meanResponseHours: null,
      bySeverity: [],
      byRule: [],
    });
  });
});

describe('periods in Beijing time', () => {
  it('refuses an empty or reversed period and one longer than a year', () => {
    const d = (s: string) => new Date(s);
    expect(periodProblem(d('2026-01-01T00:00:00+08:00'), d('2026-02-01T00:00:00+08:00'))).toBeNull();
    expect(periodProblem(d('2026-02-01T00:00:00Z'), d('2026-02-01T00:00:00Z'))).toBe('order');
    expect(periodProblem(d('2026-03-01T00:00:00Z'), d('2026-02-01T00:00:00Z'))).toBe('order');
    expect(periodProblem(d('2024-01-01T00:00:00+08:00'), d('2025-01-01T00:00:00+08:00'))).toBeNull(); // a leap year
    expect(periodProblem(d('2024-01-01T00:00:00+08:00'), d('2025-02-01T00:00:00+08:00'))).toBe('too_long');
  });
  it('shows instants and periods as Beijing dates and times', () => {
    expect(beijingDateTime(new Date('2026-01-31T16:00:01Z'))).toBe('2026-02-01 00:00:01');
    expect(beijingDay(new Date('2026-01-31T15:59:59Z'))).toBe('2026-01-31');
    // A month in Beijing: [Feb 1 00:00, Mar 1 00:00) shows as Feb 1 – Feb 28.
    expect(periodDays(new Date('2026-01-31T16:00:00Z'), new Date('2026-02-28T16:00:00Z'))).toEqual({ first: '2026-02-01', last: '2026-02-28' });
  });
});
