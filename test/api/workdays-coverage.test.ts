// The holiday-schedule coverage reminder (domain.md §8): GET /api/workdays/coverage and the service behind it.
// The service takes the clock as a parameter, so the levels are checked on pinned instants against this
// file's own database; the route is checked on the real date. The built-in data (chinese-days) ends with
// 2026, so 2027 has no schedule until a test loads one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';

let h: TestApp;
let admin: Client; // city.admin: holds workdays.manage at city level
let user: Client; // edu.user: data_user, reads only

beforeAll(async () => {
  h = await createTestApp();
  admin = await h.login('city.admin');
  user = await h.login('edu.user');
});
afterAll(() => h.close());

/** A made-up schedule for any year (not a real announcement): New Year's Day and National Day 10-01..07. */
const scheduleFor = (y: number) => ({
  holidays: [`${y}-01-01`, ...[1, 2, 3, 4, 5, 6, 7].map((d) => `${y}-10-0${d}`)],
  makeupWorkdays: [],
});

/** Today's date in Beijing, worked out here with Intl rather than with the product's helper. */
const beijingToday = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

const coverageAt = (iso: string) => h.services.workdays.coverage(new Date(iso));

describe('coverage levels on pinned dates (service)', () => {
  it.each([
    ['2026-10-31T12:00:00+08:00', '2026-10-31', 'ok'],
    ['2026-10-31T15:59:59Z', '2026-10-31', 'ok'], // 23:59:59 in Beijing
    ['2026-10-31T16:00:00Z', '2026-11-01', 'info'], // already 1 November in Beijing
    ['2026-11-01T09:00:00+08:00', '2026-11-01', 'info'],
    ['2026-11-30T23:00:00+08:00', '2026-11-30', 'info'],
    ['2026-11-30T16:00:00Z', '2026-12-01', 'warning'], // 1 December 00:00 in Beijing
    ['2026-12-01T09:00:00+08:00', '2026-12-01', 'warning'],
    ['2026-12-31T23:59:00+08:00', '2026-12-31', 'warning'],
  ])('%s (Beijing %s) with 2027 missing → %s', async (instant, today, level) => {
    const c = await coverageAt(instant);
    expect(c).toMatchObject({
      today,
      current: { year: 2026, covered: true, source: 'builtin' },
      next: { year: 2027, covered: false, source: null },
      level,
    });
    // Every level says what to do: load the schedule in 工作日历 once it is published.
    expect(c.message.zh).toContain('工作日历');
    expect(c.message.en).toContain('Working-day calendar');
    expect(c.message.zh).toContain('2027');
    expect(c.message.en).toContain('2027');
  });

  it('warning and error messages say what fails meanwhile; info says when it starts', async () => {
    const warning = await coverageAt('2026-12-01T09:00:00+08:00');
    expect(warning.message.zh).toMatch(/延伸到 2027 年的工作日期限都将被拒绝/);
    expect(warning.message.en).toMatch(/every working-day deadline reaching into 2027 is refused/);
    const info = await coverageAt('2026-11-01T09:00:00+08:00');
    expect(info.message.zh).toMatch(/国务院办公厅通常在 10–11 月公布/);
    expect(info.message.en).toMatch(/usually publishes it in October–November/);
  });

  it('the current year missing is an error', async () => {
    for (const instant of ['2027-01-04T09:00:00+08:00', '2027-06-30T09:00:00+08:00', '2027-11-15T09:00:00+08:00']) {
      const c = await coverageAt(instant);
      expect(c, instant).toMatchObject({
        current: { year: 2027, covered: false, source: null },
        next: { year: 2028, covered: false, source: null },
        level: 'error',
      });
      expect(c.message.zh).toMatch(/本年（2027 年）的节假日安排缺失/);
      expect(c.message.zh).toMatch(/无法计算，相关办理将被拒绝/);
      expect(c.message.en).toMatch(/every working-day deadline in 2027 or later is refused/);
    }
  });

  it('both years built in (2025 → 2026) is ok in December', async () => {
    const c = await coverageAt('2025-12-20T09:00:00+08:00');
    expect(c).toMatchObject({ current: { year: 2025, source: 'builtin' }, next: { year: 2026, covered: true, source: 'builtin' }, level: 'ok' });
    expect(c.message.zh).toContain('均已具备');
  });
});

describe('GET /api/workdays/coverage', () => {
  it('an anonymous client gets 401', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/workdays/coverage' });
    expect(res.statusCode).toBe(401);
  });

  it('any signed-in user reads the coverage for today in Beijing', async () => {
    const today = beijingToday();
    const year = Number(today.slice(0, 4));
    const month = Number(today.slice(5, 7));
    const res = await user.request('GET', '/api/workdays/coverage');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['current', 'level', 'message', 'next', 'today']);
    expect(body.today).toBe(today);
    // chinese-days has data up to 2026 (builtin.test.ts); nothing is loaded yet in this database.
    const currentBuiltin = year <= 2026;
    expect(body.current).toEqual({ year, covered: currentBuiltin, source: currentBuiltin ? 'builtin' : null });
    expect(body.next).toEqual({ year: year + 1, covered: year + 1 <= 2026, source: year + 1 <= 2026 ? 'builtin' : null });
    // By hand from the rule: current year missing → error; next missing → warning in December, info in November.
    const expected = !currentBuiltin ? 'error' : year + 1 <= 2026 ? 'ok' : month === 12 ? 'warning' : month === 11 ? 'info' : 'ok';
    expect(body.level).toBe(expected);
    expect(typeof body.message.zh).toBe('string');
    expect(typeof body.message.en).toBe('string');
    expect(body.message.zh).toContain('工作日历');
    expect(body.message.en).toContain('Working-day calendar');

    // The same for an administrator and in English (the body carries both languages either way).
    const en = await admin.request('GET', '/api/workdays/coverage', undefined, { 'accept-language': 'en' });
    expect(en.statusCode).toBe(200);
    expect(en.json()).toEqual(body);
  });

  it('after an administrator loads the next year (and the current one if missing), the level is ok', async () => {
    const today = beijingToday();
    const year = Number(today.slice(0, 4));
    // Before: a deadline reaching into next year is refused.
    const before = await user.request('GET', `/api/workdays/add?date=${year}-12-20&days=15`);
    expect(before.statusCode, before.body).toBe(422);
    expect(before.json().code).toBe('WORKDAY_SCHEDULE_MISSING');

    for (const y of year <= 2026 ? [year + 1] : [year, year + 1]) {
      const put = await admin.request('PUT', `/api/workdays/schedules/${y}`, scheduleFor(y));
      expect(put.statusCode, put.body).toBe(200);
    }
    const res = await user.request('GET', '/api/workdays/coverage');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      current: { year, covered: true },
      next: { year: year + 1, covered: true, source: 'loaded' },
      level: 'ok',
    });
    expect(res.json().message.zh).toContain('均已具备');
    expect((await user.request('GET', `/api/workdays/add?date=${year}-12-20&days=15`)).statusCode).toBe(200);
  });

  it('loading 2027 turns every pinned date of late 2026 ok (service)', async () => {
    // Loads (or, if the test above already did, replaces) 2027, whatever today's date is.
    const put = await admin.request('PUT', '/api/workdays/schedules/2027', scheduleFor(2027));
    expect(put.statusCode, put.body).toBe(200);
    for (const instant of [
      '2026-10-31T09:00:00+08:00',
      '2026-11-01T09:00:00+08:00',
      '2026-11-30T09:00:00+08:00',
      '2026-12-01T09:00:00+08:00',
      '2026-12-31T09:00:00+08:00',
    ]) {
      expect(await coverageAt(instant), instant).toMatchObject({
        current: { year: 2026, covered: true, source: 'builtin' },
        next: { year: 2027, covered: true, source: 'loaded' },
        level: 'ok',
      });
    }
    // 2027 itself is no longer an error; 2028 then follows the usual calendar.
    expect((await coverageAt('2027-03-01T09:00:00+08:00')).level).toBe('ok');
    expect((await coverageAt('2027-11-01T09:00:00+08:00')).level).toBe('info');
    expect((await coverageAt('2027-12-01T09:00:00+08:00')).level).toBe('warning');
  });
});
