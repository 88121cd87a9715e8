// Issue 7 in the browser, open data and the authority's overview, one browser context per person (zh-CN UI):
//   LIF-7   the public security bureau's data steward proposes an open-data release of a statistics resource
//           (fields, a quasi-identifier with its hierarchy, k, licence) on 数据开放, runs the checks and sees each
//           check pass, and submits; a release holding a contact's ID number shows the personal-information
//           scan failing on that column;
//   GZ-17   the city officer reviews it: approving without the three confirmations is stopped in the form; with
//           them the release is published (file v1 with its SM3, changelog);
//   HZ-26   an anonymous browser (no login) finds it on /open, downloads the CSV (UTF-8 BOM, the released
//   DG-11   fields only) and files an error report, getting a tracking code it then looks up;
//   LIF-7   the steward refreshes the release (file v2, changelog note; v1 still downloadable) and withdraws it:
//           the portal no longer offers it;
//   LIF-4   the authority's 审批队列 lists a request waiting on it and leads to the request's page; 逾期事项
//           shows an empty list; once the request is granted, 共享地图 draws the provider → recipient link as a
//           chart with the table beside it.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiAs, castOfPeople, DEMO_PASSWORD, expectText, openDrawer, openModal, pickOption, searchIn, snap, step, waitForAttr, waitUntil } from './helpers.ts';

/** The demo bureau's system (catalog-demo.ts) the statistics resource is registered under. */
const DEMO_SYSTEM = '人口信息管理系统';
/** The demo bureau's published, graded resource with a loaded dataset: what edu.user applies for. */
const RESIDENTS = '常住人口基本信息';
const DISTRICTS = ['鼓楼区', '台江区', '仓山区', '晋安区', '马尾区', '长乐区'];
const BANDS = ['0-17岁', '18-39岁', '40-59岁', '60岁以上'];

/** The <input> of an antd widget whose test id lands on the input itself or on a wrapper. */
async function inputOf(loc: Locator): Promise<Locator> {
  return (await loc.evaluate((el) => el.tagName)) === 'INPUT' ? loc : loc.locator('input').first();
}

/** A checksum-valid, invented resident ID number (GB 11643) from a 17-digit body. */
function residentId(body17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = w.reduce((s, x, i) => s + x * Number(body17[i]), 0);
  return body17 + ('10X98765432'[sum % 11] as string);
}

/** District × age band population counts, with a statistics contact's ID number per row. */
function statsCsv(): string {
  const lines = ['qx,nld,rks,lxrzjhm'];
  let i = 0;
  for (const d of DISTRICTS) {
    for (const b of BANDS) {
      const birth = `19750${1 + (i % 9)}${String(1 + (i % 28)).padStart(2, '0')}`;
      lines.push(`${d},${b},${1000 + i * 37},${residentId(`350102${birth}${String(100 + i).slice(-3)}`)}`);
      i++;
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

describe('数安 open data and the authority overview in the browser: propose, check, review, publish, portal, queue, map', () => {
  const { person, visitor } = castOfPeople();
  const suffix = randomBytes(3).toString('hex');
  const resourceName = `各区分年龄段人口统计 ${suffix}`;
  const title = `各区分年龄段常住人口 ${suffix}`;
  let statsId = '';
  let releaseId = '';
  let requestId = '';

  const steward = () => person('psb.steward');
  const security = () => person('psb.security', { totp: true });
  const officer = () => person('city.officer', { totp: true });
  const eduUser = () => person('edu.user');

  it('LIF-7: the steward proposes a release, runs the checks (each with its outcome) and submits it', async () => {
    const s = await steward();
    const page = s.page;

    await step('seed-statistics-resource', s.ctx, async () => {
      const systems = await apiAs<{ items: { id: string; name: string }[] }>(page, 'GET', `/api/systems?q=${encodeURIComponent(DEMO_SYSTEM)}`);
      const systemId = systems.body.items.find((i) => i.name === DEMO_SYSTEM)?.id;
      expect(systemId, `${DEMO_SYSTEM} in the demo data`).toBeTruthy();
      const res = await apiAs<{ id: string }>(page, 'POST', '/api/resources', {
        systemId,
        name: resourceName,
        description: '按区县、年龄段汇总的常住人口数，附统计联系人',
        fields: [
          { name: 'qx', dataType: 'string', description: '区县' },
          { name: 'nld', dataType: 'string', description: '年龄段' },
          { name: 'rks', dataType: 'integer', description: '人口数' },
          { name: 'lxrzjhm', dataType: 'string', description: '统计联系人证件号码' },
        ],
        shareAttribute: 'unconditional',
        openAttribute: 'open',
        updateFrequency: 'monthly',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      statsId = res.body.id;
      const proposal = await apiAs<{ id: string }>(page, 'POST', `/api/resources/${statsId}/gradings`, {
        categories: ['public_security.population.household_register'],
        harms: [{ object: 'public_interest', degree: 'ordinary', reason: '汇总统计数，已在统计公报中公开' }],
        chosenLevel: 'general-1',
        overrideReason: '统计公报已公开的汇总数据，危害可忽略',
        fieldLabels: [],
      });
      expect(proposal.status, JSON.stringify(proposal.body)).toBe(201);
      const o = await security();
      const decision = await apiAs(o.page, 'POST', `/api/gradings/${proposal.body.id}/decision`, { decision: 'approve', reason: '同意' });
      expect(decision.status, JSON.stringify(decision.body)).toBe(200);

      const me = await page.request.get('/api/me');
      const csrf = ((await me.json()) as { csrfToken: string }).csrfToken;
      const load = await page.request.post(`/api/resources/${statsId}/dataset?mode=replace&fileName=stats.csv`, {
        headers: { 'content-type': 'text/csv', 'x-csrf-token': csrf },
        data: Buffer.from(statsCsv(), 'utf8'),
      });
      expect(load.status(), await load.text()).toBe(200);
    });

    await step('propose-in-the-drawer', s.ctx, async () => {
      await page.goto('/');
      await page.getByTestId('nav-open-data').click();
      await page.waitForURL((u) => u.pathname === '/sharing/open-data');
      await page.getByTestId('release-propose').click();
      await openDrawer(page);
      const drawer = page.getByTestId('release-propose-drawer');
      await pickOption(page, drawer.getByTestId('release-resource'), resourceName, { search: suffix });
      for (const f of ['qx', 'nld', 'rks']) await drawer.getByTestId(`release-field-${f}`).click();
      // The quasi-identifier: the district, suppressed as its coarsest level.
      await drawer.getByTestId('qi-add').click();
      const row = drawer.getByTestId('qi-row').first();
      await pickOption(page, row.getByTestId('qi-field'), 'qx');
      await pickOption(page, row.getByTestId('qi-type'), '整体隐藏');
      await inputOf(drawer.getByTestId('release-k')).then((i) => i.fill('4'));
      await drawer.getByTestId('release-title').fill(title);
      await drawer.getByTestId('release-description').fill('按区县和年龄段汇总的常住人口数');
      await inputOf(drawer.getByTestId('release-licence')).then((i) => i.fill('CC BY 4.0'));
      await page.getByTestId('release-propose-submit').click();
      await page.waitForURL((u) => /^\/sharing\/open-data\/[0-9a-f-]{36}$/.test(u.pathname));
      releaseId = new URL(page.url()).pathname.split('/').pop() as string;
      await waitForAttr(page.getByTestId('release-status'), 'data-status', 'draft');
      await expectText(page.getByTestId('release-facts'), 'qx');
    });

    await step('run-checks-and-submit', s.ctx, async () => {
      // Submitting waits for passing checks.
      expect(await page.getByTestId('release-submit').isDisabled()).toBe(true);
      await page.getByTestId('release-check').click();
      await waitForAttr(page.getByTestId('release-checks-verdict'), 'data-passed', 'true');
      for (const c of ['check-grade', 'check-pi', 'check-anonymity']) expect(await page.getByTestId(c).getAttribute('data-passed'), c).toBe('true');
      // k-anonymity: 24 rows in 6 district classes of 4.
      await expectText(page.getByTestId('check-anonymity'), '24');
      await snap(page, 'od1-checked');
      await page.getByTestId('release-submit').click();
      await waitForAttr(page.getByTestId('release-status'), 'data-status', 'submitted');
    });

    await step('a-failing-check-shows-its-reason', s.ctx, async () => {
      // The contact's ID number released as it is: the personal-information scan finds it and says where.
      const bad = await apiAs<{ id: string }>(page, 'POST', '/api/open-data/releases', {
        resourceId: statsId,
        title: `${title}（含联系人）`,
        description: '含统计联系人证件号码',
        fields: ['qx', 'lxrzjhm'],
        quasiIdentifiers: [],
        k: 2,
        licence: 'CC BY 4.0',
      });
      expect(bad.status, JSON.stringify(bad.body)).toBe(201);
      await page.goto(`/sharing/open-data/${bad.body.id}`);
      await page.getByTestId('release-check').click();
      await waitForAttr(page.getByTestId('release-checks-verdict'), 'data-passed', 'false');
      expect(await page.getByTestId('check-pi').getAttribute('data-passed')).toBe('false');
      await expectText(page.getByTestId('check-pi'), 'lxrzjhm');
      await snap(page, 'od1b-failed');
      expect(await page.getByTestId('release-submit').isDisabled()).toBe(true);
      expect(s.ctx.session.pageErrors).toEqual([]);
    });
  });

  it('GZ-17: the city officer approves only with the three confirmations; the release is published', async () => {
    expect(releaseId, 'the first test proposed the release').not.toBe('');
    const o = await officer();
    const page = o.page;
    await step('review', o.ctx, async () => {
      await page.goto('/sharing/open-data');
      await expectText(page.getByTestId('open-data-title'), '开放审核');
      const row = page.getByTestId('release-table').locator(`tr[data-release-id="${releaseId}"]`);
      await waitForAttr(row.getByTestId('release-row-status'), 'data-status', 'submitted');
      await row.getByTestId('release-link').click();
      await page.waitForURL((u) => u.pathname === `/sharing/open-data/${releaseId}`);
      const review = page.getByTestId('release-review');
      // Approving without the confirmations is stopped in the form.
      await review.getByTestId('review-approve').click();
      await expectText(review, '批准前须确认此项');
      await waitForAttr(page.getByTestId('release-status'), 'data-status', 'submitted');
      await review.getByTestId('review-state-secrets').click();
      await review.getByTestId('review-personal-information').click();
      await review.getByTestId('review-trade-none').click();
      await review.getByTestId('review-reason').fill('汇总统计数据，不含个人信息');
      await review.getByTestId('review-approve').click();
      await waitForAttr(page.getByTestId('release-status'), 'data-status', 'published');
      await page.getByTestId('release-review').waitFor({ state: 'detached' });
      const files = page.getByTestId('release-files').locator('tbody tr.ant-table-row');
      await waitUntil('one published file', async () => (await files.count()) === 1);
      await expectText(files.first(), 'v1');
      await expectText(page.getByTestId('release-changelog'), '开放');
      await snap(page, 'od2-published');
      expect(o.ctx.session.pageErrors).toEqual([]);
    });
  });

  it('HZ-26, DG-11: an anonymous visitor finds the release on /open, downloads the CSV and reports an error', async () => {
    const { ctx, page } = await visitor();
    let trackingCode = '';

    await step('portal-search-and-detail', ctx, async () => {
      await page.goto('/open');
      await page.getByTestId('open-portal').waitFor();
      // Not the platform's frame: no menu, no user.
      expect(await page.getByTestId('nav-menu').count()).toBe(0);
      await searchIn(page.getByTestId('open-search'), suffix);
      const item = page.getByTestId('open-list').locator(`[data-release-id="${releaseId}"]`);
      await expectText(item, title);
      await expectText(item, '示范市公安局');
      await item.getByTestId('open-item-link').click();
      await page.waitForURL((u) => u.pathname === `/open/${releaseId}`);
      await expectText(page.getByTestId('open-detail-title'), title);
      const fields = await page.getByTestId('open-fields').locator('tbody tr.ant-table-row').allInnerTexts();
      expect(fields.map((f) => f.split('\t')[0])).toEqual(['qx', 'nld', 'rks']);
      await expectText(page.getByTestId('licence-tag'), 'CC BY 4.0');
      await expectText(page.getByTestId('open-changelog'), '开放');
      await snap(page, 'od3-portal');
    });

    await step('download-csv', ctx, async () => {
      const downloading = page.waitForEvent('download');
      await page.getByTestId('open-download').click();
      const download = await downloading;
      const body = await readFile(await download.path());
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
      expect(body.subarray(0, 3).toString('hex'), 'UTF-8 BOM').toBe('efbbbf');
      const text = body.toString('utf8').replace(/^\uFEFF/, '');
      const [head, ...lines] = text.trim().split(/\r?\n/);
      expect(head?.split(',')).toEqual(['qx', 'nld', 'rks']);
      expect(lines).toHaveLength(24);
      expect(text).toContain('鼓楼区');
      expect(text, 'the unreleased contact field stays out').not.toContain('350102');
      // The SM3 shown on the page is the file's.
      expect((await page.getByTestId('open-file-sm3').innerText()).trim()).toMatch(/^[0-9a-f]{64}$/);
    });

    await step('error-report-and-tracking', ctx, async () => {
      const form = page.getByTestId('report-form');
      await pickOption(page, form.getByTestId('report-field'), 'rks');
      await form.getByTestId('report-record-key').fill('鼓楼区 0-17岁');
      await form.getByTestId('report-description').fill('鼓楼区 0-17 岁人口数与统计公报不一致');
      await form.getByTestId('report-contact').fill('reporter@example.com');
      await form.getByTestId('report-submit').click();
      const code = page.getByTestId('report-tracking-code');
      await code.waitFor();
      trackingCode = (await code.innerText()).trim();
      expect(trackingCode).toMatch(/^[A-Z2-7]{8}(-[A-Z2-7]{8}){2}$/);

      await page.getByTestId('open-back').click();
      await page.waitForURL((u) => u.pathname === '/open');
      await searchIn(page.getByTestId('tracking-input'), trackingCode.toLowerCase());
      await expectText(page.getByTestId('tracking-result'), trackingCode);
      await expectText(page.getByTestId('tracking-status'), '待核实');
      expect(ctx.session.pageErrors).toEqual([]);
    });
  });

  it('LIF-7: the steward refreshes the release (file v2, changelog) and withdraws it; the portal no longer offers it', async () => {
    expect(releaseId, 'the first tests published the release').not.toBe('');
    const s = await steward();
    const page = s.page;
    await step('refresh-and-withdraw', s.ctx, async () => {
      await page.goto(`/sharing/open-data/${releaseId}`);
      await waitForAttr(page.getByTestId('release-status'), 'data-status', 'published');
      await page.getByTestId('release-refresh').click();
      await openModal(page);
      await page.locator('.ant-modal').filter({ visible: true }).locator('textarea').fill('按月更新');
      await page.getByTestId('release-refresh-confirm').click();
      const files = page.getByTestId('release-files').locator('tbody tr.ant-table-row');
      await waitUntil('two published files', async () => (await files.count()) === 2);
      await expectText(page.getByTestId('release-changelog'), '按月更新');
      // An earlier version stays downloadable for those who see the release.
      const downloading = page.waitForEvent('download');
      await files.first().getByTestId('release-file-download').click();
      expect((await downloading).suggestedFilename()).toMatch(/\.csv$/);

      await page.getByTestId('release-withdraw').click();
      await openModal(page);
      await page.getByTestId('release-withdraw-confirm').click();
      await waitForAttr(page.getByTestId('release-status'), 'data-status', 'withdrawn');
      await expectText(page.getByTestId('release-changelog'), '撤回');
      expect(s.ctx.session.pageErrors).toEqual([]);
    });

    const { ctx, page: portal } = await visitor();
    await step('gone-from-the-portal', ctx, async () => {
      await portal.goto(`/open/${releaseId}`);
      await portal.getByTestId('error-alert').waitFor();
      await portal.goto(`/open?q=${suffix}`);
      await expectText(portal.getByTestId('open-list'), '没有匹配的开放数据');
      expect(await portal.getByTestId('open-item').count()).toBe(0);
    });
  });

  it('LIF-4: the approval queue lists a request waiting on the authority; once granted, the sharing map draws it', async () => {
    const u = await eduUser();
    const s = await steward();
    const o = await officer();

    await step('a-request-waits-on-the-authority', u.ctx, async () => {
      const found = await apiAs<{ items: { id: string; name: string }[] }>(u.page, 'GET', `/api/resources?q=${encodeURIComponent(RESIDENTS)}`);
      const resourceId = found.body.items.find((x) => x.name === RESIDENTS)?.id;
      expect(resourceId, 'the demo resource is in the shared catalog').toBeTruthy();
      const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10); // the Beijing date
      const end = new Date(Date.parse(`${today}T00:00:00Z`) + 90 * 86_400_000).toISOString().slice(0, 10);
      const created = await apiAs<{ id: string }>(u.page, 'POST', '/api/share-requests', {
        resourceId,
        fields: ['xm', 'csrq'],
        purpose: '学生资助对象身份核验',
        purposeCode: `student-aid.${suffix}`,
        legalBasis: '《学生资助资金管理办法》',
        scenario: '资助申请受理时核验申请人身份',
        method: 'interface',
        termStart: today,
        termEnd: end,
        securityMeasures: '政务外网专线访问，数据加密存储，专人管理，到期删除',
        liabilityAccepted: true,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      requestId = created.body.id;
      const provider = await apiAs(s.page, 'POST', `/api/share-requests/${requestId}/decision`, { decision: 'approve', reason: '同意' });
      expect(provider.status, JSON.stringify(provider.body)).toBe(200);
    });

    await step('queue', o.ctx, async () => {
      const page = o.page;
      await page.goto('/');
      await page.getByTestId('nav-sharing-queue').click();
      await page.waitForURL((url) => url.pathname === '/sharing/queue');
      const row = page.getByTestId('sharing-queue-table').locator(`tr[data-request-id="${requestId}"]`);
      await expectText(row, RESIDENTS);
      await expectText(row, '示范市教育局');
      await snap(page, 'od4-queue');
      expect(o.ctx.session.pageErrors, 'queue page errors').toEqual([]);
      await row.getByTestId('sharing-queue-decide').click();
      await page.waitForURL((url) => url.pathname === `/sharing/requests/${requestId}`);
      await page.getByTestId('request-detail').waitFor();
      expect(o.ctx.session.pageErrors, 'request page errors').toEqual([]);
    });

    await step('granted', o.ctx, async () => {
      // The authority's step(s) and both signatures, through the API (the sharing e2e test drives them in the UI).
      for (let i = 0; i < 3; i++) {
        const r = await apiAs<{ status: string; can: { decide: boolean } }>(o.page, 'GET', `/api/share-requests/${requestId}`);
        if (r.body.status !== 'in_review') break;
        const who = r.body.can.decide ? o : await person('city.admin', { totp: true });
        const d = await apiAs(who.page, 'POST', `/api/share-requests/${requestId}/decision`, { decision: 'approve', reason: '履职需要' });
        expect(d.status, JSON.stringify(d.body)).toBe(200);
      }
      const approved = await apiAs<{ status: string; agreementId: string | null }>(o.page, 'GET', `/api/share-requests/${requestId}`);
      expect(approved.body.status).toBe('approved');
      for (const p of [u, s]) {
        const signed = await apiAs(p.page, 'POST', `/api/share-agreements/${approved.body.agreementId}/sign`, { password: DEMO_PASSWORD });
        expect(signed.status, JSON.stringify(signed.body)).toBe(200);
      }
      const granted = await apiAs<{ status: string }>(o.page, 'GET', `/api/share-requests/${requestId}`);
      expect(granted.body.status).toBe('granted');
    });

    await step('overdue', o.ctx, async () => {
      // Nothing is late in a fresh city: the list is there, and empty.
      await o.page.getByTestId('nav-sharing-overdue').click();
      await o.page.waitForURL((url) => url.pathname === '/sharing/overdue');
      await expectText(o.page.getByTestId('sharing-overdue-table'), '没有逾期事项');
    });

    await step('map', o.ctx, async () => {
      const page = o.page;
      await page.getByTestId('nav-sharing-map').click();
      await page.waitForURL((url) => url.pathname === '/sharing/map');
      const chart = page.getByTestId('sharing-map-chart');
      await chart.locator('canvas').first().waitFor();
      const rows = page.getByTestId('sharing-map-table').locator('tbody tr.ant-table-row');
      await waitUntil('a map link', async () => (await rows.count()) > 0);
      const texts = await rows.allInnerTexts();
      expect(
        texts.some((t) => t.includes('示范市公安局') && t.includes('示范市教育局')),
        texts.join('\n'),
      ).toBe(true);
      // Something was drawn on the canvas (not a blank chart).
      const inked = await chart
        .locator('canvas')
        .first()
        .evaluate((c) => {
          const canvas = c as unknown as {
            width: number;
            height: number;
            getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
          };
          const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          for (let i = 3; i < data.length; i += 4) if ((data[i] as number) > 0) return true;
          return false;
        });
      expect(inked).toBe(true);
      await snap(page, 'od5-map');
      expect(o.ctx.session.pageErrors).toEqual([]);
    });
  });
});
