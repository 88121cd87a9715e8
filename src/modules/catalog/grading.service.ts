// Grading of data resources (CLS-2, CLS-3, CLS-4): a data steward proposes categories, a harm assessment, a
// level and field labels; the published scheme's matrix gives the proposed level; a security officer (never
// the proposer) approves, which writes the level and labels onto the resource and its fields, or rejects.
// Every proposal and decision is kept (resource_gradings is the history) and audited.
//
// Access mirrors the catalog: a resource is known to those with catalog.read at its institution, and a
// published one to anyone with catalog.read anywhere. Unknown → 404; known without the permission → 403.
import { sql } from 'kysely';
import { badRequest, conflict, forbidden, notFound, ruleViolation } from '../../app/errors.ts';
import type { Db, Executor } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import {
  assertNotBelowFields,
  determineLevel,
  type FieldLevel,
  isLevel,
  LEVEL_INFO,
  LEVELS,
  type Level,
  LevelBelowFieldError,
} from '../../engines/grading/index.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { assertCan, assertCanAnywhere, can, canAnywhere, reachFilter } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import { mapUniqueViolation } from '../org/db-errors.ts';
import type { Permission } from '../org/roles.ts';
import type { Grading, GradingDashboard, GradingDecision, GradingProposal, LevelCounts } from './grading.schemas.ts';
import { assertDistinctHarms, categoryIndex, type SchemeService } from './scheme.service.ts';

const RESOURCE = { zh: '数据资源', en: 'Data resource' };
const GRADING = { zh: '定级记录', en: 'Grading' };
const NIL = '00000000-0000-0000-0000-000000000000';

const pendingExists = (gradingId?: string) =>
  conflict('GRADING_PENDING', '该数据资源已有待审核的定级，请等待审核后再提交', 'This resource already has a grading awaiting approval', {
    ...(gradingId ? { gradingId } : {}),
  });

function blank(field: string): never {
  throw badRequest('VALIDATION_FAILED', `字段 ${field} 不能为空`, `Field ${field} must not be blank`, { field, in: 'body', rule: 'blank' });
}

/** Trimmed text, or null when absent or only spaces. */
const text = (v: string | undefined | null) => (v?.trim() ? v.trim() : null);

/** A harm as kept with the history, with the level the matrix gave it when proposed (the basis). */
type HarmRecord = Grading['harms'][number];
/** A field label as kept with the history: the field's name at the time, so the record reads on its own. */
type LabelRecord = Grading['fieldLabels'][number];

type ResourceRef = { id: string; institution_id: string; published: boolean; name: string; level: string | null; grading_status: string };

/** The actor may do `permission` on the resource: 404 when they cannot know it, 403 when they can but may not. */
function assertOnResource(actor: Actor, r: { institution_id: string; published: boolean }, permission: Permission, what = RESOURCE): void {
  if (can(actor, permission, r.institution_id)) return;
  if (r.published && canAnywhere(actor, 'catalog.read')) throw forbidden();
  assertCan(actor, permission, r.institution_id, what);
}

function assertReadable(actor: Actor, r: { institution_id: string; published: boolean }): void {
  if (r.published && canAnywhere(actor, 'catalog.read')) return;
  assertCan(actor, 'catalog.read', r.institution_id, RESOURCE);
}

async function loadResource(db: Executor, id: string, lock = false): Promise<ResourceRef> {
  let q = db.selectFrom('data_resources').select(['id', 'institution_id', 'published', 'name', 'level', 'grading_status']).where('id', '=', id);
  if (lock) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  if (!r) throw notFound(RESOURCE);
  return r;
}

/** CLS-4 refusal, naming the field that holds the resource up. */
function levelBelowField(e: LevelBelowFieldError, labelIndex: Map<string, number>): never {
  const at = e.field.id !== undefined ? labelIndex.get(e.field.id) : undefined;
  throw ruleViolation('LEVEL_BELOW_FIELD', e.messageZh, e.message, {
    field: 'chosenLevel',
    chosenLevel: e.level,
    fieldId: e.field.id ?? null,
    fieldName: e.field.name,
    fieldLevel: e.field.level,
    ...(at !== undefined ? { labelField: `fieldLabels.${at}.level` } : {}),
  });
}

/** The fields' levels as they would be after applying `labels`: a label replaces the field's current level. */
function effectiveFieldLevels(
  fields: { id: string; name: string; level: string | null }[],
  labels: readonly { fieldId: string; level: Level }[],
): FieldLevel[] {
  const byId = new Map(labels.map((l) => [l.fieldId, l.level]));
  return fields.map((f) => ({ id: f.id, name: f.name, level: byId.get(f.id) ?? (isLevel(f.level) ? f.level : null) }));
}

const emptyLevelCounts = (): LevelCounts => Object.fromEntries(LEVELS.map((l) => [l, 0])) as LevelCounts;

export class GradingService {
  constructor(
    private readonly db: Db,
    private readonly scheme: SchemeService,
  ) {}

  /** POST /api/resources/:id/gradings (CLS-2..4): a pending proposal. */
  async propose(actor: Actor, resourceId: string, body: GradingProposal): Promise<Grading> {
    const resource = await loadResource(this.db, resourceId);
    assertOnResource(actor, resource, 'grading.propose');

    // Checks on the request alone, before anything is read for update.
    assertDistinctHarms(body.harms);
    const harmReasons = body.harms.map((h, i) => text(h.reason) ?? blank(`harms.${i}.reason`));
    const categories = body.categories.map((c) => c.trim());
    categories.forEach((c, i) => {
      if (categories.indexOf(c) !== i) {
        throw badRequest('DUPLICATE_CATEGORY', `分类“${c}”重复`, `Category ${c} is listed twice`, { field: `categories.${i}` });
      }
    });
    const labelIndex = new Map<string, number>();
    body.fieldLabels.forEach((l, i) => {
      if (labelIndex.has(l.fieldId)) {
        throw badRequest('DUPLICATE_FIELD_LABEL', '同一数据项只能标注一次', 'A field is labelled twice', { field: `fieldLabels.${i}.fieldId` });
      }
      labelIndex.set(l.fieldId, i);
      // Sensitive personal information (PIPL art. 28) is always a kind of PI: say which.
      if (l.piSensitive && !l.piType) {
        throw badRequest(
          'PI_TYPE_REQUIRED',
          '标注为敏感个人信息的数据项须注明个人信息类型',
          'A field marked as sensitive personal information needs its PI type',
          {
            field: `fieldLabels.${i}.piType`,
          },
        );
      }
    });

    // Categories must exist in the scheme in force; the matrix of that scheme gives the proposal.
    const scheme = await this.scheme.current();
    const known = categoryIndex(scheme);
    const unknownCategory = (code: string, field: string) =>
      ruleViolation(
        'UNKNOWN_CATEGORY',
        `分类“${code}”不在现行分类分级规则（第 ${scheme.version} 版）中`,
        `Category ${code} is not in the published scheme (version ${scheme.version})`,
        {
          field,
          code,
          schemeVersion: scheme.version,
        },
      );
    categories.forEach((c, i) => {
      if (!known.has(c)) throw unknownCategory(c, `categories.${i}`);
    });
    body.fieldLabels.forEach((l, i) => {
      const c = text(l.category);
      if (c && !known.has(c)) throw unknownCategory(c, `fieldLabels.${i}.category`);
    });
    const { level: proposedLevel, basis } = determineLevel(scheme.matrix, body.harms);
    const chosenLevel = body.chosenLevel;
    const overrideReason = chosenLevel === proposedLevel ? null : text(body.overrideReason);

    const work = this.db.transaction().execute(async (trx) => {
      // The resource row lock orders this against a concurrent field edit and a concurrent proposal.
      const locked = await loadResource(trx, resourceId, true);
      const pending = await trx
        .selectFrom('resource_gradings')
        .select('id')
        .where('resource_id', '=', resourceId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (pending) throw pendingExists(pending.id);

      const fields = await trx.selectFrom('data_fields').select(['id', 'name', 'level']).where('resource_id', '=', resourceId).orderBy('position').execute();
      const fieldsById = new Map(fields.map((f) => [f.id, f]));
      body.fieldLabels.forEach((l, i) => {
        if (!fieldsById.has(l.fieldId)) {
          throw ruleViolation('UNKNOWN_FIELD', '所标注的数据项不属于该数据资源', 'The labelled field does not belong to this resource', {
            field: `fieldLabels.${i}.fieldId`,
            fieldId: l.fieldId,
          });
        }
      });
      // CLS-4 over every field: labelled here, or keeping the level an earlier approval gave it.
      try {
        assertNotBelowFields(chosenLevel, effectiveFieldLevels(fields, body.fieldLabels));
      } catch (e) {
        if (e instanceof LevelBelowFieldError) levelBelowField(e, labelIndex);
        throw e;
      }
      if (chosenLevel !== proposedLevel && !overrideReason) {
        throw ruleViolation(
          'OVERRIDE_REASON_REQUIRED',
          `所选级别（${LEVEL_INFO[chosenLevel].zh}）与按危害程度确定的级别（${LEVEL_INFO[proposedLevel].zh}）不同，须说明理由`,
          `The chosen level (${chosenLevel}) differs from the level the harms give (${proposedLevel}); give a reason`,
          { field: 'overrideReason', proposedLevel, chosenLevel },
        );
      }

      const harms: HarmRecord[] = basis.map((b, i) => ({ object: b.object, degree: b.degree, reason: harmReasons[i] as string, level: b.level }));
      const labels: LabelRecord[] = body.fieldLabels.map((l) => ({
        fieldId: l.fieldId,
        fieldName: fieldsById.get(l.fieldId)?.name as string,
        category: text(l.category),
        level: l.level,
        piType: l.piType ?? null,
        piSensitive: l.piSensitive,
      }));
      const id = uuidv7();
      await trx
        .insertInto('resource_gradings')
        .values({
          id,
          resource_id: resourceId,
          institution_id: locked.institution_id,
          scheme_version: scheme.version,
          categories,
          harms: JSON.stringify(harms),
          proposed_level: proposedLevel,
          chosen_level: chosenLevel,
          override_reason: overrideReason,
          field_labels: JSON.stringify(labels),
          status: 'pending',
          graded_by: actor.userId,
        })
        .execute();
      await trx.updateTable('data_resources').set({ grading_status: 'pending', updated_at: new Date() }).where('id', '=', resourceId).execute();
      await recordAudit(trx, actor, {
        action: 'catalog.grading.propose',
        target: { type: 'resource', id: resourceId, institutionId: locked.institution_id },
        details: {
          gradingId: id,
          schemeVersion: scheme.version,
          categories,
          proposedLevel,
          chosenLevel,
          override: chosenLevel !== proposedLevel,
          fieldLabels: labels.length,
        },
      });
      return (await this.gradingRows(trx, { id }))[0] as Grading;
    });
    // Two proposals racing past the pending check: the partial unique index decides, the loser gets the same 409.
    return mapUniqueViolation(work, { resource_gradings_one_pending: () => pendingExists() });
  }

  /** POST /api/gradings/:id/decision (CLS-2): a security officer approves or rejects; never the proposer. */
  async decide(actor: Actor, gradingId: string, body: GradingDecision): Promise<Grading> {
    const found = await this.db
      .selectFrom('resource_gradings as g')
      .innerJoin('data_resources as r', 'r.id', 'g.resource_id')
      .select(['g.id', 'g.resource_id', 'g.institution_id', 'g.status', 'g.graded_by', 'r.published'])
      .where('g.id', '=', gradingId)
      .executeTakeFirst();
    if (!found) throw notFound(GRADING);
    assertOnResource(actor, found, 'grading.approve', GRADING);
    if (found.status !== 'pending') throw this.alreadyDecided(found.status);
    const action = body.decision === 'approve' ? 'catalog.grading.approve' : 'catalog.grading.reject';
    const target = { type: 'resource', id: found.resource_id, institutionId: found.institution_id };
    // Four eyes: whoever proposed a grade cannot confirm it, even holding both roles. Audited as denied.
    if (found.graded_by === actor.userId) {
      await recordAudit(this.db, actor, { action, outcome: 'denied', target, details: { gradingId, reason: 'SAME_PERSON' } });
      throw forbidden('不能审核本人提交的定级', 'You cannot decide on a grading you proposed', 'SAME_PERSON');
    }
    const reason = text(body.reason);
    if (body.decision === 'reject' && !reason) {
      throw ruleViolation('REASON_REQUIRED', '退回定级须说明理由', 'A rejection needs a reason', { field: 'reason' });
    }
    const scheme = body.decision === 'approve' ? await this.scheme.current() : null;

    return this.db.transaction().execute(async (trx) => {
      // Resource first, then the grading: the same order as propose, so the two never deadlock.
      const resource = await loadResource(trx, found.resource_id, true);
      const g = await trx.selectFrom('resource_gradings').selectAll().where('id', '=', gradingId).forUpdate().executeTakeFirstOrThrow();
      if (g.status !== 'pending') throw this.alreadyDecided(g.status);
      const now = new Date();

      if (scheme) {
        const labels = g.field_labels as LabelRecord[];
        const fields = await trx.selectFrom('data_fields').select(['id', 'name', 'level']).where('resource_id', '=', g.resource_id).execute();
        const present = new Set(fields.map((f) => f.id));
        // The resource may have changed since the proposal: approve only what still fits it and the scheme in force.
        const gone = labels.find((l) => !present.has(l.fieldId));
        if (gone) {
          throw conflict(
            'GRADING_STALE',
            `数据项“${gone.fieldName}”已在提交定级后删除，请退回后重新提交定级`,
            `Field ${gone.fieldName} was removed after this grading was proposed; reject it and propose again`,
            { reason: 'field', fieldId: gone.fieldId, fieldName: gone.fieldName },
          );
        }
        const known = categoryIndex(scheme);
        const missing = [...g.categories, ...labels.map((l) => l.category).filter((c): c is string => !!c)].find((c) => !known.has(c));
        if (missing) {
          throw conflict(
            'GRADING_STALE',
            `分类“${missing}”已不在现行分类分级规则（第 ${scheme.version} 版）中，请退回后按现行规则重新提交定级`,
            `Category ${missing} is no longer in the published scheme (version ${scheme.version}); reject this grading and propose again`,
            { reason: 'category', code: missing, schemeVersion: scheme.version },
          );
        }
        try {
          assertNotBelowFields(g.chosen_level as Level, effectiveFieldLevels(fields, labels));
        } catch (e) {
          if (e instanceof LevelBelowFieldError) levelBelowField(e, new Map());
          throw e;
        }
        if (labels.length > 0) {
          // CLS-3: the labels go onto the fields, in one statement.
          await sql`
            UPDATE data_fields f
               SET category = l.category, level = l.level, pi_type = l."piType", pi_sensitive = l."piSensitive"
              FROM jsonb_to_recordset(${JSON.stringify(labels)}::jsonb)
                AS l("fieldId" uuid, category text, level text, "piType" text, "piSensitive" boolean)
             WHERE f.id = l."fieldId" AND f.resource_id = ${g.resource_id}`.execute(trx);
        }
        await trx
          .updateTable('data_resources')
          .set({ level: g.chosen_level, categories: g.categories, grading_status: 'approved', updated_at: now })
          .where('id', '=', g.resource_id)
          .execute();
      } else {
        // A rejected re-grading leaves the approved level in force; a resource never graded is "rejected".
        await trx
          .updateTable('data_resources')
          .set({ grading_status: resource.level ? 'approved' : 'rejected', updated_at: now })
          .where('id', '=', g.resource_id)
          .execute();
      }
      await trx
        .updateTable('resource_gradings')
        .set({ status: scheme ? 'approved' : 'rejected', decided_by: actor.userId, decided_at: now, decision_reason: reason })
        .where('id', '=', gradingId)
        .execute();
      await recordAudit(trx, actor, {
        action,
        target,
        details: {
          gradingId,
          level: g.chosen_level,
          previousLevel: resource.level,
          ...(reason ? { reason } : {}),
        },
      });
      return (await this.gradingRows(trx, { id: gradingId }))[0] as Grading;
    });
  }

  /** GET /api/resources/:id/gradings: every proposal and decision, newest first. */
  async history(actor: Actor, resourceId: string): Promise<Grading[]> {
    const resource = await loadResource(this.db, resourceId);
    assertReadable(actor, resource);
    return this.gradingRows(this.db, { resourceId });
  }

  /**
   * GET /api/grading/dashboard: per institution in catalog.read reach, resources by level, ungraded and
   * pending ones, and (within system.read reach) late and overdue system filings (AST-2).
   */
  async dashboard(actor: Actor): Promise<GradingDashboard> {
    assertCanAnywhere(actor, 'catalog.read');
    const scheme = await this.scheme.current();
    const catalogReach = reachFilter(actor, 'catalog.read');
    const systemReach = reachFilter(actor, 'system.read');
    const inReach = (ids: string[] | null) => (ids === null ? sql<boolean>`true` : sql<boolean>`institution_id IN (${sql.join(ids.length ? ids : [NIL])})`);

    let institutions = this.db.selectFrom('institutions').select(['id', 'name', 'kind', 'status']).orderBy('name').orderBy('id');
    if (catalogReach) institutions = institutions.where('id', 'in', catalogReach.length ? catalogReach : [NIL]);
    const [insts, resourceRows, filingRows] = await Promise.all([
      institutions.execute(),
      sql<{ institution_id: string; level: string | null; grading_status: string; n: number }>`
        SELECT institution_id, level, grading_status, count(*)::int AS n
          FROM data_resources WHERE ${inReach(catalogReach)}
         GROUP BY institution_id, level, grading_status`.execute(this.db),
      sql<{ institution_id: string; late: number; overdue: number }>`
        SELECT institution_id,
               count(*) FILTER (WHERE late)::int AS late,
               count(*) FILTER (WHERE review_status = 'pending'
                                  AND deadline < (now() AT TIME ZONE 'Asia/Shanghai')::date)::int AS overdue
          FROM system_filings WHERE ${inReach(systemReach)}
         GROUP BY institution_id`.execute(this.db),
    ]);

    type Counts = GradingDashboard['totals'];
    const blankCounts = (filings: boolean): Counts => ({
      resources: 0,
      graded: 0,
      ungraded: 0,
      pending: 0,
      byLevel: emptyLevelCounts(),
      lateFilings: filings ? 0 : null,
      overdueFilings: filings ? 0 : null,
    });
    const seesFilings = (id: string) => systemReach === null || systemReach.includes(id);
    const per = new Map<string, Counts>();
    const countsOf = (id: string) => {
      let c = per.get(id);
      if (!c) {
        c = blankCounts(seesFilings(id));
        per.set(id, c);
      }
      return c;
    };
    for (const r of resourceRows.rows) {
      const c = countsOf(r.institution_id);
      c.resources += r.n;
      if (isLevel(r.level)) {
        c.graded += r.n;
        c.byLevel[r.level] += r.n;
      } else {
        c.ungraded += r.n;
      }
      if (r.grading_status === 'pending') c.pending += r.n;
    }
    const catalogSees = (id: string) => catalogReach === null || catalogReach.includes(id);
    for (const f of filingRows.rows) {
      // Filings of an institution outside catalog.read reach are not on this dashboard.
      if (!catalogSees(f.institution_id)) continue;
      const c = countsOf(f.institution_id);
      c.lateFilings = (c.lateFilings ?? 0) + f.late;
      c.overdueFilings = (c.overdueFilings ?? 0) + f.overdue;
    }

    // Data-holding institutions are listed even with nothing catalogued yet (that gap is the point); others only when they hold data.
    const rows = insts
      .filter((i) => per.has(i.id) || (i.status === 'active' && (i.kind === 'institution' || i.kind === 'authority')))
      .map((i) => ({ institutionId: i.id, institutionName: i.name, ...(per.get(i.id) ?? blankCounts(seesFilings(i.id))) }));

    const totals = blankCounts(systemReach === null || systemReach.length > 0);
    for (const r of rows) {
      totals.resources += r.resources;
      totals.graded += r.graded;
      totals.ungraded += r.ungraded;
      totals.pending += r.pending;
      for (const l of LEVELS) totals.byLevel[l] += r.byLevel[l];
      if (r.lateFilings !== null) totals.lateFilings = (totals.lateFilings ?? 0) + r.lateFilings;
      if (r.overdueFilings !== null) totals.overdueFilings = (totals.overdueFilings ?? 0) + r.overdueFilings;
    }
    return { schemeVersion: scheme.version, totals, institutions: rows };
  }

  // -------------------------------------------------------------------------------------------------
  // Internals

  private alreadyDecided(status: string) {
    const zh = status === 'approved' ? '已通过' : status === 'rejected' ? '已退回' : '已撤回';
    return conflict('GRADING_DECIDED', `该定级${zh}，不能再次审核`, `This grading is already ${status}`, { status });
  }

  private async gradingRows(db: Executor, by: { id: string } | { resourceId: string }): Promise<Grading[]> {
    let q = db
      .selectFrom('resource_gradings as g')
      .innerJoin('data_resources as r', 'r.id', 'g.resource_id')
      .leftJoin('users as gu', 'gu.id', 'g.graded_by')
      .leftJoin('users as du', 'du.id', 'g.decided_by')
      .selectAll('g')
      .select(['r.name as resource_name', 'gu.display_name as graded_by_name', 'du.display_name as decided_by_name']);
    q = 'id' in by ? q.where('g.id', '=', by.id) : q.where('g.resource_id', '=', by.resourceId);
    const rows = await q.orderBy('g.graded_at', 'desc').orderBy('g.id', 'desc').execute();
    return rows.map((g) => ({
      id: g.id,
      resourceId: g.resource_id,
      resourceName: g.resource_name,
      institutionId: g.institution_id,
      schemeVersion: g.scheme_version,
      categories: g.categories,
      harms: g.harms as HarmRecord[],
      proposedLevel: g.proposed_level as Level,
      chosenLevel: g.chosen_level as Level,
      overrideReason: g.override_reason,
      fieldLabels: g.field_labels as LabelRecord[],
      status: g.status as Grading['status'],
      gradedBy: g.graded_by ? { id: g.graded_by, name: g.graded_by_name ?? '' } : null,
      gradedAt: g.graded_at.toISOString(),
      decidedBy: g.decided_by ? { id: g.decided_by, name: g.decided_by_name ?? '' } : null,
      decidedAt: g.decided_at ? g.decided_at.toISOString() : null,
      decisionReason: g.decision_reason,
    }));
  }
}
