// Issue 5 in the browser, the masking and delivery sections of the 数据保护 page and the 泄露溯源 page, in the
// zh-CN UI, one browser context per person:
//   DG-15   the bureau's data steward (a graded resource: ID number and name labelled as PI, an approved
//           grading; a small dataset loaded) produces a test-data copy from the 数据交付与水印 tab; the
//           downloaded file holds checksum-valid ID numbers and none of the real ones; the delivery is listed
//           with its watermark carriers and notes, as the API says;
//   PRT-4   the security officer sees the default display rules and the masked preview, tries an impossible
//           rule (refused, the problem shown at the field), then overrides the ID number's display rule and
//           sees the rule marked as changed and the preview masked the new way; the steward cannot edit rules,
//           the officer cannot produce copies;
//   PRT-8   the officer uploads the downloaded copy on the trace page and sees the steward's recipient named,
//           with its confidence and the candidates table.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiAs,
  type BrowserSession,
  expectText,
  launchChromium,
  login,
  openModal,
  openSession,
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
const N = 120;

// GB 11643 check digit: weights 2^(17-i) mod 11 and the map 10X98765432.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const residentId = (body17: string) => body17 + '10X98765432'[WEIGHTS.reduce((s, w, i) => s + w * Number(body17[i]), 0) % 11];
const validId = (id: string) => /^\d{17}[\dX]$/.test(id) && residentId(id.slice(0, 17)) === id;

const people = Array.from({ length: N }, (_, i) => ({
  sfzh: residentId(`3301021985${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i).padStart(3, '0')}`),
  xm: `${'张王李赵刘陈杨黄'[i % 8]}${'伟芳娜敏静丽强磊'[(i * 3) % 8]}${i}`,
  bz: `第${i}号档案，已核实`,
}));

interface Person {
  ctx: { server: RunningServer; session: BrowserSession };
  page: Page;
}
interface DeliveryDto {
  id: string;
  recipient: string;
  rowCount: number;
  watermark: { carriers: { field: string; carriers: string[] }[]; skipped: { name: string; reason: string }[]; traceable: boolean; notes: string[] };
  masking: { field: string; method: string }[];
}
interface MaskingDto {
  version: number;
  scenarios: { scenario: string; fields: { name: string; rule: { method: string; params?: Record<string, unknown> }; source: string }[] }[];
}

describe('数安 masking rules, test-data copies and leak tracing in the browser', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const sessions: BrowserSession[] = [];
  const people_ = new Map<string, Promise<Person>>();
  const tag = randomBytes(3).toString('hex');
  const resourceName = `常住人口登记${tag}`;
  const recipient = `测试环境甲（东软${tag}）`;
  let resourceId = '';
  let copy: { name: string; body: Buffer } | null = null;

  beforeAll(async () => {
    requireChromium(); // before starting anything: fail at once, never skip
    [server, browser] = await Promise.all([startServer(), launchChromium()]);
  });

  afterAll(async () => {
    for (const s of sessions) await s.close().catch(() => {});
    await browser?.close().catch((err) => console.error(`closing chromium failed: ${(err as Error).message}`));
    await server?.stop();
  });

  function person(username: string, { totp = false } = {}): Promise<Person> {
    let p = people_.get(username);
    if (!p) {
      p = (async () => {
        if (!server || !browser) throw new Error('setup did not complete');
        const session = await openSession(browser, server.url);
        sessions.push(session);
        const ctx = { server, session };
        await step(`login-${username}`, ctx, () => login(session.page, username, { totp }));
        return { ctx, page: session.page };
      })();
      people_.set(username, p);
    }
    return p;
  }
  const steward = () => person('psb.steward');
  const officer = () => person('psb.security', { totp: true });

  async function openProtection(page: Page, tab: 'masking' | 'deliveries') {
    await page.goto(`/catalog/${resourceId}/protection?tab=${tab}`);
    await page.getByTestId('protection-page').waitFor();
    await page.getByTestId(`protection-${tab}`).waitFor();
  }

  it('DG-15: the steward produces a test copy of a graded resource; no real ID number in it; listed with its watermark', async () => {
    const [s, o] = await Promise.all([steward(), officer()]);
    const page = s.page;

    await step('c1-seed-graded-resource-and-data', s.ctx, async () => {
      const systems = await apiAs<{ items: { id: string; name: string }[] }>(page, 'GET', `/api/systems?q=${encodeURIComponent(DEMO_SYSTEM)}`);
      const systemId = systems.body.items.find((i) => i.name === DEMO_SYSTEM)?.id;
      expect(systemId, `${DEMO_SYSTEM} in the demo data`).toBeTruthy();
      const res = await apiAs<{ id: string; fields: { id: string; name: string }[] }>(page, 'POST', '/api/resources', {
        systemId,
        name: resourceName,
        description: '常住人口的登记信息',
        fields: [
          { name: 'sfzh', dataType: 'string', description: '公民身份号码' },
          { name: 'xm', dataType: 'string', description: '姓名' },
          { name: 'bz', dataType: 'text', description: '备注' },
        ],
        shareAttribute: 'conditional',
        shareBasis: '仅向依法履职需要的部门共享',
        openAttribute: 'not_open',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      resourceId = res.body.id;
      const fieldId = (name: string) => res.body.fields.find((f) => f.name === name)?.id;

      // An approved grading labels the PI fields (what the masking targets are inferred from).
      const proposal = await apiAs<{ id: string }>(page, 'POST', `/api/resources/${resourceId}/gradings`, {
        categories: ['public_security.population.household_register'],
        harms: [{ object: 'individual', degree: 'especially_serious', reason: '身份号码与姓名可识别到个人' }],
        chosenLevel: 'general-4',
        fieldLabels: [
          { fieldId: fieldId('sfzh'), level: 'general-4', piType: 'id_number', piSensitive: true },
          { fieldId: fieldId('xm'), level: 'general-3', piType: 'name', piSensitive: false },
          { fieldId: fieldId('bz'), level: 'general-2', piSensitive: false },
        ],
      });
      expect(proposal.status, JSON.stringify(proposal.body)).toBe(201);
      const decision = await apiAs(o.page, 'POST', `/api/gradings/${proposal.body.id}/decision`, { decision: 'approve', reason: '依据充分' });
      expect(decision.status, JSON.stringify(decision.body)).toBe(200);

      const me = await page.request.get('/api/me');
      const csrf = ((await me.json()) as { csrfToken: string }).csrfToken;
      const csv = `sfzh,xm,bz\r\n${people.map((p) => `${p.sfzh},${p.xm},${p.bz}`).join('\r\n')}\r\n`;
      const load = await page.request.post(`/api/resources/${resourceId}/dataset?mode=replace&keyField=sfzh&fileName=rk.csv`, {
        headers: { 'content-type': 'text/csv', 'x-csrf-token': csrf },
        data: Buffer.from(csv, 'utf8'),
      });
      expect(load.status(), await load.text()).toBe(200);
    });

    await step('c2-produce-and-download', s.ctx, async () => {
      await openProtection(page, 'deliveries');
      await expectText(page.getByTestId('deliveries'), '尚无交付记录');
      await page.getByTestId('delivery-create').click();
      await openModal(page);
      expect(await page.getByTestId('delivery-ok').isDisabled()).toBe(true);
      await page.getByTestId('delivery-recipient').fill(recipient);
      await page.getByTestId('delivery-purpose').fill('户籍系统升级联调测试');
      const downloading = page.waitForEvent('download');
      await page.getByTestId('delivery-ok').click();
      const download = await downloading;
      const file = await download.path();
      const body = await readFile(file);
      copy = { name: download.suggestedFilename(), body };
      expect(copy.name).toMatch(/\.csv$/);
      await page.getByTestId('delivery-modal').waitFor({ state: 'detached' });

      // Values of the right kind, none of the real ones.
      const text = body.toString('utf8').replace(/^\uFEFF/, '');
      const [head, ...lines] = text.trim().split(/\r?\n/);
      expect(head?.split(',')).toEqual(['sfzh', 'xm', 'bz']);
      expect(lines).toHaveLength(N);
      for (const p of people) {
        expect(text, 'no real ID number in the copy').not.toContain(p.sfzh);
        expect(text, 'no real name in the copy').not.toContain(p.xm);
      }
      const ids = lines.map((l) => l.split(',')[0] as string);
      expect(ids.every(validId), 'every fake ID number passes its checksum').toBe(true);
    });

    await step('c3-listed-with-watermark', s.ctx, async () => {
      const list = (await apiAs<DeliveryDto[]>(page, 'GET', `/api/resources/${resourceId}/deliveries`)).body;
      expect(list).toHaveLength(1);
      const d = list[0] as DeliveryDto;
      expect([d.recipient, d.rowCount, d.watermark.traceable]).toEqual([recipient, N, true]);

      const row = page.getByTestId('deliveries').locator(`tr[data-delivery-id="${d.id}"]`);
      await row.waitFor();
      expect(await row.getAttribute('data-recipient')).toBe(recipient);
      expect(await row.getByTestId('delivery-rows').innerText()).toBe(String(N));
      await waitForAttr(row.getByTestId('delivery-traceable'), 'data-traceable', 'true');
      expect(await row.getByTestId('delivery-carrier-fields').innerText()).toBe(d.watermark.carriers.map((c) => c.field).join('、'));

      await row.locator('.ant-table-row-expand-icon').click();
      const detail = page.getByTestId('delivery-detail');
      await detail.waitFor();
      const carriers = detail.getByTestId('delivery-carrier');
      await waitUntil('the carriers listed', async () => (await carriers.count()) === d.watermark.carriers.length);
      for (const c of d.watermark.carriers) {
        expect(await detail.locator(`[data-testid="delivery-carrier"][data-field="${c.field}"]`).getAttribute('data-carriers')).toBe(c.carriers.join(','));
      }
      // The ID number got a fake (token) for the test copy: it carries per-delivery evidence.
      expect(d.masking.find((m) => m.field === 'sfzh')?.method).toBe('token');
      expect(await detail.locator('[data-testid="delivery-masking"][data-field="sfzh"]').innerText()).toContain('仿真替换');
      expect(await detail.getByTestId('delivery-note').allInnerTexts()).toEqual(d.watermark.notes);
      await snap(page, 'm1-delivery-listed');
    });

    expect(s.ctx.session.pageErrors, `uncaught page errors:\n${s.ctx.session.pageErrors.join('\n')}`).toEqual([]);
  });

  it('PRT-4: the officer sees the default display rules and preview, an impossible rule is refused at its field, an override changes the preview', async () => {
    expect(resourceId, 'the previous test seeded the resource').not.toBe('');
    const [o, s] = await Promise.all([officer(), steward()]);
    const page = o.page;
    const first = people[0]?.sfzh as string;

    await step('r1-steward-reads-only', s.ctx, async () => {
      await openProtection(s.page, 'masking');
      await s.page.getByTestId('masking-rules').locator('tr[data-field="sfzh"]').waitFor();
      expect(await s.page.getByTestId('rule-edit').count()).toBe(0);
      expect(await s.page.getByTestId('target-edit').count()).toBe(0);
    });

    await step('r2-defaults-and-preview', o.ctx, async () => {
      await openProtection(page, 'deliveries');
      await page.getByTestId('deliveries').waitFor();
      expect(await page.getByTestId('delivery-create').count(), 'the officer does not produce copies').toBe(0);
      await page.getByTestId('protection-tab-masking').click();
      const rules = page.getByTestId('masking-rules');
      const sfzh = rules.locator('tr[data-field="sfzh"]');
      await sfzh.waitFor();
      expect(await rules.getAttribute('data-scenario')).toBe('display');
      expect([await sfzh.getAttribute('data-method'), await sfzh.getAttribute('data-source'), await sfzh.getAttribute('data-target')]).toEqual([
        'partial',
        'default',
        'resident_id',
      ]);
      expect(await sfzh.getByTestId('masking-target').innerText()).toBe('居民身份证号码');
      expect(await sfzh.getByTestId('masking-mode').innerText()).toBe('部分遮蔽');
      await expectText(page.getByTestId('masking-version'), '缺省规则（未调整）');

      const cell = page.getByTestId('masking-preview-table').locator('tr[data-row="0"] td[data-col="sfzh"]');
      await expectText(cell, `${first.slice(0, 6)}********${first.slice(-4)}`);
      await expectText(page.getByTestId('masking-preview-help'), `共 ${N} 行`);
      const previewText = await page.getByTestId('masking-preview-table').innerText();
      for (const p of people.slice(0, 20)) expect(previewText, 'the preview never shows a real ID number').not.toContain(p.sfzh);

      // The test scenario: the rules the copy was made with.
      await page.getByTestId('masking-scenario-test').click();
      await waitForAttr(rules, 'data-scenario', 'test');
      await waitForAttr(rules.locator('tr[data-field="sfzh"]'), 'data-method', 'token');
      await page.getByTestId('masking-scenario-display').click();
      await waitForAttr(rules, 'data-scenario', 'display');
      await snap(page, 'm2-masking-defaults');
    });

    await step('r3-impossible-rule-refused', o.ctx, async () => {
      await page.getByTestId('masking-rules').locator('tr[data-field="sfzh"]').getByTestId('rule-edit').click();
      await openModal(page);
      const modal = page.getByTestId('rule-modal');
      await modal.getByTestId('rule-param-keepFirst').locator('input').fill('15');
      await modal.getByTestId('rule-param-keepLast').locator('input').fill('10');
      await page.getByTestId('rule-save').click();
      const problems = page.getByTestId('masking-problems');
      await problems.waitFor();
      const problem = problems.getByTestId('masking-problem').first();
      expect(await problem.getAttribute('data-scenario')).toBe('display');
      expect(await problem.getAttribute('data-field')).toMatch(/^sfzh(\.|$)/);
      await expectText(problem, '页面展示 · sfzh');
      // Shown at the parameter too, and nothing was saved.
      await modal.locator('.ant-form-item-has-error').first().waitFor();
      const view = (await apiAs<MaskingDto>(page, 'GET', `/api/resources/${resourceId}/masking`)).body;
      expect(view.version).toBe(0);
      await snap(page, 'm3-rule-refused');
    });

    await step('r4-override-changes-preview', o.ctx, async () => {
      const modal = page.getByTestId('rule-modal');
      await modal.getByTestId('rule-param-keepFirst').locator('input').fill('3');
      await modal.getByTestId('rule-param-keepLast').locator('input').fill('2');
      await page.getByTestId('masking-problems').waitFor({ state: 'detached' });
      expect(await page.getByTestId('rule-params-json').inputValue()).toBe('{"keepFirst":3,"keepLast":2}');
      await page.getByTestId('rule-save').click();
      await modal.waitFor({ state: 'detached' });

      const sfzh = page.getByTestId('masking-rules').locator('tr[data-field="sfzh"]');
      await waitForAttr(sfzh, 'data-source', 'override');
      expect(await sfzh.getByTestId('rule-source').innerText()).toBe('已调整');
      expect(await sfzh.getByTestId('rule-text').innerText()).toBe('部分遮蔽（保留前几位 3，保留后几位 2）');
      await expectText(page.getByTestId('masking-version'), 'v1');
      const cell = page.getByTestId('masking-preview-table').locator('tr[data-row="0"] td[data-col="sfzh"]');
      await expectText(cell, `${first.slice(0, 3)}${'*'.repeat(13)}${first.slice(-2)}`);

      const view = (await apiAs<MaskingDto>(page, 'GET', `/api/resources/${resourceId}/masking`)).body;
      const rule = view.scenarios.find((x) => x.scenario === 'display')?.fields.find((f) => f.name === 'sfzh');
      expect(rule).toMatchObject({ source: 'override', rule: { method: 'partial', params: { keepFirst: 3, keepLast: 2 } } });
      await snap(page, 'm4-rule-overridden');
    });

    for (const x of [o.ctx.session, s.ctx.session]) expect(x.pageErrors, `uncaught page errors:\n${x.pageErrors.join('\n')}`).toEqual([]);
  });

  it("PRT-8: the officer uploads the leaked copy on the trace page and sees the steward's recipient named", async () => {
    expect(copy, 'the first test downloaded a copy').not.toBeNull();
    const o = await officer();
    const page = o.page;

    await step('t1-trace', o.ctx, async () => {
      await page.getByTestId('nav-trace').click();
      await page.waitForURL((u) => u.pathname === '/protection/trace');
      await page.getByTestId('trace-page').waitFor();
      expect(await page.getByTestId('trace-run').isDisabled()).toBe(true);
      const { name, body } = copy as { name: string; body: Buffer };
      await page.getByTestId('trace-file').locator('input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer: body });
      await page.getByTestId('trace-run').click();

      const result = page.getByTestId('trace-result');
      await result.waitFor({ timeout: 60_000 });
      expect(await result.getAttribute('data-verdict')).toBe('attributed');
      await expectText(page.getByTestId('trace-source'), `来源：接收方 ${recipient}`);
      await expectText(page.getByTestId('trace-confidence'), '置信度');
      expect(Number(await result.getAttribute('data-confidence'))).toBeGreaterThan(0.999999);
      await expectText(page.getByTestId('trace-resource'), resourceName);
      expect(await page.getByTestId('trace-rows').innerText()).toBe(String(N));
      const top = page.getByTestId('trace-top').locator('tr[data-recipient]').first();
      expect(await top.getAttribute('data-recipient')).toBe(recipient);
      expect(await top.getAttribute('data-delivery-id')).toBe(await result.getAttribute('data-delivery-id'));
      await snap(page, 'm5-traced');
    });

    expect(o.ctx.session.pageErrors, `uncaught page errors:\n${o.ctx.session.pageErrors.join('\n')}`).toEqual([]);
  });
});
