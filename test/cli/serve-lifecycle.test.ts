// `shuan serve` with the embedded PostgreSQL as a real process: first start loads the demo city,
// SIGTERM stops the database with the app, and after a kill -9 the next start recovers with the data.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_TOTP_SECRET, DEMO_USERS } from '../../src/modules/org/demo-city.ts';
import { exited, login, serveHarness } from '../helpers/serve.ts';

const harness = serveHarness();
const { dataDir, postgresPids } = harness;
const startServe = () => harness.start();

afterAll(() => harness.cleanup());

describe('shuan serve (embedded PostgreSQL)', () => {
  it('first start loads the demo city and prints its credentials; SIGTERM stops PostgreSQL with the app', async () => {
    const s = await startServe();
    expect(s.output()).toContain('city.admin');
    expect(s.output()).toContain(DEMO_TOTP_SECRET);
    // Demo mode creates its own key-encryption key, readable by the owner only (PRT-5).
    expect(statSync(join(dataDir, 'kek.key')).mode & 0o777).toBe(0o600);
    const health = await fetch(`${s.base}/api/health`);
    expect(health.status).toBe(200);
    expect((await login(s.base, 'psb.steward')).status).toBe(200);
    s.child.kill('SIGTERM');
    expect(await exited(s.child)).toBe(0);
    expect(postgresPids()).toEqual([]);
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  });

  it('second start reuses the data and prints no credentials; kill -9 then restart recovers', async () => {
    const s = await startServe();
    expect(s.output()).not.toContain(DEMO_TOTP_SECRET);
    // Commit something through the API: a new institution under the district.
    const admin = await login(s.base, 'city.admin', true);
    expect(admin.status).toBe(200);
    const tree = (await (await fetch(`${s.base}/api/institutions/tree`, { headers: { cookie: admin.cookie } })).json()) as { id: string; name: string }[];
    const district = tree.find((n) => n.name === '示范市南湖区数据管理局');
    const created = await fetch(`${s.base}/api/institutions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      body: JSON.stringify({ parentId: district?.id, kind: 'institution', name: '南湖区新建测试单位', sector: 'other' }),
    });
    expect(created.status).toBe(201);

    // A CLI command beside the running app uses its database and leaves it running.
    const env: NodeJS.ProcessEnv = { ...process.env, SHUAN_DATA_DIR: dataDir };
    delete env.DATABASE_URL;
    const list = spawnSync(process.execPath, ['bin/shuan.mjs', 'user', 'list', '--format', 'json'], { env, encoding: 'utf8' });
    expect(list.status, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).total).toBe(DEMO_USERS.length);
    expect((await fetch(`${s.base}/api/health`)).status).toBe(200);

    const orphanBefore = postgresPids();
    expect(orphanBefore.length).toBeGreaterThan(0);
    s.child.kill('SIGKILL');
    await exited(s.child);
    // The app is gone; its PostgreSQL child is orphaned but still running.
    expect(postgresPids().length).toBeGreaterThan(0);

    const again = await startServe();
    const steward = await login(again.base, 'psb.steward');
    expect(steward.status).toBe(200);
    const auditor = await login(again.base, 'city.auditor', true);
    const events = (await (await fetch(`${again.base}/api/audit-events?action=org.institution.create`, { headers: { cookie: auditor.cookie } })).json()) as {
      items: { details: { name: string } }[];
    };
    expect(events.items.map((e) => e.details.name)).toContain('南湖区新建测试单位');
    for (const pid of orphanBefore) expect(postgresPids()).not.toContain(pid);
    again.child.kill('SIGINT');
    expect(await exited(again.child)).toBe(0);
    expect(postgresPids()).toEqual([]);
  });
});
