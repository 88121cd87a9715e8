// The grading scheme (CLS-1, CLS-5) and the determination calculator (CLS-2) through the API: the default
// scheme becomes version 1 on the first read (once, however many reads race), drafts are validated as a
// whole (400 INVALID_SCHEME naming the field) and never half-saved, only a city-level authority
// administrator publishes, every version is kept, and the matrix in force is the one the calculator applies.
// Who may call each route at all is authz-matrix.test.ts; here, what the routes do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';

let h: TestApp;
const c = {} as Record<'admin' | 'cityAdmin' | 'districtAdmin' | 'psbSteward' | 'eduUser' | 'vendor', Client>;

beforeAll(async () => {
  h = await createTestApp();
  c.admin = await h.login('admin');
  c.cityAdmin = await h.login('city.admin');
  c.districtAdmin = await h.login('district.admin');
  c.psbSteward = await h.login('psb.steward');
  c.eduUser = await h.login('edu.user');
  c.vendor = await h.login('vendor.ops1');
});
afterAll(() => h?.close());

async function schemeRows() {
  return h.t.db.selectFrom('grading_schemes').select(['version', 'status', 'name', 'published_by', 'updated_at']).orderBy('version').execute();
}
async function audits(action: string) {
  return h.t.db.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('seq').execute();
}

interface SchemeBody {
  version: number;
  status: string;
  name: string;
  notes: string | null;
  categories: { code: string; name: string; children: SchemeBody['categories'] }[];
  levels: { code: string; zh: string; en: string; rank: number }[];
  matrix: { object: string; degree: string; level: string }[];
  controls: Record<string, { masking: Record<string, string>; watermark: boolean; logRetentionMonths: number; [key: string]: unknown }>;
  publishedAt: string | null;
}

/** The editable parts of a scheme, as the draft editor sends them. */
function draftFrom(s: SchemeBody) {
  return structuredClone({ name: s.name, notes: s.notes, categories: s.categories, matrix: s.matrix, controls: s.controls });
}
let v1: SchemeBody;

describe('the default scheme (CLS-1)', () => {
  it('becomes version 1 on the first read, exactly once even when the first reads race', async () => {
    expect(await schemeRows()).toEqual([]);
    const answers = await Promise.all([c.eduUser, c.psbSteward, c.cityAdmin, c.eduUser, c.admin].map((u) => u.request('GET', '/api/grading/scheme')));
    for (const res of answers) expect(res.statusCode, res.body).toBe(200);
    expect(new Set(answers.map((r) => r.json().version))).toEqual(new Set([1]));
    const rows = await schemeRows();
    expect(rows.map((r) => [r.version, r.status, r.published_by])).toEqual([[1, 'published', null]]);
    const seeded = await audits('catalog.scheme.seed_default');
    expect(seeded).toHaveLength(1);
    expect(seeded[0]).toMatchObject({ actor_username: 'system', actor_user_id: null, outcome: 'success' });
    v1 = answers[0]?.json();
  });

  it('has the category tree, the six levels, the matrix of domain.md §1 and controls for every level', () => {
    expect(v1).toMatchObject({ version: 1, status: 'published', name: expect.stringContaining('GB/T 43697') });
    expect(v1.publishedAt).not.toBeNull();
    expect(v1.levels).toEqual([
      { code: 'core', zh: '核心数据', en: 'Core data', rank: 6 },
      { code: 'important', zh: '重要数据', en: 'Important data', rank: 5 },
      { code: 'general-4', zh: '一般数据（4级）', en: 'General data (level 4)', rank: 4 },
      { code: 'general-3', zh: '一般数据（3级）', en: 'General data (level 3)', rank: 3 },
      { code: 'general-2', zh: '一般数据（2级）', en: 'General data (level 2)', rank: 2 },
      { code: 'general-1', zh: '一般数据（1级）', en: 'General data (level 1)', rank: 1 },
    ]);
    const health = v1.categories.find((s) => s.code === 'health');
    const medical = health?.children.find((s) => s.code === 'health.medical');
    expect(health?.name).toBe('卫生健康');
    expect(medical?.children.find((s) => s.code === 'health.medical.emr')).toEqual({ code: 'health.medical.emr', name: '电子病历', children: [] });
    const hr = v1.categories.find((s) => s.code === 'human_resources');
    expect(hr?.children.find((s) => s.code === 'human_resources.social_insurance')?.children.map((s) => s.name)).toContain('社保参保信息');
    expect(v1.matrix).toHaveLength(18);
    expect(v1.matrix).toContainEqual({ object: 'national_security', degree: 'ordinary', level: 'important' });
    expect(v1.matrix).toContainEqual({ object: 'individual', degree: 'especially_serious', level: 'general-4' });
    expect(Object.keys(v1.controls).sort()).toEqual(['core', 'general-1', 'general-2', 'general-3', 'general-4', 'important']);
    expect(v1.controls.core).toMatchObject({ encryptAtRest: true, aggregateOnly: true, sharingApprovals: 3, openAllowed: false });
  });

  it('is read by every role but vendor operators; an anonymous caller is 401', async () => {
    expect((await c.psbSteward.request('GET', '/api/grading/scheme')).statusCode).toBe(200);
    const vendor = await c.vendor.request('GET', '/api/grading/scheme');
    expect(vendor.statusCode).toBe(403);
    expect(vendor.json().code).toBe('FORBIDDEN');
    expect((await h.app.inject({ method: 'GET', url: '/api/grading/scheme' })).statusCode).toBe(401);
  });
});

describe('POST /api/grading/determine (CLS-2)', () => {
  const determine = (harms: { object: string; degree: string }[], who = c.psbSteward) => who.request('POST', '/api/grading/determine', { harms });

  it('gives the level of domain.md §1 for each harm, and the highest over several', async () => {
    // Hand-reasoned from domain.md §1 (general-2 is the documented sub-level for "general").
    const cases: [{ object: string; degree: string }[], string][] = [
      [[{ object: 'national_security', degree: 'especially_serious' }], 'core'],
      [[{ object: 'national_security', degree: 'serious' }], 'core'],
      [[{ object: 'national_security', degree: 'ordinary' }], 'important'],
      [[{ object: 'economy', degree: 'especially_serious' }], 'core'],
      [[{ object: 'social_order', degree: 'serious' }], 'important'],
      [[{ object: 'public_interest', degree: 'ordinary' }], 'general-2'],
      [[{ object: 'organization', degree: 'especially_serious' }], 'general-4'],
      [[{ object: 'individual', degree: 'serious' }], 'general-3'],
      [[{ object: 'individual', degree: 'ordinary' }], 'general-2'],
      [
        [
          { object: 'individual', degree: 'especially_serious' },
          { object: 'economy', degree: 'serious' },
        ],
        'important',
      ],
    ];
    for (const [harms, level] of cases) {
      const res = await determine(harms);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().level, JSON.stringify(harms)).toBe(level);
    }
    const both = await determine([
      { object: 'organization', degree: 'serious' },
      { object: 'social_order', degree: 'ordinary' },
    ]);
    expect(both.json()).toEqual({
      level: 'general-3',
      basis: [
        { object: 'organization', degree: 'serious', level: 'general-3' },
        { object: 'social_order', degree: 'ordinary', level: 'general-2' },
      ],
    });
  });

  it('refuses the same object twice, no harms and unknown values, each with the field named', async () => {
    const twice = await determine([
      { object: 'individual', degree: 'serious' },
      { object: 'individual', degree: 'ordinary' },
    ]);
    expect(twice.statusCode).toBe(400);
    expect(twice.json()).toMatchObject({ code: 'DUPLICATE_HARM', details: { field: 'harms.1.object' } });
    expect(twice.json().message).toContain('个人权益');
    const none = await determine([]);
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'harms' } });
    const unknown = await determine([{ object: 'nation', degree: 'serious' }]);
    expect(unknown.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'harms.0.object' } });
    expect((await determine([{ object: 'economy', degree: 'serious' }], c.vendor)).statusCode).toBe(403);
  });
});

describe('drafts (PUT/DELETE /api/grading/schemes/draft)', () => {
  it('a city administrator saves a draft as the next version; saving again replaces it; both audited', async () => {
    const body = draftFrom(v1);
    body.name = '示范市公共数据分类分级规则（2026 修订）';
    // The authority grades ordinary harm to the economy one step higher.
    body.matrix = body.matrix.map((e) => (e.object === 'economy' && e.degree === 'ordinary' ? { ...e, level: 'general-3' } : e));
    body.categories[0]?.children.push({ code: 'general_government.archives', name: '档案信息', children: [] });
    const res = await c.cityAdmin.request('PUT', '/api/grading/schemes/draft', body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ version: 2, status: 'draft', name: body.name, publishedAt: null });
    expect(res.json().categories[0].children.at(-1)).toEqual({ code: 'general_government.archives', name: '档案信息', children: [] });

    body.notes = '征求意见稿';
    const again = await c.cityAdmin.request('PUT', '/api/grading/schemes/draft', body);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ version: 2, status: 'draft', notes: '征求意见稿' });
    expect((await schemeRows()).map((r) => [r.version, r.status])).toEqual([
      [1, 'published'],
      [2, 'draft'],
    ]);
    const saved = await audits('catalog.scheme.draft_save');
    expect(
      saved.map((a) => [a.actor_username, (a.details as { version: number; created: boolean }).version, (a.details as { created: boolean }).created]),
    ).toEqual([
      ['city.admin', 2, true],
      ['city.admin', 2, false],
    ]);
    // The draft is not in force: the calculator still applies version 1.
    const d = await c.psbSteward.request('POST', '/api/grading/determine', { harms: [{ object: 'economy', degree: 'ordinary' }] });
    expect(d.json().level).toBe('general-2');
  });

  it('refuses an invalid draft with 400 INVALID_SCHEME naming the field, and leaves the saved draft as it was', async () => {
    const before = await schemeRows();
    const cases: [string, (b: ReturnType<typeof draftFrom>) => void, string, string][] = [
      [
        'a matrix cell missing',
        (b) => {
          b.matrix = b.matrix.filter((e) => !(e.object === 'public_interest' && e.degree === 'serious'));
        },
        'matrix',
        'MATRIX_MISSING',
      ],
      [
        'a category code twice',
        (b) => {
          b.categories.push({ code: 'health', name: '卫生', children: [] });
        },
        `categories.${v1.categories.length}.code`,
        'CATEGORY_CODE_DUPLICATE',
      ],
      [
        'a malformed category code',
        (b) => {
          (b.categories[1] as { code: string }).code = 'Public Security';
        },
        'categories.1.code',
        'CATEGORY_CODE_INVALID',
      ],
      [
        "a child code outside its parent's",
        (b) => {
          b.categories[0]?.children.push({ code: 'health.archives', name: '档案', children: [] });
        },
        `categories.0.children.${v1.categories[0]?.children.length}.code`,
        'CATEGORY_CODE_NOT_UNDER_PARENT',
      ],
      [
        'a level without controls',
        (b) => {
          delete b.controls['general-1'];
        },
        'controls.general-1',
        'CONTROLS_MISSING',
      ],
      [
        'important data protected less than general-4',
        (b) => {
          b.controls.important.watermark = false;
        },
        'controls.important.watermark',
        'CONTROLS_WEAKER_THAN_LOWER',
      ],
      [
        'milder harm graded higher',
        (b) => {
          b.matrix = b.matrix.map((e) => (e.object === 'organization' && e.degree === 'ordinary' ? { ...e, level: 'important' } : e));
        },
        `matrix.${v1.matrix.findIndex((e) => e.object === 'organization' && e.degree === 'ordinary')}.level`,
        'MATRIX_NOT_MONOTONIC',
      ],
    ];
    for (const [label, change, field, code] of cases) {
      const body = draftFrom(v1);
      change(body);
      const res = await c.cityAdmin.request('PUT', '/api/grading/schemes/draft', body);
      expect(res.statusCode, label).toBe(400);
      expect(res.json(), label).toMatchObject({ code: 'INVALID_SCHEME', details: { field } });
      expect(res.json().details.errors[0], label).toMatchObject({ field, code });
    }
    const en = await c.cityAdmin.request('PUT', '/api/grading/schemes/draft', { ...draftFrom(v1), matrix: [] }, { 'accept-language': 'en' });
    expect(en.json().message).toBe('Invalid grading scheme: matrix: the matrix has no level for national_security × especially_serious (and 17 more)');
    const zh = await c.cityAdmin.request('PUT', '/api/grading/schemes/draft', { ...draftFrom(v1), matrix: [] });
    expect(zh.json().message).toBe('分类分级规则有误：定级矩阵缺少“国家安全 × 特别严重危害”的级别（另有 17 处问题）');
    expect(await schemeRows()).toEqual(before);
  });

  it('refuses malformed bodies with VALIDATION_FAILED naming the field', async () => {
    const extra = await c.cityAdmin.request('PUT', '/api/grading/schemes/draft', { ...draftFrom(v1), levels: [] });
    expect(extra.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'levels' } });
    const long = await c.cityAdmin.request('PUT', '/api/grading/schemes/draft', { ...draftFrom(v1), name: '规'.repeat(101) });
    expect(long.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'name', rule: 'maxLength' } });
    const badMode = draftFrom(v1);
    badMode.controls.core.masking.display = 'blur';
    const mode = await c.cityAdmin.request('PUT', '/api/grading/schemes/draft', badMode);
    expect(mode.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'controls.core.masking.display' } });
    const shortRetention = draftFrom(v1);
    shortRetention.controls['general-1'].logRetentionMonths = 3;
    const retention = await c.cityAdmin.request('PUT', '/api/grading/schemes/draft', shortRetention);
    expect(retention.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'controls.general-1.logRetentionMonths', rule: 'minimum' } });
  });

  it('shows the draft to scheme managers only', async () => {
    const mine = await c.cityAdmin.request('GET', '/api/grading/schemes');
    expect(mine.json().map((s: { version: number; status: string }) => [s.version, s.status])).toEqual([
      [2, 'draft'],
      [1, 'published'],
    ]);
    expect(mine.json()[1].categoryCount).toBeGreaterThan(100);
    const theirs = await c.eduUser.request('GET', '/api/grading/schemes');
    expect(theirs.json().map((s: { version: number }) => s.version)).toEqual([1]);
    expect((await c.eduUser.request('GET', '/api/grading/schemes/2')).statusCode).toBe(404);
    expect((await c.cityAdmin.request('GET', '/api/grading/schemes/2')).json()).toMatchObject({ version: 2, status: 'draft' });
    expect((await c.eduUser.request('GET', '/api/grading/schemes/1')).json()).toMatchObject({ version: 1, status: 'published' });
    expect((await c.eduUser.request('GET', '/api/grading/schemes/99')).statusCode).toBe(404);
    expect((await c.eduUser.request('GET', '/api/grading/schemes/x')).json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'version' } });
  });

  it('refuses drafts from those without scheme.manage, changing nothing', async () => {
    const before = await schemeRows();
    for (const who of [c.admin, c.psbSteward, c.eduUser]) {
      expect((await who.request('PUT', '/api/grading/schemes/draft', draftFrom(v1))).statusCode, who.username).toBe(403);
      expect((await who.request('DELETE', '/api/grading/schemes/draft')).statusCode, who.username).toBe(403);
      expect((await who.request('POST', '/api/grading/schemes/draft/publish')).statusCode, who.username).toBe(403);
    }
    expect(await schemeRows()).toEqual(before);
  });
});

describe('publishing (POST /api/grading/schemes/draft/publish)', () => {
  it('is refused to a district administrator: the scheme serves the whole platform', async () => {
    const before = await schemeRows();
    const res = await c.districtAdmin.request('POST', '/api/grading/schemes/draft/publish');
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CITY_LEVEL_REQUIRED');
    expect(res.json().message).toContain('市级');
    expect(await schemeRows()).toEqual(before);
    expect(await audits('catalog.scheme.publish')).toHaveLength(0);
  });

  it('puts the draft in force as version 2 and supersedes version 1; the calculator follows', async () => {
    const res = await c.cityAdmin.request('POST', '/api/grading/schemes/draft/publish');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ version: 2, status: 'published', name: '示范市公共数据分类分级规则（2026 修订）' });
    expect(res.json().publishedAt).not.toBeNull();
    const rows = await schemeRows();
    expect(rows.map((r) => [r.version, r.status])).toEqual([
      [1, 'superseded'],
      [2, 'published'],
    ]);
    expect(rows[1]?.published_by).toBe(c.cityAdmin.userId);
    const published = await audits('catalog.scheme.publish');
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ actor_username: 'city.admin', target_type: 'grading_scheme' });
    expect(published[0]?.details).toMatchObject({ version: 2, previousVersion: 1 });

    expect((await c.eduUser.request('GET', '/api/grading/scheme')).json().version).toBe(2);
    const d = await c.psbSteward.request('POST', '/api/grading/determine', { harms: [{ object: 'economy', degree: 'ordinary' }] });
    expect(d.json().level).toBe('general-3');
    // Version 1 stays readable as it was.
    const old = (await c.eduUser.request('GET', '/api/grading/schemes/1')).json();
    expect(old).toMatchObject({ status: 'superseded', matrix: v1.matrix, categories: v1.categories });
  });

  it('with no draft: publishing and discarding are 404', async () => {
    const pub = await c.cityAdmin.request('POST', '/api/grading/schemes/draft/publish');
    expect(pub.statusCode).toBe(404);
    expect(pub.json().message).toBe('分类分级规则草稿不存在');
    expect((await c.cityAdmin.request('DELETE', '/api/grading/schemes/draft')).statusCode).toBe(404);
  });

  it('a new draft takes version 3; a district administrator may not touch it; discarding it leaves version 2 in force', async () => {
    const current = (await c.cityAdmin.request('GET', '/api/grading/scheme')).json();
    // One draft serves the platform: a district authority neither writes nor discards it.
    const district = await c.districtAdmin.request('PUT', '/api/grading/schemes/draft', { ...draftFrom(current), name: '区局建议稿' });
    expect(district.statusCode).toBe(403);
    expect(district.json().code).toBe('CITY_LEVEL_REQUIRED');
    const save = await c.cityAdmin.request('PUT', '/api/grading/schemes/draft', { ...draftFrom(current), name: '市局修订稿' });
    expect(save.statusCode, save.body).toBe(200);
    expect(save.json()).toMatchObject({ version: 3, status: 'draft' });
    expect((await c.districtAdmin.request('DELETE', '/api/grading/schemes/draft')).statusCode).toBe(403);
    const del = await c.cityAdmin.request('DELETE', '/api/grading/schemes/draft');
    expect(del.statusCode).toBe(204);
    expect((await schemeRows()).map((r) => [r.version, r.status])).toEqual([
      [1, 'superseded'],
      [2, 'published'],
    ]);
    const discarded = await audits('catalog.scheme.draft_discard');
    expect(discarded.map((a) => [a.actor_username, (a.details as { version: number }).version])).toEqual([['city.admin', 3]]);
    expect((await c.eduUser.request('GET', '/api/grading/scheme')).json().version).toBe(2);
  });
});
