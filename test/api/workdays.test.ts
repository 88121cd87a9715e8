// Working days over HTTP (domain.md §8): the built-in 2025–2026 State Council schedules, the refusal for a
// year without data, and an administrator loading that year.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';

let h: TestApp;
let admin: Client; // city.admin: authority_admin, holds workdays.manage
let user: Client; // edu.user: data_user, may compute but not load

beforeAll(async () => {
  h = await createTestApp();
  admin = await h.login('city.admin');
  user = await h.login('edu.user');
});
afterAll(() => h.close());

// A made-up 2027 arrangement for the tests (not the real announcement): New Year 01-01..03, Spring
// Festival 02-06..13 with make-up Sunday 02-14, National Day 10-01..07 with make-up 09-26 and 10-09.
const SCHEDULE_2027 = {
  holidays: [
    '2027-01-01',
    '2027-01-02',
    '2027-01-03',
    '2027-02-06',
    '2027-02-07',
    '2027-02-08',
    '2027-02-09',
    '2027-02-10',
    '2027-02-11',
    '2027-02-12',
    '2027-02-13',
    '2027-10-01',
    '2027-10-02',
    '2027-10-03',
    '2027-10-04',
    '2027-10-05',
    '2027-10-06',
    '2027-10-07',
  ],
  makeupWorkdays: ['2027-02-14', '2027-09-26', '2027-10-09'],
};

async function check(c: Client, date: string) {
  const res = await c.request('GET', `/api/workdays/check?date=${date}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { date: string; workday: boolean };
}

async function auditEvents(year: number) {
  return h.t.db
    .selectFrom('audit_events')
    .selectAll()
    .where('action', '=', 'settings.workday_schedule.load')
    .where('target_id', '=', String(year))
    .orderBy('seq')
    .execute();
}

describe('built-in 2025–2026 schedules', () => {
  it.each([
    ['2025-10-01', false], // National Day
    ['2025-10-08', false], // last day of the National Day / Mid-Autumn period
    ['2025-09-28', true], // make-up Sunday
    ['2025-10-11', true], // make-up Saturday
    ['2025-09-26', true], // ordinary Friday
    ['2025-09-27', false], // ordinary Saturday
    ['2025-01-26', true], // make-up Sunday before Spring Festival
    ['2025-01-29', false], // Spring Festival
    ['2026-02-14', true], // 2026 make-up Saturday
    ['2026-02-17', false], // 2026 Spring Festival
    ['2026-10-10', true], // 2026 make-up Saturday
    ['2026-10-01', false],
  ])('check %s → workday %s', async (date, workday) => {
    expect(await check(user, date)).toEqual({ date, workday });
  });

  it('adds working days across the National Day holiday', async () => {
    const res = await user.request('GET', '/api/workdays/add?date=2025-09-25&days=15');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ date: '2025-09-25', days: 15, result: '2025-10-22' });

    // Counting starts the next day: 09-26 is the first working day, 09-28 (make-up) the second.
    expect((await user.request('GET', '/api/workdays/add?date=2025-09-25&days=2')).json().result).toBe('2025-09-28');
    // 0 days: the date itself when it is a working day, else the next working day.
    expect((await user.request('GET', '/api/workdays/add?date=2025-10-01&days=0')).json().result).toBe('2025-10-09');
    // Across the year boundary: 2026-01-01..03 are holidays, Sunday 01-04 is a make-up working day.
    expect((await user.request('GET', '/api/workdays/add?date=2025-12-31&days=1')).json().result).toBe('2026-01-04');
    expect((await user.request('GET', '/api/workdays/add?date=2025-12-31&days=2')).json().result).toBe('2026-01-05');
  });

  it('counts working days between two dates', async () => {
    const res = await user.request('GET', '/api/workdays/between?from=2025-09-25&to=2025-10-22');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ from: '2025-09-25', to: '2025-10-22', workdays: 15 });
    expect((await user.request('GET', '/api/workdays/between?from=2025-09-30&to=2025-10-08')).json().workdays).toBe(0);
    expect((await user.request('GET', '/api/workdays/between?from=2025-10-22&to=2025-09-25')).json().workdays).toBe(-15);
  });

  it('refuses malformed dates and counts with 400 naming the field', async () => {
    for (const [url, field] of [
      ['/api/workdays/check?date=2025-02-30', 'date'],
      ['/api/workdays/check?date=20251001', 'date'],
      ['/api/workdays/check', 'date'],
      ['/api/workdays/add?date=2025-09-25&days=-1', 'days'],
      ['/api/workdays/add?date=2025-09-25&days=1.5', 'days'],
      ['/api/workdays/between?from=2025-09-25&to=tomorrow', 'to'],
    ] as const) {
      const res = await user.request('GET', url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
      expect(res.json().details.field, url).toBe(field);
    }
  });

  it('lists the built-in years', async () => {
    const res = await user.request('GET', '/api/workdays/schedules');
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json() as { year: number; source: string; holidays: string[]; makeupWorkdays: string[]; loadedAt: string | null }[];
    const y2025 = list.find((s) => s.year === 2025);
    expect(y2025).toMatchObject({ source: 'builtin', loadedAt: null });
    expect(y2025?.makeupWorkdays).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
    expect(list.find((s) => s.year === 2026)?.makeupWorkdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(list.find((s) => s.year === 2027)).toBeUndefined();
  });
});

describe('a year without a schedule', () => {
  it.each([
    ['/api/workdays/check?date=2027-03-01', 'check'],
    ['/api/workdays/add?date=2026-12-30&days=5', 'add into 2027'],
    ['/api/workdays/add?date=2027-01-04&days=0', 'add from 2027'],
    ['/api/workdays/between?from=2026-12-01&to=2027-01-15', 'between into 2027'],
  ])('%s (%s) → 422 WORKDAY_SCHEDULE_MISSING', async (url) => {
    const zh = await user.request('GET', url);
    expect(zh.statusCode, zh.body).toBe(422);
    expect(zh.json()).toMatchObject({ code: 'WORKDAY_SCHEDULE_MISSING', details: { year: 2027 } });
    expect(zh.json().message).toContain('2027');
    expect(zh.json().message).toMatch(/节假日安排尚未导入/);
    expect(zh.json().requestId).toBe(zh.headers['x-request-id']);

    const en = await user.request('GET', url, undefined, { 'accept-language': 'en' });
    expect(en.statusCode).toBe(422);
    expect(en.json().message).toMatch(/No holiday schedule for 2027; an administrator must load it/);
  });
});

describe('loading a schedule', () => {
  it('a data_user cannot load a year (403) and nothing is stored', async () => {
    const res = await user.request('PUT', '/api/workdays/schedules/2027', SCHEDULE_2027);
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
    expect((await user.request('GET', '/api/workdays/check?date=2027-03-01')).statusCode).toBe(422);
    expect(await auditEvents(2027)).toHaveLength(0);
  });

  it('a district authority admin cannot replace the platform-wide schedule (403)', async () => {
    const district = await h.login('district.admin');
    const res = await district.request('PUT', '/api/workdays/schedules/2027', SCHEDULE_2027);
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().message).toBe('节假日安排全平台通用，只能由市级主管部门管理员导入');
    expect(await auditEvents(2027)).toHaveLength(0);
  });

  it('an anonymous client cannot load a year (401)', async () => {
    const res = await h.app.inject({ method: 'PUT', url: '/api/workdays/schedules/2027', payload: SCHEDULE_2027 });
    expect(res.statusCode).toBe(401);
  });

  it.each([
    [
      'a make-up day on a weekday',
      { ...SCHEDULE_2027, makeupWorkdays: ['2027-02-14', '2027-03-03'] },
      'makeupWorkdays[1]',
      /不是周六或周日/,
      /not a Saturday or Sunday/,
    ],
    [
      'a holiday outside the year',
      { ...SCHEDULE_2027, holidays: [...SCHEDULE_2027.holidays, '2028-01-01'] },
      `holidays[${SCHEDULE_2027.holidays.length}]`,
      /不在 2027 年内/,
      /not in 2027/,
    ],
    ['a make-up day outside the year', { ...SCHEDULE_2027, makeupWorkdays: ['2026-12-27'] }, 'makeupWorkdays[0]', /不在 2027 年内/, /not in 2027/],
    ['a duplicate holiday', { ...SCHEDULE_2027, holidays: ['2027-01-01', '2027-01-02', '2027-01-01'] }, 'holidays[2]', /重复/, /more than once/],
    ['a duplicate make-up day', { ...SCHEDULE_2027, makeupWorkdays: ['2027-02-14', '2027-02-14'] }, 'makeupWorkdays[1]', /重复/, /more than once/],
    ['a date that does not exist', { ...SCHEDULE_2027, holidays: ['2027-01-01', '2027-02-30'] }, 'holidays[1]', /不是有效的/, /not an existing date/],
    ['a day both holiday and make-up day', { ...SCHEDULE_2027, makeupWorkdays: ['2027-01-02'] }, 'makeupWorkdays[0]', /同时/, /both as a holiday/],
    ['no holidays at all', { holidays: [], makeupWorkdays: [] }, 'holidays', /为空/, /empty/],
  ])('refuses %s with 400 INVALID_SCHEDULE naming the field', async (_label, body, field, zhText, enText) => {
    const res = await admin.request('PUT', '/api/workdays/schedules/2027', body);
    expect(res.statusCode, res.body).toBe(400);
    const err = res.json();
    expect(err.code).toBe('INVALID_SCHEDULE');
    expect(err.details.field).toBe(field);
    expect(err.message).toContain(field);
    expect(err.message).toMatch(zhText);
    expect(err.details.errors[0].field).toBe(field);

    const en = await admin.request('PUT', '/api/workdays/schedules/2027', body, { 'accept-language': 'en-US,en;q=0.9' });
    expect(en.statusCode).toBe(400);
    expect(en.json().message).toContain(field);
    expect(en.json().message).toMatch(enText);
  });

  it('refuses a badly shaped body or year with 400 VALIDATION_FAILED', async () => {
    const cases: [string, unknown, string][] = [
      ['/api/workdays/schedules/2027', { holidays: '2027-01-01', makeupWorkdays: [] }, 'holidays'],
      ['/api/workdays/schedules/2027', { holidays: ['2027-01-01'] }, 'makeupWorkdays'],
      ['/api/workdays/schedules/2027', { ...SCHEDULE_2027, note: 'x' }, 'note'],
      ['/api/workdays/schedules/2027', { ...SCHEDULE_2027, holidays: [20270101] }, 'holidays.0'],
      ['/api/workdays/schedules/1999', SCHEDULE_2027, 'year'],
      ['/api/workdays/schedules/twenty', SCHEDULE_2027, 'year'],
    ];
    for (const [url, body, field] of cases) {
      const res = await admin.request('PUT', url, body);
      expect(res.statusCode, `${url} ${JSON.stringify(body)}`).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
      expect(res.json().details.field).toBe(field);
    }
    // None of the refused loads reached the database or the audit log.
    expect(await auditEvents(2027)).toHaveLength(0);
    expect(await auditEvents(1999)).toHaveLength(0);
  });

  it('an administrator loads 2027; it computes, is listed as loaded and is audited', async () => {
    // Out of order on purpose: the stored schedule is sorted.
    const body = { holidays: [...SCHEDULE_2027.holidays].reverse(), makeupWorkdays: SCHEDULE_2027.makeupWorkdays };
    const res = await admin.request('PUT', '/api/workdays/schedules/2027', body);
    expect(res.statusCode, res.body).toBe(200);
    const saved = res.json();
    expect(saved).toMatchObject({ year: 2027, source: 'loaded', holidays: SCHEDULE_2027.holidays, makeupWorkdays: SCHEDULE_2027.makeupWorkdays });
    expect(Date.parse(saved.loadedAt)).not.toBeNaN();

    // Every user computes with it now (read back from the database, not from the response).
    expect(await check(user, '2027-03-01')).toEqual({ date: '2027-03-01', workday: true });
    expect(await check(user, '2027-02-08')).toEqual({ date: '2027-02-08', workday: false }); // Spring Festival, Monday
    expect(await check(user, '2027-02-14')).toEqual({ date: '2027-02-14', workday: true }); // make-up Sunday
    expect(await check(user, '2027-02-20')).toEqual({ date: '2027-02-20', workday: false }); // ordinary Saturday
    expect((await user.request('GET', '/api/workdays/add?date=2027-02-05&days=1')).json().result).toBe('2027-02-14');
    expect((await user.request('GET', '/api/workdays/add?date=2026-12-30&days=2')).json().result).toBe('2027-01-04');
    expect((await user.request('GET', '/api/workdays/between?from=2027-02-05&to=2027-02-15')).json().workdays).toBe(2);
    expect((await user.request('GET', '/api/workdays/between?from=2026-12-31&to=2027-01-04')).json().workdays).toBe(1);

    const list = (await user.request('GET', '/api/workdays/schedules')).json() as { year: number }[];
    expect(list[0]).toMatchObject({
      year: 2027,
      source: 'loaded',
      holidays: SCHEDULE_2027.holidays,
      makeupWorkdays: SCHEDULE_2027.makeupWorkdays,
      loadedAt: saved.loadedAt,
    });
    expect(list.map((s) => s.year)).toEqual([...list.map((s) => s.year)].sort((a, b) => b - a));

    const events = await auditEvents(2027);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_user_id: admin.userId, outcome: 'success', target_type: 'workday_schedule' });
    expect(events[0]?.details).toMatchObject({ year: 2027, holidays: SCHEDULE_2027.holidays.length, makeupWorkdays: 3 });
  });

  it('loading the year again replaces it and is audited again', async () => {
    // Correction: 2027-03-01 becomes a holiday.
    const body = { holidays: [...SCHEDULE_2027.holidays, '2027-03-01'], makeupWorkdays: SCHEDULE_2027.makeupWorkdays };
    const res = await admin.request('PUT', '/api/workdays/schedules/2027', body);
    expect(res.statusCode, res.body).toBe(200);
    expect(await check(user, '2027-03-01')).toEqual({ date: '2027-03-01', workday: false });
    expect(await auditEvents(2027)).toHaveLength(2);
    const list = (await user.request('GET', '/api/workdays/schedules')).json() as { year: number; holidays: string[] }[];
    expect(list.filter((s) => s.year === 2027)).toHaveLength(1);
    expect(list.find((s) => s.year === 2027)?.holidays).toContain('2027-03-01');
  });

  it('a loaded year overrides a built-in one', async () => {
    // e.g. a correction to 2026: 2026-03-02 (Monday) declared a holiday.
    const builtin = (await user.request('GET', '/api/workdays/schedules')).json().find((s: { year: number }) => s.year === 2026);
    expect(await check(user, '2026-03-02')).toEqual({ date: '2026-03-02', workday: true });
    const res = await admin.request('PUT', '/api/workdays/schedules/2026', {
      holidays: [...builtin.holidays, '2026-03-02'],
      makeupWorkdays: builtin.makeupWorkdays,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await check(user, '2026-03-02')).toEqual({ date: '2026-03-02', workday: false });
    expect(await check(user, '2026-02-14')).toEqual({ date: '2026-02-14', workday: true });
    const list = (await user.request('GET', '/api/workdays/schedules')).json() as { year: number; source: string }[];
    expect(list.filter((s) => s.year === 2026)).toEqual([expect.objectContaining({ year: 2026, source: 'loaded' })]);
  });
});
