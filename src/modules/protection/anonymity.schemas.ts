// k-anonymity / l-diversity checks for open-data releases (LIF-7, PRT-4).
import { type Static, Type } from 'typebox';
import { Nullable } from '../../app/schema-helpers.ts';

const AddressLevel = Type.Union([Type.Literal('province'), Type.Literal('city'), Type.Literal('district'), Type.Literal('street')]);

export const HierarchySchema = Type.Union([
  Type.Object(
    {
      type: Type.Literal('number'),
      widths: Type.Array(Type.Number({ minimum: 1e-9 }), { minItems: 1, maxItems: 8 }),
      min: Type.Optional(Type.Number()),
      max: Type.Optional(Type.Number()),
      integer: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('date') }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal('address'), levels: Type.Optional(Type.Array(AddressLevel, { minItems: 1, maxItems: 4 })) },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('suppress') }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal('prefix'), keep: Type.Array(Type.Integer({ minimum: 0, maximum: 64 }), { minItems: 1, maxItems: 8 }) },
    { additionalProperties: false },
  ),
]);

export const AnonymityRequest = Type.Object(
  {
    quasiIdentifiers: Type.Array(Type.Object({ field: Type.String({ minLength: 1 }), hierarchy: HierarchySchema }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 8,
    }),
    sensitive: Type.Optional(Type.String({ minLength: 1 })),
    k: Type.Integer({ minimum: 2, maximum: 10000 }),
    l: Type.Optional(Type.Integer({ minimum: 2, maximum: 1000 })),
    /** Rows that may be withheld from the release to reach k (and l). */
    maxSuppression: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type AnonymityRequest = Static<typeof AnonymityRequest>;

const Node = Type.Object({
  levels: Type.Record(Type.String(), Type.Integer()),
  levelNames: Type.Record(Type.String(), Type.String()),
  suppressedRows: Type.Integer(),
  classes: Type.Integer(),
  smallestClass: Type.Integer(),
  precisionLoss: Type.Number(),
  loss: Type.Number(),
});

export const AnonymityResult = Type.Object({
  /** The data as it is (quasi-identifiers exact). */
  current: Type.Object({
    rows: Type.Integer(),
    classes: Type.Integer(),
    smallestClass: Type.Integer(),
    violatingClasses: Type.Integer(),
    violatingRows: Type.Integer(),
    kAnonymous: Type.Boolean(),
    lDiverse: Nullable(Type.Boolean()),
  }),
  /** The least-loss generalisation that reaches k (and l), and the other minimal ones. */
  search: Type.Object({
    found: Type.Boolean(),
    best: Nullable(Node),
    minimal: Type.Array(Node),
    latticeSize: Type.Integer(),
    evaluated: Type.Integer(),
    complete: Type.Boolean(),
    lossMeasure: Type.String(),
  }),
});
export type AnonymityResult = Static<typeof AnonymityResult>;
