// Open data releases (LIF-7, HZ-26, GZ-17, ZZ-23; docs/sharing-contract.md "Open data").
//
// A provider (sharing.provide) proposes opening some fields of one of its resources; the platform checks the
// release (engines/sharing/release-checks.ts decides, this service gathers the facts): (1) the grade of every
// field allows opening, (2) the discovery engine finds no personal information in the de-identified output
// (masking scenario `open`), (3) the output is k-anonymous over the chosen quasi-identifiers. Only a release
// whose checks pass is submitted. The authority (sharing.approve) reviews it, confirming the GZ-17 exclusions
// (state secrets, personal information, trade secrets unless consent or public interest); nobody reviews
// their own release. Approval re-runs the checks on the data as it is then and publishes a snapshot file (the
// de-identified CSV, UTF-8 with BOM, SM3 kept) with a changelog entry; refresh publishes a new snapshot after
// a re-check; withdrawal takes it off the public portal. Every action is audited (sharing.opendata.*).
//
// The public portal (no login) reads only published releases, their current file and changelog. Downloads
// are counted on the release (a counter, not an audit event each) and limited per client address.
import { type Selectable, sql } from 'kysely';
import { AppError, badRequest, conflict, forbidden, notFound, ruleViolation } from '../../app/errors.ts';
import type { Db, Executor } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import type { OpenDataReleasesTable } from '../../db/schema.ts';
import { toCsv } from '../../engines/datasets/serialize.ts';
import { validateCustomRecognizers } from '../../engines/discovery/index.ts';
import { sm3 } from '../../engines/gm/index.ts';
import { CONTROL_SCENARIO } from '../../engines/masking/index.ts';
import {
  allPassed,
  anonymityCheck,
  type GradeFieldFact,
  gradeCheck,
  missingConfirmations,
  piCheck,
  rowsToPublish,
  scanReleased,
} from '../../engines/sharing/release-checks.ts';
import { beijingDate } from '../../engines/workdays/index.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { SlidingWindowLimiter } from '../auth/rate-limiter.ts';
import type { ResourcesService } from '../catalog/resources.service.ts';
import type { DiscoveryService } from '../discovery/discovery.service.ts';
import { assertCan, assertCanAnywhere, can, reachFilter } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import type { AnonymityService } from '../protection/anonymity.service.ts';
import type { DatasetsService } from '../protection/datasets.service.ts';
import type { Kek } from '../protection/kek.ts';
import type { MaskingService } from '../protection/masking.service.ts';
import type {
  PublicQuery,
  PublicRelease,
  PublicReleaseSummary,
  Release,
  ReleaseChecks,
  ReleaseCreate,
  ReleaseNote,
  ReleaseQuery,
  ReleaseReview,
  ReleaseStatus,
  ReleaseSummary,
} from './open-data.schemas.ts';

const RELEASE = { zh: '数据开放申请', en: 'Open data release' };
const RESOURCE = { zh: '数据资源', en: 'Data resource' };
const FILE = { zh: '开放数据文件', en: 'Open data file' };
const NIL = '00000000-0000-0000-0000-000000000000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Largest dataset one release reads (the rows are held to scan and write the snapshot). */
export const RELEASE_MAX_ROWS = 200_000;
/** Public downloads per client address per minute. */
export const PUBLIC_DOWNLOADS_PER_MINUTE = 30;

type Row = Selectable<OpenDataReleasesTable> & {
  resource_name: string;
  institution_name: string;
  proposer_name: string;
  submitter_name: string | null;
  reviewer_name: string | null;
};

export interface ReleaseFileBody {
  fileName: string;
  body: Buffer;
  sm3: string;
}

/** What another part of sharing (public error reports, LIF-9) may know of a published release. */
export interface PublishedReleaseRef {
  id: string;
  number: string;
  title: string;
  resourceId: string;
  institutionId: string;
  fields: string[];
}

const person = (id: string | null, name: string | null) => (id ? { id, displayName: name ?? '' } : null);
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The schema allows any 1–n characters; a value of only spaces would be stored as ''. */
function nonBlank(value: string, field: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw badRequest('VALIDATION_FAILED', `字段 ${field} 不能为空`, `Field ${field} must not be blank`, { field });
  return trimmed;
}

function checksFailed(checks: ReleaseChecks): AppError {
  const failed = (['grade', 'personalInformation', 'anonymity'] as const).filter((k) => !checks[k].passed);
  return ruleViolation(
    'RELEASE_CHECKS_FAILED',
    `开放前检查未通过：${failed.map((k) => checks[k].reason.zh).join('；')}`,
    `The release checks did not pass: ${failed.map((k) => checks[k].reason.en).join('; ')}`,
    { failed, checks },
  );
}

export class OpenDataService {
  /** Per process: with several app processes each keeps its own window (like the login limiter). */
  private readonly downloads = new SlidingWindowLimiter(PUBLIC_DOWNLOADS_PER_MINUTE, 60_000);

  constructor(
    private readonly db: Db,
    private readonly resources: ResourcesService,
    private readonly datasets: DatasetsService,
    private readonly masking: MaskingService,
    private readonly anonymity: AnonymityService,
    private readonly discovery: DiscoveryService,
    private readonly kekProvider: () => Kek,
  ) {}

  private base(db: Executor = this.db) {
    return db
      .selectFrom('open_data_releases as o')
      .innerJoin('data_resources as r', 'r.id', 'o.resource_id')
      .innerJoin('institutions as i', 'i.id', 'o.institution_id')
      .innerJoin('users as p', 'p.id', 'o.proposed_by')
      .leftJoin('users as s', 's.id', 'o.submitted_by')
      .leftJoin('users as v', 'v.id', 'o.reviewed_by')
      .selectAll('o')
      .select([
        'r.name as resource_name',
        'i.name as institution_name',
        'p.display_name as proposer_name',
        's.display_name as submitter_name',
        'v.display_name as reviewer_name',
      ]);
  }

  /** The release if its institution is within the actor's sharing.read reach; 404 out of sight, 403 in sight without the permission. */
  private async visible(actor: Actor, id: string): Promise<Row> {
    // Permission first (developers' guide; as grants, duties and error reports): a caller holding no sharing.read
    // anywhere (platform administrator, vendor staff) gets 403 for any id, existing or not, before the lookup.
    assertCanAnywhere(actor, 'sharing.read');
    const row = (await this.base().where('o.id', '=', id).executeTakeFirst()) as Row | undefined;
    if (!row) throw notFound(RELEASE);
    assertCan(actor, 'sharing.read', row.institution_id, RELEASE);
    return row;
  }

  private summary(r: Row): ReleaseSummary {
    return {
      id: r.id,
      number: r.number,
      title: r.title,
      resource: { id: r.resource_id, name: r.resource_name },
      institution: { id: r.institution_id, name: r.institution_name },
      status: r.status as ReleaseStatus,
      checksPassed: r.checks_passed,
      checkedAt: iso(r.checked_at),
      proposedBy: { id: r.proposed_by, displayName: r.proposer_name },
      publishedAt: iso(r.published_at),
      downloads: Number(r.downloads),
      createdAt: r.created_at.toISOString(),
    };
  }

  /** GET /api/open-data/releases: releases of institutions within the caller's sharing.read reach. */
  async list(actor: Actor, query: ReleaseQuery): Promise<{ items: ReleaseSummary[]; total: number; page: number; pageSize: number }> {
    assertCanAnywhere(actor, 'sharing.read');
    const reach = reachFilter(actor, 'sharing.read');
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    let q = this.base();
    if (reach !== null) q = q.where('o.institution_id', 'in', reach.length ? reach : [NIL]);
    if (query.status) q = q.where('o.status', '=', query.status);
    if (query.institutionId) q = q.where('o.institution_id', '=', query.institutionId);
    if (query.resourceId) q = q.where('o.resource_id', '=', query.resourceId);
    const text = query.q?.trim();
    if (text) {
      const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where((eb) => eb.or([eb('o.title', 'ilike', like), eb('o.number', 'ilike', like), eb('r.name', 'ilike', like)]));
    }
    const { total } = await q
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .executeTakeFirstOrThrow();
    const rows = (await q
      .orderBy('o.created_at', 'desc')
      .orderBy('o.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute()) as Row[];
    return { items: rows.map((r) => this.summary(r)), total: Number(total), page, pageSize };
  }

  /** GET /api/open-data/releases/:id */
  async get(actor: Actor, id: string): Promise<Release> {
    return this.detail(actor, await this.visible(actor, id));
  }

  private async detail(actor: Actor, r: Row): Promise<Release> {
    const files = await this.db
      .selectFrom('open_data_files')
      .select(['id', 'seq', 'sm3', 'rows', 'dataset_version', 'created_at', sql<number>`octet_length(csv)`.as('bytes')])
      .where('release_id', '=', r.id)
      .orderBy('seq')
      .execute();
    const changes = await this.changes(r.id);
    const provider = can(actor, 'sharing.provide', r.institution_id);
    const approver = can(actor, 'sharing.approve', r.institution_id);
    const open = r.status === 'draft' || r.status === 'rejected';
    return {
      ...this.summary(r),
      description: r.description,
      fields: r.fields,
      quasiIdentifiers: r.quasi_identifiers,
      k: r.k,
      maxSuppression: r.max_suppression,
      licence: r.licence,
      checks: (r.checks as ReleaseChecks | null) ?? null,
      confirmations: (r.confirmations as Record<string, unknown> | null) ?? null,
      submittedBy: person(r.submitted_by, r.submitter_name),
      submittedAt: iso(r.submitted_at),
      reviewedBy: person(r.reviewed_by, r.reviewer_name),
      reviewedAt: iso(r.reviewed_at),
      reviewReason: r.review_reason,
      withdrawnAt: iso(r.withdrawn_at),
      currentFileId: r.current_file_id,
      files: files.map((f) => ({
        id: f.id,
        seq: f.seq,
        sm3: f.sm3,
        rows: f.rows,
        bytes: Number(f.bytes),
        datasetVersion: f.dataset_version,
        createdAt: f.created_at.toISOString(),
      })),
      changes: changes.map((c) => ({ at: c.at, kind: c.kind, note: c.note, by: person(c.changed_by, c.by_name), fileSm3: c.fileSm3 })),
      version: r.version,
      can: {
        check: provider && open,
        submit: provider && open && r.checks_passed,
        review: approver && r.status === 'submitted' && r.proposed_by !== actor.userId && r.submitted_by !== actor.userId,
        withdraw: (provider || approver) && r.status === 'published',
        refresh: provider && r.status === 'published',
      },
    };
  }

  private async changes(releaseId: string) {
    const rows = await this.db
      .selectFrom('open_data_changes as c')
      .leftJoin('users as u', 'u.id', 'c.changed_by')
      .leftJoin('open_data_files as f', 'f.id', 'c.file_id')
      .select(['c.at', 'c.kind', 'c.note', 'c.changed_by', 'u.display_name as by_name', 'f.sm3'])
      .where('c.release_id', '=', releaseId)
      .orderBy('c.at')
      .orderBy('c.id')
      .execute();
    return rows.map((c) => ({ at: c.at.toISOString(), kind: c.kind, note: c.note, changed_by: c.changed_by, by_name: c.by_name, fileSm3: c.sm3 ?? null }));
  }

  /** POST /api/open-data/releases (sharing.provide at the resource's institution) → a draft. */
  async create(actor: Actor, body: ReleaseCreate): Promise<Release> {
    // Permission first: no sharing permission at all → 403 before the resource is looked up (404 out of reach).
    assertCanAnywhere(actor, 'sharing.read');
    const profile = await this.resources.protectionProfile(actor, body.resourceId);
    assertCan(actor, 'sharing.provide', profile.institutionId, RESOURCE);
    const title = nonBlank(body.title, 'title');
    const description = nonBlank(body.description, 'description');
    const licence = nonBlank(body.licence, 'licence');
    const byName = new Map(profile.fields.map((f) => [f.name, f]));
    const fields = body.fields.map((name, i) => {
      const f = byName.get(name);
      if (!f) throw ruleViolation('FIELD_UNKNOWN', `“${name}”不是该资源的数据项`, `"${name}" is not a field of the resource`, { field: `fields.${i}` });
      if (body.fields.indexOf(name) !== i)
        throw badRequest('VALIDATION_FAILED', `数据项“${name}”重复`, `Field "${name}" is listed twice`, { field: `fields.${i}` });
      return { name: f.name, description: f.description, dataType: f.dataType };
    });
    body.quasiIdentifiers.forEach((q, i) => {
      if (!body.fields.includes(q.field))
        throw ruleViolation('FIELD_UNKNOWN', `准标识符“${q.field}”不在发布的数据项中`, `Quasi-identifier "${q.field}" is not among the released fields`, {
          field: `quasiIdentifiers.${i}.field`,
        });
      if (body.quasiIdentifiers.findIndex((x) => x.field === q.field) !== i)
        throw badRequest('VALIDATION_FAILED', `准标识符“${q.field}”重复`, `Quasi-identifier "${q.field}" is listed twice`, {
          field: `quasiIdentifiers.${i}.field`,
        });
    });
    const id = uuidv7();
    await this.db.transaction().execute(async (trx) => {
      // Numbers per Beijing year, KF-2026-00001: one writer at a time takes the next.
      const year = beijingDate(new Date()).slice(0, 4);
      await sql`SELECT pg_advisory_xact_lock(hashtext('open_data_releases.number'))`.execute(trx);
      const last = await trx
        .selectFrom('open_data_releases')
        .select('number')
        .where('number', '~', `^KF-${year}-[0-9]{5,}$`)
        .orderBy(sql`length(number)`, 'desc')
        .orderBy('number', 'desc')
        .limit(1)
        .executeTakeFirst();
      const next = last?.number ? Number(last.number.slice(8)) + 1 : 1;
      const number = `KF-${year}-${String(next).padStart(5, '0')}`;
      await trx
        .insertInto('open_data_releases')
        .values({
          id,
          number,
          resource_id: profile.resourceId,
          institution_id: profile.institutionId,
          title,
          description,
          fields: JSON.stringify(fields),
          quasi_identifiers: JSON.stringify(body.quasiIdentifiers),
          k: body.k,
          max_suppression: body.maxSuppression ?? 0,
          licence,
          proposed_by: actor.userId,
        })
        .execute();
      await recordAudit(trx, actor, {
        action: 'sharing.opendata.create',
        target: { type: 'open_data_release', id, institutionId: profile.institutionId },
        details: { number, resourceId: profile.resourceId, fields: body.fields, quasiIdentifiers: body.quasiIdentifiers.map((q) => q.field), k: body.k },
      });
    });
    return this.get(actor, id);
  }

  /**
   * The three checks over the data as stored now, and the rows a snapshot would hold (masked for the `open`
   * scenario, only the released fields, rows of classes smaller than k withheld). The actor's own reach
   * applies to every read (catalog, masking policy, anonymity service).
   */
  private async evaluate(actor: Actor, r: Row): Promise<{ checks: ReleaseChecks; rows: Record<string, unknown>[]; datasetVersion: number | null }> {
    const profile = await this.resources.protectionProfile(actor, r.resource_id);
    const resource = await this.resources.get(actor, r.resource_id);
    const policy = await this.masking.resolve(this.db, profile, 'open');
    const names = r.fields.map((f) => f.name);
    const facts: GradeFieldFact[] = names.map((name) => {
      const f = profile.fields.find((x) => x.name === name);
      // A field removed from the resource since the proposal is unknown: fail safe.
      if (!f) return { name, level: null, basis: 'fail_safe', openAllowed: false, openMode: 'forbidden', openMethod: 'suppress' };
      return {
        name,
        level: f.level,
        basis: f.basis,
        openAllowed: f.controls.openAllowed,
        openMode: f.controls.masking[CONTROL_SCENARIO.open],
        openMethod: policy.rules[name]?.method ?? 'suppress',
      };
    });
    const grade = gradeCheck({ level: profile.level, openAttribute: resource.openAttribute ?? null }, facts);

    const current = await this.datasets.current(this.db, r.resource_id);
    if (current && current.rowCount > RELEASE_MAX_ROWS)
      throw ruleViolation('DATASET_TOO_LARGE', `数据超过 ${RELEASE_MAX_ROWS} 行`, `More than ${RELEASE_MAX_ROWS} rows`);
    const stored: Record<string, unknown>[] = [];
    if (current) for await (const x of this.datasets.openRows(this.db, r.resource_id)) stored.push(x.values);
    // The release's own masking key (pseudonyms, if an officer chose them for open data, match nothing else).
    const masker = this.masking.masker(policy, this.kekProvider().derive(`shuan.opendata.${r.id}`).secret);
    const masked = masker.tableLevelFields.length > 0 ? masker.table(stored) : stored.map((x) => masker.row(x));
    stored.length = 0;
    const known = new Set(profile.fields.map((f) => f.name));
    const projected = masked.map((x) => Object.fromEntries(names.map((n) => [n, known.has(n) ? (x[n] ?? null) : null])));

    const set = await this.discovery.recognizers(actor);
    const checkedCustom = validateCustomRecognizers(set.recognizers);
    const personalInformation = piCheck(scanReleased(names, projected, checkedCustom.ok ? checkedCustom.recognizers : []), projected.length);

    const qi = r.quasi_identifiers.map((q) => q.field);
    const anonymity = { ...anonymityCheck(projected, qi, r.k, r.max_suppression), advice: null as ReleaseChecks['anonymity']['advice'] };
    if (qi.length > 0 && current) {
      // The anonymity service's view of the stored data: k as it is, and the least-loss generalisation to
      // suggest when the output falls short. Invalid hierarchies for the data leave no advice.
      try {
        const a = await this.anonymity.check(actor, r.resource_id, {
          quasiIdentifiers: r.quasi_identifiers as never,
          k: r.k,
          maxSuppression: r.max_suppression,
        });
        anonymity.advice = {
          kAnonymousAsStored: a.current.kAnonymous,
          generalisationFound: a.search.found,
          levelNames: a.search.best?.levelNames ?? null,
          suppressedRows: a.search.best?.suppressedRows ?? null,
        };
      } catch (err) {
        if (!(err instanceof AppError) || err.httpStatus >= 500) throw err;
      }
    }
    const checks: ReleaseChecks = { passed: false, datasetVersion: current?.version ?? null, grade, personalInformation, anonymity };
    checks.passed = allPassed(checks);
    return { checks, rows: rowsToPublish(projected, qi, r.k), datasetVersion: current?.version ?? null };
  }

  private assertProvider(actor: Actor, r: Row): void {
    if (!can(actor, 'sharing.provide', r.institution_id)) throw forbidden();
  }

  private assertDraft(r: Row): void {
    if (r.status !== 'draft' && r.status !== 'rejected')
      throw conflict('RELEASE_NOT_DRAFT', '只有草稿或已退回的开放申请可以检查和提交', 'Only a draft or returned release can be checked and submitted', {
        status: r.status,
      });
  }

  /** Conditional on the version read: of two concurrent changes one wins, the other is 409. */
  private async update(trx: Executor, r: Row, values: Record<string, unknown>): Promise<void> {
    const res = await trx
      .updateTable('open_data_releases')
      .set({ ...values, updated_at: new Date(), version: r.version + 1 })
      .where('id', '=', r.id)
      .where('version', '=', r.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1)
      throw conflict('VERSION_CONFLICT', '开放申请已被他人修改，请刷新后重试', 'The release changed meanwhile; reload and retry');
  }

  private target(r: Row) {
    return { type: 'open_data_release', id: r.id, institutionId: r.institution_id };
  }

  private static auditChecks(c: ReleaseChecks) {
    return {
      passed: c.passed,
      datasetVersion: c.datasetVersion,
      grade: c.grade.passed,
      personalInformation: c.personalInformation.passed,
      anonymity: c.anonymity.passed,
      piColumns: c.personalInformation.columns.filter((x) => !x.passed).map((x) => ({ field: x.field, piTypes: x.piTypes })),
    };
  }

  /** POST /api/open-data/releases/:id/check: runs the checks and stores each outcome with its reason. */
  async check(actor: Actor, id: string): Promise<Release> {
    const r = await this.visible(actor, id);
    this.assertProvider(actor, r);
    this.assertDraft(r);
    const { checks, datasetVersion } = await this.evaluate(actor, r);
    await this.db.transaction().execute(async (trx) => {
      await this.update(trx, r, {
        checks: JSON.stringify(checks),
        checked_at: new Date(),
        checked_dataset_version: datasetVersion,
        checks_passed: checks.passed,
      });
      await recordAudit(trx, actor, { action: 'sharing.opendata.check', target: this.target(r), details: OpenDataService.auditChecks(checks) });
    });
    return this.get(actor, id);
  }

  /** POST /api/open-data/releases/:id/submit: only with passing checks on the data as it is now. */
  async submit(actor: Actor, id: string): Promise<Release> {
    const r = await this.visible(actor, id);
    this.assertProvider(actor, r);
    this.assertDraft(r);
    const checks = r.checks as ReleaseChecks | null;
    if (!checks || !r.checks_passed) {
      if (!checks) throw ruleViolation('RELEASE_CHECKS_FAILED', '请先运行开放前检查', 'Run the release checks first', { failed: ['notChecked'] });
      throw checksFailed(checks);
    }
    const current = await this.datasets.current(this.db, r.resource_id);
    if ((current?.version ?? null) !== r.checked_dataset_version)
      throw ruleViolation('RELEASE_CHECKS_FAILED', '检查后数据已更新，请重新检查', 'The data changed since the check: check again', {
        failed: ['stale'],
        checkedVersion: r.checked_dataset_version,
        currentVersion: current?.version ?? null,
      });
    await this.db.transaction().execute(async (trx) => {
      await this.update(trx, r, { status: 'submitted', submitted_by: actor.userId, submitted_at: new Date(), review_reason: null });
      await recordAudit(trx, actor, { action: 'sharing.opendata.submit', target: this.target(r), details: { number: r.number } });
    });
    return this.get(actor, id);
  }

  /** A new snapshot of the release's output, the changelog entry, and the release pointing at it. */
  private async publishSnapshot(
    trx: Executor,
    actor: Actor,
    r: Row,
    out: { checks: ReleaseChecks; rows: Record<string, unknown>[]; datasetVersion: number | null },
    kind: 'published' | 'refreshed',
    note: string | null,
    extra: Record<string, unknown>,
  ): Promise<{ fileId: string; sm3: string; rows: number }> {
    // Lock the release first: of two concurrent publications one waits and then finds the version moved.
    const locked = await trx.selectFrom('open_data_releases').select('version').where('id', '=', r.id).forUpdate().executeTakeFirstOrThrow();
    if (locked.version !== r.version)
      throw conflict('VERSION_CONFLICT', '开放申请已被他人修改，请刷新后重试', 'The release changed meanwhile; reload and retry');
    const csv = toCsv(
      r.fields.map((f) => f.name),
      out.rows,
    );
    const digest = sm3(csv).toString('hex');
    const last = await trx
      .selectFrom('open_data_files')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('release_id', '=', r.id)
      .executeTakeFirst();
    const fileId = uuidv7();
    const now = new Date();
    await trx
      .insertInto('open_data_files')
      .values({
        id: fileId,
        release_id: r.id,
        seq: Number(last?.seq ?? 0) + 1,
        csv,
        sm3: digest,
        rows: out.rows.length,
        dataset_version: out.datasetVersion ?? 0,
        created_by: actor.userId,
      })
      .execute();
    await trx.insertInto('open_data_changes').values({ id: uuidv7(), release_id: r.id, kind, note, changed_by: actor.userId, file_id: fileId }).execute();
    await this.update(trx, r, {
      ...extra,
      status: 'published',
      current_file_id: fileId,
      checks: JSON.stringify(out.checks),
      checked_at: now,
      checked_dataset_version: out.datasetVersion,
      checks_passed: true,
    });
    return { fileId, sm3: digest, rows: out.rows.length };
  }

  /** POST /api/open-data/releases/:id/review (sharing.approve): GZ-17 confirmations, never one's own release. */
  async review(actor: Actor, id: string, body: ReleaseReview): Promise<Release> {
    const r = await this.visible(actor, id);
    if (!can(actor, 'sharing.approve', r.institution_id)) throw forbidden();
    if (r.status !== 'submitted')
      throw conflict('RELEASE_NOT_SUBMITTED', '该开放申请不在待审核状态', 'The release is not waiting for review', { status: r.status });
    const action = body.decision === 'approve' ? 'sharing.opendata.approve' : 'sharing.opendata.reject';
    if (r.proposed_by === actor.userId || r.submitted_by === actor.userId) {
      await recordAudit(this.db, actor, { action, outcome: 'denied', target: this.target(r), details: { reason: 'SAME_PERSON' } });
      throw forbidden('不能审核本人提出的开放申请', 'You cannot review a release you proposed', 'SAME_PERSON');
    }
    const reason = body.reason?.trim() || null;
    if (body.decision === 'reject') {
      if (!reason) throw ruleViolation('REASON_REQUIRED', '退回须说明理由', 'A rejection needs a reason', { field: 'reason' });
      await this.db.transaction().execute(async (trx) => {
        await this.update(trx, r, { status: 'rejected', reviewed_by: actor.userId, reviewed_at: new Date(), review_reason: reason });
        await recordAudit(trx, actor, { action, target: this.target(r), details: { number: r.number, reason } });
      });
      return this.get(actor, id);
    }
    // GZ-17: the reviewer states that no state secret, no personal information and no trade secret (unless
    // the third party consented or the public interest overrides, with a note) is in the release.
    const missing = missingConfirmations(body.confirmations);
    if (missing.length > 0)
      throw ruleViolation(
        'CONFIRMATIONS_REQUIRED',
        '审核通过须确认不含国家秘密、个人信息，以及不含商业秘密（或已取得同意、涉及重大公共利益并说明）',
        'Approval needs the confirmations: no state secrets, no personal information, and no trade secrets (or consent / public interest with a note)',
        { missing },
      );
    // The data may have changed since submission: what is published passes the checks now.
    const out = await this.evaluate(actor, r);
    if (!out.checks.passed) throw checksFailed(out.checks);
    await this.db.transaction().execute(async (trx) => {
      const now = new Date();
      const file = await this.publishSnapshot(trx, actor, r, out, 'published', reason, {
        reviewed_by: actor.userId,
        reviewed_at: now,
        review_reason: reason,
        confirmations: JSON.stringify(body.confirmations),
        published_at: now,
        withdrawn_at: null,
      });
      await recordAudit(trx, actor, {
        action,
        target: this.target(r),
        details: {
          number: r.number,
          confirmations: body.confirmations,
          fileId: file.fileId,
          fileSm3: file.sm3,
          rows: file.rows,
          datasetVersion: out.datasetVersion,
        },
      });
    });
    return this.get(actor, id);
  }

  /** POST /api/open-data/releases/:id/refresh (the provider): re-check, new snapshot, changelog entry. */
  async refresh(actor: Actor, id: string, body: ReleaseNote): Promise<Release> {
    const r = await this.visible(actor, id);
    this.assertProvider(actor, r);
    if (r.status !== 'published') throw conflict('RELEASE_NOT_PUBLISHED', '该开放数据未处于发布状态', 'The release is not published', { status: r.status });
    const out = await this.evaluate(actor, r);
    if (!out.checks.passed) throw checksFailed(out.checks);
    const note = body.reason?.trim() || null;
    await this.db.transaction().execute(async (trx) => {
      const file = await this.publishSnapshot(trx, actor, r, out, 'refreshed', note, {});
      await recordAudit(trx, actor, {
        action: 'sharing.opendata.refresh',
        target: this.target(r),
        details: { number: r.number, fileId: file.fileId, fileSm3: file.sm3, rows: file.rows, datasetVersion: out.datasetVersion, note },
      });
    });
    return this.get(actor, id);
  }

  /** POST /api/open-data/releases/:id/withdraw (the provider or the authority): off the public portal, with a changelog entry. */
  async withdraw(actor: Actor, id: string, body: ReleaseNote): Promise<Release> {
    const r = await this.visible(actor, id);
    if (!can(actor, 'sharing.provide', r.institution_id) && !can(actor, 'sharing.approve', r.institution_id)) throw forbidden();
    if (r.status !== 'published') throw conflict('RELEASE_NOT_PUBLISHED', '该开放数据未处于发布状态', 'The release is not published', { status: r.status });
    const note = body.reason?.trim() || null;
    await this.db.transaction().execute(async (trx) => {
      await this.update(trx, r, { status: 'withdrawn', withdrawn_at: new Date() });
      await trx
        .insertInto('open_data_changes')
        .values({ id: uuidv7(), release_id: r.id, kind: 'withdrawn', note, changed_by: actor.userId, file_id: null })
        .execute();
      await recordAudit(trx, actor, { action: 'sharing.opendata.withdraw', target: this.target(r), details: { number: r.number, note } });
    });
    return this.get(actor, id);
  }

  /** GET /api/open-data/releases/:id/files/:fileId: any published version, for those who see the release. */
  async file(actor: Actor, id: string, fileId: string): Promise<ReleaseFileBody> {
    const r = await this.visible(actor, id);
    const f = await this.db
      .selectFrom('open_data_files')
      .select(['csv', 'sm3', 'seq'])
      .where('id', '=', fileId)
      .where('release_id', '=', r.id)
      .executeTakeFirst();
    if (!f) throw notFound(FILE);
    await recordAudit(this.db, actor, {
      action: 'sharing.opendata.file',
      target: this.target(r),
      details: { number: r.number, fileId, seq: f.seq, sm3: f.sm3 },
    });
    return { fileName: `${r.title}-${r.number}-v${f.seq}.csv`, body: f.csv, sm3: f.sm3 };
  }

  // ── the public portal (no login) ────────────────────────────────────────────────────────────────────

  private published(db: Executor = this.db) {
    return db
      .selectFrom('open_data_releases as o')
      .innerJoin('institutions as i', 'i.id', 'o.institution_id')
      .innerJoin('open_data_files as f', 'f.id', 'o.current_file_id')
      .where('o.status', '=', 'published')
      .select([
        'o.id',
        'o.number',
        'o.title',
        'o.description',
        'o.institution_id',
        'i.name as institution_name',
        'o.licence',
        'o.published_at',
        'o.resource_id',
        'o.fields',
        'o.downloads',
        'f.rows',
        'f.sm3',
        'f.created_at as file_at',
        sql<number>`octet_length(f.csv)`.as('bytes'),
      ]);
  }

  private publicSummary(r: Awaited<ReturnType<ReturnType<OpenDataService['published']>['executeTakeFirstOrThrow']>>): PublicReleaseSummary {
    return {
      id: r.id,
      number: r.number,
      title: r.title,
      description: r.description,
      institution: { id: r.institution_id, name: r.institution_name },
      licence: r.licence,
      publishedAt: (r.published_at as Date).toISOString(),
      updatedAt: r.file_at.toISOString(),
      rows: r.rows,
      downloads: Number(r.downloads),
    };
  }

  /** GET /api/public/open-data: published releases only. */
  async publicList(query: PublicQuery): Promise<{ items: PublicReleaseSummary[]; total: number; page: number; pageSize: number }> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    let q = this.published();
    const text = query.q?.trim();
    if (text) {
      const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where((eb) =>
        eb.or([eb('o.title', 'ilike', like), eb('o.description', 'ilike', like), eb('i.name', 'ilike', like), eb('o.number', 'ilike', like)]),
      );
    }
    const { total } = await q
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .executeTakeFirstOrThrow();
    const rows = await q
      .orderBy('o.published_at', 'desc')
      .orderBy('o.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return { items: rows.map((r) => this.publicSummary(r)), total: Number(total), page, pageSize };
  }

  /** GET /api/public/open-data/:id: metadata, fields, licence, the changelog, the current file's SM3 and rows. */
  async publicGet(id: string): Promise<PublicRelease> {
    const r = await this.published().where('o.id', '=', id).executeTakeFirst();
    if (!r) throw notFound(RELEASE);
    const changes = await this.changes(r.id);
    return {
      ...this.publicSummary(r),
      fields: r.fields,
      file: { sm3: r.sm3, rows: r.rows, bytes: Number(r.bytes), createdAt: r.file_at.toISOString() },
      // The public changelog names no person.
      changelog: changes.map((c) => ({ at: c.at, kind: c.kind, note: c.note, fileSm3: c.fileSm3 })),
    };
  }

  /** GET /api/public/open-data/:id/download: the current snapshot; counted; limited per client address. */
  async publicDownload(id: string, ip: string | null): Promise<ReleaseFileBody> {
    const wait = this.downloads.hit(ip ?? 'unknown');
    if (wait > 0)
      throw new AppError('RATE_LIMITED', 429, '下载过于频繁，请稍后再试', 'Too many downloads; try again later', {
        retryAfterSeconds: Math.ceil(wait / 1000),
      });
    const r = await this.db
      .updateTable('open_data_releases as o')
      .set({ downloads: sql`downloads + 1` } as never)
      .where('o.id', '=', id)
      .where('o.status', '=', 'published')
      .returning(['o.current_file_id', 'o.title', 'o.number'])
      .executeTakeFirst();
    if (!r?.current_file_id) throw notFound(RELEASE);
    const f = await this.db.selectFrom('open_data_files').select(['csv', 'sm3']).where('id', '=', r.current_file_id).executeTakeFirstOrThrow();
    return { fileName: `${r.title}-${r.number}.csv`, body: f.csv, sm3: f.sm3 };
  }

  /** For public error reports on open data (LIF-9, DG-11): the release if it is published now, else null. */
  async publishedRelease(id: string): Promise<PublishedReleaseRef | null> {
    if (!UUID.test(id)) return null;
    const r = await this.published().where('o.id', '=', id).executeTakeFirst();
    if (!r) return null;
    return { id: r.id, number: r.number, title: r.title, resourceId: r.resource_id, institutionId: r.institution_id, fields: r.fields.map((f) => f.name) };
  }
}
