// The data resource catalog (AST-4, AST-11, LIF-1): resources of registered systems with their fields,
// share and open attributes, collection records and PI declarations; catalog search; the PI inventory with
// the ORG-4 officer thresholds; and the controls each resource's level calls for (CLS-5).
//
// Visibility: an institution's resources are readable within catalog.read reach; a resource marked
// `published` is readable by anyone holding catalog.read anywhere (the shared catalog). An institution
// never sees another's unpublished catalog, through a read, a search, or the PI inventory.
import { type Insertable, sql } from 'kysely';
import { badRequest, conflict, forbidden, notFound, ruleViolation } from '../../app/errors.ts';
import type { Db, Executor } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import type { Database } from '../../db/schema.ts';
import { type Controls, MASKING_MODES, MASKING_SCENARIOS, type MaskingMode } from '../../engines/grading/index.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { assertCan, assertCanAnywhere, can, canAnywhere, reachFilter } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import { mapUniqueViolation } from '../org/db-errors.ts';
import {
  COLLECTION_PARTS,
  type CollectionPart,
  crossesPeopleThreshold,
  crossesSensitiveThreshold,
  type FieldDataType,
  PI_OFFICER_THRESHOLDS,
  SHARE_ATTRIBUTES_NEEDING_BASIS,
  type ShareAttribute,
} from './catalog.constants.ts';
import type {
  CollectionRecord,
  Field,
  FieldInput,
  PiDeclaration,
  PiInventory,
  PiInventoryEntry,
  PiInventoryQuery,
  ResourceControls,
  ResourceCreate,
  ResourceDetail,
  ResourceQuery,
  ResourceSummary,
  ResourceUpdate,
} from './resources.schemas.ts';

const WHAT = { zh: '数据资源', en: 'Data resource' };
const SYSTEM = { zh: '系统', en: 'System' };
const NIL = '00000000-0000-0000-0000-000000000000';

const duplicateName = () => conflict('DUPLICATE_NAME', '该系统下已有同名数据资源', 'This system already has a data resource with this name', { field: 'name' });
const UNIQUE = { data_resources_system_name_uq: duplicateName };

/** A resource's fields with the controls their levels call for (protectionProfile). */
export interface ProtectionProfile {
  resourceId: string;
  name: string;
  institutionId: string;
  level: string | null;
  schemeVersion: number;
  basis: 'level' | 'fail_safe';
  controls: Controls;
  fields: {
    id: string;
    name: string;
    dataType: FieldDataType;
    description: string | null;
    level: string | null;
    piType: string | null;
    piSensitive: boolean;
    basis: 'level' | 'fail_safe';
    controls: Controls;
  }[];
}

/** What the resources service needs of the grading scheme: the published version's controls per level. */
export interface ControlsScheme {
  version: number;
  controls: Record<string, Controls>;
}
export interface SchemeSource {
  /** The published scheme (SchemeService seeds the default one if none was ever published). */
  current(): Promise<ControlsScheme>;
}

// ---------------------------------------------------------------------------------------------------
// Pure helpers (exported: the catalog import applies the same rules row by row)

/** The schema allows any 1–n characters; a value of only spaces would be stored as ''. */
function nonBlank(value: string, field: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw badRequest('VALIDATION_FAILED', `字段 ${field} 不能为空`, `Field ${field} must not be blank`, { field, in: 'body', rule: 'blank' });
  return trimmed;
}

/** Optional free text: trimmed; blank means "not given". */
function optionalText(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

interface NormalField {
  name: string;
  dataType: string;
  description: string | null;
}

/** Trims field names and refuses blanks and duplicates, naming the offending entry (fields.N.name). */
export function normalizeFields(fields: readonly FieldInput[]): NormalField[] {
  const seen = new Map<string, number>();
  return fields.map((f, i) => {
    const name = nonBlank(f.name, `fields.${i}.name`);
    const first = seen.get(name);
    if (first !== undefined) {
      throw badRequest(
        'DUPLICATE_FIELD_NAME',
        `数据项名称“${name}”重复（第 ${first + 1} 项与第 ${i + 1} 项）`,
        `Field name "${name}" is used twice (entries ${first + 1} and ${i + 1})`,
        { field: `fields.${i}.name`, name },
      );
    }
    seen.set(name, i);
    return { name, dataType: f.dataType, description: optionalText(f.description) };
  });
}

/** LIF-1: the collection record as stored: only the parts given, trimmed. */
export function normalizeCollection(c: CollectionRecord | undefined): CollectionRecord {
  const out: CollectionRecord = {};
  for (const part of COLLECTION_PARTS) {
    const v = optionalText(c?.[part]);
    if (v) out[part] = v;
  }
  return out;
}

export function collectionMissing(c: CollectionRecord): CollectionPart[] {
  return COLLECTION_PARTS.filter((p) => !c[p]?.trim());
}

/** AST-4: conditional sharing and refusal to share must cite their legal basis. */
export function assertShareBasis(attribute: string, basis: string | null): void {
  if ((SHARE_ATTRIBUTES_NEEDING_BASIS as readonly string[]).includes(attribute) && !basis) {
    const zh = attribute === 'conditional' ? '受限共享' : '不予共享';
    throw badRequest(
      'SHARE_BASIS_REQUIRED',
      `共享属性为“${zh}”时必须填写共享依据（shareBasis）`,
      `A ${attribute} share attribute needs its legal basis (shareBasis)`,
      {
        field: 'shareBasis',
        shareAttribute: attribute,
      },
    );
  }
}

/** MASKING_MODES runs weakest first. */
/**
 * AST-11: a declaration must be coherent, since ORG-4 is computed from it. Records holding PI concern at
 * least one person and a person is known from at least one record, so both counts are zero or neither is;
 * sensitive PI needs people it is about; and no more records hold PI than the resource has records.
 */
export function assertPiDeclaration(pi: PiDeclaration | null, recordCount: number | null): void {
  if (!pi) return;
  const refuse = (field: string, zh: string, en: string) => {
    throw badRequest('INVALID_PI_DECLARATION', zh, en, { field });
  };
  if (pi.records === 0 && pi.people > 0) refuse('pi.records', '涉及个人的记录数不能为 0', 'People are declared, so the records holding their PI cannot be 0');
  if (pi.people === 0 && pi.records > 0) refuse('pi.people', '含个人信息的记录至少涉及 1 人', 'Records holding PI concern at least one person');
  if (pi.sensitive && pi.people === 0)
    refuse('pi.sensitive', '声明含敏感个人信息时，涉及人数不能为 0', 'Sensitive PI is declared, so the people covered cannot be 0');
  if (recordCount !== null && pi.records > recordCount) {
    refuse(
      'pi.records',
      `含个人信息的记录数（${pi.records}）超过资源记录总数（${recordCount}）`,
      `Records holding PI (${pi.records}) exceed the resource's records (${recordCount})`,
    );
  }
}

const stricterMasking = (a: MaskingMode, b: MaskingMode): MaskingMode => (MASKING_MODES.indexOf(a) >= MASKING_MODES.indexOf(b) ? a : b);

/**
 * CLS-5 fail safe: the strictest controls of a scheme, part by part over every level. A valid scheme never
 * gives a higher level weaker controls (the engine's validateScheme refuses that), so this equals the top
 * level's row; taking it part by part does not depend on that rule having held when a scheme was stored.
 */
export function strictestControls(all: readonly Controls[]): Controls {
  const [first, ...rest] = all;
  if (!first) throw new Error('a scheme without controls');
  return rest.reduce<Controls>(
    (acc, c) => ({
      encryptAtRest: acc.encryptAtRest || c.encryptAtRest,
      masking: Object.fromEntries(MASKING_SCENARIOS.map((s) => [s, stricterMasking(acc.masking[s], c.masking[s])])) as Controls['masking'],
      sharingApprovals: Math.max(acc.sharingApprovals, c.sharingApprovals),
      watermark: acc.watermark || c.watermark,
      logRetentionMonths: Math.max(acc.logRetentionMonths, c.logRetentionMonths),
      openAllowed: acc.openAllowed && c.openAllowed,
      aggregateOnly: acc.aggregateOnly || c.aggregateOnly,
    }),
    structuredClone(first),
  );
}

/** The controls for a level under a scheme; a missing or unknown level gets the strictest (fail safe). */
export function controlsForLevel(scheme: ControlsScheme, level: string | null): { basis: 'level' | 'fail_safe'; controls: Controls } {
  // Own keys only: a stored level can never pick up an Object.prototype member as its "controls".
  const own = level && Object.hasOwn(scheme.controls, level) ? scheme.controls[level] : undefined;
  if (own) return { basis: 'level', controls: own };
  return { basis: 'fail_safe', controls: strictestControls(Object.values(scheme.controls)) };
}

// ---------------------------------------------------------------------------------------------------
// SQL fragments

/** Holds PI: declared counts above zero, or any field labelled as PI (AST-11). */
const holdsPiSql = sql<boolean>`(coalesce(r.pi_people, 0) > 0 OR coalesce(r.pi_records, 0) > 0 OR EXISTS (
  SELECT 1 FROM data_fields pf WHERE pf.resource_id = r.id AND (pf.pi_type IS NOT NULL OR pf.pi_sensitive)))`;

/** LIF-1: all five parts of the collection record are present and not blank. */
const collectionCompleteSql = sql<boolean>`(${sql.join(
  COLLECTION_PARTS.map((p) => sql`coalesce(btrim(r.collection ->> ${sql.lit(p)}), '') <> ''`),
  sql` AND `,
)})`;

/** Resources the actor may read: within catalog.read reach, or published (the shared catalog). */
function readableSql(actor: Actor) {
  const ids = reachFilter(actor, 'catalog.read');
  if (ids === null) return sql<boolean>`true`;
  return sql<boolean>`(r.published OR r.institution_id IN (${sql.join(ids.length ? ids : [NIL])}))`;
}

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

/** The resource with its institution's and system's names; 404 when it does not exist. */
async function loadRow(db: Executor, id: string) {
  const row = await db
    .selectFrom('data_resources as r')
    .innerJoin('institutions as i', 'i.id', 'r.institution_id')
    .innerJoin('systems as s', 's.id', 'r.system_id')
    .selectAll('r')
    .select(['i.name as institution_name', 's.name as system_name'])
    .where('r.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound(WHAT);
  return row;
}
type ResourceRow = Awaited<ReturnType<typeof loadRow>>;

export class ResourcesService {
  constructor(
    private readonly db: Db,
    private readonly scheme: SchemeSource,
  ) {}

  // -------------------------------------------------------------------------------------------------
  // Reads

  /** GET /api/resources: the catalog search (AST-4). Substring match, Chinese included, over resources and their fields. */
  async list(actor: Actor, query: ResourceQuery): Promise<{ items: ResourceSummary[]; total: number; page: number; pageSize: number }> {
    assertCanAnywhere(actor, 'catalog.read');
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const q = query.q?.trim() ? likePattern(query.q.trim()) : null;

    let base = this.db
      .selectFrom('data_resources as r')
      .innerJoin('institutions as i', 'i.id', 'r.institution_id')
      .innerJoin('systems as s', 's.id', 'r.system_id')
      .where(readableSql(actor));
    if (q) {
      // The two expressions are those of the trigram indexes of 0002_catalog (same text, so they can serve).
      base = base.where((eb) =>
        eb.or([
          sql<boolean>`(r.name || ' ' || coalesce(r.description, '')) ILIKE ${q}`,
          eb.exists(
            eb
              .selectFrom('data_fields as f')
              .select('f.id')
              .whereRef('f.resource_id', '=', 'r.id')
              .where(sql<boolean>`(f.name || ' ' || coalesce(f.description, '')) ILIKE ${q}`),
          ),
        ]),
      );
    }
    if (query.institutionId) base = base.where('r.institution_id', '=', query.institutionId);
    if (query.systemId) base = base.where('r.system_id', '=', query.systemId);
    if (query.level) base = base.where('r.level', '=', query.level);
    if (query.shareAttribute) base = base.where('r.share_attribute', '=', query.shareAttribute);
    if (query.openAttribute) base = base.where('r.open_attribute', '=', query.openAttribute);
    if (query.gradingStatus) base = base.where('r.grading_status', '=', query.gradingStatus);
    if (query.published !== undefined) base = base.where('r.published', '=', query.published);
    if (query.pi !== undefined) base = base.where(query.pi ? holdsPiSql : sql<boolean>`NOT ${holdsPiSql}`);
    if (query.collectionComplete !== undefined)
      base = base.where(query.collectionComplete ? collectionCompleteSql : sql<boolean>`NOT ${collectionCompleteSql}`);

    const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await base
      .select([
        'r.id',
        'r.institution_id',
        'i.name as institution_name',
        'r.system_id',
        's.name as system_name',
        'r.name',
        'r.description',
        'r.share_attribute',
        'r.open_attribute',
        'r.update_frequency',
        'r.record_count',
        'r.level',
        'r.categories',
        'r.grading_status',
        'r.published',
        'r.version',
        'r.updated_at',
      ])
      .select(holdsPiSql.as('holds_pi'))
      .select(collectionCompleteSql.as('collection_complete'))
      .select(sql<number>`(SELECT count(*)::int FROM data_fields cf WHERE cf.resource_id = r.id)`.as('field_count'))
      .select(
        q
          ? sql<string[]>`ARRAY(SELECT mf.name FROM data_fields mf WHERE mf.resource_id = r.id
              AND (mf.name || ' ' || coalesce(mf.description, '')) ILIKE ${q} ORDER BY mf.position LIMIT 10)`.as('matched_fields')
          : sql<string[]>`'{}'::text[]`.as('matched_fields'),
      )
      // Code-point order ("C"): the same on every deployment whatever the database's locale, so pages never
      // shift between servers; for Chinese names it is the radical-and-stroke order of Unicode.
      .orderBy(sql`r.name COLLATE "C"`)
      .orderBy('r.id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    const items: ResourceSummary[] = rows.map((r) => ({
      id: r.id,
      institutionId: r.institution_id,
      institutionName: r.institution_name,
      systemId: r.system_id,
      systemName: r.system_name,
      name: r.name,
      description: r.description,
      shareAttribute: r.share_attribute as ResourceSummary['shareAttribute'],
      openAttribute: r.open_attribute as ResourceSummary['openAttribute'],
      updateFrequency: r.update_frequency as ResourceSummary['updateFrequency'],
      recordCount: r.record_count,
      level: r.level,
      categories: r.categories,
      gradingStatus: r.grading_status as ResourceSummary['gradingStatus'],
      published: r.published,
      holdsPi: r.holds_pi,
      collectionComplete: r.collection_complete,
      fieldCount: r.field_count,
      matchedFields: r.matched_fields,
      version: r.version,
      updatedAt: r.updated_at.toISOString(),
    }));
    return { items, total: Number(total), page, pageSize };
  }

  /** GET /api/resources/:id: fields with labels, level, categories, grading, controls (CLS-5), PI inventory (AST-11). */
  async get(actor: Actor, id: string): Promise<ResourceDetail> {
    const row = await loadRow(this.db, id);
    this.assertReadable(actor, row);
    return this.detail(actor, this.db, row, await this.scheme.current());
  }

  /**
   * CLS-5: the controls of the resource's level, the one call the rest of the platform uses to decide how
   * to store, mask, approve, watermark and log this resource's data. Fail safe: a resource without a level
   * the published scheme knows (ungraded, pending, rejected, or graded under a level the scheme has since
   * dropped) gets the strictest controls of the scheme, never the weakest and never none.
   */
  async controlsFor(actor: Actor, id: string): Promise<ResourceControls> {
    const row = await loadRow(this.db, id);
    this.assertReadable(actor, row);
    return resourceControls(await this.scheme.current(), row.id, row.level);
  }

  /**
   * CLS-5 per field, for the modules that store, mask and deliver a resource's data (dataset store,
   * masking, gateway): each field's level (its own label, else the resource's) and the controls of that
   * level, fail safe (strictest) where there is no level the published scheme knows.
   */
  async protectionProfile(actor: Actor, id: string): Promise<ProtectionProfile> {
    const row = await loadRow(this.db, id);
    this.assertReadable(actor, row);
    const scheme = await this.scheme.current();
    const fields = await this.db.selectFrom('data_fields').selectAll().where('resource_id', '=', row.id).orderBy('position').execute();
    const resource = controlsForLevel(scheme, row.level);
    return {
      resourceId: row.id,
      name: row.name,
      institutionId: row.institution_id,
      level: row.level,
      schemeVersion: scheme.version,
      basis: resource.basis,
      controls: resource.controls,
      fields: fields.map((f) => {
        const level = f.level ?? row.level;
        const c = controlsForLevel(scheme, level);
        return {
          id: f.id,
          name: f.name,
          dataType: f.data_type as FieldDataType,
          description: f.description,
          level,
          piType: f.pi_type,
          piSensitive: f.pi_sensitive,
          basis: c.basis,
          controls: c.controls,
        };
      }),
    };
  }

  /**
   * GET /api/pi-inventory (AST-11, ORG-4): per institution within the caller's catalog.read reach, the
   * resources holding PI and the officer thresholds. It is the compliance view of the institutions the caller
   * answers for or supervises: another institution's published resources, readable in the shared catalog,
   * do not bring that institution into it.
   */
  async piInventory(actor: Actor, query: PiInventoryQuery): Promise<PiInventory> {
    assertCanAnywhere(actor, 'catalog.read');
    if (query.institutionId) assertCan(actor, 'catalog.read', query.institutionId, { zh: '机构', en: 'Institution' });
    const ids = reachFilter(actor, 'catalog.read');
    let q = this.db
      .selectFrom('data_resources as r')
      .innerJoin('institutions as i', 'i.id', 'r.institution_id')
      .innerJoin('systems as s', 's.id', 'r.system_id')
      .where(holdsPiSql);
    if (ids) q = q.where('r.institution_id', 'in', ids.length ? ids : [NIL]);
    if (query.institutionId) q = q.where('r.institution_id', '=', query.institutionId);
    // Institution names and the profile's PI officer are read with the resources (one query, read only):
    // the org module has no batch read for them.
    const rows = await q
      .select([
        'r.id',
        'r.name',
        'r.institution_id',
        'i.name as institution_name',
        'r.system_id',
        's.name as system_name',
        'r.pi_records',
        'r.pi_people',
        'r.pi_sensitive',
        'r.pi_source',
      ])
      .select(sql<string | null>`nullif(btrim(i.profile -> 'piOfficer' ->> 'name'), '')`.as('pi_officer'))
      .select(
        sql<number>`(SELECT count(*)::int FROM data_fields pf WHERE pf.resource_id = r.id AND (pf.pi_type IS NOT NULL OR pf.pi_sensitive))`.as('pi_fields'),
      )
      .select(sql<boolean>`EXISTS (SELECT 1 FROM data_fields sf WHERE sf.resource_id = r.id AND sf.pi_sensitive)`.as('sensitive_field'))
      .orderBy(sql`i.name COLLATE "C"`)
      .orderBy('i.id')
      .orderBy(sql`r.name COLLATE "C"`)
      .orderBy('r.id')
      .execute();

    const byInstitution = new Map<string, PiInventory['institutions'][number]>();
    for (const r of rows) {
      let inst = byInstitution.get(r.institution_id);
      if (!inst) {
        inst = {
          institutionId: r.institution_id,
          institutionName: r.institution_name,
          resources: [],
          totals: { records: 0, people: 0, sensitivePeople: 0 },
          undeclaredResources: 0,
          crossed: { people: false, sensitivePeople: false },
          officerRequired: false,
          piOfficerNamed: r.pi_officer !== null,
          piOfficerName: r.pi_officer,
          compliant: true,
        };
        byInstitution.set(r.institution_id, inst);
      }
      const declared = r.pi_source !== null;
      // A field labelled sensitive makes the resource's PI sensitive whatever the declaration says.
      const sensitive = (declared && r.pi_sensitive) || r.sensitive_field;
      inst.resources.push({
        id: r.id,
        name: r.name,
        systemId: r.system_id,
        systemName: r.system_name,
        records: declared ? r.pi_records : null,
        people: declared ? r.pi_people : null,
        sensitive,
        declared,
        source: r.pi_source as 'declared' | 'discovery' | null,
        piFieldCount: r.pi_fields,
      });
      if (!declared) {
        inst.undeclaredResources++;
        continue;
      }
      // basis 'sum_of_declared': one person in several resources is counted once per resource.
      inst.totals.records += r.pi_records ?? 0;
      inst.totals.people += r.pi_people ?? 0;
      if (sensitive) inst.totals.sensitivePeople += r.pi_people ?? 0;
    }
    const institutions = [...byInstitution.values()].map((inst) => {
      // ORG-4 (DG-23): ≥ 1,000,000 people, or > 100,000 people's sensitive PI.
      const crossed = { people: crossesPeopleThreshold(inst.totals.people), sensitivePeople: crossesSensitiveThreshold(inst.totals.sensitivePeople) };
      const officerRequired = crossed.people || crossed.sensitivePeople;
      return { ...inst, crossed, officerRequired, compliant: !officerRequired || inst.piOfficerNamed };
    });
    return {
      basis: 'sum_of_declared',
      thresholds: { people: PI_OFFICER_THRESHOLDS.people, sensitivePeople: PI_OFFICER_THRESHOLDS.sensitivePeople },
      institutions,
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Changes

  /** POST /api/resources (AST-4, AST-11, LIF-1): a resource of a system, at the system's institution. */
  async create(actor: Actor, body: ResourceCreate): Promise<ResourceDetail> {
    const system = await this.db.selectFrom('systems').select(['id', 'institution_id']).where('id', '=', body.systemId).executeTakeFirst();
    if (!system) throw notFound(SYSTEM);
    assertCan(actor, 'catalog.manage', system.institution_id, SYSTEM);

    const name = nonBlank(body.name, 'name');
    const fields = normalizeFields(body.fields);
    const shareBasis = optionalText(body.shareBasis);
    assertShareBasis(body.shareAttribute, shareBasis);
    const collection = normalizeCollection(body.collection);
    const pi = body.pi ?? null;
    assertPiDeclaration(pi, body.recordCount ?? null);

    const work = this.db.transaction().execute(async (trx) => {
      // FOR SHARE: a closure accepted at the same moment waits for this resource, or this one sees it closed.
      await this.lockOpenSystem(trx, body.systemId);
      await this.assertNameFree(trx, body.systemId, name, null);
      const id = uuidv7();
      await trx
        .insertInto('data_resources')
        .values({
          id,
          institution_id: system.institution_id,
          system_id: body.systemId,
          name,
          description: optionalText(body.description),
          update_frequency: body.updateFrequency ?? null,
          record_count: body.recordCount ?? null,
          share_attribute: body.shareAttribute,
          share_basis: shareBasis,
          open_attribute: body.openAttribute,
          open_basis: optionalText(body.openBasis),
          retention_months: body.retentionMonths ?? null,
          collection: JSON.stringify(collection),
          pi_records: pi ? pi.records : null,
          pi_people: pi ? pi.people : null,
          pi_sensitive: pi ? pi.sensitive : false,
          pi_source: pi ? 'declared' : null,
          published: body.published ?? false,
          created_by: actor.userId,
        })
        .execute();
      if (fields.length > 0) {
        await trx
          .insertInto('data_fields')
          .values(
            fields.map((f, i) => ({
              id: uuidv7(),
              resource_id: id,
              institution_id: system.institution_id,
              position: i + 1,
              name: f.name,
              data_type: f.dataType,
              description: f.description,
            })),
          )
          .execute();
      }
      await recordAudit(trx, actor, {
        action: 'catalog.resource.create',
        target: { type: 'data_resource', id, institutionId: system.institution_id },
        details: {
          name,
          systemId: body.systemId,
          shareAttribute: body.shareAttribute,
          openAttribute: body.openAttribute,
          published: body.published ?? false,
          fieldCount: fields.length,
          collectionComplete: collectionMissing(collection).length === 0,
          piDeclared: pi !== null,
        },
      });
      return id;
    });
    const id = await mapUniqueViolation(work, UNIQUE);
    return this.written(actor, id);
  }

  /**
   * PATCH /api/resources/:id. `version` must be the one the editor saw (409 VERSION_CONFLICT). `fields`
   * replaces the list by name: a field whose name stays keeps its id and its CLS-3 labels (category, level,
   * PI type), so re-ordering or re-describing columns never loses an approved grading's labels.
   */
  async update(actor: Actor, id: string, body: ResourceUpdate): Promise<ResourceDetail> {
    const current = await loadRow(this.db, id);
    this.assertManageable(actor, current);

    const name = body.name !== undefined ? nonBlank(body.name, 'name') : undefined;
    const fields = body.fields !== undefined ? normalizeFields(body.fields) : undefined;

    const work = this.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('data_resources').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!before) throw notFound(WHAT);
      if (before.version !== body.version) {
        throw conflict('VERSION_CONFLICT', '该数据资源已被他人修改，请刷新后重试', 'Someone else changed this data resource; reload and try again', {
          currentVersion: before.version,
        });
      }
      const shareAttribute = (body.shareAttribute ?? before.share_attribute) as ShareAttribute;
      const shareBasis = body.shareBasis !== undefined ? optionalText(body.shareBasis) : before.share_basis;
      assertShareBasis(shareAttribute, shareBasis);

      const systemId = body.systemId ?? before.system_id;
      if (systemId !== before.system_id) {
        const target = await trx.selectFrom('systems').select(['id', 'institution_id']).where('id', '=', systemId).executeTakeFirst();
        if (!target) throw notFound(SYSTEM);
        assertCan(actor, 'catalog.manage', target.institution_id, SYSTEM);
        if (target.institution_id !== before.institution_id) {
          throw ruleViolation(
            'SYSTEM_OF_OTHER_INSTITUTION',
            '数据资源只能归属本单位的系统',
            'A data resource can only move to a system of its own institution',
            { field: 'systemId' },
          );
        }
        await this.lockOpenSystem(trx, systemId);
      }
      const newName = name ?? before.name;
      if (newName !== before.name || systemId !== before.system_id) await this.assertNameFree(trx, systemId, newName, id);

      const pi = body.pi;
      // The declaration is checked against the record count it will stand next to.
      assertPiDeclaration(
        pi !== undefined
          ? pi
          : before.pi_source !== null
            ? { records: before.pi_records ?? 0, people: before.pi_people ?? 0, sensitive: before.pi_sensitive }
            : null,
        body.recordCount !== undefined ? body.recordCount : before.record_count,
      );
      const collection = body.collection !== undefined ? normalizeCollection(body.collection) : undefined;
      const after = await trx
        .updateTable('data_resources')
        .set({
          system_id: systemId,
          name: newName,
          ...(body.description !== undefined ? { description: optionalText(body.description) } : {}),
          share_attribute: shareAttribute,
          share_basis: shareBasis,
          ...(body.openAttribute !== undefined ? { open_attribute: body.openAttribute } : {}),
          ...(body.openBasis !== undefined ? { open_basis: optionalText(body.openBasis) } : {}),
          ...(body.updateFrequency !== undefined ? { update_frequency: body.updateFrequency } : {}),
          ...(body.recordCount !== undefined ? { record_count: body.recordCount } : {}),
          ...(body.retentionMonths !== undefined ? { retention_months: body.retentionMonths } : {}),
          ...(collection !== undefined ? { collection: JSON.stringify(collection) } : {}),
          ...(pi !== undefined
            ? {
                pi_records: pi ? pi.records : null,
                pi_people: pi ? pi.people : null,
                pi_sensitive: pi ? pi.sensitive : false,
                pi_source: pi ? 'declared' : null,
              }
            : {}),
          ...(body.published !== undefined ? { published: body.published } : {}),
          version: before.version + 1,
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();

      const fieldChanges = fields ? await this.replaceFields(trx, id, before.institution_id, fields) : null;
      const changed = changedKeys(before, after);
      if (fieldChanges && (fieldChanges.added.length || fieldChanges.removed.length || fieldChanges.changed.length || fieldChanges.reordered)) {
        changed.push('fields');
      }
      await recordAudit(trx, actor, {
        action: 'catalog.resource.update',
        target: { type: 'data_resource', id, institutionId: before.institution_id },
        details: {
          name: after.name,
          changed,
          version: after.version,
          ...(body.published !== undefined && before.published !== after.published ? { published: after.published } : {}),
          ...(fieldChanges ? { fields: summarizeFieldChanges(fieldChanges) } : {}),
        },
      });
    });
    await mapUniqueViolation(work, UNIQUE);
    return this.written(actor, id);
  }

  // -------------------------------------------------------------------------------------------------
  // Internals

  /**
   * The resource as it stands after the caller's change. No read check: catalog.manage there was checked,
   * and an API token scoped to catalog.manage alone must not see its committed change answered with a 404.
   */
  private async written(actor: Actor, id: string): Promise<ResourceDetail> {
    return this.detail(actor, this.db, await loadRow(this.db, id), await this.scheme.current());
  }

  /** Published: anyone with catalog.read anywhere. Otherwise catalog.read at its institution (404 / 403 as usual). */
  private assertReadable(actor: Actor, row: { institution_id: string; published: boolean }): void {
    if (row.published && canAnywhere(actor, 'catalog.read')) return;
    assertCan(actor, 'catalog.read', row.institution_id, WHAT);
  }

  /**
   * catalog.manage at the resource's institution. A caller who may read the resource (a published one from
   * outside their reach) knows it exists, so a refusal is 403 there, never a 404 that contradicts the catalog.
   */
  private assertManageable(actor: Actor, row: { institution_id: string; published: boolean }): void {
    if (can(actor, 'catalog.manage', row.institution_id)) return;
    if (row.published && canAnywhere(actor, 'catalog.read')) throw forbidden();
    assertCan(actor, 'catalog.manage', row.institution_id, WHAT);
  }

  private async lockOpenSystem(trx: Executor, systemId: string): Promise<void> {
    const system = await trx.selectFrom('systems').select(['id', 'status']).where('id', '=', systemId).forShare().executeTakeFirst();
    if (!system) throw notFound(SYSTEM);
    if (system.status === 'closed') {
      throw ruleViolation('SYSTEM_CLOSED', '该系统已注销，不能再登记数据资源', 'The system is closed; no data resources can be added to it', {
        field: 'systemId',
      });
    }
  }

  private async assertNameFree(trx: Executor, systemId: string, name: string, selfId: string | null): Promise<void> {
    const same = await trx
      .selectFrom('data_resources')
      .select('id')
      .where('system_id', '=', systemId)
      .where('name', '=', name)
      .where('id', '!=', selfId ?? NIL)
      .executeTakeFirst();
    if (same) throw duplicateName();
  }

  /** Replaces the fields by name; kept names keep id and labels. Returns what changed, for the audit event. */
  private async replaceFields(trx: Executor, resourceId: string, institutionId: string, fields: NormalField[]) {
    const existing = await trx.selectFrom('data_fields').selectAll().where('resource_id', '=', resourceId).orderBy('position').execute();
    const byName = new Map(existing.map((f) => [f.name, f]));
    const wanted = new Set(fields.map((f) => f.name));
    const removed = existing.filter((f) => !wanted.has(f.name));
    if (removed.length > 0) {
      await trx
        .deleteFrom('data_fields')
        .where(
          'id',
          'in',
          removed.map((f) => f.id),
        )
        .execute();
    }
    const added: string[] = [];
    const changed: string[] = [];
    let reordered = false;
    const inserts: Insertable<Database['data_fields']>[] = [];
    for (const [i, f] of fields.entries()) {
      const position = i + 1;
      const old = byName.get(f.name);
      if (!old) {
        added.push(f.name);
        inserts.push({
          id: uuidv7(),
          resource_id: resourceId,
          institution_id: institutionId,
          position,
          name: f.name,
          data_type: f.dataType,
          description: f.description,
        });
        continue;
      }
      if (old.data_type !== f.dataType || old.description !== f.description) changed.push(f.name);
      if (old.position !== position) reordered = true;
      if (old.data_type !== f.dataType || old.description !== f.description || old.position !== position) {
        await trx.updateTable('data_fields').set({ data_type: f.dataType, description: f.description, position }).where('id', '=', old.id).execute();
      }
    }
    if (inserts.length > 0) await trx.insertInto('data_fields').values(inserts).execute();
    return { added, removed: removed.map((f) => f.name), changed, reordered };
  }

  private async detail(actor: Actor, db: Executor, row: ResourceRow, scheme: ControlsScheme): Promise<ResourceDetail> {
    const fieldRows = await db.selectFrom('data_fields').selectAll().where('resource_id', '=', row.id).orderBy('position').execute();
    const fields: Field[] = fieldRows.map((f) => ({
      id: f.id,
      position: f.position,
      name: f.name,
      dataType: f.data_type as Field['dataType'],
      description: f.description,
      category: f.category,
      level: f.level,
      piType: f.pi_type,
      piSensitive: f.pi_sensitive,
    }));
    const grading = await db
      .selectFrom('resource_gradings')
      .select(['id', 'status', 'scheme_version', 'proposed_level', 'chosen_level', 'graded_at', 'decided_at'])
      .where('resource_id', '=', row.id)
      .orderBy('graded_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    const collection = normalizeCollection((row.collection ?? {}) as CollectionRecord);
    const missing = collectionMissing(collection);
    const declared = row.pi_source !== null;
    const piFields = fields.filter((f) => f.piType !== null || f.piSensitive);
    const piInventory: PiInventoryEntry = {
      holdsPi: (row.pi_people ?? 0) > 0 || (row.pi_records ?? 0) > 0 || piFields.length > 0,
      declared,
      records: declared ? row.pi_records : null,
      people: declared ? row.pi_people : null,
      sensitive: (declared && row.pi_sensitive) || piFields.some((f) => f.piSensitive),
      source: row.pi_source as PiInventoryEntry['source'],
      piFields: piFields.map((f) => ({ id: f.id, name: f.name, piType: f.piType, piSensitive: f.piSensitive })),
    };
    return {
      id: row.id,
      institutionId: row.institution_id,
      institutionName: row.institution_name,
      systemId: row.system_id,
      systemName: row.system_name,
      name: row.name,
      description: row.description,
      fields,
      shareAttribute: row.share_attribute as ResourceDetail['shareAttribute'],
      shareBasis: row.share_basis,
      openAttribute: row.open_attribute as ResourceDetail['openAttribute'],
      openBasis: row.open_basis,
      updateFrequency: row.update_frequency as ResourceDetail['updateFrequency'],
      recordCount: row.record_count,
      retentionMonths: row.retention_months,
      collection,
      collectionComplete: missing.length === 0,
      collectionMissing: missing,
      pi: declared
        ? { records: row.pi_records ?? 0, people: row.pi_people ?? 0, sensitive: row.pi_sensitive, source: row.pi_source as 'declared' | 'discovery' }
        : null,
      piInventory,
      published: row.published,
      categories: row.categories,
      level: row.level,
      gradingStatus: row.grading_status as ResourceDetail['gradingStatus'],
      latestGrading: grading
        ? {
            id: grading.id,
            status: grading.status,
            schemeVersion: grading.scheme_version,
            proposedLevel: grading.proposed_level,
            chosenLevel: grading.chosen_level,
            gradedAt: grading.graded_at.toISOString(),
            decidedAt: grading.decided_at ? grading.decided_at.toISOString() : null,
          }
        : null,
      controls: resourceControls(scheme, row.id, row.level),
      editable: can(actor, 'catalog.manage', row.institution_id),
      version: row.version,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }
}

function resourceControls(scheme: ControlsScheme, resourceId: string, level: string | null): ResourceControls {
  const { basis, controls } = controlsForLevel(scheme, level);
  return { resourceId, level, basis, schemeVersion: scheme.version, controls };
}

const AUDITED_COLUMNS = [
  ['system_id', 'systemId'],
  ['name', 'name'],
  ['description', 'description'],
  ['share_attribute', 'shareAttribute'],
  ['share_basis', 'shareBasis'],
  ['open_attribute', 'openAttribute'],
  ['open_basis', 'openBasis'],
  ['update_frequency', 'updateFrequency'],
  ['record_count', 'recordCount'],
  ['retention_months', 'retentionMonths'],
  ['collection', 'collection'],
  ['pi_records', 'pi.records'],
  ['pi_people', 'pi.people'],
  ['pi_sensitive', 'pi.sensitive'],
  ['pi_source', 'pi.source'],
  ['published', 'published'],
] as const;

function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return AUDITED_COLUMNS.filter(([col]) => JSON.stringify(before[col]) !== JSON.stringify(after[col])).map(([, key]) => key);
}

/** Field changes for the audit event: counts, and the names (a long list is cut, the counts stay exact). */
function summarizeFieldChanges(c: { added: string[]; removed: string[]; changed: string[]; reordered: boolean }) {
  const cut = (names: string[]) => (names.length > 50 ? [...names.slice(0, 50), `…(+${names.length - 50})`] : names);
  return {
    added: cut(c.added),
    removed: cut(c.removed),
    changed: cut(c.changed),
    counts: { added: c.added.length, removed: c.removed.length, changed: c.changed.length },
    reordered: c.reordered,
  };
}
