// Data keys per resource (PRT-5, FZ-12, LIF-11): created on first use, rotated without losing what older
// versions sealed, destroyed for good (crypto-shredding), never readable in the database without the KEK,
// and a start with another KEK refused. Who may call the routes at all is authz-matrix.test.ts.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/db/ids.ts';
import { openEnvelope, sealEnvelope } from '../../src/engines/gm/index.ts';
import { Kek, KekError } from '../../src/modules/protection/kek.ts';
import { KeysService } from '../../src/modules/protection/keys.service.ts';
import type { ResourceKeys } from '../../src/modules/protection/protection.schemas.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';

let h: TestApp;
const c = {} as Record<'psbSecurity' | 'psbSteward' | 'eduSecurity' | 'cityAdmin' | 'vendor', Client>;
let psb: string;
let resourceId: string;
let resourceName: string;

async function makeResource(steward: Client, institutionId: string, name: string): Promise<string> {
  const systemId = uuidv7();
  await h.t.db
    .insertInto('systems')
    .values({ id: systemId, institution_id: institutionId, name: `系统${name}`, status: 'accepted', trusted_terminals: '[]', storage_carriers: '[]' })
    .execute();
  const res = await steward.request('POST', '/api/resources', {
    systemId,
    name,
    shareAttribute: 'unconditional',
    openAttribute: 'not_open',
    fields: [{ name: 'sfzh', dataType: 'string' }],
  });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
}

beforeAll(async () => {
  h = await createTestApp();
  psb = await h.inst('示范市公安局');
  [c.psbSecurity, c.psbSteward, c.cityAdmin, c.vendor] = await Promise.all([
    h.login('psb.security'),
    h.login('psb.steward'),
    h.login('city.admin'),
    h.login('vendor.ops1'),
  ]);
  resourceName = `人口基础信息${randomBytes(2).toString('hex')}`;
  resourceId = await makeResource(c.psbSteward, psb, resourceName);
});
afterAll(() => h.close());

const keysOf = async (client: Client, id = resourceId) => {
  const res = await client.request('GET', `/api/resources/${id}/keys`);
  expect(res.statusCode).toBe(200);
  return res.json() as ResourceKeys;
};

describe('data keys', () => {
  it('a resource has no key until its first sealed write; the first write creates version 1', async () => {
    expect((await keysOf(c.psbSecurity)).state).toBe('none');
    const key = await h.services.keys.activeKey(h.t.db, resourceId, psb);
    const again = await h.services.keys.activeKey(h.t.db, resourceId, psb);
    expect(again.id).toBe(key.id);
    expect(again.secret.equals(key.secret)).toBe(true);
    const listed = await keysOf(c.psbSecurity);
    expect(listed.state).toBe('active');
    expect(listed.keys.map((k) => [k.version, k.status])).toEqual([[1, 'active']]);
    expect(listed.keys[0]?.algorithm).toBe('SM4-CTR+HMAC-SM3');
  });

  it('the database holds only wrapped material: neither the data key nor anything that opens without the KEK', async () => {
    const key = await h.services.keys.activeKey(h.t.db, resourceId, psb);
    const row = await h.t.db.selectFrom('data_keys').select(['wrapped', 'kek_id']).where('id', '=', key.id).executeTakeFirstOrThrow();
    expect(row.wrapped?.includes(key.secret)).toBe(false);
    expect(row.kek_id).toMatch(/^kek-[0-9a-f]{16}$/);
    // The same database under another KEK cannot open it.
    const other = new KeysService(h.t.db, h.services.resources, () => Kek.generate());
    await expect(other.activeKey(h.t.db, resourceId, psb)).rejects.toThrow();
  });

  it('rotation: new writes use the new version, both versions still open what they sealed (no downtime)', async () => {
    const v1 = await h.services.keys.activeKey(h.t.db, resourceId, psb);
    const old = sealEnvelope(v1, Buffer.from('110105194912310021'));
    const res = await c.psbSecurity.request('POST', `/api/resources/${resourceId}/keys/rotate`);
    expect(res.statusCode).toBe(200);
    const after = res.json() as ResourceKeys;
    expect(after.keys.map((k) => [k.version, k.status])).toEqual([
      [2, 'active'],
      [1, 'retired'],
    ]);
    expect(after.keys[0]?.createdBy?.displayName).toBeTruthy();
    const v2 = await h.services.keys.activeKey(h.t.db, resourceId, psb);
    expect(v2.id).toBe(after.activeKeyId);
    expect(v2.id).not.toBe(v1.id);
    const fresh = sealEnvelope(v2, Buffer.from('440524188001010014'));
    const resolve = await h.services.keys.resolver(h.t.db, resourceId);
    expect(openEnvelope(resolve, old).toString()).toBe('110105194912310021');
    expect(openEnvelope(resolve, fresh).toString()).toBe('440524188001010014');
    const audit = await h.t.db
      .selectFrom('audit_events')
      .select(['actor_username', 'details'])
      .where('action', '=', 'protection.key.rotate')
      .where('target_id', '=', resourceId)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor_username).toBe('psb.security');
  });

  it('only the security officer rotates or destroys; the steward reads; another institution sees a 404', async () => {
    expect((await c.psbSteward.request('POST', `/api/resources/${resourceId}/keys/rotate`)).statusCode).toBe(403);
    expect((await c.psbSteward.request('GET', `/api/resources/${resourceId}/keys`)).statusCode).toBe(200);
    const edu = await h.login('edu.user');
    expect((await edu.request('GET', `/api/resources/${resourceId}/keys`)).statusCode).toBe(404);
    // Vendor staff operating for the institution see its catalog, never its keys' controls.
    expect((await c.vendor.request('POST', `/api/resources/${resourceId}/keys/rotate`)).statusCode).toBe(403);
    // The authority supervises: it may read the key states, not change them.
    expect((await c.cityAdmin.request('GET', `/api/resources/${resourceId}/keys`)).statusCode).toBe(200);
    expect((await c.cityAdmin.request('POST', `/api/resources/${resourceId}/keys/rotate`)).statusCode).toBe(403);
  });

  it('destruction needs the resource name restated and a reason, then makes every version unrecoverable (LIF-11)', async () => {
    const key = await h.services.keys.activeKey(h.t.db, resourceId, psb);
    const sealed = sealEnvelope(key, Buffer.from('secret row'));
    const wrong = await c.psbSecurity.request('POST', `/api/resources/${resourceId}/keys/destroy`, { confirmName: '别的名字', reason: '保存期限届满' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('CONFIRMATION_MISMATCH');
    expect((await keysOf(c.psbSecurity)).state).toBe('active'); // nothing happened

    const res = await c.psbSecurity.request('POST', `/api/resources/${resourceId}/keys/destroy`, {
      confirmName: resourceName,
      reason: '保存期限届满，依法销毁',
    });
    expect(res.statusCode).toBe(200);
    const after = res.json() as ResourceKeys;
    expect(after.state).toBe('destroyed');
    expect(after.keys.every((k) => k.status === 'destroyed' && k.kekId === null && k.destroyReason === '保存期限届满，依法销毁')).toBe(true);
    const rows = await h.t.db.selectFrom('data_keys').select('wrapped').where('resource_id', '=', resourceId).execute();
    expect(rows.every((r) => r.wrapped === null)).toBe(true);

    // Nothing opens what was sealed, no new key can be made, and the answer says why (410).
    await expect(h.services.keys.resolver(h.t.db, resourceId)).rejects.toMatchObject({ code: 'DATA_KEY_DESTROYED', httpStatus: 410 });
    await expect(h.services.keys.activeKey(h.t.db, resourceId, psb)).rejects.toMatchObject({ code: 'DATA_KEY_DESTROYED' });
    expect(sealed.length).toBeGreaterThan(0);
    const rotate = await c.psbSecurity.request('POST', `/api/resources/${resourceId}/keys/rotate`);
    expect(rotate.statusCode).toBe(410);
    expect(rotate.json().code).toBe('DATA_KEY_DESTROYED');
    const audit = await h.t.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'protection.key.destroy')
      .where('target_id', '=', resourceId)
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('a resource never sealed can be destroyed too: no key can be created for it afterwards', async () => {
    const name = `未用资源${randomBytes(2).toString('hex')}`;
    const id = await makeResource(c.psbSteward, psb, name);
    const res = await c.psbSecurity.request('POST', `/api/resources/${id}/keys/destroy`, { confirmName: name, reason: '资源撤销' });
    expect(res.statusCode).toBe(200);
    expect((res.json() as ResourceKeys).state).toBe('destroyed');
    await expect(h.services.keys.activeKey(h.t.db, id, psb)).rejects.toMatchObject({ code: 'DATA_KEY_DESTROYED' });
  });

  it('refuses to run with a KEK other than the one the stored keys were wrapped with', async () => {
    const name = `密钥校验${randomBytes(2).toString('hex')}`;
    const id = await makeResource(c.psbSteward, psb, name);
    await h.services.keys.activeKey(h.t.db, id, psb);
    await expect(h.services.keys.assertKekMatches()).resolves.toBeUndefined();
    const other = new KeysService(h.t.db, h.services.resources, () => Kek.generate());
    await expect(other.assertKekMatches()).rejects.toBeInstanceOf(KekError);
  });
});
