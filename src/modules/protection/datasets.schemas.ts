// Dataset store schemas (LIF-13).
import { type Static, Type } from 'typebox';
import { IsoDateTime, Nullable, PersonRef, StrEnum, Uuid } from '../../app/schema-helpers.ts';

export const LOAD_MODES = ['replace', 'append', 'upsert'] as const;
export type LoadMode = (typeof LOAD_MODES)[number];
export const LOAD_MODE_LABELS = {
  replace: { zh: '整体替换', en: 'Replace' },
  append: { zh: '追加', en: 'Append' },
  upsert: { zh: '按主键更新', en: 'Upsert by key' },
} as const;

export const DatasetVersion = Type.Object({
  id: Uuid,
  version: Type.Integer(),
  mode: StrEnum(LOAD_MODES),
  sourceKind: Type.String(),
  sourceName: Nullable(Type.String()),
  rowsRead: Type.Integer(),
  rowsAdded: Type.Integer(),
  rowsUpdated: Type.Integer(),
  rowsRemoved: Type.Integer(),
  rowCount: Type.Integer(),
  /** SM3 digest of the version's multiset of rows (keyed per resource). */
  contentHash: Type.String(),
  /** Fields stored SM4-sealed (their level requires encryption at rest, CLS-5). */
  sealedFields: Type.Array(Type.String()),
  keyId: Nullable(Uuid),
  createdAt: IsoDateTime,
  createdBy: Nullable(PersonRef),
  /** A dry run: checked and counted, nothing written. */
  dryRun: Type.Boolean(),
});
export type DatasetVersion = Static<typeof DatasetVersion>;

export const DatasetInfo = Type.Object({
  resourceId: Uuid,
  loaded: Type.Boolean(),
  version: Type.Integer(),
  rowCount: Type.Integer(),
  contentHash: Nullable(Type.String()),
  keyField: Nullable(Type.String()),
  updatedAt: Nullable(IsoDateTime),
  fields: Type.Array(
    Type.Object({
      name: Type.String(),
      dataType: Type.String(),
      level: Nullable(Type.String()),
      basis: StrEnum(['level', 'fail_safe'] as const),
      /** The next load seals this field (today's grading). */
      sealedNext: Type.Boolean(),
      /** The stored rows have it sealed (null: no data loaded). */
      sealedStored: Nullable(Type.Boolean()),
    }),
  ),
  /** Sealed rows per data key version: rows under a retired key await re-encryption. */
  sealedRowsByKey: Type.Array(Type.Object({ keyId: Uuid, rows: Type.Integer() })),
  versions: Type.Array(DatasetVersion),
});
export type DatasetInfo = Static<typeof DatasetInfo>;

const LoadOptionProps = {
  mode: StrEnum(LOAD_MODES),
  keyField: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  dryRun: Type.Optional(Type.Boolean()),
};

export const DatasetUploadQuery = Type.Object(
  {
    ...LoadOptionProps,
    fileName: Type.Optional(Type.String({ maxLength: 255 })),
    /** Source column → field name, as a JSON object. */
    mapping: Type.Optional(Type.String({ maxLength: 20000 })),
  },
  { additionalProperties: false },
);
export type DatasetUploadQuery = Static<typeof DatasetUploadQuery>;

export const DatasetPullBody = Type.Object(
  {
    ...LoadOptionProps,
    /** postgres://… or mysql://… (the password is used to connect and never stored or logged). */
    url: Type.String({ minLength: 1, maxLength: 2000 }),
    table: Type.String({ minLength: 1, maxLength: 200 }),
    mapping: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { additionalProperties: false },
);
export type DatasetPullBody = Static<typeof DatasetPullBody>;
