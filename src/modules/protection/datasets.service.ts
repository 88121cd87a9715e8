// The dataset store (LIF-13): institutions aggregate a catalogued resource's data into the platform, which
// later serves it through the data-service gateway. Rows are mapped onto the resource's fields and type
// checked; fields whose level requires encryption at rest (CLS-5, fail safe when ungraded) are sealed with
// the resource's SM4 data key and never stored, logged or reported in clear. A load is all or nothing: any
// rejected row is reported by line and column (never by value) and nothing is written.
import { sql } from 'kysely';
import { AppError, badRequest, conflict, ruleViolation } from '../../app/errors.ts';
import type { Db, Executor } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import { COERCE_PROBLEM_LABELS, type CoerceProblem, coerceCell, type StoredValue } from '../../engines/datasets/coerce.ts';
import { canonicalRow, MultisetHash, rowDigest } from '../../engines/datasets/content-hash.ts';
import { constantTimeEqual, type EnvelopeKey, hmacSm3, openEnvelope, sealEnvelope } from '../../engines/gm/index.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import type { ProtectionProfile } from '../catalog/resources.service.ts';
import { JobCancelled, type JobContext } from '../jobs/job-runner.ts';
import type { Job } from '../jobs/jobs.schemas.ts';
import type { JobsService } from '../jobs/jobs.service.ts';
import { assertCan } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import type { DatasetInfo, DatasetVersion, LoadMode } from './datasets.schemas.ts';
import type { KeysService } from './keys.service.ts';

export const REENCRYPT_JOB = 'protection.reencrypt';

const RESOURCE = { zh: '数据资源', en: 'Data resource' };
/** Rows written per statement. */
const BATCH = 500;
/** Rejections listed in an error answer; the total is always exact. */
const MAX_LISTED_ERRORS = 100;

export interface ProfileSource {
  protectionProfile(actor: Actor, id: string): Promise<ProtectionProfile>;
}

/** What a load reads: named columns and rows numbered as the user sees them (from 1, after any header). */
export interface LoadSource {
  kind: string;
  /** For the version record and the audit log: a file name or table name, never credentials. */
  name: string | null;
  columns: readonly string[];
  rows: AsyncIterable<{ line: number; values: Readonly<Record<string, unknown>> }>;
}

export interface LoadOptions {
  mode: LoadMode;
  /** The field identifying a row (upsert; uniqueness for the others). Kept by the dataset once set. */
  keyField?: string | null;
  /** Source column → field name, where the names differ. */
  mapping?: Readonly<Record<string, string>>;
  /** Validate only: report what would happen, write nothing. */
  dryRun?: boolean;
}

export interface RowRejection {
  line: number;
  column: string;
  field: string;
  problem: CoerceProblem | 'duplicate_key' | 'missing_key';
  message: string;
}

/**
 * The stored rows' layout. `scale` (decimals: most digits after the point in any value) and `precision`
 * (date-times: 'minute' when no value has seconds) describe the data as loaded; watermarking relies on them
 * (a mark below the declared scale or within the minute leaves the value true at its precision).
 */
export type Layout = { name: string; dataType: string; sealed: boolean; scale?: number; precision?: 'minute' | 'second' }[];

function fractionDigits(v: StoredValue): number {
  if (v === null || typeof v === 'boolean') return 0;
  const t = String(v);
  if (/e/i.test(t)) return 0;
  const dot = t.indexOf('.');
  return dot < 0 ? 0 : t.length - dot - 1;
}

/** Seconds (or finer) in a canonical date-time or time: anything but :00 after the minutes. */
function hasSeconds(v: StoredValue): boolean {
  if (typeof v !== 'string') return false;
  const m = /(\d{2}):(\d{2}):(\d{2})(\.\d+)?/.exec(v);
  return !!m && (m[3] !== '00' || (m[4] !== undefined && /[1-9]/.test(m[4])));
}

const problemLabel = (p: RowRejection['problem'], lang: 'zh' | 'en') =>
  p === 'duplicate_key'
    ? lang === 'zh'
      ? '主键值重复'
      : 'duplicate key value'
    : p === 'missing_key'
      ? lang === 'zh'
        ? '主键值为空'
        : 'empty key value'
      : COERCE_PROBLEM_LABELS[p][lang];

/** The index key: row keys and digests are HMAC-SM3 under it, so they reveal nothing without it. */
function indexKeyOf(key: EnvelopeKey): Buffer {
  return hmacSm3(key.secret, 'shuan.dataset.index');
}

const rowAad = (resourceId: string) => Buffer.from(`shuan.dataset.row\0${resourceId}`);

export class DatasetsService {
  constructor(
    private readonly db: Db,
    private readonly resources: ProfileSource,
    private readonly keys: KeysService,
  ) {}

  /** GET /api/resources/:id/dataset: the current state, the field layout (which fields are sealed) and the versions. */
  async info(actor: Actor, resourceId: string): Promise<DatasetInfo> {
    const profile = await this.resources.protectionProfile(actor, resourceId);
    assertCan(actor, 'protection.read', profile.institutionId, RESOURCE);
    return this.describe(this.db, profile);
  }

  /**
   * POST /api/resources/:id/dataset (and `shuan dataset load`): replace, append or upsert the resource's
   * rows from a file or a table.
   */
  async load(actor: Actor, resourceId: string, source: LoadSource, opts: LoadOptions): Promise<DatasetVersion> {
    const profile = await this.resources.protectionProfile(actor, resourceId);
    assertCan(actor, 'dataset.manage', profile.institutionId, RESOURCE);
    if (profile.fields.length === 0) {
      throw ruleViolation('DATASET_NO_FIELDS', '该数据资源尚未登记数据项，无法载入数据', 'The resource has no fields to load data into');
    }
    const columnToField = mapColumns(source.columns, profile, opts.mapping ?? {});
    const layout: Layout = profile.fields.map((f) => ({ name: f.name, dataType: f.dataType, sealed: f.controls.encryptAtRest }));
    const scale = new Map<string, number>();
    const seconds = new Set<string>();
    const fieldNames = layout.map((f) => f.name);
    // Each mapped column with its field's layout entry, looked up once rather than per cell.
    const mapped = [...columnToField].map(([column, field]) => [column, field, layout.find((f) => f.name === field) as Layout[number]] as const);

    const work = this.db.transaction().execute(async (trx) => {
      // One load at a time per resource: the row lock on its dataset row.
      await trx
        .insertInto('datasets')
        .values({ resource_id: resourceId, institution_id: profile.institutionId, hash_state: JSON.stringify(new MultisetHash().state()) })
        .onConflict((oc) => oc.column('resource_id').doNothing())
        .execute();
      const ds = await trx.selectFrom('datasets').selectAll().where('resource_id', '=', resourceId).forUpdate().executeTakeFirstOrThrow();
      const keyField = resolveKeyField(ds.key_field, opts, fieldNames);
      if (keyField && ![...columnToField.values()].includes(keyField)) {
        throw badRequest('DATASET_KEY_MISSING', `文件中没有主键数据项“${keyField}”对应的列`, `The source has no column for the key field "${keyField}"`, {
          field: 'keyField',
        });
      }
      const key = await this.keys.activeKey(trx, resourceId, profile.institutionId);
      const indexKey = indexKeyOf(await this.keys.firstKey(trx, resourceId, profile.institutionId));
      const sealed = layout.filter((f) => f.sealed).map((f) => f.name);

      let hash = new MultisetHash(ds.hash_state);
      let removed = 0;
      if (opts.mode === 'replace') {
        if (!opts.dryRun) {
          const del = await trx.deleteFrom('dataset_rows').where('resource_id', '=', resourceId).executeTakeFirst();
          removed = Number(del.numDeletedRows);
        } else removed = ds.row_count;
        hash = new MultisetHash();
      }
      const version = ds.version + 1;
      const rejections: RowRejection[] = [];
      let rejected = 0;
      const reject = (r: Omit<RowRejection, 'message'>) => {
        rejected++;
        if (rejections.length < MAX_LISTED_ERRORS) rejections.push({ ...r, message: problemLabel(r.problem, 'zh') });
      };
      const seenKeys = new Set<string>();
      let read = 0;
      let added = 0;
      let updated = 0;
      let batch: { line: number; rowKey: Buffer | null; digest: Buffer; clear: Record<string, StoredValue>; sealedPart: Buffer | null }[] = [];

      const flush = async () => {
        if (batch.length === 0) return;
        const current = batch;
        batch = [];
        // Every row is checked and counted (all errors reported at once, a dry run's counts and hash
        // exact); rows are written only while the load can still succeed, since a rejection rolls it back.
        const existing = keyField && opts.mode !== 'replace' ? await existingKeys(trx, resourceId, current) : new Map<string, { id: number; digest: Buffer }>();
        const write = () => !opts.dryRun && rejected === 0;
        const inserts = [];
        for (const r of current) {
          const hit = r.rowKey ? existing.get(r.rowKey.toString('base64')) : undefined;
          if (hit && opts.mode === 'append') {
            reject({ line: r.line, column: keyColumn(columnToField, keyField as string), field: keyField as string, problem: 'duplicate_key' });
            continue;
          }
          if (hit) {
            if (write()) {
              await trx
                .updateTable('dataset_rows')
                .set({ row_digest: r.digest, clear: JSON.stringify(r.clear), sealed: r.sealedPart, key_id: r.sealedPart ? key.id : null, version })
                .where('id', '=', hit.id)
                .execute();
            }
            hash.remove(hit.digest);
            hash.add(r.digest);
            updated++;
            continue;
          }
          inserts.push({
            resource_id: resourceId,
            row_key: r.rowKey,
            row_digest: r.digest,
            clear: JSON.stringify(r.clear),
            sealed: r.sealedPart,
            key_id: r.sealedPart ? key.id : null,
            version,
          });
          hash.add(r.digest);
          added++;
        }
        if (inserts.length > 0 && write()) await trx.insertInto('dataset_rows').values(inserts).execute();
      };

      for await (const { line, values } of source.rows) {
        read++;
        const row: Record<string, StoredValue> = {};
        let ok = true;
        for (const [column, field, spec] of mapped) {
          const c = coerceCell(spec.dataType as never, values[column]);
          if (!c.ok) {
            reject({ line, column, field, problem: c.problem });
            ok = false;
          } else {
            row[field] = c.value;
            if (spec.dataType === 'decimal') scale.set(field, Math.max(scale.get(field) ?? 0, fractionDigits(c.value)));
            else if ((spec.dataType === 'datetime' || spec.dataType === 'time') && hasSeconds(c.value)) seconds.add(field);
          }
        }
        if (!ok) continue;
        let rowKey: Buffer | null = null;
        if (keyField) {
          const v = row[keyField];
          if (v === null || v === undefined) {
            reject({ line, column: keyColumn(columnToField, keyField), field: keyField, problem: 'missing_key' });
            continue;
          }
          const rk = hmacSm3(indexKey, `shuan.row-key\0${JSON.stringify(v)}`);
          rowKey = rk;
          const k = rk.toString('base64');
          if (seenKeys.has(k)) {
            reject({ line, column: keyColumn(columnToField, keyField), field: keyField, problem: 'duplicate_key' });
            continue;
          }
          seenKeys.add(k);
        }
        const clear: Record<string, StoredValue> = {};
        const secret: Record<string, StoredValue> = {};
        for (const f of layout) {
          const v = row[f.name] ?? null;
          if (f.sealed) secret[f.name] = v;
          else clear[f.name] = v;
        }
        const sealedPart =
          sealed.length > 0 && !opts.dryRun && rejected === 0 ? sealEnvelope(key, Buffer.from(JSON.stringify(secret)), rowAad(resourceId)) : null;
        batch.push({ line, rowKey, digest: rowDigest(indexKey, canonicalRow(fieldNames, row)), clear, sealedPart });
        if (batch.length >= BATCH) await flush();
      }
      await flush();

      if (rejected > 0) throw datasetInvalid(rejections, rejected, read);
      // What the data declares: kept from earlier versions unless this load replaces them all.
      const before = opts.mode === 'replace' ? [] : ds.layout;
      for (const f of layout) {
        const prev = before.find((b) => b.name === f.name) as Layout[number] | undefined;
        if (f.dataType === 'decimal') f.scale = Math.max(scale.get(f.name) ?? 0, prev?.scale ?? 0);
        if (f.dataType === 'datetime' || f.dataType === 'time') f.precision = seconds.has(f.name) || prev?.precision === 'second' ? 'second' : 'minute';
      }
      const total = opts.mode === 'replace' ? added : ds.row_count + added;
      const result: DatasetVersion = {
        id: uuidv7(),
        version,
        mode: opts.mode,
        sourceKind: source.kind,
        sourceName: source.name,
        rowsRead: read,
        rowsAdded: added,
        rowsUpdated: updated,
        rowsRemoved: removed,
        rowCount: total,
        contentHash: hash.digest(),
        sealedFields: sealed,
        keyId: sealed.length > 0 ? key.id : null,
        createdAt: new Date().toISOString(),
        createdBy: { id: actor.userId, displayName: actor.displayName },
        dryRun: opts.dryRun ?? false,
      };
      if (opts.dryRun) return result;
      await trx
        .updateTable('datasets')
        .set({
          key_field: keyField,
          version,
          row_count: total,
          hash_state: JSON.stringify(hash.state()),
          content_hash: result.contentHash,
          layout: JSON.stringify(layout),
          updated_at: new Date(),
        })
        .where('resource_id', '=', resourceId)
        .execute();
      await trx
        .insertInto('dataset_versions')
        .values({
          id: result.id,
          resource_id: resourceId,
          institution_id: profile.institutionId,
          version,
          mode: opts.mode,
          source_kind: source.kind,
          source_name: source.name,
          rows_read: read,
          rows_added: added,
          rows_updated: updated,
          rows_removed: removed,
          row_count: total,
          content_hash: result.contentHash,
          sealed_fields: sealed,
          key_id: result.keyId,
          created_by: actor.userId,
        })
        .execute();
      // AUD-6: the highest row id after this load. Ids only grow and loads of a resource run one at a time,
      // so a row's id tells which load inserted it: the record-key trace reads this from the event.
      const top = await trx
        .selectFrom('dataset_rows')
        .select((eb) => eb.fn.max('id').as('max'))
        .where('resource_id', '=', resourceId)
        .executeTakeFirst();
      await recordAudit(trx, actor, {
        action: 'protection.dataset.load',
        target: { type: 'data_resource', id: resourceId, institutionId: profile.institutionId },
        details: {
          version,
          mode: opts.mode,
          source: { kind: source.kind, name: source.name },
          read,
          added,
          updated,
          removed,
          rowCount: total,
          contentHash: result.contentHash,
          sealedFields: sealed,
          maxRowId: Number(top?.max ?? 0),
        },
      });
      return result;
    });
    return work;
  }

  /** The stored dataset's version, row count and layout (null before the first load). */
  async current(db: Executor, resourceId: string): Promise<{ version: number; rowCount: number; layout: Layout } | null> {
    const ds = await db.selectFrom('datasets').select(['version', 'row_count', 'layout']).where('resource_id', '=', resourceId).executeTakeFirst();
    return ds && ds.version > 0 ? { version: ds.version, rowCount: ds.row_count, layout: ds.layout } : null;
  }

  /**
   * AUD-6 (the record-key trace): where one record is, by its key value typed as a load types it: the row's
   * id and the version that last wrote it (null when absent), and the key's HMAC (row_key: it reveals nothing
   * without the data key). Or why that cannot be told: no data, no key field, a value the key field's type
   * refuses, or the data keys destroyed (crypto-shredding leaves no way to match a value). Callers check the actor.
   */
  async locateRecord(
    db: Executor,
    resourceId: string,
    value: string,
  ): Promise<{
    state: 'present' | 'absent' | 'no_dataset' | 'no_key_field' | 'invalid_value' | 'keys_destroyed';
    keyField: string | null;
    version: number;
    row: { id: number; version: number } | null;
    rowKey: string | null;
  }> {
    const ds = await db.selectFrom('datasets').select(['version', 'key_field', 'layout']).where('resource_id', '=', resourceId).executeTakeFirst();
    const none = { row: null, rowKey: null };
    if (!ds || ds.version === 0) return { state: 'no_dataset', keyField: null, version: 0, ...none };
    const keyField = ds.key_field;
    if (!keyField) return { state: 'no_key_field', keyField: null, version: ds.version, ...none };
    const spec = ds.layout.find((f) => f.name === keyField);
    const c = coerceCell((spec?.dataType ?? 'string') as never, value);
    if (!c.ok || c.value === null) return { state: 'invalid_value', keyField, version: ds.version, ...none };
    let first: EnvelopeKey | null;
    try {
      first = await this.keys.firstKeyOrNull(db, resourceId);
    } catch (err) {
      if (err instanceof AppError && err.code === 'DATA_KEY_DESTROYED') return { state: 'keys_destroyed', keyField, version: ds.version, ...none };
      throw err;
    }
    if (!first) return { state: 'keys_destroyed', keyField, version: ds.version, ...none };
    const rowKey = hmacSm3(indexKeyOf(first), `shuan.row-key\0${JSON.stringify(c.value)}`);
    const row = await db
      .selectFrom('dataset_rows')
      .select(['id', 'version'])
      .where('resource_id', '=', resourceId)
      .where('row_key', '=', rowKey)
      .executeTakeFirst();
    return { state: row ? 'present' : 'absent', keyField, version: ds.version, row: row ?? null, rowKey: rowKey.toString('hex') };
  }

  /**
   * The rows, opened: sealed parts decrypted and every row's digest checked (a row altered, swapped or
   * moved in the database is refused, not served). For the gateway, masked copies and re-encryption;
   * callers check the actor first. Reads in pages by id, so memory stays flat.
   */
  async *openRows(
    db: Executor,
    resourceId: string,
    opts: { batch?: number; afterId?: number; limit?: number } = {},
  ): AsyncGenerator<{ id: number; values: Record<string, StoredValue> }> {
    const ds = await db.selectFrom('datasets').selectAll().where('resource_id', '=', resourceId).executeTakeFirst();
    if (!ds || ds.version === 0) return;
    const resolve = await this.keys.resolver(db, resourceId);
    const first = await this.keys.firstKeyOrNull(db, resourceId);
    if (!first) return;
    const indexKey = indexKeyOf(first);
    const names = ds.layout.map((f) => f.name);
    let after = opts.afterId ?? 0;
    let left = opts.limit ?? Number.POSITIVE_INFINITY;
    for (;;) {
      const page = await db
        .selectFrom('dataset_rows')
        .select(['id', 'row_digest', 'clear', 'sealed'])
        .where('resource_id', '=', resourceId)
        .where('id', '>', after)
        .orderBy('id')
        .limit(Math.min(opts.batch ?? 1000, left))
        .execute();
      if (page.length === 0) return;
      for (const r of page) {
        const values = { ...(r.clear as Record<string, StoredValue>) };
        if (r.sealed) Object.assign(values, JSON.parse(openEnvelope(resolve, r.sealed, rowAad(resourceId)).toString('utf8')));
        if (!constantTimeEqual(rowDigest(indexKey, canonicalRow(names, values)), r.row_digest)) throw rowTampered(r.id);
        yield { id: r.id, values };
        after = r.id;
        if (--left <= 0) return;
      }
    }
  }

  /**
   * POST /api/resources/:id/keys/reencrypt: finishes a rotation. Rows sealed under older key versions are
   * opened and sealed again under the active one, a batch per transaction (loads and reads go on meanwhile),
   * up to `maxRows` per call; the answer says how many remain, so a caller (the web page's progress bar, a
   * script) calls again until none do.
   */
  async reencrypt(
    actor: Actor,
    resourceId: string,
    opts: { maxRows?: number } = {},
  ): Promise<{ moved: number; remaining: number; activeKeyId: string | null }> {
    const profile = await this.resources.protectionProfile(actor, resourceId);
    assertCan(actor, 'keys.manage', profile.institutionId, RESOURCE);
    const result = await this.moveToActiveKey(resourceId, profile.institutionId, Math.min(Math.max(opts.maxRows ?? 20_000, 1), 200_000));
    if (result.moved > 0) {
      await recordAudit(this.db, actor, {
        action: 'protection.key.reencrypt',
        target: { type: 'data_resource', id: resourceId, institutionId: profile.institutionId },
        details: { moved: result.moved, remaining: result.remaining, keyId: result.activeKeyId },
      });
    }
    return result;
  }

  /**
   * POST /api/resources/:id/keys/reencrypt-job: the same move as a background job (progress, cancel,
   * restart-safe: what moved stays moved, a restarted job continues with what remains).
   */
  async startReencryptJob(actor: Actor, resourceId: string, jobs: JobsService): Promise<Job> {
    const profile = await this.resources.protectionProfile(actor, resourceId);
    assertCan(actor, 'keys.manage', profile.institutionId, RESOURCE);
    const id = await this.db.transaction().execute(async (trx) => {
      const running = await jobs.active(trx, REENCRYPT_JOB, resourceId);
      if (running)
        throw conflict('REENCRYPT_RUNNING', '该资源已有重新加密任务在进行', 'A re-encryption of this resource is already queued or running', {
          jobId: running,
        });
      const jobId = await jobs.enqueue(trx, actor, { kind: REENCRYPT_JOB, institutionId: profile.institutionId, resourceId, params: {} });
      await recordAudit(trx, actor, {
        action: 'protection.key.reencrypt',
        target: { type: 'data_resource', id: resourceId, institutionId: profile.institutionId },
        details: { jobId },
      });
      return jobId;
    });
    return jobs.get(actor, id);
  }

  /** The worker's side of the re-encryption job. */
  async runReencryptJob(ctx: JobContext, job: { resourceId: string | null; institutionId: string | null }): Promise<Record<string, unknown>> {
    const resourceId = job.resourceId as string;
    const institutionId = job.institutionId as string;
    let moved = 0;
    let first = true;
    let total = 0;
    for (;;) {
      if (ctx.signal.aborted) throw ctx.signal.reason instanceof JobCancelled ? ctx.signal.reason : new JobCancelled();
      const step = await this.moveToActiveKey(resourceId, institutionId, BATCH * 4);
      if (first) {
        total = step.moved + step.remaining;
        first = false;
      }
      moved += step.moved;
      ctx.progress({ done: moved, total, unit: 'rows' });
      if (step.remaining === 0 || step.moved === 0) return { moved, remaining: step.remaining, activeKeyId: step.activeKeyId };
    }
  }

  /** Moves up to `limit` rows sealed under older key versions to the active one, a batch per transaction. */
  private async moveToActiveKey(
    resourceId: string,
    institutionId: string,
    limit: number,
  ): Promise<{ moved: number; remaining: number; activeKeyId: string | null }> {
    let moved = 0;
    let activeKeyId: string | null = null;
    while (moved < limit) {
      const n = await this.db.transaction().execute(async (trx) => {
        const ds = await trx.selectFrom('datasets').select('version').where('resource_id', '=', resourceId).forUpdate().executeTakeFirst();
        if (!ds) return 0;
        const active = await this.keys.activeKey(trx, resourceId, institutionId);
        activeKeyId = active.id;
        const resolve = await this.keys.resolver(trx, resourceId);
        const rows = await trx
          .selectFrom('dataset_rows')
          .select(['id', 'sealed'])
          .where('resource_id', '=', resourceId)
          .where('sealed', 'is not', null)
          .where('key_id', '!=', active.id)
          .orderBy('id')
          .limit(Math.min(BATCH, limit - moved))
          .execute();
        for (const r of rows) {
          const plain = openEnvelope(resolve, r.sealed as Buffer, rowAad(resourceId));
          await trx
            .updateTable('dataset_rows')
            .set({ sealed: sealEnvelope(active, plain, rowAad(resourceId)), key_id: active.id })
            .where('id', '=', r.id)
            .execute();
          plain.fill(0);
        }
        return rows.length;
      });
      if (n === 0) break;
      moved += n;
    }
    const remaining = await this.db
      .selectFrom('dataset_rows')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('resource_id', '=', resourceId)
      .where('sealed', 'is not', null)
      .where((eb) => (activeKeyId ? eb('key_id', '!=', activeKeyId) : eb.val(false)))
      .executeTakeFirstOrThrow();
    return { moved, remaining: remaining.n, activeKeyId };
  }

  private async describe(db: Executor, profile: ProtectionProfile): Promise<DatasetInfo> {
    const ds = await db.selectFrom('datasets').selectAll().where('resource_id', '=', profile.resourceId).executeTakeFirst();
    const versions = await db
      .selectFrom('dataset_versions as v')
      .leftJoin('users as u', 'u.id', 'v.created_by')
      .selectAll('v')
      .select(['u.display_name as creator_name'])
      .where('v.resource_id', '=', profile.resourceId)
      .orderBy('v.version', 'desc')
      .limit(50)
      .execute();
    const byKey = await db
      .selectFrom('dataset_rows')
      .select(['key_id', sql<number>`count(*)::int`.as('n')])
      .where('resource_id', '=', profile.resourceId)
      .where('sealed', 'is not', null)
      .groupBy('key_id')
      .execute();
    return {
      resourceId: profile.resourceId,
      loaded: !!ds && ds.version > 0,
      version: ds?.version ?? 0,
      rowCount: ds?.row_count ?? 0,
      contentHash: ds?.content_hash ?? null,
      keyField: ds?.key_field ?? null,
      updatedAt: ds && ds.version > 0 ? ds.updated_at.toISOString() : null,
      // The layout the next load will use (from today's grading), beside the one the stored rows have.
      fields: profile.fields.map((f) => ({
        name: f.name,
        dataType: f.dataType,
        level: f.level,
        basis: f.basis,
        sealedNext: f.controls.encryptAtRest,
        sealedStored: ds?.layout.find((l) => l.name === f.name)?.sealed ?? null,
      })),
      sealedRowsByKey: byKey.map((k) => ({ keyId: k.key_id as string, rows: k.n })),
      versions: versions.map((v) => ({
        id: v.id,
        version: v.version,
        mode: v.mode,
        sourceKind: v.source_kind,
        sourceName: v.source_name,
        rowsRead: v.rows_read,
        rowsAdded: v.rows_added,
        rowsUpdated: v.rows_updated,
        rowsRemoved: v.rows_removed,
        rowCount: v.row_count,
        contentHash: v.content_hash,
        sealedFields: v.sealed_fields,
        keyId: v.key_id,
        createdAt: v.created_at.toISOString(),
        createdBy: v.created_by ? { id: v.created_by, displayName: v.creator_name ?? '' } : null,
        dryRun: false,
      })),
    };
  }
}

async function existingKeys(trx: Executor, resourceId: string, rows: readonly { rowKey: Buffer | null }[]) {
  const keys = rows.map((r) => r.rowKey).filter((k): k is Buffer => k !== null);
  const out = new Map<string, { id: number; digest: Buffer }>();
  if (keys.length === 0) return out;
  const found = await trx
    .selectFrom('dataset_rows')
    .select(['id', 'row_key', 'row_digest'])
    .where('resource_id', '=', resourceId)
    .where(sql<boolean>`row_key = ANY(${keys}::bytea[])`)
    .execute();
  for (const f of found) if (f.row_key) out.set(f.row_key.toString('base64'), { id: f.id, digest: f.row_digest });
  return out;
}

function keyColumn(columnToField: Map<string, string>, keyField: string): string {
  for (const [c, f] of columnToField) if (f === keyField) return c;
  return keyField;
}

function resolveKeyField(stored: string | null, opts: LoadOptions, fieldNames: readonly string[]): string | null {
  const asked = opts.keyField ?? null;
  if (asked && !fieldNames.includes(asked)) {
    throw badRequest('DATASET_UNKNOWN_FIELD', `主键“${asked}”不是该资源的数据项`, `The key "${asked}" is not a field of the resource`, { field: 'keyField' });
  }
  if (stored && asked && asked !== stored && opts.mode !== 'replace') {
    throw badRequest(
      'DATASET_KEY_CHANGED',
      `该数据集的主键为“${stored}”，只有整体替换时才能更换`,
      `The dataset's key is "${stored}"; only a replace can change it`,
      { field: 'keyField' },
    );
  }
  const key = asked ?? (opts.mode === 'replace' ? null : stored);
  if (opts.mode === 'upsert' && !key) {
    throw badRequest('DATASET_KEY_REQUIRED', '按主键更新（upsert）需要指定主键数据项', 'An upsert needs a key field', { field: 'keyField' });
  }
  return key;
}

/** Columns onto fields: by name, then ignoring case and surrounding space, then by the explicit mapping. */
export function mapColumns(columns: readonly string[], profile: ProtectionProfile, mapping: Readonly<Record<string, string>>): Map<string, string> {
  const byName = new Map(profile.fields.map((f) => [f.name, f.name]));
  const byLoose = new Map(profile.fields.map((f) => [f.name.trim().toLowerCase(), f.name]));
  const out = new Map<string, string>();
  const unknown: string[] = [];
  for (const c of columns) {
    const mapped = Object.hasOwn(mapping, c) ? mapping[c] : undefined;
    const field = mapped !== undefined ? byName.get(mapped) : (byName.get(c) ?? byLoose.get(c.trim().toLowerCase()));
    if (!field) unknown.push(c);
    else if ([...out.values()].includes(field)) {
      throw badRequest('DATASET_DUPLICATE_COLUMN', `多个列对应同一数据项“${field}”`, `Several columns map to the field "${field}"`, { field });
    } else out.set(c, field);
  }
  if (unknown.length > 0) {
    throw badRequest(
      'DATASET_UNKNOWN_COLUMNS',
      `以下列不是该资源登记的数据项：${unknown.slice(0, 20).join('、')}（可用 mapping 指定对应关系）`,
      `These columns are not fields of the resource: ${unknown.slice(0, 20).join(', ')} (map them with "mapping")`,
      { columns: unknown.slice(0, 100) },
    );
  }
  if (out.size === 0) throw badRequest('DATASET_NO_COLUMNS', '数据源没有任何列', 'The source has no columns');
  return out;
}

function datasetInvalid(rejections: RowRejection[], total: number, read: number): AppError {
  const first = rejections[0];
  return new AppError(
    'DATASET_INVALID',
    422,
    `数据未载入：${total} 处错误（共读取 ${read} 行）${first ? `，首个错误：第 ${first.line} 行“${first.column}”列${first.message}` : ''}`,
    `Nothing loaded: ${total} problem(s) in ${read} rows${first ? `; first: row ${first.line}, column "${first.column}": ${problemLabel(first.problem, 'en')}` : ''}`,
    { errors: rejections, total, rowsRead: read },
  );
}

function rowTampered(id: number): AppError {
  return new AppError('DATASET_ROW_TAMPERED', 500, `数据行 ${id} 完整性校验失败，已拒绝读取`, `Row ${id} failed its integrity check and was not served`);
}
