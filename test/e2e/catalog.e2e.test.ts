// Issue 3 in the browser, in the zh-CN UI, one browser context per person: the public security bureau's
// data steward registers a processing system and files its registration (DG-8 deadline shown), imports a
// data resource from an XLSX file made here with exceljs (checked first, then imported, found by search),
// grades it (category from the scheme tree, a harm, the matrix proposal, field labels) and submits it; the
// bureau's security officer approves it from the pending list; the city authority's administrator sees the
// level count go up on the grading dashboard (charts drawn) and the system with its pending filing.
import { randomBytes } from 'node:crypto';
import { findWorkday, isWorkday } from 'chinese-days';
import ExcelJS from 'exceljs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserSession,
  launchChromium,
  login,
  motionDone,
  openPopup,
  openSession,
  pickDate,
  pickOption,
  type RunningServer,
  requireChromium,
  snap,
  startServer,
  step,
  tableRows,
  waitUntil,
} from './helpers.ts';

const PSB = '示范市公安局';
/** The harm recorded (个人权益 × 严重危害) and the level the default matrix gives it. */
const LEVEL = 'general-3';
const LEVEL_ZH = '一般数据（3级）';
const LOWER_ZH = '一般数据（2级）';
const CATEGORY_CODE = 'public_security.traffic.vehicle';
const CATEGORY_NAME = '机动车登记';
const FIELDS = [
  { name: 'hphm', type: '字符型', description: '号牌号码' },
  { name: 'clsbdh', type: '字符型', description: '车辆识别代号' },
  { name: 'syr', type: '字符型', description: '机动车所有人姓名' },
  { name: 'djrq', type: '日期型', description: '注册登记日期' },
];

interface Dashboard {
  totals: { graded: number; pending: number; byLevel: Record<string, number> };
  institutions: { institutionName: string; byLevel: Record<string, number>; pending: number }[];
}

describe('数安 catalog in the browser', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const sessions: BrowserSession[] = [];

  beforeAll(async () => {
    requireChromium(); // before starting anything: fail at once, never skip
    [server, browser] = await Promise.all([startServer(), launchChromium()]);
  });

  afterAll(async () => {
    // Browser first (it talks to the server), then the server and its PostgreSQL and data directory.
    for (const s of sessions) await s.close().catch(() => {});
    await browser?.close().catch((err) => console.error(`closing chromium failed: ${(err as Error).message}`));
    await server?.stop();
  });

  async function person(username: string, totp: boolean): Promise<{ ctx: { server: RunningServer; session: BrowserSession }; page: Page }> {
    if (!server || !browser) throw new Error('setup did not complete');
    const session = await openSession(browser, server.url);
    sessions.push(session);
    const ctx = { server, session };
    await step(`login-${username}`, ctx, () => login(session.page, username, { totp }));
    return { ctx, page: session.page };
  }

  it('a steward registers a system, imports a resource from XLSX and grades it; the officer approves; the authority sees it', async () => {
    const tag = randomBytes(3).toString('hex');
    const systemName = `机动车登记管理系统${tag}`;
    const resourceName = `机动车登记信息${tag}`;
    const eventDate = recentWorkday();
    const expectedDeadline = findWorkday(15, eventDate);
    expect(expectedDeadline.startsWith('2026-')).toBe(true);
    // Filed today: late only if today (Beijing) is past the deadline (never, while a date a few days back is used).
    const late = beijingDate(new Date()) > expectedDeadline;

    // Three people, each in a browser context of their own; they log in side by side (the privileged two
    // with their authenticator codes), which saves the time of logging in one after the other.
    const [steward, authority, officer] = await Promise.all([person('psb.steward', false), person('city.admin', true), person('psb.security', true)]);
    const sp = steward.page;
    const ap = authority.page;
    const op = officer.page;

    // ---- the data steward ------------------------------------------------------------------------

    let systemId = '';
    await step('1-register-system', steward.ctx, async () => {
      await sp.getByTestId('nav-systems').click();
      await sp.waitForURL((u) => u.pathname === '/systems');
      await sp.getByTestId('system-create').click();
      const drawer = sp.getByTestId('system-form-drawer');
      await drawer.waitFor();
      await motionDone(sp.locator('.ant-drawer-content-wrapper').filter({ visible: true }));
      // The institution defaults to the steward's own.
      await expectText(sp.getByTestId('system-form-institution'), PSB);
      await sp.getByTestId('system-form-name').fill(systemName);
      await sp.getByTestId('system-form-description').fill('机动车注册、转移、变更、抵押登记业务系统');
      // The DG-8 facts a registration filing needs (REGISTRATION_INCOMPLETE otherwise).
      await drawer.getByLabel('姓名', { exact: true }).fill('陈志刚');
      await drawer.getByLabel('职务', { exact: true }).fill('交警支队副支队长');
      await sp.getByTestId('system-form-measures').fill('政务云部署；数据库透明加密；堡垒机运维；操作日志集中审计');
      await drawer.getByLabel('最近一次安全评估结论', { exact: true }).fill('2026 年度风险评估：低风险，无高危问题');
      await drawer.getByLabel('审计结论', { exact: true }).fill('2026 年上半年内部审计未发现违规访问');
      await pickOption(sp, sp.getByTestId('system-form-mlps'), '第3级');
      await pickOption(sp, sp.getByTestId('system-form-hosting'), '政务云');
      await snap(sp, 'c1-system-form');
      await sp.getByTestId('system-form-submit').click();
      await drawer.waitFor({ state: 'detached' });

      // Saved as a draft; the page of the new system opens.
      await sp.waitForURL((u) => /^\/systems\/[0-9a-f-]{36}$/.test(u.pathname));
      systemId = new URL(sp.url()).pathname.split('/')[2] as string;
      await expectText(sp.getByTestId('system-detail-name'), systemName);
      await waitForAttr(sp.getByTestId('system-detail').getByTestId('system-status').first(), 'data-status', 'draft');

      // 提交登记 with the date it went into operation.
      await sp.getByTestId('system-submit').click();
      const modal = sp.getByTestId('file-modal');
      await openModal(sp);
      await pickDate(sp, sp.getByTestId('file-modal-date'), eventDate);
      await sp.getByTestId('file-modal-ok').click();
      await modal.waitFor({ state: 'detached' });
      expect(await sp.getByTestId('file-modal-error').count()).toBe(0);

      // 已报送, with the DG-8 deadline: 15 working days after the event date.
      const status = sp.getByTestId('system-detail').getByTestId('system-status').first();
      await waitForAttr(status, 'data-status', 'submitted');
      expect(await status.innerText()).toBe('已报送');
      await expectText(sp.getByTestId('system-detail-deadline'), expectedDeadline);
      const filing = sp.getByTestId('filing-item');
      await waitForAttr(filing, 'data-review', 'pending');
      expect(await filing.getAttribute('data-kind')).toBe('registration');
      expect(await sp.getByTestId('filing-deadline').innerText()).toBe(expectedDeadline);
      expect((await sp.getByTestId('system-detail').getByTestId('late-tag').count()) > 0).toBe(late);
      await snap(sp, 'c1-system-submitted');

      // The list shows it the same way.
      await sp.getByTestId('system-back').click();
      await sp.waitForURL((u) => u.pathname === '/systems');
      await searchIn(sp.getByTestId('system-search'), systemName);
      await waitUntil(`${systemName} alone in the system table, 已报送 with its deadline`, async () => {
        const rows = await tableRows(sp.getByTestId('system-table'));
        return rows.length === 1 && [systemName, PSB, '已报送', '第3级', '政务云', '待受理', expectedDeadline].every((t) => rows[0]?.includes(t));
      });
    });

    await step('2-import-xlsx', steward.ctx, async () => {
      await sp.getByTestId('nav-catalog').click();
      await sp.waitForURL((u) => u.pathname === '/catalog');
      await sp.getByTestId('catalog-import').click();
      const modal = sp.getByTestId('import-modal');
      await openModal(sp);
      await expectText(sp.getByTestId('import-institution'), PSB);
      await modal.locator('input[type=file]').setInputFiles({
        name: `机动车目录${tag}.xlsx`,
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buffer: await catalogXlsx(systemName, resourceName),
      });
      await expectText(modal.locator('.ant-upload-list'), `机动车目录${tag}.xlsx`);

      // Check first (dry run): no problems, one resource and its fields would be created, nothing else.
      await sp.getByTestId('import-check').click();
      const ok = sp.getByTestId('import-check-ok');
      await ok.waitFor();
      expect(await sp.getByTestId('import-invalid').count()).toBe(0);
      expect(await sp.getByTestId('import-error').count()).toBe(0);
      const wouldCreate = await ok.getByTestId('import-counts').innerText();
      for (const t of ['将新建', '系统 0 个', '数据资源 1 个', `数据项 ${FIELDS.length} 个`]) expect(wouldCreate).toContain(t);
      expect(wouldCreate).not.toContain('定级'); // no level column: nothing is proposed
      // Nothing written by the check.
      const none = await sp.request.get(`/api/resources?q=${encodeURIComponent(resourceName)}`);
      expect(((await none.json()) as { total: number }).total).toBe(0);
      await snap(sp, 'c2-import-checked');

      await sp.getByTestId('import-run').click();
      const success = sp.getByTestId('import-success');
      await success.waitFor();
      const created = await success.getByTestId('import-counts').innerText();
      for (const t of ['已新建', '数据资源 1 个', `数据项 ${FIELDS.length} 个`]) expect(created).toContain(t);
      await snap(sp, 'c2-import-done');
      await sp.getByTestId('import-close').click();
      await modal.waitFor({ state: 'detached' });

      // Found by the catalog search (a field's description, in Chinese), ungraded.
      await searchIn(sp.getByTestId('resource-search'), `车辆识别代号`);
      const table = sp.getByTestId('resource-table');
      await waitUntil(`${resourceName} in the catalog search`, async () => {
        const rows = await tableRows(table);
        const row = rows.find((r) => r.includes(resourceName));
        return !!row && [systemName, PSB, '受限共享', '不予开放', '未定级'].every((t) => row.includes(t));
      });
      await searchIn(sp.getByTestId('resource-search'), resourceName);
      await waitUntil(`${resourceName} alone in the catalog search`, async () => {
        const rows = await tableRows(table);
        return rows.length === 1 && rows[0]?.includes(resourceName) === true;
      });
      await waitForAttr(table.getByTestId('grading-status'), 'data-status', 'ungraded');
    });

    let resourceId = '';
    await step('3-grade', steward.ctx, async () => {
      await sp.getByTestId('resource-table').getByTestId('resource-open').filter({ hasText: resourceName }).click();
      await sp.waitForURL((u) => /^\/catalog\/[0-9a-f-]{36}$/.test(u.pathname));
      resourceId = new URL(sp.url()).pathname.split('/')[2] as string;
      await expectText(sp.getByTestId('resource-detail-name'), resourceName);
      await waitForAttr(sp.getByTestId('resource-detail').getByTestId('grading-status'), 'data-status', 'ungraded');
      // Ungraded: the strictest controls apply meanwhile (fail safe).
      await sp.getByTestId('controls-fail-safe').waitFor();
      await expectText(sp.getByTestId('resource-fields'), 'clsbdh');

      await sp.getByTestId('resource-grade').click();
      const drawer = sp.getByTestId('grading-drawer');
      await drawer.waitFor();
      await motionDone(sp.locator('.ant-drawer-content-wrapper').filter({ visible: true }));
      await sp.getByTestId('grading-form').waitFor();

      // A category from the scheme tree.
      await pickTreeMulti(sp, sp.getByTestId('grading-categories'), CATEGORY_NAME, CATEGORY_CODE);
      expect(await drawer.isVisible()).toBe(true);
      // A harm: object × degree × reason; the matrix proposes the level.
      const harm = sp.getByTestId('grading-harm-row').first();
      await pickOption(sp, harm.getByTestId('harm-object'), '个人权益');
      await pickOption(sp, harm.getByTestId('harm-degree'), '严重危害');
      await harm.getByTestId('harm-reason').fill('含车主姓名与车辆识别信息，泄露可能被用于诈骗或盗抢');
      await waitForAttr(sp.getByTestId('grading-proposed-level'), 'data-level', LEVEL);
      expect(await sp.getByTestId('grading-proposed-level').innerText()).toBe(LEVEL_ZH);
      await waitForAttr(harm.getByTestId('harm-level'), 'data-level', LEVEL);
      await expectText(sp.getByTestId('grading-chosen-level'), LEVEL_ZH); // the proposal is chosen
      expect(await sp.getByTestId('grading-override-reason').count()).toBe(0);

      // Field labels at or below the level: the plate number one lower, the rest at the chosen level.
      const levels = sp.getByTestId('field-label-level');
      expect(await levels.count()).toBe(FIELDS.length);
      await pickOption(sp, levels.nth(0), LOWER_ZH);
      await sp.getByTestId('grading-label-all').click();
      for (let i = 1; i < FIELDS.length; i++) await expectText(levels.nth(i), LEVEL_ZH);
      await expectText(levels.nth(0), LOWER_ZH);
      await expectText(sp.getByTestId('grading-proposal'), LEVEL_ZH); // highest field level shown
      expect(await sp.getByTestId('grading-below-field').count()).toBe(0);
      await snap(sp, 'c3-grading-form');

      await sp.getByTestId('grading-submit').click();
      await drawer.waitFor({ state: 'detached' });
      expect(await sp.getByTestId('grading-error').count()).toBe(0);

      // 待审批: the proposal waits for the security officer; the steward cannot grade again meanwhile.
      const status = sp.getByTestId('resource-detail').getByTestId('grading-status');
      await waitForAttr(status, 'data-status', 'pending');
      expect(await status.innerText()).toBe('待审批');
      await sp.getByTestId('grading-pending').waitFor();
      await expectText(sp.getByTestId('grading-pending'), LEVEL_ZH);
      await waitUntil('分级 disabled while pending', () => sp.getByTestId('resource-grade').isDisabled());
      expect(await sp.getByTestId('grading-approve').count()).toBe(0); // the steward cannot approve
      await waitForAttr(sp.getByTestId('grading-history-status'), 'data-status', 'pending');
      await snap(sp, 'c3-grading-pending');
    });

    // ---- the authority: the dashboard before the approval ---------------------------------------
    let before: { api: Dashboard; graded: number; pending: number; psbLevel: number } | undefined;
    await step('4a-dashboard-before', authority.ctx, async () => {
      await openDashboard(ap);
      before = await readDashboard(ap);
      expect(before.api.totals.pending).toBeGreaterThanOrEqual(1);
    });

    // ---- the security officer --------------------------------------------------------------------
    await step('4-approve', officer.ctx, async () => {
      await op.getByTestId('nav-grading').click();
      await op.waitForURL((u) => u.pathname === '/grading');
      await op.getByTestId('grading-tab-pending').click();
      await op.waitForURL((u) => u.searchParams.get('tab') === 'pending');
      const pending = op.getByTestId('pending-gradings');
      await waitUntil(`${resourceName} in the pending gradings`, async () => {
        const rows = await tableRows(pending);
        const row = rows.find((r) => r.includes(resourceName));
        return !!row && [PSB, systemName, CATEGORY_NAME].every((t) => row.includes(t));
      });
      await snap(op, 'c4-pending');
      await pending.getByTestId('pending-open').filter({ hasText: resourceName }).click();
      await op.waitForURL((u) => u.pathname === `/catalog/${resourceId}`);
      await expectText(op.getByTestId('resource-detail-name'), resourceName);
      await op.getByTestId('grading-pending').waitFor();

      await op.getByTestId('grading-approve').click();
      const modal = op.getByTestId('grading-decision-modal');
      await openModal(op);
      await op.getByTestId('grading-decision-reason').fill('分类与危害分析依据充分，同意定级');
      await op.getByTestId('grading-decision-ok').click();
      await modal.waitFor({ state: 'detached' });
      expect(await op.getByTestId('grading-decision-error').count()).toBe(0);

      // The level applies: shown on the resource, with the controls of that level (no longer fail safe).
      const detail = op.getByTestId('resource-detail');
      await waitForAttr(detail.getByTestId('grading-status'), 'data-status', 'approved');
      await waitForAttr(op.getByTestId('resource-level'), 'data-level', LEVEL);
      expect(await op.getByTestId('resource-level').innerText()).toBe(LEVEL_ZH);
      await op.getByTestId('grading-pending').waitFor({ state: 'detached' });
      const controls = op.getByTestId('resource-controls');
      await waitForAttr(controls.getByTestId('controls-level'), 'data-level', LEVEL);
      await controls.getByTestId('controls-card').waitFor();
      expect(await op.getByTestId('controls-fail-safe').count()).toBe(0);
      for (const id of ['control-encrypt', 'control-approvals', 'control-masking']) {
        expect((await controls.getByTestId(id).innerText()).trim()).not.toBe('');
      }
      // The field labels apply too; the category is set.
      const fieldLevels = await op
        .getByTestId('resource-fields')
        .getByTestId('field-level')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-level')));
      expect(fieldLevels).toEqual(['general-2', ...FIELDS.slice(1).map(() => LEVEL)]);
      await expectText(op.getByTestId('resource-basic'), CATEGORY_NAME);
      await waitForAttr(op.getByTestId('grading-history-status'), 'data-status', 'approved');
      await snap(op, 'c4-approved');
    });

    // ---- the authority: the dashboard after, and the registry -----------------------------------
    await step('5-authority-sees-it', authority.ctx, async () => {
      if (!before) throw new Error('no dashboard baseline');
      const b = before;
      await ap.getByTestId('nav-home').click();
      await ap.waitForURL((u) => u.pathname === '/');
      await openDashboard(ap);
      let after: Awaited<ReturnType<typeof readDashboard>> | undefined;
      await waitUntil('the dashboard to count the approval', async () => {
        after = await readDashboard(ap);
        return after.graded === b.graded + 1;
      });
      if (!after) throw new Error('unreachable');
      expect(after.api.totals.byLevel[LEVEL]).toBe((b.api.totals.byLevel[LEVEL] ?? 0) + 1);
      expect(after.psbLevel).toBe(b.psbLevel + 1);
      expect(after.pending).toBe(b.pending - 1);
      expect(after.api.totals.pending).toBe(b.api.totals.pending - 1);
      // The other levels did not move.
      for (const [level, n] of Object.entries(b.api.totals.byLevel)) if (level !== LEVEL) expect(after.api.totals.byLevel[level]).toBe(n);

      // Both ECharts canvases are drawn (sized and inked).
      for (const chart of ['chart-levels', 'chart-institutions']) {
        const canvas = ap.getByTestId(chart).locator('canvas').first();
        await canvas.waitFor();
        await waitUntil(`the ${chart} canvas to be drawn`, () => canvasInked(canvas));
      }
      await snap(ap, 'c5-dashboard');

      // 系统登记: the system with its pending registration filing.
      await ap.getByTestId('nav-systems').click();
      await ap.waitForURL((u) => u.pathname === '/systems');
      await searchIn(ap.getByTestId('system-search'), systemName);
      const table = ap.getByTestId('system-table');
      await waitUntil(`${systemName} with its pending filing in the authority's registry`, async () => {
        const rows = await tableRows(table);
        return rows.length === 1 && [systemName, PSB, '已报送', '登记', '待受理', expectedDeadline].every((t) => rows[0]?.includes(t));
      });
      await waitForAttr(table.getByTestId('review-status'), 'data-status', 'pending');
      // …and in the authority's filing review queue, which it may accept.
      await table.getByTestId('system-open').click();
      await ap.waitForURL((u) => u.pathname === `/systems/${systemId}`);
      await waitForAttr(ap.getByTestId('filing-item'), 'data-review', 'pending');
      await ap.getByTestId('filing-accept').waitFor();
      expect(await ap.getByTestId('system-detail-deadline').innerText()).toBe(expectedDeadline);
      await snap(ap, 'c5-system');
    });

    // No uncaught errors in any page during the whole flow.
    for (const s of sessions) expect(s.pageErrors, `uncaught page errors:\n${s.pageErrors.join('\n')}`).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------

/** The calendar date (YYYY-MM-DD) in Beijing, where the DG-8 rule is kept. */
function beijingDate(d: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d);
}

/**
 * The date the system went into operation: a working day a few days back (Beijing), early enough that
 * its 15-working-day deadline stays within 2026 (the last year with a built-in holiday schedule).
 */
function recentWorkday(): string {
  let d = new Date(Date.now() - 3 * 86_400_000);
  if (beijingDate(d) > '2026-12-31') d = new Date('2026-12-31T04:00:00Z');
  for (let i = 0; i < 400; i++, d = new Date(d.getTime() - 86_400_000)) {
    const day = beijingDate(d);
    if (day.startsWith('2026-') && isWorkday(day) && findWorkday(15, day) <= '2026-12-31') return day;
  }
  throw new Error('no working day found in 2026');
}

/** The catalog file a steward would fill in: a resources sheet and a fields sheet naming the system; no level column. */
async function catalogXlsx(systemName: string, resourceName: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const resources = wb.addWorksheet('数据资源');
  resources.addRow(['系统名称', '资源名称', '说明', '共享属性', '共享依据', '开放属性', '开放依据', '更新频率', '记录数']);
  resources.addRow([
    systemName,
    resourceName,
    '本市机动车注册登记信息',
    '受限共享',
    '《机动车登记规定》；仅向依法履职部门共享',
    '不予开放',
    '涉及个人信息',
    '每日',
    86000,
  ]);
  const fields = wb.addWorksheet('数据项');
  fields.addRow(['系统名称', '资源名称', '字段名称', '数据类型', '说明']);
  for (const f of FIELDS) fields.addRow([systemName, resourceName, f.name, f.type, f.description]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function openDashboard(page: Page): Promise<void> {
  await page.getByTestId('nav-grading').click();
  await page.waitForURL((u) => u.pathname === '/grading');
  await page.getByTestId('grading-dashboard-link').click();
  await page.waitForURL((u) => u.pathname === '/grading/dashboard');
  await page.getByTestId('grading-dashboard').waitFor();
}

/** The dashboard as the API has it and as the page shows it (graded and pending cards, the PSB row's level cell). */
async function readDashboard(page: Page): Promise<{ api: Dashboard; graded: number; pending: number; psbLevel: number }> {
  const res = await page.request.get('/api/grading/dashboard');
  expect(res.status()).toBe(200);
  const api = (await res.json()) as Dashboard;
  const graded = Number(await page.getByTestId('stat-graded').getAttribute('data-value'));
  const pending = Number(await page.getByTestId('stat-pending').getAttribute('data-value'));
  const table = page.getByTestId('dashboard-table');
  const heads = table.locator('thead th');
  let col = -1;
  for (let i = 0; i < (await heads.count()); i++) {
    if ((await heads.nth(i).locator(`[data-level="${LEVEL}"]`).count()) > 0) col = i;
  }
  expect(col, `a ${LEVEL} column in the dashboard table`).toBeGreaterThan(0);
  const rows = table.locator('tbody tr.ant-table-row');
  let psbLevel = Number.NaN;
  for (let i = 0; i < (await rows.count()); i++) {
    const cells = rows.nth(i).locator('td');
    if ((await cells.first().innerText()).trim() === PSB) psbLevel = Number(await cells.nth(col).innerText());
  }
  // The page and the API agree.
  expect(graded).toBe(api.totals.graded);
  expect(pending).toBe(api.totals.pending);
  expect(psbLevel).toBe(api.institutions.find((i) => i.institutionName === PSB)?.byLevel[LEVEL]);
  return { api, graded, pending, psbLevel };
}

/** Whether a canvas has a size and some drawn (non-transparent) pixels. */
async function canvasInked(canvas: Locator): Promise<boolean> {
  return canvas.evaluate((c) => {
    if (!c.width || !c.height) return false;
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data as Uint8ClampedArray;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) return true;
    return false;
  });
}

/** Picks a node of a multiple TreeSelect (the popup stays open): types its name, clicks the title with that code, closes. */
async function pickTreeMulti(page: Page, select: Locator, name: string, code: string): Promise<void> {
  await select.click();
  await page.keyboard.type(name);
  const popup = openPopup(page);
  await popup.waitFor();
  await motionDone(popup);
  await popup.locator('.ant-select-tree-title').filter({ hasText: code }).first().click();
  // A multiple select stays open: Escape closes it (the open popup is the topmost layer, so an enclosing
  // drawer does not take the Escape for itself).
  await page.keyboard.press('Escape');
  await popup.waitFor({ state: 'hidden' });
  await waitUntil(`the tree select to show "${name}"`, async () => (await select.innerText()).includes(name));
}

/** Waits for the open antd modal (its dialog, not the zero-size root carrying the test id) to settle. */
async function openModal(page: Page): Promise<void> {
  const dialog = page.locator('.ant-modal').filter({ visible: true });
  await dialog.waitFor();
  await motionDone(dialog);
}

async function waitForAttr(locator: Locator, attr: string, value: string): Promise<void> {
  await waitUntil(`${attr}="${value}" on ${locator}`, async () => (await locator.getAttribute(attr, { timeout: 2_000 })) === value);
}

async function expectText(locator: Locator, text: string): Promise<void> {
  await waitUntil(`"${text}" in ${locator}`, async () => (await locator.innerText({ timeout: 2_000 })).includes(text));
}

/** Types into an antd Input.Search and presses Enter (which runs the search). */
async function searchIn(search: Locator, text: string): Promise<void> {
  const input = (await search.evaluate((el) => el.tagName)) === 'INPUT' ? search : search.locator('input');
  await input.fill(text);
  await input.press('Enter');
}
