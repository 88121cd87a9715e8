// API schemas of the grading scheme (CLS-1, CLS-5) and the determination calculator. The web imports these.
import { type Static, type TSchema, Type } from 'typebox';
import { IsoDateTime, Nullable, StrEnum } from '../../app/schema-helpers.ts';
import { type CategoryInput, MAX_CATEGORY_DEPTH } from '../../engines/grading/categories.ts';
import { MASKING_MODES, MAX_LOG_RETENTION_MONTHS, MAX_SHARING_APPROVALS, MIN_LOG_RETENTION_MONTHS } from '../../engines/grading/controls.ts';
import { HARM_DEGREES, HARM_OBJECTS } from '../../engines/grading/harms.ts';
import { LEVELS } from '../../engines/grading/levels.ts';
import { MAX_SCHEME_NAME_LENGTH, MAX_SCHEME_NOTES_LENGTH } from '../../engines/grading/validate.ts';

export const LevelSchema = StrEnum(LEVELS);
export const HarmObjectSchema = StrEnum(HARM_OBJECTS);
export const HarmDegreeSchema = StrEnum(HARM_DEGREES);
export const MaskingModeSchema = StrEnum(MASKING_MODES);
export const SchemeStatusSchema = StrEnum(['draft', 'published', 'superseded'] as const);
/** A category code as data carries it ('health.medical.emr'); whether it exists is the scheme's business. */
export const CategoryCode = Type.String({ minLength: 1, maxLength: 160 });

export const Controls = Type.Object(
  {
    encryptAtRest: Type.Boolean({ description: '存储加密' }),
    masking: Type.Object(
      { display: MaskingModeSchema, devTest: MaskingModeSchema, sharing: MaskingModeSchema, openData: MaskingModeSchema },
      { additionalProperties: false, description: '各场景脱敏方式' },
    ),
    sharingApprovals: Type.Integer({ minimum: 0, maximum: MAX_SHARING_APPROVALS, description: '共享审批层级：1 提供方，2 +主管部门，3 +主管部门复核' }),
    watermark: Type.Boolean({ description: '数据水印' }),
    logRetentionMonths: Type.Integer({ minimum: MIN_LOG_RETENTION_MONTHS, maximum: MAX_LOG_RETENTION_MONTHS, description: '日志留存月数' }),
    openAllowed: Type.Boolean({ description: '允许开放' }),
    aggregateOnly: Type.Boolean({ description: '仅限统计结果（可用不可见）' }),
  },
  { additionalProperties: false },
);
export type Controls = Static<typeof Controls>;

/** Controls for every level (responses). */
export const LevelControls = Type.Object(Object.fromEntries(LEVELS.map((l) => [l, Controls])) as Record<(typeof LEVELS)[number], typeof Controls>);
export type LevelControls = Static<typeof LevelControls>;

/**
 * Controls per level as an editor sends them. Each level is optional here so that a missing level is the
 * scheme validator's INVALID_SCHEME naming it ("every level has controls"), not a bare schema error.
 */
const LevelControlsInput = Type.Object(
  Object.fromEntries(LEVELS.map((l) => [l, Type.Optional(Controls)])) as Record<(typeof LEVELS)[number], ReturnType<typeof Type.Optional<typeof Controls>>>,
  { additionalProperties: false },
);

export const MatrixEntry = Type.Object({ object: HarmObjectSchema, degree: HarmDegreeSchema, level: LevelSchema }, { additionalProperties: false });
export type MatrixEntry = Static<typeof MatrixEntry>;

const CategoryName = Type.String({ minLength: 1, maxLength: 50 });

/**
 * The category tree without JSON Schema recursion (OpenAPI 3.0 has no $defs): nested objects, one level more
 * than the engine allows, so a fifth level reaches the validator and is refused as CATEGORY_TOO_DEEP by name.
 */
function categoryInput(depth: number): TSchema {
  const children =
    depth > MAX_CATEGORY_DEPTH
      ? Type.Array(Type.Object({}, { additionalProperties: false }), { maxItems: 0 })
      : Type.Array(categoryInput(depth + 1), { maxItems: 500 });
  return Type.Object({ code: CategoryCode, name: CategoryName, children: Type.Optional(children) }, { additionalProperties: false });
}
function categoryNode(depth: number): TSchema {
  const children = depth >= MAX_CATEGORY_DEPTH ? Type.Array(Type.Object({}), { maxItems: 0 }) : Type.Array(categoryNode(depth + 1));
  return Type.Object({ code: Type.String(), name: Type.String(), children });
}

export interface CategoryNode {
  code: string;
  name: string;
  children: CategoryNode[];
}
export const CategoryTree = Type.Unsafe<CategoryNode[]>(Type.Array(categoryNode(1)));
const CategoryTreeInput = Type.Unsafe<CategoryInput[]>(Type.Array(categoryInput(1), { maxItems: 200 }));

export const LevelInfo = Type.Object({ code: LevelSchema, zh: Type.String(), en: Type.String(), rank: Type.Integer() });

export const Scheme = Type.Object({
  version: Type.Integer(),
  status: SchemeStatusSchema,
  name: Type.String(),
  notes: Nullable(Type.String()),
  categories: CategoryTree,
  levels: Type.Array(LevelInfo),
  matrix: Type.Array(MatrixEntry),
  controls: LevelControls,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  publishedAt: Nullable(IsoDateTime),
});
export type Scheme = Static<typeof Scheme>;

export const SchemeSummary = Type.Object({
  version: Type.Integer(),
  status: SchemeStatusSchema,
  name: Type.String(),
  categoryCount: Type.Integer(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  publishedAt: Nullable(IsoDateTime),
});
export type SchemeSummary = Static<typeof SchemeSummary>;

/** The editable parts of a scheme (PUT /api/grading/schemes/draft). Levels themselves are fixed platform-wide. */
export const SchemeDraft = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: MAX_SCHEME_NAME_LENGTH }),
    notes: Type.Optional(Nullable(Type.String({ maxLength: MAX_SCHEME_NOTES_LENGTH }))),
    categories: CategoryTreeInput,
    matrix: Type.Array(MatrixEntry, { maxItems: 60 }),
    controls: LevelControlsInput,
  },
  { additionalProperties: false },
);
export type SchemeDraft = Static<typeof SchemeDraft>;

export const VersionParams = Type.Object({ version: Type.Integer({ minimum: 1, maximum: 1_000_000 }) }, { additionalProperties: false });

export const HarmInput = Type.Object({ object: HarmObjectSchema, degree: HarmDegreeSchema }, { additionalProperties: false });
export const DetermineBody = Type.Object({ harms: Type.Array(HarmInput, { minItems: 1, maxItems: HARM_OBJECTS.length }) }, { additionalProperties: false });
export type DetermineBody = Static<typeof DetermineBody>;

export const Determination = Type.Object({ level: LevelSchema, basis: Type.Array(MatrixEntry) });
export type Determination = Static<typeof Determination>;
