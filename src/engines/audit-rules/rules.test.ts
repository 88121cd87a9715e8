import { describe, expect, it } from 'vitest';
import { ROLES } from '../../modules/org/roles.ts';
import { WorkdayCalendar, WorkdaysYearMissingError } from '../workdays/index.ts';
import {
  defaultSetting,
  effectiveSetting,
  evaluateRule,
  matchesAction,
  type Params,
  ROLE_CODES,
  RULE_IDS,
  RULE_LIST,
  type RuleFacts,
  type RuleId,
  type RuleSetting,
  type StreamEvent,
  validateRuleParams,
} from './index.ts';

const cal = WorkdayCalendar.withBuiltin();
let pos = 0;
let seq = 0;

/** An event at a Beijing wall-clock time ('2025-10-09 10:00'). */
function ev(at: string, over: Partial<StreamEvent> = {}): StreamEvent {
  seq++;
  return {
    position: ++pos,
    id: `00000000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    occurredAt: new Date(`${at.replace(' ', 'T')}:00+08:00`),
    actorUserId: 'u1',
    actorUsername: 'alice',
    actingInstitutionId: 'inst-a',
    action: 'protection.dataset.preview',
    targetType: 'data_resource',
    targetId: 'res-1',
    targetInstitutionId: 'inst-t',
    outcome: 'success',
    ip: '10.0.0.1',
    details: {},
    ...over,
  };
}

function facts(over: Partial<RuleFacts> = {}): RuleFacts {
  return {
    isWorkday: (d) => {
      try {
        return cal.isWorkday(d);
      } catch (e) {
        if (e instanceof WorkdaysYearMissingError) return null;
        throw e;
      }
    },
    rolesOf: () => [],
    resourceLevel: () => null,
    baseline: () => 0,
    loginHistory: () => [],
    ...over,
  };
}

function run(rule: RuleId, events: StreamEvent[], opts: { params?: Params; facts?: Partial<RuleFacts>; judged?: (e: StreamEvent) => boolean } = {}) {
  const checked = validateRuleParams(rule, opts.params ?? {});
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  const setting: RuleSetting = { ...defaultSetting(rule), params: checked.params };
  return evaluateRule(setting, { events, judged: opts.judged ?? (() => true), facts: facts(opts.facts) });
}

/** A read of `rows` rows (details.rows), with more details merged in. */
const read = (at: string, rows: number, over: Partial<StreamEvent> = {}) => ev(at, { ...over, details: { rows, ...(over.details ?? {}) } });

describe('rule catalogue', () => {
  it('has the seven stable ids, each with valid defaults', () => {
    expect(RULE_IDS).toEqual(['bulk_read', 'off_hours', 'login_failures', 'privilege_change', 'vendor_graded_data', 'new_source_ip', 'grant_rate']);
    for (const def of RULE_LIST) {
      const d = defaultSetting(def.id);
      expect(validateRuleParams(def.id, d.params), def.id).toMatchObject({ ok: true, params: d.params });
      expect(def.label.zh && def.label.en && def.description.zh && def.description.en).toBeTruthy();
    }
  });
  it('the engine role list is the platform role list', () => {
    expect([...ROLE_CODES]).toEqual([...ROLES]);
  });
  it('action patterns: exact codes and prefix.*', () => {
    expect(matchesAction(['org.role.*'], 'org.role.assign')).toBe(true);
    expect(matchesAction(['org.role.*'], 'org.roles')).toBe(false);
    expect(matchesAction(['auth.login'], 'auth.login.x')).toBe(false);
  });
});

describe('parameter validation', () => {
  it('fills defaults for what is missing', () => {
    const r = validateRuleParams('login_failures', { threshold: 3 });
    expect(r).toEqual({ ok: true, params: { threshold: 3, windowMinutes: 10, byUsername: true, byIp: true } });
  });
  it('refuses unknown names, wrong types and out-of-range values, naming the field', () => {
    const r = validateRuleParams('login_failures', { threshold: 1, windowMinutes: 2.5, byIp: 'yes', nope: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.field, e.code]).sort()).toEqual(
      [
        ['params.byIp', 'INVALID_TYPE'],
        ['params.nope', 'UNKNOWN_PARAM'],
        ['params.threshold', 'OUT_OF_RANGE'],
        ['params.windowMinutes', 'INVALID_TYPE'],
      ].sort(),
    );
    for (const e of r.errors) expect(e.messageZh).toMatch(/[\u4e00-\u9fff]/);
  });
  it('boundaries of integer ranges are accepted', () => {
    expect(validateRuleParams('login_failures', { threshold: 2, windowMinutes: 1440 }).ok).toBe(true);
    expect(validateRuleParams('login_failures', { windowMinutes: 1441 }).ok).toBe(false);
    expect(validateRuleParams('login_failures', { windowMinutes: 0 }).ok).toBe(false);
  });
  it('lists: not empty, action codes well formed, choices from the options', () => {
    expect(validateRuleParams('privilege_change', { actions: [] })).toMatchObject({ ok: false, errors: [{ code: 'EMPTY' }] });
    expect(validateRuleParams('privilege_change', { actions: ['Org Role'] })).toMatchObject({
      ok: false,
      errors: [{ code: 'INVALID_VALUE', field: 'params.actions' }],
    });
    expect(validateRuleParams('privilege_change', { actions: ['org.role.*', 'org.role.*'] })).toEqual({ ok: true, params: { actions: ['org.role.*'] } });
    expect(validateRuleParams('new_source_ip', { roles: ['root'] })).toMatchObject({ ok: false, errors: [{ code: 'INVALID_VALUE', field: 'params.roles' }] });
    expect(validateRuleParams('privilege_change', { actions: Array.from({ length: 51 }, (_, i) => `a.b${i}`) })).toMatchObject({
      ok: false,
      errors: [{ code: 'TOO_MANY' }],
    });
  });
  it('times and levels', () => {
    expect(validateRuleParams('off_hours', { workStart: '8:00' }).ok).toBe(false);
    expect(validateRuleParams('off_hours', { workStart: '07:60' }).ok).toBe(false);
    expect(validateRuleParams('off_hours', { workStart: '00:00', workEnd: '24:00' }).ok).toBe(true);
    expect(validateRuleParams('off_hours', { workStart: '19:00', workEnd: '08:00' })).toMatchObject({ ok: false, errors: [{ field: 'params.workEnd' }] });
    expect(validateRuleParams('vendor_graded_data', { minLevel: 'secret' }).ok).toBe(false);
    expect(validateRuleParams('vendor_graded_data', { minLevel: 'important' }).ok).toBe(true);
  });
  it('a stored row that no longer passes falls back to the defaults (never an unchecked value)', () => {
    const s = effectiveSetting('bulk_read', { enabled: false, severity: 'low', params: { minRows: -5 } });
    expect(s).toEqual({ ...defaultSetting('bulk_read'), enabled: false, severity: 'low' });
    expect(effectiveSetting('bulk_read', { enabled: true, severity: 'nonsense', params: { minRows: 7 } }).severity).toBe('high');
  });
});

describe('bulk_read', () => {
  it('raises once when a read pushes the window over minRows (strictly above), not for reads after it', () => {
    const events = [read('2025-10-09 10:00', 6000), read('2025-10-09 10:20', 4000), read('2025-10-09 10:30', 1), read('2025-10-09 10:40', 500)];
    const alerts = run('bulk_read', events);
    expect(alerts).toHaveLength(1);
    const a = alerts[0];
    expect(a).toMatchObject({ rule: 'bulk_read', subjectUserId: 'u1', institutionId: 'inst-t', position: events[2]?.position });
    expect(a?.eventIds).toEqual(events.slice(0, 3).map((e) => e.id));
    expect(a?.details).toMatchObject({ subject: 'user', rows: 10001, threshold: 10000, reads: 3 });
    expect(a?.dedupeKey).toBe(`bulk_read:user:u1:${events[2]?.id}`);
    expect(a?.summary.zh).toContain('10001');
    // Exactly the threshold is not above it.
    expect(run('bulk_read', [read('2025-10-09 10:00', 6000), read('2025-10-09 10:20', 4000)])).toEqual([]);
  });
  it('the window is (t − W, t]: a read exactly W minutes earlier has left it', () => {
    expect(run('bulk_read', [read('2025-10-09 10:00', 6000), read('2025-10-09 11:00', 4001)])).toEqual([]);
    expect(run('bulk_read', [read('2025-10-09 10:00', 6000), read('2025-10-09 10:59', 4001)])).toHaveLength(1);
  });
  it('uses factor × baseline when above minRows', () => {
    const f = { baseline: (s: string) => (s === 'user:u1' ? 5000 : 0) };
    expect(run('bulk_read', [read('2025-10-09 10:00', 20000)], { facts: f })).toEqual([]);
    const a = run('bulk_read', [read('2025-10-09 10:00', 25001)], { facts: f });
    expect(a[0]?.details).toMatchObject({ threshold: 25000, baseline: 5000 });
    expect(run('bulk_read', [read('2025-10-09 10:00', 25001)], { facts: f, params: { factor: 6 } })).toEqual([]);
  });
  it('sums per sharing grant across callers', () => {
    const g = { details: { grantId: 'g-1' }, action: 'sharing.gateway.read' };
    const events = [
      read('2025-10-09 10:00', 6000, { ...g, actorUserId: 'u1' }),
      read('2025-10-09 10:05', 6000, { ...g, actorUserId: 'u2', actorUsername: 'bob' }),
    ];
    const alerts = run('bulk_read', events);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.details).toMatchObject({ subject: 'grant', subjectId: 'g-1', rows: 12000 });
  });
  it('ignores other actions, failed reads and events without a numeric rows', () => {
    const events = [
      read('2025-10-09 10:00', 20000, { action: 'catalog.export' }),
      read('2025-10-09 10:01', 20000, { outcome: 'denied' }),
      ev('2025-10-09 10:02', { details: { rows: '20000' } }),
    ];
    expect(run('bulk_read', events)).toEqual([]);
    expect(run('bulk_read', events, { params: { actions: ['catalog.*'] } })).toHaveLength(1);
  });
  it('context events count toward the window but never raise', () => {
    const events = [read('2025-10-09 10:00', 6000), read('2025-10-09 10:10', 5000), read('2025-10-09 10:20', 10)];
    const judgedLast = (e: StreamEvent) => e.position === events[2]?.position;
    expect(run('bulk_read', events, { judged: judgedLast })).toEqual([]);
    const judgedSecond = (e: StreamEvent) => e.position >= (events[1]?.position ?? 0);
    expect(run('bulk_read', events, { judged: judgedSecond })).toHaveLength(1);
  });
  it('raises again after the sum dropped back below the threshold', () => {
    const events = [read('2025-10-09 10:00', 10001), read('2025-10-09 12:00', 10001)];
    expect(run('bulk_read', events)).toHaveLength(2);
  });
});

describe('off_hours (Chinese working days, Beijing time)', () => {
  const access = (at: string, over: Partial<StreamEvent> = {}) => ev(at, { action: 'protection.dataset.preview', ...over });
  it('a statutory holiday that falls on a weekday is not a working day (2025-10-01, Wednesday)', () => {
    const alerts = run('off_hours', [access('2025-10-01 10:00')]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ dedupeKey: 'off_hours:u1:2025-10-01', details: { reason: 'rest_day', date: '2025-10-01' } });
    expect(alerts[0]?.summary.zh).toContain('非工作日');
  });
  it('a 调休 make-up Sunday is a working day (2025-09-28); an ordinary Saturday is not', () => {
    expect(run('off_hours', [access('2025-09-28 10:00')])).toEqual([]);
    expect(run('off_hours', [access('2025-10-18 10:00')])).toHaveLength(1);
  });
  it('working hours 08:00–19:00 Beijing: 07:59 and 19:00 are outside, 08:00 and 18:59 inside', () => {
    expect(run('off_hours', [access('2025-10-09 08:00'), access('2025-10-09 18:59')])).toEqual([]);
    const a = run('off_hours', [access('2025-10-09 07:59', { actorUserId: 'u1' }), access('2025-10-09 19:00', { actorUserId: 'u2', actorUsername: 'bob' })]);
    expect(a.map((x) => x.details.reason)).toEqual(['outside_hours', 'outside_hours']);
    expect(a[0]?.details.time).toBe('07:59');
  });
  it('configurable hours', () => {
    expect(run('off_hours', [access('2025-10-09 07:30')], { params: { workStart: '07:00', workEnd: '20:00' } })).toEqual([]);
  });
  it('one alert per person and day, listing the events', () => {
    const events = [access('2025-10-01 10:00'), access('2025-10-01 11:00', { action: 'org.role.assign' }), access('2025-10-02 10:00')];
    const a = run('off_hours', events);
    expect(a).toHaveLength(2);
    expect(a[0]?.eventIds).toEqual([events[0]?.id, events[1]?.id]);
    expect(a[0]?.details).toMatchObject({ count: 2, actions: ['protection.dataset.preview', 'org.role.assign'] });
  });
  it('other actions, failed attempts and anonymous events are not counted', () => {
    expect(
      run('off_hours', [
        access('2025-10-01 10:00', { action: 'auth.login' }),
        access('2025-10-01 10:00', { outcome: 'failure' }),
        access('2025-10-01 10:00', { actorUserId: null, actorUsername: null }),
      ]),
    ).toEqual([]);
  });
  it('a year without a schedule: Monday–Friday assumed, and the alert says so', () => {
    // 2090-01-07 is a Saturday.
    const a = run('off_hours', [access('2090-01-07 10:00'), access('2090-01-09 10:00', { actorUserId: 'u2' })]);
    expect(a).toHaveLength(1);
    expect(a[0]?.details).toMatchObject({ reason: 'rest_day', calendarKnown: false });
  });
});

describe('login_failures', () => {
  const fail = (at: string, over: Partial<StreamEvent> = {}) => ev(at, { action: 'auth.login', outcome: 'failure', actorUsername: 'Alice', ...over });
  it('the 5th failure within 10 minutes raises one alert for the account; the 6th raises nothing more', () => {
    const events = ['10:00', '10:01', '10:02', '10:03', '10:04', '10:05'].map((t) => fail(`2025-10-09 ${t}`));
    const a = run('login_failures', events);
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ subjectUsername: 'Alice', position: events[4]?.position, details: { subject: 'username', failures: 5, ips: ['10.0.0.1'] } });
    expect(a[0]?.eventIds).toHaveLength(5);
    expect(run('login_failures', events.slice(0, 4))).toEqual([]);
  });
  it('failures spread over more than the window do not add up (the first leaves at exactly 10 minutes)', () => {
    expect(
      run(
        'login_failures',
        ['10:00', '10:03', '10:06', '10:08', '10:10'].map((t) => fail(`2025-10-09 ${t}`)),
      ),
    ).toEqual([]);
    expect(
      run(
        'login_failures',
        ['10:00', '10:03', '10:06', '10:08', '10:09'].map((t) => fail(`2025-10-09 ${t}`)),
      ),
    ).toHaveLength(1);
  });
  it('usernames compare case-insensitively', () => {
    const names = ['alice', 'ALICE', 'Alice', 'aLice', 'alicE'];
    const a = run(
      'login_failures',
      names.map((n, i) => fail(`2025-10-09 10:0${i}`, { actorUsername: n, ip: `10.0.0.${i}` })),
    );
    expect(a).toHaveLength(1);
    expect(a[0]?.details).toMatchObject({ subject: 'username', value: 'alice' });
  });
  it('one address trying several accounts raises an alert for the address', () => {
    const a = run(
      'login_failures',
      ['a', 'b', 'c', 'd', 'e'].map((n, i) => fail(`2025-10-09 10:0${i}`, { actorUsername: n, actorUserId: null, ip: '203.0.113.9' })),
    );
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ subjectUsername: null, details: { subject: 'ip', value: '203.0.113.9', usernames: ['a', 'b', 'c', 'd', 'e'] } });
    expect(
      run(
        'login_failures',
        ['a', 'b', 'c', 'd', 'e'].map((n, i) => fail(`2025-10-09 10:0${i}`, { actorUsername: n, ip: '203.0.113.9' })),
        { params: { byIp: false } },
      ),
    ).toEqual([]);
  });
  it('successful logins and other outcomes do not count; threshold is configurable', () => {
    const events = [
      fail('2025-10-09 10:00'),
      fail('2025-10-09 10:01', { outcome: 'success' }),
      fail('2025-10-09 10:02', { outcome: 'denied' }),
      fail('2025-10-09 10:03'),
    ];
    expect(run('login_failures', events)).toEqual([]);
    expect(run('login_failures', events, { params: { threshold: 2 } })).toHaveLength(1);
  });
});

describe('privilege_change', () => {
  it('each successful role, grant, policy or key change raises its own alert', () => {
    const events = [
      ev('2025-10-09 10:00', { action: 'org.role.assign', targetType: 'user', targetId: 'u9', details: { role: 'auditor' } }),
      ev('2025-10-09 10:01', { action: 'protection.key.destroy' }),
      ev('2025-10-09 10:02', { action: 'org.role.assign', outcome: 'denied' }),
      ev('2025-10-09 10:03', { action: 'org.user.update' }),
    ];
    const a = run('privilege_change', events);
    expect(a.map((x) => x.details.action)).toEqual(['org.role.assign', 'protection.key.destroy']);
    expect(a[0]).toMatchObject({ dedupeKey: `privilege_change:${events[0]?.id}`, details: { role: 'auditor' } });
    expect(a[0]?.summary.zh).toContain('auditor');
  });
  it('uses the action labels when given', () => {
    const a = evaluateRule(defaultSetting('privilege_change'), {
      events: [ev('2025-10-09 10:00', { action: 'org.role.remove' })],
      judged: () => true,
      facts: facts(),
      actionLabel: (x) => (x === 'org.role.remove' ? { zh: '撤销角色', en: 'Remove role' } : undefined),
    });
    expect(a[0]?.summary.zh).toContain('撤销角色');
    expect(a[0]?.summary.en).toContain('Remove role');
  });
  it('configurable action list with prefixes', () => {
    expect(run('privilege_change', [ev('2025-10-09 10:00', { action: 'org.user.update' })], { params: { actions: ['org.user.*'] } })).toHaveLength(1);
  });
});

describe('vendor_graded_data', () => {
  const levels: Record<string, string> = { r3: 'general-3', r2: 'general-2', rimp: 'important' };
  const f = { rolesOf: (u: string) => (u === 'v1' ? ['vendor_operator'] : ['data_steward']), resourceLevel: (r: string) => levels[r] ?? null };
  const touch = (at: string, over: Partial<StreamEvent>) => ev(at, { actorUserId: 'v1', actorUsername: 'vendor.ops1', ...over });
  it('a vendor operator touching a resource at or above the level (default general-3)', () => {
    const a = run('vendor_graded_data', [touch('2025-10-09 10:00', { targetId: 'r3' })], { facts: f });
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ subjectUserId: 'v1', details: { resourceId: 'r3', level: 'general-3' } });
  });
  it('below the level, ungraded, or not a vendor: nothing', () => {
    const events = [
      touch('2025-10-09 10:00', { targetId: 'r2' }),
      touch('2025-10-09 10:00', { targetId: 'none' }),
      touch('2025-10-09 10:00', { targetId: 'r3', actorUserId: 'u1' }),
    ];
    expect(run('vendor_graded_data', events, { facts: f })).toEqual([]);
    expect(run('vendor_graded_data', [touch('2025-10-09 10:00', { targetId: 'r3' })], { facts: f, params: { minLevel: 'important' } })).toEqual([]);
  });
  it('details.resourceId counts as touching; one alert per person, resource and day', () => {
    const events = [
      touch('2025-10-09 10:00', { targetType: 'job', targetId: 'j1', details: { resourceId: 'rimp' } }),
      touch('2025-10-09 11:00', { targetId: 'rimp' }),
      touch('2025-10-10 09:00', { targetId: 'rimp' }),
    ];
    const a = run('vendor_graded_data', events, { facts: f });
    expect(a).toHaveLength(2);
    expect(a[0]?.eventIds).toEqual([events[0]?.id, events[1]?.id]);
  });
});

describe('new_source_ip', () => {
  const login = (at: string, ip: string, over: Partial<StreamEvent> = {}) =>
    ev(at, { action: 'auth.login', ip, actorUserId: 'admin1', actorUsername: 'psb.admin', targetType: 'user', targetId: 'admin1', ...over });
  const admin = { rolesOf: (u: string) => (u === 'admin1' ? ['institution_admin'] : ['data_user']) };
  const history = (ip: string, at: string) => [{ eventId: 'h1', ip, at: new Date(`${at}T10:00:00+08:00`) }];
  it('a privileged user from an address not seen in 90 days', () => {
    const f = { ...admin, loginHistory: () => history('10.1.1.1', '2025-09-01') };
    const a = run('new_source_ip', [login('2025-10-09 10:00', '10.9.9.9')], { facts: f });
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ subjectUserId: 'admin1', details: { ip: '10.9.9.9', roles: ['institution_admin'], knownIps: ['10.1.1.1'] } });
    expect(run('new_source_ip', [login('2025-10-09 10:00', '10.1.1.1')], { facts: f })).toEqual([]);
  });
  it('an address last seen more than 90 days ago is new again; a first login sets the baseline unless told otherwise', () => {
    const old = { ...admin, loginHistory: () => history('10.1.1.1', '2025-06-01') };
    expect(run('new_source_ip', [login('2025-10-09 10:00', '10.1.1.1')], { facts: old })).toEqual([]);
    expect(run('new_source_ip', [login('2025-10-09 10:00', '10.1.1.1')], { facts: old, params: { ignoreFirstLogin: false } })).toHaveLength(1);
    const mixed = { ...admin, loginHistory: () => [...history('10.1.1.1', '2025-06-01'), ...history('10.2.2.2', '2025-10-01')] };
    expect(run('new_source_ip', [login('2025-10-09 10:00', '10.1.1.1')], { facts: mixed })).toHaveLength(1);
  });
  it('not for unwatched roles or failed logins; the second login from the new address is no longer new', () => {
    const f = { ...admin, loginHistory: () => history('10.1.1.1', '2025-10-01') };
    expect(run('new_source_ip', [login('2025-10-09 10:00', '10.9.9.9', { actorUserId: 'u2' })], { facts: f })).toEqual([]);
    expect(run('new_source_ip', [login('2025-10-09 10:00', '10.9.9.9', { outcome: 'failure' })], { facts: f })).toEqual([]);
    expect(run('new_source_ip', [login('2025-10-09 10:00', '10.9.9.9'), login('2025-10-09 11:00', '10.9.9.9')], { facts: f })).toHaveLength(1);
    expect(run('new_source_ip', [login('2025-10-09 10:00', '10.9.9.9')], { facts: f, params: { roles: ['auditor'] } })).toEqual([]);
  });
});

describe('grant_rate', () => {
  const call = (at: string, sec: number, over: Partial<StreamEvent> = {}) => {
    const e = ev(at, { action: 'sharing.gateway.read', details: { grantId: 'g-7', ratePerMinute: 3 }, ...over });
    return { ...e, occurredAt: new Date(e.occurredAt.getTime() + sec * 1000) };
  };
  it('the call that exceeds the rate within 60 seconds raises one alert', () => {
    const events = [0, 10, 20, 30, 40].map((s) => call('2025-10-09 10:00', s));
    const a = run('grant_rate', events);
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ position: events[3]?.position, details: { grantId: 'g-7', calls: 4, ratePerMinute: 3 } });
    expect(a[0]?.eventIds).toHaveLength(4);
    expect(run('grant_rate', events.slice(0, 3))).toEqual([]);
  });
  it('calls spaced out (the first leaves the window at exactly 60 s) stay within the rate', () => {
    expect(
      run(
        'grant_rate',
        [0, 20, 40, 60].map((s) => call('2025-10-09 10:00', s)),
      ),
    ).toEqual([]);
    expect(
      run(
        'grant_rate',
        [0, 20, 40, 59].map((s) => call('2025-10-09 10:00', s)),
      ),
    ).toHaveLength(1);
  });
  it('grants are counted apart; events without grantId or rate are ignored', () => {
    const events = [0, 1, 2, 3].map((s) => call('2025-10-09 10:00', s, { details: { grantId: `g-${s}`, ratePerMinute: 1 } }));
    expect(run('grant_rate', events)).toEqual([]);
    expect(
      run(
        'grant_rate',
        [0, 1, 2, 3].map((s) => call('2025-10-09 10:00', s, { details: { grantId: 'g-1' } })),
      ),
    ).toEqual([]);
  });
});
