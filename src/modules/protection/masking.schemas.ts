// Masking policy schemas (PRT-4).
import { type Static, Type } from 'typebox';
import { Nullable, StrEnum, Uuid } from '../../app/schema-helpers.ts';
import { MASKING_MODES } from '../../engines/grading/controls.ts';
import { MASK_TARGETS } from '../../engines/masking/target.ts';
import { MASK_METHODS, MASK_SCENARIOS } from '../../engines/masking/vocabulary.ts';

export const MaskRuleSchema = Type.Object(
  {
    method: StrEnum(MASK_METHODS),
    /** Method parameters (checked per method and target; see the masking engine). */
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);

export const MaskingView = Type.Object({
  resourceId: Uuid,
  /** 0 while only defaults apply; send it back with a change (VERSION_CONFLICT otherwise). */
  version: Type.Integer(),
  fields: Type.Array(
    Type.Object({
      name: Type.String(),
      dataType: Type.String(),
      piType: Nullable(Type.String()),
      level: Nullable(Type.String()),
      basis: StrEnum(['level', 'fail_safe'] as const),
      target: StrEnum(MASK_TARGETS),
      /** inferred from the catalog labels, or set by the security officer. */
      targetSource: StrEnum(['inferred', 'set'] as const),
      /** Methods that apply to the target. */
      methods: Type.Array(StrEnum(MASK_METHODS)),
    }),
  ),
  scenarios: Type.Array(
    Type.Object({
      scenario: StrEnum(MASK_SCENARIOS),
      fields: Type.Array(
        Type.Object({
          name: Type.String(),
          /** The grade's masking control for this scenario (CLS-5). */
          mode: StrEnum(MASKING_MODES),
          rule: MaskRuleSchema,
          source: StrEnum(['default', 'override'] as const),
        }),
      ),
    }),
  ),
});
export type MaskingView = Static<typeof MaskingView>;

export const MaskingUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 0 }),
    /** Field → masking target; null returns the field to the inferred one. */
    targets: Type.Optional(Type.Record(Type.String(), Nullable(Type.String()))),
    /** Scenario → field → rule; null returns the field to its default. */
    rules: Type.Optional(Type.Record(StrEnum(MASK_SCENARIOS), Type.Record(Type.String(), Nullable(MaskRuleSchema)))),
  },
  { additionalProperties: false },
);
export type MaskingUpdate = Static<typeof MaskingUpdate>;

export const PreviewQuery = Type.Object(
  {
    scenario: Type.Optional(StrEnum(MASK_SCENARIOS)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export const DatasetPreview = Type.Object({
  scenario: StrEnum(MASK_SCENARIOS),
  columns: Type.Array(Type.String()),
  rows: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  total: Type.Integer(),
});
export type DatasetPreview = Static<typeof DatasetPreview>;
