// Institutions (ORG-1, ORG-2, ORG-4, ORG-5, ORG-6, ORG-7): the tree, profiles and regulators' read grants.
import { sql } from 'kysely';
import { badRequest, conflict, notFound, ruleViolation } from '../../app/errors.ts';
import type { Db, Executor } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import { isValidUscc } from '../../engines/identifiers/uscc.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { assertCan, assertCanAnywhere, assertVisible, can, canSee, reachFilter } from './access.ts';
import type { Actor } from './actor.ts';
import { mapUniqueViolation } from './db-errors.ts';
import type { Institution, InstitutionCreate, InstitutionQuery, InstitutionSummary, InstitutionTreeNode, InstitutionUpdate, ReadGrant } from './org.schemas.ts';

const WHAT = { zh: '机构', en: 'Institution' };

const duplicateName = () =>
  conflict('DUPLICATE_NAME', '同一上级机构下已有同名机构', 'An institution with this name already exists under the same parent', { field: 'name' });
const duplicateCode = () =>
  conflict('DUPLICATE_CODE', '该统一社会信用代码已被其他机构使用', 'Another institution already has this credit code', { field: 'code' });
const grantExists = () => conflict('GRANT_EXISTS', '已存在相同的查阅授权', 'This read grant already exists');
/** The indexes behind assertUnique: they decide when two requests pass the check at the same time. */
const UNIQUE = { institutions_name_parent_uq: duplicateName, institutions_code_uq: duplicateCode };

/** The schema allows any 1–100 characters; a name of only spaces would be stored as ''. */
function nonBlankName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw badRequest('VALIDATION_FAILED', '字段 name 不能为空', 'Field name must not be blank', { field: 'name', in: 'body', rule: 'blank' });
  return trimmed;
}

type Row = {
  id: string;
  parent_id: string | null;
  kind: string;
  name: string;
  short_name: string | null;
  code: string | null;
  admin_level: string | null;
  sector: string;
  status: string;
  profile: unknown;
  version: number;
  created_at: Date;
  updated_at: Date;
};

/**
 * The parent as the actor may know it: an out-of-scope parent is not named, not even by ID (its node is a
 * root of the actor's forest, as in the tree). A district's staff learn nothing of the city above it.
 */
function parentFor(actor: Actor, parentId: string | null): string | null {
  return parentId && canSee(actor, parentId) ? parentId : null;
}

function toDto(actor: Actor, r: Row): Institution {
  return {
    id: r.id,
    parentId: parentFor(actor, r.parent_id),
    kind: r.kind as Institution['kind'],
    name: r.name,
    shortName: r.short_name,
    code: r.code,
    adminLevel: r.admin_level as Institution['adminLevel'],
    sector: r.sector as Institution['sector'],
    status: r.status as Institution['status'],
    profile: (r.profile ?? {}) as Institution['profile'],
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Which kinds may sit under which (ORG-6: city authority → district authorities → institutions, towns/parks). */
const CHILD_KINDS: Record<string, readonly string[]> = {
  authority: ['authority', 'regulator', 'institution', 'vendor', 'external_user'],
  regulator: ['regulator'],
  institution: ['institution'],
  vendor: [],
  external_user: [],
};

export class InstitutionsService {
  constructor(private readonly db: Db) {}

  async tree(actor: Actor): Promise<InstitutionTreeNode[]> {
    assertCanAnywhere(actor, 'institution.read');
    const ids = reachFilter(actor, 'institution.read');
    let q = this.db.selectFrom('institutions').select(['id', 'parent_id', 'kind', 'name', 'admin_level', 'sector', 'status']).orderBy('name');
    if (ids) q = q.where('id', 'in', ids.length ? ids : ['00000000-0000-0000-0000-000000000000']);
    const rows = await q.execute();
    const present = new Set(rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      // A node whose parent is out of reach is a root of this actor's forest.
      parentId: r.parent_id && present.has(r.parent_id) ? r.parent_id : null,
      kind: r.kind as InstitutionTreeNode['kind'],
      name: r.name,
      adminLevel: r.admin_level as InstitutionTreeNode['adminLevel'],
      sector: r.sector as InstitutionTreeNode['sector'],
      status: r.status as InstitutionTreeNode['status'],
    }));
  }

  async list(actor: Actor, query: InstitutionQuery) {
    assertCanAnywhere(actor, 'institution.read');
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const ids = reachFilter(actor, 'institution.read');
    let q = this.db.selectFrom('institutions as i');
    if (ids) q = q.where('i.id', 'in', ids.length ? ids : ['00000000-0000-0000-0000-000000000000']);
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      q = q.where((eb) => eb.or([eb('i.name', 'ilike', like), eb('i.short_name', 'ilike', like), eb('i.code', 'ilike', like)]));
    }
    if (query.kind) q = q.where('i.kind', '=', query.kind);
    if (query.sector) q = q.where('i.sector', '=', query.sector);
    if (query.parentId) q = q.where('i.parent_id', '=', query.parentId);
    if (query.status) q = q.where('i.status', '=', query.status);
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await q
      .select(['i.id', 'i.parent_id', 'i.kind', 'i.name', 'i.admin_level', 'i.sector', 'i.status'])
      .select(sql<number>`(SELECT count(*)::int FROM users u WHERE u.institution_id = i.id)`.as('user_count'))
      .orderBy('i.name')
      .orderBy('i.id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    const items: InstitutionSummary[] = rows.map((r) => ({
      id: r.id,
      parentId: parentFor(actor, r.parent_id),
      kind: r.kind as InstitutionSummary['kind'],
      name: r.name,
      adminLevel: r.admin_level as InstitutionSummary['adminLevel'],
      sector: r.sector as InstitutionSummary['sector'],
      status: r.status as InstitutionSummary['status'],
      userCount: r.user_count,
    }));
    return { items, total: Number(total), page, pageSize };
  }

  async get(actor: Actor, id: string): Promise<Institution> {
    assertCan(actor, 'institution.read', id, WHAT);
    const row = await this.db.selectFrom('institutions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(WHAT);
    return toDto(actor, row as Row);
  }

  async create(actor: Actor, body: InstitutionCreate): Promise<Institution> {
    assertCan(actor, 'institution.create', body.parentId, { zh: '上级机构', en: 'Parent institution' });
    const name = nonBlankName(body.name);
    if (body.code && !isValidUscc(body.code)) {
      throw badRequest('INVALID_CREDIT_CODE', '统一社会信用代码校验位错误', 'The unified social credit code fails its check', { field: 'code' });
    }
    const work = this.db.transaction().execute(async (trx) => {
      const parent = await trx.selectFrom('institutions').selectAll().where('id', '=', body.parentId).forUpdate().executeTakeFirst();
      if (!parent) throw notFound({ zh: '上级机构', en: 'Parent institution' });
      if (parent.status !== 'active') throw ruleViolation('PARENT_CLOSED', '上级机构已撤销，不能新增下级机构', 'The parent institution is closed');
      if (!(CHILD_KINDS[parent.kind] ?? []).includes(body.kind)) {
        throw ruleViolation('KIND_NOT_ALLOWED_HERE', '该类型机构不能设在所选上级机构之下', `A ${body.kind} cannot be placed under a ${parent.kind}`, {
          parentKind: parent.kind,
          kind: body.kind,
        });
      }
      await this.assertUnique(trx, body.parentId, name, body.code ?? null, null);
      const row = await trx
        .insertInto('institutions')
        .values({
          id: uuidv7(),
          parent_id: body.parentId,
          kind: body.kind,
          name,
          short_name: body.shortName ?? null,
          code: body.code ?? null,
          admin_level: body.adminLevel ?? null,
          sector: body.sector,
          profile: JSON.stringify(body.profile ?? {}),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, {
        action: 'org.institution.create',
        target: { type: 'institution', id: row.id, institutionId: row.id },
        details: { name: row.name, kind: row.kind, parentId: row.parent_id },
      });
      return toDto(actor, row as Row);
    });
    return mapUniqueViolation(work, UNIQUE);
  }

  private async assertUnique(trx: Executor, parentId: string | null, name: string, code: string | null, selfId: string | null) {
    const sameName = await trx
      .selectFrom('institutions')
      .select('id')
      .where((eb) => (parentId ? eb('parent_id', '=', parentId) : eb('parent_id', 'is', null)))
      .where('name', '=', name.trim())
      .where('id', '!=', selfId ?? '00000000-0000-0000-0000-000000000000')
      .executeTakeFirst();
    if (sameName) throw duplicateName();
    if (code) {
      const sameCode = await trx
        .selectFrom('institutions')
        .select('id')
        .where('code', '=', code)
        .where('id', '!=', selfId ?? '00000000-0000-0000-0000-000000000000')
        .executeTakeFirst();
      if (sameCode) throw duplicateCode();
    }
  }

  async update(actor: Actor, id: string, body: InstitutionUpdate): Promise<Institution> {
    assertCan(actor, 'institution.update', id, WHAT);
    const name = body.name !== undefined ? nonBlankName(body.name) : undefined;
    if (body.code && !isValidUscc(body.code)) {
      throw badRequest('INVALID_CREDIT_CODE', '统一社会信用代码校验位错误', 'The unified social credit code fails its check', { field: 'code' });
    }
    const work = this.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('institutions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!before) throw notFound(WHAT);
      // Registration facts (name, code, sector, status) belong to the supervising authority: whoever may
      // create this institution under its parent (for the root, only a platform-wide actor). The institution
      // itself maintains its profile (security lead, leadership group, budget, …), and so does a district
      // authority for itself: its update reach covers its own node, but renaming or closing the district
      // authority is the city's act, not its own.
      // Only a real change counts: a form that sends the unchanged name back is a profile edit.
      const registrationChange =
        (name !== undefined && name !== before.name) ||
        (body.shortName !== undefined && body.shortName !== before.short_name) ||
        (body.code !== undefined && body.code !== before.code) ||
        (body.sector !== undefined && body.sector !== before.sector) ||
        (body.status !== undefined && body.status !== before.status);
      const supervises = before.parent_id ? can(actor, 'institution.create', before.parent_id) : actor.permissions.get('institution.create') === 'all';
      if (registrationChange && !supervises) {
        throw ruleViolation(
          'REGISTRATION_FACTS_BY_AUTHORITY',
          '机构名称、代码、行业和状态由主管部门维护',
          'Name, code, sector and status are maintained by the authority',
        );
      }
      if (before.version !== body.version) {
        throw conflict('VERSION_CONFLICT', '该机构信息已被他人修改，请刷新后重试', 'Someone else changed this institution; reload and try again', {
          currentVersion: before.version,
        });
      }
      if (name !== undefined || body.code) await this.assertUnique(trx, before.parent_id, name ?? before.name, body.code ?? null, id);
      const row = await trx
        .updateTable('institutions')
        .set({
          ...(name !== undefined ? { name } : {}),
          ...(body.shortName !== undefined ? { short_name: body.shortName } : {}),
          ...(body.code !== undefined ? { code: body.code } : {}),
          ...(body.sector !== undefined ? { sector: body.sector } : {}),
          ...(body.status !== undefined ? { status: body.status } : {}),
          ...(body.profile !== undefined ? { profile: JSON.stringify(body.profile) } : {}),
          version: before.version + 1,
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const changed = diffKeys(before as Row, row as Row);
      await recordAudit(trx, actor, {
        action: 'org.institution.update',
        target: { type: 'institution', id, institutionId: id },
        details: { changed, version: row.version },
      });
      return toDto(actor, row as Row);
    });
    return mapUniqueViolation(work, UNIQUE);
  }

  async listReadGrants(actor: Actor, regulatorId: string): Promise<ReadGrant[]> {
    assertCan(actor, 'institution.read', regulatorId, WHAT);
    return this.readGrantsOf(this.db, regulatorId);
  }

  /** The authority lets a regulator read a subtree (ORG-6: "a regulator sees what its read grant covers"). */
  async addReadGrant(actor: Actor, regulatorId: string, body: { institutionId: string; note?: string }): Promise<ReadGrant> {
    assertVisible(actor, regulatorId, WHAT);
    assertCan(actor, 'institution.grant_read', body.institutionId, WHAT);
    const work = this.db.transaction().execute(async (trx) => {
      const regulator = await trx.selectFrom('institutions').select(['id', 'kind', 'name']).where('id', '=', regulatorId).executeTakeFirst();
      if (!regulator) throw notFound(WHAT);
      if (regulator.kind !== 'regulator') throw ruleViolation('NOT_A_REGULATOR', '只能向监管部门授权查阅', 'Read grants are for regulators only');
      // A platform-wide actor "sees" any ID: a missing one is 404, not a foreign-key 500.
      const covered = await trx.selectFrom('institutions').select('id').where('id', '=', body.institutionId).executeTakeFirst();
      if (!covered) throw notFound(WHAT);
      const existing = await trx
        .selectFrom('regulator_read_grants')
        .select('id')
        .where('regulator_id', '=', regulatorId)
        .where('institution_id', '=', body.institutionId)
        .executeTakeFirst();
      if (existing) throw grantExists();
      const id = uuidv7();
      await trx
        .insertInto('regulator_read_grants')
        .values({ id, regulator_id: regulatorId, institution_id: body.institutionId, note: body.note ?? null, granted_by: actor.userId })
        .execute();
      await recordAudit(trx, actor, {
        action: 'org.read_grant.create',
        target: { type: 'institution', id: regulatorId, institutionId: regulatorId },
        details: { grantId: id, institutionId: body.institutionId },
      });
      const grant = (await this.readGrantsOf(trx, regulatorId)).find((g) => g.id === id);
      return grant as ReadGrant;
    });
    return mapUniqueViolation(work, { regulator_read_grants_regulator_id_institution_id_key: grantExists });
  }

  private async readGrantsOf(db: Executor, regulatorId: string): Promise<ReadGrant[]> {
    const rows = await db
      .selectFrom('regulator_read_grants as g')
      .innerJoin('institutions as r', 'r.id', 'g.regulator_id')
      .innerJoin('institutions as i', 'i.id', 'g.institution_id')
      .select(['g.id', 'g.regulator_id', 'r.name as regulator_name', 'g.institution_id', 'i.name as institution_name', 'g.note', 'g.created_at'])
      .where('g.regulator_id', '=', regulatorId)
      .orderBy('g.created_at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      regulatorId: r.regulator_id,
      regulatorName: r.regulator_name,
      institutionId: r.institution_id,
      institutionName: r.institution_name,
      note: r.note,
      createdAt: r.created_at.toISOString(),
    }));
  }

  async removeReadGrant(actor: Actor, regulatorId: string, grantId: string): Promise<void> {
    assertVisible(actor, regulatorId, WHAT);
    await this.db.transaction().execute(async (trx) => {
      const grant = await trx
        .selectFrom('regulator_read_grants')
        .selectAll()
        .where('id', '=', grantId)
        .where('regulator_id', '=', regulatorId)
        .executeTakeFirst();
      if (!grant) throw notFound({ zh: '查阅授权', en: 'Read grant' });
      assertCan(actor, 'institution.grant_read', grant.institution_id, { zh: '查阅授权', en: 'Read grant' });
      // regulator_read_grants is configuration, not audit data: removal is allowed and recorded.
      await trx.deleteFrom('regulator_read_grants').where('id', '=', grantId).execute();
      await recordAudit(trx, actor, {
        action: 'org.read_grant.delete',
        target: { type: 'institution', id: regulatorId, institutionId: regulatorId },
        details: { grantId, institutionId: grant.institution_id },
      });
    });
  }
}

function diffKeys(before: Row, after: Row): string[] {
  const keys: (keyof Row)[] = ['name', 'short_name', 'code', 'sector', 'status'];
  const out: string[] = keys.filter((k) => before[k] !== after[k]);
  const bp = (before.profile ?? {}) as Record<string, unknown>;
  const ap = (after.profile ?? {}) as Record<string, unknown>;
  for (const k of new Set([...Object.keys(bp), ...Object.keys(ap)])) {
    if (JSON.stringify(bp[k]) !== JSON.stringify(ap[k])) out.push(`profile.${k}`);
  }
  return out;
}
