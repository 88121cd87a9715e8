// The grading scheme (CLS-1, CLS-5): the authority's published, versioned classification and grading rules,
// one for the whole platform. A published version is never edited: changes are made in the one draft,
// which a city-level authority administrator publishes as the next version (the previous one is then
// superseded). Until an authority publishes its own, the engine's default scheme is in force as version 1.
import { sql } from 'kysely';
import { type AppError, badRequest, forbidden, notFound } from '../../app/errors.ts';
import type { Db, Executor } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import {
  type Category,
  defaultScheme,
  determineLevel,
  HARM_OBJECT_LABELS,
  type Harm,
  indexCategories,
  LEVEL_LIST,
  type Level,
  type SchemeContent,
  type SchemeError,
  type SchemeInput,
  validateScheme,
} from '../../engines/grading/index.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { assertCanAnywhere, canAnywhere, reachFilter } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import type { CategoryNode, Controls, Determination, LevelControls, MatrixEntry, Scheme, SchemeDraft, SchemeSummary } from './scheme.schemas.ts';

const DRAFT = { zh: '分类分级规则草稿', en: 'Draft grading scheme' };
const VERSION = { zh: '分类分级规则版本', en: 'Grading scheme version' };

/** Who seeds the default scheme: the platform itself, on the first read (no person stands behind it). */
const PLATFORM = { userId: null, username: 'system', institutionId: null, ip: null, requestId: null };

type Row = {
  id: string;
  version: number;
  status: string;
  name: string;
  categories: unknown;
  levels: unknown;
  matrix: unknown;
  controls: unknown;
  notes: string | null;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
};

function toDto(r: Row): Scheme {
  return {
    version: r.version,
    status: r.status as Scheme['status'],
    name: r.name,
    notes: r.notes,
    categories: r.categories as CategoryNode[],
    levels: r.levels as Scheme['levels'],
    matrix: r.matrix as MatrixEntry[],
    controls: r.controls as LevelControls,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    publishedAt: r.published_at ? r.published_at.toISOString() : null,
  };
}

function countCategories(nodes: readonly Category[]): number {
  return nodes.reduce((n, c) => n + 1 + countCategories(c.children ?? []), 0);
}

/** 400 INVALID_SCHEME naming the first problem's field; details.errors lists every problem. */
function invalidScheme(errors: SchemeError[]): AppError {
  const first = errors[0] as SchemeError;
  const more = errors.length > 1 ? `（另有 ${errors.length - 1} 处问题）` : '';
  const moreEn = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return badRequest('INVALID_SCHEME', `分类分级规则有误：${first.messageZh}${more}`, `Invalid grading scheme: ${first.field}: ${first.message}${moreEn}`, {
    field: first.field,
    errors,
  });
}

/**
 * One harm object counted twice (say "individual: serious" and "individual: ordinary") contradicts itself:
 * the assessment must say how badly each object is harmed, once. 400 naming the second entry.
 */
export function assertDistinctHarms(harms: readonly { object: Harm['object'] }[], field = 'harms'): void {
  const seen = new Set<string>();
  harms.forEach((h, i) => {
    if (seen.has(h.object)) {
      throw badRequest(
        'DUPLICATE_HARM',
        `危害对象“${HARM_OBJECT_LABELS[h.object].zh}”重复；每个对象只评估一次危害程度`,
        `The harm object ${h.object} appears twice; assess each object once`,
        { field: `${field}.${i}.object` },
      );
    }
    seen.add(h.object);
  });
}

/**
 * Scheme writes are serialised: creating the draft, publishing and seeding each read "what exists" and then
 * insert or swap rows. Without the lock, two first requests would both seed, or two publishes both swap.
 * The unique indexes (one draft, one published, unique version) still stop anything that slips past.
 */
async function lockSchemes(trx: Executor): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('shuan.grading_schemes'))`.execute(trx);
}

export class SchemeService {
  constructor(private readonly db: Db) {}

  // -------------------------------------------------------------------------------------------------
  // For other services (no actor: the published scheme is platform configuration every module applies)

  /**
   * The published scheme. If none was ever published, the default scheme becomes version 1 here, on the
   * first read. This keeps the scheme out of the migrations (the migration stays schema only, and a fresh
   * platform's default follows the engine's current default rather than whatever a migration froze), and a
   * deployment that publishes its own scheme first still has the default as version 1 in its history.
   */
  async current(): Promise<Scheme> {
    const row = await this.publishedRow(this.db);
    if (row) return toDto(row);
    await this.db.transaction().execute(async (trx) => {
      await lockSchemes(trx);
      await this.seedIfNeverPublished(trx);
    });
    return toDto((await this.publishedRow(this.db)) as Row);
  }

  /** CLS-5: the controls the published scheme sets for a level. */
  async controlsFor(level: Level): Promise<Controls> {
    return (await this.current()).controls[level];
  }

  // -------------------------------------------------------------------------------------------------
  // Routes

  /** GET /api/grading/scheme */
  async getPublished(actor: Actor): Promise<Scheme> {
    assertCanAnywhere(actor, 'scheme.read');
    return this.current();
  }

  /** GET /api/grading/schemes: every version, newest first. The draft is shown to scheme managers only. */
  async list(actor: Actor): Promise<SchemeSummary[]> {
    assertCanAnywhere(actor, 'scheme.read');
    await this.current();
    let q = this.db
      .selectFrom('grading_schemes')
      .select(['version', 'status', 'name', 'categories', 'created_at', 'updated_at', 'published_at'])
      .orderBy('version', 'desc');
    if (!canAnywhere(actor, 'scheme.manage')) q = q.where('status', '!=', 'draft');
    const rows = await q.execute();
    return rows.map((r) => ({
      version: r.version,
      status: r.status as SchemeSummary['status'],
      name: r.name,
      categoryCount: countCategories(r.categories as Category[]),
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      publishedAt: r.published_at ? r.published_at.toISOString() : null,
    }));
  }

  /** GET /api/grading/schemes/:version. A draft is work in progress: only scheme managers see it. */
  async get(actor: Actor, version: number): Promise<Scheme> {
    assertCanAnywhere(actor, 'scheme.read');
    await this.current();
    const row = await this.db.selectFrom('grading_schemes').selectAll().where('version', '=', version).executeTakeFirst();
    if (!row || (row.status === 'draft' && !canAnywhere(actor, 'scheme.manage'))) throw notFound(VERSION);
    return toDto(row);
  }

  /** PUT /api/grading/schemes/draft: creates the draft (the next version number) or replaces it. */
  async saveDraft(actor: Actor, body: SchemeDraft): Promise<Scheme> {
    assertCanAnywhere(actor, 'scheme.manage');
    // There is one draft for the platform: a district authority must not overwrite the city's.
    await this.assertCityLevel(actor);
    const content = this.validated(body);
    return this.db.transaction().execute(async (trx) => {
      await lockSchemes(trx);
      // The default must be version 1 before any draft takes a number.
      await this.seedIfNeverPublished(trx);
      const existing = await trx.selectFrom('grading_schemes').select(['id', 'version']).where('status', '=', 'draft').executeTakeFirst();
      const values = {
        name: content.name,
        notes: content.notes,
        categories: JSON.stringify(content.categories),
        levels: JSON.stringify(LEVEL_LIST),
        matrix: JSON.stringify(content.matrix),
        controls: JSON.stringify(content.controls),
      };
      let row: Row;
      if (existing) {
        row = await trx
          .updateTable('grading_schemes')
          .set({ ...values, updated_at: new Date() })
          .where('id', '=', existing.id)
          .returningAll()
          .executeTakeFirstOrThrow();
      } else {
        row = await trx
          .insertInto('grading_schemes')
          .values({ id: uuidv7(), version: (await this.maxVersion(trx)) + 1, status: 'draft', created_by: actor.userId, ...values })
          .returningAll()
          .executeTakeFirstOrThrow();
      }
      await recordAudit(trx, actor, {
        action: 'catalog.scheme.draft_save',
        target: { type: 'grading_scheme', id: row.id },
        details: { version: row.version, created: !existing, name: row.name, categories: countCategories(content.categories) },
      });
      return toDto(row);
    });
  }

  /** POST /api/grading/schemes/draft/publish: the draft becomes the published version; the previous one is superseded. */
  async publish(actor: Actor): Promise<Scheme> {
    assertCanAnywhere(actor, 'scheme.manage');
    await this.assertCityLevel(actor);
    return this.db.transaction().execute(async (trx) => {
      await lockSchemes(trx);
      const draft = await trx.selectFrom('grading_schemes').selectAll().where('status', '=', 'draft').executeTakeFirst();
      if (!draft) throw notFound(DRAFT);
      // Checked again: the rules may have tightened since the draft was saved; nothing invalid goes into force.
      this.validated({
        name: draft.name,
        notes: draft.notes,
        categories: draft.categories as Category[],
        matrix: draft.matrix as SchemeInput['matrix'],
        controls: draft.controls as SchemeInput['controls'],
      });
      const previous = await trx
        .updateTable('grading_schemes')
        .set({ status: 'superseded', updated_at: new Date() })
        .where('status', '=', 'published')
        .returning('version')
        .executeTakeFirst();
      const now = new Date();
      const row = await trx
        .updateTable('grading_schemes')
        .set({ status: 'published', published_by: actor.userId, published_at: now, updated_at: now })
        .where('id', '=', draft.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, {
        action: 'catalog.scheme.publish',
        target: { type: 'grading_scheme', id: row.id },
        details: { version: row.version, previousVersion: previous?.version ?? null, name: row.name },
      });
      return toDto(row);
    });
  }

  /** DELETE /api/grading/schemes/draft */
  async discardDraft(actor: Actor): Promise<void> {
    assertCanAnywhere(actor, 'scheme.manage');
    await this.assertCityLevel(actor);
    await this.db.transaction().execute(async (trx) => {
      await lockSchemes(trx);
      const draft = await trx.deleteFrom('grading_schemes').where('status', '=', 'draft').returning(['id', 'version', 'name']).executeTakeFirst();
      if (!draft) throw notFound(DRAFT);
      await recordAudit(trx, actor, {
        action: 'catalog.scheme.draft_discard',
        target: { type: 'grading_scheme', id: draft.id },
        details: { version: draft.version, name: draft.name },
      });
    });
  }

  /** POST /api/grading/determine: the level the published matrix gives these harms (CLS-2 calculator). */
  async determine(actor: Actor, harms: readonly Harm[]): Promise<Determination> {
    assertCanAnywhere(actor, 'scheme.read');
    assertDistinctHarms(harms);
    const scheme = await this.current();
    return determineLevel(scheme.matrix, harms);
  }

  // -------------------------------------------------------------------------------------------------
  // Internals

  private validated(input: SchemeInput): SchemeContent {
    const v = validateScheme(input);
    if (!v.ok) throw invalidScheme(v.errors);
    return v.scheme;
  }

  /**
   * The scheme is one for the platform: only an administrator whose reach includes a root of the
   * institution tree (a city authority) may put a version into force, never a district authority.
   */
  private async assertCityLevel(actor: Actor): Promise<void> {
    const reach = reachFilter(actor, 'scheme.manage');
    if (reach === null) return;
    const roots = await this.db.selectFrom('institutions').select('id').where('parent_id', 'is', null).execute();
    if (!roots.some((r) => reach.includes(r.id))) {
      throw forbidden(
        '分类分级规则全平台通用，只能由市级主管部门管理员编辑和发布',
        'The grading scheme serves the whole platform; only a city-level authority administrator may edit or publish it',
        'CITY_LEVEL_REQUIRED',
      );
    }
  }

  private async publishedRow(db: Executor): Promise<Row | undefined> {
    return db.selectFrom('grading_schemes').selectAll().where('status', '=', 'published').executeTakeFirst();
  }

  private async maxVersion(db: Executor): Promise<number> {
    const r = await db
      .selectFrom('grading_schemes')
      .select((eb) => eb.fn.max('version').as('max'))
      .executeTakeFirstOrThrow();
    return Number(r.max ?? 0);
  }

  /** Call holding the scheme lock. A published version, once there, is only ever replaced, so "none" means "never". */
  private async seedIfNeverPublished(trx: Executor): Promise<void> {
    if (await this.publishedRow(trx)) return;
    const s = defaultScheme();
    const version = (await this.maxVersion(trx)) + 1;
    const now = new Date();
    const id = uuidv7();
    await trx
      .insertInto('grading_schemes')
      .values({
        id,
        version,
        status: 'published',
        name: s.name,
        notes: s.notes,
        categories: JSON.stringify(s.categories),
        levels: JSON.stringify(LEVEL_LIST),
        matrix: JSON.stringify(s.matrix),
        controls: JSON.stringify(s.controls),
        created_by: null,
        published_by: null,
        published_at: now,
      })
      .execute();
    await recordAudit(trx, PLATFORM, {
      action: 'catalog.scheme.seed_default',
      target: { type: 'grading_scheme', id },
      details: { version, name: s.name, categories: countCategories(s.categories) },
    });
  }
}

/** The category codes of a scheme, for checking labels against it. */
export function categoryIndex(scheme: Pick<Scheme, 'categories'>) {
  return indexCategories(scheme.categories as Category[]);
}
