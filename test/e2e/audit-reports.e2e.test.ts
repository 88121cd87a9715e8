// Issue 6 in the browser (AUD-4, AUD-5, AUD-6), zh-CN UI, the city's internal auditor:
//   AUD-4  opens 审计报告, picks the demo bureau (示范市公安局) for this month and sees its sections (the demo data
//          load and grading happened this month); downloads the XLSX and reads it back (one sheet per section);
//          "生成并存档" archives it, the archived list shows it, its printable page shows the institution, the file's
//          SM3 and the verification result in Chinese glyphs;
//   AUD-5  records the vendor activity review on the archived report;
//   AUD-6  opens 全程追溯, picks the demo resource and a demo resident's ID number: the timeline shows the
//          resource's registration, grading and load stages, and the record held by the loaded version.
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoResidents } from '../../src/modules/protection/demo-dataset.ts';
import {
  type BrowserSession,
  cjkGlyphsRender,
  expectText,
  launchChromium,
  login,
  openModal,
  openSession,
  pickOption,
  pickTreeOption,
  type RunningServer,
  requireChromium,
  snap,
  startServer,
  step,
  tableRows,
  waitUntil,
} from './helpers.ts';

const BUREAU = '示范市公安局';
/** The demo bureau's graded resource with data (catalog-demo.ts). */
const DEMO_RESOURCE = '常住人口基本信息';

describe('数安 audit reports and the life-cycle trace in the browser', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let session: BrowserSession | undefined;

  beforeAll(async () => {
    requireChromium(); // before starting anything: fail at once, never skip
    [server, browser] = await Promise.all([startServer(), launchChromium()]);
    session = await openSession(browser, server.url);
    const s = session;
    await step('login-city-auditor', { server, session: s }, () => login(s.page, 'city.auditor', { totp: true }));
  });

  afterAll(async () => {
    await session?.close().catch(() => {});
    await browser?.close().catch((err) => console.error(`closing chromium failed: ${(err as Error).message}`));
    await server?.stop();
  });

  const ctx = () => ({ server: server as RunningServer, session: session as BrowserSession });

  it('AUD-4/5: the bureau’s report for this month, its XLSX, archived with a printable page and the vendor review', async () => {
    const page = (session as BrowserSession).page;

    await step('r1-open-report-for-the-bureau', ctx(), async () => {
      await page.getByTestId('nav-audit-reports').click();
      await page.waitForURL((u) => u.pathname === '/audit/reports');
      await page.getByTestId('report').waitFor(); // the auditor's own institution (the city) first
      await pickTreeOption(page, page.getByTestId('report-institution'), BUREAU);
      await expectText(page.getByTestId('report-overview'), BUREAU);
      await waitUntil('the report to have events', async () => Number(await page.getByTestId('report-total').getAttribute('data-value')) > 0);
      // The sections: activity by group, the grading approval among them.
      await page.getByTestId('report-tab-activity').click();
      await expectText(page.getByTestId('report-activity'), 'catalog');
      await page.getByTestId('report-tab-vendor').click();
      await page.getByTestId('report-vendor').waitFor();
      await page.getByTestId('report-tab-integrity').click();
      await waitUntil('the chain verification result', async () => (await page.getByTestId('report-integrity').getAttribute('data-ok')) === 'true');
      await snap(page, 'audit-report');
    });

    await step('r2-download-xlsx', ctx(), async () => {
      const downloading = page.waitForEvent('download');
      await page.getByTestId('report-xlsx').click();
      const download = await downloading;
      expect(download.suggestedFilename()).toMatch(new RegExp(`^审计报告_${BUREAU}_\\d{4}-\\d{2}-01至\\d{4}-\\d{2}-\\d{2}\\.xlsx$`));
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await readFile(await download.path())) as never);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['概览', '操作分类统计', '特权操作', '外包人员活动', '外包人员操作明细', '告警处置', '日志完整性校验']);
      expect(String(wb.getWorksheet('概览')?.getCell('B2').value)).toBe(BUREAU);
    });

    await step('r3-archive-and-print', ctx(), async () => {
      await page.getByTestId('report-archive').click();
      await waitUntil('the archived report to be listed', async () => (await tableRows(page.getByTestId('stored-reports'))).some((r) => r.includes(BUREAU)));
      await page.getByTestId('stored-print').first().click();
      await page.waitForURL((u) => /^\/audit\/reports\/[0-9a-f-]+\/print$/.test(u.pathname));
      await expectText(page.getByTestId('print-institution'), BUREAU);
      await waitUntil('the SM3 of the archived file', async () => /^[0-9a-f]{64}$/.test((await page.getByTestId('print-sm3').innerText()).trim()));
      await expectText(page.getByTestId('print-integrity'), '校验通过');
      expect(await page.getByTestId('nav-menu').count()).toBe(0); // no app frame on paper
      expect(await cjkGlyphsRender(page)).toBe(true);
      await snap(page, 'audit-report-print');
      await page.goBack();
      await page.getByTestId('stored-reports').waitFor();
    });

    await step('r4-vendor-review', ctx(), async () => {
      await page.getByTestId('stored-review-open').first().click();
      await openModal(page);
      await page.getByTestId('vendor-review-conclusion').getByText('发现问题').click();
      await page.getByTestId('vendor-review-submit').click();
      await expectText(page.locator('.ant-modal'), '须写明审查发现'); // findings required for issues
      await page.getByTestId('vendor-review-findings').fill('外包运维人员本期未发生越权操作，但登录时段需进一步核实');
      await page.getByTestId('vendor-review-submit').click();
      await waitUntil('the review to be recorded', async () => (await page.getByTestId('stored-review').first().innerText()).includes('发现问题'));
    });
  });

  it('AUD-6: the trace of the demo resource and of one resident’s record', async () => {
    const page = (session as BrowserSession).page;
    const resident = demoResidents()[0]?.sfzh as string;

    await step('t1-open-trace', ctx(), async () => {
      await page.goto('/');
      await page.getByTestId('nav-audit-trace').click();
      await page.waitForURL((u) => u.pathname === '/audit/trace');
      await pickOption(page, page.getByTestId('trace-resource-select'), DEMO_RESOURCE, { search: '常住人口' });
      await page.getByTestId('trace-record-key').fill(resident);
      await page.getByTestId('trace-run').click();
      await page.getByTestId('trace-timeline').waitFor();
    });

    await step('t2-stages-and-record', ctx(), async () => {
      const stages = await page.getByTestId('trace-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-stage')));
      // Registration, grading and loading, in that order.
      const first = (s: string) => stages.indexOf(s);
      expect(first('register')).toBeGreaterThanOrEqual(0);
      expect(first('grade')).toBeGreaterThan(first('register'));
      expect(first('load')).toBeGreaterThan(first('grade'));
      await expectText(page.getByTestId('trace-resource-name'), DEMO_RESOURCE);
      expect(await page.getByTestId('trace-record').getAttribute('data-state')).toBe('present');
      const held = await page
        .getByTestId('trace-versions')
        .locator('[data-held]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-held')));
      expect(held).toEqual(['held']);
      // The resource is in the address; the ID number is not (personal data stays out of URLs and logs).
      expect(new URL(page.url()).searchParams.get('resourceId')).toBeTruthy();
      expect(page.url()).not.toContain(resident);
      await snap(page, 'audit-trace');
    });
  });
});
