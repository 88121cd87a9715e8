// 工作日历 in the browser (domain.md §8): the reminder that next year's holiday schedule is missing
// (GET /api/workdays/coverage: info from 1 November, warning from 1 December, Beijing dates). The city's
// administrator, who may load schedules, sees it on the dashboard and follows it to 工作日历; a data steward sees
// it on 工作日历 only; once the administrator loads next year's schedule through the page's form it is gone.
// The reminder's presence depends on today's date: from January to October, with both years in place, the test
// checks that nothing is shown and still loads the schedule.
import { describe, expect, it } from 'vitest';
import { apiAs, castOfPeople, expectText, snap, step, waitUntil } from './helpers.ts';

interface Coverage {
  today: string;
  current: { year: number; covered: boolean };
  next: { year: number; covered: boolean };
  level: 'ok' | 'info' | 'warning' | 'error';
  message: { zh: string; en: string };
}

describe('数安 working-day calendar in the browser: the missing-schedule reminder', () => {
  const { person, sessions } = castOfPeople();

  it('shows the reminder where it can be acted on and clears it once next year is loaded', async () => {
    const admin = await person('city.admin', { totp: true });
    const steward = await person('psb.steward');
    const { page } = admin;
    const before = (await apiAs<Coverage>(page, 'GET', '/api/workdays/coverage')).body;
    const next = before.next.year;
    const shown = before.level !== 'ok';
    const alertOn = (p: typeof page) => p.getByTestId('workday-coverage');

    await step('1-dashboard', admin.ctx, async () => {
      await page.goto('/');
      await page.getByTestId('welcome-card').waitFor();
      if (shown) {
        await expectText(alertOn(page), `${before.level === 'error' ? before.current.year : next} 年`);
        await expectText(alertOn(page), before.message.zh.slice(0, 12));
      } else {
        expect(await alertOn(page).count()).toBe(0);
      }
      await snap(page, 'workdays-1-dashboard');
    });

    await step('2-steward', steward.ctx, async () => {
      // Not on the steward's dashboard (they cannot load a schedule)…
      await steward.page.goto('/');
      await steward.page.getByTestId('welcome-card').waitFor();
      expect(await alertOn(steward.page).count()).toBe(0);
      // …but on 工作日历, where every deadline's calendar is explained.
      await steward.page.goto('/workdays');
      await steward.page.getByTestId('workday-check-date').waitFor();
      if (shown) await expectText(alertOn(steward.page), before.message.zh.slice(0, 12));
      else expect(await alertOn(steward.page).count()).toBe(0);
    });

    await step('3-load-next-year', admin.ctx, async () => {
      if (shown && before.level !== 'error') {
        await page.getByTestId('workday-coverage-open').click();
      } else {
        await page.goto('/workdays');
      }
      await page.waitForURL((u) => u.pathname === '/workdays');
      if (shown) await alertOn(page).waitFor();
      await page.getByTestId('workday-load').waitFor();
      const year = page.getByTestId('workday-load-year');
      const yearInput = (await year.evaluate((el) => el.tagName)) === 'INPUT' ? year : year.locator('input');
      await yearInput.fill(String(next));
      // An illustrative arrangement (the real one comes from the State Council's notice).
      const holidays = [
        '01-01',
        '02-06',
        '02-07',
        '02-08',
        '02-09',
        '02-10',
        '02-11',
        '02-12',
        '04-05',
        '05-01',
        '05-02',
        '05-03',
        '06-09',
        '09-15',
        '10-01',
        '10-02',
        '10-03',
        '10-04',
        '10-05',
      ];
      await page.getByTestId('workday-load-holidays').fill(holidays.map((d) => `${next}-${d}`).join('\n'));
      await page.getByTestId('workday-load-submit').click();
      await waitUntil('the schedule is saved', async () =>
        (await apiAs<{ year: number }[]>(page, 'GET', '/api/workdays/schedules')).body.some((s) => s.year === next),
      );
      if (before.level === 'error') return; // the current year is missing too: loading next year does not clear it
      await waitUntil('the reminder is gone from 工作日历', async () => (await alertOn(page).count()) === 0);
      await snap(page, 'workdays-3-loaded');
    });

    await step('4-cleared', admin.ctx, async () => {
      const after = (await apiAs<Coverage>(page, 'GET', '/api/workdays/coverage')).body;
      expect(after.next).toMatchObject({ year: next, covered: true });
      if (before.level === 'error') return;
      expect(after.level).toBe('ok');
      await page.goto('/');
      await page.getByTestId('welcome-card').waitFor();
      expect(await alertOn(page).count()).toBe(0);
    });

    for (const s of sessions()) expect(s.pageErrors, `uncaught page errors:\n${s.pageErrors.join('\n')}`).toEqual([]);
  }, 240_000);
});
