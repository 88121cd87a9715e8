// The authorization matrix (PRT-1, PRT-2, ORG-6): every route × every role × own / other institution, with
// the exact status each must get. The table is keyed by "METHOD url" and checked against the app's own route
// table first, so a route added without a row here fails this file.
//
// The expected statuses are written out by hand from the rules (roles.ts: permissions, where each role
// reaches; access.ts: out of scope is 404, in scope without the permission is 403; the API contract), never
// computed from the product's permission functions: if those functions are wrong, this table says so.
//
// Reading a row: each principal has sides, the institution its request is aimed at.
//   own      the principal's own institution (vendor staff: the institution they operate for)
//   granted  (regulator auditor only) an institution its regulator holds a read grant for
//   other    an institution outside the principal's reach: a neighbouring city for city-level principals
//            (only the platform administrator reaches it), the city for the district admin, another
//            city institution for institution staff
// A cell is [own, other] (the regulator auditor: [own, granted, other]) or one value for every side. List
// routes answer 'sees' / 'hidden': 200, and the side's record is / is not in the answer.
//
// Beyond the status, every request is checked for: refused mutations change nothing (a fingerprint of every
// table but the audit log before and after), successful ones change something (a POST that only computes,
// marked readOnly, changes nothing whatever it answers), 404 answers are NOT_FOUND and carry none of the
// target's data. One login per account, target records created once in beforeAll; a success that uses a
// record up (a delete, an assignment) is put back before the next request.
//
// The catalog (docs/catalog-contract.md) has the same sides. Every site holds one of each catalog record a
// row needs (Site.cat: a registered system, a draft, a filing awaiting review, an unpublished resource, a
// grading awaiting approval, an asset check with an open finding), inserted in beforeAll. The targets are
// unpublished, so another institution's are out of reach (404), never part of the shared catalog.
import { createHash, randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/db/ids.ts';
import { sm3 } from '../../src/engines/gm/index.ts';
import { defaultScheme } from '../../src/engines/grading/index.ts';
import { recordAudit } from '../../src/modules/audit/audit.recorder.ts';
import { totpCode } from '../../src/modules/auth/totp.ts';
import { DEMO_DATA_PULL_HOSTS, DEMO_PASSWORD } from '../../src/modules/org/demo-city.ts';
import { DEFAULT_SECURITY_POLICY } from '../../src/modules/settings/security-policy.ts';
import { type Client, createTestApp, type TestApp } from '../helpers/app.ts';

type Side = 'own' | 'granted' | 'other';
type SiteKey = 'city' | 'neighbour' | 'district' | 'psb' | 'edu' | 'health' | 'cac';
type Exp = number | 'sees' | 'hidden';
type Cell = Exp | [Exp, Exp] | [Exp, Exp, Exp];

const PRINCIPALS = {
  platform_admin: {
    username: 'admin',
    sites: { own: 'city', other: 'neighbour' },
  },
  authority_admin_city: {
    username: 'city.admin',
    sites: { own: 'city', other: 'neighbour' },
  },
  authority_admin_district: {
    username: 'district.admin',
    sites: { own: 'district', other: 'city' },
  },
  authority_officer: {
    username: 'city.officer',
    sites: { own: 'city', other: 'neighbour' },
  },
  institution_admin: {
    username: 'psb.admin',
    sites: { own: 'psb', other: 'edu' },
  },
  security_officer: {
    username: 'psb.security',
    sites: { own: 'psb', other: 'edu' },
  },
  data_steward: {
    username: 'psb.steward',
    sites: { own: 'psb', other: 'edu' },
  },
  data_user: { username: 'edu.user', sites: { own: 'edu', other: 'psb' } },
  auditor_internal: {
    username: 'city.auditor',
    sites: { own: 'city', other: 'neighbour' },
  },
  auditor_regulator: {
    username: 'cac.auditor',
    sites: { own: 'cac', granted: 'psb', other: 'edu' },
  },
  vendor_operator: {
    username: 'vendor.ops1',
    sites: { own: 'psb', other: 'health' },
  },
  anonymous: { username: null, sites: { own: 'city', other: 'neighbour' } },
} as const satisfies Record<string, { username: string | null; sites: Partial<Record<Side, SiteKey>> }>;
type P = keyof typeof PRINCIPALS;
const PRINCIPAL_KEYS = Object.keys(PRINCIPALS) as P[];
const sidesOf = (p: P) => Object.keys(PRINCIPALS[p].sites) as Side[];

/** Where records live. `regulator` is the regulator the read-grant routes address for this site, `grant` a read grant it holds. */
interface Site {
  inst: string;
  name: string;
  /** A person employed here, holding no role: the target of the user routes. */
  user: { id: string; username: string };
  /** A person employed here holding data_user here: the target of role removal. */
  holder: { id: string; username: string };
  regulator: string;
  grant: { regulator: string; institution: string };
  /** An audit event about this institution. */
  marker: string;
  /** An open alert of this institution (AUD-3). */
  alert: string;
  /** The catalog records of this institution (seedCatalog). */
  cat: CatalogSite;
}

/** One of each catalog record the rows address, at one institution; all unpublished. */
interface CatalogSite {
  /** A registered system (accepted registration filing), DG-8 complete: changes, closure, resources. */
  system: { id: string; name: string };
  /** A complete draft registration: edited and submitted. */
  draft: { id: string; name: string };
  /** A submitted system and its registration filing awaiting review, filed by the site's plain user. */
  review: { id: string; name: string; filing: string };
  /** An ungraded resource of `system` with two fields and a PI declaration. */
  resource: { id: string; name: string };
  /** A resource of `system` with a grading awaiting approval, proposed by the site's plain user. */
  graded: { id: string; name: string; grading: string };
  /** An asset check with one open finding. */
  check: { id: string; finding: string };
  /** A queued background job of the matrix's own kind (read: catalog.read, cancel: catalog.manage). */
  job: string;
}

interface PrincipalState {
  password: string;
  pendingPassword?: string;
  totpSecret?: string;
  totpStep?: number;
}

interface Ctx {
  p: P;
  side: Side;
  site: Site;
  /** The caller's user ID (anonymous: a stranger's, for routes about "my" records). */
  userId: string;
  state: PrincipalState;
}

interface Req {
  method: string;
  url: string;
  body?: unknown;
  /** List routes: the ID whose presence in a 200 answer makes the cell 'sees'. */
  probe?: string;
  /** Strings that must not appear in a refusal (the target's name, user name). */
  secrets?: string[];
  /** Request headers (the catalog import's content-type: its body is the file itself). */
  headers?: Record<string, string>;
}

interface Entry {
  /** false: the route has no institution target; one request per principal. */
  sided?: boolean;
  /** A POST that only computes (the level calculator): it changes nothing, whatever it answers. */
  readOnly?: boolean;
  req(ctx: Ctx): Promise<Req> | Req;
  /** Puts back what a success used up, so the next principal's request is valid again. */
  undo?(ctx: Ctx, res: LightMyRequestResponse): Promise<void>;
  /** Remembers what a success returned (e.g. a TOTP secret) for a later row. */
  after?(ctx: Ctx, res: LightMyRequestResponse): void;
  expect: Record<P, Cell>;
}

// Common rows, spelled out once. Columns follow PRINCIPALS.
const everyone = (status: number): Record<P, Cell> => ({
  platform_admin: status,
  authority_admin_city: status,
  authority_admin_district: status,
  authority_officer: status,
  institution_admin: status,
  security_officer: status,
  data_steward: status,
  data_user: status,
  auditor_internal: status,
  auditor_regulator: status,
  vendor_operator: status,
  anonymous: 401,
});
/** Self-service on a record of one's own ("own") or of somebody else ("other": 404, never 403). */
const mineOnly = (status: number): Record<P, Cell> => {
  const row = everyone(0);
  for (const p of PRINCIPAL_KEYS) row[p] = p === 'anonymous' ? 401 : p === 'auditor_regulator' ? [status, 404, 404] : [status, 404];
  return row;
};

let h: TestApp;
/** A PostgreSQL table the dataset pull row loads from (the test database itself). */
let MATRIX_PULL_URL = '';
/** A job kind for the job routes' rows: no worker runs it, so its jobs stay queued. */
const MATRIX_JOB = 'matrix.job';
const clients = new Map<P, Client>();
const state = new Map<P, PrincipalState>();
const sites = {} as Record<SiteKey, Site>;
let stranger: { userId: string; sessionId: string; tokenId: string };
let seq = 0;
const next = () => `${Date.now().toString(36)}${(++seq).toString(36)}`;

const db = () => h.t.db;
async function grantId(g: { regulator: string; institution: string }): Promise<string> {
  const row = await db()
    .selectFrom('regulator_read_grants')
    .select('id')
    .where('regulator_id', '=', g.regulator)
    .where('institution_id', '=', g.institution)
    .executeTakeFirstOrThrow();
  return row.id;
}
async function insertUser(username: string, institutionId: string): Promise<{ id: string; username: string }> {
  const id = uuidv7();
  await db()
    .insertInto('users')
    .values({
      id,
      username,
      display_name: `矩阵目标 ${username}`,
      institution_id: institutionId,
      password_hash: '!',
    })
    .execute();
  return { id, username };
}
async function insertSession(userId: string): Promise<string> {
  const id = createHash('sha256').update(randomBytes(32)).digest('hex');
  await db()
    .insertInto('sessions')
    .values({
      id,
      user_id: userId,
      csrf_token: 'x',
      expires_at: new Date(Date.now() + 3600_000),
    })
    .execute();
  return id;
}
async function insertToken(userId: string): Promise<string> {
  const id = uuidv7();
  await db()
    .insertInto('api_tokens')
    .values({
      id,
      user_id: userId,
      name: 'matrix',
      token_hash: randomBytes(32).toString('hex'),
      prefix: 'shuan_xxxxxx',
      scopes: ['institution.read'],
      expires_at: new Date(Date.now() + 86400_000),
    })
    .execute();
  return id;
}

/** Removes a site resource's loaded dataset (and the key its load created), so each row starts from none. */
async function undoDataset(resourceId: string): Promise<void> {
  await db().deleteFrom('dataset_rows').where('resource_id', '=', resourceId).execute();
  await db().deleteFrom('dataset_versions').where('resource_id', '=', resourceId).execute();
  await db().deleteFrom('datasets').where('resource_id', '=', resourceId).execute();
  await db().deleteFrom('data_keys').where('resource_id', '=', resourceId).execute();
}

// ── audit reports (AUD-4, AUD-5) ─────────────────────────────────────────────────────────────────────
/** A report period around now, as the report routes take it. */
const reportPeriod = () =>
  `from=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`;

/** An archived audit report of an institution, inserted fresh for each request that needs one (they are append-only). */
async function insertReport(institutionId: string): Promise<string> {
  const id = uuidv7();
  const now = new Date();
  const counts = { total: 0, success: 0, failure: 0, denied: 0 };
  const nil = { eventsInPeriod: 0, chainedInPeriod: 0, pendingInPeriod: 0 };
  const alertCounts = { raised: 0, closed: 0, pending: 0, overdue: 0 };
  const summary = {
    institution: { id: institutionId, name: 'matrix' },
    scope: { institutions: 1, cityWide: false },
    period: { from: now.toISOString(), to: now.toISOString(), firstDay: '2026-01-01', lastDay: '2026-01-01' },
    generatedAt: now.toISOString(),
    generatedBy: { id: uuidv7(), displayName: 'matrix' },
    activity: { totals: counts, actors: 0, groups: [] },
    privileged: { total: 0, byKind: [], listLimit: 0, events: [] },
    vendor: { totals: counts, users: [], listLimit: 0, events: [] },
    alerts: { ...alertCounts, meanHandlingHours: null, meanResponseHours: null, bySeverity: [], byRule: [], listLimit: 0, items: [] },
    integrity: { method: 'checkpoint', ok: null, checkedEvents: null, checkpoints: null, firstBroken: null, head: null, latestCheckpoint: null, ...nil },
  };
  await db()
    .insertInto('audit_reports')
    .values({
      id,
      institution_id: institutionId,
      period_from: new Date(now.getTime() - 86_400_000),
      period_to: now,
      generated_by: null,
      summary: JSON.stringify(summary),
      file_name: 'matrix.xlsx',
      xlsx: Buffer.from('matrix'),
      xlsx_sm3: createHash('sha256').update(id).digest('hex'),
    })
    .execute();
  return id;
}

/** Every table a request could change, except the audit log (refusals may be audited) and session touch times. */
async function fingerprint(): Promise<string> {
  const r = await sql<{ f: string }>`
    SELECT md5(string_agg(x, '|' ORDER BY x)) AS f FROM (
      SELECT 'i' || t::text AS x FROM institutions t
      UNION ALL SELECT 'u' || t::text FROM users t
      UNION ALL SELECT 'r' || t::text FROM role_assignments t
      UNION ALL SELECT 'g' || t::text FROM regulator_read_grants t
      UNION ALL SELECT 'h' || t::text FROM password_history t
      UNION ALL SELECT 's' || (t.id, t.user_id, t.csrf_token, t.expires_at, t.ended_at, t.end_reason)::text FROM sessions t
      UNION ALL SELECT 'k' || (t.id, t.user_id, t.name, t.scopes, t.expires_at, t.revoked_at)::text FROM api_tokens t
      UNION ALL SELECT 'c' || t::text FROM settings t
      UNION ALL SELECT 'w' || t::text FROM workday_schedules t
      UNION ALL SELECT 'gs' || t::text FROM grading_schemes t
      UNION ALL SELECT 'sy' || t::text FROM systems t
      UNION ALL SELECT 'sf' || t::text FROM system_filings t
      UNION ALL SELECT 'ac' || t::text FROM asset_checks t
      UNION ALL SELECT 'af' || t::text FROM asset_check_findings t
      UNION ALL SELECT 'dr' || t::text FROM data_resources t
      UNION ALL SELECT 'df' || t::text FROM data_fields t
      UNION ALL SELECT 'rg' || t::text FROM resource_gradings t
      UNION ALL SELECT 'dk' || t::text FROM data_keys t
      UNION ALL SELECT 'pk' || t::text FROM platform_keys t WHERE t.purpose <> 'audit.signing'
      UNION ALL SELECT 'ds' || (t.resource_id, t.version, t.row_count, t.content_hash)::text FROM datasets t
      UNION ALL SELECT 'dv' || t::text FROM dataset_versions t
      UNION ALL SELECT 'dr' || (t.id, t.row_digest)::text FROM dataset_rows t
      UNION ALL SELECT 'mp' || t::text FROM masking_policies t
      UNION ALL SELECT 'de' || (t.id, t.recipient)::text FROM deliveries t
      UNION ALL SELECT 'jb' || (t.id, t.status, t.cancel_requested)::text FROM jobs t
      UNION ALL SELECT 'dz' || t::text FROM discovery_recognizers t
      UNION ALL SELECT 'aa' || t::text FROM audit_alerts t
      UNION ALL SELECT 'aq' || t::text FROM audit_alert_rules t
      UNION ALL SELECT 'ar' || (t.id, t.institution_id, t.xlsx_sm3)::text FROM audit_reports t
      UNION ALL SELECT 'av' || t::text FROM audit_vendor_reviews t
      UNION ALL SELECT 'od' || (t.id, t.status, t.checks, t.checks_passed, t.current_file_id, t.version)::text FROM open_data_releases t
      UNION ALL SELECT 'of' || (t.id, t.sm3)::text FROM open_data_files t
      UNION ALL SELECT 'oc' || (t.id, t.kind)::text FROM open_data_changes t
      UNION ALL SELECT 'dd' || t::text FROM deletion_duties t
      UNION ALL SELECT 'er' || t::text FROM error_reports t
      UNION ALL SELECT 'rq' || t::text FROM share_requests t
      UNION ALL SELECT 'rs' || t::text FROM share_request_steps t
      UNION ALL SELECT 're' || (t.id, t.answer, t.answered_by, t.file_sm3)::text FROM share_request_evidence t
      UNION ALL SELECT 'ra' || t::text FROM share_agreements t
      UNION ALL SELECT 'rn' || t::text FROM agreement_signatures t
      UNION ALL SELECT 'rk' || (t.id, t.user_id, t.status)::text FROM signing_keys t
      UNION ALL SELECT 'sg' || (t.id, t.status, t.status_reason)::text FROM share_grants t
      UNION ALL SELECT 'gc' || (t.id, t.status)::text FROM grant_credentials t
    ) s`.execute(db());
  return r.rows[0]?.f ?? '';
}

/** An open alert of the institution (AUD-3), as the processor would raise it. */
async function insertAlert(key: string, institutionId: string): Promise<string> {
  const id = uuidv7();
  const now = new Date();
  await db()
    .insertInto('audit_alerts')
    .values({
      id,
      rule: 'privilege_change',
      dedupe_key: `matrix:${key}`,
      severity: 'low',
      status: 'open',
      institution_id: institutionId,
      owner_user_id: null,
      subject_user_id: null,
      subject_username: 'matrix',
      summary_zh: `矩阵告警 ${key}`,
      summary_en: `matrix alert ${key}`,
      details: '{}',
      event_ids: [],
      first_event_at: now,
      last_event_at: now,
      due_at: new Date(now.getTime() + 7 * 86400_000),
    })
    .execute();
  return id;
}

/** Puts a site's alert back to open after a row acknowledged or closed it. */
async function reopenAlert(id: string): Promise<void> {
  await db()
    .updateTable('audit_alerts')
    .set({ status: 'open', acknowledged_by: null, acknowledged_at: null, closed_by: null, closed_at: null, resolution: null })
    .where('id', '=', id)
    .execute();
}

// ── catalog records ──────────────────────────────────────────────────────────────────────────────────
// Inserted directly (valid per 0002_catalog and the services' rules): the API would need a filing and a
// review per system, a proposal per grading. Dates lie in 2025, a year with a built-in holiday schedule.

/** The day the systems went into operation, and the DG-8 deadline 15 working days later. */
const EVENT_DATE = '2025-09-26';
const EVENT_DEADLINE = '2025-10-23';
/** A category of the default scheme, and a harm the matrix grades general-2 (the level chosen). */
const CATEGORY = 'general_government.population.household';
const HARM = { object: 'individual', degree: 'ordinary' } as const;
const LEVEL = 'general-2';

/** The DG-8 facts a registration needs (security lead, measures, assessment, audit, MLPS level, hosting). */
const DG8 = {
  securityLead: { name: '矩阵安全负责人', phone: '0591-87000000' },
  securityMeasures: '访问控制、日志审计、数据加密',
  assessmentResult: '尚未开展',
  auditConclusion: '尚未开展',
  mlpsLevel: 2,
  hosting: 'government_cloud',
};

async function insertSystem(institutionId: string, name: string, status: string): Promise<string> {
  const id = uuidv7();
  await db()
    .insertInto('systems')
    .values({
      id,
      institution_id: institutionId,
      name,
      status,
      security_lead: JSON.stringify(DG8.securityLead),
      security_measures: DG8.securityMeasures,
      assessment_result: DG8.assessmentResult,
      audit_conclusion: DG8.auditConclusion,
      mlps_level: DG8.mlpsLevel,
      hosting: DG8.hosting,
      trusted_terminals: '[]',
      storage_carriers: '[]',
    })
    .execute();
  return id;
}

async function insertRegistration(
  systemId: string,
  institutionId: string,
  name: string,
  reviewStatus: 'pending' | 'accepted',
  filedBy: string,
): Promise<string> {
  const id = uuidv7();
  const snapshot = {
    name,
    description: null,
    ...DG8,
    assessmentOn: null,
    mlpsFilingNo: null,
    mlpsEvaluatedOn: null,
    cryptoStatus: 'not_applied',
    cryptoAssessedOn: null,
    cii: false,
    trustedTerminals: [],
    storageCarriers: [],
    lastVulnScanOn: null,
    resources: [],
    changedFields: [],
  };
  await db()
    .insertInto('system_filings')
    .values({
      id,
      system_id: systemId,
      institution_id: institutionId,
      version: 1,
      kind: 'registration',
      event_date: EVENT_DATE,
      deadline: EVENT_DEADLINE,
      late: true,
      summary: null,
      snapshot: JSON.stringify(snapshot),
      filed_by: filedBy,
      review_status: reviewStatus,
      ...(reviewStatus === 'accepted' ? { reviewed_by: null, reviewed_at: new Date(), review_reason: null } : {}),
    })
    .execute();
  return id;
}

async function insertResource(institutionId: string, systemId: string, name: string, gradingStatus: 'ungraded' | 'pending'): Promise<string> {
  const id = uuidv7();
  await db()
    .insertInto('data_resources')
    .values({
      id,
      institution_id: institutionId,
      system_id: systemId,
      name,
      description: '矩阵测试资源',
      update_frequency: 'daily',
      record_count: 1000,
      share_attribute: 'conditional',
      share_basis: '依《公共数据资源管理办法》按需共享',
      open_attribute: 'not_open',
      retention_months: 60,
      collection: JSON.stringify({ purpose: '业务办理', legalBasis: '依职责采集', method: '窗口登记', frequency: '实时', scope: '办事群众' }),
      pi_records: 1000,
      pi_people: 800,
      pi_sensitive: false,
      pi_source: 'declared',
      published: false,
      grading_status: gradingStatus,
    })
    .execute();
  await db()
    .insertInto('data_fields')
    .values([
      { id: uuidv7(), resource_id: id, institution_id: institutionId, position: 1, name: '姓名', data_type: 'string', description: null },
      { id: uuidv7(), resource_id: id, institution_id: institutionId, position: 2, name: '登记日期', data_type: 'date', description: null },
    ])
    .execute();
  return id;
}

async function seedCatalog(key: SiteKey, institutionId: string, plainUser: string, schemeVersion: number): Promise<CatalogSite> {
  const d = db();
  const systemName = `矩阵已登记系统 ${key}`;
  const system = await insertSystem(institutionId, systemName, 'accepted');
  await insertRegistration(system, institutionId, systemName, 'accepted', plainUser);
  await d.updateTable('systems').set({ version: 3 }).where('id', '=', system).execute();

  const draftName = `矩阵草稿系统 ${key}`;
  const draft = await insertSystem(institutionId, draftName, 'draft');

  const reviewName = `矩阵待审核系统 ${key}`;
  const review = await insertSystem(institutionId, reviewName, 'submitted');
  const filing = await insertRegistration(review, institutionId, reviewName, 'pending', plainUser);
  await d.updateTable('systems').set({ version: 2 }).where('id', '=', review).execute();

  const resourceName = `矩阵数据资源 ${key}`;
  const resource = await insertResource(institutionId, system, resourceName, 'ungraded');
  const gradedName = `矩阵待审定级资源 ${key}`;
  const graded = await insertResource(institutionId, system, gradedName, 'pending');
  const grading = uuidv7();
  await d
    .insertInto('resource_gradings')
    .values({
      id: grading,
      resource_id: graded,
      institution_id: institutionId,
      scheme_version: schemeVersion,
      categories: [CATEGORY],
      harms: JSON.stringify([{ ...HARM, reason: '涉及个人身份信息', level: LEVEL }]),
      proposed_level: LEVEL,
      chosen_level: LEVEL,
      override_reason: null,
      field_labels: '[]',
      status: 'pending',
      graded_by: plainUser,
    })
    .execute();

  const check = uuidv7();
  await d
    .insertInto('asset_checks')
    .values({ id: check, institution_id: institutionId, checked_by: null, checked_on: '2025-10-09', scope: '矩阵核查' })
    .execute();
  const finding = uuidv7();
  await d
    .insertInto('asset_check_findings')
    .values({ id: finding, check_id: check, institution_id: institutionId, system_id: system, description: `矩阵核查发现 ${key}` })
    .execute();

  const job = uuidv7();
  await d
    .insertInto('jobs')
    .values({ id: job, kind: MATRIX_JOB, institution_id: institutionId, resource_id: resource, params: '{}', status: 'queued' })
    .execute();

  return {
    job,
    system: { id: system, name: systemName },
    draft: { id: draft, name: draftName },
    review: { id: review, name: reviewName, filing },
    resource: { id: resource, name: resourceName },
    graded: { id: graded, name: gradedName, grading },
    check: { id: check, finding },
  };
}

/** The one draft scheme, a copy of the published content, made if there is none (publish and discard use it up). */
async function ensureSchemeDraft(): Promise<void> {
  await sql`
    INSERT INTO grading_schemes (id, version, status, name, categories, levels, matrix, controls, notes)
    SELECT ${uuidv7()}, (SELECT max(version) + 1 FROM grading_schemes), 'draft', ${`矩阵规则草稿 ${next()}`}, categories, levels, matrix, controls, notes
      FROM grading_schemes
     WHERE status = 'published' AND NOT EXISTS (SELECT 1 FROM grading_schemes WHERE status = 'draft')`.execute(db());
}

async function rowVersion(table: 'systems' | 'data_resources', id: string): Promise<number> {
  const r = await db().selectFrom(table).select('version').where('id', '=', id).executeTakeFirstOrThrow();
  return r.version;
}

// biome-ignore format: the expectations are a table, four principals to a row, in PRINCIPALS order.
const MATRIX: Record<string, Entry> = {
  // ── the caller's own account (/api/me) ──────────────────────────────────────────────────────────────
  'GET /api/me': {
    sided: false,
    req: () => ({ method: 'GET', url: '/api/me' }),
    expect: everyone(200),
  },
  'POST /api/me/password': {
    sided: false,
    req: ({ state: s }) => {
      s.pendingPassword = `Matrix#${next()}x`;
      return {
        method: 'POST',
        url: '/api/me/password',
        body: { currentPassword: s.password, newPassword: s.pendingPassword },
      };
    },
    after: ({ state: s }) => {
      s.password = s.pendingPassword ?? s.password;
    },
    expect: everyone(200),
  },
  // Privileged accounts already have TOTP (409 on a second enrolment, 422 on disabling it); the others enrol and disable.
  'POST /api/me/totp/setup': {
    sided: false,
    req: () => ({ method: 'POST', url: '/api/me/totp/setup' }),
    after: ({ state: s }, res) => {
      if (res.statusCode === 200) s.totpSecret = res.json().secret;
    },
    expect: {
      platform_admin: 409, authority_admin_city: 409, authority_admin_district: 409, authority_officer: 409,
      institution_admin: 409, security_officer: 409, data_steward: 200, data_user: 200,
      auditor_internal: 409, auditor_regulator: 409, vendor_operator: 200, anonymous: 401,
    },
  },
  'POST /api/me/totp/confirm': {
    sided: false,
    req: ({ state: s }) => {
      const step = Math.floor(Date.now() / 30_000);
      s.totpStep = step;
      return {
        method: 'POST',
        url: '/api/me/totp/confirm',
        body: {
          code: s.totpSecret ? totpCode(s.totpSecret, step * 30_000 + 1000) : '000000',
        },
      };
    },
    expect: {
      platform_admin: 409, authority_admin_city: 409, authority_admin_district: 409, authority_officer: 409,
      institution_admin: 409, security_officer: 409, data_steward: 200, data_user: 200,
      auditor_internal: 409, auditor_regulator: 409, vendor_operator: 200, anonymous: 401,
    },
  },
  'POST /api/me/totp/disable': {
    sided: false,
    req: ({ state: s }) => {
      // A later step than the one confirmed (codes are single-use), within the server's ±1 step window.
      const step = Math.max((s.totpStep ?? 0) + 1, Math.floor(Date.now() / 30_000));
      const code = s.totpSecret ? totpCode(s.totpSecret, step * 30_000 + 1000) : '000000';
      return {
        method: 'POST',
        url: '/api/me/totp/disable',
        body: { password: s.password, code },
      };
    },
    expect: {
      platform_admin: 422, authority_admin_city: 422, authority_admin_district: 422, authority_officer: 422,
      institution_admin: 422, security_officer: 422, data_steward: 200, data_user: 200,
      auditor_internal: 422, auditor_regulator: 422, vendor_operator: 200, anonymous: 401,
    },
  },
  'GET /api/me/sessions': {
    sided: false,
    req: () => ({ method: 'GET', url: '/api/me/sessions' }),
    expect: everyone(200),
  },
  'DELETE /api/me/sessions/:id': {
    req: async ({ side, userId }) => {
      // own: a second session of the caller's (not the one making the request); other: a stranger's.
      const id = side === 'own' ? await insertSession(userId) : stranger.sessionId;
      return { method: 'DELETE', url: `/api/me/sessions/${id.slice(0, 16)}` };
    },
    expect: mineOnly(204),
  },
  'GET /api/me/tokens': {
    sided: false,
    req: () => ({ method: 'GET', url: '/api/me/tokens' }),
    expect: everyone(200),
  },
  'POST /api/me/tokens': {
    sided: false,
    // institution.read: a permission every role holds, so every caller may put it on a token.
    req: () => ({
      method: 'POST',
      url: '/api/me/tokens',
      body: {
        name: `matrix ${next()}`,
        scopes: ['institution.read'],
        expiresInDays: 7,
      },
    }),
    expect: everyone(201),
  },
  'DELETE /api/me/tokens/:id': {
    req: async ({ side, userId }) => ({
      method: 'DELETE',
      url: `/api/me/tokens/${side === 'own' ? await insertToken(userId) : stranger.tokenId}`,
    }),
    expect: mineOnly(204),
  },
  'GET /api/roles': {
    sided: false,
    req: () => ({ method: 'GET', url: '/api/roles' }),
    expect: everyone(200),
  },

  // ── institutions ────────────────────────────────────────────────────────────────────────────────────
  'GET /api/institutions/tree': {
    req: ({ site }) => ({
      method: 'GET',
      url: '/api/institutions/tree',
      probe: site.inst,
    }),
    expect: {
      platform_admin: ['sees', 'sees'], authority_admin_city: ['sees', 'hidden'], authority_admin_district: ['sees', 'hidden'], authority_officer: ['sees', 'hidden'],
      institution_admin: ['sees', 'hidden'], security_officer: ['sees', 'hidden'], data_steward: ['sees', 'hidden'], data_user: ['sees', 'hidden'],
      auditor_internal: ['sees', 'hidden'], auditor_regulator: ['sees', 'sees', 'hidden'], vendor_operator: ['sees', 'hidden'], anonymous: 401,
    },
  },
  'GET /api/institutions': {
    req: ({ site }) => ({
      method: 'GET',
      url: '/api/institutions?pageSize=200',
      probe: site.inst,
    }),
    expect: {
      platform_admin: ['sees', 'sees'], authority_admin_city: ['sees', 'hidden'], authority_admin_district: ['sees', 'hidden'], authority_officer: ['sees', 'hidden'],
      institution_admin: ['sees', 'hidden'], security_officer: ['sees', 'hidden'], data_steward: ['sees', 'hidden'], data_user: ['sees', 'hidden'],
      auditor_internal: ['sees', 'hidden'], auditor_regulator: ['sees', 'sees', 'hidden'], vendor_operator: ['sees', 'hidden'], anonymous: 401,
    },
  },
  'GET /api/institutions/:id': {
    req: ({ site }) => ({
      method: 'GET',
      url: `/api/institutions/${site.inst}`,
      secrets: [site.name],
    }),
    expect: {
      platform_admin: [200, 200], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [200, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [200, 404], anonymous: 401,
    },
  },
  // A new institution under the side's institution: institution.create (platform and authority admins only).
  'POST /api/institutions': {
    req: ({ site }) => ({
      method: 'POST',
      url: '/api/institutions',
      body: {
        parentId: site.inst,
        kind: 'institution',
        name: `矩阵新建单位 ${next()}`,
        sector: 'other',
      },
      secrets: [site.name],
    }),
    expect: {
      platform_admin: [201, 201], authority_admin_city: [201, 404], authority_admin_district: [201, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [403, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  // A profile change (not registration facts): institution.update, which the institution's own admin and security officer hold.
  'PATCH /api/institutions/:id': {
    req: async ({ site }) => {
      const row = await db().selectFrom('institutions').select(['version', 'profile']).where('id', '=', site.inst).executeTakeFirstOrThrow();
      const profile = {
        ...(row.profile as Record<string, unknown>),
        emergencyBody: `应急工作小组 ${next()}`,
      };
      return {
        method: 'PATCH',
        url: `/api/institutions/${site.inst}`,
        body: { profile, version: row.version },
        secrets: [site.name],
      };
    },
    expect: {
      platform_admin: [200, 200], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [403, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  // Read-grant routes address the side's regulator: the city's 网信办 (city, psb, health, cac sides), a district
  // regulator (district, edu sides), the neighbour's regulator. Institution staff reach no regulator: 404 on both sides.
  'GET /api/institutions/:id/read-grants': {
    req: async ({ site }) => ({
      method: 'GET',
      url: `/api/institutions/${site.regulator}/read-grants`,
      probe: await grantId(site.grant),
    }),
    expect: {
      platform_admin: ['sees', 'sees'], authority_admin_city: ['sees', 404], authority_admin_district: ['sees', 404], authority_officer: ['sees', 404],
      institution_admin: [404, 404], security_officer: [404, 404], data_steward: [404, 404], data_user: [404, 404],
      auditor_internal: ['sees', 404], auditor_regulator: ['sees', 'sees', 404], vendor_operator: [404, 404], anonymous: 401,
    },
  },
  // Grant the side's regulator read access to the side's institution: institution.grant_read (platform and authority admins).
  'POST /api/institutions/:id/read-grants': {
    req: ({ site }) => ({
      method: 'POST',
      url: `/api/institutions/${site.regulator}/read-grants`,
      body: { institutionId: site.inst, note: 'matrix' },
    }),
    undo: async (_ctx, res) => {
      await db().deleteFrom('regulator_read_grants').where('id', '=', res.json().id).execute();
    },
    expect: {
      platform_admin: [201, 201], authority_admin_city: [201, 404], authority_admin_district: [201, 404], authority_officer: [403, 404],
      institution_admin: [404, 404], security_officer: [404, 404], data_steward: [404, 404], data_user: [404, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [404, 404], anonymous: 401,
    },
  },
  'DELETE /api/institutions/:id/read-grants/:grantId': {
    req: async ({ site }) => ({
      method: 'DELETE',
      url: `/api/institutions/${site.regulator}/read-grants/${await grantId(site.grant)}`,
    }),
    undo: async ({ site }) => {
      await db()
        .insertInto('regulator_read_grants')
        .values({
          id: uuidv7(),
          regulator_id: site.grant.regulator,
          institution_id: site.grant.institution,
          note: 'matrix',
          granted_by: null,
        })
        .execute();
    },
    expect: {
      platform_admin: [204, 204], authority_admin_city: [204, 404], authority_admin_district: [204, 404], authority_officer: [403, 404],
      institution_admin: [404, 404], security_officer: [404, 404], data_steward: [404, 404], data_user: [404, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [404, 404], anonymous: 401,
    },
  },

  // ── people and roles ────────────────────────────────────────────────────────────────────────────────
  // user.read: every role but data_steward, data_user and vendor_operator.
  'GET /api/users': {
    req: ({ site }) => ({
      method: 'GET',
      url: `/api/users?institutionId=${site.inst}&pageSize=200`,
      probe: site.user.id,
    }),
    expect: {
      platform_admin: ['sees', 'sees'], authority_admin_city: ['sees', 'hidden'], authority_admin_district: ['sees', 'hidden'], authority_officer: ['sees', 'hidden'],
      institution_admin: ['sees', 'hidden'], security_officer: ['sees', 'hidden'], data_steward: 403, data_user: 403,
      auditor_internal: ['sees', 'hidden'], auditor_regulator: ['sees', 'sees', 'hidden'], vendor_operator: 403, anonymous: 401,
    },
  },
  'GET /api/users/:id': {
    req: ({ site }) => ({
      method: 'GET',
      url: `/api/users/${site.user.id}`,
      secrets: [site.user.username, site.name],
    }),
    expect: {
      platform_admin: [200, 200], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  // user.manage: platform admin, authority admins, institution admin.
  'POST /api/users': {
    req: ({ site }) => ({
      method: 'POST',
      url: '/api/users',
      body: {
        username: `mx.new.${next()}`,
        displayName: '矩阵新建用户',
        institutionId: site.inst,
      },
      secrets: [site.name],
    }),
    expect: {
      platform_admin: [201, 201], authority_admin_city: [201, 404], authority_admin_district: [201, 404], authority_officer: [403, 404],
      institution_admin: [201, 404], security_officer: [403, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'PATCH /api/users/:id': {
    req: ({ site }) => ({
      method: 'PATCH',
      url: `/api/users/${site.user.id}`,
      body: { displayName: `矩阵目标 ${next()}` },
      secrets: [site.user.username],
    }),
    expect: {
      platform_admin: [200, 200], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [403, 404],
      institution_admin: [200, 404], security_officer: [403, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'POST /api/users/:id/reset-password': {
    req: ({ site }) => ({
      method: 'POST',
      url: `/api/users/${site.user.id}/reset-password`,
      secrets: [site.user.username],
    }),
    expect: {
      platform_admin: [200, 200], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [403, 404],
      institution_admin: [200, 404], security_officer: [403, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'POST /api/users/:id/unlock': {
    req: async ({ site }) => {
      // Locked before each request, so a refused unlock is seen to leave it locked.
      await db()
        .updateTable('users')
        .set({
          locked_until: new Date(Date.now() + 3600_000),
          failed_logins: 0,
        })
        .where('id', '=', site.user.id)
        .execute();
      return {
        method: 'POST',
        url: `/api/users/${site.user.id}/unlock`,
        secrets: [site.user.username],
      };
    },
    expect: {
      platform_admin: [200, 200], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [403, 404],
      institution_admin: [200, 404], security_officer: [403, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  // data_user at the side's institution: a role every assigner (platform, authority, institution admin) may hand out there.
  'POST /api/users/:id/roles': {
    req: ({ site }) => ({
      method: 'POST',
      url: `/api/users/${site.user.id}/roles`,
      body: { role: 'data_user', institutionId: site.inst },
      secrets: [site.user.username],
    }),
    undo: async (_ctx, res) => {
      await db().deleteFrom('role_assignments').where('id', '=', res.json().id).execute();
    },
    expect: {
      platform_admin: [201, 201], authority_admin_city: [201, 404], authority_admin_district: [201, 404], authority_officer: [403, 404],
      institution_admin: [201, 404], security_officer: [403, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'DELETE /api/users/:id/roles/:assignmentId': {
    req: async ({ site }) => {
      const a = await db()
        .selectFrom('role_assignments')
        .select('id')
        .where('user_id', '=', site.holder.id)
        .where('role', '=', 'data_user')
        .where('institution_id', '=', site.inst)
        .executeTakeFirstOrThrow();
      return {
        method: 'DELETE',
        url: `/api/users/${site.holder.id}/roles/${a.id}`,
        secrets: [site.holder.username],
      };
    },
    undo: async ({ site }) => {
      await db()
        .insertInto('role_assignments')
        .values({
          id: uuidv7(),
          user_id: site.holder.id,
          role: 'data_user',
          institution_id: site.inst,
          granted_by: null,
        })
        .execute();
    },
    expect: {
      platform_admin: [204, 204], authority_admin_city: [204, 404], authority_admin_district: [204, 404], authority_officer: [403, 404],
      institution_admin: [204, 404], security_officer: [403, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },

  // ── audit, settings, working days ───────────────────────────────────────────────────────────────────
  // audit.read: security officers and auditors only (三员: administrators do not read the audit log).
  'GET /api/audit-events': {
    req: ({ site }) => ({
      method: 'GET',
      url: `/api/audit-events?action=test.matrix&institutionId=${site.inst}&pageSize=200`,
      probe: site.marker,
    }),
    expect: {
      platform_admin: 403, authority_admin_city: 403, authority_admin_district: 403, authority_officer: 403,
      institution_admin: 403, security_officer: ['sees', 'hidden'], data_steward: 403, data_user: 403,
      auditor_internal: ['sees', 'hidden'], auditor_regulator: ['sees', 'sees', 'hidden'], vendor_operator: 403, anonymous: 401,
    },
  },
  // AUD-2: the chain's health, checkpoints and public key are for anyone who reads the audit log; an event's
  // proof follows the event's visibility; the export bundle holds every institution's events, so only an
  // auditor whose reach covers the platform root (the city auditor) may take it.
  'GET /api/audit-events/:id/proof': {
    req: ({ site }) => ({ method: 'GET', url: `/api/audit-events/${site.marker}/proof` }),
    expect: {
      platform_admin: 403, authority_admin_city: 403, authority_admin_district: 403, authority_officer: 403,
      institution_admin: 403, security_officer: [200, 404], data_steward: 403, data_user: 403,
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: 403, anonymous: 401,
    },
  },
  'GET /api/audit/integrity': {
    req: () => ({ method: 'GET', url: '/api/audit/integrity' }),
    expect: {
      platform_admin: 403, authority_admin_city: 403, authority_admin_district: 403, authority_officer: 403,
      institution_admin: 403, security_officer: 200, data_steward: 403, data_user: 403,
      auditor_internal: 200, auditor_regulator: 200, vendor_operator: 403, anonymous: 401,
    },
  },
  // The same check as a background job (issue 6): one at a time, so each success is cancelled before the next.
  'POST /api/audit/integrity/jobs': {
    sided: false,
    req: () => ({ method: 'POST', url: '/api/audit/integrity/jobs', body: {} }),
    undo: async (_ctx, res) => {
      await db().updateTable('jobs').set({ status: 'cancelled', finished_at: new Date() }).where('id', '=', res.json().id).execute();
    },
    expect: {
      platform_admin: 403, authority_admin_city: 403, authority_admin_district: 403, authority_officer: 403,
      institution_admin: 403, security_officer: 202, data_steward: 403, data_user: 403,
      auditor_internal: 202, auditor_regulator: 202, vendor_operator: 403, anonymous: 401,
    },
  },
  'GET /api/audit/integrity/checkpoints': {
    req: () => ({ method: 'GET', url: '/api/audit/integrity/checkpoints' }),
    expect: {
      platform_admin: 403, authority_admin_city: 403, authority_admin_district: 403, authority_officer: 403,
      institution_admin: 403, security_officer: 200, data_steward: 403, data_user: 403,
      auditor_internal: 200, auditor_regulator: 200, vendor_operator: 403, anonymous: 401,
    },
  },
  'GET /api/audit/integrity/public-key': {
    req: () => ({ method: 'GET', url: '/api/audit/integrity/public-key' }),
    expect: {
      platform_admin: 403, authority_admin_city: 403, authority_admin_district: 403, authority_officer: 403,
      institution_admin: 403, security_officer: 200, data_steward: 403, data_user: 403,
      auditor_internal: 200, auditor_regulator: 200, vendor_operator: 403, anonymous: 401,
    },
  },
  'GET /api/audit/integrity/export': {
    req: () => ({ method: 'GET', url: '/api/audit/integrity/export' }),
    expect: {
      platform_admin: 403, authority_admin_city: 403, authority_admin_district: 403, authority_officer: 403,
      institution_admin: 403, security_officer: 403, data_steward: 403, data_user: 403,
      auditor_internal: 200, auditor_regulator: 403, vendor_operator: 403, anonymous: 401,
    },
  },
  // AUD-4, AUD-5, AUD-6: reports and the trace, per institution within the audit.read reach (out of it 404,
  // within sight without the permission 403); the vendor review is the auditor's alone (audit.review).
  'GET /api/audit/reports/summary': {
    req: ({ site }) => ({ method: 'GET', url: `/api/audit/reports/summary?institutionId=${site.inst}&${reportPeriod()}`, secrets: [site.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [200, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'GET /api/audit/reports/xlsx': {
    req: ({ site }) => ({ method: 'GET', url: `/api/audit/reports/xlsx?institutionId=${site.inst}&${reportPeriod()}`, secrets: [site.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [200, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'POST /api/audit/reports': {
    req: ({ site }) => ({
      method: 'POST',
      url: '/api/audit/reports',
      body: { institutionId: site.inst, from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() },
      secrets: [site.name],
    }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [201, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [201, 404], auditor_regulator: [201, 201, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'GET /api/audit/reports': {
    req: async ({ site }) => ({ method: 'GET', url: `/api/audit/reports?institutionId=${site.inst}&pageSize=200`, probe: await insertReport(site.inst) }),
    expect: {
      platform_admin: 403, authority_admin_city: 403, authority_admin_district: 403, authority_officer: 403,
      institution_admin: 403, security_officer: ['sees', 'hidden'], data_steward: 403, data_user: 403,
      auditor_internal: ['sees', 'hidden'], auditor_regulator: ['sees', 'sees', 'hidden'], vendor_operator: 403, anonymous: 401,
    },
  },
  'GET /api/audit/reports/:id': {
    req: async ({ site }) => ({ method: 'GET', url: `/api/audit/reports/${await insertReport(site.inst)}`, secrets: [site.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [200, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'GET /api/audit/reports/:id/xlsx': {
    req: async ({ site }) => ({ method: 'GET', url: `/api/audit/reports/${await insertReport(site.inst)}/xlsx`, secrets: [site.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [200, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'POST /api/audit/reports/:id/vendor-review': {
    req: async ({ site }) => ({
      method: 'POST',
      url: `/api/audit/reports/${await insertReport(site.inst)}/vendor-review`,
      body: { conclusion: 'satisfactory' },
      secrets: [site.name],
    }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [403, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [201, 404], auditor_regulator: [201, 201, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  // The trace of the site's (unpublished) resource: the catalog decides whether it is known at all.
  'GET /api/audit/trace': {
    req: ({ site }) => ({ method: 'GET', url: `/api/audit/trace?resourceId=${site.cat.resource.id}`, secrets: [site.cat.resource.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [200, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  // AUD-3 alerts: read with audit.read in its reach (like the log); handled by the security officer
  // (alert.handle; auditors only read them, 三员分立); the rule settings are read by audit readers and changed
  // only at city level (alert.configure held by a security officer whose reach is the city root: the demo
  // city has none, so every PUT here is refused). The dry run only reads (its answer is scoped by reach).
  'GET /api/audit/alerts': {
    req: ({ site }) => ({ method: 'GET', url: `/api/audit/alerts?institutionId=${site.inst}&pageSize=200`, probe: site.alert }),
    expect: {
      platform_admin: 403, authority_admin_city: 403, authority_admin_district: 403, authority_officer: 403,
      institution_admin: 403, security_officer: ['sees', 'hidden'], data_steward: 403, data_user: 403,
      auditor_internal: ['sees', 'hidden'], auditor_regulator: ['sees', 'sees', 'hidden'], vendor_operator: 403, anonymous: 401,
    },
  },
  'GET /api/audit/alerts/:id': {
    req: ({ site }) => ({ method: 'GET', url: `/api/audit/alerts/${site.alert}`, secrets: [site.name, '矩阵告警'] }),
    expect: {
      platform_admin: 403, authority_admin_city: 403, authority_admin_district: 403, authority_officer: 403,
      institution_admin: 403, security_officer: [200, 404], data_steward: 403, data_user: 403,
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: 403, anonymous: 401,
    },
  },
  'POST /api/audit/alerts/:id/acknowledge': {
    req: ({ site }) => ({ method: 'POST', url: `/api/audit/alerts/${site.alert}/acknowledge`, secrets: [site.name, '矩阵告警'] }),
    undo: ({ site }) => reopenAlert(site.alert),
    expect: {
      platform_admin: 403, authority_admin_city: 403, authority_admin_district: 403, authority_officer: 403,
      institution_admin: 403, security_officer: [200, 404], data_steward: 403, data_user: 403,
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: 403, anonymous: 401,
    },
  },
  'POST /api/audit/alerts/:id/close': {
    req: ({ site }) => ({ method: 'POST', url: `/api/audit/alerts/${site.alert}/close`, body: { resolution: '矩阵处置' }, secrets: [site.name, '矩阵告警'] }),
    undo: ({ site }) => reopenAlert(site.alert),
    expect: {
      platform_admin: 403, authority_admin_city: 403, authority_admin_district: 403, authority_officer: 403,
      institution_admin: 403, security_officer: [200, 404], data_steward: 403, data_user: 403,
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: 403, anonymous: 401,
    },
  },
  'GET /api/audit/alert-rules': {
    sided: false,
    req: () => ({ method: 'GET', url: '/api/audit/alert-rules' }),
    expect: {
      platform_admin: 403, authority_admin_city: 403, authority_admin_district: 403, authority_officer: 403,
      institution_admin: 403, security_officer: 200, data_steward: 403, data_user: 403,
      auditor_internal: 200, auditor_regulator: 200, vendor_operator: 403, anonymous: 401,
    },
  },
  'PUT /api/audit/alert-rules/:rule': {
    sided: false,
    req: () => ({ method: 'PUT', url: '/api/audit/alert-rules/login_failures', body: { enabled: true, severity: 'high', params: { threshold: 4 } } }),
    expect: {
      platform_admin: 403, authority_admin_city: 403, authority_admin_district: 403, authority_officer: 403,
      institution_admin: 403, security_officer: 403, data_steward: 403, data_user: 403,
      auditor_internal: 403, auditor_regulator: 403, vendor_operator: 403, anonymous: 401,
    },
  },
  'POST /api/audit/alert-rules/:rule/test': {
    sided: false,
    readOnly: true,
    req: () => ({
      method: 'POST',
      url: '/api/audit/alert-rules/privilege_change/test',
      body: { from: new Date(Date.now() - 86400_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() },
    }),
    expect: {
      platform_admin: 403, authority_admin_city: 403, authority_admin_district: 403, authority_officer: 403,
      institution_admin: 403, security_officer: 200, data_steward: 403, data_user: 403,
      auditor_internal: 200, auditor_regulator: 200, vendor_operator: 403, anonymous: 401,
    },
  },
  'POST /api/audit/trace': {
    readOnly: true,
    req: ({ site }) => ({ method: 'POST', url: '/api/audit/trace', body: { resourceId: site.cat.resource.id, recordKey: '110101199001011234' }, secrets: [site.cat.resource.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [200, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'GET /api/settings/security-policy': {
    sided: false,
    req: () => ({ method: 'GET', url: '/api/settings/security-policy' }),
    expect: {
      platform_admin: 200, authority_admin_city: 200, authority_admin_district: 200, authority_officer: 403,
      institution_admin: 403, security_officer: 200, data_steward: 403, data_user: 403,
      auditor_internal: 200, auditor_regulator: 200, vendor_operator: 403, anonymous: 401,
    },
  },
  'PUT /api/settings/security-policy': {
    sided: false,
    req: () => ({
      method: 'PUT',
      url: '/api/settings/security-policy',
      body: DEFAULT_SECURITY_POLICY,
    }),
    expect: {
      platform_admin: 200, authority_admin_city: 403, authority_admin_district: 403, authority_officer: 403,
      institution_admin: 403, security_officer: 403, data_steward: 403, data_user: 403,
      auditor_internal: 403, auditor_regulator: 403, vendor_operator: 403, anonymous: 401,
    },
  },
  // 数据汇聚白名单: the same permissions as the security policy (the PUT keeps the demo list, so pulls still work).
  'GET /api/settings/data-pull-hosts': {
    sided: false,
    req: () => ({ method: 'GET', url: '/api/settings/data-pull-hosts' }),
    expect: {
      platform_admin: 200, authority_admin_city: 200, authority_admin_district: 200, authority_officer: 403,
      institution_admin: 403, security_officer: 200, data_steward: 403, data_user: 403,
      auditor_internal: 200, auditor_regulator: 200, vendor_operator: 403, anonymous: 401,
    },
  },
  'PUT /api/settings/data-pull-hosts': {
    sided: false,
    req: () => ({ method: 'PUT', url: '/api/settings/data-pull-hosts', body: { hosts: DEMO_DATA_PULL_HOSTS } }),
    expect: {
      platform_admin: 200, authority_admin_city: 403, authority_admin_district: 403, authority_officer: 403,
      institution_admin: 403, security_officer: 403, data_steward: 403, data_user: 403,
      auditor_internal: 403, auditor_regulator: 403, vendor_operator: 403, anonymous: 401,
    },
  },
  'GET /api/workdays/check': {
    sided: false,
    req: () => ({ method: 'GET', url: '/api/workdays/check?date=2025-10-09' }),
    expect: everyone(200),
  },
  'GET /api/workdays/add': {
    sided: false,
    req: () => ({
      method: 'GET',
      url: '/api/workdays/add?date=2025-09-30&days=3',
    }),
    expect: everyone(200),
  },
  'GET /api/workdays/between': {
    sided: false,
    req: () => ({
      method: 'GET',
      url: '/api/workdays/between?from=2025-10-01&to=2025-10-31',
    }),
    expect: everyone(200),
  },
  'GET /api/workdays/schedules': {
    sided: false,
    req: () => ({ method: 'GET', url: '/api/workdays/schedules' }),
    expect: everyone(200),
  },
  'GET /api/workdays/coverage': {
    sided: false,
    req: () => ({ method: 'GET', url: '/api/workdays/coverage' }),
    expect: everyone(200),
  },
  // workdays.manage: platform admin and city-level authority admins (one schedule for the whole
  // platform, so a district authority may not replace it).
  'PUT /api/workdays/schedules/:year': {
    sided: false,
    req: () => ({
      method: 'PUT',
      url: '/api/workdays/schedules/2090',
      body: { holidays: ['2090-01-01'], makeupWorkdays: [] },
    }),
    expect: {
      platform_admin: 200, authority_admin_city: 200, authority_admin_district: 403, authority_officer: 403,
      institution_admin: 403, security_officer: 403, data_steward: 403, data_user: 403,
      auditor_internal: 403, auditor_regulator: 403, vendor_operator: 403, anonymous: 401,
    },
  },

  // ── catalog: grading scheme (CLS-1) ─────────────────────────────────────────────────────────────────
  // scheme.read: every role but vendor operators. One scheme for the platform: no institution, no sides.
  'GET /api/grading/scheme': {
    sided: false,
    req: () => ({ method: 'GET', url: '/api/grading/scheme' }),
    expect: {
      platform_admin: 200, authority_admin_city: 200, authority_admin_district: 200, authority_officer: 200,
      institution_admin: 200, security_officer: 200, data_steward: 200, data_user: 200,
      auditor_internal: 200, auditor_regulator: 200, vendor_operator: 403, anonymous: 401,
    },
  },
  'GET /api/grading/schemes': {
    sided: false,
    req: () => ({ method: 'GET', url: '/api/grading/schemes' }),
    expect: {
      platform_admin: 200, authority_admin_city: 200, authority_admin_district: 200, authority_officer: 200,
      institution_admin: 200, security_officer: 200, data_steward: 200, data_user: 200,
      auditor_internal: 200, auditor_regulator: 200, vendor_operator: 403, anonymous: 401,
    },
  },
  // Version 1: the default scheme, published (seeded in beforeAll).
  'GET /api/grading/schemes/:version': {
    sided: false,
    req: () => ({ method: 'GET', url: '/api/grading/schemes/1' }),
    expect: {
      platform_admin: 200, authority_admin_city: 200, authority_admin_district: 200, authority_officer: 200,
      institution_admin: 200, security_officer: 200, data_steward: 200, data_user: 200,
      auditor_internal: 200, auditor_regulator: 200, vendor_operator: 403, anonymous: 401,
    },
  },
  // scheme.manage at city level: there is one draft for the platform, so a district authority admin neither edits nor publishes it.
  'PUT /api/grading/schemes/draft': {
    sided: false,
    req: () => ({
      method: 'PUT',
      url: '/api/grading/schemes/draft',
      body: { ...defaultScheme(), name: `矩阵规则草稿 ${next()}` },
    }),
    expect: {
      platform_admin: 403, authority_admin_city: 200, authority_admin_district: 403, authority_officer: 403,
      institution_admin: 403, security_officer: 403, data_steward: 403, data_user: 403,
      auditor_internal: 403, auditor_regulator: 403, vendor_operator: 403, anonymous: 401,
    },
  },
  // Only an authority admin whose reach includes a root (the city) publishes; a district one gets 403.
  'POST /api/grading/schemes/draft/publish': {
    sided: false,
    req: async () => {
      await ensureSchemeDraft();
      return { method: 'POST', url: '/api/grading/schemes/draft/publish' };
    },
    expect: {
      platform_admin: 403, authority_admin_city: 200, authority_admin_district: 403, authority_officer: 403,
      institution_admin: 403, security_officer: 403, data_steward: 403, data_user: 403,
      auditor_internal: 403, auditor_regulator: 403, vendor_operator: 403, anonymous: 401,
    },
  },
  'DELETE /api/grading/schemes/draft': {
    sided: false,
    req: async () => {
      await ensureSchemeDraft();
      return { method: 'DELETE', url: '/api/grading/schemes/draft' };
    },
    expect: {
      platform_admin: 403, authority_admin_city: 204, authority_admin_district: 403, authority_officer: 403,
      institution_admin: 403, security_officer: 403, data_steward: 403, data_user: 403,
      auditor_internal: 403, auditor_regulator: 403, vendor_operator: 403, anonymous: 401,
    },
  },
  // The level calculator: scheme.read, and it stores nothing.
  'POST /api/grading/determine': {
    sided: false,
    readOnly: true,
    req: () => ({ method: 'POST', url: '/api/grading/determine', body: { harms: [HARM] } }),
    expect: {
      platform_admin: 200, authority_admin_city: 200, authority_admin_district: 200, authority_officer: 200,
      institution_admin: 200, security_officer: 200, data_steward: 200, data_user: 200,
      auditor_internal: 200, auditor_regulator: 200, vendor_operator: 403, anonymous: 401,
    },
  },

  // ── catalog: systems registry (AST-1..3) ────────────────────────────────────────────────────────────
  // system.read: every role but data_user. system.manage: institution admin, security officer, data steward.
  'GET /api/systems': {
    req: ({ site }) => ({
      method: 'GET',
      url: `/api/systems?institutionId=${site.inst}&pageSize=200`,
      probe: site.cat.system.id,
    }),
    expect: {
      platform_admin: ['sees', 'sees'], authority_admin_city: ['sees', 'hidden'], authority_admin_district: ['sees', 'hidden'], authority_officer: ['sees', 'hidden'],
      institution_admin: ['sees', 'hidden'], security_officer: ['sees', 'hidden'], data_steward: ['sees', 'hidden'], data_user: 403,
      auditor_internal: ['sees', 'hidden'], auditor_regulator: ['sees', 'sees', 'hidden'], vendor_operator: ['sees', 'hidden'], anonymous: 401,
    },
  },
  'GET /api/systems/:id': {
    req: ({ site }) => ({
      method: 'GET',
      url: `/api/systems/${site.cat.system.id}`,
      secrets: [site.cat.system.name, site.name],
    }),
    expect: {
      platform_admin: [200, 200], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [403, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [200, 404], anonymous: 401,
    },
  },
  'GET /api/systems/:id/filings': {
    req: ({ site }) => ({
      method: 'GET',
      url: `/api/systems/${site.cat.system.id}/filings`,
      secrets: [site.cat.system.name, site.name],
    }),
    expect: {
      platform_admin: [200, 200], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [403, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [200, 404], anonymous: 401,
    },
  },
  // A new draft registration at the side's institution. The platform administrator reaches it but holds no system.manage.
  'POST /api/systems': {
    req: ({ site }) => ({
      method: 'POST',
      url: '/api/systems',
      body: { institutionId: site.inst, name: `矩阵新建系统 ${next()}`, hosting: 'government_cloud' },
      secrets: [site.name],
    }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [201, 404], security_officer: [201, 404], data_steward: [201, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'PATCH /api/systems/:id': {
    req: async ({ site }) => ({
      method: 'PATCH',
      url: `/api/systems/${site.cat.draft.id}`,
      body: { description: `矩阵修改 ${next()}`, version: await rowVersion('systems', site.cat.draft.id) },
      secrets: [site.cat.draft.name, site.name],
    }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  // The draft's registration filing; put back to a draft without filings for the next request.
  'POST /api/systems/:id/submit': {
    req: ({ site }) => ({
      method: 'POST',
      url: `/api/systems/${site.cat.draft.id}/submit`,
      body: { eventDate: EVENT_DATE, summary: '矩阵登记' },
      secrets: [site.cat.draft.name, site.name],
    }),
    undo: async ({ site }, res) => {
      await db().deleteFrom('system_filings').where('id', '=', res.json().id).execute();
      await db().updateTable('systems').set({ status: 'draft' }).where('id', '=', site.cat.draft.id).execute();
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [201, 404], security_officer: [201, 404], data_steward: [201, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  // Change and closure filings of the registered system; the pending filing is removed again (one may be pending at a time).
  'POST /api/systems/:id/changes': {
    req: ({ site }) => ({
      method: 'POST',
      url: `/api/systems/${site.cat.system.id}/changes`,
      body: { eventDate: EVENT_DATE, summary: '矩阵变更', changes: { description: `矩阵变更 ${next()}` } },
      secrets: [site.cat.system.name, site.name],
    }),
    undo: async (_ctx, res) => {
      await db().deleteFrom('system_filings').where('id', '=', res.json().id).execute();
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [201, 404], security_officer: [201, 404], data_steward: [201, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'POST /api/systems/:id/closure': {
    req: ({ site }) => ({
      method: 'POST',
      url: `/api/systems/${site.cat.system.id}/closure`,
      body: { eventDate: EVENT_DATE, summary: '矩阵撤销' },
      secrets: [site.cat.system.name, site.name],
    }),
    undo: async (_ctx, res) => {
      await db().deleteFrom('system_filings').where('id', '=', res.json().id).execute();
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [201, 404], security_officer: [201, 404], data_steward: [201, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'GET /api/system-filings': {
    req: ({ site }) => ({
      method: 'GET',
      url: `/api/system-filings?institutionId=${site.inst}&pageSize=200`,
      probe: site.cat.review.filing,
    }),
    expect: {
      platform_admin: ['sees', 'sees'], authority_admin_city: ['sees', 'hidden'], authority_admin_district: ['sees', 'hidden'], authority_officer: ['sees', 'hidden'],
      institution_admin: ['sees', 'hidden'], security_officer: ['sees', 'hidden'], data_steward: ['sees', 'hidden'], data_user: 403,
      auditor_internal: ['sees', 'hidden'], auditor_regulator: ['sees', 'sees', 'hidden'], vendor_operator: ['sees', 'hidden'], anonymous: 401,
    },
  },
  // system.review: authority admins and officers, in their reach (the filing was made by someone else). Put back to pending.
  'POST /api/system-filings/:id/review': {
    req: ({ site }) => ({
      method: 'POST',
      url: `/api/system-filings/${site.cat.review.filing}/review`,
      body: { decision: 'accept' },
      secrets: [site.cat.review.name, site.name],
    }),
    undo: async ({ site }) => {
      await db()
        .updateTable('system_filings')
        .set({ review_status: 'pending', reviewed_by: null, reviewed_at: null, review_reason: null })
        .where('id', '=', site.cat.review.filing)
        .execute();
      await db().updateTable('systems').set({ status: 'submitted' }).where('id', '=', site.cat.review.id).execute();
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [403, 404], security_officer: [403, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'GET /api/asset-checks': {
    req: ({ site }) => ({
      method: 'GET',
      url: `/api/asset-checks?institutionId=${site.inst}&pageSize=200`,
      probe: site.cat.check.id,
    }),
    expect: {
      platform_admin: ['sees', 'sees'], authority_admin_city: ['sees', 'hidden'], authority_admin_district: ['sees', 'hidden'], authority_officer: ['sees', 'hidden'],
      institution_admin: ['sees', 'hidden'], security_officer: ['sees', 'hidden'], data_steward: ['sees', 'hidden'], data_user: 403,
      auditor_internal: ['sees', 'hidden'], auditor_regulator: ['sees', 'sees', 'hidden'], vendor_operator: ['sees', 'hidden'], anonymous: 401,
    },
  },
  'POST /api/asset-checks': {
    req: ({ site }) => ({
      method: 'POST',
      url: '/api/asset-checks',
      body: {
        institutionId: site.inst,
        checkedOn: '2025-10-10',
        scope: '矩阵核查',
        findings: [{ systemId: site.cat.system.id, description: '登记的存储载体与实际不符' }],
      },
      secrets: [site.name, site.cat.system.name],
    }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [201, 404], security_officer: [201, 404], data_steward: [201, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'POST /api/asset-checks/:id/findings/:findingId/resolve': {
    req: ({ site }) => ({
      method: 'POST',
      url: `/api/asset-checks/${site.cat.check.id}/findings/${site.cat.check.finding}/resolve`,
      body: { resolution: '已更正登记' },
      secrets: [site.name, site.cat.system.name],
    }),
    undo: async ({ site }) => {
      await db()
        .updateTable('asset_check_findings')
        .set({ resolved_at: null, resolved_by: null, resolution: null })
        .where('id', '=', site.cat.check.finding)
        .execute();
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },

  // ── catalog: data resources (AST-4, AST-11) ─────────────────────────────────────────────────────────
  // catalog.read: every role. The targets are unpublished: readable only within catalog.read reach.
  // catalog.manage: institution admin and data steward.
  'GET /api/resources': {
    req: ({ site }) => ({
      method: 'GET',
      url: `/api/resources?institutionId=${site.inst}&pageSize=200`,
      probe: site.cat.resource.id,
    }),
    expect: {
      platform_admin: ['sees', 'sees'], authority_admin_city: ['sees', 'hidden'], authority_admin_district: ['sees', 'hidden'], authority_officer: ['sees', 'hidden'],
      institution_admin: ['sees', 'hidden'], security_officer: ['sees', 'hidden'], data_steward: ['sees', 'hidden'], data_user: ['sees', 'hidden'],
      auditor_internal: ['sees', 'hidden'], auditor_regulator: ['sees', 'sees', 'hidden'], vendor_operator: ['sees', 'hidden'], anonymous: 401,
    },
  },
  'GET /api/resources/:id': {
    req: ({ site }) => ({
      method: 'GET',
      url: `/api/resources/${site.cat.resource.id}`,
      secrets: [site.cat.resource.name, site.cat.system.name, site.name],
    }),
    expect: {
      platform_admin: [200, 200], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [200, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [200, 404], anonymous: 401,
    },
  },
  'GET /api/resources/:id/controls': {
    req: ({ site }) => ({
      method: 'GET',
      url: `/api/resources/${site.cat.resource.id}/controls`,
      secrets: [site.cat.resource.name, site.name],
    }),
    expect: {
      platform_admin: [200, 200], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [200, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [200, 404], anonymous: 401,
    },
  },
  // The PI inventory of the side's institution: an institution named outside catalog.read reach is 404.
  'GET /api/pi-inventory': {
    req: ({ site }) => ({
      method: 'GET',
      url: `/api/pi-inventory?institutionId=${site.inst}`,
      probe: site.cat.resource.id,
      secrets: [site.cat.resource.name, site.name],
    }),
    expect: {
      platform_admin: ['sees', 'sees'], authority_admin_city: ['sees', 404], authority_admin_district: ['sees', 404], authority_officer: ['sees', 404],
      institution_admin: ['sees', 404], security_officer: ['sees', 404], data_steward: ['sees', 404], data_user: ['sees', 404],
      auditor_internal: ['sees', 404], auditor_regulator: ['sees', 'sees', 404], vendor_operator: ['sees', 404], anonymous: 401,
    },
  },
  // ── protection (issue 5): a resource's data keys. Reading needs protection.read, changing keys.manage
  // (the security officer); the resource must be within catalog.read reach, or it is a 404.
  'GET /api/resources/:id/keys': {
    req: ({ site }) => ({ method: 'GET', url: `/api/resources/${site.cat.resource.id}/keys`, secrets: [site.cat.resource.name, site.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [403, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'POST /api/resources/:id/keys/rotate': {
    req: ({ site }) => ({ method: 'POST', url: `/api/resources/${site.cat.resource.id}/keys/rotate`, secrets: [site.cat.resource.name, site.name] }),
    undo: async ({ site }) => {
      await db().deleteFrom('data_keys').where('resource_id', '=', site.cat.resource.id).execute();
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [200, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'POST /api/resources/:id/keys/reencrypt': {
    // Nothing is sealed under an old key at these sites: the officer's call moves nothing (readOnly).
    readOnly: true,
    req: ({ site }) => ({ method: 'POST', url: `/api/resources/${site.cat.resource.id}/keys/reencrypt`, secrets: [site.cat.resource.name, site.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [200, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'POST /api/resources/:id/keys/reencrypt-job': {
    req: ({ site }) => ({ method: 'POST', url: `/api/resources/${site.cat.resource.id}/keys/reencrypt-job`, secrets: [site.cat.resource.name, site.name] }),
    undo: async ({ site }) => {
      await db().deleteFrom('jobs').where('resource_id', '=', site.cat.resource.id).where('kind', '=', 'protection.reencrypt').execute();
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [202, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'POST /api/resources/:id/keys/destroy': {
    req: ({ site }) => ({
      method: 'POST',
      url: `/api/resources/${site.cat.resource.id}/keys/destroy`,
      body: { confirmName: site.cat.resource.name, reason: '矩阵测试' },
      secrets: [site.cat.resource.name, site.name],
    }),
    undo: async ({ site }) => {
      await db().deleteFrom('data_keys').where('resource_id', '=', site.cat.resource.id).execute();
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [200, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  // The dataset store (LIF-13): reading needs protection.read, loading dataset.manage (the data steward).
  'GET /api/resources/:id/dataset': {
    req: ({ site }) => ({ method: 'GET', url: `/api/resources/${site.cat.resource.id}/dataset`, secrets: [site.cat.resource.name, site.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [403, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'POST /api/resources/:id/dataset': {
    undo: async ({ site }) => {
      await undoDataset(site.cat.resource.id);
    },
    req: ({ site }) => ({
      method: 'POST',
      url: `/api/resources/${site.cat.resource.id}/dataset?mode=append&fileName=m.csv`,
      body: '姓名,登记日期\r\n张三,2025-01-02\r\n',
      headers: { 'content-type': 'text/csv' },
      secrets: [site.cat.resource.name, site.name],
    }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [403, 404], data_steward: [200, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'POST /api/resources/:id/dataset/pull': {
    undo: async ({ site }) => {
      await undoDataset(site.cat.resource.id);
    },
    req: ({ site }) => ({
      method: 'POST',
      url: `/api/resources/${site.cat.resource.id}/dataset/pull`,
      body: { url: MATRIX_PULL_URL, table: 'public.matrix_pull', mode: 'append' },
      secrets: [site.cat.resource.name, site.name],
    }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [403, 404], data_steward: [200, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  // Masking policy (PRT-4): read with protection.read, changed by the security officer (masking.manage).
  'GET /api/resources/:id/masking': {
    req: ({ site }) => ({ method: 'GET', url: `/api/resources/${site.cat.resource.id}/masking`, secrets: [site.cat.resource.name, site.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [403, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'PUT /api/resources/:id/masking': {
    req: ({ site }) => ({
      method: 'PUT',
      url: `/api/resources/${site.cat.resource.id}/masking`,
      body: { version: 0, rules: { display: { 姓名: { method: 'suppress' } } } },
      secrets: [site.cat.resource.name, site.name],
    }),
    undo: async ({ site }) => {
      await db().deleteFrom('masking_policies').where('resource_id', '=', site.cat.resource.id).execute();
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [200, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  // A masked preview of the (empty) dataset: protection.read; it reads no rows but is audited.
  'GET /api/resources/:id/dataset/preview': {
    req: ({ site }) => ({ method: 'GET', url: `/api/resources/${site.cat.resource.id}/dataset/preview`, secrets: [site.cat.resource.name, site.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [403, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  // k-anonymity check of the (empty) dataset: protection.read; 422 DATASET_EMPTY for those who may ask.
  'POST /api/resources/:id/anonymity': {
    readOnly: true,
    req: ({ site }) => ({
      method: 'POST',
      url: `/api/resources/${site.cat.resource.id}/anonymity`,
      body: { quasiIdentifiers: [{ field: '登记日期', hierarchy: { type: 'date' } }], k: 5 },
      secrets: [site.cat.resource.name, site.name],
    }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [422, 404], authority_admin_district: [422, 404], authority_officer: [422, 404],
      institution_admin: [422, 404], security_officer: [422, 404], data_steward: [422, 404], data_user: [403, 404],
      auditor_internal: [422, 404], auditor_regulator: [422, 422, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'GET /api/resources/:id/deliveries': {
    req: ({ site }) => ({ method: 'GET', url: `/api/resources/${site.cat.resource.id}/deliveries`, secrets: [site.cat.resource.name, site.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [403, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  // A test copy of the site's resource, which has no data: the steward gets 422 DATASET_EMPTY, others their refusal.
  'POST /api/resources/:id/deliveries': {
    req: ({ site }) => ({
      method: 'POST',
      url: `/api/resources/${site.cat.resource.id}/deliveries`,
      body: { scenario: 'test', recipient: '测试环境', purpose: '矩阵测试', format: 'csv' },
      secrets: [site.cat.resource.name, site.name],
    }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [403, 404], data_steward: [422, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  // Tracing a file against the deliveries in the caller's protection.read reach (none here: undetermined).
  'POST /api/trace': {
    sided: false,
    readOnly: true,
    req: () => ({ method: 'POST', url: '/api/trace?fileName=leak.csv', body: '姓名,登记日期\r\n张三,2025-01-02\r\n', headers: { 'content-type': 'text/csv' } }),
    expect: {
      platform_admin: 403, authority_admin_city: 200, authority_admin_district: 200, authority_officer: 200,
      institution_admin: 200, security_officer: 200, data_steward: 200, data_user: 403,
      auditor_internal: 200, auditor_regulator: 200, vendor_operator: 403, anonymous: 401,
    },
  },
  // Background jobs: a job kind names who reads (here catalog.read) and who cancels (catalog.manage).
  'GET /api/jobs/:id': {
    req: ({ site }) => ({ method: 'GET', url: `/api/jobs/${site.cat.job}`, secrets: [site.name] }),
    expect: {
      platform_admin: [200, 200], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [200, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [200, 404], anonymous: 401,
    },
  },
  'POST /api/jobs/:id/cancel': {
    req: ({ site }) => ({ method: 'POST', url: `/api/jobs/${site.cat.job}/cancel`, secrets: [site.name] }),
    undo: async ({ site }) => {
      await db().updateTable('jobs').set({ status: 'queued', cancel_requested: false, finished_at: null }).where('id', '=', site.cat.job).execute();
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [200, 404], security_officer: [403, 404], data_steward: [200, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  // Discovery scans (issue 4): listed with catalog.read; started and accepted with catalog.manage. The site
  // resources hold no data: a start that passes the checks answers 422 DATASET_EMPTY.
  'GET /api/resources/:id/scans': {
    req: ({ site }) => ({ method: 'GET', url: `/api/resources/${site.cat.resource.id}/scans`, secrets: [site.cat.resource.name, site.name] }),
    expect: {
      platform_admin: [200, 200], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [200, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [200, 404], anonymous: 401,
    },
  },
  'POST /api/resources/:id/scans': {
    req: ({ site }) => ({ method: 'POST', url: `/api/resources/${site.cat.resource.id}/scans`, body: {}, secrets: [site.cat.resource.name, site.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [422, 404], security_officer: [403, 404], data_steward: [422, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  // No scan of the site's resource exists: those allowed get 404 for the scan, the others their refusal.
  'POST /api/resources/:id/scans/:jobId/accept': {
    req: ({ site }) => ({
      method: 'POST',
      url: `/api/resources/${site.cat.resource.id}/scans/${site.cat.job}/accept`,
      body: { fields: [], updateInventory: false },
      secrets: [site.cat.resource.name, site.name],
    }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [404, 404], security_officer: [403, 404], data_steward: [404, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  // The authority's custom recognizers: read with scheme.read, saved with scheme.manage (city authority).
  'GET /api/discovery/recognizers': {
    sided: false,
    req: () => ({ method: 'GET', url: '/api/discovery/recognizers' }),
    expect: {
      platform_admin: 200, authority_admin_city: 200, authority_admin_district: 200, authority_officer: 200,
      institution_admin: 200, security_officer: 200, data_steward: 200, data_user: 200,
      auditor_internal: 200, auditor_regulator: 200, vendor_operator: 403, anonymous: 401,
    },
  },
  'PUT /api/discovery/recognizers': {
    sided: false,
    req: () => ({ method: 'PUT', url: '/api/discovery/recognizers', body: { version: 0, recognizers: [{ id: 'X_MATRIX', name: '矩阵', pattern: 'MX\\d{6}' }] } }),
    undo: async () => {
      await db().deleteFrom('discovery_recognizers').execute();
    },
    expect: {
      platform_admin: 403, authority_admin_city: 200, authority_admin_district: 403, authority_officer: 403,
      institution_admin: 403, security_officer: 403, data_steward: 403, data_user: 403,
      auditor_internal: 403, auditor_regulator: 403, vendor_operator: 403, anonymous: 401,
    },
  },
  // A resource of the side's registered system (catalog.manage at the system's institution).
  'POST /api/resources': {
    req: ({ site }) => ({
      method: 'POST',
      url: '/api/resources',
      body: {
        systemId: site.cat.system.id,
        name: `矩阵新建资源 ${next()}`,
        fields: [{ name: '证件号码', dataType: 'string' }],
        shareAttribute: 'unconditional',
        openAttribute: 'not_open',
      },
      secrets: [site.cat.system.name, site.name],
    }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [201, 404], security_officer: [403, 404], data_steward: [201, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'PATCH /api/resources/:id': {
    req: async ({ site }) => ({
      method: 'PATCH',
      url: `/api/resources/${site.cat.resource.id}`,
      body: { description: `矩阵修改 ${next()}`, version: await rowVersion('data_resources', site.cat.resource.id) },
      secrets: [site.cat.resource.name, site.name],
    }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [200, 404], security_officer: [403, 404], data_steward: [200, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },

  // ── catalog: grading (CLS-2..4) ─────────────────────────────────────────────────────────────────────
  // grading.propose: data steward only. The proposal is removed again (one may be pending per resource).
  'POST /api/resources/:id/gradings': {
    req: ({ site }) => ({
      method: 'POST',
      url: `/api/resources/${site.cat.resource.id}/gradings`,
      body: {
        categories: [CATEGORY],
        harms: [{ ...HARM, reason: '涉及个人身份信息' }],
        chosenLevel: LEVEL,
        overrideReason: '矩阵',
        fieldLabels: [],
      },
      secrets: [site.cat.resource.name, site.name],
    }),
    undo: async ({ site }, res) => {
      await db().deleteFrom('resource_gradings').where('id', '=', res.json().id).execute();
      await db().updateTable('data_resources').set({ grading_status: 'ungraded' }).where('id', '=', site.cat.resource.id).execute();
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [403, 404], data_steward: [201, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  'GET /api/resources/:id/gradings': {
    req: ({ site }) => ({
      method: 'GET',
      url: `/api/resources/${site.cat.graded.id}/gradings`,
      secrets: [site.cat.graded.name, site.name],
    }),
    expect: {
      platform_admin: [200, 200], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [200, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [200, 404], anonymous: 401,
    },
  },
  // grading.approve: security officer only (the proposer is the site's plain user). Put back to pending.
  'POST /api/gradings/:id/decision': {
    req: ({ site }) => ({
      method: 'POST',
      url: `/api/gradings/${site.cat.graded.grading}/decision`,
      body: { decision: 'approve' },
      secrets: [site.cat.graded.name, site.name],
    }),
    undo: async ({ site }) => {
      await db()
        .updateTable('resource_gradings')
        .set({ status: 'pending', decided_by: null, decided_at: null, decision_reason: null })
        .where('id', '=', site.cat.graded.grading)
        .execute();
      await db().updateTable('data_resources').set({ level: null, categories: [], grading_status: 'pending' }).where('id', '=', site.cat.graded.id).execute();
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [200, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  // Per institution in catalog.read reach: the side's institution is listed or not.
  'GET /api/grading/dashboard': {
    req: ({ site }) => ({ method: 'GET', url: '/api/grading/dashboard', probe: site.inst }),
    expect: {
      platform_admin: ['sees', 'sees'], authority_admin_city: ['sees', 'hidden'], authority_admin_district: ['sees', 'hidden'], authority_officer: ['sees', 'hidden'],
      institution_admin: ['sees', 'hidden'], security_officer: ['sees', 'hidden'], data_steward: ['sees', 'hidden'], data_user: ['sees', 'hidden'],
      auditor_internal: ['sees', 'hidden'], auditor_regulator: ['sees', 'sees', 'hidden'], vendor_operator: ['sees', 'hidden'], anonymous: 401,
    },
  },

  // ── catalog: import and export (AST-4) ──────────────────────────────────────────────────────────────
  // catalog.manage at the named institution. The body is the file: a CSV with the kind column, adding a
  // system (the importers also hold system.manage), a resource and a field, under new names each time.
  'POST /api/catalog/import': {
    req: ({ site }) => {
      const system = `矩阵导入系统 ${next()}`;
      const rows = [
        '类型,系统名称,资源名称,字段名称,数据类型,共享属性,开放属性',
        `系统,${system},,,,,`,
        `数据资源,${system},矩阵导入资源,,,无条件共享,不予开放`,
        `数据项,${system},矩阵导入资源,姓名,字符型,,`,
      ];
      return {
        method: 'POST',
        url: `/api/catalog/import?institutionId=${site.inst}`,
        body: `${rows.join('\r\n')}\r\n`,
        headers: { 'content-type': 'text/csv' },
        secrets: [site.name],
      };
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [200, 404], security_officer: [403, 404], data_steward: [200, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 404], anonymous: 401,
    },
  },
  // What the caller can read: the side's unpublished resource is in the file or not.
  'GET /api/catalog/export': {
    req: ({ site }) => ({
      method: 'GET',
      url: `/api/catalog/export?format=json&institutionId=${site.inst}`,
      probe: site.cat.resource.id,
    }),
    expect: {
      platform_admin: ['sees', 'sees'], authority_admin_city: ['sees', 'hidden'], authority_admin_district: ['sees', 'hidden'], authority_officer: ['sees', 'hidden'],
      institution_admin: ['sees', 'hidden'], security_officer: ['sees', 'hidden'], data_steward: ['sees', 'hidden'], data_user: ['sees', 'hidden'],
      auditor_internal: ['sees', 'hidden'], auditor_regulator: ['sees', 'sees', 'hidden'], vendor_operator: ['sees', 'hidden'], anonymous: 401,
    },
  },

  // ── deletion duties (LIF-10, DG-12) and error reports (LIF-9, DG-11) ─────────────────────────────────
  // Each site holds a grant of its resource to itself (one institution is both sides, so a side is one
  // reach), with an open duty (evidence attached), a confirmed duty and an open error report (dutySites).
  // Reading needs sharing.read over the holder/reporter or the provider; confirming sharing.apply at the
  // holder; opening, accepting, reopening and resolving sharing.provide at the provider.
  'GET /api/deletion-duties': {
    req: ({ site }) => ({ method: 'GET', url: '/api/deletion-duties?pageSize=200', probe: dutySites[siteKeyOf(site)].duty }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: ['sees', 'hidden'], authority_admin_district: ['sees', 'hidden'], authority_officer: ['sees', 'hidden'],
      institution_admin: ['sees', 'hidden'], security_officer: ['sees', 'hidden'], data_steward: ['sees', 'hidden'], data_user: ['sees', 'hidden'],
      auditor_internal: ['sees', 'hidden'], auditor_regulator: ['sees', 'sees', 'hidden'], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'POST /api/deletion-duties': {
    req: ({ site }) => ({ method: 'POST', url: '/api/deletion-duties', body: { grantId: dutySites[siteKeyOf(site)].grant, case: 'other_legal', reason: '矩阵要求删除' }, secrets: [site.name] }),
    undo: async ({ site }) => {
      await db().deleteFrom('deletion_duties').where('grant_id', '=', dutySites[siteKeyOf(site)].grant).where('case_code', '=', 'other_legal').execute();
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [201, 404], security_officer: [403, 404], data_steward: [201, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'GET /api/deletion-duties/:id': {
    req: ({ site }) => ({ method: 'GET', url: `/api/deletion-duties/${dutySites[siteKeyOf(site)].duty}`, secrets: [site.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [200, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'GET /api/deletion-duties/:id/evidence': {
    req: ({ site }) => ({ method: 'GET', url: `/api/deletion-duties/${dutySites[siteKeyOf(site)].duty}/evidence`, secrets: [site.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [200, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'POST /api/deletion-duties/:id/evidence': {
    req: ({ site }) => ({
      method: 'POST',
      url: `/api/deletion-duties/${dutySites[siteKeyOf(site)].duty}/evidence?fileName=proof.txt`,
      body: '矩阵删除证明',
      headers: { 'content-type': 'application/octet-stream' },
      secrets: [site.name],
    }),
    undo: async ({ site }) => {
      await resetDuties(siteKeyOf(site));
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [403, 404], data_steward: [200, 404], data_user: [200, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'POST /api/deletion-duties/:id/confirm': {
    req: ({ site }) => ({ method: 'POST', url: `/api/deletion-duties/${dutySites[siteKeyOf(site)].duty}/confirm`, body: { outcome: 'deleted', statement: '已删除' }, secrets: [site.name] }),
    undo: async ({ site }) => {
      await resetDuties(siteKeyOf(site));
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [403, 404], data_steward: [200, 404], data_user: [200, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'POST /api/deletion-duties/:id/accept': {
    req: ({ site }) => ({ method: 'POST', url: `/api/deletion-duties/${dutySites[siteKeyOf(site)].confirmed}/accept`, body: {}, secrets: [site.name] }),
    undo: async ({ site }) => {
      await resetDuties(siteKeyOf(site));
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [200, 404], security_officer: [403, 404], data_steward: [200, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'POST /api/deletion-duties/:id/reopen': {
    req: ({ site }) => ({ method: 'POST', url: `/api/deletion-duties/${dutySites[siteKeyOf(site)].confirmed}/reopen`, body: { reason: '备份中仍有数据' }, secrets: [site.name] }),
    undo: async ({ site }) => {
      await resetDuties(siteKeyOf(site));
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [200, 404], security_officer: [403, 404], data_steward: [200, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'GET /api/error-reports': {
    req: ({ site }) => ({ method: 'GET', url: '/api/error-reports?pageSize=200', probe: dutySites[siteKeyOf(site)].report }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: ['sees', 'hidden'], authority_admin_district: ['sees', 'hidden'], authority_officer: ['sees', 'hidden'],
      institution_admin: ['sees', 'hidden'], security_officer: ['sees', 'hidden'], data_steward: ['sees', 'hidden'], data_user: ['sees', 'hidden'],
      auditor_internal: ['sees', 'hidden'], auditor_regulator: ['sees', 'sees', 'hidden'], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  // Reporting needs sharing.apply and a resource the caller can read (the site's is unpublished: other → 404).
  'POST /api/error-reports': {
    req: ({ site }) => ({ method: 'POST', url: '/api/error-reports', body: { resourceId: site.cat.resource.id, description: '矩阵纠错' }, secrets: [site.cat.resource.name] }),
    undo: async (_ctx, res) => {
      await db().deleteFrom('error_reports').where('id', '=', res.json().id).execute();
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 403], authority_admin_district: [403, 403], authority_officer: [403, 403],
      institution_admin: [403, 403], security_officer: [403, 403], data_steward: [201, 404], data_user: [201, 404],
      auditor_internal: [403, 403], auditor_regulator: [403, 403, 403], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'GET /api/error-reports/:id': {
    req: ({ site }) => ({ method: 'GET', url: `/api/error-reports/${dutySites[siteKeyOf(site)].report}`, secrets: [site.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [200, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'POST /api/error-reports/:id/resolve': {
    req: ({ site }) => ({ method: 'POST', url: `/api/error-reports/${dutySites[siteKeyOf(site)].report}/resolve`, body: { outcome: 'corrected', resolution: '已更正' }, secrets: [site.name] }),
    undo: async ({ site }) => {
      await db()
        .updateTable('error_reports')
        .set({ status: 'open', resolution: null, resolved_by: null, resolved_at: null, version: 1 })
        .where('id', '=', dutySites[siteKeyOf(site)].report)
        .execute();
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [200, 404], security_officer: [403, 404], data_steward: [200, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },

  // ── grants and client credentials (LIF-3, LIF-6, LIF-10) ─────────────────────────────────────────────
  // The duty rows' grant of each site (one institution is both sides). Reading needs sharing.read over either
  // side; revoking sharing.provide at the provider or sharing.approve over it (a revoked grant is put back);
  // credentials sharing.apply at the recipient. The gateway routes are public (PUBLIC_ROUTES): the gateway
  // authenticates its clients itself (test/api/sharing-gateway.test.ts).
  'GET /api/share-grants': {
    req: ({ site }) => ({ method: 'GET', url: '/api/share-grants?pageSize=200', probe: dutySites[siteKeyOf(site)].grant }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: ['sees', 'hidden'], authority_admin_district: ['sees', 'hidden'], authority_officer: ['sees', 'hidden'],
      institution_admin: ['sees', 'hidden'], security_officer: ['sees', 'hidden'], data_steward: ['sees', 'hidden'], data_user: ['sees', 'hidden'],
      auditor_internal: ['sees', 'hidden'], auditor_regulator: ['sees', 'sees', 'hidden'], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'GET /api/share-grants/:id': {
    req: ({ site }) => ({ method: 'GET', url: `/api/share-grants/${dutySites[siteKeyOf(site)].grant}`, secrets: [site.name] }),
    expect: grantRead(),
  },
  'GET /api/share-grants/:id/calls': {
    req: ({ site }) => ({ method: 'GET', url: `/api/share-grants/${dutySites[siteKeyOf(site)].grant}/calls`, secrets: [site.name] }),
    expect: grantRead(),
  },
  'POST /api/share-grants/:id/revoke': {
    req: ({ site }) => ({ method: 'POST', url: `/api/share-grants/${dutySites[siteKeyOf(site)].grant}/revoke`, body: { reason: '矩阵撤销' }, secrets: [site.name] }),
    undo: async ({ site }) => {
      await db()
        .updateTable('share_grants')
        .set({ status: 'active', status_reason: null, status_changed_at: null, status_changed_by: null })
        .where('id', '=', dutySites[siteKeyOf(site)].grant)
        .execute();
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [403, 404], data_steward: [200, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'GET /api/share-grants/:id/credentials': {
    req: ({ site }) => ({ method: 'GET', url: `/api/share-grants/${dutySites[siteKeyOf(site)].grant}/credentials`, secrets: [site.name] }),
    expect: grantCredentials(200),
  },
  'POST /api/share-grants/:id/credentials': {
    req: ({ site }) => ({ method: 'POST', url: `/api/share-grants/${dutySites[siteKeyOf(site)].grant}/credentials`, body: { name: '矩阵新凭证' }, secrets: [site.name] }),
    undo: async (_ctx, res) => {
      await db().deleteFrom('grant_credentials').where('id', '=', res.json().credential.id).execute();
    },
    expect: grantCredentials(201),
  },
  'DELETE /api/share-grants/:id/credentials/:credentialId': {
    req: async ({ site }) => ({
      method: 'DELETE',
      url: `/api/share-grants/${dutySites[siteKeyOf(site)].grant}/credentials/${await siteCredential(siteKeyOf(site))}`,
      secrets: [site.name],
    }),
    expect: grantCredentials(200),
  },

  // ── open data releases (LIF-7, GZ-17) ───────────────────────────────────────────────────────────────
  // Each site holds a published release of its resource with one snapshot file (openDataSites). Reading needs
  // sharing.read; checking, submitting and refreshing sharing.provide (the release is published: 409, and the
  // ungraded resource fails the refresh's checks: 422); reviewing sharing.approve (not submitted: 409);
  // withdrawing either. The public portal's routes are outside the matrix (PUBLIC_ROUTES). Permission first: a
  // principal with no sharing permission at all (platform administrator, vendor staff) gets 403 on every side,
  // its own and one out of its sight alike, before any lookup (as grants, duties and error reports).
  'GET /api/open-data/releases': {
    req: ({ site }) => ({ method: 'GET', url: '/api/open-data/releases?pageSize=200', probe: openDataOf(site).release }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: ['sees', 'hidden'], authority_admin_district: ['sees', 'hidden'], authority_officer: ['sees', 'hidden'],
      institution_admin: ['sees', 'hidden'], security_officer: ['sees', 'hidden'], data_steward: ['sees', 'hidden'], data_user: ['sees', 'hidden'],
      auditor_internal: ['sees', 'hidden'], auditor_regulator: ['sees', 'sees', 'hidden'], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'POST /api/open-data/releases': {
    req: ({ site }) => ({
      method: 'POST',
      url: '/api/open-data/releases',
      body: { resourceId: site.cat.resource.id, title: '矩阵开放', description: '矩阵', fields: ['登记日期'], quasiIdentifiers: [], k: 2, licence: 'CC BY 4.0' },
      secrets: [site.cat.resource.name, site.name],
    }),
    undo: async (_ctx, res) => {
      await db().deleteFrom('open_data_releases').where('id', '=', res.json().id).execute();
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [201, 404], security_officer: [403, 404], data_steward: [201, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'GET /api/open-data/releases/:id': {
    req: ({ site }) => ({ method: 'GET', url: `/api/open-data/releases/${openDataOf(site).release}`, secrets: [site.cat.resource.name, site.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [200, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'GET /api/open-data/releases/:id/files/:fileId': {
    req: ({ site }) => ({ method: 'GET', url: `/api/open-data/releases/${openDataOf(site).release}/files/${openDataOf(site).file}`, secrets: [site.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [200, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'POST /api/open-data/releases/:id/check': {
    req: ({ site }) => ({ method: 'POST', url: `/api/open-data/releases/${openDataOf(site).release}/check`, secrets: [site.cat.resource.name, site.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [409, 404], security_officer: [403, 404], data_steward: [409, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'POST /api/open-data/releases/:id/submit': {
    req: ({ site }) => ({ method: 'POST', url: `/api/open-data/releases/${openDataOf(site).release}/submit`, secrets: [site.cat.resource.name, site.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [409, 404], security_officer: [403, 404], data_steward: [409, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'POST /api/open-data/releases/:id/review': {
    req: ({ site }) => ({
      method: 'POST',
      url: `/api/open-data/releases/${openDataOf(site).release}/review`,
      body: { decision: 'approve', confirmations: { stateSecrets: false, personalInformation: false, tradeSecrets: false } },
      secrets: [site.cat.resource.name, site.name],
    }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [409, 404], authority_admin_district: [409, 404], authority_officer: [409, 404],
      institution_admin: [403, 404], security_officer: [403, 404], data_steward: [403, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'POST /api/open-data/releases/:id/refresh': {
    req: ({ site }) => ({ method: 'POST', url: `/api/open-data/releases/${openDataOf(site).release}/refresh`, body: {}, secrets: [site.cat.resource.name, site.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [422, 404], security_officer: [403, 404], data_steward: [422, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'POST /api/open-data/releases/:id/withdraw': {
    req: ({ site }) => ({ method: 'POST', url: `/api/open-data/releases/${openDataOf(site).release}/withdraw`, body: { reason: '矩阵撤回' }, secrets: [site.name] }),
    undo: async ({ site }) => {
      await db().updateTable('open_data_releases').set({ status: 'published', withdrawn_at: null }).where('id', '=', openDataOf(site).release).execute();
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [403, 404], data_steward: [200, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },

  // ── share requests, approvals, agreements (LIF-4) ──────────────────────────────────────────────────
  // Each site holds a request of its own (applicant = provider = the site; made by its plain user) whose
  // provider step is open with an unanswered evidence request, and one whose authority step (at the site) is
  // overdue (requestSites); the agreement rows use the duty rows' signed agreement of the site (request
  // granted: a party gets 409). Reading needs sharing.read over either side (in sight without it: 403; no
  // sharing permission at all: 403 on every side, before any lookup, for reads and actions, agreements too);
  // deciding the provider step sharing.provide there (the authority: 409 STEP_NOT_OPEN); evidence questions
  // sharing.provide; answers and withdrawal sharing.apply at the applicant.
  'GET /api/share-requests': {
    req: ({ site }) => ({ method: 'GET', url: '/api/share-requests?pageSize=200', probe: requestSites[siteKeyOf(site)].open }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: ['sees', 'hidden'], authority_admin_district: ['sees', 'hidden'], authority_officer: ['sees', 'hidden'],
      institution_admin: ['sees', 'hidden'], security_officer: ['sees', 'hidden'], data_steward: ['sees', 'hidden'], data_user: ['sees', 'hidden'],
      auditor_internal: ['sees', 'hidden'], auditor_regulator: ['sees', 'sees', 'hidden'], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  // Applying for the site's own (unpublished) resource as the site: 422 OWN_RESOURCE where sharing.apply holds.
  'POST /api/share-requests': {
    req: ({ site }) => ({
      method: 'POST',
      url: '/api/share-requests',
      body: {
        resourceId: site.cat.resource.id,
        applicantInstitutionId: site.inst,
        fields: ['姓名'],
        purpose: '矩阵用途',
        purposeCode: 'matrix.use',
        legalBasis: '矩阵依据',
        scenario: '矩阵场景',
        method: 'interface',
        termStart: '2026-01-01',
        termEnd: '2027-12-31',
        securityMeasures: '矩阵措施',
        liabilityAccepted: true,
      },
      secrets: [site.cat.resource.name],
    }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 403], authority_admin_district: [403, 403], authority_officer: [403, 403],
      institution_admin: [403, 403], security_officer: [403, 403], data_steward: [422, 404], data_user: [422, 404],
      auditor_internal: [403, 403], auditor_regulator: [403, 403, 403], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'GET /api/share-requests/:id': {
    req: ({ site }) => ({ method: 'GET', url: `/api/share-requests/${requestSites[siteKeyOf(site)].open}`, secrets: [site.name, '矩阵申请用途'] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [200, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  // The files kept with a request (an evidence answer's file, the LIF-8 assessment report) go to whoever reads it.
  'GET /api/share-requests/:id/evidence/:evidenceId/file': {
    req: ({ site }) => {
      const r = requestSites[siteKeyOf(site)];
      return { method: 'GET', url: `/api/share-requests/${r.queued}/evidence/${r.fileEvidence}/file`, secrets: [site.name] };
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [200, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'GET /api/share-requests/:id/association-assessment/report': {
    req: ({ site }) => ({ method: 'GET', url: `/api/share-requests/${requestSites[siteKeyOf(site)].assessed}/association-assessment/report`, secrets: [site.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [200, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'POST /api/share-requests/:id/decision': {
    req: ({ site }) => ({ method: 'POST', url: `/api/share-requests/${requestSites[siteKeyOf(site)].open}/decision`, body: { decision: 'reject', reason: '矩阵驳回' }, secrets: [site.name, '矩阵申请用途'] }),
    undo: async ({ site }) => {
      await resetRequest(siteKeyOf(site));
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [409, 404], authority_admin_district: [409, 404], authority_officer: [409, 404],
      institution_admin: [200, 404], security_officer: [403, 404], data_steward: [200, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'POST /api/share-requests/:id/evidence': {
    req: ({ site }) => ({ method: 'POST', url: `/api/share-requests/${requestSites[siteKeyOf(site)].open}/evidence`, body: { question: '矩阵问题' }, secrets: [site.name, '矩阵申请用途'] }),
    undo: async ({ site }) => {
      await resetRequest(siteKeyOf(site));
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [200, 404], security_officer: [403, 404], data_steward: [200, 404], data_user: [403, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'POST /api/share-requests/:id/evidence/:evidenceId/answer': {
    req: ({ site }) => {
      const r = requestSites[siteKeyOf(site)];
      return { method: 'POST', url: `/api/share-requests/${r.open}/evidence/${r.evidence}/answer`, body: { answer: '矩阵答复' }, secrets: [site.name, '矩阵申请用途'] };
    },
    undo: async ({ site }) => {
      await resetRequest(siteKeyOf(site));
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [403, 404], data_steward: [200, 404], data_user: [200, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'POST /api/share-requests/:id/evidence/:evidenceId/answer-file': {
    req: ({ site }) => {
      const r = requestSites[siteKeyOf(site)];
      return {
        method: 'POST',
        url: `/api/share-requests/${r.open}/evidence/${r.evidence}/answer-file?fileName=proof.txt`,
        body: '矩阵材料',
        headers: { 'content-type': 'application/octet-stream' },
        secrets: [site.name, '矩阵申请用途'],
      };
    },
    undo: async ({ site }) => {
      await resetRequest(siteKeyOf(site));
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [403, 404], data_steward: [200, 404], data_user: [200, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'POST /api/share-requests/:id/withdraw': {
    req: ({ site }) => ({ method: 'POST', url: `/api/share-requests/${requestSites[siteKeyOf(site)].open}/withdraw`, secrets: [site.name, '矩阵申请用途'] }),
    undo: async ({ site }) => {
      await resetRequest(siteKeyOf(site));
    },
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [403, 404], security_officer: [403, 404], data_steward: [200, 404], data_user: [200, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'GET /api/sharing/queue': {
    req: ({ site }) => ({ method: 'GET', url: '/api/sharing/queue', probe: requestSites[siteKeyOf(site)].queued }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: ['sees', 'hidden'], authority_admin_district: ['sees', 'hidden'], authority_officer: ['sees', 'hidden'],
      institution_admin: [403, 403], security_officer: [403, 403], data_steward: [403, 403], data_user: [403, 403],
      auditor_internal: [403, 403], auditor_regulator: [403, 403, 403], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'GET /api/sharing/overdue': {
    req: ({ site }) => ({ method: 'GET', url: '/api/sharing/overdue', probe: requestSites[siteKeyOf(site)].queued }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: ['sees', 'hidden'], authority_admin_district: ['sees', 'hidden'], authority_officer: ['sees', 'hidden'],
      institution_admin: ['sees', 'hidden'], security_officer: ['sees', 'hidden'], data_steward: ['sees', 'hidden'], data_user: ['sees', 'hidden'],
      auditor_internal: ['sees', 'hidden'], auditor_regulator: ['sees', 'sees', 'hidden'], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  // The map's nodes are the institutions of active grants within reach: the site's own grant (duty rows).
  'GET /api/sharing/map': {
    req: ({ site }) => ({ method: 'GET', url: '/api/sharing/map', probe: site.inst }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: ['sees', 'hidden'], authority_admin_district: ['sees', 'hidden'], authority_officer: ['sees', 'hidden'],
      institution_admin: ['sees', 'hidden'], security_officer: ['sees', 'hidden'], data_steward: ['sees', 'hidden'], data_user: ['sees', 'hidden'],
      auditor_internal: ['sees', 'hidden'], auditor_regulator: ['sees', 'sees', 'hidden'], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'GET /api/share-agreements/:id': {
    req: ({ site }) => ({ method: 'GET', url: `/api/share-agreements/${requestSites[siteKeyOf(site)].agreement}`, secrets: [site.name, '矩阵协议'] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [200, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'GET /api/share-agreements/:id/verify': {
    req: ({ site }) => ({ method: 'GET', url: `/api/share-agreements/${requestSites[siteKeyOf(site)].agreement}/verify`, secrets: [site.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [200, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  'GET /api/share-agreements/:id/bundle': {
    req: ({ site }) => ({ method: 'GET', url: `/api/share-agreements/${requestSites[siteKeyOf(site)].agreement}/bundle`, secrets: [site.name] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
      institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [200, 404],
      auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },
  // The site's agreement is already in force: a party gets 409 (before any re-authentication); others 403 NOT_A_PARTY.
  'POST /api/share-agreements/:id/sign': {
    req: ({ site, state }) => ({ method: 'POST', url: `/api/share-agreements/${requestSites[siteKeyOf(site)].agreement}/sign`, body: { password: state.password }, secrets: [site.name, '矩阵协议'] }),
    expect: {
      platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
      institution_admin: [409, 404], security_officer: [403, 404], data_steward: [409, 404], data_user: [409, 404],
      auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 403], anonymous: 401,
    },
  },

  // Last: it ends the only session of each account.
  'POST /api/auth/logout': {
    sided: false,
    req: () => ({ method: 'POST', url: '/api/auth/logout' }),
    expect: everyone(200),
  },
};

/** Each site's published open-data release and its snapshot file (open-data rows), by institution. */
const openDataSites = new Map<string, { release: string; file: string }>();
const openDataOf = (site: Site) => openDataSites.get(site.inst) as { release: string; file: string };
async function insertOpenData(site: Site): Promise<void> {
  const release = uuidv7();
  const file = uuidv7();
  const csv = Buffer.from('\uFEFF登记日期\r\n2025-01\r\n');
  await db()
    .insertInto('open_data_releases')
    .values({
      id: release,
      number: `KF-MX-${site.inst.slice(-6)}`,
      resource_id: site.cat.resource.id,
      institution_id: site.inst,
      title: `矩阵开放数据 ${site.name}`,
      description: '矩阵',
      fields: JSON.stringify([{ name: '登记日期', description: null, dataType: 'date' }]),
      quasi_identifiers: '[]',
      k: 2,
      licence: 'CC BY 4.0',
      status: 'published',
      proposed_by: site.user.id,
      published_at: new Date(),
    })
    .execute();
  await db()
    .insertInto('open_data_files')
    .values({ id: file, release_id: release, seq: 1, csv, sm3: sm3(csv).toString('hex'), rows: 1, dataset_version: 1 })
    .execute();
  await db().updateTable('open_data_releases').set({ current_file_id: file }).where('id', '=', release).execute();
  openDataSites.set(site.inst, { release, file });
}

/** Public routes, the only ones outside the matrix. */
const PUBLIC_ROUTES = [
  'POST /api/auth/login',
  'GET /api/health',
  'POST /api/public/error-reports',
  'GET /api/public/error-reports/:trackingCode',
  'GET /api/public/open-data',
  'GET /api/public/open-data/:id',
  'GET /api/public/open-data/:id/download',
  'GET /api/data-services/:grantId/records',
  'GET /api/data-services/:grantId/export',
  'GET /api/data-services/:grantId/aggregate',
];

beforeAll(async () => {
  h = await createTestApp();
  await sql`CREATE TABLE matrix_pull ("姓名" text, "登记日期" date); INSERT INTO matrix_pull VALUES ('张三', '2025-01-02')`.execute(h.t.db);
  MATRIX_PULL_URL = h.t.url;
  h.services.jobs.defineKind(MATRIX_JOB, { read: 'catalog.read', cancel: 'catalog.manage', label: { zh: '矩阵任务', en: 'Matrix job' } });
  const d = db();
  const id = (name: string) => h.inst(name);
  const [city, district, psb, edu, health, cac, transport, civil] = (await Promise.all(
    [
      '示范市数据管理局',
      '示范市南湖区数据管理局',
      '示范市公安局',
      '示范市教育局',
      '示范市卫生健康委员会',
      '中共示范市委网络安全和信息化委员会办公室',
      '示范市交通运输局',
      '示范市南湖区民政局',
    ].map(id),
  )) as string[];

  // Out of everyone's reach but the platform's: a neighbouring city (a second root) with an institution and a regulator.
  const mk = async (name: string, parent: string | null, kind: string, sector: string) => {
    const iid = uuidv7();
    await d
      .insertInto('institutions')
      .values({
        id: iid,
        parent_id: parent,
        kind,
        name,
        short_name: null,
        code: null,
        admin_level: null,
        sector,
        profile: '{}',
      })
      .execute();
    return iid;
  };
  const neighbour = await mk('邻市数据管理局', null, 'authority', 'data_management');
  const neighbourPsb = await mk('邻市公安局', neighbour, 'institution', 'public_security');
  const neighbourReg = await mk('邻市网信办', neighbour, 'regulator', 'cyberspace');
  const districtReg = await mk('南湖区网信办', district, 'regulator', 'cyberspace');
  const grants = [
    { regulator: cac, institution: transport },
    { regulator: districtReg, institution: civil },
    { regulator: neighbourReg, institution: neighbourPsb },
  ];
  for (const g of grants) {
    await d
      .insertInto('regulator_read_grants')
      .values({
        id: uuidv7(),
        regulator_id: g.regulator,
        institution_id: g.institution,
        note: 'matrix',
        granted_by: null,
      })
      .execute();
  }
  const [cacGrant, districtGrant, neighbourGrant] = grants as [(typeof grants)[0], (typeof grants)[0], (typeof grants)[0]];

  const defs: Record<SiteKey, { inst: string; regulator: string; grant: Site['grant'] }> = {
    city: { inst: city, regulator: cac, grant: cacGrant },
    neighbour: {
      inst: neighbour,
      regulator: neighbourReg,
      grant: neighbourGrant,
    },
    district: { inst: district, regulator: districtReg, grant: districtGrant },
    psb: { inst: psb, regulator: cac, grant: cacGrant },
    edu: { inst: edu, regulator: districtReg, grant: districtGrant },
    health: { inst: health, regulator: cac, grant: cacGrant },
    cac: { inst: cac, regulator: cac, grant: cacGrant },
  };
  // The default scheme becomes version 1 on its first read: read it now, so no request of a row does.
  const scheme = await h.services.scheme.current();
  for (const [key, def] of Object.entries(defs) as [SiteKey, (typeof defs)[SiteKey]][]) {
    const inst = await d.selectFrom('institutions').select('name').where('id', '=', def.inst).executeTakeFirstOrThrow();
    const user = await insertUser(`mx.u.${key}`, def.inst);
    const holder = await insertUser(`mx.r.${key}`, def.inst);
    await d
      .insertInto('role_assignments')
      .values({
        id: uuidv7(),
        user_id: holder.id,
        role: 'data_user',
        institution_id: def.inst,
        granted_by: null,
      })
      .execute();
    // Through the recorder, so the marker is a proper event on the chain (the proof row reads it).
    const marker = await recordAudit(
      d,
      { userId: null, username: 'matrix', institutionId: null },
      { action: 'test.matrix', target: { type: 'institution', id: def.inst, institutionId: def.inst }, details: { site: key } },
    );
    const alert = await insertAlert(key, def.inst);
    sites[key] = { ...def, name: inst.name, user, holder, marker, alert, cat: await seedCatalog(key, def.inst, user.id, scheme.version) };
  }
  for (const site of Object.values(sites)) await insertOpenData(site);
  stranger = {
    userId: sites.neighbour.user.id,
    sessionId: await insertSession(sites.neighbour.user.id),
    tokenId: await insertToken(sites.neighbour.user.id),
  };

  for (const p of PRINCIPAL_KEYS) {
    state.set(p, { password: DEMO_PASSWORD });
    const username = PRINCIPALS[p].username;
    if (username) clients.set(p, await h.login(username));
  }
});
afterAll(() => h?.close());

// ── deletion duties and error reports: per site, a grant of its resource to itself with two duties and a report ──
const dutySites = {} as Record<SiteKey, { grant: string; duty: string; confirmed: string; report: string }>;

// Grants (sharing-grants rows): reading needs sharing.read over either side; credentials sharing.apply at the
// recipient. A credential per site's grant for the DELETE row, active again before each request.
// biome-ignore format: one line per group of principals, like the matrix rows
function grantRead(): Record<P, Cell> {
  return {
    platform_admin: [403, 403], authority_admin_city: [200, 404], authority_admin_district: [200, 404], authority_officer: [200, 404],
    institution_admin: [200, 404], security_officer: [200, 404], data_steward: [200, 404], data_user: [200, 404],
    auditor_internal: [200, 404], auditor_regulator: [200, 200, 404], vendor_operator: [403, 403], anonymous: 401,
  };
}
// biome-ignore format: one line per group of principals, like the matrix rows
function grantCredentials(ok: number): Record<P, Cell> {
  return {
    platform_admin: [403, 403], authority_admin_city: [403, 404], authority_admin_district: [403, 404], authority_officer: [403, 404],
    institution_admin: [403, 404], security_officer: [403, 404], data_steward: [ok, 404], data_user: [ok, 404],
    auditor_internal: [403, 404], auditor_regulator: [403, 403, 404], vendor_operator: [403, 403], anonymous: 401,
  };
}
async function siteCredential(key: SiteKey): Promise<string> {
  const grant = dutySites[key].grant;
  const found = await db().selectFrom('grant_credentials').select('id').where('grant_id', '=', grant).where('name', '=', '矩阵凭证').executeTakeFirst();
  if (found) {
    await db().updateTable('grant_credentials').set({ status: 'active', revoked_at: null, revoked_by: null }).where('id', '=', found.id).execute();
    return found.id;
  }
  const id = uuidv7();
  await db()
    .insertInto('grant_credentials')
    .values({ id, grant_id: grant, client_id: randomBytes(12).toString('hex'), name: '矩阵凭证', secret_mac: randomBytes(32) })
    .execute();
  return id;
}
const siteKeyOf = (site: Site) => (Object.keys(sites) as SiteKey[]).find((k) => sites[k] === site) as SiteKey;
const DUTY_EVIDENCE = Buffer.from('矩阵证明材料');

/** Puts a site's duties back: the open one with its evidence, the confirmed one awaiting acceptance. */
async function resetDuties(key: SiteKey): Promise<void> {
  const s = dutySites[key];
  const at = new Date('2026-03-02T09:00:00+08:00');
  const opened = JSON.stringify([{ at: at.toISOString(), by: null, action: 'opened', reason: '矩阵', dueDate: '2026-03-16' }]);
  await db()
    .updateTable('deletion_duties')
    .set({
      status: 'open',
      due_date: '2026-03-16',
      outcome: null,
      statement: null,
      confirmed_by: null,
      confirmed_at: null,
      evidence: DUTY_EVIDENCE,
      evidence_name: 'proof.txt',
      evidence_sm3: sm3(DUTY_EVIDENCE).toString('hex'),
      evidence_size: DUTY_EVIDENCE.length,
      evidence_uploaded_by: null,
      evidence_uploaded_at: at,
      accepted_by: null,
      accepted_at: null,
      reopen_count: 0,
      reopened_by: null,
      reopened_at: null,
      reopen_reason: null,
      history: opened,
      version: 1,
    })
    .where('id', '=', s.duty)
    .execute();
  await db()
    .updateTable('deletion_duties')
    .set({
      status: 'confirmed',
      due_date: '2026-03-16',
      outcome: 'deleted',
      statement: '已删除',
      confirmed_by: sites[key].holder.id,
      confirmed_at: at,
      accepted_by: null,
      accepted_at: null,
      reopen_count: 0,
      reopened_by: null,
      reopened_at: null,
      reopen_reason: null,
      history: opened,
      version: 1,
    })
    .where('id', '=', s.confirmed)
    .execute();
}

beforeAll(async () => {
  for (const key of Object.keys(sites) as SiteKey[]) {
    const site = sites[key];
    const [request, agreement, grant, duty, confirmed, report] = [uuidv7(), uuidv7(), uuidv7(), uuidv7(), uuidv7(), uuidv7()];
    const common = {
      resource_id: site.cat.resource.id,
      provider_institution_id: site.inst,
      fields: JSON.stringify(['姓名']),
      row_filter: null,
      purpose: '矩阵用途',
      purpose_code: 'matrix.use',
      scenario: '矩阵场景',
      method: 'interface' as const,
      term_start: '2026-01-01',
      term_end: '2027-12-31',
      rate_per_minute: 60,
      rows_per_day: 1000,
    };
    await db()
      .insertInto('share_requests')
      .values({
        ...common,
        id: request,
        number: `MXC-REQ-${key}`,
        applicant_institution_id: site.inst,
        applicant_user_id: site.holder.id,
        legal_basis: '矩阵依据',
        security_measures: '矩阵措施',
        liability_accepted: true,
        share_attribute: 'conditional',
        status: 'granted',
      })
      .execute();
    await db()
      .insertInto('share_agreements')
      .values({
        id: agreement,
        number: `MXC-AGR-${key}`,
        request_id: request,
        text: '矩阵协议',
        text_sm3: sm3(Buffer.from('矩阵协议')).toString('hex'),
        status: 'signed',
      })
      .execute();
    await db()
      .insertInto('share_grants')
      .values({ ...common, id: grant, number: `MXC-GRT-${key}`, request_id: request, agreement_id: agreement, recipient_institution_id: site.inst })
      .execute();
    const duties = {
      grant_id: grant,
      resource_id: site.cat.resource.id,
      provider_institution_id: site.inst,
      holder_institution_id: site.inst,
      reason: '矩阵',
      due_date: '2026-03-16',
    };
    await db()
      .insertInto('deletion_duties')
      .values([
        { ...duties, id: duty, number: `MXC-DEL-${key}-1`, case_code: 'purpose_achieved' },
        {
          ...duties,
          id: confirmed,
          number: `MXC-DEL-${key}-2`,
          case_code: 'function_ceased',
          status: 'confirmed',
          outcome: 'deleted',
          statement: '已删除',
          confirmed_by: site.holder.id,
        },
      ])
      .execute();
    await db()
      .insertInto('error_reports')
      .values({
        id: report,
        number: `MXC-ERR-${key}`,
        resource_id: site.cat.resource.id,
        provider_institution_id: site.inst,
        source: 'user',
        reporter_user_id: site.holder.id,
        reporter_institution_id: site.inst,
        description: '矩阵纠错',
        due_date: '2026-03-23',
      })
      .execute();
    dutySites[key] = { grant, duty, confirmed, report };
    await resetDuties(key);
  }
});

// ── share requests (LIF-4): per site, a request under provider review with an open evidence question, and
// one whose authority step (at the site) is overdue; the agreement rows use the duty rows' agreement ──
const requestSites = {} as Record<SiteKey, { open: string; evidence: string; queued: string; fileEvidence: string; assessed: string; agreement: string }>;

/** Puts a site's open request back: provider step open, authority waiting, one unanswered evidence question. */
async function resetRequest(key: SiteKey): Promise<void> {
  const r = requestSites[key];
  await db().deleteFrom('share_request_evidence').where('request_id', '=', r.open).where('id', '!=', r.evidence).execute();
  await db()
    .updateTable('share_request_evidence')
    .set({ answer: null, answered_by: null, answered_at: null, file_name: null, file: null, file_sm3: null })
    .where('id', '=', r.evidence)
    .execute();
  await db()
    .updateTable('share_request_steps')
    .set({ status: 'open', opened_at: new Date('2026-03-02T09:00:00+08:00'), due_date: '2099-12-31', decided_by: null, decided_at: null, reason: null })
    .where('request_id', '=', r.open)
    .where('seq', '=', 1)
    .execute();
  await db()
    .updateTable('share_request_steps')
    .set({ status: 'waiting', opened_at: null, due_date: null, decided_by: null, decided_at: null, reason: null })
    .where('request_id', '=', r.open)
    .where('seq', '=', 2)
    .execute();
  await db()
    .updateTable('share_requests')
    .set({ status: 'evidence_requested', decided_at: null, version: 1, updated_at: new Date('2026-03-02T09:00:00+08:00') })
    .where('id', '=', r.open)
    .execute();
}

beforeAll(async () => {
  for (const key of Object.keys(sites) as SiteKey[]) {
    const site = sites[key];
    const [open, evidence, queued, fileEvidence, assessed] = [uuidv7(), uuidv7(), uuidv7(), uuidv7(), uuidv7()];
    const base = {
      resource_id: site.cat.resource.id,
      provider_institution_id: site.inst,
      applicant_institution_id: site.inst,
      applicant_user_id: site.user.id,
      fields: JSON.stringify(['姓名']),
      purpose: '矩阵申请用途',
      purpose_code: 'matrix.apply',
      legal_basis: '矩阵依据',
      scenario: '矩阵场景',
      method: 'interface' as const,
      term_start: '2026-01-01',
      term_end: '2027-12-31',
      security_measures: '矩阵措施',
      liability_accepted: true,
      rate_per_minute: 60,
      rows_per_day: 1000,
      share_attribute: 'conditional' as const,
      updated_at: new Date('2026-03-02T09:00:00+08:00'),
    };
    await db()
      .insertInto('share_requests')
      .values([
        { ...base, id: open, number: `MXA-REQ-${key}-1` },
        { ...base, id: queued, number: `MXA-REQ-${key}-2`, status: 'in_review' },
        { ...base, id: assessed, number: `MXA-REQ-${key}-3`, status: 'in_review' },
      ])
      .execute();
    const step = (
      request: string,
      seq: number,
      kind: 'provider' | 'association' | 'authority',
      status: 'open' | 'waiting' | 'approved',
      due: string | null,
    ) => ({
      id: uuidv7(),
      request_id: request,
      seq,
      kind,
      institution_id: site.inst,
      status,
      opened_at: status === 'waiting' ? null : new Date('2026-01-02T09:00:00+08:00'),
      due_date: due,
      decided_by: status === 'approved' ? site.holder.id : null,
      decided_at: status === 'approved' ? new Date('2026-01-02T10:00:00+08:00') : null,
    });
    await db()
      .insertInto('share_request_steps')
      .values([
        step(open, 1, 'provider', 'open', '2099-12-31'),
        step(open, 2, 'authority', 'waiting', null),
        step(queued, 1, 'provider', 'approved', '2026-01-05'),
        step(queued, 2, 'authority', 'open', '2026-01-05'),
        step(assessed, 1, 'provider', 'approved', '2026-01-05'),
        step(assessed, 2, 'association', 'approved', '2026-01-05'),
        step(assessed, 3, 'authority', 'open', '2026-01-05'),
      ])
      .returning(['id', 'request_id', 'seq'])
      .execute()
      .then((rows) => rows.find((r) => r.request_id === assessed && r.seq === 2)?.id as string)
      .then((assessmentStep) =>
        db()
          .insertInto('share_association_assessments')
          .values({
            id: uuidv7(),
            request_id: assessed,
            step_id: assessmentStep,
            institution_id: site.inst,
            conclusion: 'acceptable',
            risks: '矩阵风险',
            assessor_kind: 'authority',
            report_file_name: 'report.pdf',
            report_file: Buffer.from('矩阵评估报告'),
            report_file_sm3: sm3(Buffer.from('矩阵评估报告')).toString('hex'),
            recorded_by: site.holder.id,
          })
          .execute(),
      );
    await db()
      .insertInto('share_request_evidence')
      .values([
        { id: evidence, request_id: open, asked_by: site.holder.id, question: '矩阵问题' },
        {
          id: fileEvidence,
          request_id: queued,
          asked_by: site.holder.id,
          question: '矩阵问题',
          answered_by: site.user.id,
          answered_at: new Date('2026-01-03T09:00:00+08:00'),
          answer: '矩阵答复',
          file_name: 'proof.txt',
          file: Buffer.from('矩阵材料'),
          file_sm3: sm3(Buffer.from('矩阵材料')).toString('hex'),
        },
      ])
      .execute();
    const agreement = await db().selectFrom('share_agreements').select('id').where('number', '=', `MXC-AGR-${key}`).executeTakeFirstOrThrow();
    requestSites[key] = { open, evidence, queued, fileEvidence, assessed, agreement: agreement.id };
    await resetRequest(key);
  }
});

async function send(p: P, r: Req): Promise<LightMyRequestResponse> {
  const client = clients.get(p);
  if (client) return client.request(r.method, r.url, r.body, r.headers);
  return h.app.inject({
    method: r.method as 'GET',
    url: r.url,
    ...(r.body !== undefined ? { payload: r.body as object } : {}),
    ...(r.headers ? { headers: r.headers } : {}),
  });
}

/** Runs one cell; returns what was observed and any broken invariant. */
async function runCell(key: string, entry: Entry, p: P, side: Side): Promise<{ observed: Exp; problems: string[] }> {
  const siteKey = (PRINCIPALS[p].sites as Partial<Record<Side, SiteKey>>)[side] as SiteKey;
  const ctx: Ctx = {
    p,
    side,
    site: sites[siteKey],
    userId: clients.get(p)?.userId ?? stranger.userId,
    state: state.get(p) as PrincipalState,
  };
  const r = await entry.req(ctx);
  const label = `${key} as ${p} (${side})`;
  const mutating = r.method !== 'GET';
  const before = mutating ? await fingerprint() : '';
  const res = await send(p, r);
  const problems: string[] = [];
  const status = res.statusCode;
  if (mutating) {
    const after = await fingerprint();
    if (entry.readOnly) {
      if (after !== before) problems.push(`${label}: answered ${status} and changed stored data, though it only computes`);
    } else {
      if (status >= 400 && after !== before) problems.push(`${label}: refused with ${status} but changed stored data`);
      if (status < 300 && after === before) problems.push(`${label}: answered ${status} but changed nothing`);
    }
  }
  if (status === 404 && res.json().code !== 'NOT_FOUND') problems.push(`${label}: 404 with code ${res.json().code}`);
  if (status >= 400) {
    for (const secret of r.secrets ?? []) if (res.body.includes(secret)) problems.push(`${label}: ${status} answer names "${secret}"`);
  }
  let observed: Exp = status;
  if (r.probe && status === 200) observed = res.body.includes(r.probe) ? 'sees' : 'hidden';
  if (status < 300) {
    entry.after?.(ctx, res);
    await entry.undo?.(ctx, res);
  }
  return { observed, problems };
}

/** The expected row in the observed row's shape: per principal one value, or { side: value }. */
function expectedRow(entry: Entry): Record<P, Exp | Partial<Record<Side, Exp>>> {
  const out = {} as Record<P, Exp | Partial<Record<Side, Exp>>>;
  for (const p of PRINCIPAL_KEYS) {
    const cell = entry.expect[p];
    if (entry.sided === false) {
      out[p] = cell as Exp;
      continue;
    }
    const sides = sidesOf(p);
    const values = Array.isArray(cell) ? cell : sides.map(() => cell);
    if (values.length !== sides.length) throw new Error(`matrix cell for ${p} has ${values.length} values, ${p} has ${sides.length} sides`);
    out[p] = Object.fromEntries(sides.map((s, i) => [s, values[i]]));
  }
  return out;
}

describe('authorization matrix', () => {
  it('covers exactly the routes the app serves (a new route needs a row here)', () => {
    const served = h.routes.map((r) => `${r.method} ${r.url}`);
    const publicServed = h.routes.filter((r) => r.auth === 'public').map((r) => `${r.method} ${r.url}`);
    expect(publicServed.sort()).toEqual([...PUBLIC_ROUTES].sort());
    expect(served.filter((k) => !PUBLIC_ROUTES.includes(k)).sort()).toEqual(Object.keys(MATRIX).sort());
    expect(new Set(served).size).toBe(served.length);
  });

  it('has a cell for every principal, shaped for its sides', () => {
    for (const [key, entry] of Object.entries(MATRIX)) {
      expect(Object.keys(entry.expect).sort(), key).toEqual([...PRINCIPAL_KEYS].sort());
      expect(() => expectedRow(entry), key).not.toThrow();
    }
  });

  for (const [key, entry] of Object.entries(MATRIX)) {
    it(key, async () => {
      const observed = {} as Record<P, Exp | Partial<Record<Side, Exp>>>;
      const problems: string[] = [];
      for (const p of PRINCIPAL_KEYS) {
        if (entry.sided === false) {
          const cell = await runCell(key, entry, p, 'own');
          observed[p] = cell.observed;
          problems.push(...cell.problems);
          continue;
        }
        const row: Partial<Record<Side, Exp>> = {};
        for (const side of sidesOf(p)) {
          const cell = await runCell(key, entry, p, side);
          row[side] = cell.observed;
          problems.push(...cell.problems);
        }
        observed[p] = row;
      }
      expect(observed).toEqual(expectedRow(entry));
      expect(problems).toEqual([]);
    });
  }

  it('logout ended every session: the same cookies are now refused', async () => {
    for (const [p, client] of clients) {
      const res = await client.request('GET', '/api/me');
      expect(res.statusCode, p).toBe(401);
    }
  });
});
