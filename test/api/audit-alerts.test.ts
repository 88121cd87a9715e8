// Alerts (AUD-3, PRT-10, LIF-6): the processor raises each rule end to end over the chained log — through
// real audited actions where the platform has them (failed logins, role assignment, masked previews, logins
// from a new address), through events recorded with the real recorder where the time of day matters or the
// emitting module does not exist yet (gateway calls, issue 7) — idempotently; the queue, the handling
// (status transitions, audited, one of two closers wins), the scope, and the city-level rule settings with
// their dry run.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { uuidv7 } from '../../src/db/ids.ts';
import { SLA_WORKDAYS } from '../../src/engines/audit-rules/index.ts';
import { beijingDate } from '../../src/engines/workdays/index.ts';
import { AlertsProcessor, dueDate } from '../../src/modules/audit/alerts.processor.ts';
import type { AlertRule, AuditAlert, AuditAlertDetail } from '../../src/modules/audit/alerts.schemas.ts';
import { type AuditContext, type AuditEventInput, recordAudit } from '../../src/modules/audit/audit.recorder.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';
import { DEMO_PASSWORD, expectError, freshIp, postLogin } from '../helpers/auth.ts';

let h: TestApp;
let psb: string;
let edu: string;
let security: Client; // psb.security: handles psb's alerts
let cityAdmin: Client;
let citySecurity: Client; // the city-level security officer (demo account city.security)
let cityAuditor: Client;
let cacAuditor: Client;
let psbAdmin: Client;
let clerkId: string;

async function run() {
  await h.services.auditLog.flush();
  return h.services.alertsProcessor.runOnce();
}

async function alertsWhere(rule: string, where: { subject?: string; key?: string } = {}) {
  let q = h.t.db.selectFrom('audit_alerts').selectAll().where('rule', '=', rule);
  if (where.subject) q = q.where('subject_username', '=', where.subject);
  if (where.key) q = q.where('dedupe_key', 'like', `${where.key}%`);
  return q.orderBy('created_at').execute();
}

/** Records an event with the real recorder as if at `at` (the recorder stamps the current time). */
async function recordAt(at: Date, who: AuditContext, event: AuditEventInput): Promise<void> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
  try {
    await recordAudit(h.t.db, who, event);
  } finally {
    vi.useRealTimers();
  }
}

/** A person of the institution with the demo password and (unless told otherwise) the demo TOTP secret, holding no role. */
async function insertUser(username: string, institutionId: string, opts: { totp?: boolean } = {}): Promise<string> {
  const model = await h.t.db
    .selectFrom('users')
    .select(['password_hash', 'totp_secret', 'totp_enabled_at'])
    .where('username', '=', 'psb.security')
    .executeTakeFirstOrThrow();
  const id = uuidv7();
  const totp = opts.totp === false ? { totp_secret: null, totp_enabled_at: null } : { totp_secret: model.totp_secret, totp_enabled_at: model.totp_enabled_at };
  await h.t.db
    .insertInto('users')
    .values({
      id,
      username,
      display_name: `测试 ${username}`,
      institution_id: institutionId,
      must_change_password: false,
      password_hash: model.password_hash,
      ...totp,
    })
    .execute();
  return id;
}

beforeAll(async () => {
  h = await createTestApp();
  [psb, edu] = await Promise.all([h.inst('示范市公安局'), h.inst('示范市教育局')]);
  clerkId = await insertUser('psb.clerk', psb);
  security = await h.login('psb.security');
  cityAdmin = await h.login('city.admin');
  cityAuditor = await h.login('city.auditor');
  cacAuditor = await h.login('cac.auditor');
  psbAdmin = await h.login('psb.admin');
  // The city's security officer (a demo account): sets the city-wide rules.
  citySecurity = await h.login('city.security');
  // Everything so far (the demo seed's events, these logins and the assignment) is processed once here.
  await run();
});
afterAll(() => h.close());

describe('the processor', () => {
  it('raises login_failures after five failed logins through POST /api/auth/login, owned by the security officer, due in working days', async () => {
    const ip = freshIp();
    for (let i = 0; i < 5; i++) {
      const res = await postLogin(h, { username: 'psb.clerk', password: `wrong-${i}` }, { ip });
      expect(res.statusCode).toBe(401);
    }
    expect(await alertsWhere('login_failures', { subject: 'psb.clerk' })).toHaveLength(0); // nothing until processed
    const before = new Date();
    const r = await run();
    expect(r.skipped).toBe(false);
    expect(r.raised).toBeGreaterThanOrEqual(1);
    const [a, ...more] = await alertsWhere('login_failures', { subject: 'psb.clerk' });
    expect(more).toHaveLength(0); // one alert for the account (the address crossed at the same event)
    expect(a).toMatchObject({ severity: 'medium', status: 'open', institution_id: psb, subject_user_id: clerkId, owner_user_id: security.userId });
    expect(a?.event_ids).toHaveLength(5);
    expect(a?.details).toMatchObject({ subject: 'username', failures: 5, ips: [ip] });
    expect(a?.summary_zh).toContain('psb.clerk');
    expect(a?.summary_en).toContain('psb.clerk');
    // Due: three working days (medium) after the day it was raised, end of that Beijing day, by the calendar.
    const cal = await h.services.workdays.calendar();
    expect(a?.due_at.toISOString()).toBe(dueDate(cal, a?.created_at ?? before, SLA_WORKDAYS.medium).dueAt.toISOString());
    expect(beijingDate(a?.due_at as Date)).toBe(cal.addWorkdays(beijingDate(a?.created_at as Date), 3));
    // The triggering events are the chained failed logins.
    const events = await h.t.db
      .selectFrom('audit_events')
      .select(['action', 'outcome', 'ip'])
      .where('id', 'in', a?.event_ids ?? [])
      .execute();
    expect(events.every((e) => e.action === 'auth.login' && e.outcome === 'failure' && e.ip === ip)).toBe(true);
  });

  it('is idempotent: re-reading the log from the start raises nothing twice', async () => {
    const count = async () =>
      Number(
        (
          await h.t.db
            .selectFrom('audit_alerts')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const head = await h.t.db.selectFrom('audit_stream_cursors').select('position').where('name', '=', 'alerts').executeTakeFirstOrThrow();
    expect(Number(head.position)).toBeGreaterThan(0);
    await h.t.db.updateTable('audit_stream_cursors').set({ position: 0 }).where('name', '=', 'alerts').execute();
    const r = await run();
    expect(r.events).toBeGreaterThanOrEqual(Number(head.position));
    expect(r.raised).toBe(0);
    expect(await count()).toBe(before);
    expect(r.position).toBeGreaterThanOrEqual(Number(head.position));
  });

  it('two processors at once: one evaluates, no alert is raised twice', async () => {
    const ip = freshIp();
    const names = ['ghost1', 'ghost2', 'ghost3', 'ghost4', 'ghost5'];
    for (const n of names) await postLogin(h, { username: n, password: 'x' }, { ip });
    await h.services.auditLog.flush();
    // A second processor, as another server process on the same database would have.
    const other = new AlertsProcessor(h.t.db, h.services.workdays);
    const [a, b] = await Promise.all([h.services.alertsProcessor.runOnce(), other.runOnce()]);
    expect(a.raised + b.raised).toBeGreaterThanOrEqual(1);
    expect(a.skipped && b.skipped).toBe(false);
    const byIp = await alertsWhere('login_failures', { key: `login_failures:ip:${ip}:` });
    expect(byIp).toHaveLength(1);
    // Unknown names concern no institution: the platform's alert, without an owner.
    expect(byIp[0]).toMatchObject({ institution_id: null, owner_user_id: null, subject_username: null });
    expect(byIp[0]?.details).toMatchObject({ subject: 'ip', usernames: names });
  });

  it('raises privilege_change for a role assigned through the org API', async () => {
    const userId = await insertUser(`psb.new.${randomBytes(2).toString('hex')}`, psb);
    const res = await psbAdmin.request('POST', `/api/users/${userId}/roles`, { role: 'data_user', institutionId: psb });
    expect(res.statusCode, res.body).toBe(201);
    await run();
    const event = await h.t.db
      .selectFrom('audit_events')
      .select('id')
      .where('action', '=', 'org.role.assign')
      .where('target_id', '=', userId)
      .executeTakeFirstOrThrow();
    const [a] = await alertsWhere('privilege_change', { key: `privilege_change:${event.id}` });
    expect(a).toMatchObject({ severity: 'low', institution_id: psb, subject_username: 'psb.admin', owner_user_id: security.userId, event_ids: [event.id] });
    expect(a?.details).toMatchObject({ action: 'org.role.assign', role: 'data_user' });
    expect(a?.summary_zh).toContain('分配角色');
  });

  it('an event naming an institution that does not exist raises a platform alert instead of stopping the processor', async () => {
    const ghost = uuidv7();
    await recordAudit(
      h.t.db,
      { userId: psbAdmin.userId, username: 'psb.admin', institutionId: null },
      {
        action: 'protection.key.destroy',
        target: { type: 'data_resource', id: uuidv7(), institutionId: ghost },
      },
    );
    const r = await run();
    expect(r.events).toBeGreaterThan(0);
    const event = await h.t.db.selectFrom('audit_events').select('id').where('target_institution_id', '=', ghost).executeTakeFirstOrThrow();
    const [a] = await alertsWhere('privilege_change', { key: `privilege_change:${event.id}` });
    expect(a).toMatchObject({ institution_id: null, owner_user_id: null });
    const cursor = await h.t.db.selectFrom('audit_stream_cursors').select('position').where('name', '=', 'alerts').executeTakeFirstOrThrow();
    const head = await h.t.db
      .selectFrom('audit_chain')
      .select((eb) => eb.fn.max('position').as('p'))
      .executeTakeFirstOrThrow();
    expect(Number(cursor.position)).toBe(Number(head.p));
  });

  it('raises new_source_ip when an institution administrator logs in from a new address (the first login sets the baseline)', async () => {
    // An administrator without TOTP yet (the login succeeds into the enrolment-only session; it is a login all the same).
    const id = await insertUser('psb.admin2', psb, { totp: false });
    await h.t.db
      .insertInto('role_assignments')
      .values({ id: uuidv7(), user_id: id, role: 'institution_admin', institution_id: psb, granted_by: null })
      .execute();
    const [first, second] = [freshIp(), freshIp()];
    const login = async (ip: string) => expect((await postLogin(h, { username: 'psb.admin2', password: DEMO_PASSWORD }, { ip })).statusCode).toBe(200);
    await login(first);
    await run();
    expect(await alertsWhere('new_source_ip', { subject: 'psb.admin2' })).toHaveLength(0);
    await login(first);
    await login(second);
    await run();
    const found = await alertsWhere('new_source_ip', { subject: 'psb.admin2' });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'medium', institution_id: psb, subject_user_id: id, owner_user_id: security.userId });
    expect(found[0]?.details).toMatchObject({ ip: second, knownIps: [first], roles: ['institution_admin'] });
    // A person without a watched role: never.
    const plain = await insertUser('psb.plain', psb, { totp: false });
    await h.t.db.insertInto('role_assignments').values({ id: uuidv7(), user_id: plain, role: 'data_user', institution_id: psb, granted_by: null }).execute();
    await postLogin(h, { username: 'psb.plain', password: DEMO_PASSWORD }, { ip: freshIp() });
    await postLogin(h, { username: 'psb.plain', password: DEMO_PASSWORD }, { ip: freshIp() });
    await run();
    expect(await alertsWhere('new_source_ip', { subject: 'psb.plain' })).toHaveLength(0);
  });

  it('raises off_hours on a statutory holiday and outside working hours (Beijing), not inside them', async () => {
    const who = { userId: clerkId, username: 'psb.clerk', institutionId: psb };
    const target = { type: 'data_resource', id: uuidv7(), institutionId: psb };
    // 2025-10-01 is a Wednesday and National Day; 2025-10-09 a Thursday and a working day.
    await recordAt(new Date('2025-10-01T10:00:00+08:00'), who, { action: 'protection.dataset.preview', target, details: { rows: 1 } });
    await recordAt(new Date('2025-10-09T10:00:00+08:00'), who, { action: 'protection.dataset.preview', target, details: { rows: 1 } });
    await recordAt(new Date('2025-10-09T20:30:00+08:00'), who, { action: 'org.role.assign', target: { type: 'user', id: clerkId, institutionId: psb } });
    await run();
    const holiday = await alertsWhere('off_hours', { key: `off_hours:${clerkId}:2025-10-01` });
    expect(holiday).toHaveLength(1);
    expect(holiday[0]?.details).toMatchObject({ reason: 'rest_day', date: '2025-10-01' });
    expect(await alertsWhere('off_hours', { key: `off_hours:${clerkId}:2025-10-09` })).toHaveLength(1);
    const evening = (await alertsWhere('off_hours', { key: `off_hours:${clerkId}:2025-10-09` }))[0];
    expect(evening?.details).toMatchObject({ reason: 'outside_hours', time: '20:30', actions: ['org.role.assign'] });
  });

  it('raises vendor_graded_data when a vendor operator touches a resource graded important', async () => {
    const vendor = await h.t.db.selectFrom('users').select(['id', 'institution_id']).where('username', '=', 'vendor.ops1').executeTakeFirstOrThrow();
    const system = uuidv7();
    await h.t.db
      .insertInto('systems')
      .values({
        id: system,
        institution_id: psb,
        name: `告警系统${randomBytes(2).toString('hex')}`,
        status: 'accepted',
        trusted_terminals: '[]',
        storage_carriers: '[]',
      })
      .execute();
    const graded = uuidv7();
    const plain = uuidv7();
    for (const [id, level] of [
      [graded, 'important'],
      [plain, 'general-2'],
    ] as const) {
      await h.t.db
        .insertInto('data_resources')
        .values({
          id,
          institution_id: psb,
          system_id: system,
          name: `资源${id.slice(-6)}`,
          share_attribute: 'unconditional',
          open_attribute: 'not_open',
          collection: '{}',
          level,
          grading_status: 'approved',
        })
        .execute();
    }
    const who = { userId: vendor.id, username: 'vendor.ops1', institutionId: vendor.institution_id };
    await recordAudit(h.t.db, who, { action: 'protection.dataset.load', target: { type: 'data_resource', id: graded, institutionId: psb } });
    await recordAudit(h.t.db, who, { action: 'protection.dataset.load', target: { type: 'data_resource', id: plain, institutionId: psb } });
    await run();
    const found = await alertsWhere('vendor_graded_data', { subject: 'vendor.ops1' });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'high', institution_id: psb, owner_user_id: security.userId });
    expect(found[0]?.details).toMatchObject({ resourceId: graded, level: 'important' });
  });

  it('raises grant_rate for calls beyond a grant’s rate (gateway events appended like issue 7 will)', async () => {
    const grantId = uuidv7();
    const who = { userId: psbAdmin.userId, username: 'psb.admin', institutionId: psb };
    for (let i = 0; i < 4; i++) {
      await h.services.auditLog.append(who, {
        action: 'sharing.gateway.read',
        target: { type: 'data_resource', id: uuidv7(), institutionId: psb },
        details: { grantId, ratePerMinute: 3, rows: 1 },
      });
    }
    await run();
    const found = await alertsWhere('grant_rate', { key: `grant_rate:${grantId}:` });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'high', institution_id: psb });
    expect(found[0]?.details).toMatchObject({ grantId, calls: 4, ratePerMinute: 3 });
    expect(found[0]?.event_ids).toHaveLength(4);
  });
});

describe('the queue and handling', () => {
  let mine: AuditAlert;

  it('lists alerts in reach with filters; the security officer sees psb, not edu; auditors read', async () => {
    const res = await security.request('GET', '/api/audit/alerts?rule=login_failures&status=open&pageSize=200');
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as { items: AuditAlert[]; total: number };
    mine = page.items.find((a) => a.subjectUsername === 'psb.clerk') as AuditAlert;
    expect(mine).toMatchObject({
      rule: 'login_failures',
      severity: 'medium',
      status: 'open',
      institution: { id: psb },
      owner: { id: security.userId },
      overdue: false,
    });
    expect(page.items.every((a) => a.institution?.id === psb)).toBe(true);
    const own = await security.request('GET', '/api/audit/alerts?owner=me&pageSize=200');
    expect((own.json() as { items: AuditAlert[] }).items.map((a) => a.id)).toContain(mine.id);
    const overdue = await security.request('GET', '/api/audit/alerts?overdue=true');
    expect((overdue.json() as { items: AuditAlert[] }).items.map((a) => a.id)).not.toContain(mine.id);
    const high = await security.request('GET', '/api/audit/alerts?severity=high&pageSize=200');
    expect((high.json() as { items: AuditAlert[] }).items.every((a) => a.severity === 'high')).toBe(true);
    // The regulator's auditor reads psb's alerts (read grant), the city auditor too; a data user may not.
    expect(((await cacAuditor.request('GET', '/api/audit/alerts?pageSize=200')).json() as { items: AuditAlert[] }).items.map((a) => a.id)).toContain(mine.id);
    expect(((await cityAuditor.request('GET', '/api/audit/alerts?pageSize=200')).json() as { items: AuditAlert[] }).items.map((a) => a.id)).toContain(mine.id);
    expectError(await psbAdmin.request('GET', '/api/audit/alerts'), 403, 'FORBIDDEN');
  });

  it('an alert comes with its triggering events; another institution’s alert is 404', async () => {
    const res = await security.request('GET', `/api/audit/alerts/${mine.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json() as AuditAlertDetail;
    expect(d.events.map((e) => e.id).sort()).toEqual([...mine.eventIds].sort());
    expect(d.events.every((e) => e.action === 'auth.login' && e.outcome === 'failure')).toBe(true);
    expect(d.hiddenEvents).toBe(0);
    // An alert of the education bureau: out of the psb officer's reach, and of the regulator's.
    const [eduAlert] = await h.t.db
      .insertInto('audit_alerts')
      .values({
        id: uuidv7(),
        rule: 'privilege_change',
        dedupe_key: `test:${uuidv7()}`,
        severity: 'low',
        status: 'open',
        institution_id: edu,
        summary_zh: '教育局告警',
        summary_en: 'edu alert',
        details: '{}',
        event_ids: [],
        first_event_at: new Date(),
        last_event_at: new Date(),
        due_at: new Date(Date.now() + 86400_000),
      })
      .returning('id')
      .execute();
    const id = eduAlert?.id as string;
    expectError(await security.request('GET', `/api/audit/alerts/${id}`), 404, 'NOT_FOUND');
    expectError(await security.request('POST', `/api/audit/alerts/${id}/acknowledge`), 404, 'NOT_FOUND');
    expectError(await cacAuditor.request('GET', `/api/audit/alerts/${id}`), 404, 'NOT_FOUND');
    expect((await cityAuditor.request('GET', `/api/audit/alerts/${id}`)).statusCode).toBe(200);
    // The platform's alerts (no institution): city-level readers only.
    const [platform] = await alertsWhere('login_failures', { key: 'login_failures:ip:' });
    expectError(await security.request('GET', `/api/audit/alerts/${platform?.id}`), 404, 'NOT_FOUND');
    expect((await cityAuditor.request('GET', `/api/audit/alerts/${platform?.id}`)).statusCode).toBe(200);
  });

  it('acknowledge then close, each audited; wrong transitions are 409; auditors only read', async () => {
    expectError(await cacAuditor.request('POST', `/api/audit/alerts/${mine.id}/acknowledge`), 403, 'FORBIDDEN');
    const ack = await security.request('POST', `/api/audit/alerts/${mine.id}/acknowledge`);
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged', acknowledgedBy: { id: security.userId } });
    expectError(await security.request('POST', `/api/audit/alerts/${mine.id}/acknowledge`), 409, 'ALERT_STATUS_CONFLICT');
    expectError(await security.request('POST', `/api/audit/alerts/${mine.id}/close`, { resolution: '  ' }), 400, 'VALIDATION_FAILED');
    expectError(await security.request('POST', `/api/audit/alerts/${mine.id}/close`, {}), 400, 'VALIDATION_FAILED');
    const close = await security.request('POST', `/api/audit/alerts/${mine.id}/close`, { resolution: '核实为本人遗忘密码，已重置' });
    expect(close.statusCode, close.body).toBe(200);
    expect(close.json()).toMatchObject({ status: 'closed', closedBy: { id: security.userId }, resolution: '核实为本人遗忘密码，已重置', overdue: false });
    expectError(await security.request('POST', `/api/audit/alerts/${mine.id}/close`, { resolution: 'again' }), 409, 'ALERT_STATUS_CONFLICT');
    expectError(await security.request('POST', `/api/audit/alerts/${mine.id}/acknowledge`), 409, 'ALERT_STATUS_CONFLICT');
    const events = await h.t.db
      .selectFrom('audit_events')
      .select(['action', 'actor_user_id', 'target_institution_id', 'details'])
      .where('target_id', '=', mine.id)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['audit.alert.acknowledge', 'audit.alert.close']);
    expect(events.every((e) => e.actor_user_id === security.userId && e.target_institution_id === psb)).toBe(true);
    expect(events[1]?.details).toMatchObject({ from: 'acknowledged', resolution: '核实为本人遗忘密码，已重置' });
    const closed = await security.request('GET', '/api/audit/alerts?status=closed&pageSize=200');
    expect((closed.json() as { items: AuditAlert[] }).items.map((a) => a.id)).toContain(mine.id);
  });

  it('of two people closing an open alert at once, one wins and the other gets 409', async () => {
    const [a] = await alertsWhere('grant_rate');
    // A second handler at psb: another security officer there.
    const otherId = await insertUser(`psb.sec2.${randomBytes(2).toString('hex')}`, psb);
    const assigned = await psbAdmin.request('POST', `/api/users/${otherId}/roles`, { role: 'security_officer', institutionId: psb });
    expect(assigned.statusCode, assigned.body).toBe(201);
    const other = await h.login((await h.t.db.selectFrom('users').select('username').where('id', '=', otherId).executeTakeFirstOrThrow()).username);
    const [r1, r2] = await Promise.all([
      security.request('POST', `/api/audit/alerts/${a?.id}/close`, { resolution: '甲：误报' }),
      other.request('POST', `/api/audit/alerts/${a?.id}/close`, { resolution: '乙：误报' }),
    ]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([200, 409]);
    const row = await h.t.db
      .selectFrom('audit_alerts')
      .select(['status', 'resolution', 'closed_by'])
      .where('id', '=', a?.id as string)
      .executeTakeFirstOrThrow();
    const winner = r1.statusCode === 200 ? { by: security.userId, text: '甲：误报' } : { by: otherId, text: '乙：误报' };
    expect(row).toEqual({ status: 'closed', resolution: winner.text, closed_by: winner.by });
    expect(
      await h.t.db
        .selectFrom('audit_events')
        .select('id')
        .where('action', '=', 'audit.alert.close')
        .where('target_id', '=', a?.id as string)
        .execute(),
    ).toHaveLength(1);
  });

  it('overdue: an open alert past its deadline is flagged and filtered', async () => {
    const [a] = await alertsWhere('vendor_graded_data');
    await h.t.db
      .updateTable('audit_alerts')
      .set({ due_at: new Date(Date.now() - 60_000) })
      .where('id', '=', a?.id as string)
      .execute();
    const res = await security.request('GET', '/api/audit/alerts?overdue=true&pageSize=200');
    const items = (res.json() as { items: AuditAlert[] }).items;
    expect(items.map((x) => x.id)).toContain(a?.id);
    expect(items.every((x) => x.overdue && x.status !== 'closed')).toBe(true);
  });
});

describe('rule settings', () => {
  it('lists the seven rules with their defaults for readers; others may not', async () => {
    const res = await security.request('GET', '/api/audit/alert-rules');
    expect(res.statusCode, res.body).toBe(200);
    const rules = res.json() as AlertRule[];
    expect(rules.map((r) => r.rule)).toEqual([
      'bulk_read',
      'off_hours',
      'login_failures',
      'privilege_change',
      'vendor_graded_data',
      'new_source_ip',
      'grant_rate',
    ]);
    expect(rules.find((r) => r.rule === 'login_failures')).toMatchObject({
      enabled: true,
      severity: 'medium',
      params: { threshold: 5, windowMinutes: 10 },
      customized: false,
      editable: false, // psb's officer: not city level
    });
    expect(((await citySecurity.request('GET', '/api/audit/alert-rules')).json() as AlertRule[]).every((r) => r.editable)).toBe(true);
    expect((await cityAuditor.request('GET', '/api/audit/alert-rules')).statusCode).toBe(200);
    expectError(await psbAdmin.request('GET', '/api/audit/alert-rules'), 403, 'FORBIDDEN');
  });

  it('only a city-level security officer changes them; parameters are validated by rule; the change is audited', async () => {
    const body = { enabled: true, severity: 'high', params: { minRows: 100 } };
    expectError(await security.request('PUT', '/api/audit/alert-rules/bulk_read', body), 403, 'CITY_LEVEL_REQUIRED');
    expectError(await cityAdmin.request('PUT', '/api/audit/alert-rules/bulk_read', body), 403, 'FORBIDDEN');
    expectError(await cityAuditor.request('PUT', '/api/audit/alert-rules/bulk_read', body), 403, 'FORBIDDEN');
    const bad = expectError(
      await citySecurity.request('PUT', '/api/audit/alert-rules/bulk_read', { ...body, params: { minRows: 0, nope: 1 } }),
      400,
      'RULE_PARAMS_INVALID',
    );
    expect((bad.details as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['params.minRows', 'params.nope']);
    expectError(
      await citySecurity.request('PUT', '/api/audit/alert-rules/off_hours', {
        enabled: true,
        severity: 'low',
        params: { workStart: '19:00', workEnd: '08:00' },
      }),
      400,
      'RULE_PARAMS_INVALID',
    );
    expectError(await citySecurity.request('PUT', '/api/audit/alert-rules/no_such_rule', body), 404, 'NOT_FOUND');
    expectError(await citySecurity.request('PUT', '/api/audit/alert-rules/Bad-Rule', body), 400, 'VALIDATION_FAILED');
    const res = await citySecurity.request('PUT', '/api/audit/alert-rules/bulk_read', body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      rule: 'bulk_read',
      severity: 'high',
      params: { minRows: 100, windowMinutes: 60, factor: 5 },
      customized: true,
      updatedBy: { id: citySecurity.userId },
    });
    const ev = await h.t.db
      .selectFrom('audit_events')
      .select(['details', 'target_id'])
      .where('action', '=', 'audit.alert_rule.update')
      .executeTakeFirstOrThrow();
    expect(ev).toMatchObject({ target_id: 'bulk_read', details: { rule: 'bulk_read', params: { minRows: 100 }, previous: { params: { minRows: 10000 } } } });
  });

  it('bulk_read with the new threshold: masked previews through the API raise it for the reader', async () => {
    const steward = await h.login('psb.steward');
    const system = uuidv7();
    await h.t.db
      .insertInto('systems')
      .values({
        id: system,
        institution_id: psb,
        name: `预览系统${randomBytes(2).toString('hex')}`,
        status: 'accepted',
        trusted_terminals: '[]',
        storage_carriers: '[]',
      })
      .execute();
    const created = await steward.request('POST', '/api/resources', {
      systemId: system,
      name: `预览资源${randomBytes(2).toString('hex')}`,
      shareAttribute: 'unconditional',
      openAttribute: 'not_open',
      fields: [{ name: 'xm', dataType: 'string' }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const resourceId = created.json().id as string;
    const csv = `xm\n${Array.from({ length: 60 }, (_, i) => `人员${i}`).join('\n')}\n`;
    const load = await h.app.inject({
      method: 'POST',
      url: `/api/resources/${resourceId}/dataset?mode=replace&fileName=p.csv`,
      headers: { cookie: steward.cookie, 'x-csrf-token': steward.csrf, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(load.statusCode, load.body).toBe(200);
    for (let i = 0; i < 2; i++) expect((await steward.request('GET', `/api/resources/${resourceId}/dataset/preview?limit=50`)).statusCode).toBe(200);
    await run();
    expect(await alertsWhere('bulk_read', { subject: 'psb.steward' })).toHaveLength(0); // 100 rows: not above 100
    expect((await steward.request('GET', `/api/resources/${resourceId}/dataset/preview?limit=1`)).statusCode).toBe(200);
    await run();
    const found = await alertsWhere('bulk_read', { subject: 'psb.steward' });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'high', institution_id: psb });
    expect(found[0]?.details).toMatchObject({ subject: 'user', rows: 101, threshold: 100, reads: 3 });
  });

  it('a disabled rule raises nothing', async () => {
    const off = await citySecurity.request('PUT', '/api/audit/alert-rules/login_failures', { enabled: false, severity: 'medium' });
    expect(off.statusCode, off.body).toBe(200);
    const ip = freshIp();
    for (let i = 0; i < 5; i++) await postLogin(h, { username: 'nobody.here', password: 'x' }, { ip });
    await run();
    expect(await alertsWhere('login_failures', { key: `login_failures:ip:${ip}:` })).toHaveLength(0);
    expect((await citySecurity.request('PUT', '/api/audit/alert-rules/login_failures', { enabled: true, severity: 'medium' })).statusCode).toBe(200);
  });

  it('the dry run shows what a rule would raise in a window, with other parameters, and writes nothing', async () => {
    const count = async () =>
      Number(
        (
          await h.t.db
            .selectFrom('audit_alerts')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const eventsBefore = Number(
      (
        await h.t.db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    // Saved parameters: the disabled-then-enabled rule's failures above (never raised) show as new; psb.clerk's as raised.
    const res = await citySecurity.request('POST', '/api/audit/alert-rules/login_failures/test', { from, to });
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json() as {
      alerts: { dedupeKey: string; alreadyRaised: boolean; subjectUsername: string | null; details: { usernames: string[] } }[];
      eventsScanned: number;
    };
    expect(out.eventsScanned).toBeGreaterThan(0);
    expect(out.alerts.find((a) => a.subjectUsername === 'psb.clerk')?.alreadyRaised).toBe(true);
    expect(out.alerts.find((a) => a.details.usernames?.includes('nobody.here'))?.alreadyRaised).toBe(false);
    // Other parameters, nothing saved: twenty failures are needed → none; three suffice → at least as many.
    const strict = await citySecurity.request('POST', '/api/audit/alert-rules/login_failures/test', { from, to, params: { threshold: 20 } });
    expect((strict.json() as { alerts: unknown[] }).alerts).toHaveLength(0);
    const loose = await citySecurity.request('POST', '/api/audit/alert-rules/login_failures/test', { from, to, params: { threshold: 3 } });
    expect((loose.json() as { params: { threshold: number }; alerts: unknown[] }).params.threshold).toBe(3);
    expect((loose.json() as { alerts: unknown[] }).alerts.length).toBeGreaterThanOrEqual(out.alerts.length);
    expectError(
      await citySecurity.request('POST', '/api/audit/alert-rules/login_failures/test', { from, to, params: { threshold: 1 } }),
      400,
      'RULE_PARAMS_INVALID',
    );
    expectError(await citySecurity.request('POST', '/api/audit/alert-rules/login_failures/test', { from: to, to: from }), 400, 'RANGE_INVALID');
    expectError(
      await citySecurity.request('POST', '/api/audit/alert-rules/login_failures/test', { from: '2025-01-01T00:00:00Z', to: '2025-03-01T00:00:00Z' }),
      400,
      'RANGE_TOO_LONG',
    );
    // The psb officer sees only psb's part; a data user may not run it.
    const scoped = await security.request('POST', '/api/audit/alert-rules/login_failures/test', { from, to });
    expect(scoped.statusCode).toBe(200);
    const s = scoped.json() as { alerts: { institution: { id: string } | null }[]; hidden: number };
    expect(s.alerts.every((a) => a.institution?.id === psb)).toBe(true);
    expect(s.hidden).toBeGreaterThan(0);
    expectError(await psbAdmin.request('POST', '/api/audit/alert-rules/login_failures/test', { from, to }), 403, 'FORBIDDEN');
    expect(await count()).toBe(before);
    expect(
      Number(
        (
          await h.t.db
            .selectFrom('audit_events')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(eventsBefore);
  });

  it('the dry run over a past window finds the holiday access again (off_hours, with the events before the window as context)', async () => {
    const res = await citySecurity.request('POST', '/api/audit/alert-rules/off_hours/test', { from: '2025-09-30T16:00:00Z', to: '2025-10-10T16:00:00Z' });
    expect(res.statusCode, res.body).toBe(200);
    const keys = (res.json() as { alerts: { dedupeKey: string; alreadyRaised: boolean }[] }).alerts.map((a) => [a.dedupeKey, a.alreadyRaised]);
    expect(keys).toContainEqual([`off_hours:${clerkId}:2025-10-01`, true]);
    expect(keys).toContainEqual([`off_hours:${clerkId}:2025-10-09`, true]);
  });
});
