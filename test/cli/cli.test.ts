// The `shuan` command against a test database (DATABASE_URL), as an operator would run it.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

function shuan(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/shuan.mjs', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: t.url, SHUAN_KEK: 'a'.repeat(64), NO_COLOR: '1' },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('shuan CLI', () => {
  it('lists its commands', () => {
    const r = shuan('--help');
    expect(r.code).toBe(0);
    for (const cmd of ['serve', 'migrate', 'seed-demo', 'setup', 'user', 'workdays']) expect(r.out).toContain(cmd);
    const u = shuan('user', '--help');
    for (const cmd of ['create', 'reset-password', 'list']) expect(u.out).toContain(cmd);
  });

  it('migrates and reports as JSON', () => {
    const r = shuan('migrate', '--format', 'json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.current).toContain('0001_foundation');
    expect(json.applied).toEqual([]); // the template was already migrated
  });

  it('refuses an unknown format with exit 2 and one line', () => {
    const r = shuan('migrate', '--format', 'xml');
    expect(r.code).toBe(2);
  });

  it('seeds the demo city once, then refuses', async () => {
    const r = shuan('seed-demo', '--format', 'json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.accounts.map((a: { username: string }) => a.username)).toContain('city.admin');
    const again = shuan('seed-demo');
    expect(again.code).toBe(1);
    expect(again.err.trim().split('\n')).toHaveLength(1);
    expect(again.err).toContain('shuan:');
    const count = await t.db
      .selectFrom('institutions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(11);
    // The demo catalog: an accepted system with a graded, approved resource, an ungraded one, a draft system.
    const systems = await t.db.selectFrom('systems').select(['name', 'status']).orderBy('name').execute();
    expect(systems).toEqual([
      { name: '人口信息管理系统', status: 'accepted' },
      { name: '视频监控联网平台', status: 'draft' },
    ]);
    const resources = await t.db.selectFrom('data_resources').select(['name', 'level', 'grading_status']).orderBy('name').execute();
    expect(resources).toEqual([
      { name: '居住证办理记录', level: null, grading_status: 'ungraded' },
      { name: '常住人口基本信息', level: 'important', grading_status: 'approved' },
    ]);
  });

  it('creates a user with a role, audited as the operator', async () => {
    const r = shuan('user', 'create', '--username', 'ops.zhang', '--name', '张三', '--institution', '示范市教育局', '--role', 'data_user', '--format', 'json');
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.user.roles.map((x: { role: string }) => x.role)).toEqual(['data_user']);
    expect(json.initialPassword.length).toBeGreaterThanOrEqual(10);
    const row = await t.db.selectFrom('users').select(['must_change_password']).where('username', '=', 'ops.zhang').executeTakeFirstOrThrow();
    expect(row.must_change_password).toBe(true);
    const ev = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'org.role.assign').where('actor_username', 'like', 'cli:%').execute();
    expect(ev).toHaveLength(1);
  });

  it('refuses a vendor privileged role from the CLI too (PRT-3)', async () => {
    const r = shuan(
      'user',
      'create',
      '--username',
      'vendor.x',
      '--name',
      '外包甲',
      '--institution',
      '示范数智科技有限公司',
      '--role',
      'security_officer',
      '--role-institution',
      '示范市公安局',
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('VENDOR');
  });

  it('gives bad input one readable line and exit 2', () => {
    const role = shuan('user', 'create', '--username', 'x.y', '--name', 'X', '--institution', '示范市教育局', '--role', 'king');
    expect(role.code).toBe(2);
    expect(role.err.trim().split('\n')).toHaveLength(1);
    const inst = shuan('user', 'create', '--username', 'x.y', '--name', 'X', '--institution', '不存在的机构');
    expect(inst.code).toBe(2);
    expect(inst.err).toContain('不存在的机构');
    const missing = shuan('user', 'create', '--username', 'x.y');
    expect(missing.code).toBe(2);
  });

  it('resets a password and unlocks', async () => {
    await t.db
      .updateTable('users')
      .set({ locked_until: new Date(Date.now() + 3600_000) })
      .where('username', '=', 'edu.user')
      .execute();
    const r = shuan('user', 'reset-password', 'edu.user', '--format', 'json');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).temporaryPassword).toMatch(/.{16}/);
    const row = await t.db.selectFrom('users').select(['locked_until', 'must_change_password']).where('username', '=', 'edu.user').executeTakeFirstOrThrow();
    expect(row.locked_until).toBeNull();
    expect(row.must_change_password).toBe(true);
    expect(shuan('user', 'reset-password', 'nobody').code).toBe(2);
  });

  it('lists users as JSON', () => {
    const r = shuan('user', 'list', '--institution', '示范市公安局', '--format', 'json');
    expect(r.code).toBe(0);
    const names = JSON.parse(r.out).items.map((u: { username: string }) => u.username);
    expect(names).toEqual(expect.arrayContaining(['psb.admin', 'psb.security', 'psb.steward', 'vendor.ops1']));
    expect(names).not.toContain('edu.user');
  });

  it('counts working days and refuses a year without a schedule', () => {
    const r = shuan('workdays', 'add', '2025-09-25', '15', '--format', 'json');
    expect(JSON.parse(r.out).result).toBe('2025-10-22');
    const r2 = shuan('workdays', 'add', '2027-03-01', '5');
    expect(r2.code).toBe(2);
    expect(r2.err).toContain('2027');
  });
});
