// Institutions, people and roles (ORG-1, ORG-6, PRT-2, PRT-3, 三员分立): what the organization routes do
// beyond "who may call them" (that is authz-matrix.test.ts). Every change is checked in the audit log, and
// every refusal is checked to leave the data as it was.
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUscc } from '../../src/engines/identifiers/uscc.ts';
import { totpCode } from '../../src/modules/auth/totp.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';

let h: TestApp;
const c = {} as Record<'admin' | 'cityAdmin' | 'districtAdmin' | 'psbAdmin' | 'psbSecurity' | 'psbSteward' | 'eduUser' | 'cacAuditor', Client>;
const id = {} as Record<'city' | 'district' | 'street' | 'civil' | 'psb' | 'edu' | 'health' | 'cac' | 'vendor', string>;
const userId = async (username: string) => (await h.t.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

beforeAll(async () => {
  h = await createTestApp();
  const names = {
    city: '示范市数据管理局',
    district: '示范市南湖区数据管理局',
    street: '南湖区滨江街道办事处',
    civil: '示范市南湖区民政局',
    psb: '示范市公安局',
    edu: '示范市教育局',
    health: '示范市卫生健康委员会',
    cac: '中共示范市委网络安全和信息化委员会办公室',
    vendor: '示范数智科技有限公司',
  } as const;
  for (const [k, name] of Object.entries(names)) id[k as keyof typeof id] = await h.inst(name);
  c.admin = await h.login('admin');
  c.cityAdmin = await h.login('city.admin');
  c.districtAdmin = await h.login('district.admin');
  c.psbAdmin = await h.login('psb.admin');
  c.psbSecurity = await h.login('psb.security');
  c.psbSteward = await h.login('psb.steward');
  c.eduUser = await h.login('edu.user');
  c.cacAuditor = await h.login('cac.auditor');
});
afterAll(() => h?.close());

/** Audit events of an action, newest first. */
async function audits(action: string, since = 0) {
  return h.t.db.selectFrom('audit_events').selectAll().where('action', '=', action).where('seq', '>', since).orderBy('seq', 'desc').execute();
}
async function auditSeq(): Promise<number> {
  const r = await h.t.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.max('seq').as('m'))
    .executeTakeFirstOrThrow();
  return Number(r.m ?? 0);
}
async function institutionRow(instId: string) {
  return h.t.db.selectFrom('institutions').selectAll().where('id', '=', instId).executeTakeFirstOrThrow();
}
async function rolesOf(uid: string) {
  const rows = await h.t.db.selectFrom('role_assignments').select(['role', 'institution_id']).where('user_id', '=', uid).execute();
  return rows.map((r) => `${r.role}@${r.institution_id}`).sort();
}
async function count(table: 'institutions' | 'users' | 'role_assignments' | 'regulator_read_grants') {
  const r = await h.t.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
/** A fresh IP per attempt, so the per-IP login limiter never gets in the way. */
const ip = () => `10.9.${randomInt(250)}.${randomInt(250)}`;
async function rawLogin(username: string, password: string) {
  return h.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
    remoteAddress: ip(),
  });
}
/** Descendants of `root` (root included), walked here from the parent links, independently of the product. */
async function subtree(root: string): Promise<Set<string>> {
  const all = await h.t.db.selectFrom('institutions').select(['id', 'parent_id']).execute();
  const out = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of all) {
      if (r.parent_id && out.has(r.parent_id) && !out.has(r.id)) {
        out.add(r.id);
        grew = true;
      }
    }
  }
  return out;
}
const ids = (items: { id: string }[]) => new Set(items.map((i) => i.id));

describe('institutions', () => {
  it('the city admin and the district admin create institutions under the district; each creation is audited', async () => {
    const since = await auditSeq();
    const code = makeUscc('11', '350102', 'MB0B0001');
    const res = await c.cityAdmin.request('POST', '/api/institutions', {
      parentId: id.district,
      kind: 'institution',
      name: '示范市南湖区教育局',
      code,
      adminLevel: 'district',
      sector: 'education',
      profile: {
        managingDepartment: '信息科',
        securityLead: { name: '陈敏', title: '副局长' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const inst = res.json();
    expect(inst).toMatchObject({
      parentId: id.district,
      kind: 'institution',
      name: '示范市南湖区教育局',
      code,
      adminLevel: 'district',
      sector: 'education',
      status: 'active',
      version: 1,
    });
    expect(inst.profile).toEqual({
      managingDepartment: '信息科',
      securityLead: { name: '陈敏', title: '副局长' },
    });
    const [ev] = await audits('org.institution.create', since);
    expect(ev).toMatchObject({
      actor_username: 'city.admin',
      outcome: 'success',
      target_type: 'institution',
      target_id: inst.id,
      target_institution_id: inst.id,
    });
    expect(ev?.details).toEqual({
      name: '示范市南湖区教育局',
      kind: 'institution',
      parentId: id.district,
    });

    const byDistrict = await c.districtAdmin.request('POST', '/api/institutions', {
      parentId: id.district,
      kind: 'institution',
      name: '示范市南湖区卫生健康局',
      sector: 'health',
    });
    expect(byDistrict.statusCode, byDistrict.body).toBe(201);
    expect(byDistrict.json().parentId).toBe(id.district);
    const underStreet = await c.districtAdmin.request('POST', '/api/institutions', {
      parentId: id.street,
      kind: 'institution',
      name: '滨江街道社区服务中心',
      sector: 'town_street',
    });
    expect(underStreet.statusCode, underStreet.body).toBe(201);
    expect((await audits('org.institution.create', since)).map((e) => e.actor_username)).toEqual(['district.admin', 'district.admin', 'city.admin']);

    // The district's admin does not reach the city: its parent is out of scope (404), and nothing is created.
    const before = await count('institutions');
    const up = await c.districtAdmin.request('POST', '/api/institutions', {
      parentId: id.city,
      kind: 'institution',
      name: '越权新建单位',
      sector: 'other',
    });
    expect(up.statusCode).toBe(404);
    expect(up.json().code).toBe('NOT_FOUND');
    expect(await count('institutions')).toBe(before);
  });

  it('a name taken under the same parent is 409 DUPLICATE_NAME; under another parent it is fine; blank names are 400', async () => {
    const before = await count('institutions');
    const dup = await c.districtAdmin.request('POST', '/api/institutions', {
      parentId: id.district,
      kind: 'institution',
      name: '示范市南湖区教育局',
      sector: 'education',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({
      code: 'DUPLICATE_NAME',
      details: { field: 'name' },
    });
    const padded = await c.districtAdmin.request('POST', '/api/institutions', {
      parentId: id.district,
      kind: 'institution',
      name: '  示范市南湖区教育局 ',
      sector: 'education',
    });
    expect(padded.statusCode).toBe(409);
    const blank = await c.districtAdmin.request('POST', '/api/institutions', {
      parentId: id.district,
      kind: 'institution',
      name: '   ',
      sector: 'other',
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'name' },
    });
    expect(await count('institutions')).toBe(before);

    const elsewhere = await c.districtAdmin.request('POST', '/api/institutions', {
      parentId: id.street,
      kind: 'institution',
      name: '示范市南湖区教育局',
      sector: 'education',
    });
    expect(elsewhere.statusCode, elsewhere.body).toBe(201);

    // Renaming onto a sibling's name is the same conflict.
    const civil = await institutionRow(id.civil);
    const rename = await c.districtAdmin.request('PATCH', `/api/institutions/${id.civil}`, { name: '示范市南湖区教育局', version: civil.version });
    expect(rename.statusCode).toBe(409);
    expect(rename.json().code).toBe('DUPLICATE_NAME');
    expect((await institutionRow(id.civil)).name).toBe(civil.name);
  });

  it('credit codes: a wrong check character is 400 INVALID_CREDIT_CODE, a code in use 409 DUPLICATE_CODE', async () => {
    const good = makeUscc('12', '350102', 'MB0B0002');
    const last = good.at(-1) as string;
    const bad = good.slice(0, 17) + (last === '1' ? '2' : '1');
    const before = await count('institutions');
    const res = await c.cityAdmin.request('POST', '/api/institutions', {
      parentId: id.district,
      kind: 'institution',
      name: '校验位错误单位',
      code: bad,
      sector: 'other',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'INVALID_CREDIT_CODE',
      details: { field: 'code' },
    });
    const malformed = await c.cityAdmin.request('POST', '/api/institutions', {
      parentId: id.district,
      kind: 'institution',
      name: '格式错误单位',
      code: 'ABC',
      sector: 'other',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'code' },
    });
    const taken = await c.cityAdmin.request('POST', '/api/institutions', {
      parentId: id.district,
      kind: 'institution',
      name: '代码重复单位',
      code: makeUscc('11', '350102', 'MB0B0001'),
      sector: 'other',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({
      code: 'DUPLICATE_CODE',
      details: { field: 'code' },
    });
    expect(await count('institutions')).toBe(before);

    const ok = await c.cityAdmin.request('POST', '/api/institutions', {
      parentId: id.district,
      kind: 'institution',
      name: '校验位正确单位',
      code: good,
      sector: 'other',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const patched = await c.cityAdmin.request('PATCH', `/api/institutions/${ok.json().id}`, { code: bad, version: 1 });
    expect(patched.statusCode).toBe(400);
    expect(patched.json().code).toBe('INVALID_CREDIT_CODE');
    expect((await institutionRow(ok.json().id)).code).toBe(good);
  });

  it('a kind the parent cannot hold is 422 KIND_NOT_ALLOWED_HERE', async () => {
    const before = await count('institutions');
    for (const [parentId, kind] of [
      [id.cac, 'institution'],
      [id.psb, 'authority'],
      [id.psb, 'regulator'],
      [id.vendor, 'institution'],
    ] as const) {
      const res = await c.cityAdmin.request('POST', '/api/institutions', {
        parentId,
        kind,
        name: `不合规层级 ${kind}`,
        sector: 'other',
      });
      expect(res.statusCode, `${kind} under ${parentId}`).toBe(422);
      expect(res.json().code).toBe('KIND_NOT_ALLOWED_HERE');
    }
    expect(await count('institutions')).toBe(before);
    const regUnderCac = await c.cityAdmin.request('POST', '/api/institutions', {
      parentId: id.cac,
      kind: 'regulator',
      name: '网信办下属监管处',
      sector: 'cyberspace',
    });
    expect(regUnderCac.statusCode, regUnderCac.body).toBe(201);
  });

  it('profile updates carry the version: a stale version is 409 VERSION_CONFLICT and changes nothing; the change is audited with its keys', async () => {
    const since = await auditSeq();
    const psb = (await c.psbSecurity.request('GET', `/api/institutions/${id.psb}`)).json();
    const profile = {
      ...psb.profile,
      securityLead: { name: '周建国', title: '副局长', phone: '0591-87001234' },
      emergencyBody: '网络与数据安全应急指挥部',
    };
    const res = await c.psbSecurity.request('PATCH', `/api/institutions/${id.psb}`, { profile, version: psb.version });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      version: psb.version + 1,
      name: psb.name,
      profile,
    });
    const [ev] = await audits('org.institution.update', since);
    expect(ev).toMatchObject({
      actor_username: 'psb.security',
      target_id: id.psb,
      outcome: 'success',
    });
    const details = ev?.details as { changed: string[]; version: number };
    expect([...details.changed].sort()).toEqual(['profile.emergencyBody', 'profile.securityLead']);
    expect(details.version).toBe(psb.version + 1);

    const stale = await c.psbAdmin.request('PATCH', `/api/institutions/${id.psb}`, {
      profile: { ...profile, managingDepartment: '另一个部门' },
      version: psb.version,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({
      code: 'VERSION_CONFLICT',
      details: { currentVersion: psb.version + 1 },
    });
    const row = await institutionRow(id.psb);
    expect(row.version).toBe(psb.version + 1);
    expect(row.profile).toEqual(profile);
    expect(await audits('org.institution.update', since)).toHaveLength(1);
  });

  it('registration facts belong to the supervising authority: the institution itself, and a district authority over itself, get 422', async () => {
    const psb = await institutionRow(id.psb);
    for (const [client, body] of [
      [c.psbSecurity, { name: '示范市公安局（新）' }],
      [c.psbSecurity, { status: 'closed' }],
      [c.psbAdmin, { sector: 'other' }],
      [c.psbAdmin, { code: null }],
    ] as const) {
      const res = await client.request('PATCH', `/api/institutions/${id.psb}`, {
        ...body,
        version: psb.version,
      });
      expect(res.statusCode, `${client.username} ${JSON.stringify(body)}`).toBe(422);
      expect(res.json().code).toBe('REGISTRATION_FACTS_BY_AUTHORITY');
    }
    expect(await institutionRow(id.psb)).toEqual(psb);

    // The district's admin maintains the district's profile, and the registration facts of what is under it, not its own.
    const district = await institutionRow(id.district);
    const own = await c.districtAdmin.request('PATCH', `/api/institutions/${id.district}`, { status: 'closed', version: district.version });
    expect(own.statusCode).toBe(422);
    expect(own.json().code).toBe('REGISTRATION_FACTS_BY_AUTHORITY');
    const ownName = await c.districtAdmin.request('PATCH', `/api/institutions/${id.district}`, { name: '南湖区数据局', version: district.version });
    expect(ownName.statusCode).toBe(422);
    expect(await institutionRow(id.district)).toEqual(district);
    // A form that sends the unchanged registration facts back along with the profile is a profile edit.
    const ownProfile = await c.districtAdmin.request('PATCH', `/api/institutions/${id.district}`, {
      name: district.name,
      status: district.status,
      sector: district.sector,
      profile: {
        ...(district.profile as object),
        managingDepartment: '数据安全股',
      },
      version: district.version,
    });
    expect(ownProfile.statusCode, ownProfile.body).toBe(200);
    expect(ownProfile.json().profile.managingDepartment).toBe('数据安全股');

    const since = await auditSeq();
    const civil = await institutionRow(id.civil);
    const below = await c.districtAdmin.request('PATCH', `/api/institutions/${id.civil}`, { shortName: '南湖民政', version: civil.version });
    expect(below.statusCode, below.body).toBe(200);
    expect(below.json().shortName).toBe('南湖民政');
    const byCity = await c.cityAdmin.request('PATCH', `/api/institutions/${id.district}`, { shortName: '南湖区数据局', version: district.version + 1 });
    expect(byCity.statusCode, byCity.body).toBe(200);
    expect((await audits('org.institution.update', since)).map((e) => (e.details as { changed: string[] }).changed)).toEqual([['short_name'], ['short_name']]);
  });

  it('the tree and the list show each principal its reach and nothing above it', async () => {
    const district = await c.districtAdmin.request('GET', '/api/institutions/tree');
    expect(district.statusCode).toBe(200);
    const nodes = district.json() as { id: string; parentId: string | null }[];
    expect(ids(nodes)).toEqual(await subtree(id.district));
    // The district is the root of its admin's forest: the city above it is not even named.
    expect(nodes.find((n) => n.id === id.district)?.parentId).toBeNull();
    expect(district.body).not.toContain(id.city);
    const districtList = (await c.districtAdmin.request('GET', '/api/institutions?pageSize=200')).json();
    expect(ids(districtList.items)).toEqual(await subtree(id.district));
    expect(districtList.total).toBe(nodes.length);
    const districtSelf = await c.districtAdmin.request('GET', `/api/institutions/${id.district}`);
    expect(districtSelf.json().parentId).toBeNull();

    for (const [client, own] of [
      [c.psbSteward, id.psb],
      [c.eduUser, id.edu],
    ] as const) {
      const tree = (await client.request('GET', '/api/institutions/tree')).json();
      expect(tree).toEqual([expect.objectContaining({ id: own, parentId: null })]);
      const list = (await client.request('GET', '/api/institutions')).json();
      expect(list).toMatchObject({
        total: 1,
        items: [{ id: own, parentId: null }],
      });
    }

    const city = (await c.cityAdmin.request('GET', '/api/institutions/tree')).json();
    expect(ids(city)).toEqual(await subtree(id.city));
  });

  it('the list filters by kind, sector, parent, status and text, and pages without overlap', async () => {
    const get = async (q: string) => {
      const res = await c.cityAdmin.request('GET', `/api/institutions?${q}`);
      expect(res.statusCode, `${q}: ${res.body}`).toBe(200);
      return res.json() as {
        items: {
          id: string;
          name: string;
          kind: string;
          sector: string;
          parentId: string;
          status: string;
          userCount: number;
        }[];
        total: number;
        page: number;
        pageSize: number;
      };
    };
    const regulators = await get('kind=regulator');
    expect(regulators.items.every((i) => i.kind === 'regulator')).toBe(true);
    expect(ids(regulators.items).has(id.cac)).toBe(true);
    const education = await get('sector=education&pageSize=200');
    expect(education.items.map((i) => i.name).sort()).toEqual(['示范市南湖区教育局', '示范市南湖区教育局', '示范市教育局'].sort());
    const children = await get(`parentId=${id.district}&pageSize=200`);
    const direct = await h.t.db.selectFrom('institutions').select('id').where('parent_id', '=', id.district).execute();
    expect(ids(children.items)).toEqual(ids(direct));
    expect((await get('status=closed')).total).toBe(0);
    const police = await get(`q=${encodeURIComponent('公安')}`);
    expect(police.items.map((i) => i.id)).toEqual([id.psb]);
    expect(police.items[0]?.userCount).toBe(3);
    // LIKE wildcards in the search text are literal.
    expect((await get(`q=${encodeURIComponent('%')}`)).total).toBe(0);
    expect((await get(`q=${encodeURIComponent('_')}`)).total).toBe(0);

    const all = await get('pageSize=200');
    const seen: string[] = [];
    for (let page = 1; page <= Math.ceil(all.total / 4); page++) {
      const p = await get(`page=${page}&pageSize=4`);
      expect(p).toMatchObject({ page, pageSize: 4, total: all.total });
      expect(p.items.length).toBe(Math.min(4, all.total - (page - 1) * 4));
      seen.push(...p.items.map((i) => i.id));
    }
    expect(seen).toEqual(all.items.map((i) => i.id));
    expect(new Set(seen).size).toBe(all.total);
    expect((await get(`page=${Math.ceil(all.total / 4) + 1}&pageSize=4`)).items).toEqual([]);
    const bad = await c.cityAdmin.request('GET', '/api/institutions?pageSize=0');
    expect(bad.statusCode).toBe(400);
  });
});

describe('people', () => {
  let clerk: { id: string; password: string; client?: Client };

  it('a new user gets an initial password shown once, and must change it at first login', async () => {
    const since = await auditSeq();
    const res = await c.psbAdmin.request('POST', '/api/users', {
      username: 'psb.clerk',
      displayName: '  张晓  ',
      institutionId: id.psb,
      email: 'clerk@psb.example.cn',
    });
    expect(res.statusCode, res.body).toBe(201);
    const { user, initialPassword } = res.json();
    expect(user).toMatchObject({
      username: 'psb.clerk',
      displayName: '张晓',
      institutionId: id.psb,
      status: 'active',
      roles: [],
      totpEnabled: false,
      locked: false,
    });
    expect(initialPassword).toMatch(/.{10,}/);
    clerk = { id: user.id, password: initialPassword };
    const [ev] = await audits('org.user.create', since);
    expect(ev).toMatchObject({
      actor_username: 'psb.admin',
      target_id: user.id,
      target_institution_id: id.psb,
      details: { username: 'psb.clerk' },
    });
    expect(JSON.stringify(ev)).not.toContain(initialPassword);

    // Shown once: no later answer carries it.
    const again = await c.psbAdmin.request('GET', `/api/users/${user.id}`);
    expect(again.statusCode).toBe(200);
    expect(again.body).not.toContain(initialPassword);
    expect(Object.keys(again.json())).not.toContain('initialPassword');

    const client = await h.login('psb.clerk', initialPassword, null);
    const me = (await client.request('GET', '/api/me')).json();
    expect(me.user.mustChangePassword).toBe(true);
    const blocked = await client.request('GET', '/api/institutions/tree');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('PASSWORD_CHANGE_REQUIRED');
    const changed = await client.request('POST', '/api/me/password', {
      currentPassword: initialPassword,
      newPassword: 'Clerk#Chosen2026',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    clerk.password = 'Clerk#Chosen2026';
    expect((await client.request('GET', '/api/me')).json().user.mustChangePassword).toBe(false);
    clerk.client = client;

    const blank = await c.psbAdmin.request('POST', '/api/users', {
      username: 'psb.blank',
      displayName: '   ',
      institutionId: id.psb,
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'displayName' },
    });
  });

  it('user names are unique regardless of case (409 USERNAME_TAKEN), also when two requests race', async () => {
    const before = await count('users');
    const res = await c.cityAdmin.request('POST', '/api/users', {
      username: 'PSB.Clerk',
      displayName: '重名',
      institutionId: id.edu,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'USERNAME_TAKEN',
      details: { field: 'username' },
    });
    expect(await count('users')).toBe(before);

    const race = await Promise.all(
      [c.cityAdmin, c.psbAdmin].map((cl) =>
        cl.request('POST', '/api/users', {
          username: 'race.user',
          displayName: '并发',
          institutionId: id.psb,
        }),
      ),
    );
    expect(race.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(race.find((r) => r.statusCode === 409)?.json().code).toBe('USERNAME_TAKEN');
    expect(await count('users')).toBe(before + 1);
  });

  it('disabling a user ends their sessions and stops logins; nobody disables themselves', async () => {
    const since = await auditSeq();
    const client = clerk.client as Client;
    expect((await client.request('GET', '/api/me')).statusCode).toBe(200);
    const res = await c.psbAdmin.request('PATCH', `/api/users/${clerk.id}`, {
      status: 'disabled',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('disabled');
    expect((await client.request('GET', '/api/me')).statusCode).toBe(401);
    const open = await h.t.db.selectFrom('sessions').select(['end_reason']).where('user_id', '=', clerk.id).execute();
    expect(open.map((s) => s.end_reason)).toEqual(['account_disabled']);
    const login = await rawLogin('psb.clerk', clerk.password);
    expect(login.statusCode).toBe(401);
    expect(login.json().code).toBe('INVALID_CREDENTIALS');
    // Refused as disabled, not counted toward a lockout (re-enabling must not find the account locked).
    expect((await audits('auth.login', since))[0]).toMatchObject({ outcome: 'denied', details: { reason: 'disabled' } });
    const row = await h.t.db.selectFrom('users').select(['failed_logins', 'locked_until']).where('id', '=', clerk.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ failed_logins: 0, locked_until: null });
    expect((await audits('org.user.disable', since))[0]).toMatchObject({
      actor_username: 'psb.admin',
      target_id: clerk.id,
    });

    const self = await c.psbAdmin.request('PATCH', `/api/users/${c.psbAdmin.userId}`, { status: 'disabled' });
    expect(self.statusCode).toBe(422);
    expect(self.json().code).toBe('CANNOT_DISABLE_SELF');
    expect((await h.t.db.selectFrom('users').select('status').where('id', '=', c.psbAdmin.userId).executeTakeFirstOrThrow()).status).toBe('active');

    const enable = await c.psbAdmin.request('PATCH', `/api/users/${clerk.id}`, {
      status: 'active',
    });
    expect(enable.statusCode).toBe(200);
    expect(await audits('org.user.enable', since)).toHaveLength(1);
    expect((await rawLogin('psb.clerk', clerk.password)).statusCode).toBe(200);
  });

  it('reset-password issues a temporary password, ends the sessions and requires a change', async () => {
    const since = await auditSeq();
    const session = await h.login('psb.clerk', clerk.password, null);
    const res = await c.psbAdmin.request('POST', `/api/users/${clerk.id}/reset-password`);
    expect(res.statusCode, res.body).toBe(200);
    const { temporaryPassword } = res.json();
    expect(temporaryPassword).toMatch(/.{10,}/);
    expect((await session.request('GET', '/api/me')).statusCode).toBe(401);
    expect((await rawLogin('psb.clerk', clerk.password)).statusCode).toBe(401);
    const fresh = await h.login('psb.clerk', temporaryPassword, null);
    expect((await fresh.request('GET', '/api/me')).json().user.mustChangePassword).toBe(true);
    const [ev] = await audits('org.user.reset_password', since);
    expect(ev).toMatchObject({
      actor_username: 'psb.admin',
      target_id: clerk.id,
    });
    expect(JSON.stringify(ev)).not.toContain(temporaryPassword);
    clerk.password = temporaryPassword;

    const own = await c.psbAdmin.request('POST', `/api/users/${c.psbAdmin.userId}/reset-password`);
    expect(own.statusCode).toBe(422);
    expect(own.json().code).toBe('USE_OWN_PASSWORD_CHANGE');
  });

  it('unlock lets an account locked by failed logins in again', async () => {
    const created = (
      await c.psbAdmin.request('POST', '/api/users', {
        username: 'psb.locked',
        displayName: '锁定测试',
        institutionId: id.psb,
        password: 'Locked#Start2026',
      })
    ).json();
    for (let i = 0; i < 5; i++) expect((await rawLogin('psb.locked', 'Wrong#Password1')).statusCode).toBe(401);
    const locked = await rawLogin('psb.locked', 'Locked#Start2026');
    expect(locked.statusCode).toBe(423);
    expect(locked.json().code).toBe('ACCOUNT_LOCKED');
    expect((await c.psbAdmin.request('GET', `/api/users/${created.user.id}`)).json().locked).toBe(true);

    const since = await auditSeq();
    const res = await c.psbAdmin.request('POST', `/api/users/${created.user.id}/unlock`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ locked: false, lockedUntil: null });
    expect((await audits('org.user.unlock', since))[0]).toMatchObject({
      actor_username: 'psb.admin',
      target_id: created.user.id,
    });
    expect((await rawLogin('psb.locked', 'Locked#Start2026')).statusCode).toBe(200);
  });

  it('nobody manages the account of someone holding a role they could not assign', async () => {
    const adminId = await userId('admin');
    const before = await h.t.db.selectFrom('users').selectAll().where('id', '=', adminId).executeTakeFirstOrThrow();
    // An authority admin may not hand out platform_admin, so may not disable or reset the platform administrator.
    for (const [method, url, body] of [
      ['PATCH', `/api/users/${adminId}`, { status: 'disabled' }],
      ['POST', `/api/users/${adminId}/reset-password`, undefined],
    ] as const) {
      const res = await c.cityAdmin.request(method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
    expect(await h.t.db.selectFrom('users').selectAll().where('id', '=', adminId).executeTakeFirstOrThrow()).toEqual(before);

    // Someone employed by the district who holds a city role is beyond the district admin's say.
    const liaison = (
      await c.cityAdmin.request('POST', '/api/users', {
        username: 'district.liaison',
        displayName: '区局联络员',
        institutionId: id.district,
      })
    ).json().user;
    expect(
      (
        await c.cityAdmin.request('POST', `/api/users/${liaison.id}/roles`, {
          role: 'authority_officer',
          institutionId: id.city,
        })
      ).statusCode,
    ).toBe(201);
    const refused = await c.districtAdmin.request('PATCH', `/api/users/${liaison.id}`, { status: 'disabled' });
    expect(refused.statusCode).toBe(403);
    expect((await c.districtAdmin.request('POST', `/api/users/${liaison.id}/reset-password`)).statusCode).toBe(403);
    expect((await c.districtAdmin.request('GET', `/api/users/${liaison.id}`)).statusCode).toBe(200);
    expect(
      (
        await c.cityAdmin.request('PATCH', `/api/users/${liaison.id}`, {
          displayName: '区局联络员（市局）',
        })
      ).statusCode,
    ).toBe(200);
    // Once the city role is gone, the district manages its own employee again.
    const assignment = (await c.cityAdmin.request('GET', `/api/users/${liaison.id}`)).json().roles[0];
    expect((await c.cityAdmin.request('DELETE', `/api/users/${liaison.id}/roles/${assignment.id}`)).statusCode).toBe(204);
    expect(
      (
        await c.districtAdmin.request('PATCH', `/api/users/${liaison.id}`, {
          displayName: '区局联络员',
        })
      ).statusCode,
    ).toBe(200);
  });

  it('the user list is scoped and filters by text, institution, role and status', async () => {
    const list = async (client: Client, q = '') => {
      const res = await client.request('GET', `/api/users?pageSize=200${q}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as {
        items: {
          id: string;
          username: string;
          institutionId: string;
          status: string;
          roles: { role: string }[];
        }[];
        total: number;
      };
    };
    const psb = await list(c.psbAdmin);
    // Employed at the PSB, or working there (the vendor's operator).
    expect(psb.items.map((u) => u.username)).toEqual(['psb.admin', 'psb.clerk', 'psb.locked', 'psb.security', 'psb.steward', 'race.user', 'vendor.ops1']);
    expect(psb.total).toBe(7);
    const district = await list(c.districtAdmin);
    expect(district.items.map((u) => u.username)).toEqual(['district.admin', 'district.liaison']);
    const auditorView = await list(c.cacAuditor);
    expect(new Set(auditorView.items.map((u) => u.username))).toEqual(
      new Set(['cac.auditor', 'psb.admin', 'psb.clerk', 'psb.locked', 'psb.security', 'psb.steward', 'race.user', 'vendor.ops1', 'vendor.ops2']),
    );

    expect((await list(c.cityAdmin, '&q=clerk')).items.map((u) => u.username)).toEqual(['psb.clerk']);
    expect((await list(c.cityAdmin, `&institutionId=${id.health}`)).items.map((u) => u.username)).toEqual(['vendor.ops2']);
    expect((await list(c.cityAdmin, '&role=auditor')).items.map((u) => u.username)).toEqual(['cac.auditor', 'city.auditor']);
    await c.psbAdmin.request('PATCH', `/api/users/${await userId('race.user')}`, { status: 'disabled' });
    expect((await list(c.cityAdmin, '&status=disabled')).items.map((u) => u.username)).toEqual(['race.user']);
    const paged = await c.cityAdmin.request('GET', '/api/users?page=2&pageSize=5');
    expect(paged.json()).toMatchObject({ page: 2, pageSize: 5 });
    expect(paged.json().items).toHaveLength(5);
  });
});

describe('roles', () => {
  let clerkId: string;
  beforeAll(async () => {
    clerkId = await userId('psb.clerk');
  });

  it('assigning and removing a role is audited; the same role twice is 409', async () => {
    const since = await auditSeq();
    const res = await c.psbAdmin.request('POST', `/api/users/${clerkId}/roles`, { role: 'data_steward', institutionId: id.psb });
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({
      role: 'data_steward',
      institutionId: id.psb,
      institutionName: '示范市公安局',
    });
    expect((await c.psbAdmin.request('GET', `/api/users/${clerkId}`)).json().roles).toEqual([expect.objectContaining({ id: a.id, role: 'data_steward' })]);
    const [ev] = await audits('org.role.assign', since);
    expect(ev).toMatchObject({
      actor_username: 'psb.admin',
      outcome: 'success',
      target_id: clerkId,
      details: {
        assignmentId: a.id,
        role: 'data_steward',
        institutionId: id.psb,
      },
    });

    const twice = await c.psbAdmin.request('POST', `/api/users/${clerkId}/roles`, { role: 'data_steward', institutionId: id.psb });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('ROLE_ALREADY_ASSIGNED');

    const del = await c.psbAdmin.request('DELETE', `/api/users/${clerkId}/roles/${a.id}`);
    expect(del.statusCode).toBe(204);
    expect(await rolesOf(clerkId)).toEqual([]);
    const [rm] = await audits('org.role.remove', since);
    expect(rm).toMatchObject({
      actor_username: 'psb.admin',
      outcome: 'success',
      target_id: clerkId,
      details: {
        assignmentId: a.id,
        role: 'data_steward',
        institutionId: id.psb,
      },
    });
    expect((await c.psbAdmin.request('DELETE', `/api/users/${clerkId}/roles/${a.id}`)).statusCode).toBe(404);
  });

  it('vendor staff are refused every privileged role (422 VENDOR_PRIVILEGED_ROLE, audited as denied) but may operate', async () => {
    const ops2 = await userId('vendor.ops2');
    const held = await rolesOf(ops2);
    const since = await auditSeq();
    const attempts = [
      ['platform_admin', id.city],
      ['authority_admin', id.city],
      ['authority_officer', id.city],
      ['institution_admin', id.health],
      ['security_officer', id.health],
      ['auditor', id.health],
      // Also where the role could not sit anyway: the vendor rule is the reason given.
      ['authority_admin', id.health],
    ] as const;
    for (const [role, institutionId] of attempts) {
      const res = await c.admin.request('POST', `/api/users/${ops2}/roles`, {
        role,
        institutionId,
      });
      expect(res.statusCode, `${role} ${res.body}`).toBe(422);
      expect(res.json().code).toBe('VENDOR_PRIVILEGED_ROLE');
    }
    expect(await rolesOf(ops2)).toEqual(held);
    const denied = await audits('org.role.assign', since);
    expect(denied).toHaveLength(attempts.length);
    for (const e of denied)
      expect(e).toMatchObject({
        outcome: 'denied',
        actor_username: 'admin',
        target_id: ops2,
        details: { reason: 'VENDOR_PRIVILEGED_ROLE' },
      });
    expect(denied.map((e) => (e.details as { role: string }).role).reverse()).toEqual(attempts.map(([r]) => r));

    const ok = await c.cityAdmin.request('POST', `/api/users/${ops2}/roles`, {
      role: 'vendor_operator',
      institutionId: id.edu,
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(await rolesOf(ops2)).toEqual([...held, `vendor_operator@${id.edu}`].sort());
  });

  it('三员分立: a security officer cannot also be auditor or administrator, and the reverse (422 SOD_CONFLICT, audited)', async () => {
    const sec = (
      await c.psbAdmin.request('POST', '/api/users', {
        username: 'psb.sec2',
        displayName: '第二安全员',
        institutionId: id.psb,
      })
    ).json().user;
    expect(
      (
        await c.psbAdmin.request('POST', `/api/users/${sec.id}/roles`, {
          role: 'security_officer',
          institutionId: id.psb,
        })
      ).statusCode,
    ).toBe(201);
    const since = await auditSeq();
    for (const [client, role, institutionId] of [
      [c.psbAdmin, 'auditor', id.psb],
      [c.cityAdmin, 'institution_admin', id.psb],
      [c.cityAdmin, 'auditor', id.city],
      [c.cityAdmin, 'authority_admin', id.city],
    ] as const) {
      const res = await client.request('POST', `/api/users/${sec.id}/roles`, {
        role,
        institutionId,
      });
      expect(res.statusCode, `${role}: ${res.body}`).toBe(422);
      expect(res.json()).toMatchObject({
        code: 'SOD_CONFLICT',
        details: { heldRole: 'security_officer' },
      });
    }
    expect(await rolesOf(sec.id)).toEqual([`security_officer@${id.psb}`]);
    const denied = await audits('org.role.assign', since);
    expect(denied).toHaveLength(4);
    for (const e of denied)
      expect(e).toMatchObject({
        outcome: 'denied',
        target_id: sec.id,
        details: { reason: 'SOD_CONFLICT', heldRole: 'security_officer' },
      });
    // Roles outside the three duties combine freely.
    expect(
      (
        await c.psbAdmin.request('POST', `/api/users/${sec.id}/roles`, {
          role: 'data_user',
          institutionId: id.psb,
        })
      ).statusCode,
    ).toBe(201);

    const cityAuditor = await userId('city.auditor');
    const reverse = await c.cityAdmin.request('POST', `/api/users/${cityAuditor}/roles`, { role: 'security_officer', institutionId: id.city });
    expect(reverse.statusCode).toBe(422);
    expect(reverse.json()).toMatchObject({
      code: 'SOD_CONFLICT',
      details: { heldRole: 'auditor' },
    });
    const adminToAuditor = await c.admin.request('POST', `/api/users/${await userId('city.admin')}/roles`, { role: 'auditor', institutionId: id.city });
    expect(adminToAuditor.statusCode).toBe(422);
    expect(adminToAuditor.json()).toMatchObject({
      code: 'SOD_CONFLICT',
      details: { heldRole: 'authority_admin' },
    });
  });

  it('a role where it cannot be held is 422 ROLE_NOT_ALLOWED_HERE, audited as denied', async () => {
    const since = await auditSeq();
    for (const [role, institutionId] of [
      ['authority_officer', id.psb],
      ['data_steward', id.cac],
      ['auditor', id.vendor],
    ] as const) {
      const res = await c.cityAdmin.request('POST', `/api/users/${clerkId}/roles`, { role, institutionId });
      expect(res.statusCode, role).toBe(422);
      expect(res.json().code).toBe('ROLE_NOT_ALLOWED_HERE');
    }
    expect(await rolesOf(clerkId)).toEqual([]);
    const denied = await audits('org.role.assign', since);
    expect(denied.map((e) => [e.outcome, (e.details as { reason: string }).reason])).toEqual(Array(3).fill(['denied', 'ROLE_NOT_ALLOWED_HERE']));
  });

  it('an institution admin hands out only institution-level roles (403), and only at its institution (404)', async () => {
    const before = await count('role_assignments');
    for (const role of ['authority_admin', 'platform_admin', 'authority_officer', 'institution_admin'] as const) {
      const res = await c.psbAdmin.request('POST', `/api/users/${clerkId}/roles`, { role, institutionId: id.psb });
      expect(res.statusCode, role).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
    }
    const atCity = await c.psbAdmin.request('POST', `/api/users/${clerkId}/roles`, { role: 'data_user', institutionId: id.city });
    expect(atCity.statusCode).toBe(404);
    const bySecurity = await c.psbSecurity.request('POST', `/api/users/${clerkId}/roles`, { role: 'data_user', institutionId: id.psb });
    expect(bySecurity.statusCode).toBe(403);
    expect(await count('role_assignments')).toBe(before);
    // Removal follows the same rules: nobody takes away what they could not give, nor where they do not reach.
    const adminId = await userId('admin');
    const platformRole = (await c.admin.request('GET', `/api/users/${adminId}`)).json().roles[0];
    const removePlatform = await c.cityAdmin.request('DELETE', `/api/users/${adminId}/roles/${platformRole.id}`);
    expect(removePlatform.statusCode).toBe(403);
    const districtAdminId = await userId('district.admin');
    const districtRole = (await c.admin.request('GET', `/api/users/${districtAdminId}`)).json().roles[0];
    expect((await c.psbAdmin.request('DELETE', `/api/users/${districtAdminId}/roles/${districtRole.id}`)).statusCode).toBe(404);
    expect(await count('role_assignments')).toBe(before);
  });

  it('nobody assigns roles to themselves or removes their own (403 SELF_ASSIGNMENT)', async () => {
    const before = await count('role_assignments');
    for (const [client, role, institutionId] of [
      [c.cityAdmin, 'data_user', id.city],
      [c.admin, 'auditor', id.city],
      [c.psbAdmin, 'data_steward', id.psb],
    ] as const) {
      const res = await client.request('POST', `/api/users/${client.userId}/roles`, { role, institutionId });
      expect(res.statusCode, client.username).toBe(403);
      expect(res.json().code).toBe('SELF_ASSIGNMENT');
    }
    const own = (await c.cityAdmin.request('GET', `/api/users/${c.cityAdmin.userId}`)).json().roles[0];
    const remove = await c.cityAdmin.request('DELETE', `/api/users/${c.cityAdmin.userId}/roles/${own.id}`);
    expect(remove.statusCode).toBe(403);
    expect(remove.json().code).toBe('SELF_ASSIGNMENT');
    expect(await count('role_assignments')).toBe(before);
  });

  it('two grants do not add up: each assigns only within its own role and its own subtree', async () => {
    // Institution admin at the PSB and authority admin at the district (both system duties: no 三员 clash).
    const dual = (
      await c.cityAdmin.request('POST', '/api/users', {
        username: 'dual.admin',
        displayName: '双重管理员',
        institutionId: id.district,
        password: 'Dual#Admin20260',
      })
    ).json().user;
    for (const [role, institutionId] of [
      ['institution_admin', id.psb],
      ['authority_admin', id.district],
    ] as const) {
      expect(
        (
          await c.cityAdmin.request('POST', `/api/users/${dual.id}/roles`, {
            role,
            institutionId,
          })
        ).statusCode,
      ).toBe(201);
    }
    // Privileged: change the initial password, then enrol TOTP, before anything else.
    const client = await h.login('dual.admin', 'Dual#Admin20260', null);
    expect(
      (
        await client.request('POST', '/api/me/password', {
          currentPassword: 'Dual#Admin20260',
          newPassword: 'Dual#Chosen2026',
        })
      ).statusCode,
    ).toBe(200);
    expect((await client.request('GET', '/api/users')).json().code).toBe('TOTP_ENROLMENT_REQUIRED');
    const { secret } = (await client.request('POST', '/api/me/totp/setup')).json();
    expect(
      (
        await client.request('POST', '/api/me/totp/confirm', {
          code: totpCode(secret),
        })
      ).statusCode,
    ).toBe(200);

    const before = await count('role_assignments');
    // authority_admin may hand out institution_admin, but its grant reaches the district, not the PSB;
    // the PSB grant reaches the PSB but may not hand out institution_admin.
    const res = await client.request('POST', `/api/users/${clerkId}/roles`, {
      role: 'institution_admin',
      institutionId: id.psb,
    });
    expect(res.statusCode, res.body).toBe(403);
    const psbAdminId = await userId('psb.admin');
    const psbAdminRole = (await client.request('GET', `/api/users/${psbAdminId}`)).json().roles[0];
    expect(psbAdminRole.role).toBe('institution_admin');
    expect((await client.request('DELETE', `/api/users/${psbAdminId}/roles/${psbAdminRole.id}`)).statusCode).toBe(403);
    expect(await count('role_assignments')).toBe(before);
    // Each grant on its own still works.
    expect(
      (
        await client.request('POST', `/api/users/${clerkId}/roles`, {
          role: 'data_user',
          institutionId: id.psb,
        })
      ).statusCode,
    ).toBe(201);
    const liaison = await userId('district.liaison');
    expect(
      (
        await client.request('POST', `/api/users/${liaison}/roles`, {
          role: 'institution_admin',
          institutionId: id.civil,
        })
      ).statusCode,
    ).toBe(201);
  });
});

describe('read grants', () => {
  it('a read grant decides what the regulator auditor sees, and its creation and removal are audited', async () => {
    const tree = async () => ids((await c.cacAuditor.request('GET', '/api/institutions/tree')).json());
    // Its own regulator's subtree, plus the two institutions of the demo city's read grants.
    const granted = new Set([...(await subtree(id.cac)), id.psb, id.health]);
    expect(await tree()).toEqual(granted);
    expect((await c.cacAuditor.request('GET', `/api/institutions/${id.edu}`)).statusCode).toBe(404);
    const eduUser = await userId('edu.user');
    expect((await c.cacAuditor.request('GET', `/api/users/${eduUser}`)).statusCode).toBe(404);
    const listed = (await c.cacAuditor.request('GET', `/api/institutions/${id.cac}/read-grants`)).json();
    expect(listed.map((g: { institutionId: string }) => g.institutionId).sort()).toEqual([id.psb, id.health].sort());

    const since = await auditSeq();
    const res = await c.cityAdmin.request('POST', `/api/institutions/${id.cac}/read-grants`, { institutionId: id.edu, note: '教育数据安全检查' });
    expect(res.statusCode, res.body).toBe(201);
    const grant = res.json();
    expect(grant).toMatchObject({
      regulatorId: id.cac,
      institutionId: id.edu,
      institutionName: '示范市教育局',
      note: '教育数据安全检查',
    });
    expect((await audits('org.read_grant.create', since))[0]).toMatchObject({
      actor_username: 'city.admin',
      target_id: id.cac,
      details: { grantId: grant.id, institutionId: id.edu },
    });

    expect(await tree()).toEqual(new Set([...granted, id.edu]));
    expect((await c.cacAuditor.request('GET', `/api/institutions/${id.edu}`)).statusCode).toBe(200);
    expect((await c.cacAuditor.request('GET', `/api/users/${eduUser}`)).statusCode).toBe(200);
    // Reading is all it grants.
    const edu = await institutionRow(id.edu);
    expect(
      (
        await c.cacAuditor.request('PATCH', `/api/institutions/${id.edu}`, {
          profile: {},
          version: edu.version,
        })
      ).statusCode,
    ).toBe(403);

    const again = await c.cityAdmin.request('POST', `/api/institutions/${id.cac}/read-grants`, { institutionId: id.edu });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('GRANT_EXISTS');
    const notRegulator = await c.cityAdmin.request('POST', `/api/institutions/${id.psb}/read-grants`, { institutionId: id.edu });
    expect(notRegulator.statusCode).toBe(422);
    expect(notRegulator.json().code).toBe('NOT_A_REGULATOR');
    const missing = await c.admin.request('POST', `/api/institutions/${id.cac}/read-grants`, { institutionId: '01900000-0000-7000-8000-000000000000' });
    expect(missing.statusCode).toBe(404);
    const byDistrict = await c.districtAdmin.request('POST', `/api/institutions/${id.cac}/read-grants`, { institutionId: id.civil });
    expect(byDistrict.statusCode).toBe(404);

    const del = await c.cityAdmin.request('DELETE', `/api/institutions/${id.cac}/read-grants/${grant.id}`);
    expect(del.statusCode).toBe(204);
    expect((await audits('org.read_grant.delete', since))[0]).toMatchObject({
      actor_username: 'city.admin',
      target_id: id.cac,
      details: { grantId: grant.id, institutionId: id.edu },
    });
    expect(await tree()).toEqual(granted);
    expect((await c.cacAuditor.request('GET', `/api/institutions/${id.edu}`)).statusCode).toBe(404);
    expect((await c.cityAdmin.request('DELETE', `/api/institutions/${id.cac}/read-grants/${grant.id}`)).statusCode).toBe(404);

    // Two authorities granting the same thing at once: one grant, and the other gets the same 409 as a late duplicate.
    const race = await Promise.all(
      [c.cityAdmin, c.admin].map((cl) => cl.request('POST', `/api/institutions/${id.cac}/read-grants`, { institutionId: id.edu })),
    );
    expect(race.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(race.find((r) => r.statusCode === 409)?.json().code).toBe('GRANT_EXISTS');
    const pairs = await h.t.db
      .selectFrom('regulator_read_grants')
      .select('id')
      .where('regulator_id', '=', id.cac)
      .where('institution_id', '=', id.edu)
      .execute();
    expect(pairs).toHaveLength(1);
  });
});
