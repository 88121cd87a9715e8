// Scan jobs on a resource's dataset and their review (issue 4; CLS-2, CLS-3, AST-11).
import { type Static, Type } from 'typebox';
import { Nullable } from '../../app/schema-helpers.ts';

export const ScanStart = Type.Object(
  {
    /** Scan a uniform sample of this many rows instead of every row. */
    sample: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
  },
  { additionalProperties: false },
);
export type ScanStart = Static<typeof ScanStart>;

/** What a finished scan job's result holds (job.result). */
export const ScanColumn = Type.Object({
  name: Type.String(),
  nonEmpty: Type.Integer(),
  hits: Type.Record(Type.String(), Type.Integer()),
  types: Type.Array(
    Type.Object({ type: Type.String(), count: Type.Integer(), share: Type.Number(), confidence: Type.Number(), distinct: Type.Optional(Type.Integer()) }),
  ),
  piTypes: Type.Array(Type.String()),
  piCategory: Nullable(Type.String()),
  category: Nullable(Type.String()),
  level: Nullable(Type.String()),
  basis: Type.Array(Type.String()),
});
export type ScanColumn = Static<typeof ScanColumn>;

export const ScanAccept = Type.Object(
  {
    /** The PI labels the reviewer confirms, field by field (as the scan proposed them or corrected). */
    fields: Type.Array(
      Type.Object(
        {
          name: Type.String({ minLength: 1 }),
          piType: Nullable(Type.String({ minLength: 1, maxLength: 50 })),
          piSensitive: Type.Boolean(),
          level: Nullable(Type.String({ minLength: 1, maxLength: 20 })),
        },
        { additionalProperties: false },
      ),
      { maxItems: 2000 },
    ),
    /** Record the scan's counts (rows holding PI, distinct people) as the resource's PI inventory (AST-11). */
    updateInventory: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type ScanAccept = Static<typeof ScanAccept>;

export const RecognizerSet = Type.Object({
  /** 0 until the authority saves a set; send it back with a change (VERSION_CONFLICT otherwise). */
  version: Type.Integer(),
  /** As saved: see docs/discovery.md for the fields and the safe-pattern rules. */
  recognizers: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  updatedBy: Nullable(Type.Object({ id: Type.String(), displayName: Type.String() })),
  updatedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type RecognizerSet = Static<typeof RecognizerSet>;

export const RecognizerUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 0 }),
    recognizers: Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 32 }),
  },
  { additionalProperties: false },
);
export type RecognizerUpdate = Static<typeof RecognizerUpdate>;
