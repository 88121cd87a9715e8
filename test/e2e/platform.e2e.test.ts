// The platform as a person uses it, in the zh-CN UI: the demo city's authority administrator logs in,
// creates an institution under the district authority, creates a person there and gives them a role,
// sees both in the lists, and sees a vendor's staff member refused a privileged role.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserSession,
  cjkGlyphsRender,
  closeOpenDrawer,
  DEMO_PASSWORD,
  launchBrowser,
  motionDone,
  pickOption,
  pickTreeOption,
  type RunningServer,
  requireChromium,
  snap,
  startServer,
  step,
  tableRows,
  totpNow,
  waitUntil,
} from './helpers.ts';

const CITY = '示范市数据管理局';
const DISTRICT = '示范市南湖区数据管理局';
const PSB = '示范市公安局';

describe('数安 in the browser', () => {
  let server: RunningServer | undefined;
  let session: BrowserSession | undefined;

  beforeAll(async () => {
    requireChromium(); // before starting anything: fail at once, never skip
    server = await startServer();
    session = await launchBrowser(server.url);
  });

  afterAll(async () => {
    // Browser first (it talks to the server), then the server and its PostgreSQL and data directory.
    await session?.close().catch((err) => console.error(`closing chromium failed: ${(err as Error).message}`));
    await server?.stop();
  });

  it('authority admin: creates an institution and a person with a role; a vendor is refused a privileged role', async () => {
    if (!server || !session) throw new Error('setup did not complete');
    const ctx = { server, session };
    const { page } = session;
    const tag = randomBytes(3).toString('hex');
    const instName = `南湖区测试局${tag}`;
    const username = `e2e.${tag}`;
    const displayName = `测试员${tag}`;

    await step('1-login', ctx, async () => {
      await page.goto('/');
      await page.waitForURL((u) => u.pathname === '/login');
      await expectText(page.getByTestId('login-heading'), '数安');
      await page.getByTestId('login-username').fill('city.admin');
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-totp').fill(totpNow());
      await page.getByTestId('login-submit').click();
      await page.getByTestId('welcome-card').waitFor();
      expect(new URL(page.url()).pathname).toBe('/');
      // Chinese renders: the header says 数安, and CJK glyphs are really drawn (not "tofu" boxes).
      await expectText(page.getByTestId('app-title'), '数安');
      await expectText(page.getByTestId('header-user'), '吴静');
      await expectText(page.getByTestId('header-user'), CITY);
      expect(await cjkGlyphsRender(page), 'a CJK font (fonts-wqy-microhei) draws Chinese glyphs').toBe(true);
      await snap(page, '1-dashboard');
    });

    let instId = '';
    await step('2-institution', ctx, async () => {
      await page.getByTestId('nav-institutions').click();
      await page.waitForURL((u) => u.pathname === '/institutions');
      // Tree nodes by their visible name; the tree item around one tells its depth (indent units).
      const nodeNamed = (name: string) => page.getByTestId('institution-tree-node').filter({ has: page.getByText(name, { exact: true }) });
      const depth = (name: string) =>
        page
          .getByRole('treeitem')
          .filter({ has: nodeNamed(name) })
          .locator('.ant-tree-indent-unit')
          .count();
      const district = nodeNamed(DISTRICT);
      const districtId = await district.getAttribute('data-inst-id');
      expect(districtId).toBeTruthy();
      await district.click();
      await waitUntil('the district in the detail panel', async () => (await page.getByTestId('institution-detail-name').innerText()) === DISTRICT);
      expect(new URL(page.url()).searchParams.get('id')).toBe(districtId);

      await page.getByTestId('institution-create').click();
      await motionDone(page.locator('.ant-modal').filter({ visible: true }));
      const nameInput = page.getByTestId('institution-create-name');
      await nameInput.fill(instName);
      await pickOption(page, page.getByTestId('institution-create-kind'), '公共管理和服务机构');
      await pickOption(page, page.getByTestId('institution-create-sector'), '民政', { search: '民政' });
      await pickOption(page, page.getByTestId('institution-create-level'), '区县级');
      await snap(page, '2-institution-form');
      await page.getByTestId('institution-create-submit').click();
      await nameInput.waitFor({ state: 'detached' });
      await expect(page.getByTestId('institution-create-error').count()).resolves.toBe(0);

      // In the tree, one level below the district, and its detail shows what was entered.
      const created = nodeNamed(instName);
      await created.waitFor();
      instId = (await created.getAttribute('data-inst-id')) ?? '';
      expect(instId).toMatch(/^[0-9a-f-]{36}$/);
      expect(await depth(instName)).toBe((await depth(DISTRICT)) + 1);
      await created.click();
      await waitUntil('the new institution in the detail panel', async () => (await page.getByTestId('institution-detail-name').innerText()) === instName);
      const basic = await page.getByTestId('institution-basic').innerText();
      for (const text of ['公共管理和服务机构', '民政', '区县级']) expect(basic).toContain(text);
      await snap(page, '2-institution-tree');
      // The server agrees on where it sits (same session cookie as the page).
      const api = await page.request.get(`/api/institutions/${instId}`);
      expect(api.status()).toBe(200);
      expect((await api.json()).parentId).toBe(districtId);

      // The list view finds it by name.
      await page.getByTestId('institution-view-list').click();
      await searchIn(page.getByTestId('institution-search'), instName);
      const table = page.getByTestId('institution-table');
      await waitUntil(`"${instName}" alone in the institution table`, async () => {
        const rows = await tableRows(table);
        return rows.length === 1 && rows[0]?.includes(instName) === true;
      });
      const [row] = await tableRows(table);
      for (const text of ['公共管理和服务机构', '区县级', '民政', '正常']) expect(row).toContain(text);
      await snap(page, '2-institution-list');
    });

    await step('3-person-and-role', ctx, async () => {
      await page.getByTestId('nav-people').click();
      await page.waitForURL((u) => u.pathname === '/people');
      await page.getByTestId('user-create').click();
      await motionDone(page.locator('.ant-modal').filter({ visible: true }));
      await page.getByTestId('user-create-username').fill(username);
      await page.getByTestId('user-create-displayname').fill(displayName);
      await pickTreeOption(page, page.getByTestId('user-create-institution'), instName);
      await page.getByTestId('user-create-submit').click();

      // The initial password is shown once.
      const secret = page.getByTestId('initial-password');
      await secret.waitFor();
      expect((await secret.inputValue()).length).toBeGreaterThanOrEqual(8);
      await snap(page, '3-initial-password');
      await page.getByTestId('initial-password-close').click();
      await secret.waitFor({ state: 'detached' });

      // The new person's drawer opens; give them 数据管理员 at the new institution.
      const drawer = page.getByTestId('user-drawer');
      await drawer.waitFor();
      await waitUntil('the new person in the drawer', async () => (await page.getByTestId('user-drawer-name').innerText()) === displayName);
      await page.getByTestId('user-tab-roles').click();
      const roleList = page.getByTestId('role-list');
      await roleList.waitFor();
      expect(await tableRows(roleList)).toEqual([]);
      await pickOption(page, page.getByTestId('role-assign-role'), '数据管理员');
      await pickTreeOption(page, page.getByTestId('role-assign-institution'), instName);
      await page.getByTestId('role-assign').click();
      await waitUntil('数据管理员 in the role list', async () => {
        const rows = await tableRows(roleList);
        return rows.length === 1 && rows[0]?.includes('数据管理员') === true && rows[0]?.includes(instName) === true;
      });
      expect(await page.getByTestId('role-assign-error').count()).toBe(0);
      await snap(page, '3-role-assigned');

      await closeDrawer(page);
      await searchIn(page.getByTestId('user-search'), username);
      const table = page.getByTestId('user-table');
      await waitUntil(`${username} with 数据管理员 in the people table`, async () => {
        const rows = await tableRows(table);
        return rows.length === 1 && [username, displayName, instName, '数据管理员'].every((t) => rows[0]?.includes(t));
      });
      await snap(page, '3-people-table');
    });

    await step('4-vendor-refused', ctx, async () => {
      await searchIn(page.getByTestId('user-search'), 'vendor.ops1');
      const table = page.getByTestId('user-table');
      await waitUntil('vendor.ops1 alone in the people table', async () => {
        const rows = await tableRows(table);
        return rows.length === 1 && rows[0]?.includes('vendor.ops1') === true;
      });
      await table.getByTestId('user-open').click();
      await waitUntil('vendor.ops1 in the drawer', async () => (await page.getByTestId('user-drawer-name').innerText()) === '梁超（外包运维）');
      await page.getByTestId('user-tab-roles').click();
      const roleList = page.getByTestId('role-list');
      await waitUntil('the vendor operator role in the list', async () => (await tableRows(roleList)).some((r) => r.includes('外包运维人员')));
      const before = await tableRows(roleList);

      await pickOption(page, page.getByTestId('role-assign-role'), '安全管理员');
      await pickTreeOption(page, page.getByTestId('role-assign-institution'), PSB);
      await page.getByTestId('role-assign').click();
      const error = page.getByTestId('role-assign-error');
      await error.waitFor();
      expect(await error.innerText()).toContain('外包服务商人员不得担任特权角色');
      await snap(page, '4-vendor-refused');
      expect(await tableRows(roleList)).toEqual(before);
      // …and not merely hidden: reopened, the person as the server now has them still holds only that role.
      await closeDrawer(page);
      const reloaded = page.waitForResponse((r) => r.request().method() === 'GET' && /^\/api\/users\/[0-9a-f-]{36}$/.test(new URL(r.url()).pathname));
      await table.getByTestId('user-open').click();
      const res = await reloaded;
      expect(res.status()).toBe(200);
      expect(((await res.json()) as { roles: { role: string }[] }).roles.map((r) => r.role)).toEqual(['vendor_operator']);
      await page.getByTestId('user-tab-roles').click();
      await waitUntil('the role list after reopening', async () => (await tableRows(page.getByTestId('role-list'))).length > 0);
      expect(await tableRows(page.getByTestId('role-list'))).toEqual(before);
      await expectText(table, '外包运维人员');
      expect(await table.innerText()).not.toContain('安全管理员');
    });

    // No uncaught errors in the page during the whole flow.
    expect(session.pageErrors, `uncaught page errors:\n${session.pageErrors.join('\n')}`).toEqual([]);
  });
});

async function expectText(locator: import('playwright-core').Locator, text: string): Promise<void> {
  await waitUntil(`"${text}" in ${locator}`, async () => (await locator.innerText()).includes(text));
}

/** Types into an antd Input.Search and presses Enter (which runs the search). */
async function searchIn(search: import('playwright-core').Locator, text: string): Promise<void> {
  const input = (await search.evaluate((el) => el.tagName)) === 'INPUT' ? search : search.locator('input');
  await input.fill(text);
  await input.press('Enter');
}

async function closeDrawer(page: import('playwright-core').Page): Promise<void> {
  await closeOpenDrawer(page);
  await page.getByTestId('user-drawer').waitFor({ state: 'detached' });
}
