// 系统设置 in the browser: the 数据汇聚白名单 card (GET/PUT /api/settings/data-pull-hosts; docs/protection-contract.md).
// The platform administrator (settings.manage) edits the list: an entry the server's parser refuses is named
// inline and cannot be saved; valid entries save and are what the API returns; an empty list is saved and
// warned about (every table pull refused). The city's administrator (settings.read only) sees the list
// without an editor.
import { describe, expect, it } from 'vitest';
import { apiAs, castOfPeople, expectText, snap, step, waitUntil } from './helpers.ts';

describe('数安 settings in the browser: the table-pull allow-list', () => {
  const { person, sessions } = castOfPeople();

  it('edits, refuses a bad entry inline, saves, and shows the list read-only to settings.read', async () => {
    const admin = await person('admin', { totp: true });
    const reader = await person('city.admin', { totp: true });
    const { page } = admin;
    const card = page.getByTestId('data-pull-hosts');
    const input = page.getByTestId('pull-hosts-input');
    const save = page.getByTestId('pull-hosts-save');
    const before = (await apiAs<{ hosts: string[] }>(page, 'GET', '/api/settings/data-pull-hosts')).body.hosts;
    const wanted = [...before, 'db.example.cn:5432', '10.20.0.0/16'];

    await step('1-open', admin.ctx, async () => {
      await page.goto('/settings');
      await card.waitFor();
      await expectText(card, '数据汇聚白名单');
      expect(await input.inputValue()).toBe(before.join('\n'));
    });

    await step('2-bad-entry', admin.ctx, async () => {
      await input.fill([...before, '10.20.0.0/40'].join('\n'));
      await expectText(card, `第 ${before.length + 1} 条“10.20.0.0/40”无效`);
      expect(await save.isDisabled()).toBe(true);
      await save.scrollIntoViewIfNeeded();
      await snap(page, 'settings-1-bad-entry');
    });

    await step('3-save', admin.ctx, async () => {
      await input.fill(wanted.join('\n'));
      await waitUntil('save is enabled', async () => !(await save.isDisabled()));
      await save.click();
      await waitUntil('the list is saved', async () => {
        const now = (await apiAs<{ hosts: string[] }>(page, 'GET', '/api/settings/data-pull-hosts')).body.hosts;
        return JSON.stringify(now) === JSON.stringify(wanted);
      });
    });

    await step('4-read-only', reader.ctx, async () => {
      await reader.page.goto('/settings');
      const list = reader.page.getByTestId('pull-hosts-list');
      await list.waitFor();
      await expectText(reader.page.getByTestId('pull-hosts-readonly'), '没有修改权限');
      for (const h of wanted) await expectText(list, h);
      expect(await reader.page.getByTestId('pull-hosts-input').count()).toBe(0);
      await snap(reader.page, 'settings-2-read-only');
    });

    await step('5-empty', admin.ctx, async () => {
      await input.fill('');
      await save.click();
      await page.getByTestId('pull-hosts-empty').waitFor();
      await expectText(page.getByTestId('pull-hosts-empty'), '所有数据库表汇聚都会被拒绝');
      expect((await apiAs<{ hosts: string[] }>(page, 'GET', '/api/settings/data-pull-hosts')).body.hosts).toEqual([]);
      // Back as the demo city had it.
      await input.fill(before.join('\n'));
      await save.click();
      await waitUntil('the list is restored', async () => {
        const now = (await apiAs<{ hosts: string[] }>(page, 'GET', '/api/settings/data-pull-hosts')).body.hosts;
        return JSON.stringify(now) === JSON.stringify(before);
      });
    });

    for (const s of sessions()) expect(s.pageErrors, `uncaught page errors:\n${s.pageErrors.join('\n')}`).toEqual([]);
  }, 240_000);
});
