// Catalog import and export (AST-4): systems, resources and fields as XLSX, CSV (UTF-8 or GB18030/GBK) or
// JSON. The file engine (src/engines/catalog-io) reads and checks; this service adds the database: who may
// import where, the catalog as it is, and one all-or-nothing transaction.
//
// Import rules (docs/catalog-contract.md): every row of every sheet is checked first, against the file and
// against the catalog, and ALL problems are reported by sheet, row and column (422 IMPORT_INVALID); with
// any problem nothing is written. An import only adds: new systems (as draft registrations, through the
// systems service so the registry's rules and audit apply), new resources, new fields (also on resources
// already catalogued). Levels become pending grading proposals (CLS-2), never decided levels.
import { sql, type Transaction } from 'kysely';
import { AppError, conflict, type Lang, notFound, ruleViolation } from '../../app/errors.ts';
import type { Db, Executor } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import type { Database } from '../../db/schema.ts';
import type { ImportIssue } from '../../engines/catalog-io/issues.ts';
import { type ExistingCatalog, type ImportPlan, planImport } from '../../engines/catalog-io/plan.ts';
import { DEFAULT_LIMITS, type ParsedCatalog, readCatalogFile } from '../../engines/catalog-io/read.ts';
import { type CatalogData, toCsv, toXlsx } from '../../engines/catalog-io/write.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { assertCan, assertCanAnywhere, can, reachFilter } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import { mapUniqueViolation } from '../org/db-errors.ts';
import type { CatalogExportJson, ExportFormat, ImportIssueDto, ImportResult } from './catalog-io.schemas.ts';
import type { SchemeService } from './scheme.service.ts';
import type { SystemsService } from './systems.service.ts';

/** Largest import file: about 50,000 rows of a wide CSV. The HTTP route's body limit is the same. */
export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;
/** Errors listed in one answer; the count says how many there are in all. */
const MAX_LISTED_ERRORS = 1000;
const INSTITUTION = { zh: '机构', en: 'Institution' };
const NIL = '00000000-0000-0000-0000-000000000000';

export function importTooLarge(): AppError {
  return new AppError(
    'IMPORT_TOO_LARGE',
    413,
    `导入文件超过 ${IMPORT_MAX_BYTES / 1024 / 1024} MB 上限，请拆分后分批导入`,
    `The import file is larger than the ${IMPORT_MAX_BYTES / 1024 / 1024} MB limit; split it and import the parts`,
    { limitBytes: IMPORT_MAX_BYTES },
  );
}

function localize(i: ImportIssue, lang: Lang): ImportIssueDto {
  return { sheet: i.sheet, kind: i.kind, row: i.row, column: i.column, field: i.field, code: i.code, message: lang === 'en' ? i.en : i.zh };
}

/** "数据资源 第 4 行「共享属性」": where an issue is, for the one-line summary. */
function place(i: ImportIssue, lang: Lang): string {
  const kind = i.kind ? { systems: ['系统', 'systems'], resources: ['数据资源', 'resources'], fields: ['数据项', 'fields'] }[i.kind] : null;
  const parts =
    lang === 'en'
      ? [i.sheet ? `sheet "${i.sheet}"` : kind?.[1], i.row !== null ? `row ${i.row}` : null, i.column ? `column "${i.column}"` : null]
      : [i.sheet ? `工作表“${i.sheet}”` : kind?.[0], i.row !== null ? `第 ${i.row} 行` : null, i.column ? `“${i.column}”列` : null];
  return parts.filter(Boolean).join(' ');
}

/** 422 IMPORT_INVALID: every problem (up to MAX_LISTED_ERRORS) in details.errors, in the caller's language. */
function invalid(issues: ImportIssue[], parsed: ParsedCatalog, lang: Lang): AppError {
  const n = issues.length;
  const first = issues[0] as ImportIssue;
  const where = (l: Lang) => {
    const p = place(first, l);
    return p ? `${p}${l === 'zh' ? '：' : ': '}` : '';
  };
  return ruleViolation(
    'IMPORT_INVALID',
    `导入文件有 ${n} 处错误，未写入任何数据。第一处：${where('zh')}${first.zh}`,
    `The import file has ${n} error${n === 1 ? '' : 's'}; nothing was written. First: ${where('en')}${first.en}`,
    {
      errorCount: n,
      truncated: n > MAX_LISTED_ERRORS,
      format: parsed.format,
      encoding: parsed.encoding,
      errors: issues.slice(0, MAX_LISTED_ERRORS).map((i) => localize(i, lang)),
    },
  );
}

const catalogChanged = () =>
  conflict(
    'CATALOG_CHANGED',
    '导入期间本机构的目录被同时修改（名称冲突），未写入任何数据，请重新导入',
    "The institution's catalog changed during the import (a name was taken meanwhile); nothing was written, import again",
  );
const UNIQUE = {
  systems_institution_name_uq: catalogChanged,
  data_resources_system_name_uq: catalogChanged,
  data_fields_resource_id_name_key: catalogChanged,
};

async function inChunks<T>(rows: readonly T[], size: number, fn: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await fn(rows.slice(i, i + size));
}

/** A value the checks guarantee once a plan has no issues; reaching null here is a bug, not bad input. */
function checked<T>(v: T | null, what: string): T {
  if (v === null) throw new Error(`catalog import: ${what} missing after validation`);
  return v;
}

export interface ImportOptions {
  institutionId?: string;
  dryRun?: boolean;
  fileName?: string;
}

export interface ExportFile {
  format: ExportFormat;
  contentType: string;
  fileName: string;
  body: Buffer;
  counts: { systems: number; resources: number; fields: number };
}

export class CatalogIoService {
  constructor(
    private readonly db: Db,
    private readonly systems: SystemsService,
    private readonly scheme: SchemeService,
  ) {}

  /** POST /api/catalog/import and `shuan catalog import`. */
  async import(actor: Actor, bytes: Buffer, opts: ImportOptions = {}): Promise<ImportResult> {
    const institutionId = opts.institutionId ?? actor.institutionId;
    assertCan(actor, 'catalog.manage', institutionId, INSTITUTION);
    if (bytes.length > IMPORT_MAX_BYTES) throw importTooLarge();
    const inst = await this.db.selectFrom('institutions').select(['id', 'name', 'status']).where('id', '=', institutionId).executeTakeFirst();
    if (!inst) throw notFound(INSTITUTION);
    if (inst.status !== 'active') {
      throw ruleViolation('INSTITUTION_CLOSED', '该机构已撤销，不能导入数据资源目录', 'The institution is closed; no catalog can be imported into it');
    }

    const parsed = await readCatalogFile(bytes, DEFAULT_LIMITS);
    const ctx = { canCreateSystems: can(actor, 'system.manage', institutionId), canPropose: can(actor, 'grading.propose', institutionId) };
    // Proposals are made under the scheme in force. Reading it creates the default scheme (version 1) on a
    // platform that never published one, so it is read only by a real import that has levels to propose.
    const schemeVersion = !opts.dryRun && ctx.canPropose && parsed.resources.some((r) => r.level !== null) ? (await this.scheme.current()).version : null;

    const result = (plan: ImportPlan, dryRun: boolean): ImportResult => ({
      dryRun,
      institutionId,
      institutionName: inst.name,
      format: parsed.format,
      encoding: parsed.encoding,
      rows: parsed.rowCount,
      created: { systems: plan.newSystems.length, resources: plan.newResources.length, fields: plan.newFields.length, gradings: plan.gradings.length },
      reusedSystems: plan.reusedSystems.length,
      extendedResources: plan.extendedResources.length,
      ignoredColumns: parsed.ignoredColumns,
      ignoredSheets: parsed.ignoredSheets,
    });
    const check = async (db: Executor, lock: boolean): Promise<ImportPlan> => {
      // An unreadable file has no rows to check against the catalog.
      const existing = parsed.rowCount > 0 ? await this.loadExisting(db, institutionId, parsed, lock) : { systems: [], resources: [] };
      const { plan, issues } = planImport(parsed, existing, ctx);
      if (issues.length > 0) throw invalid(issues, parsed, actor.lang);
      return plan;
    };

    if (opts.dryRun) return result(await check(this.db, false), true);

    const work = this.db.transaction().execute(async (trx) => {
      // Two imports into one institution run one after the other: the second sees the first's names and
      // reports them as duplicates instead of failing on an index half-way.
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`shuan.catalog_import:${institutionId}`}))`.execute(trx);
      const plan = await check(trx, true);
      const written = await this.write(trx, actor, institutionId, plan, schemeVersion);
      const summary = result(plan, false);
      await recordAudit(trx, actor, {
        action: 'catalog.import',
        target: { type: 'institution', id: institutionId, institutionId },
        details: {
          fileName: opts.fileName ?? null,
          format: parsed.format,
          encoding: parsed.encoding,
          rows: parsed.rowCount,
          created: summary.created,
          reusedSystems: summary.reusedSystems,
          extendedResources: summary.extendedResources,
          // AUD-6: the resources this import created or extended (each one's life-cycle trace shows it).
          resourceIds: written.resourceIds,
        },
      });
      return summary;
    });
    return mapUniqueViolation(work, UNIQUE);
  }

  /**
   * The institution's catalog as the plan needs it. When importing (`lock`), its systems are share-locked
   * (a closure accepted meanwhile waits, as for a single new resource) and the resources that gain fields
   * are locked for update (a concurrent edit of their field list waits, then sees the new version).
   */
  private async loadExisting(db: Executor, institutionId: string, parsed: ParsedCatalog, lock: boolean): Promise<ExistingCatalog> {
    let sq = db
      .selectFrom('systems')
      .select(['id', 'name', 'status', 'description', 'mlps_level', 'mlps_filing_no', 'cii'])
      .where('institution_id', '=', institutionId);
    if (lock) sq = sq.forShare();
    const systems = await sq.execute();
    const resources = await db.selectFrom('data_resources').select(['id', 'system_id', 'name']).where('institution_id', '=', institutionId).execute();
    const fieldTargets = new Set(parsed.fields.map((f) => f.resource));
    const targetIds = resources.filter((r) => fieldTargets.has(r.name)).map((r) => r.id);
    const fields = new Map<string, { names: Set<string>; next: number }>();
    if (targetIds.length > 0) {
      if (lock) await sql`SELECT id FROM data_resources WHERE id = ANY(${targetIds}::uuid[]) ORDER BY id FOR UPDATE`.execute(db);
      const rows = await db
        .selectFrom('data_fields')
        .select(['resource_id', 'name', 'position'])
        .where(sql<boolean>`resource_id = ANY(${targetIds}::uuid[])`)
        .execute();
      for (const f of rows) {
        const e = fields.get(f.resource_id) ?? { names: new Set<string>(), next: 1 };
        e.names.add(f.name);
        e.next = Math.max(e.next, f.position + 1);
        fields.set(f.resource_id, e);
      }
    }
    return {
      systems: systems.map((s) => ({
        id: s.id,
        name: s.name,
        status: s.status,
        description: s.description,
        mlpsLevel: s.mlps_level,
        mlpsFilingNo: s.mlps_filing_no,
        cii: s.cii,
      })),
      resources: resources.map((r) => ({
        id: r.id,
        systemId: r.system_id,
        name: r.name,
        fieldNames: fields.get(r.id)?.names ?? new Set(),
        nextPosition: fields.get(r.id)?.next ?? 1,
      })),
    };
  }

  private async write(
    trx: Transaction<Database>,
    actor: Actor,
    institutionId: string,
    plan: ImportPlan,
    schemeVersion: number | null,
  ): Promise<{ resourceIds: string[] }> {
    // Systems go through the registry's own create: its rules, its draft state, its audit event per system.
    const newSystemIds: string[] = [];
    for (const s of plan.newSystems) {
      const created = await this.systems.create(
        actor,
        {
          institutionId,
          name: s.name,
          ...(s.description !== null ? { description: s.description } : {}),
          ...(s.mlpsLevel !== null ? { mlpsLevel: s.mlpsLevel } : {}),
          ...(s.mlpsFilingNo !== null ? { mlpsFilingNo: s.mlpsFilingNo } : {}),
          ...(s.cii !== null ? { cii: s.cii } : {}),
        },
        trx,
      );
      newSystemIds.push(created.id);
    }

    const graded = new Set(plan.gradings.map((g) => g.resourceIndex));
    const resourceIds = plan.newResources.map(() => uuidv7());
    await inChunks(
      plan.newResources.map((r, i) => ({ r, id: resourceIds[i] as string, graded: graded.has(i) })),
      500,
      (chunk) =>
        trx
          .insertInto('data_resources')
          .values(
            chunk.map(({ r: { row, system }, id, graded }) => {
              const collection = Object.fromEntries(Object.entries(row.collection).filter(([, v]) => v !== null));
              const declared = row.piRecords !== null;
              return {
                id,
                institution_id: institutionId,
                system_id: 'existingId' in system ? system.existingId : (newSystemIds[system.newIndex] as string),
                name: row.name,
                description: row.description,
                update_frequency: row.updateFrequency,
                record_count: row.recordCount,
                share_attribute: checked(row.shareAttribute, 'shareAttribute'),
                share_basis: row.shareBasis,
                open_attribute: checked(row.openAttribute, 'openAttribute'),
                open_basis: row.openBasis,
                retention_months: row.retentionMonths,
                collection: JSON.stringify(collection),
                pi_records: declared ? row.piRecords : null,
                pi_people: declared ? row.piPeople : null,
                pi_sensitive: declared ? (row.piSensitive ?? false) : false,
                pi_source: declared ? 'declared' : null,
                grading_status: graded ? 'pending' : 'ungraded',
                created_by: actor.userId,
              };
            }),
          )
          .execute(),
    );

    const fieldIds = plan.newFields.map(() => uuidv7());
    await inChunks(
      plan.newFields.map((f, i) => ({ f, id: fieldIds[i] as string })),
      1000,
      (chunk) =>
        trx
          .insertInto('data_fields')
          .values(
            chunk.map(({ f, id }) => ({
              id,
              resource_id: 'existingId' in f.resource ? f.resource.existingId : (resourceIds[f.resource.newIndex] as string),
              institution_id: institutionId,
              position: f.position,
              name: f.row.name,
              data_type: checked(f.row.dataType, 'dataType'),
              description: f.row.description,
            })),
          )
          .execute(),
    );

    if (plan.gradings.length > 0) {
      const version = checked(schemeVersion, 'scheme version');
      // The level the file states is what is proposed and chosen; there is no harm assessment behind it
      // (harms: []), which the approver sees. Labels have the shape the grading service writes and reads.
      await inChunks(plan.gradings, 500, (chunk) =>
        trx
          .insertInto('resource_gradings')
          .values(
            chunk.map((g) => ({
              id: uuidv7(),
              resource_id: resourceIds[g.resourceIndex] as string,
              institution_id: institutionId,
              scheme_version: version,
              categories: [],
              harms: '[]',
              proposed_level: g.level,
              chosen_level: g.level,
              override_reason: null,
              field_labels: JSON.stringify(
                g.fields.map((f) => ({
                  fieldId: fieldIds[f.fieldIndex],
                  fieldName: plan.newFields[f.fieldIndex]?.row.name,
                  category: null,
                  level: f.level,
                  piType: null,
                  piSensitive: false,
                })),
              ),
              status: 'pending',
              graded_by: actor.userId,
            })),
          )
          .execute(),
      );
    }

    if (plan.extendedResources.length > 0) {
      // New fields change the resource: an editor holding the old version must reload (VERSION_CONFLICT).
      await trx
        .updateTable('data_resources')
        .set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date() }))
        .where(sql<boolean>`id = ANY(${plan.extendedResources}::uuid[])`)
        .execute();
    }
    return { resourceIds: [...resourceIds, ...plan.extendedResources] };
  }

  /** GET /api/catalog/export and `shuan catalog export`: what the actor can read, in import's layout. */
  async export(actor: Actor, query: { format: ExportFormat; institutionId?: string | null }): Promise<ExportFile> {
    assertCanAnywhere(actor, 'catalog.read');
    const json = await this.exportData(actor, query.institutionId ?? null);
    const counts = { systems: json.systems.length, resources: json.resources.length, fields: json.resources.reduce((n, r) => n + r.fields.length, 0) };
    await recordAudit(this.db, actor, {
      action: 'catalog.export',
      ...(query.institutionId ? { target: { type: 'institution', id: query.institutionId, institutionId: query.institutionId } } : {}),
      details: { format: query.format, institutionId: query.institutionId ?? null, ...counts },
    });
    const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const fileName = `catalog-${day}.${query.format}`;
    if (query.format === 'json') {
      return { format: 'json', contentType: 'application/json; charset=utf-8', fileName, counts, body: Buffer.from(JSON.stringify(json, null, 2), 'utf8') };
    }
    const data: CatalogData = {
      systems: json.systems.map((s) => ({
        institution: s.institution,
        name: s.name,
        description: s.description,
        mlpsLevel: s.mlpsLevel,
        mlpsFilingNo: s.mlpsFilingNo,
        cii: s.cii,
      })),
      resources: json.resources.map((r) => ({
        institution: r.institution,
        system: r.system,
        name: r.name,
        description: r.description,
        shareAttribute: r.shareAttribute,
        shareBasis: r.shareBasis,
        openAttribute: r.openAttribute,
        openBasis: r.openBasis,
        updateFrequency: r.updateFrequency,
        recordCount: r.recordCount,
        retentionMonths: r.retentionMonths,
        collection: r.collection,
        piRecords: r.pi.records,
        piPeople: r.pi.people,
        piSensitive: r.pi.sensitive,
        level: r.level,
        fields: r.fields.map((f) => ({ name: f.name, dataType: f.dataType, description: f.description, level: f.level })),
      })),
    };
    if (query.format === 'csv') return { format: 'csv', contentType: 'text/csv; charset=utf-8', fileName, counts, body: toCsv(data) };
    return { format: 'xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName, counts, body: await toXlsx(data) };
  }

  /**
   * Resources the actor can read: catalog.read reach plus the published (shared) catalog. Systems: the
   * registrations within system.read reach in full; a system seen only as the home of a published
   * resource by its name alone (enough to import the resource elsewhere, nothing of its security facts).
   */
  private async exportData(actor: Actor, institutionId: string | null): Promise<CatalogExportJson> {
    const reach = reachFilter(actor, 'catalog.read');
    let rq = this.db
      .selectFrom('data_resources as r')
      .innerJoin('systems as s', 's.id', 'r.system_id')
      .innerJoin('institutions as i', 'i.id', 'r.institution_id')
      .selectAll('r')
      .select(['s.name as system_name', 'i.name as institution_name']);
    if (reach) rq = rq.where((eb) => eb.or([eb('r.published', '=', true), eb('r.institution_id', 'in', reach.length ? reach : [NIL])]));
    if (institutionId) rq = rq.where('r.institution_id', '=', institutionId);
    const resources = await rq.orderBy('i.name').orderBy('s.name').orderBy('r.name').orderBy('r.id').execute();
    const ids = resources.map((r) => r.id);
    const fieldRows = ids.length
      ? await this.db
          .selectFrom('data_fields')
          .select(['resource_id', 'name', 'data_type', 'description', 'level'])
          .where(sql<boolean>`resource_id = ANY(${ids}::uuid[])`)
          .orderBy('resource_id')
          .orderBy('position')
          .execute()
      : [];
    const fieldsOf = new Map<string, CatalogExportJson['resources'][number]['fields']>();
    for (const f of fieldRows) {
      const list = fieldsOf.get(f.resource_id) ?? [];
      list.push({ name: f.name, dataType: f.data_type, description: f.description, level: f.level as never });
      fieldsOf.set(f.resource_id, list);
    }

    const sysReach = reachFilter(actor, 'system.read');
    let sq = this.db
      .selectFrom('systems as s')
      .innerJoin('institutions as i', 'i.id', 's.institution_id')
      .select(['s.id', 's.institution_id', 'i.name as institution_name', 's.name', 's.status', 's.description', 's.mlps_level', 's.mlps_filing_no', 's.cii']);
    if (sysReach) sq = sq.where('s.institution_id', 'in', sysReach.length ? sysReach : [NIL]);
    if (institutionId) sq = sq.where('s.institution_id', '=', institutionId);
    const detailed = await sq.execute();
    const known = new Set(detailed.map((s) => s.id));
    const systems: CatalogExportJson['systems'] = detailed.map((s) => ({
      id: s.id,
      institutionId: s.institution_id,
      institution: s.institution_name,
      name: s.name,
      detailed: true,
      status: s.status,
      description: s.description,
      mlpsLevel: s.mlps_level,
      mlpsFilingNo: s.mlps_filing_no,
      cii: s.cii,
    }));
    for (const r of resources) {
      if (known.has(r.system_id)) continue;
      known.add(r.system_id);
      systems.push({
        id: r.system_id,
        institutionId: r.institution_id,
        institution: r.institution_name,
        name: r.system_name,
        detailed: false,
        status: null,
        description: null,
        mlpsLevel: null,
        mlpsFilingNo: null,
        cii: null,
      });
    }
    systems.sort((a, b) => a.institution.localeCompare(b.institution, 'zh') || a.name.localeCompare(b.name, 'zh') || a.id.localeCompare(b.id));

    return {
      exportedAt: new Date().toISOString(),
      institutionId,
      systems,
      resources: resources.map((r) => {
        const c = (r.collection ?? {}) as Record<string, string | undefined>;
        const declared = r.pi_source !== null;
        return {
          id: r.id,
          institutionId: r.institution_id,
          institution: r.institution_name,
          systemId: r.system_id,
          system: r.system_name,
          name: r.name,
          description: r.description,
          shareAttribute: r.share_attribute as CatalogExportJson['resources'][number]['shareAttribute'],
          shareBasis: r.share_basis,
          openAttribute: r.open_attribute as CatalogExportJson['resources'][number]['openAttribute'],
          openBasis: r.open_basis,
          updateFrequency: r.update_frequency,
          recordCount: r.record_count,
          retentionMonths: r.retention_months,
          collection: {
            purpose: c.purpose ?? null,
            legalBasis: c.legalBasis ?? null,
            method: c.method ?? null,
            frequency: c.frequency ?? null,
            scope: c.scope ?? null,
          },
          pi: { records: declared ? r.pi_records : null, people: declared ? r.pi_people : null, sensitive: declared ? r.pi_sensitive : null },
          level: r.level as CatalogExportJson['resources'][number]['level'],
          gradingStatus: r.grading_status,
          published: r.published,
          fields: fieldsOf.get(r.id) ?? [],
        };
      }),
    };
  }
}
