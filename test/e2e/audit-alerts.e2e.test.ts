// 告警处置 in the browser (AUD-3): someone tries a data steward's password five times on the login page; the
// server's alert processor (running every second here) raises a login-failure alert for the public security
// bureau; its security officer finds it in the queue, opens it with its triggering events, acknowledges it
// and closes it with a resolution, then dry-runs the rule over today in the rule settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserSession,
  expectText,
  launchBrowser,
  login,
  motionDone,
  openDrawer,
  openModal,
  pickOption,
  type RunningServer,
  requireChromium,
  snap,
  startServer,
  step,
  tableRows,
  waitUntil,
} from './helpers.ts';

describe('告警处置 in the browser', () => {
  let server: RunningServer | undefined;
  let session: BrowserSession | undefined;

  beforeAll(async () => {
    requireChromium();
    // The server reads this at start: its alert processor follows the chained log every second.
    process.env.SHUAN_ALERTS_INTERVAL_MS = '1000';
    server = await startServer();
    session = await launchBrowser(server.url);
  });

  afterAll(async () => {
    await session?.close().catch((err) => console.error(`closing chromium failed: ${(err as Error).message}`));
    await server?.stop();
  });

  it('repeated failed logins raise an alert that the security officer acknowledges and closes', async () => {
    if (!server || !session) throw new Error('setup did not complete');
    const ctx = { server, session };
    const { page } = session;

    await step('1-failed-logins', ctx, async () => {
      await page.goto('/login');
      for (let i = 1; i <= 5; i++) {
        await page.getByTestId('login-username').fill('psb.steward');
        await page.getByTestId('login-password').fill(`wrong-password-${i}`);
        const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
        await page.getByTestId('login-submit').click();
        expect((await answered).status()).toBe(401);
        await page.getByTestId('login-error').waitFor();
      }
    });

    await step('2-queue', ctx, async () => {
      await login(page, 'psb.security', { totp: true });
      await page.getByTestId('nav-audit-alerts').click();
      await page.waitForURL((u) => u.pathname === '/audit/alerts');
      const table = page.getByTestId('alerts-table');
      // The processor runs every second: reload until the alert is there.
      await waitUntil(
        'the login-failure alert in the queue',
        async () => {
          await page.reload();
          await table.waitFor();
          return (await tableRows(table)).some((r) => r.includes('psb.steward') && r.includes('登录失败'));
        },
        30_000,
      );
      await pickOption(page, page.getByTestId('alerts-filter-rule'), '连续登录失败');
      await waitUntil('only login-failure alerts listed', async () => {
        const rows = await tableRows(table);
        return rows.length > 0 && rows.every((r) => r.includes('连续登录失败'));
      });
      const row = table.locator('tbody tr.ant-table-row').filter({ hasText: 'psb.steward' });
      await expectText(row, '待处置');
      await expectText(row, '中');
      await expectText(row, '示范市公安局');
      await expectText(row, '胡婷'); // the owner: psb's security officer
      await snap(page, 'alerts-queue');
      await row.getByTestId('alert-view').click();
      await openDrawer(page);
    });

    const drawer = page.getByTestId('alert-drawer');
    await step('3-acknowledge', ctx, async () => {
      await expectText(drawer.getByTestId('alert-status'), '待处置');
      await expectText(drawer.getByTestId('alert-summary'), '账号 psb.steward 在 10 分钟内登录失败 5 次');
      const events = drawer.getByTestId('alert-events');
      await waitUntil('five failed logins listed', async () => (await tableRows(events)).length === 5);
      expect((await tableRows(events)).every((r) => r.includes('登录') && r.includes('失败'))).toBe(true);
      await drawer.getByTestId('alert-ack').click();
      await expectText(drawer.getByTestId('alert-status'), '处置中');
      await expectText(drawer, '胡婷（公安局安全管理员）');
    });

    await step('4-close', ctx, async () => {
      await drawer.getByTestId('alert-close').click();
      await openModal(page);
      // A resolution is required.
      await page.getByTestId('alert-close-ok').click();
      await expectText(page.locator('.ant-modal').filter({ visible: true }), '请填写处置结果');
      await page.getByTestId('alert-close-resolution').fill('经核实为他人误用账号，已提醒本人并修改密码');
      await page.getByTestId('alert-close-ok').click();
      await page.locator('.ant-modal').filter({ visible: true }).waitFor({ state: 'hidden' });
      await expectText(drawer.getByTestId('alert-status'), '已关闭');
      await expectText(drawer.getByTestId('alert-resolution'), '经核实为他人误用账号');
      await snap(page, 'alerts-closed');
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });
      const row = page.getByTestId('alerts-table').locator('tbody tr.ant-table-row').filter({ hasText: 'psb.steward' });
      await motionDone(page.getByTestId('alerts-table'));
      await expectText(row, '已关闭');
    });

    await step('5-rules-dry-run', ctx, async () => {
      await page.getByTestId('alerts-tab-rules').click();
      const card = page.getByTestId('rule-login_failures');
      await card.waitFor();
      await waitUntil('the seven rule cards', async () => (await page.locator('.ant-card[data-testid^="rule-"]').count()) === 7);
      // The psb officer is not city level: no save button, the dry run only.
      expect(await page.getByTestId('rule-save-login_failures').count()).toBe(0);
      const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      await card.getByTestId('rule-range-login_failures').locator('input').first().click();
      const popup = page.locator('.ant-picker-dropdown').filter({ visible: true });
      await popup.waitFor();
      await motionDone(popup);
      await popup.locator(`td.ant-picker-cell-in-view[title="${today}"]`).first().click();
      await popup.locator(`td.ant-picker-cell-in-view[title="${today}"]`).first().click();
      await popup.waitFor({ state: 'hidden' });
      await card.getByTestId('rule-test-login_failures').click();
      const result = page.getByTestId('rule-test-result-login_failures');
      await result.waitFor();
      await expectText(result, '将产生 1 条告警');
      const rows = await tableRows(result.locator('.ant-table'));
      expect(rows.some((r) => r.includes('psb.steward') && r.includes('已产生'))).toBe(true);
      await snap(page, 'alerts-rules');
    });
  });
});
