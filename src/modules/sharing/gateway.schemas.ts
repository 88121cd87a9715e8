// API schemas of the data-service gateway (docs/sharing-contract.md "Grants and the gateway"; LIF-3, LIF-5,
// LIF-6, PRT-8, PRT-9). Callers are the recipient's systems with a grant's client credential, not people.
import { type Static, Type } from 'typebox';
import { Nullable, StrEnum, Uuid } from '../../app/schema-helpers.ts';

/** Rows per records page at most. */
export const GATEWAY_MAX_LIMIT = 1000;

export const GatewayParams = Type.Object({ grantId: Uuid }, { additionalProperties: false });

const purpose = Type.Optional(Type.String({ maxLength: 64, description: '调用目的代码（须与授权的 purposeCode 一致）' }));
const fields = Type.Optional(Type.String({ maxLength: 4000, description: '逗号分隔的字段名；缺省为授权的全部字段' }));
/** `filter[field]=value` on fields the grant holds whose sharing rule keeps the value. */
const FILTER_PATTERN = '^filter\\[[^\\]]{1,128}\\]$';

export const RecordsQuery = Type.Object(
  {
    purpose,
    fields,
    cursor: Type.Optional(Type.String({ maxLength: 40, pattern: '^[A-Za-z0-9_-]*$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: GATEWAY_MAX_LIMIT, default: 100 })),
    format: Type.Optional(StrEnum(['json', 'csv'] as const)),
  },
  { additionalProperties: false, patternProperties: { [FILTER_PATTERN]: Type.String({ maxLength: 500 }) } },
);
export type RecordsQuery = Static<typeof RecordsQuery>;

export const ExportQuery = Type.Object(
  { purpose, fields, format: Type.Optional(StrEnum(['csv', 'jsonl'] as const)) },
  { additionalProperties: false, patternProperties: { [FILTER_PATTERN]: Type.String({ maxLength: 500 }) } },
);
export type ExportQuery = Static<typeof ExportQuery>;

export const AggregateQuery = Type.Object(
  {
    purpose,
    groupBy: Type.Optional(Type.String({ maxLength: 2000, description: '逗号分隔的分组字段' })),
    metrics: Type.Optional(Type.String({ maxLength: 2000, description: 'count,sum:字段,avg:字段' })),
  },
  { additionalProperties: false, patternProperties: { [FILTER_PATTERN]: Type.String({ maxLength: 500 }) } },
);
export type AggregateQuery = Static<typeof AggregateQuery>;

const Cell = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

export const RecordsPage = Type.Object({
  grant: Uuid,
  purpose: Type.String(),
  fields: Type.Array(Type.String()),
  rows: Type.Array(Type.Record(Type.String(), Cell)),
  /** Opaque; null when the end was reached. */
  nextCursor: Nullable(Type.String()),
  watermarked: Type.Boolean(),
});
export type RecordsPage = Static<typeof RecordsPage>;

export const AggregateResult = Type.Object({
  grant: Uuid,
  purpose: Type.String(),
  groupBy: Type.Array(Type.String()),
  metrics: Type.Array(Type.String()),
  minGroupSize: Type.Integer(),
  groups: Type.Array(
    Type.Object({ key: Type.Record(Type.String(), Cell), count: Type.Integer(), metrics: Type.Record(Type.String(), Nullable(Type.Number())) }),
  ),
  /** Groups below the minimum size: only their number is told (PRT-9). */
  suppressedGroups: Type.Integer(),
});
export type AggregateResult = Static<typeof AggregateResult>;

export const BareQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: GATEWAY_MAX_LIMIT, default: 100 })) },
  { additionalProperties: false },
);
export const BarePage = Type.Object({ rows: Type.Array(Type.Record(Type.String(), Cell)) });
