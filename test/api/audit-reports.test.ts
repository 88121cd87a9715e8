// Periodic audit reports (AUD-4) with the vendor activity review (AUD-5): the sections come from real audited
// actions (a role assignment, a vendor operator's logins and token, another vendor's activity elsewhere, a
// security policy change), alerts from audit_alerts; the XLSX parses back with its sections; an archived report
// keeps its file (SM3 recorded) and is audited, as is the review; scope is in the query (another institution's
// report is 404), and a bad period is 400.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/db/ids.ts';
import { sm3 } from '../../src/engines/gm/index.ts';
import type { AuditReport, StoredReport, StoredReportSummary } from '../../src/modules/audit/reports.schemas.ts';
import { REPORT_SHEETS } from '../../src/modules/audit/reports.xlsx.ts';
import { DEFAULT_SECURITY_POLICY } from '../../src/modules/settings/security-policy.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';

let h: TestApp;
let c: Record<'psbSecurity' | 'psbAdmin' | 'psbSteward' | 'cityAuditor' | 'cacAuditor' | 'vendor1' | 'vendor2' | 'admin' | 'eduUser', Client>;
let psb: string;
let edu: string;
let city: string;
let from: string;
let to: string;
const q = (inst: string, f = from, t = to) => `institutionId=${inst}&from=${encodeURIComponent(f)}&to=${encodeURIComponent(t)}`;

beforeAll(async () => {
  h = await createTestApp();
  [psb, edu, city] = await Promise.all([h.inst('示范市公安局'), h.inst('示范市教育局'), h.inst('示范市数据管理局')]);
  from = new Date(Date.now() - 60_000).toISOString();
  const logins = await Promise.all(
    ['psb.security', 'psb.admin', 'psb.steward', 'city.auditor', 'cac.auditor', 'vendor.ops1', 'vendor.ops2', 'admin', 'edu.user'].map((u) => h.login(u)),
  );
  const [psbSecurity, psbAdmin, psbSteward, cityAuditor, cacAuditor, vendor1, vendor2, admin, eduUser] = logins as Client[];
  c = { psbSecurity, psbAdmin, psbSteward, cityAuditor, cacAuditor, vendor1, vendor2, admin, eduUser } as typeof c;

  // A privileged operation at the bureau: its administrator gives the steward a second role.
  const assign = await c.psbAdmin.request('POST', `/api/users/${c.psbSteward.userId}/roles`, { role: 'data_user', institutionId: psb });
  expect(assign.statusCode).toBe(201);
  // The bureau's vendor operator: a failed login, an API token (a permission change), a logout.
  const bad = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'vendor.ops1', password: 'wrong-password-1' } });
  expect(bad.statusCode).toBe(401);
  const token = await c.vendor1.request('POST', '/api/me/tokens', { name: '运维脚本', scopes: ['institution.read'], expiresInDays: 7 });
  expect(token.statusCode).toBe(201);
  // The health commission's vendor operator: not the bureau's business.
  const token2 = await c.vendor2.request('POST', '/api/me/tokens', { name: '卫健运维', scopes: ['institution.read'], expiresInDays: 7 });
  expect(token2.statusCode).toBe(201);
  // A platform configuration change (about no institution: city-wide reports only).
  const policy = await c.admin.request('PUT', '/api/settings/security-policy', DEFAULT_SECURITY_POLICY);
  expect(policy.statusCode).toBe(200);

  // Alerts as the alert processor raises them: two about the bureau (one closed in time, one open past due),
  // one about the education bureau.
  const now = Date.now();
  const alert = (institution: string, o: { severity: string; status: string; created: number; due: number; closed?: number }) => ({
    id: uuidv7(),
    rule: 'repeated_login_failures',
    dedupe_key: `test:${uuidv7()}`,
    severity: o.severity,
    status: o.status,
    institution_id: institution,
    owner_user_id: null,
    subject_user_id: c.vendor1.userId,
    subject_username: 'vendor.ops1',
    summary_zh: '连续登录失败',
    summary_en: 'Repeated login failures',
    details: '{}',
    event_ids: [],
    first_event_at: new Date(o.created),
    last_event_at: new Date(o.created),
    created_at: new Date(o.created),
    due_at: new Date(o.due),
    closed_at: o.closed ? new Date(o.closed) : null,
    closed_by: o.closed ? c.psbSecurity.userId : null,
    resolution: o.closed ? '已核实为误操作' : null,
  });
  await h.t.db
    .insertInto('audit_alerts')
    .values([
      alert(psb, { severity: 'high', status: 'closed', created: now - 30_000, due: now + 3_600_000, closed: now - 30_000 + 7_200 }),
      alert(psb, { severity: 'medium', status: 'open', created: now - 20_000, due: now - 10_000 }),
      alert(edu, { severity: 'low', status: 'open', created: now - 20_000, due: now + 3_600_000 }),
    ])
    .execute();
  to = new Date(Date.now() + 60_000).toISOString();
});
afterAll(() => h?.close());

async function summary(client: Client, inst: string): Promise<AuditReport> {
  const res = await client.request('GET', `/api/audit/reports/summary?${q(inst)}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as AuditReport;
}
const action = (r: AuditReport, code: string) => r.activity.groups.flatMap((g) => g.actions).find((a) => a.action === code);

describe('the report of an institution', () => {
  it('counts activity by group and action with outcomes, from the audited actions', async () => {
    const r = await summary(c.psbSecurity, psb);
    expect(r.institution).toEqual({ id: psb, name: '示范市公安局' });
    expect(r.scope).toEqual({ institutions: 1, cityWide: false });
    expect(action(r, 'org.role.assign')?.counts).toMatchObject({ success: 1 });
    // The vendor operator's failed login is in the bureau's report (vendor staff's own-account events count).
    expect(action(r, 'auth.login')?.counts.failure).toBeGreaterThanOrEqual(1);
    const org = r.activity.groups.find((g) => g.group === 'org');
    expect(org?.counts.total).toBe(org?.actions.reduce((n, a) => n + a.counts.total, 0));
    expect(r.activity.totals.total).toBe(r.activity.groups.reduce((n, g) => n + g.counts.total, 0));
    // The platform's configuration change is about no institution: not the bureau's.
    expect(action(r, 'settings.security_policy.update')).toBeUndefined();
    expect(r.period.firstDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('lists the privileged operations: the role assignment and the vendor operator’s API token', async () => {
    const r = await summary(c.psbSecurity, psb);
    const assign = r.privileged.events.find((e) => e.action === 'org.role.assign');
    expect(assign).toMatchObject({ kind: 'role', actorUsername: 'psb.admin', outcome: 'success', targetId: c.psbSteward.userId });
    expect(r.privileged.events.find((e) => e.action === 'auth.api_token.create' && e.actorUsername === 'vendor.ops1')).toMatchObject({ kind: 'permission' });
    expect(r.privileged.events.some((e) => e.actorUsername === 'vendor.ops2')).toBe(false);
    expect(r.privileged.total).toBe(r.privileged.byKind.reduce((n, k) => n + k.count, 0));
  });

  it('reviews the vendor operator’s every event by user and action (AUD-5); another institution’s vendor is not in it', async () => {
    const r = await summary(c.psbSecurity, psb);
    expect(r.vendor.users.map((u) => u.username)).toEqual(['vendor.ops1']);
    const u = r.vendor.users[0];
    expect(u?.institutions).toEqual(['示范市公安局']);
    const acts = Object.fromEntries((u?.actions ?? []).map((a) => [a.action, a.counts]));
    expect(acts['auth.login']).toMatchObject({ success: 1, failure: 1 });
    expect(acts['auth.api_token.create']).toMatchObject({ success: 1 });
    expect(r.vendor.events.every((e) => e.actorUsername === 'vendor.ops1')).toBe(true);
    expect(r.vendor.events).toHaveLength(u?.counts.total ?? -1);
  });

  it('reports the alerts about the institution and their handling', async () => {
    const r = await summary(c.psbSecurity, psb);
    expect(r.alerts).toMatchObject({ raised: 2, closed: 1, pending: 1, overdue: 1, meanHandlingHours: 0 });
    expect(r.alerts.bySeverity.map((s) => s.severity)).toEqual(['high', 'medium']);
    expect(r.alerts.items.map((a) => [a.severity, a.overdue])).toEqual([
      ['medium', true],
      ['high', false],
    ]);
  });

  it('gives the chain verification over the period', async () => {
    const r = await summary(c.psbSecurity, psb);
    expect(r.integrity.method).toBe('verified');
    expect(r.integrity.ok).toBe(true);
    expect(r.integrity.firstBroken).toBeNull();
    expect(r.integrity.eventsInPeriod).toBe(r.activity.totals.total);
    expect(r.integrity.chainedInPeriod + r.integrity.pendingInPeriod).toBe(r.integrity.eventsInPeriod);
  });

  it('the city root’s report is city-wide: every institution, both vendors, platform events', async () => {
    const r = await summary(c.cityAuditor, city);
    expect(r.scope.cityWide).toBe(true);
    expect(r.scope.institutions).toBeGreaterThan(5);
    expect(r.vendor.users.map((u) => u.username).sort()).toEqual(['vendor.ops1', 'vendor.ops2']);
    expect(action(r, 'settings.security_policy.update')?.counts.success).toBe(1);
    expect(r.alerts.raised).toBe(3);
  });

  it('scope lives in the query: a regulator reads a granted institution, not another (404); no permission is 403', async () => {
    expect((await summary(c.cacAuditor, psb)).vendor.users).toHaveLength(1);
    for (const [client, inst, status] of [
      [c.cacAuditor, edu, 404],
      [c.psbSecurity, edu, 404],
      [c.psbSecurity, city, 404],
      [c.psbSteward, psb, 403],
      [c.vendor1, psb, 403],
      [c.eduUser, psb, 404],
    ] as const) {
      const res = await client.request('GET', `/api/audit/reports/summary?${q(inst)}`);
      expect(res.statusCode, `${client.username} → ${inst}`).toBe(status);
      if (status === 404) expect(res.json().code).toBe('NOT_FOUND');
      expect(res.body).not.toContain('vendor.ops1');
    }
  });

  it('a period without events is an empty report, not an error', async () => {
    const res = await c.psbSecurity.request('GET', `/api/audit/reports/summary?${q(psb, '2025-01-01T00:00:00+08:00', '2025-02-01T00:00:00+08:00')}`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json() as AuditReport;
    expect(r.period).toMatchObject({ firstDay: '2025-01-01', lastDay: '2025-01-31' });
    expect(r.activity.totals.total).toBe(0);
    // The vendor operator was given the role after that period: not listed for it.
    expect(r.vendor.users).toEqual([]);
    expect(r.alerts.raised).toBe(0);
    expect(r.integrity).toMatchObject({ eventsInPeriod: 0, firstBroken: null });
  });

  it('refuses a bad period with 400', async () => {
    const cases = [
      q(psb, to, from),
      q(psb, from, from),
      q(psb, '2024-01-01T00:00:00+08:00', '2025-03-01T00:00:00+08:00'),
      `institutionId=${psb}&from=${encodeURIComponent(from)}`,
      `institutionId=${psb}&from=yesterday&to=${encodeURIComponent(to)}`,
    ];
    for (const query of cases) {
      const res = await c.psbSecurity.request('GET', `/api/audit/reports/summary?${query}`);
      expect(res.statusCode, query).toBe(400);
    }
    const reversed = await c.psbSecurity.request('GET', `/api/audit/reports/summary?${q(psb, to, from)}`);
    expect(reversed.json()).toMatchObject({ code: 'INVALID_PERIOD', details: { field: 'to' } });
    const en = await c.psbSecurity.request('GET', `/api/audit/reports/summary?${q(psb, to, from)}`, undefined, { 'accept-language': 'en' });
    expect(en.json().message).toBe('The period must end after it starts');
  });
});

async function workbook(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as never);
  return wb;
}
const sheetText = (wb: ExcelJS.Workbook, name: string): string => {
  const ws = wb.getWorksheet(name);
  const out: string[] = [];
  ws?.eachRow((row) => {
    out.push((row.values as unknown[]).map((v) => (v === null || v === undefined ? '' : String(v))).join('|'));
  });
  return out.join('\n');
};

describe('the XLSX workbook', () => {
  it('has one sheet per section with Chinese headers and Beijing times; the export is audited', async () => {
    const res = await c.psbSecurity.request('GET', `/api/audit/reports/xlsx?${q(psb)}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const disposition = decodeURIComponent(String(res.headers['content-disposition']));
    const days = (await summary(c.psbSecurity, psb)).period;
    expect(disposition).toContain(`审计报告_示范市公安局_${days.firstDay}至${days.lastDay}.xlsx`);
    const wb = await workbook(res.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual([...REPORT_SHEETS]);
    expect(sheetText(wb, '概览')).toContain('示范市公安局');
    const activity = sheetText(wb, '操作分类统计');
    expect(activity.split('\n')[0]).toBe('|操作分组|操作代码|操作名称|合计|成功|失败|拒绝');
    expect(activity).toContain('org.role.assign|分配角色');
    const privileged = sheetText(wb, '特权操作');
    expect(privileged).toContain('角色变更');
    expect(privileged).toContain('psb.admin');
    const vendor = sheetText(wb, '外包人员活动');
    expect(vendor).toContain('vendor.ops1');
    expect(vendor).not.toContain('vendor.ops2');
    expect(sheetText(wb, '外包人员操作明细')).toContain('auth.api_token.create');
    expect(sheetText(wb, '告警处置')).toContain('连续登录失败');
    expect(sheetText(wb, '日志完整性校验')).toContain('通过');
    // Times in Beijing: the privileged row's time is the event's instant at UTC+8.
    const r = await summary(c.psbSecurity, psb);
    const ev = r.privileged.events.find((e) => e.action === 'org.role.assign');
    const beijing = new Date(new Date(ev?.occurredAt as string).getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
    expect(privileged).toContain(beijing);
    const audit = await h.t.db.selectFrom('audit_events').selectAll().where('action', '=', 'audit.report.export').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_username: 'psb.security', target_institution_id: psb });
    expect(audit[0]?.details).toMatchObject({ fileSm3: sm3(res.rawPayload).toString('hex') });
  });
});

describe('archived reports and the vendor review', () => {
  let stored: StoredReport;

  it('generating and archiving stores the report and its file (SM3 recorded); audited', async () => {
    const res = await c.cacAuditor.request('POST', '/api/audit/reports', { institutionId: psb, from, to });
    expect(res.statusCode, res.body).toBe(201);
    stored = res.json() as StoredReport;
    expect(stored).toMatchObject({ institutionId: psb, institutionName: '示范市公安局', periodFrom: from, vendorReview: null });
    expect(stored.generatedBy?.id).toBe(c.cacAuditor.userId);
    expect(stored.report.vendor.users.map((u) => u.username)).toEqual(['vendor.ops1']);
    expect(stored.totals).toEqual(stored.report.activity.totals);
    const file = await c.psbSecurity.request('GET', `/api/audit/reports/${stored.id}/xlsx`);
    expect(file.statusCode).toBe(200);
    expect(sm3(file.rawPayload).toString('hex')).toBe(stored.xlsxSm3);
    expect((await workbook(file.rawPayload)).worksheets.map((w) => w.name)).toEqual([...REPORT_SHEETS]);
    const ev = await h.t.db.selectFrom('audit_events').selectAll().where('action', '=', 'audit.report.create').executeTakeFirstOrThrow();
    expect(ev).toMatchObject({ actor_username: 'cac.auditor', target_type: 'audit_report', target_id: stored.id, target_institution_id: psb });
    expect(ev.details).toMatchObject({ xlsxSm3: stored.xlsxSm3 });
  });

  it('is listed and read within reach; out of reach it is 404, without the permission 403', async () => {
    for (const client of [c.psbSecurity, c.cityAuditor, c.cacAuditor]) {
      const list = await client.request('GET', '/api/audit/reports');
      expect(list.statusCode).toBe(200);
      expect((list.json().items as StoredReportSummary[]).map((r) => r.id)).toContain(stored.id);
      expect((await client.request('GET', `/api/audit/reports/${stored.id}`)).statusCode).toBe(200);
    }
    const filtered = await c.cityAuditor.request('GET', `/api/audit/reports?institutionId=${edu}`);
    expect(filtered.json().items).toEqual([]);
    expect((await c.psbSteward.request('GET', `/api/audit/reports/${stored.id}`)).statusCode).toBe(403);
    expect((await c.psbSteward.request('GET', '/api/audit/reports')).statusCode).toBe(403);
    for (const url of [`/api/audit/reports/${stored.id}`, `/api/audit/reports/${stored.id}/xlsx`]) {
      const res = await c.eduUser.request('GET', url);
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('示范市公安局');
    }
    expect((await c.psbSecurity.request('GET', `/api/audit/reports/${uuidv7()}`)).statusCode).toBe(404);
  });

  it('the auditor records the vendor review once; findings are required for issues; audited', async () => {
    const url = `/api/audit/reports/${stored.id}/vendor-review`;
    expect((await c.psbSecurity.request('POST', url, { conclusion: 'satisfactory' })).statusCode).toBe(403);
    const noFindings = await c.cacAuditor.request('POST', url, { conclusion: 'issues_found', findings: '  ' });
    expect(noFindings.statusCode).toBe(422);
    expect(noFindings.json()).toMatchObject({ code: 'FINDINGS_REQUIRED', details: { field: 'findings' } });
    const bad = await c.cacAuditor.request('POST', url, { conclusion: 'fine' });
    expect(bad.statusCode).toBe(400);
    const res = await c.cacAuditor.request('POST', url, { conclusion: 'issues_found', findings: '运维账号创建了 API 令牌，需说明用途' });
    expect(res.statusCode, res.body).toBe(201);
    const after = res.json() as StoredReport;
    expect(after.vendorReview).toMatchObject({
      conclusion: 'issues_found',
      findings: '运维账号创建了 API 令牌，需说明用途',
      reviewedBy: { id: c.cacAuditor.userId },
    });
    const again = await c.cityAuditor.request('POST', url, { conclusion: 'satisfactory' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('VENDOR_REVIEW_EXISTS');
    const ev = await h.t.db.selectFrom('audit_events').selectAll().where('action', '=', 'audit.report.vendor_review').execute();
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ actor_username: 'cac.auditor', target_id: stored.id, target_institution_id: psb });
    expect(ev[0]?.details).toMatchObject({ conclusion: 'issues_found', vendorUsers: 1 });
    const list = await c.psbSecurity.request('GET', '/api/audit/reports');
    expect((list.json().items as StoredReportSummary[]).find((r) => r.id === stored.id)?.vendorReview?.conclusion).toBe('issues_found');
  });

  it('archived reports and reviews cannot be changed or removed in the database', async () => {
    await expect(h.t.db.updateTable('audit_reports').set({ file_name: 'x.xlsx' }).where('id', '=', stored.id).execute()).rejects.toThrow(/append-only/);
    await expect(h.t.db.deleteFrom('audit_reports').where('id', '=', stored.id).execute()).rejects.toThrow(/append-only/);
    await expect(h.t.db.deleteFrom('audit_vendor_reviews').where('report_id', '=', stored.id).execute()).rejects.toThrow(/append-only/);
  });
});
