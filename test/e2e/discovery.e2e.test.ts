// Issue 4 in the browser ("the CLI, the API and the review UI work"): the 敏感数据发现 tab of a resource's
// 数据保护 page, in the zh-CN UI, against the real server whose background worker runs the scan:
//   CLS-3   the bureau's data steward scans a resource's loaded data (ID numbers, mobiles, order numbers),
//           follows the job's progress, then reviews the result field by field: the resident-ID column is
//           detected (with its Chinese type name, share and confidence), the order-number column is not, and
//           no value appears anywhere on the page;
//   AST-11  accepting with 更新个人信息清单 records the scan's counts as the resource's PI inventory, with the
//           source 敏感数据识别, and the tab shows who accepted and when;
//   CLS-2   the grading drawer then starts from the accepted labels (PI type, sensitive, level), with the note
//           that they were pre-filled from the scan and must be checked.
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentId } from '../helpers/identifiers.ts';
import {
  apiAs,
  type BrowserSession,
  expectText,
  launchChromium,
  login,
  openDrawer,
  openSession,
  pickOption,
  type RunningServer,
  requireChromium,
  snap,
  startServer,
  step,
  waitForAttr,
  waitUntil,
} from './helpers.ts';

/** The demo bureau's accepted system (catalog-demo.ts). */
const DEMO_SYSTEM = '人口信息管理系统';
const STEWARD_NAME = '郭亮（公安局数据管理员）';

const N = 400;
// 400 rows for 200 people (each twice; valid GB 11643 resident IDs), a mobile number each, and a column of order numbers.
const rows = Array.from({ length: N }, (_, i) => ({
  sfzh: residentId(
    `4401061990${String(1 + (Math.floor(i / 2) % 12)).padStart(2, '0')}${String(1 + (Math.floor(i / 2) % 28)).padStart(2, '0')}${String(Math.floor(i / 2)).padStart(3, '0')}`,
  ),
  lxdh: `137${String(20_000_000 + i * 3331).slice(-8)}`,
  ddbh: `DD${String(100000 + i)}`,
}));

interface ResourceDto {
  id: string;
  fields: { id: string; name: string }[];
  piInventory: { declared: boolean; source: string | null; records: number | null; people: number | null };
}
interface JobDto {
  id: string;
  status: string;
  result: { accepted?: { by: { displayName: string }; fields: { name: string; piType: string | null; level: string | null }[] } } | null;
}

describe('数安 sensitive-data discovery in the browser: scan, progress, review, accept, grading pre-fill', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let session: BrowserSession | undefined;
  let page: Page;
  const tag = randomBytes(3).toString('hex');
  const resourceName = `办件人员登记${tag}`;
  let resourceId = '';
  /** The level the scan proposed for the resident-ID column, as the tab showed it. */
  let sfzhLevel = '';

  beforeAll(async () => {
    requireChromium(); // before starting anything: fail at once, never skip
    [server, browser] = await Promise.all([startServer(), launchChromium()]);
    session = await openSession(browser, server.url);
    page = session.page;
    await step('login-steward', ctx(), () => login(page, 'psb.steward'));
  });

  afterAll(async () => {
    await session?.close().catch(() => {});
    await browser?.close().catch((err) => console.error(`closing chromium failed: ${(err as Error).message}`));
    await server?.stop();
  });

  function ctx(): { server: RunningServer; session: BrowserSession } {
    if (!server || !session) throw new Error('setup did not complete');
    return { server, session };
  }

  /** The steward's CSV load through the API (the dataset upload itself is protection.e2e's subject). */
  async function loadCsv(csv: string): Promise<number> {
    const me = await page.request.get('/api/me');
    const csrf = ((await me.json()) as { csrfToken: string }).csrfToken;
    const res = await page.request.fetch(`/api/resources/${resourceId}/dataset?mode=replace&fileName=${encodeURIComponent(`办件${tag}.csv`)}`, {
      method: 'POST',
      headers: { 'x-csrf-token': csrf, 'content-type': 'text/csv', 'accept-language': 'zh-CN' },
      data: Buffer.from(csv, 'utf8'),
    });
    if (res.status() !== 200) throw new Error(`dataset load: HTTP ${res.status()} ${await res.text()}`);
    return res.status();
  }

  const row = (column: string) => page.getByTestId('scan-columns').locator(`tr[data-column="${column}"]`);

  it('CLS-3: the steward scans the loaded data, sees the progress, then the resident-ID column detected and the order numbers not', async () => {
    await step('d1-seed', ctx(), async () => {
      const systems = await apiAs<{ items: { id: string; name: string }[] }>(page, 'GET', `/api/systems?q=${encodeURIComponent(DEMO_SYSTEM)}`);
      const systemId = systems.body.items.find((i) => i.name === DEMO_SYSTEM)?.id;
      expect(systemId, `${DEMO_SYSTEM} in the demo data`).toBeTruthy();
      const res = await apiAs<{ id: string }>(page, 'POST', '/api/resources', {
        systemId,
        name: resourceName,
        description: '窗口办件的人员登记',
        fields: [
          { name: 'sfzh', dataType: 'string', description: '身份证号' },
          { name: 'lxdh', dataType: 'string', description: '联系电话' },
          { name: 'ddbh', dataType: 'string', description: '订单编号' },
        ],
        shareAttribute: 'conditional',
        shareBasis: '仅向依法履职需要的部门共享',
        openAttribute: 'not_open',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      resourceId = res.body.id;
      expect(await loadCsv(`sfzh,lxdh,ddbh\n${rows.map((r) => `${r.sfzh},${r.lxdh},${r.ddbh}`).join('\n')}\n`)).toBe(200);
    });

    await step('d2-open-tab', ctx(), async () => {
      await page.goto(`/catalog/${resourceId}/protection`);
      await page.getByTestId('protection-page').waitFor();
      await expectText(page.getByTestId('protection-tab-discovery'), '敏感数据发现');
      await page.getByTestId('protection-tab-discovery').click();
      await page.getByTestId('discovery-tab').waitFor();
      await page.getByTestId('scan-none').waitFor();
      await page.waitForURL((u) => u.searchParams.get('tab') === 'discovery');
      expect(await page.getByTestId('scan-start').isEnabled()).toBe(true);
    });

    await step('d3-scan-progress-then-results', ctx(), async () => {
      await page.getByTestId('scan-start').click();
      // The job is queued at once (202) and polled every second until the server's worker finishes it.
      const progress = page.getByTestId('scan-progress');
      await progress.waitFor();
      expect(['queued', 'running', 'succeeded']).toContain(await progress.getAttribute('data-status'));
      await page.getByTestId('scan-progress-bar').waitFor();
      expect(await page.getByTestId('scan-start').isDisabled()).toBe(true);
      await snap(page, 'd1-scan-progress');
      await page.getByTestId('scan-review').waitFor({ timeout: 60_000 });
      await progress.waitFor({ state: 'detached' });
      await expectText(page.getByTestId('scan-rows'), N.toLocaleString('zh-CN'));
      await expectText(page.getByTestId('scan-rows-with-pi'), N.toLocaleString('zh-CN'));
      // People from the ID numbers (an estimate): about 200, never 400.
      const people = Number((await page.getByTestId('scan-people').innerText()).replace(/[^\d]/g, ''));
      expect(people).toBeGreaterThan(185);
      expect(people).toBeLessThan(215);
      await snap(page, 'd2-scan-review');
    });

    await step('d4-review-columns', ctx(), async () => {
      // The resident-ID column: detected, named in Chinese, with share and confidence; proposed as an ID number.
      const sfzh = row('sfzh');
      expect((await sfzh.getAttribute('data-types'))?.split(',')[0]).toBe('CN_RESIDENT_ID');
      const idType = sfzh.locator('[data-testid="scan-type"][data-type="CN_RESIDENT_ID"]');
      await expectText(idType, '居民身份证号');
      await expectText(idType, '占 100%');
      await expectText(idType, '置信度');
      await waitForAttr(sfzh.getByTestId('scan-proposal-pi').first(), 'data-pi', 'id_number');
      sfzhLevel = (await sfzh.getByTestId('scan-proposal-level').getAttribute('data-level')) ?? '';
      expect(sfzhLevel).toMatch(/^general-\d$/);
      expect(await sfzh.getAttribute('data-accept')).toBe('true');
      await expectText(sfzh.getByTestId('scan-pi-type'), '身份证件号码');
      // The mobile numbers.
      expect((await row('lxdh').getAttribute('data-types'))?.split(',')[0]).toBe('CN_MOBILE');
      await expectText(row('lxdh'), '手机号码');
      // The order numbers: nothing found, nothing proposed, not ticked.
      const ddbh = row('ddbh');
      expect(await ddbh.getAttribute('data-types')).toBe('');
      await ddbh.getByTestId('scan-no-types').waitFor();
      expect(await ddbh.getAttribute('data-accept')).toBe('false');
      expect(await ddbh.getByTestId('scan-accept-row').isChecked()).toBe(false);
      // Counts only: no value anywhere on the tab.
      const text = await page.getByTestId('discovery-tab').innerText();
      for (const v of [rows[0]?.sfzh, rows[1]?.lxdh, rows[2]?.ddbh, rows[N - 1]?.sfzh]) expect(text, 'values never shown').not.toContain(v);
    });
  });

  it('AST-11: the steward corrects a level and accepts with the inventory update; the resource shows the counts from discovery', async () => {
    await step('a1-edit-and-accept', ctx(), async () => {
      // The reviewer raises the phone column's level before accepting.
      await pickOption(page, row('lxdh').getByTestId('scan-level'), '一般数据（3级）');
      const inventory = page.getByTestId('scan-update-inventory');
      await expectText(inventory, '更新个人信息清单');
      await expectText(inventory, `含个人信息的记录 ${N.toLocaleString('zh-CN')} 条`);
      expect(await page.getByTestId('scan-update-inventory-check').isChecked()).toBe(true);
      await expectText(page.getByTestId('scan-accept'), '确认采纳');
      await page.getByTestId('scan-accept').click();
      const accepted = page.getByTestId('scan-accepted');
      await accepted.waitFor();
      await expectText(accepted, `已由 ${STEWARD_NAME} 于`);
      await expectText(accepted, '（2 个数据项）');
      await expectText(page.getByTestId('scan-history').getByTestId('scan-history-accepted'), STEWARD_NAME);
      await snap(page, 'd3-scan-accepted');
    });

    await step('a2-inventory-from-discovery', ctx(), async () => {
      const scans = await apiAs<JobDto[]>(page, 'GET', `/api/resources/${resourceId}/scans`);
      const acc = scans.body[0]?.result?.accepted;
      expect(acc?.by.displayName).toBe(STEWARD_NAME);
      expect(acc?.fields.map((f) => [f.name, f.piType, f.level]).sort()).toEqual([
        ['lxdh', 'phone', 'general-3'],
        ['sfzh', 'id_number', sfzhLevel],
      ]);
      const r = await apiAs<ResourceDto>(page, 'GET', `/api/resources/${resourceId}`);
      expect(r.body.piInventory).toMatchObject({ declared: true, source: 'discovery', records: N });
      expect(r.body.piInventory.people).toBeGreaterThan(185);
      expect(r.body.piInventory.people).toBeLessThan(215);
      // And on the resource page, as a person reads it.
      await page.goto(`/catalog/${resourceId}`);
      const pi = page.getByTestId('resource-pi');
      await pi.waitFor();
      await expectText(pi, '敏感数据识别');
      await expectText(pi, N.toLocaleString('zh-CN'));
    });
  });

  it('CLS-2: the grading drawer starts from the accepted labels, with a note to check them', async () => {
    await step('g1-prefilled', ctx(), async () => {
      await page.getByTestId('resource-grade').click();
      await openDrawer(page);
      const drawer = page.getByTestId('grading-drawer');
      const note = page.getByTestId('grading-prefilled');
      await note.waitFor();
      await expectText(note, '已按敏感数据扫描结果预填，请核对');
      await expectText(note, STEWARD_NAME);
      const labels = drawer.getByTestId('grading-field-labels');
      const field = (name: string) => labels.locator('tr.ant-table-row').filter({ hasText: name });
      await waitUntil('the three fields listed', async () => (await labels.locator('tr.ant-table-row').count()) === 3);
      await expectText(field('sfzh').getByTestId('field-label-pi'), '身份证件号码');
      await expectText(field('sfzh').getByTestId('field-label-level'), levelLabel(sfzhLevel));
      await field('sfzh').getByTestId('grading-prefill-tag').waitFor();
      await expectText(field('lxdh').getByTestId('field-label-pi'), '电话号码');
      await expectText(field('lxdh').getByTestId('field-label-level'), '一般数据（3级）');
      // Neither an ID number nor a phone: sensitive off.
      expect(await field('sfzh').getByTestId('field-label-sensitive').getAttribute('aria-checked')).toBe('false');
      // The order numbers were not accepted: no pre-fill, no PI type, no level.
      expect(await field('ddbh').getByTestId('grading-prefill-tag').count()).toBe(0);
      expect(await field('ddbh').getByTestId('field-label-pi').innerText()).not.toMatch(/身份证件号码|电话号码/);
      await expectText(field('ddbh').getByTestId('field-label-pi'), '非个人信息');
      await snap(page, 'd4-grading-prefilled');
    });
  });
});

/** The zh label of a level code (messages.ts level.*), as the selects show it. */
function levelLabel(level: string): string {
  const names: Record<string, string> = {
    'general-1': '一般数据（1级）',
    'general-2': '一般数据（2级）',
    'general-3': '一般数据（3级）',
    'general-4': '一般数据（4级）',
    important: '重要数据',
    core: '核心数据',
  };
  return names[level] ?? level;
}
