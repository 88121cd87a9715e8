// Issue 7 in the browser, the whole path of a share, one browser context per person, in the zh-CN UI:
//   LIF-4   the education bureau's data user applies for the public security bureau's published resident
//           register (graded important: provider step, then the city authority) from its catalog page; the
//           bureau's data steward approves, the city officer approves; both parties sign the agreement with
//           their password (SM2, each their own key) and the grant exists;
//   LIF-3   the data user creates a client credential for the grant (the token shown once) and the test,
//   PRT-8   as the recipient's system, calls GET /api/data-services/:grant/records with only that token from
//           Node: the rows come masked (no real ID number or phone of the demo data) and the answer says
//           watermarked;
//   LIF-10  the steward revokes the grant in the UI with a DG-12 case: the next call is refused 403
//   DG-12   GRANT_REVOKED, and the data user finds the deletion duty, confirms the deletion, and the steward
//           accepts it.
//   LIF-8   a second application declaring joint analysis gets the authority's assessment step: the city
//           officer assesses (measures required with that conclusion) and the chain goes on to the approval.
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoResidents } from '../../src/modules/protection/demo-dataset.ts';
import { apiAs, castOfPeople, DEMO_PASSWORD, expectText, openDrawer, openModal, type Person, pickOption, snap, step, waitForAttr } from './helpers.ts';

/** The demo bureau's published, graded resource with a loaded dataset (catalog-demo.ts). */
const RESOURCE = '常住人口基本信息';

describe('数安 data sharing in the browser: apply, approve, sign, call, revoke, delete', () => {
  const { server, person } = castOfPeople();
  const purposeCode = `student-aid.${randomBytes(3).toString('hex')}`;
  let resourceId = '';
  let requestId = '';
  let grantId = '';
  let token = '';

  const user = () => person('edu.user');
  const steward = () => person('psb.steward');
  const officer = () => person('city.officer', { totp: true });

  /** The gateway as the recipient's system calls it: only the token, no session, no CSRF. */
  async function callRecords(fields: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const url = `${server().url}/api/data-services/${grantId}/records?purpose=${encodeURIComponent(purposeCode)}&fields=${fields}&limit=100`;
    const res = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function openRequest(page: Page) {
    await page.goto(`/sharing/requests/${requestId}`);
    await page.getByTestId('request-detail').waitFor();
  }

  async function approve(p: Person, name: string) {
    await step(name, p.ctx, async () => {
      const page = p.page;
      await openRequest(page);
      await page.getByTestId('request-approve').click();
      await openModal(page);
      await page.getByTestId('decision-reason').fill('履职需要，范围适当');
      await page.getByTestId('decision-ok').click();
      await page.getByTestId('decision-ok').waitFor({ state: 'detached' });
    });
  }

  async function sign(p: Person, name: string) {
    await step(name, p.ctx, async () => {
      const page = p.page;
      await openRequest(page);
      await page.getByTestId('agreement-sign').click();
      await openModal(page);
      await expectText(page.getByTestId('sign-text'), '数据安全保护协议');
      // A wrong password is refused and the modal stays, with the server's message.
      await page.getByTestId('sign-password').fill('not-the-password');
      await page.getByTestId('sign-submit').click();
      await page.getByTestId('sign-error').waitFor();
      await page.getByTestId('sign-password').fill(DEMO_PASSWORD);
      await page.getByTestId('sign-submit').click();
      await page.getByTestId('sign-submit').waitFor({ state: 'detached' });
      await page.getByTestId('agreement-sign').waitFor({ state: 'detached' });
    });
  }

  it('edu.user applies for the psb resource from its catalog page; the provider and the authority approve', async () => {
    const u = await user();
    await step('apply', u.ctx, async () => {
      const page = u.page;
      const found = await apiAs<{ items: { id: string; name: string; institutionName: string }[] }>(
        page,
        'GET',
        `/api/resources?q=${encodeURIComponent(RESOURCE)}`,
      );
      const r = found.body.items.find((x) => x.name === RESOURCE);
      expect(r, 'the demo resource is in the shared catalog').toBeDefined();
      resourceId = r?.id as string;

      await page.goto(`/catalog/${resourceId}`);
      await page.getByTestId('resource-detail').waitFor();
      await page.getByTestId('resource-apply-share').click();
      await openModal(page);
      const fields = page.getByTestId('apply-fields');
      for (const f of ['xm', 'sfzh', 'lxdh']) await fields.locator('label', { hasText: `（${f}）` }).click();
      await page.getByTestId('apply-purpose').fill('学生资助对象身份核验');
      await page.getByTestId('apply-purpose-code').fill(purposeCode);
      await page.getByTestId('apply-legal-basis').fill('《学生资助资金管理办法》');
      await page.getByTestId('apply-scenario').fill('资助申请受理时核验申请人身份与联系方式');
      await page.getByTestId('apply-security').fill('政务外网专线访问，数据加密存储，专人管理，到期删除');
      // Submitting without accepting liability is stopped in the form, and nothing typed is lost.
      await page.getByTestId('apply-submit').click();
      await expectText(page.getByTestId('apply-modal'), '须确认承担数据安全责任');
      expect(await page.getByTestId('apply-purpose-code').inputValue()).toBe(purposeCode);
      await page.getByTestId('apply-liability').click();
      await page.getByTestId('apply-submit').click();

      await page.waitForURL((url) => /^\/sharing\/requests\/[0-9a-f-]{36}$/.test(url.pathname));
      requestId = new URL(page.url()).pathname.split('/').pop() as string;
      await waitForAttr(page.getByTestId('request-status'), 'data-status', 'in_review');
      // Conditional, important data: the provider's step, then the city authority's (LIF-4).
      await waitForAttr(page.getByTestId('step-provider'), 'data-step-status', 'open');
      await waitForAttr(page.getByTestId('step-authority'), 'data-step-status', 'waiting');
      await snap(page, 's1-applied');

      // The request is in "我的申请" with its current step and due date.
      await page.getByTestId('nav-sharing-requests').click();
      await page.waitForURL((url) => url.pathname === '/sharing/requests');
      await expectText(page.getByTestId('requests-table'), RESOURCE);
    });

    const s = await steward();
    await approve(s, 'provider-approves');
    await step('provider-sees-authority-next', s.ctx, async () => {
      await waitForAttr(s.page.getByTestId('step-provider'), 'data-step-status', 'approved');
      await waitForAttr(s.page.getByTestId('step-authority'), 'data-step-status', 'open');
    });
    const o = await officer();
    await approve(o, 'authority-approves');
    await step('approved', o.ctx, async () => {
      await waitForAttr(o.page.getByTestId('request-status'), 'data-status', 'approved');
      await o.page.getByTestId('request-agreement').waitFor();
      await waitForAttr(o.page.getByTestId('agreement-status'), 'data-status', 'awaiting_signatures');
    });
  });

  it('both parties sign with their password; the grant exists and the signatures verify', async () => {
    expect(requestId, 'the first test created the request').not.toBe('');
    const u = await user();
    await sign(u, 'applicant-signs');
    const s = await steward();
    await sign(s, 'provider-signs');
    await step('granted', s.ctx, async () => {
      const page = s.page;
      await openRequest(page);
      await waitForAttr(page.getByTestId('request-status'), 'data-status', 'granted');
      await waitForAttr(page.getByTestId('agreement-status'), 'data-status', 'signed');
      const rows = page.getByTestId('agreement-signatures').locator('tbody tr');
      await expectText(rows.nth(0), '何琳');
      expect(await page.getByTestId('agreement-signatures').innerText()).toContain('郭亮');
      await page.getByTestId('agreement-verify').click();
      await expectText(page.getByTestId('agreement-verify-result'), '全部签名验证通过');
      const href = await page.getByTestId('request-grant-link').getAttribute('href');
      grantId = href?.split('/').pop() ?? '';
      expect(grantId).toMatch(/^[0-9a-f-]{36}$/);
      await snap(page, 's2-signed');
    });
  });

  it('edu.user creates a credential; the gateway answers that token alone with masked, watermarked rows', async () => {
    expect(grantId, 'the grant exists').not.toBe('');
    const u = await user();
    await step('credential', u.ctx, async () => {
      const page = u.page;
      await page.goto('/sharing/grants');
      await page.getByTestId('grants-table').getByTestId('grant-link').first().waitFor();
      await page.goto(`/sharing/grants/${grantId}`);
      await page.getByTestId('grant-detail').waitFor();
      await waitForAttr(page.getByTestId('grant-status'), 'data-status', 'active');
      await expectText(page.getByTestId('grant-curl'), `/api/data-services/${grantId}/records?purpose=${encodeURIComponent(purposeCode)}`);
      await page.getByTestId('cred-create').click();
      await openModal(page);
      await page.getByTestId('cred-name').fill('学生资助系统');
      await page.getByTestId('cred-create-ok').click();
      const secret = page.getByTestId('cred-token');
      await secret.waitFor();
      token = await secret.inputValue();
      expect(token).toMatch(/^sgw_[^.]+\..+$/);
      await page.getByTestId('cred-token-close').click();
      await secret.waitFor({ state: 'detached' });
      await expectText(page.getByTestId('cred-table'), '学生资助系统');
      // The token is not shown again anywhere on the page.
      expect(await page.content()).not.toContain(token.split('.')[1]);
    });

    const res = await callRecords('xm,sfzh,lxdh');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.watermarked).toBe(true);
    const rows = res.body.rows as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    const raw = demoResidents();
    const rawIds = new Set(raw.map((r) => r.sfzh));
    const rawPhones = new Set(raw.map((r) => r.lxdh));
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(expect.arrayContaining(['lxdh', 'sfzh', 'xm']));
      expect(rawIds.has(row.sfzh as string), `ID number ${row.sfzh} left unmasked`).toBe(false);
      expect(rawPhones.has(row.lxdh as string), `phone ${row.lxdh} left unmasked`).toBe(false);
    }

    // The call is in the grant's recent calls, as the recipient sees them.
    await step('calls-listed', u.ctx, async () => {
      await u.page.reload();
      await expectText(u.page.getByTestId('grant-calls'), purposeCode);
    });
  });

  it('psb.steward revokes with a DG-12 case; the next call is refused; edu.user confirms the deletion duty', async () => {
    expect(token, 'a credential exists').not.toBe('');
    const s = await steward();
    await step('revoke', s.ctx, async () => {
      const page = s.page;
      await page.goto(`/sharing/grants/${grantId}`);
      await page.getByTestId('grant-detail').waitFor();
      await page.getByTestId('grant-revoke').click();
      await openModal(page);
      // The DG-12 case: （五） purpose achieved is the default; pick （三） use beyond scope instead.
      await page.getByTestId('grant-revoke-case').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '（三）' }).click();
      await page.getByTestId('grant-revoke-reason').fill('抽查发现超出约定用途使用');
      await page.getByTestId('grant-revoke-ok').click();
      // The revocation opens the deletion duty and shows it.
      await page.waitForURL((url) => /^\/sharing\/duties\/[0-9a-f-]{36}$/.test(url.pathname));
      await openDrawer(page);
      await expectText(page.getByTestId('duty-case'), '超范围使用公共数据');
      await waitForAttr(page.getByTestId('duty-status'), 'data-status', 'open');
      await snap(page, 's4-revoked');
    });

    const refused = await callRecords('xm');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('GRANT_REVOKED');

    const u = await user();
    await step('confirm-duty', u.ctx, async () => {
      const page = u.page;
      await page.getByTestId('nav-sharing-duties').click();
      await page.waitForURL((url) => url.pathname === '/sharing/duties');
      const table = page.getByTestId('duties-table');
      await expectText(table, RESOURCE);
      await table.getByTestId('duty-link').first().click();
      await openDrawer(page);
      await waitForAttr(page.getByTestId('duty-status'), 'data-status', 'open');
      await page.getByTestId('duty-statement').fill('已删除业务库及备份中的全部共享数据');
      await page
        .getByTestId('duty-confirm-form')
        .locator('input[type=file]')
        .setInputFiles({ name: '删除记录.txt', mimeType: 'text/plain', buffer: Buffer.from('2026 删除日志：共 100 条') });
      await page.getByTestId('duty-confirm').click();
      await waitForAttr(page.getByTestId('duty-status'), 'data-status', 'confirmed');
      await expectText(page.getByTestId('duty-outcome-value'), '已删除');
      await expectText(page.getByTestId('duty-drawer'), '删除记录.txt');
      await snap(page, 's5-confirmed');
    });

    await step('accept-duty', s.ctx, async () => {
      const page = s.page;
      await page.reload();
      await openDrawer(page);
      await page.getByTestId('duty-accept').click();
      await waitForAttr(page.getByTestId('duty-status'), 'data-status', 'accepted');
    });

    for (const p of [u, s]) expect(p.ctx.session.pageErrors, `uncaught page errors:\n${p.ctx.session.pageErrors.join('\n')}`).toEqual([]);
  });

  it('edu.user reports an error in the shared data; psb.steward resolves it within the DG-11 deadline', async () => {
    expect(grantId, 'the grant exists').not.toBe('');
    const u = await user();
    const description = `手机号码与本人不符 ${purposeCode}`;
    await step('report-error', u.ctx, async () => {
      const page = u.page;
      await page.goto('/sharing/error-reports');
      await page.getByTestId('report-new').click();
      await openModal(page);
      await pickOption(page, page.getByTestId('report-resource'), RESOURCE);
      await page.getByTestId('report-record-key').fill('350102198001010011');
      await pickOption(page, page.getByTestId('report-field'), 'lxdh');
      await page.getByTestId('report-description').fill(description);
      await page.getByTestId('report-proposed').fill('13800000000');
      await page.getByTestId('report-submit').click();
      await page.getByTestId('report-submit').waitFor({ state: 'detached' });
      await page.getByTestId('reports-tab-reporter').click();
      const row = page.getByTestId('reports-table').locator('tbody tr', { hasText: description });
      await waitForAttr(row.getByTestId('report-row-status'), 'data-status', 'open');
    });

    const s = await steward();
    await step('resolve-error', s.ctx, async () => {
      const page = s.page;
      await page.goto('/sharing/error-reports');
      const row = page.getByTestId('reports-table').locator('tbody tr', { hasText: description });
      await row.getByTestId('report-link').click();
      await openDrawer(page);
      // The provider sees the sealed record key; the reporter's view only says one was given.
      await expectText(page.getByTestId('report-drawer'), '350102198001010011');
      await page.getByTestId('report-resolution-input').fill('已核实并更正联系电话');
      await page.getByTestId('report-resolve').click();
      await waitForAttr(page.getByTestId('report-status'), 'data-status', 'corrected');
      await expectText(page.getByTestId('report-resolution'), '已核实并更正联系电话');
    });

    await step('reporter-sees-outcome', u.ctx, async () => {
      const page = u.page;
      await page.reload();
      await page.getByTestId('reports-tab-reporter').click();
      const row = page.getByTestId('reports-table').locator('tbody tr', { hasText: description });
      await waitForAttr(row.getByTestId('report-row-status'), 'data-status', 'corrected');
    });
  });

  it("LIF-8: an applicant declaring joint analysis gets the authority's assessment step; an assessment with measures moves the chain on", async () => {
    expect(resourceId, 'the first test found the resource').not.toBe('');
    const u = await user();
    let flaggedId = '';
    await step('apply-declaring-association', u.ctx, async () => {
      const page = u.page;
      await page.goto(`/catalog/${resourceId}`);
      await page.getByTestId('resource-apply-share').click();
      await openModal(page);
      await page.getByTestId('apply-fields').locator('label', { hasText: '（xm）' }).click();
      await page.getByTestId('apply-purpose').fill('资助对象与学籍数据比对');
      await page.getByTestId('apply-purpose-code').fill(`${purposeCode}.assoc`);
      await page.getByTestId('apply-legal-basis').fill('《学生资助资金管理办法》');
      await page.getByTestId('apply-scenario').fill('与本单位学籍数据比对，核验资助对象');
      await page.getByTestId('apply-security').fill('政务外网专线访问，数据加密存储，专人管理，到期删除');
      await page.getByTestId('apply-association').click();
      await page.getByTestId('apply-association-description').fill('与学籍库按姓名比对');
      await page.getByTestId('apply-liability').click();
      await page.getByTestId('apply-submit').click();
      await page.waitForURL((url) => /^\/sharing\/requests\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(requestId));
      flaggedId = new URL(page.url()).pathname.split('/').pop() as string;
      // The declaration flags it (HZ-23): the authority's assessment comes between the provider and the approval.
      await waitForAttr(page.getByTestId('request-association'), 'data-flagged', 'true');
      await expectText(page.getByTestId('association-declaration'), '与学籍库按姓名比对');
      await waitForAttr(page.getByTestId('step-provider'), 'data-step-status', 'open');
      await waitForAttr(page.getByTestId('step-association'), 'data-step-status', 'waiting');
      await waitForAttr(page.getByTestId('step-authority'), 'data-step-status', 'waiting');
    });

    const s = await steward();
    await step('provider-approves-flagged', s.ctx, async () => {
      const page = s.page;
      await page.goto(`/sharing/requests/${flaggedId}`);
      await page.getByTestId('request-approve').click();
      await openModal(page);
      await page.getByTestId('decision-reason').fill('同意，关联分析待主管部门评估');
      await page.getByTestId('decision-ok').click();
      await page.getByTestId('decision-ok').waitFor({ state: 'detached' });
      await waitForAttr(page.getByTestId('step-association'), 'data-step-status', 'open');
    });

    const o = await officer();
    await step('authority-assesses', o.ctx, async () => {
      const page = o.page;
      await page.goto(`/sharing/requests/${flaggedId}`);
      await page.getByTestId('request-detail').waitFor();
      // At the association step the assessment form replaces the plain approve button.
      expect(await page.getByTestId('request-approve').count()).toBe(0);
      await page.getByTestId('request-assess').click();
      await openModal(page);
      // With measures as the conclusion, the measures are required before anything is sent.
      await page.getByTestId('assess-risks').fill('按姓名比对可能关联出学生家庭成员信息');
      await page.getByTestId('assess-ok').click();
      await expectText(page.locator('.ant-modal'), '须写明');
      await page.getByTestId('assess-measures').fill('比对在隔离环境进行，结果仅保留是否匹配');
      await page.getByTestId('assess-ok').click();
      await page.getByTestId('assess-ok').waitFor({ state: 'detached' });
      await waitForAttr(page.getByTestId('step-association'), 'data-step-status', 'approved');
      await waitForAttr(page.getByTestId('step-authority'), 'data-step-status', 'open');
      await expectText(page.getByTestId('association-assessment'), '比对在隔离环境进行');
      expect(o.ctx.session.pageErrors).toEqual([]);
    });
  });
});
