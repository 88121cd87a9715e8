// Data keys per resource (PRT-5, FZ-12, FZ-19, ZZ-19): each resource's data is sealed with its own SM4 data
// key, wrapped by the KEK. Rotation makes a new version the one new writes use while older versions still
// open what they sealed (no downtime); destruction drops every version's wrapped material, which makes the
// resource's sealed data unrecoverable (crypto-shredding, LIF-11).
import { randomBytes } from 'node:crypto';
import { AppError, badRequest, notFound } from '../../app/errors.ts';
import type { Db, Executor } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import type { EnvelopeKey } from '../../engines/gm/index.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { assertCan } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import { type Kek, KekError } from './kek.ts';
import type { DataKeyInfo, KeyDestroyBody, ResourceKeys } from './protection.schemas.ts';

export const DATA_KEY_ALGORITHM = 'SM4-CTR+HMAC-SM3';
const DATA_KEY_BYTES = 32;
const RESOURCE = { zh: '数据资源', en: 'Data resource' };

/** What the keys need of the catalog: whether the actor may see the resource, and where it belongs. */
export interface ResourceLookup {
  get(actor: Actor, id: string): Promise<{ id: string; name: string; institutionId: string }>;
}

/** Data sealed under a destroyed key is gone: 410, so no caller mistakes it for a transient failure. */
export const dataDestroyed = () =>
  new AppError('DATA_KEY_DESTROYED', 410, '该数据资源的数据密钥已销毁，数据不可恢复', "The resource's data key was destroyed; its data cannot be recovered");

const aadFor = (resourceId: string, keyId: string) => `shuan.data-key\0${resourceId}\0${keyId}`;

type KeyRow = {
  id: string;
  resource_id: string;
  version: number;
  status: 'active' | 'retired' | 'destroyed';
  kek_id: string | null;
  wrapped: Buffer | null;
};

export class KeysService {
  constructor(
    private readonly db: Db,
    private readonly resources: ResourceLookup,
    /** Asked for on first use: CLI commands that never touch keys run without a KEK configured. */
    private readonly kekProvider: () => Kek,
  ) {}

  private get kek(): Kek {
    return this.kekProvider();
  }

  /**
   * Refuses to run with a KEK other than the one the stored keys were wrapped with: better a clear error at
   * start than data that cannot be opened later. Called by `shuan serve` before it listens.
   */
  async assertKekMatches(): Promise<void> {
    const other = await this.db
      .selectFrom('data_keys')
      .select('kek_id')
      .where('kek_id', 'is not', null)
      .where('kek_id', '!=', this.kek.id)
      .unionAll(this.db.selectFrom('platform_keys').select('kek_id').where('kek_id', '!=', this.kek.id))
      .limit(1)
      .executeTakeFirst();
    if (other) {
      throw new KekError(
        'KEK_INVALID',
        `配置的 KEK（${this.kek.id}）与数据库中密钥所用的 KEK（${other.kek_id}）不一致，请使用原 KEK 启动 / the configured KEK (${this.kek.id}) is not the one this database's keys are wrapped with (${other.kek_id})`,
      );
    }
  }

  // -------------------------------------------------------------------------------------------------
  // For the dataset store and the gateway (no actor: their callers have checked the actor already)

  /** The key new writes use; the first call for a resource creates version 1. */
  async activeKey(db: Executor, resourceId: string, institutionId: string): Promise<EnvelopeKey> {
    const row = await db
      .selectFrom('data_keys')
      .select(['id', 'resource_id', 'version', 'status', 'kek_id', 'wrapped'])
      .where('resource_id', '=', resourceId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (row) return this.open(row);
    if (await this.isDestroyed(db, resourceId)) throw dataDestroyed();
    await this.insertVersion(db, resourceId, institutionId, 1, null);
    // Another writer may have created it at the same moment (ON CONFLICT kept theirs): read what won.
    const created = await db
      .selectFrom('data_keys')
      .select(['id', 'resource_id', 'version', 'status', 'kek_id', 'wrapped'])
      .where('resource_id', '=', resourceId)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    return this.open(created);
  }

  /**
   * Version 1 of the resource's key (created with the active one if none exists). Keys that must stay the
   * same across rotations derive from it (the dataset index key); retired versions are kept until the
   * resource's keys are destroyed, which takes them with it.
   */
  async firstKey(db: Executor, resourceId: string, institutionId: string): Promise<EnvelopeKey> {
    await this.activeKey(db, resourceId, institutionId);
    return (await this.firstKeyOrNull(db, resourceId)) as EnvelopeKey;
  }

  async firstKeyOrNull(db: Executor, resourceId: string): Promise<EnvelopeKey | null> {
    const row = await db
      .selectFrom('data_keys')
      .select(['id', 'resource_id', 'version', 'status', 'kek_id', 'wrapped'])
      .where('resource_id', '=', resourceId)
      .orderBy('version')
      .limit(1)
      .executeTakeFirst();
    return row ? this.open(row) : null;
  }

  /** Opens any version of a resource's keys by id (envelopes name the key that sealed them). */
  async resolver(db: Executor, resourceId: string): Promise<(keyId: string) => EnvelopeKey | undefined> {
    const rows = await db
      .selectFrom('data_keys')
      .select(['id', 'resource_id', 'version', 'status', 'kek_id', 'wrapped'])
      .where('resource_id', '=', resourceId)
      .execute();
    if (rows.some((r) => r.status === 'destroyed')) throw dataDestroyed();
    const keys = new Map(rows.map((r) => [r.id, r]));
    const opened = new Map<string, EnvelopeKey>();
    return (keyId) => {
      const hit = opened.get(keyId);
      if (hit) return hit;
      const row = keys.get(keyId);
      if (!row) return undefined;
      const key = this.open(row);
      opened.set(keyId, key);
      return key;
    };
  }

  // -------------------------------------------------------------------------------------------------
  // People

  /** GET /api/resources/:id/keys: versions and states, never the material. */
  async list(actor: Actor, resourceId: string): Promise<ResourceKeys> {
    const resource = await this.resources.get(actor, resourceId);
    assertCan(actor, 'protection.read', resource.institutionId, RESOURCE);
    return this.describe(this.db, resource);
  }

  /** POST /api/resources/:id/keys/rotate: a new active version; the old one retires but still decrypts. */
  async rotate(actor: Actor, resourceId: string): Promise<ResourceKeys> {
    const resource = await this.resources.get(actor, resourceId);
    assertCan(actor, 'keys.manage', resource.institutionId, RESOURCE);
    await this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('data_keys')
        .select(['id', 'version', 'status'])
        .where('resource_id', '=', resourceId)
        .orderBy('version', 'desc')
        .forUpdate()
        .execute();
      if (rows.some((r) => r.status === 'destroyed')) throw dataDestroyed();
      const previous = rows.find((r) => r.status === 'active') ?? null;
      const version = (rows[0]?.version ?? 0) + 1;
      if (previous) {
        await trx.updateTable('data_keys').set({ status: 'retired', retired_at: new Date() }).where('id', '=', previous.id).execute();
      }
      const id = await this.insertVersion(trx, resourceId, resource.institutionId, version, actor.userId);
      await recordAudit(trx, actor, {
        action: 'protection.key.rotate',
        target: { type: 'data_resource', id: resourceId, institutionId: resource.institutionId },
        details: { keyId: id, version, retiredKeyId: previous?.id ?? null },
      });
    });
    return this.describe(this.db, resource);
  }

  /**
   * POST /api/resources/:id/keys/destroy (LIF-11): crypto-shredding. The caller restates the resource's name
   * (a destruction cannot be undone) and gives the reason. Every version's wrapped material is removed;
   * the rows stay as the record of what was destroyed, by whom and why.
   */
  async destroy(actor: Actor, resourceId: string, body: KeyDestroyBody): Promise<ResourceKeys> {
    const resource = await this.resources.get(actor, resourceId);
    assertCan(actor, 'keys.manage', resource.institutionId, RESOURCE);
    const reason = body.reason.trim();
    if (!reason) throw badRequest('VALIDATION_FAILED', '请填写销毁原因', 'Give the reason for the destruction', { field: 'reason' });
    if (body.confirmName.trim() !== resource.name) {
      throw badRequest('CONFIRMATION_MISMATCH', '确认名称与数据资源名称不一致', "The confirmation does not match the resource's name", {
        field: 'confirmName',
      });
    }
    await this.db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('data_keys').select(['id', 'status']).where('resource_id', '=', resourceId).forUpdate().execute();
      if (rows.length > 0 && rows.every((r) => r.status === 'destroyed')) throw dataDestroyed();
      const destroyedAt = new Date();
      if (rows.length === 0) {
        // Nothing was ever sealed: record the destruction anyway, so no key can be created for it later.
        await trx
          .insertInto('data_keys')
          .values({
            id: uuidv7(),
            resource_id: resourceId,
            institution_id: resource.institutionId,
            version: 1,
            status: 'destroyed',
            algorithm: DATA_KEY_ALGORITHM,
            kek_id: null,
            wrapped: null,
            created_by: actor.userId,
            destroyed_by: actor.userId,
            destroyed_at: destroyedAt,
            destroy_reason: reason,
          })
          .execute();
      } else {
        await trx
          .updateTable('data_keys')
          .set({ status: 'destroyed', wrapped: null, kek_id: null, destroyed_by: actor.userId, destroyed_at: destroyedAt, destroy_reason: reason })
          .where('resource_id', '=', resourceId)
          .where('status', '!=', 'destroyed')
          .execute();
      }
      await recordAudit(trx, actor, {
        action: 'protection.key.destroy',
        target: { type: 'data_resource', id: resourceId, institutionId: resource.institutionId },
        details: { versions: rows.length, reason },
      });
    });
    return this.describe(this.db, resource);
  }

  // -------------------------------------------------------------------------------------------------

  private async describe(db: Executor, resource: { id: string; name: string; institutionId: string }): Promise<ResourceKeys> {
    const rows = await db
      .selectFrom('data_keys as k')
      .leftJoin('users as c', 'c.id', 'k.created_by')
      .leftJoin('users as d', 'd.id', 'k.destroyed_by')
      .select([
        'k.id',
        'k.version',
        'k.status',
        'k.algorithm',
        'k.kek_id',
        'k.created_at',
        'k.retired_at',
        'k.destroyed_at',
        'k.destroy_reason',
        'c.id as creator_id',
        'c.display_name as creator_name',
        'd.id as destroyer_id',
        'd.display_name as destroyer_name',
      ])
      .where('k.resource_id', '=', resource.id)
      .orderBy('k.version', 'desc')
      .execute();
    const keys: DataKeyInfo[] = rows.map((r) => ({
      id: r.id,
      version: r.version,
      status: r.status,
      algorithm: r.algorithm,
      kekId: r.kek_id,
      createdAt: r.created_at.toISOString(),
      createdBy: r.creator_id ? { id: r.creator_id, displayName: r.creator_name ?? '' } : null,
      retiredAt: r.retired_at?.toISOString() ?? null,
      destroyedAt: r.destroyed_at?.toISOString() ?? null,
      destroyedBy: r.destroyer_id ? { id: r.destroyer_id, displayName: r.destroyer_name ?? '' } : null,
      destroyReason: r.destroy_reason,
    }));
    const destroyed = keys.length > 0 && keys.every((k) => k.status === 'destroyed');
    return {
      resourceId: resource.id,
      resourceName: resource.name,
      state: destroyed ? 'destroyed' : keys.some((k) => k.status === 'active') ? 'active' : 'none',
      activeKeyId: keys.find((k) => k.status === 'active')?.id ?? null,
      keys,
    };
  }

  private async isDestroyed(db: Executor, resourceId: string): Promise<boolean> {
    const row = await db
      .selectFrom('data_keys')
      .select('id')
      .where('resource_id', '=', resourceId)
      .where('status', '=', 'destroyed')
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  private async insertVersion(db: Executor, resourceId: string, institutionId: string, version: number, by: string | null): Promise<string> {
    const id = uuidv7();
    const secret = randomBytes(DATA_KEY_BYTES);
    try {
      await db
        .insertInto('data_keys')
        .values({
          id,
          resource_id: resourceId,
          institution_id: institutionId,
          version,
          status: 'active',
          algorithm: DATA_KEY_ALGORITHM,
          kek_id: this.kek.id,
          wrapped: this.kek.wrap(secret, aadFor(resourceId, id)),
          created_by: by,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    } finally {
      secret.fill(0);
    }
    return id;
  }

  private open(row: KeyRow): EnvelopeKey {
    if (row.status === 'destroyed' || !row.wrapped) throw dataDestroyed();
    if (row.kek_id !== this.kek.id) throw notFound({ zh: '可用的数据密钥', en: 'A usable data key' });
    return { id: row.id, secret: this.kek.unwrap(row.wrapped, aadFor(row.resource_id, row.id)) };
  }
}
