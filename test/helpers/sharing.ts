// A granted share request as the sharing flow leaves it (request → signed agreement → grant), for the grant
// and gateway tests: a resource of 公安局 with a loaded dataset, and grants of it to 教育局 with the options a
// test needs. The request, agreement, signature and grant rows are inserted directly (a fixture); the full API
// path (apply → approve → sign) is exercised by test/api/sharing-gateway.test.ts once.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { uuidv7 } from '../../src/db/ids.ts';
import type { RowFilterCondition } from '../../src/db/schema.ts';
import { sm3 } from '../../src/engines/gm/index.ts';
import type { Client, TestApp } from './app.ts';
import { residentId } from './identifiers.ts';

export const DISTRICTS = ['东城区', '西城区', '朝阳区', '海淀区', '丰台区'] as const;

/** The rows loaded into the fixture resource: `n` people; district sizes 40% / 30% / 20% / 6% / 4%. */
export function people(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const q = i % 50;
    const district = q < 20 ? 0 : q < 35 ? 1 : q < 45 ? 2 : q < 48 ? 3 : 4;
    return {
      sfzh: residentId(`1101051980${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`),
      xm: `${'张王李赵刘陈杨黄'[i % 8]}${'伟芳娜敏静丽强磊'[(i * 3) % 8]}${i}`,
      qx: DISTRICTS[district] as string,
      nl: 18 + (i % 60),
      je: (1000 + i * 3.25).toFixed(2),
    };
  });
}
export type Person = ReturnType<typeof people>[number];

export interface SharingFixture {
  resourceId: string;
  resourceName: string;
  psb: string;
  edu: string;
  steward: Client;
  user: Client;
  rows: Person[];
}

/** The resource and its dataset (loaded through the API by the provider's steward). */
export async function sharingFixture(h: TestApp, n = 300): Promise<SharingFixture> {
  const [steward, user] = await Promise.all([h.login('psb.steward'), h.login('edu.user')]);
  const psb = await h.inst('示范市公安局');
  const edu = await h.inst('示范市教育局');
  const systemId = uuidv7();
  await h.t.db
    .insertInto('systems')
    .values({ id: systemId, institution_id: psb, name: `户籍系统${systemId.slice(-4)}`, status: 'accepted', trusted_terminals: '[]', storage_carriers: '[]' })
    .execute();
  const resourceName = `户籍人口${randomBytes(2).toString('hex')}`;
  const res = await steward.request('POST', '/api/resources', {
    systemId,
    name: resourceName,
    shareAttribute: 'conditional',
    shareBasis: '《示范市公共数据管理办法》第十条',
    openAttribute: 'not_open',
    fields: [
      { name: 'sfzh', dataType: 'string', description: '身份证号' },
      { name: 'xm', dataType: 'string', description: '姓名' },
      { name: 'qx', dataType: 'string', description: '所属区县' },
      { name: 'nl', dataType: 'integer', description: '年龄' },
      { name: 'je', dataType: 'decimal', description: '补贴金额' },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  const resourceId = res.json().id as string;
  for (const [name, piType, level] of [
    ['sfzh', 'id_number', 'general-3'],
    ['xm', 'name', 'general-3'],
    ['qx', null, 'general-2'],
    ['nl', null, 'general-2'],
    ['je', null, 'general-2'],
  ] as const) {
    await h.t.db.updateTable('data_fields').set({ pi_type: piType, level }).where('resource_id', '=', resourceId).where('name', '=', name).execute();
  }
  await h.t.db.updateTable('data_resources').set({ level: 'general-3', grading_status: 'approved', published: true }).where('id', '=', resourceId).execute();
  const rows = people(n);
  const csv = `sfzh,xm,qx,nl,je\n${rows.map((p) => [p.sfzh, p.xm, p.qx, p.nl, p.je].join(',')).join('\n')}\n`;
  const load = await h.app.inject({
    method: 'POST',
    url: `/api/resources/${resourceId}/dataset?mode=replace&keyField=sfzh&fileName=hj.csv`,
    headers: { cookie: steward.cookie, 'x-csrf-token': steward.csrf, 'content-type': 'text/csv' },
    payload: Buffer.from(csv),
  });
  expect(load.statusCode, load.body).toBe(200);
  return { resourceId, resourceName, psb, edu, steward, user, rows };
}

export interface GrantOptions {
  fields?: string[];
  rowFilter?: RowFilterCondition[] | null;
  purposeCode?: string;
  termStart?: string;
  termEnd?: string;
  ratePerMinute?: number;
  rowsPerDay?: number;
  aggregateOnly?: boolean;
  minGroupSize?: number;
  recipient?: string;
  /** Another resource than the fixture's (e.g. one made by `typedResource`); its fields must include `fields`. */
  resourceId?: string;
}

let seq = 0;

/** A grant of the fixture resource to 教育局 (request, agreement signed by both parties, grant); returns its id. */
export async function insertGrant(h: TestApp, f: SharingFixture, o: GrantOptions = {}): Promise<string> {
  const n = `${Date.now().toString(36)}${++seq}`;
  const requestId = uuidv7();
  const agreementId = uuidv7();
  const grantId = uuidv7();
  const recipient = o.recipient ?? f.edu;
  const base = {
    resource_id: o.resourceId ?? f.resourceId,
    provider_institution_id: f.psb,
    fields: JSON.stringify(o.fields ?? ['sfzh', 'xm', 'qx', 'nl', 'je']),
    row_filter: o.rowFilter ? JSON.stringify(o.rowFilter) : null,
    purpose: '学生资助资格核验',
    purpose_code: o.purposeCode ?? 'edu.aid-check',
    scenario: '核验申请资助学生的户籍信息',
    method: 'interface' as const,
    term_start: o.termStart ?? '2020-01-01',
    term_end: o.termEnd ?? '2099-12-31',
    rate_per_minute: o.ratePerMinute ?? 600,
    rows_per_day: o.rowsPerDay ?? 100_000,
  };
  await h.t.db
    .insertInto('share_requests')
    .values({
      ...base,
      id: requestId,
      number: `T-REQ-${n}`,
      applicant_institution_id: recipient,
      applicant_user_id: f.user.userId,
      legal_basis: '《学生资助资金管理办法》',
      security_measures: '专网访问，最小授权',
      liability_accepted: true,
      share_attribute: 'conditional',
      status: 'granted',
    })
    .execute();
  const text = `数据安全保护协议（测试 ${n}）`;
  const textSm3 = sm3(Buffer.from(text)).toString('hex');
  await h.t.db
    .insertInto('share_agreements')
    .values({ id: agreementId, number: `T-AGR-${n}`, request_id: requestId, text, text_sm3: textSm3, status: 'signed', signed_at: new Date() })
    .execute();
  // Two signature rows (fixture values: the signing itself is the agreements module's, tested there).
  for (const [party, userId, inst] of [
    ['applicant', f.user.userId, recipient],
    ['provider', f.steward.userId, f.psb],
  ] as const) {
    const keyId = uuidv7();
    await h.t.db
      .insertInto('signing_keys')
      .values({ id: keyId, user_id: userId, status: 'revoked', public_key: 'fixture', fingerprint: keyId, kek_id: 'fixture', wrapped: Buffer.alloc(16) })
      .execute();
    await h.t.db
      .insertInto('agreement_signatures')
      .values({
        id: uuidv7(),
        agreement_id: agreementId,
        party,
        institution_id: inst,
        user_id: userId,
        signing_key_id: keyId,
        public_key: 'fixture',
        signature: 'fixture',
        text_sm3: textSm3,
      })
      .execute();
  }
  await h.t.db
    .insertInto('share_grants')
    .values({
      ...base,
      id: grantId,
      number: `T-GRT-${n}`,
      request_id: requestId,
      agreement_id: agreementId,
      recipient_institution_id: recipient,
      aggregate_only: o.aggregateOnly ?? false,
      min_group_size: o.minGroupSize ?? 10,
    })
    .execute();
  return grantId;
}

/** A client credential for the grant, created through the API by the recipient's data user: the bearer token. */
export async function credentialFor(user: Client, grantId: string, name = '资助系统'): Promise<{ token: string; id: string; clientId: string }> {
  const res = await user.request('POST', `/api/share-grants/${grantId}/credentials`, { name });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json();
  return { token: body.token, id: body.credential.id, clientId: body.credential.clientId };
}

/** A field of `typedResource`: [name, data_fields.pi_type, level, pi_sensitive]. */
export type TypedField = readonly [name: string, piType: string | null, level?: string, piSensitive?: boolean];

/**
 * A published, graded resource of `institutionId` whose fields carry PI types (for the LIF-8 association
 * checks, which match fields by PI type). Inserted directly, as the catalog stores it.
 */
export async function typedResource(
  h: TestApp,
  institutionId: string,
  fields: readonly TypedField[],
  o: { name?: string; shareAttribute?: 'unconditional' | 'conditional' | 'not_shared'; level?: string } = {},
): Promise<{ id: string; name: string }> {
  const id = uuidv7();
  const systemId = uuidv7();
  const name = o.name ?? `测试资源${randomBytes(3).toString('hex')}`;
  await h.t.db
    .insertInto('systems')
    .values({
      id: systemId,
      institution_id: institutionId,
      name: `系统${systemId.slice(-6)}`,
      status: 'accepted',
      trusted_terminals: '[]',
      storage_carriers: '[]',
    })
    .execute();
  await h.t.db
    .insertInto('data_resources')
    .values({
      id,
      institution_id: institutionId,
      system_id: systemId,
      name,
      share_attribute: o.shareAttribute ?? 'conditional',
      share_basis: o.shareAttribute === 'unconditional' ? null : '《示范市公共数据管理办法》第十二条',
      open_attribute: 'not_open',
      collection: JSON.stringify({ purpose: '履行法定职责' }),
      published: true,
      level: o.level ?? 'general-3',
      grading_status: 'approved',
    })
    .execute();
  for (const [i, [field, piType, level, piSensitive]] of fields.entries()) {
    await h.t.db
      .insertInto('data_fields')
      .values({
        id: uuidv7(),
        resource_id: id,
        institution_id: institutionId,
        position: i + 1,
        name: field,
        data_type: 'string',
        description: `字段${field}`,
        pi_type: piType,
        pi_sensitive: piSensitive ?? false,
        level: level ?? 'general-2',
      })
      .execute();
  }
  return { id, name };
}
