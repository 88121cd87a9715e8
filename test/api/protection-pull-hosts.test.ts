// 数据汇聚白名单 (the table-pull allow-list): the platform's server connects only to database servers the
// platform administrator approved (setting data_pull_hosts), to the address that was checked, and a refusal is
// audited with no connection attempted. Also the setting's routes: validation, permissions, audit (AUD-1).
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/db/ids.ts';
import { loadActor } from '../../src/modules/org/actor.repo.ts';
import type { Actor } from '../../src/modules/org/actor.ts';
import { DEMO_DATA_PULL_HOSTS } from '../../src/modules/org/demo-city.ts';
import { openLoadSource, openPinnedLoadSource } from '../../src/modules/protection/dataset-sources.ts';
import type { DatasetInfo } from '../../src/modules/protection/datasets.schemas.ts';
import { PullGuard } from '../../src/modules/protection/pull-guard.ts';
import { DATA_PULL_HOSTS_KEY } from '../../src/modules/settings/data-pull-hosts.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';
import { eventsOf, expectEvents } from '../helpers/auth.ts';

let h: TestApp;
let admin: Client;
let steward: Client;
let resourceId: string;
/** The test database's port (the pulls read a table in it). */
let dbPort: number;
const MYSQL = 'mysql://root@127.0.0.1:3306/test';
const myTable = `shuan_pin_${randomBytes(4).toString('hex')}`;

/** The test database's URL with another host (and port). */
function dbUrl(host: string, port: number = dbPort): string {
  const u = new URL(h.t.url);
  u.hostname = host.includes(':') ? `[${host}]` : host;
  u.port = String(port);
  return u.href;
}

const pull = (url: string, dryRun = false) =>
  steward.request('POST', `/api/resources/${resourceId}/dataset/pull`, { url, table: 'public.pull_people', mode: 'append', dryRun });

async function allow(hosts: string[]) {
  const res = await admin.request('PUT', '/api/settings/data-pull-hosts', { hosts });
  expect(res.statusCode, res.body).toBe(200);
  return res;
}

async function datasetVersion(): Promise<number> {
  const res = await steward.request('GET', `/api/resources/${resourceId}/dataset`);
  return (res.json() as DatasetInfo).version;
}

beforeAll(async () => {
  h = await createTestApp();
  dbPort = Number(new URL(h.t.url).port || 5432);
  admin = await h.login('admin');
  steward = await h.login('psb.steward');
  const psb = await h.inst('示范市公安局');
  const systemId = uuidv7();
  await h.t.db
    .insertInto('systems')
    .values({ id: systemId, institution_id: psb, name: '人口系统', status: 'accepted', trusted_terminals: '[]', storage_carriers: '[]' })
    .execute();
  const res = await steward.request('POST', '/api/resources', {
    systemId,
    name: '人口信息',
    shareAttribute: 'unconditional',
    openAttribute: 'not_open',
    fields: [
      { name: 'sfzh', dataType: 'string' },
      { name: 'xm', dataType: 'string' },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  resourceId = res.json().id;
  await h.t.db.schema.createTable('pull_people').addColumn('sfzh', 'text').addColumn('xm', 'text').execute();
  await h.t.db
    .insertInto('pull_people' as never)
    .values([{ sfzh: '120101198001011236', xm: '赵六' }] as never)
    .execute();
});
afterAll(() => h.close());

describe('the data_pull_hosts setting', () => {
  it('the demo city allows this machine only; never saved, the list is empty', async () => {
    const demo = await admin.request('GET', '/api/settings/data-pull-hosts');
    expect(demo.statusCode).toBe(200);
    expect(demo.json()).toEqual({ hosts: DEMO_DATA_PULL_HOSTS });
    await h.t.db.deleteFrom('settings').where('key', '=', DATA_PULL_HOSTS_KEY).execute();
    const empty = await admin.request('GET', '/api/settings/data-pull-hosts');
    expect(empty.json()).toEqual({ hosts: [] });
  });

  it('AUD-1: a change is normalized, stored and audited with before and after', async () => {
    await h.t.db.deleteFrom('settings').where('key', '=', DATA_PULL_HOSTS_KEY).execute();
    const first = await allow([' DB.Example.CN ', '10.20.7.9/16', '[FD00::1]:5432', 'db.example.cn']);
    expect(first.json()).toEqual({ hosts: ['db.example.cn', '10.20.0.0/16', '[fd00::1]:5432'] });
    const [e1] = await expectEvents(h, first, ['settings.data_pull_hosts.update']);
    expect(e1?.outcome).toBe('success');
    expect(e1?.target_type).toBe('settings');
    expect(e1?.details).toEqual({
      before: [],
      after: ['db.example.cn', '10.20.0.0/16', '[fd00::1]:5432'],
      added: ['db.example.cn', '10.20.0.0/16', '[fd00::1]:5432'],
      removed: [],
    });
    const second = await allow(['10.20.0.0/16', 'fd00::/8']);
    const [e2] = await expectEvents(h, second, ['settings.data_pull_hosts.update']);
    expect(e2?.details).toEqual({
      before: ['db.example.cn', '10.20.0.0/16', '[fd00::1]:5432'],
      after: ['10.20.0.0/16', 'fd00::/8'],
      added: ['fd00::/8'],
      removed: ['db.example.cn', '[fd00::1]:5432'],
    });
    expect((await admin.request('GET', '/api/settings/data-pull-hosts')).json()).toEqual({ hosts: ['10.20.0.0/16', 'fd00::/8'] });
  });

  it('refuses bad entries with the field and the entry, and more than 200 entries; nothing changes', async () => {
    await allow(['127.0.0.1']);
    for (const bad of ['10.0.0.0/33', 'db.example.cn:70000', 'postgres://db', '', '[db.example.cn]:5432', '10.0.0.256']) {
      const res = await admin.request('PUT', '/api/settings/data-pull-hosts', { hosts: ['localhost', bad] });
      expect(res.statusCode, bad).toBe(400);
      const body = res.json();
      expect(body.code).toBe('VALIDATION_FAILED');
      expect(body.details).toMatchObject({ field: 'hosts', index: 1, entry: bad });
      expect((await eventsOf(h, res)).map((e) => e.action)).toEqual([]);
    }
    const en = await admin.request('PUT', '/api/settings/data-pull-hosts', { hosts: ['10.0.0.0/33'] }, { 'accept-language': 'en' });
    expect(en.json().message).toContain('10.0.0.0/33');
    const tooMany = await admin.request('PUT', '/api/settings/data-pull-hosts', { hosts: Array.from({ length: 201 }, (_, i) => `db${i}.example.cn`) });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().details.field).toBe('hosts');
    const exactly200 = await admin.request('PUT', '/api/settings/data-pull-hosts', { hosts: Array.from({ length: 200 }, (_, i) => `db${i}.example.cn`) });
    expect(exactly200.statusCode).toBe(200);
    await allow(['127.0.0.1']);
    expect((await admin.request('GET', '/api/settings/data-pull-hosts')).json()).toEqual({ hosts: ['127.0.0.1'] });
  });

  it('read with settings.read, changed with settings.manage only', async () => {
    const cityAdmin = await h.login('city.admin');
    expect((await cityAdmin.request('GET', '/api/settings/data-pull-hosts')).statusCode).toBe(200);
    expect((await cityAdmin.request('PUT', '/api/settings/data-pull-hosts', { hosts: ['0.0.0.0/0'] })).statusCode).toBe(403);
    expect((await steward.request('GET', '/api/settings/data-pull-hosts')).statusCode).toBe(403);
    expect((await steward.request('PUT', '/api/settings/data-pull-hosts', { hosts: ['0.0.0.0/0'] })).statusCode).toBe(403);
  });
});

describe('pulls against the allow-list', () => {
  it('secure by default: never saved, every pull is refused at once, audited, nothing loaded, no connection', async () => {
    await h.t.db.deleteFrom('settings').where('key', '=', DATA_PULL_HOSTS_KEY).execute();
    const before = await datasetVersion();
    // 10.255.255.1 does not answer: a connection attempt would hang until the 10 s timeout.
    const started = Date.now();
    const res = await pull('postgres://reader:secret-pw@10.255.255.1:5432/people');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('PULL_HOST_NOT_ALLOWED');
    expect(res.json().message).toContain('数据汇聚白名单');
    expect(res.json().details).toEqual({ host: '10.255.255.1', port: 5432 });
    const [event] = await expectEvents(h, res, ['protection.dataset.pull_denied']);
    expect(event?.outcome).toBe('denied');
    expect([event?.target_type, event?.target_id]).toEqual(['data_resource', resourceId]);
    expect(event?.details).toMatchObject({
      code: 'PULL_HOST_NOT_ALLOWED',
      host: '10.255.255.1',
      port: 5432,
      url: 'postgres://reader@10.255.255.1:5432/people',
    });
    expect(JSON.stringify(event?.details)).not.toContain('secret-pw');
    // The test database itself is refused too (it is this machine, and nothing is on the list).
    const local = await pull(h.t.url);
    expect(local.statusCode).toBe(422);
    expect(local.json().code).toBe('PULL_HOST_NOT_ALLOWED');
    expect(await datasetVersion()).toBe(before);
    const en = await steward.request(
      'POST',
      `/api/resources/${resourceId}/dataset/pull`,
      { url: 'mysql://root@10.255.255.1/test', table: 't', mode: 'append' },
      { 'accept-language': 'en' },
    );
    expect(en.json().message).toMatch(/not on the table-pull allow-list.*System settings/);
    expect(en.json().details).toEqual({ host: '10.255.255.1', port: 3306 });
  });

  it('allowed by exact host name (case-insensitive)', async () => {
    await allow(['LOCALHOST']);
    expect((await pull(dbUrl('localhost'), true)).statusCode).toBe(200);
    // The name does not allow the address it resolves to, written as an address.
    expect((await pull(dbUrl('127.0.0.1'), true)).json().code).toBe('PULL_HOST_NOT_ALLOWED');
  });

  it('allowed by IP address and by CIDR range; outside the range refused', async () => {
    await allow(['127.0.0.1']);
    const before = await datasetVersion();
    const res = await pull(dbUrl('127.0.0.1'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rowsAdded).toBe(1);
    expect(await datasetVersion()).toBe(before + 1);
    await allow(['127.0.0.0/8']);
    expect((await pull(dbUrl('127.0.0.1'), true)).statusCode).toBe(200);
    expect((await pull(dbUrl('localhost'), true)).statusCode).toBe(200); // resolves into the range
    await allow(['127.0.0.2/32', '10.0.0.0/8']);
    expect((await pull(dbUrl('127.0.0.1'), true)).json().code).toBe('PULL_HOST_NOT_ALLOWED');
  });

  it('allowed by host:port; the wrong port is refused without a connection', async () => {
    await allow([`127.0.0.1:${dbPort}`]);
    expect((await pull(dbUrl('127.0.0.1'), true)).statusCode).toBe(200);
    const wrong = dbPort === 1 ? 2 : 1;
    await allow([`127.0.0.1:${wrong}`, `localhost:${wrong}`]);
    const res = await pull(dbUrl('127.0.0.1'), true);
    expect(res.json().code).toBe('PULL_HOST_NOT_ALLOWED');
    expect((await pull(dbUrl('localhost'), true)).json().code).toBe('PULL_HOST_NOT_ALLOWED');
    // The URL's default port counts: postgres 5432, mysql 3306.
    await allow(['10.255.255.1:3306']);
    const pg = await pull('postgres://u@10.255.255.1/db');
    expect(pg.json()).toMatchObject({ code: 'PULL_HOST_NOT_ALLOWED', details: { port: 5432 } });
  });

  it('a host name resolving outside the list is refused (localhost → 127.0.0.1, only 10.0.0.0/8 allowed)', async () => {
    await allow(['10.0.0.0/8']);
    const res = await pull(dbUrl('localhost'), true);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('PULL_HOST_NOT_ALLOWED');
    const [event] = await expectEvents(h, res, ['protection.dataset.pull_denied']);
    expect(event?.details).toMatchObject({ host: 'localhost', outside: ['127.0.0.1'] });
    // A name that does not resolve at all is refused too.
    const nowhere = await pull(dbUrl('db.shuan.invalid'), true);
    expect(nowhere.json().code).toBe('PULL_HOST_NOT_ALLOWED');
  });

  it('the query string may not point the connection elsewhere (pg reads ?host= and ?port= over the address) nor name server files', async () => {
    await allow(['127.0.0.1']);
    const queries = [
      'host=10.255.255.1',
      'hostaddr=10.255.255.1',
      'port=22',
      'HOST=10.255.255.1',
      'sslkey=/etc/shadow',
      'sslrootcert=/etc/passwd',
      'options=-c%20search_path%3Dx',
    ];
    for (const query of queries) {
      const started = Date.now();
      const res = await pull(`${dbUrl('127.0.0.1')}?${query}`);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().details.field).toBe('url');
    }
  });

  it('who may not load the dataset makes no connection either (the permission is checked first)', async () => {
    await h.t.db.deleteFrom('settings').where('key', '=', DATA_PULL_HOSTS_KEY).execute();
    const officer = await h.login('psb.security');
    const res = await officer.request('POST', `/api/resources/${resourceId}/dataset/pull`, { url: 'postgres://u@10.255.255.1/db', table: 't', mode: 'append' });
    expect(res.statusCode).toBe(403);
    expect((await eventsOf(h, res)).map((e) => e.action)).not.toContain('protection.dataset.pull_denied');
  });

  it('the connection goes to the address that was checked, not to a fresh DNS answer', async () => {
    await allow(['db.shuan.invalid']);
    // The resolver the check used said 127.0.0.1; the system resolver knows nothing of this name (.invalid).
    const guard = new PullGuard(h.t.db, h.services.resources, h.services.settings, async () => ['127.0.0.1']);
    const url = new URL(dbUrl('db.shuan.invalid'));
    url.searchParams.set('table', 'public.pull_people');
    const stewardActor = (await loadActor(h.t.db, steward.userId, { ip: null, requestId: null, lang: 'zh' }, { tokenScopes: null, sessionId: null })) as Actor;
    const { addresses } = await guard.check(stewardActor, resourceId, url);
    expect(addresses).toEqual(['127.0.0.1']);
    const source = await openPinnedLoadSource(url, 'pull_people', addresses);
    expect(source.columns).toEqual(['sfzh', 'xm']);
    await source.close();
    // Unpinned, the same URL resolves the name again and fails.
    await expect(openLoadSource(url, 'pull_people')).rejects.toMatchObject({ code: 'SOURCE_CONNECTION' });
    // MySQL/MariaDB likewise (the machine's server on 127.0.0.1:3306).
    const conn = await mysql.createConnection(MYSQL);
    try {
      await conn.query(`CREATE TABLE ${myTable} (sfzh VARCHAR(18), xm VARCHAR(20)) DEFAULT CHARSET=utf8mb4`);
      const my = new URL(`mysql://root@db.shuan.invalid:3306/test?table=${myTable}`);
      const checked = await guard.check(stewardActor, resourceId, my);
      const mySource = await openPinnedLoadSource(my, myTable, checked.addresses);
      expect(mySource.columns).toEqual(['sfzh', 'xm']);
      await mySource.close();
      await expect(openLoadSource(my, myTable)).rejects.toMatchObject({ code: 'SOURCE_CONNECTION' });
    } finally {
      await conn.query(`DROP TABLE IF EXISTS ${myTable}`);
      await conn.end();
    }
  });
});
