// Issue 3 in the browser, the acceptance points catalog.e2e.test.ts leaves out, in the zh-CN UI with one
// browser context per person (logged in once, shared by the tests of this file):
//   AST-3   the bureau's security officer records an asset check with two findings (one tied to a system) and
//           resolves one; the list shows one open; the city authority finds it filtered by institution;
//   ORG-4   the PI inventory page shows each institution's totals as the API has them and says where the
//           thresholds are crossed (the sensitive-PI one is crossed by a resource seeded here);
//   AST-1   a version conflict: two stewards edit the same draft; the second save is refused and reloads;
//   AST-2   a closure (注销) filed with the date it happened shows its DG-8 deadline (and the late mark);
//   AST-4   a GBK/GB18030-encoded CSV goes through the import dialog and its resource appears, text intact;
//   CLS-1   the authority's scheme editor refuses an invalid scheme with a readable Chinese message.
import { randomBytes } from 'node:crypto';
import { findWorkday, isWorkday } from 'chinese-days';
import iconv from 'iconv-lite';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  apiAs,
  castOfPeople,
  expectText,
  openDrawer,
  openModal,
  pickDate,
  pickOption,
  pickTreeOption,
  searchIn,
  snap,
  step,
  tableRows,
  waitForAttr,
  waitUntil,
} from './helpers.ts';

const PSB = '示范市公安局';
const EDU = '示范市教育局';
const OFFICER_NAME = '胡婷（公安局安全管理员）';
/** The demo bureau's accepted system (catalog-demo.ts). */
const DEMO_SYSTEM = '人口信息管理系统';

interface Paged<T> {
  items: T[];
  total: number;
}
interface CheckDto {
  id: string;
  institutionId: string;
  institutionName: string;
  checkedOn: string;
  scope: string | null;
  checkedBy: { displayName: string } | null;
  findings: { systemId: string | null; systemName: string | null; description: string; resolved: boolean; resolution: string | null }[];
  openFindings: number;
}
interface PiInventoryDto {
  thresholds: { people: number; sensitivePeople: number };
  institutions: {
    institutionId: string;
    institutionName: string;
    resources: { name: string }[];
    totals: { records: number; people: number; sensitivePeople: number };
    crossed: { people: boolean; sensitivePeople: boolean };
    officerRequired: boolean;
    piOfficerNamed: boolean;
  }[];
}

describe('数安 catalog in the browser: asset checks, PI inventory, conflicts, closure, GBK import, scheme errors', () => {
  const { person, sessions } = castOfPeople();
  const tag = randomBytes(3).toString('hex');

  const officer = () => person('psb.security', { totp: true });
  const authority = () => person('city.admin', { totp: true });
  const steward = () => person('psb.steward');

  async function psbId(): Promise<string> {
    const { page } = await steward();
    const me = await apiAs<{ user: { institutionId: string } }>(page, 'GET', '/api/me');
    return me.body.user.institutionId;
  }
  async function demoSystemId(): Promise<string> {
    const { page } = await steward();
    const res = await apiAs<Paged<{ id: string; name: string }>>(page, 'GET', `/api/systems?q=${encodeURIComponent(DEMO_SYSTEM)}`);
    const s = res.body.items.find((i) => i.name === DEMO_SYSTEM);
    if (!s) throw new Error(`${DEMO_SYSTEM} is not in the demo data`);
    return s.id;
  }

  it('AST-3: the officer records a check with two findings and resolves one; one stays open; the authority filters by institution', async () => {
    // Log the two privileged people in side by side.
    const [o, a] = await Promise.all([officer(), authority()]);
    const op = o.page;
    const ap = a.page;
    const scope = `全部在运行系统及机房存储载体（${tag}）`;
    const withSystem = `登记的存储载体“政务云数据库集群”已扩容，新增节点未登记（${tag}）`;
    const withoutSystem = `机房发现一台未登记的业务终端（${tag}）`;
    const resolution = '已报送变更登记，补充新增的存储节点';
    const today = beijingDate(new Date());

    await step('a1-record-check', o.ctx, async () => {
      await op.getByTestId('nav-asset-checks').click();
      await op.waitForURL((u) => u.pathname === '/systems/asset-checks');
      await op.getByTestId('asset-check-create').click();
      await op.getByTestId('asset-check-drawer').waitFor();
      await openDrawer(op);
      // Defaults: the officer's own institution, today in Beijing; no findings yet, and the hint that none is a result.
      await expectText(op.getByTestId('asset-check-institution'), PSB);
      expect(await dateValue(op.getByTestId('asset-check-date'))).toBe(today);
      await op.getByTestId('asset-check-no-findings-hint').waitFor();
      await op.getByTestId('asset-check-scope').fill(scope);
      await op.getByTestId('asset-check-notes').fill('对照系统登记逐项核对');

      await op.getByTestId('asset-check-finding-add').click();
      await op.getByTestId('asset-check-no-findings-hint').waitFor({ state: 'detached' });
      await pickOption(op, op.getByTestId('asset-check-finding-system').nth(0), DEMO_SYSTEM);
      await op.getByTestId('asset-check-finding-description').nth(0).fill(withSystem);
      await op.getByTestId('asset-check-finding-add').click();
      await op.getByTestId('asset-check-finding-description').nth(1).fill(withoutSystem);
      expect(await op.getByTestId('asset-check-finding').count()).toBe(2);
      await snap(op, 'm1-asset-check-form');
      await op.getByTestId('asset-check-submit').click();
      await op.getByTestId('asset-check-drawer').waitFor({ state: 'detached' });
      expect(await op.getByTestId('asset-check-error').count()).toBe(0);

      // The new check in the list: today, the bureau, the officer as the checker, two findings both open.
      const row = outerRows(op.getByTestId('asset-check-table')).filter({ hasText: scope });
      await row.waitFor();
      const text = await row.innerText();
      for (const s of [today, PSB, OFFICER_NAME, scope]) expect(text).toContain(s);
      await waitForAttr(row.getByTestId('asset-check-counts'), 'data-open', '2');
      expect(await row.getByTestId('asset-check-counts').getAttribute('data-findings')).toBe('2');
      expect(await row.getByTestId('asset-check-counts').innerText()).toContain('2 / 2');
    });

    await step('a2-resolve-one', o.ctx, async () => {
      const table = op.getByTestId('asset-check-table');
      const row = outerRows(table).filter({ hasText: scope });
      await row.click(); // expands the row
      const detail = op.getByTestId('asset-check-detail');
      await detail.waitFor();
      const findings = detail.getByTestId('asset-check-findings-table').locator('tr.ant-table-row');
      expect(await findings.count()).toBe(2);
      const tied = findings.filter({ hasText: withSystem });
      expect(await tied.getByTestId('finding-system').innerText()).toBe(DEMO_SYSTEM);
      expect(await tied.getByTestId('finding-system').getAttribute('href')).toBe(`/systems/${await demoSystemId()}`);
      expect(await findings.filter({ hasText: withoutSystem }).innerText()).toContain('未关联系统');
      expect(await detail.getByTestId('finding-resolve').count()).toBe(2);

      await tied.getByTestId('finding-resolve').click();
      const modal = op.getByTestId('finding-resolve-modal');
      await openModal(op);
      await op.getByTestId('finding-resolution').fill(resolution);
      await op.getByTestId('finding-resolve-ok').click();
      await modal.waitFor({ state: 'detached' });

      // Resolved by the officer, with the resolution; the other stays open; the row says 1 open.
      await waitForAttr(tied.getByTestId('finding-status'), 'data-resolved', 'true');
      const tiedText = await tied.innerText();
      for (const s of ['已处理', OFFICER_NAME, resolution]) expect(tiedText).toContain(s);
      await waitForAttr(findings.filter({ hasText: withoutSystem }).getByTestId('finding-status'), 'data-resolved', 'false');
      expect(await detail.getByTestId('finding-resolve').count()).toBe(1);
      const counts = row.getByTestId('asset-check-counts');
      await waitForAttr(counts, 'data-open', '1');
      expect(await counts.innerText()).toContain('2 / 1');
      expect(await counts.innerText()).toContain('1 项未处理');
      await snap(op, 'm2-asset-check-resolved');

      // The API agrees: who checked, when, each finding, one resolved with its resolution.
      const api = await apiAs<Paged<CheckDto>>(op, 'GET', '/api/asset-checks?unresolved=true&pageSize=200');
      const check = api.body.items.find((c) => c.scope === scope);
      expect(check).toMatchObject({ checkedOn: today, institutionName: PSB, checkedBy: { displayName: OFFICER_NAME }, openFindings: 1 });
      expect(check?.findings.map((f) => [f.systemName, f.resolved, f.resolution])).toEqual([
        [DEMO_SYSTEM, true, resolution],
        [null, false, null],
      ]);
    });

    await step('a3-filter-open', o.ctx, async () => {
      const table = op.getByTestId('asset-check-table');
      await pickOption(op, op.getByTestId('asset-check-filter-status'), '有未处理问题');
      await outerRows(table).filter({ hasText: scope }).waitFor();
      await pickOption(op, op.getByTestId('asset-check-filter-status'), '已全部处理');
      const resolvedOnly = await apiAs<Paged<CheckDto>>(op, 'GET', '/api/asset-checks?unresolved=false&pageSize=200');
      await waitUntil('the table to show the fully resolved checks only', async () => {
        const rows = await outerRows(table).allInnerTexts();
        return rows.length === resolvedOnly.body.items.length && !rows.some((r) => r.includes(scope));
      });
      // The bureau's officer sees one institution: no institution filter for them.
      expect(await op.getByTestId('asset-check-filter-institution').count()).toBe(0);
    });

    await step('a4-authority-filters', a.ctx, async () => {
      await ap.getByTestId('nav-systems').click();
      await ap.waitForURL((u) => u.pathname === '/systems');
      await ap.getByTestId('system-asset-checks-link').click();
      await ap.waitForURL((u) => u.pathname === '/systems/asset-checks');
      const table = ap.getByTestId('asset-check-table');
      await table.waitFor();
      // The authority reads but does not record checks or resolve findings (no system.manage).
      expect(await ap.getByTestId('asset-check-create').count()).toBe(0);

      const psb = await psbId();
      await pickTreeOption(ap, ap.getByTestId('asset-check-filter-institution'), PSB);
      const api = await apiAs<Paged<CheckDto>>(ap, 'GET', `/api/asset-checks?institutionId=${psb}&pageSize=200`);
      expect(api.body.items.every((c) => c.institutionId === psb)).toBe(true);
      await waitUntil(`only ${PSB}'s checks, ours among them`, async () => {
        const rows = await outerRows(table).allInnerTexts();
        return rows.length === api.body.items.length && rows.every((r) => r.includes(PSB)) && rows.some((r) => r.includes(scope));
      });
      const row = outerRows(table).filter({ hasText: scope });
      await waitForAttr(row.getByTestId('asset-check-counts'), 'data-open', '1');
      await row.click();
      const detail = ap.getByTestId('asset-check-detail');
      await detail.waitFor();
      await expectText(detail, resolution);
      expect(await detail.getByTestId('finding-resolve').count()).toBe(0);
      await snap(ap, 'm3-asset-checks-authority');

      // Another institution: not this check.
      await pickTreeOption(ap, ap.getByTestId('asset-check-filter-institution'), EDU);
      await waitUntil(`${EDU}'s checks only`, async () => {
        const rows = await outerRows(table).allInnerTexts();
        return !rows.some((r) => r.includes(scope)) && rows.every((r) => r.includes(EDU));
      });
    });

    for (const s of [o.ctx.session, a.ctx.session]) expect(s.pageErrors, `uncaught page errors:\n${s.pageErrors.join('\n')}`).toEqual([]);
  });

  it('ORG-4: the PI inventory shows the API totals per institution and says where the thresholds are crossed', async () => {
    const [s, a] = await Promise.all([steward(), authority()]);
    const ap = a.page;
    const psb = await psbId();

    await step('b1-seed-sensitive-pi', s.ctx, async () => {
      // The demo bureau holds PI of over a million people (crossed) but no sensitive PI: add a resource that
      // holds sensitive PI of 120,000 people (> 100,000: the second threshold).
      const before = await apiAs<PiInventoryDto>(s.page, 'GET', `/api/pi-inventory?institutionId=${psb}`);
      const mine = before.body.institutions.find((i) => i.institutionId === psb);
      expect(mine?.crossed).toEqual({ people: true, sensitivePeople: false });
      const res = await apiAs(s.page, 'POST', '/api/resources', {
        systemId: await demoSystemId(),
        name: `社区矫正人员健康信息${tag}`,
        description: '社区矫正对象的体检与病史记录',
        fields: [
          { name: 'xm', dataType: 'string', description: '姓名' },
          { name: 'bs', dataType: 'string', description: '既往病史' },
        ],
        shareAttribute: 'not_shared',
        shareBasis: '含敏感个人信息（医疗健康）',
        openAttribute: 'not_open',
        pi: { records: 150_000, people: 120_000, sensitive: true },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    });

    await step('b2-pi-inventory-page', a.ctx, async () => {
      await ap.getByTestId('nav-catalog').click();
      await ap.waitForURL((u) => u.pathname === '/catalog');
      await ap.getByTestId('pi-inventory-link').click();
      await ap.waitForURL((u) => u.pathname === '/catalog/pi-inventory');
      const page = ap.getByTestId('pi-inventory');
      await page.getByTestId('pi-institution').first().waitFor();
      const api = (await apiAs<PiInventoryDto>(ap, 'GET', '/api/pi-inventory')).body;
      // The thresholds as the page states them (ORG-4: 1,000,000 people; more than 100,000 with sensitive PI).
      expect(api.thresholds).toEqual({ people: 1_000_000, sensitivePeople: 100_000 });
      await expectText(page, '1,000,000');
      await expectText(page, '100,000');

      const shown = api.institutions.filter((i) => i.resources.length > 0 || i.crossed.people || i.crossed.sensitivePeople);
      const cards = page.getByTestId('pi-institution');
      await waitUntil('one card per institution with PI', async () => (await cards.count()) === shown.length);
      for (const inst of shown) {
        const card = cardOf(ap, inst.institutionName);
        expect(await card.count(), inst.institutionName).toBe(1);
        expect(digits(await cell(card, '含个人信息的记录数')), `${inst.institutionName} records`).toBe(inst.totals.records);
        const peopleCell = await cell(card, '涉及人数');
        const sensitiveCell = await cell(card, '涉及敏感个人信息人数');
        expect(digits(peopleCell), `${inst.institutionName} people`).toBe(inst.totals.people);
        expect(digits(sensitiveCell), `${inst.institutionName} sensitive people`).toBe(inst.totals.sensitivePeople);
        expect(peopleCell.includes('已达阈值'), `${inst.institutionName} people threshold`).toBe(inst.crossed.people);
        expect(sensitiveCell.includes('已达阈值'), `${inst.institutionName} sensitive threshold`).toBe(inst.crossed.sensitivePeople);
        const head = await card.locator('.ant-card-head').innerText();
        if (!inst.officerRequired) expect(head).toContain('未达指定负责人阈值');
        else if (inst.piOfficerNamed) expect(await card.getByTestId('pi-officer-ok').count()).toBe(1);
        else expect(await card.getByTestId('pi-officer-missing').innerText()).toBe('须指定个人信息保护负责人（未指定）');
      }
      // The bureau: both thresholds crossed now, no PI officer named in its profile.
      const bureau = shown.find((i) => i.institutionId === psb);
      expect(bureau?.crossed).toEqual({ people: true, sensitivePeople: true });
      expect(bureau?.totals.sensitivePeople).toBe(120_000);
      const card = cardOf(ap, PSB);
      await card.getByTestId('pi-officer-missing').waitFor();
      await expectText(card, `社区矫正人员健康信息${tag}`);
      await snap(ap, 'm4-pi-inventory');
    });
  });

  it('AST-1: two stewards edit the same draft; the second save gets the conflict message and reloads', async () => {
    const [s1, s2] = await Promise.all([steward(), person('psb.steward', { key: 'psb.steward#2' })]);
    const name = `网格化社会治理平台${tag}`;
    let id = '';
    await step('c1-seed-draft', s1.ctx, async () => {
      const res = await apiAs<{ id: string; version: number }>(s1.page, 'POST', '/api/systems', { institutionId: await psbId(), name });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      id = res.body.id;
    });
    const first = '第一位编辑：网格事件采集与分拨';
    const second = '第二位编辑：网格员巡查与事件上报';
    const open = async (p: Page) => {
      await p.goto(`/systems/${id}`);
      await expectText(p.getByTestId('system-detail-name'), name);
      await p.getByTestId('system-edit').click();
      await p.getByTestId('system-form-drawer').waitFor();
      await openDrawer(p);
    };
    await step('c1-both-open', s1.ctx, () => open(s1.page));
    await step('c1-second-opens', s2.ctx, () => open(s2.page));

    await step('c1-first-saves', s1.ctx, async () => {
      await s1.page.getByTestId('system-form-description').fill(first);
      await s1.page.getByTestId('system-form-submit').click();
      await s1.page.getByTestId('system-form-drawer').waitFor({ state: 'detached' });
      await expectText(s1.page.getByTestId('system-detail'), first);
    });

    await step('c1-second-conflicts', s2.ctx, async () => {
      const p = s2.page;
      await p.getByTestId('system-form-description').fill(second);
      await p.getByTestId('system-form-submit').click();
      const conflict = p.getByTestId('system-conflict');
      await conflict.waitFor();
      const text = await conflict.innerText();
      expect(text).toContain('保存冲突：该登记已被他人修改');
      expect(text).toMatch(/[\u4e00-\u9fff]/);
      expect(await p.getByTestId('system-form-drawer').isVisible()).toBe(true);
      await snap(p, 'm5-conflict');

      // 重新加载: the form takes the first editor's text; editing again and saving now succeeds.
      await p.getByTestId('system-reload').click();
      await conflict.waitFor({ state: 'detached' });
      await waitUntil('the reloaded description', async () => (await p.getByTestId('system-form-description').inputValue()) === first);
      await p.getByTestId('system-form-description').fill(second);
      await p.getByTestId('system-form-submit').click();
      await p.getByTestId('system-form-drawer').waitFor({ state: 'detached' });
      await expectText(p.getByTestId('system-detail'), second);
      const now = await apiAs<{ description: string; version: number }>(p, 'GET', `/api/systems/${id}`);
      expect(now.body.description).toBe(second);
      expect(now.body.version).toBe(3);
    });
  });

  it('AST-2: a closure filed with the date it happened shows the computed DG-8 deadline', async () => {
    const [s, a] = await Promise.all([steward(), authority()]);
    const sp = s.page;
    const name = `旧版出入境预约系统${tag}`;
    const operation = workdayBack(60);
    const closed = workdayBack(30);
    const deadline = findWorkday(15, closed);
    const late = beijingDate(new Date()) > deadline;
    let id = '';

    await step('c2-seed-accepted', s.ctx, async () => {
      const created = await apiAs<{ id: string }>(sp, 'POST', '/api/systems', {
        institutionId: await psbId(),
        name,
        description: '出入境证件办理预约（已由新平台替代）',
        securityLead: { name: '林海', title: '出入境管理支队副支队长', phone: '0591-87000002' },
        securityMeasures: '政务云部署；访问控制；日志审计',
        assessmentResult: '2026 年度评估：低风险',
        auditConclusion: '未发现违规访问',
        mlpsLevel: 2,
        hosting: 'government_cloud',
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      id = created.body.id;
      const filing = await apiAs<{ id: string }>(sp, 'POST', `/api/systems/${id}/submit`, { eventDate: operation });
      expect(filing.status, JSON.stringify(filing.body)).toBe(201);
      const review = await apiAs(a.page, 'POST', `/api/system-filings/${filing.body.id}/review`, { decision: 'accept' });
      expect(review.status, JSON.stringify(review.body)).toBe(200);
    });

    await step('c2-file-closure', s.ctx, async () => {
      await sp.goto(`/systems/${id}`);
      await waitForAttr(sp.getByTestId('system-detail').getByTestId('system-status').first(), 'data-status', 'accepted');
      await sp.getByTestId('system-closure').click();
      const modal = sp.getByTestId('file-modal');
      await openModal(sp);
      await pickDate(sp, sp.getByTestId('file-modal-date'), closed);
      await sp.getByTestId('file-modal-summary').fill('系统已由“一网通办”出入境模块替代，历史数据已迁移，原数据库已按规定销毁');
      await sp.getByTestId('file-modal-ok').click();
      await modal.waitFor({ state: 'detached' });
      expect(await sp.getByTestId('file-modal-error').count()).toBe(0);

      // The closure filing, pending, with its deadline: 15 working days after the day it closed.
      const filing = sp.getByTestId('filing-item').and(sp.locator('[data-kind="closure"]'));
      await filing.waitFor();
      expect(await filing.getAttribute('data-review')).toBe('pending');
      await expectText(sp.getByTestId('system-detail-deadline'), deadline);
      const history = sp.getByTestId('filing-history');
      expect(await history.getByTestId('filing-deadline').first().innerText()).toBe(deadline);
      await expectText(history, closed);
      expect((await filing.getByTestId('late-tag').count()) > 0).toBe(late);
      // Still registered until the authority accepts the closure.
      await waitForAttr(sp.getByTestId('system-detail').getByTestId('system-status').first(), 'data-status', 'accepted');
      await waitUntil('报送注销 disabled while the closure is pending', () => sp.getByTestId('system-closure').isDisabled());
      await snap(sp, 'm6-closure');
    });
  });

  it('AST-4: a GBK-encoded CSV imports through the dialog and its resource appears with its Chinese text intact', async () => {
    const s = await steward();
    const sp = s.page;
    const resource = `流动人口居住登记${tag}`;
    const rows = [
      ['类型', '系统名称', '资源名称', '字段名称', '数据类型', '说明', '共享属性', '共享依据', '开放属性'],
      ['数据资源', DEMO_SYSTEM, resource, '', '', '流动人口居住登记信息（含历史记录）', '不予共享', '涉及个人隐私，依《条例》第八条', '不予开放'],
      ['数据项', DEMO_SYSTEM, resource, '居住地址', '字符型', '省、市、区、街道', '', '', ''],
      ['数据项', DEMO_SYSTEM, resource, '登记日期', '日期型', '居住登记的日期', '', '', ''],
    ];
    const bytes = iconv.encode(`${rows.map((r) => r.join(',')).join('\r\n')}\r\n`, 'gbk');
    expect(bytes.includes(Buffer.from('数据资源', 'utf8'))).toBe(false); // really not UTF-8

    await step('c3-import-gbk', s.ctx, async () => {
      await sp.getByTestId('nav-catalog').click();
      await sp.waitForURL((u) => u.pathname === '/catalog');
      await sp.getByTestId('catalog-import').click();
      const modal = sp.getByTestId('import-modal');
      await openModal(sp);
      await modal.locator('input[type=file]').setInputFiles({ name: `居住登记目录${tag}.csv`, mimeType: 'text/csv', buffer: bytes });
      await sp.getByTestId('import-check').click();
      const ok = sp.getByTestId('import-check-ok');
      await ok.waitFor();
      // Detected as GB18030 (GBK's superset), three rows, one resource with two fields to create.
      const summary = await ok.getByTestId('import-summary').innerText();
      expect(summary).toMatch(/编码 gb18030/i);
      expect(summary).toContain('CSV 文件 · 3 行');
      for (const t of ['将新建', '系统 0 个', '数据资源 1 个', '数据项 2 个']) expect(summary).toContain(t);
      await snap(sp, 'm7-gbk-checked');
      await sp.getByTestId('import-run').click();
      await sp.getByTestId('import-success').waitFor();
      await sp.getByTestId('import-close').click();
      await modal.waitFor({ state: 'detached' });
    });

    await step('c3-resource-appears', s.ctx, async () => {
      await searchIn(sp.getByTestId('resource-search'), resource);
      const table = sp.getByTestId('resource-table');
      await waitUntil(`${resource} in the catalog`, async () => {
        const r = await tableRows(table);
        return r.length === 1 && [resource, DEMO_SYSTEM, PSB, '不予共享', '不予开放'].every((t) => r[0]?.includes(t));
      });
      await table.getByTestId('resource-open').filter({ hasText: resource }).click();
      await sp.waitForURL((u) => /^\/catalog\/[0-9a-f-]{36}$/.test(u.pathname));
      await expectText(sp.getByTestId('resource-detail-name'), resource);
      for (const t of ['居住地址', '省、市、区、街道', '登记日期']) await expectText(sp.getByTestId('resource-fields'), t);
    });
  });

  it('CLS-1: the scheme editor refuses an invalid scheme with a readable Chinese error, and nothing is saved', async () => {
    const a = await authority();
    const ap = a.page;
    await step('c4-invalid-scheme', a.ctx, async () => {
      await ap.getByTestId('nav-grading').click();
      await ap.waitForURL((u) => u.pathname === '/grading');
      await ap.getByTestId('grading-tab-draft').click();
      await ap.getByTestId('scheme-new-draft').click();
      await ap.getByTestId('scheme-editor').waitFor();
      // A milder harm may not give a higher level than a more serious one: 个人权益 × 一般危害 → 核心数据.
      await pickOption(ap, ap.getByTestId('matrix-cell-individual-ordinary'), '核心数据');
      await ap.getByTestId('scheme-save').click();
      const error = ap.getByTestId('scheme-error');
      await error.waitFor();
      const text = await error.innerText();
      expect(text).toContain('分类分级规则有误');
      expect(text).toContain('“个人权益 × 一般危害”定为核心数据，高于更严重的“严重危害”');
      expect(text).toContain('INVALID_SCHEME');
      await snap(ap, 'm8-invalid-scheme');
      // Nothing saved: no draft version exists.
      const versions = await apiAs<{ status: string }[]>(ap, 'GET', '/api/grading/schemes');
      expect(versions.body.some((v) => v.status === 'draft')).toBe(false);

      // Discarding the unsaved draft leaves the editor empty again.
      await ap.getByTestId('scheme-discard').click();
      await openModal(ap);
      await ap.getByTestId('scheme-discard-ok').click();
      await ap.getByTestId('scheme-no-draft').waitFor();
    });

    for (const s of sessions()) expect(s.pageErrors, `uncaught page errors:\n${s.pageErrors.join('\n')}`).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------

/** The calendar date (YYYY-MM-DD) in Beijing, where the DG-8 rule is kept. */
function beijingDate(d: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d);
}

/**
 * A working day about `days` back (Beijing), in 2026 (the last year with a built-in holiday schedule) and
 * early enough that its 15-working-day deadline stays in 2026 too.
 */
function workdayBack(days: number): string {
  let d = new Date(Date.now() - days * 86_400_000);
  if (beijingDate(d) > '2026-12-31') d = new Date('2026-12-31T04:00:00Z');
  for (let i = 0; i < 400; i++, d = new Date(d.getTime() - 86_400_000)) {
    const day = beijingDate(d);
    if (day.startsWith('2026-') && isWorkday(day) && findWorkday(15, day) <= '2026-12-31') return day;
  }
  throw new Error('no working day found in 2026');
}

/** The body rows of the outer table only (not those of a table inside an expanded row). */
function outerRows(table: Locator): Locator {
  return table.locator('.ant-table-tbody').first().locator(':scope > tr.ant-table-row');
}

/** The value of an antd DatePicker's input (the test id sits on the input or on its wrapper). */
async function dateValue(picker: Locator): Promise<string> {
  const input = (await picker.evaluate((el) => el.tagName)) === 'INPUT' ? picker : picker.locator('input').first();
  return input.inputValue();
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The PI inventory card of one institution (its title is exactly the name). */
function cardOf(page: Page, name: string): Locator {
  return page.getByTestId('pi-institution').filter({ has: page.locator('.ant-card-head-title', { hasText: new RegExp(`^${escapeRe(name)}$`) }) });
}

/** The content cell next to a bordered Descriptions label. */
async function cell(card: Locator, label: string): Promise<string> {
  const th = card.locator('th.ant-descriptions-item-label').filter({ hasText: new RegExp(`^${label}$`) });
  return th.locator('xpath=following-sibling::td[1]').innerText();
}

const digits = (s: string): number => Number(s.replace(/[^\d]/g, ''));
