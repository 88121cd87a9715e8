// Request and response schemas of the protection module: data keys (issue 5).
import { type Static, Type } from 'typebox';
import { IsoDateTime, Nullable, PersonRef, StrEnum, Uuid } from '../../app/schema-helpers.ts';

export const DATA_KEY_STATUSES = ['active', 'retired', 'destroyed'] as const;
export const DATA_KEY_STATUS_LABELS = {
  active: { zh: '使用中', en: 'Active' },
  retired: { zh: '已轮换（仍可解密）', en: 'Retired (still decrypts)' },
  destroyed: { zh: '已销毁', en: 'Destroyed' },
} as const;
export const KEY_STATES = ['none', 'active', 'destroyed'] as const;
export const KEY_STATE_LABELS = {
  none: { zh: '尚未生成（首次写入加密数据时生成）', en: 'None yet (created on the first encrypted write)' },
  active: { zh: '已启用', en: 'Active' },
  destroyed: { zh: '已销毁，数据不可恢复', en: 'Destroyed: data unrecoverable' },
} as const;

export const DataKeyInfo = Type.Object({
  id: Uuid,
  version: Type.Integer(),
  status: StrEnum(DATA_KEY_STATUSES),
  algorithm: Type.String(),
  /** Fingerprint of the KEK that wraps it (null once destroyed). */
  kekId: Nullable(Type.String()),
  createdAt: IsoDateTime,
  /** Null when the platform created it on a first write. */
  createdBy: Nullable(PersonRef),
  retiredAt: Nullable(IsoDateTime),
  destroyedAt: Nullable(IsoDateTime),
  destroyedBy: Nullable(PersonRef),
  destroyReason: Nullable(Type.String()),
});
export type DataKeyInfo = Static<typeof DataKeyInfo>;

export const ResourceKeys = Type.Object({
  resourceId: Uuid,
  resourceName: Type.String(),
  state: StrEnum(KEY_STATES),
  activeKeyId: Nullable(Uuid),
  keys: Type.Array(DataKeyInfo),
});
export type ResourceKeys = Static<typeof ResourceKeys>;

export const KeyDestroyBody = Type.Object(
  {
    /** The resource's name, typed again: a destruction cannot be undone. */
    confirmName: Type.String({ minLength: 1, maxLength: 200 }),
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
export type KeyDestroyBody = Static<typeof KeyDestroyBody>;

export const ResourceIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const ReencryptQuery = Type.Object({ maxRows: Type.Optional(Type.Integer({ minimum: 1, maximum: 200000 })) }, { additionalProperties: false });
export const ReencryptResult = Type.Object({
  /** Rows sealed again under the active key by this call. */
  moved: Type.Integer(),
  /** Rows still under an older key: call again until 0. */
  remaining: Type.Integer(),
  activeKeyId: Nullable(Uuid),
});
export type ReencryptResult = Static<typeof ReencryptResult>;
