// Issue 6 (AUD-2, FZ-17) in the browser, zh-CN UI: the city auditor opens 完整性校验 from the menu and runs the
// verification as a background job (its progress first, then 通过; the job's progress ends at the events
// checked), checks the signing key's fingerprint, downloads an export bundle that verifies offline
// under that fingerprint, and sees the signed checkpoints; a regulator's auditor is told why it has no export
// (the server answers canExport); in the event search the target filter finds the auditor's own login and its
// 存证 drawer says 已验证, with a hash a third party recomputes as SM3(previous hash ‖ canonical encoding);
// then one event is edited directly in the database (triggers off) and the verification says 未通过 at that
// event's chain position, whose proof now says 未通过验证; restored, it passes again.
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runningEmbeddedUrl } from '../../src/db/embedded.ts';
import { verifyBundleLines } from '../../src/engines/audit-chain/index.ts';
import { sm3 } from '../../src/engines/gm/index.ts';
import { apiAs, castOfPeople, expectText, openDrawer, snap, step, tableRows, waitForAttr, waitUntil } from './helpers.ts';

describe('数安 audit chain integrity in the browser: verification, proofs, export, tampering found', () => {
  const { server, person } = castOfPeople();
  let db: pg.Client | undefined;
  /** The event the test edits in the database, and what to put back. */
  let tampered: { id: string; action: string } | null = null;
  let fingerprint = '';
  let loginEvent: { id: string; position: number } | null = null;

  // Runs after castOfPeople's beforeAll (hooks run in order), so the server is up.
  beforeAll(async () => {
    // The test's own handle on the server's (embedded) database, for the tampering step.
    const url = await runningEmbeddedUrl(server().dataDir);
    if (!url) throw new Error('the embedded PostgreSQL of the server is not running');
    db = new pg.Client({ connectionString: url });
    await db.connect();
  });

  afterAll(async () => {
    if (tampered && db) await restore().catch((err) => console.error(`restoring the edited event failed: ${(err as Error).message}`));
    await db?.end().catch(() => {});
  });

  async function restore() {
    if (!tampered || !db) return;
    await db.query('SET session_replication_role = replica');
    try {
      await db.query('UPDATE audit_events SET action = $1 WHERE id = $2', [tampered.action, tampered.id]);
      tampered = null;
    } finally {
      await db.query('SET session_replication_role = origin');
    }
  }

  // Auditors hold a privileged role: every login here is password and TOTP.
  const auditor = () => person('city.auditor', { totp: true });

  /** Starts a verification job from the page: its progress shows first, then the verdict from its result. */
  async function runVerification(page: Page): Promise<void> {
    const result = page.getByTestId('integrity-result');
    const before = (await result.count()) > 0 ? await result.getAttribute('data-verified-at') : null;
    await page.getByTestId('integrity-run').click();
    const progress = page.getByTestId('integrity-job-progress');
    await progress.waitFor();
    // Read at once: the panel shows until the first poll (a second) finds the job ended.
    const shown = await progress.evaluate((el) => ({
      status: el.getAttribute('data-status'),
      text: el.querySelector('[data-testid="integrity-job-text"]')?.textContent ?? '',
    }));
    expect(['queued', 'running']).toContain(shown.status);
    expect(shown.text).toMatch(/^(等待后台任务开始…|已校验 [\d,]+ (\/ [\d,]+ )?个事件)$/);
    await waitUntil('a fresh verification result', async () => {
      if ((await result.count()) === 0) return false;
      return (await result.getAttribute('data-verified-at')) !== before;
    });
    expect(await progress.count()).toBe(0);
    // The job (POST /api/audit/integrity/jobs) holds the report; its progress ended at the events checked.
    const jobId = await page.getByTestId('integrity-job').getAttribute('data-job-id');
    const job = await apiAs<{ kind: string; status: string; progress: { done: number; total: number | null }; result: { ok: boolean; checkedEvents: number } }>(
      page,
      'GET',
      `/api/jobs/${jobId}`,
    );
    expect(job.body).toMatchObject({ kind: 'audit.verify', status: 'succeeded' });
    expect(job.body.progress.done).toBe(job.body.result.checkedEvents);
    if (job.body.result.ok) expect(job.body.progress.done).toBe(job.body.progress.total);
    expect(Number((await page.getByTestId('integrity-checked').innerText()).replace(/,/g, ''))).toBe(job.body.result.checkedEvents);
  }

  it('the city auditor runs the verification from the menu: 通过, with counts, the key fingerprint and the regulator’s command', async () => {
    const s = await auditor();
    const page = s.page;
    await step('v1-open-from-menu', s.ctx, async () => {
      await page.getByTestId('nav-audit-integrity').click();
      await page.getByTestId('integrity-page').waitFor();
      expect(new URL(page.url()).pathname).toBe('/audit/integrity');
    });
    await step('v2-verify', s.ctx, async () => {
      await runVerification(page);
      const result = page.getByTestId('integrity-result');
      expect(await result.getAttribute('data-ok')).toBe('true');
      expect(await page.getByTestId('integrity-verdict').innerText()).toBe('通过');
      const checked = Number((await page.getByTestId('integrity-checked').innerText()).replace(/,/g, ''));
      expect(checked).toBeGreaterThan(0);
      // A full verification also checks the witness outside the database.
      expect(['ok', 'absent']).toContain(await page.getByTestId('integrity-witness').getAttribute('data-status'));
      await snap(page, 'integrity-pass');
    });
    await step('v3-fingerprint', s.ctx, async () => {
      const keys = await apiAs<{ active: number; keys: { version: number; fingerprint: string }[] }>(page, 'GET', '/api/audit/integrity/public-key');
      fingerprint = keys.body.keys.find((k) => k.version === keys.body.active)?.fingerprint ?? '';
      expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(await page.getByTestId('integrity-fingerprint').innerText()).toContain(fingerprint);
      await expectText(page.getByTestId('integrity-regulator-command'), `shuan audit verify-bundle <日志包文件> --fingerprint ${fingerprint}`);
    });
  });

  it('the city auditor downloads an export that verifies offline under the fingerprint shown; the signed checkpoints are listed', async () => {
    const s = await auditor();
    const page = s.page;
    await step('e1-download', s.ctx, async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('integrity-export-run').click()]);
      expect(download.suggestedFilename()).toMatch(/^shuan-audit-1-\d+\.jsonl$/);
      const file = await download.path();
      const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
      const out = await verifyBundleLines(lines, { expectFingerprint: fingerprint });
      expect(out.problem).toBeNull();
      expect(out.ok).toBe(true);
      expect(out.checkedEvents).toBeGreaterThan(0);
    });
    await step('e2-checkpoints', s.ctx, async () => {
      // The export signed a checkpoint at its last position; the list is refreshed after the download.
      const table = page.getByTestId('integrity-checkpoints');
      await waitUntil('a signed checkpoint in the list', async () => (await tableRows(table)).length > 0);
      const rows = await tableRows(table);
      expect(rows[0]).toMatch(/v1/);
    });
  });

  it('a regulator’s auditor is told why there is no export (the server says who may export)', async () => {
    const s = await person('cac.auditor', { totp: true });
    const page = s.page;
    await step('r1-export-not-allowed', s.ctx, async () => {
      await page.goto('/audit/integrity');
      await page.getByTestId('integrity-page').waitFor();
      await expectText(page.getByTestId('integrity-export-not-allowed'), '不能导出日志包');
      expect(await page.getByTestId('integrity-export-run').count()).toBe(0);
      // The verification itself is open to every auditor.
      await runVerification(page);
      expect(await page.getByTestId('integrity-result').getAttribute('data-ok')).toBe('true');
    });
  });

  it('the event search finds the auditor’s login by its target, and its proof says 已验证 with a hash that recomputes', async () => {
    const s = await auditor();
    const page = s.page;
    const me = (await apiAs<{ user: { id: string } }>(page, 'GET', '/api/me')).body.user;
    await step('p1-filter-by-target', s.ctx, async () => {
      await page.getByTestId('nav-audit').click();
      await page.getByTestId('audit-table').waitFor();
      await page.getByTestId('audit-filter-action').fill('auth.login');
      await page.getByTestId('audit-filter-target-type').fill('user');
      await page.getByTestId('audit-filter-target-id').fill(me.id);
      await page.getByTestId('audit-search').click();
      const table = page.getByTestId('audit-table');
      await waitUntil('only the auditor’s logins listed', async () => {
        const rows = await tableRows(table);
        return rows.length > 0 && rows.every((r) => r.includes(`user · ${me.id}`) && r.includes('auth.login'));
      });
    });
    await step('p2-open-proof', s.ctx, async () => {
      const list = await apiAs<{ items: { id: string }[] }>(page, 'GET', `/api/audit-events?action=auth.login&targetType=user&targetId=${me.id}`);
      const first = list.body.items[0];
      expect(first).toBeDefined();
      await page.getByTestId('audit-table').locator('tbody tr.ant-table-row').first().getByTestId('audit-proof').click();
      await openDrawer(page);
      const drawer = page.getByTestId('proof-drawer');
      await waitForAttr(drawer.getByTestId('proof-status'), 'data-status', 'verified');
      expect(await drawer.getByTestId('proof-status').innerText()).toContain('已验证');
      expect(new URL(page.url()).searchParams.get('proof')).toBe(first?.id);
      await expectText(drawer.getByTestId('proof-recompute'), 'SM3(前一哈希 ‖ 规范编码) = 本哈希');
      // The proof, recomputed here as a third party would.
      const position = Number(await drawer.getByTestId('proof-position').innerText());
      const hash = (await drawer.getByTestId('proof-hash').innerText()).trim();
      const previous = (await drawer.getByTestId('proof-previous-hash').innerText()).trim();
      const canonical = await drawer.getByTestId('proof-canonical').innerText();
      expect(canonical.startsWith('SHUAN-AUDIT-EVENT-v1\n')).toBe(true);
      expect(sm3(Buffer.concat([Buffer.from(previous, 'hex'), Buffer.from(canonical, 'utf8')])).toString('hex')).toBe(hash);
      // The export signed a checkpoint after this login: it covers the event.
      expect(Number(await drawer.getByTestId('proof-checkpoint-position').innerText())).toBeGreaterThanOrEqual(position);
      expect(await drawer.getByTestId('proof-fingerprint').innerText()).toContain(fingerprint);
      loginEvent = { id: first?.id as string, position };
      await snap(page, 'integrity-proof');
      await drawer.locator('.ant-drawer-close').click();
      await drawer.waitFor({ state: 'hidden' });
    });
  });

  it('an event edited in the database is found: 未通过 at its chain position, its proof 未通过验证; restored, 通过 again', async () => {
    const s = await auditor();
    const page = s.page;
    if (!loginEvent || !db) throw new Error('the proof step did not complete');
    const target = loginEvent;
    await step('t1-tamper', s.ctx, async () => {
      const row = await (db as pg.Client).query<{ action: string }>('SELECT action FROM audit_events WHERE id = $1', [target.id]);
      expect(row.rows[0]).toBeDefined();
      tampered = { id: target.id, action: row.rows[0]?.action as string };
      await (db as pg.Client).query('SET session_replication_role = replica');
      try {
        await (db as pg.Client).query(`UPDATE audit_events SET action = 'auth.logout' WHERE id = $1`, [target.id]);
      } finally {
        await (db as pg.Client).query('SET session_replication_role = origin');
      }
    });
    await step('t2-verify-fails', s.ctx, async () => {
      await page.getByTestId('nav-audit-integrity').click();
      await page.getByTestId('integrity-page').waitFor();
      await runVerification(page);
      const result = page.getByTestId('integrity-result');
      expect(await result.getAttribute('data-ok')).toBe('false');
      expect(await page.getByTestId('integrity-verdict').innerText()).toBe('未通过');
      expect(await result.getAttribute('data-position')).toBe(String(target.position));
      expect(await page.getByTestId('integrity-problem').getAttribute('data-kind')).toBe('hash_mismatch');
      await expectText(page.getByTestId('integrity-problem'), `链位置 ${target.position}`);
      await expectText(page.getByTestId('integrity-problem-position'), `链位置 ${target.position}`);
      await snap(page, 'integrity-fail');
    });
    await step('t3-proof-of-broken-event', s.ctx, async () => {
      await page.getByTestId('integrity-problem-proof').click();
      await openDrawer(page);
      const drawer = page.getByTestId('proof-drawer');
      await waitForAttr(drawer.getByTestId('proof-status'), 'data-status', 'unverified');
      expect(await drawer.getByTestId('proof-status').innerText()).toContain('未通过验证');
      expect(await drawer.getByTestId('proof-position').innerText()).toBe(String(target.position));
      await drawer.locator('.ant-drawer-close').click();
      await drawer.waitFor({ state: 'hidden' });
    });
    await step('t4-restored-passes', s.ctx, async () => {
      await restore();
      await runVerification(page);
      expect(await page.getByTestId('integrity-result').getAttribute('data-ok')).toBe('true');
      expect(await page.getByTestId('integrity-verdict').innerText()).toBe('通过');
    });
  });
});
