// API schemas of resource grading (CLS-2..4) and the grading dashboard. The web imports these.
import { type Static, Type } from 'typebox';
import { IsoDateTime, Nullable, StrEnum, Uuid } from '../../app/schema-helpers.ts';
import { HARM_OBJECTS } from '../../engines/grading/harms.ts';
import { LEVELS } from '../../engines/grading/levels.ts';
import { PI_TYPES } from './catalog.constants.ts';
import { CategoryCode, HarmDegreeSchema, HarmObjectSchema, LevelSchema } from './scheme.schemas.ts';

export const GradingStatusSchema = StrEnum(['pending', 'approved', 'rejected', 'withdrawn'] as const);
/** PI types of catalog.constants.ts (PIPL art. 28, GB/T 35273), the same list the resources API labels with. */
const PiType = StrEnum(PI_TYPES);
const Reason = Type.String({ maxLength: 1000 });

export const HarmAssessment = Type.Object(
  {
    object: HarmObjectSchema,
    degree: HarmDegreeSchema,
    /** Why this degree: scale, precision, coverage, … (GB/T 43697 factors). */
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);

export const FieldLabelInput = Type.Object(
  {
    fieldId: Uuid,
    category: Type.Optional(CategoryCode),
    level: LevelSchema,
    piType: Type.Optional(PiType),
    piSensitive: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const GradingProposal = Type.Object(
  {
    categories: Type.Array(CategoryCode, { minItems: 1, maxItems: 20 }),
    harms: Type.Array(HarmAssessment, { minItems: 1, maxItems: HARM_OBJECTS.length }),
    chosenLevel: LevelSchema,
    /** Required when chosenLevel differs from the level the matrix proposes. */
    overrideReason: Type.Optional(Reason),
    fieldLabels: Type.Array(FieldLabelInput, { maxItems: 2000 }),
  },
  { additionalProperties: false },
);
export type GradingProposal = Static<typeof GradingProposal>;

export const GradingDecision = Type.Object(
  {
    decision: StrEnum(['approve', 'reject'] as const),
    /** Required to reject. */
    reason: Type.Optional(Reason),
  },
  { additionalProperties: false },
);
export type GradingDecision = Static<typeof GradingDecision>;

const PersonRef = Nullable(Type.Object({ id: Uuid, name: Type.String() }));

export const Grading = Type.Object({
  id: Uuid,
  resourceId: Uuid,
  resourceName: Type.String(),
  institutionId: Uuid,
  schemeVersion: Type.Integer(),
  categories: Type.Array(Type.String()),
  harms: Type.Array(Type.Object({ object: HarmObjectSchema, degree: HarmDegreeSchema, reason: Type.String(), level: LevelSchema })),
  proposedLevel: LevelSchema,
  chosenLevel: LevelSchema,
  overrideReason: Nullable(Type.String()),
  fieldLabels: Type.Array(
    Type.Object({
      fieldId: Uuid,
      fieldName: Type.String(),
      category: Nullable(Type.String()),
      level: LevelSchema,
      piType: Nullable(PiType),
      piSensitive: Type.Boolean(),
    }),
  ),
  status: GradingStatusSchema,
  gradedBy: PersonRef,
  gradedAt: IsoDateTime,
  decidedBy: PersonRef,
  decidedAt: Nullable(IsoDateTime),
  decisionReason: Nullable(Type.String()),
});
export type Grading = Static<typeof Grading>;

const LevelCounts = Type.Object(Object.fromEntries(LEVELS.map((l) => [l, Type.Integer()])) as Record<(typeof LEVELS)[number], ReturnType<typeof Type.Integer>>);
export type LevelCounts = Static<typeof LevelCounts>;

const DashboardCounts = {
  resources: Type.Integer(),
  /** Resources with an approved level. */
  graded: Type.Integer(),
  /** Resources without an approved level (never graded, or only rejected proposals so far). */
  ungraded: Type.Integer(),
  /** Proposals waiting for a security officer. */
  pending: Type.Integer(),
  byLevel: LevelCounts,
  /** Filings made after their 15-working-day deadline (AST-2); null outside the caller's system.read reach. */
  lateFilings: Nullable(Type.Integer()),
  /** Filings still awaiting review although their deadline has passed; null outside system.read reach. */
  overdueFilings: Nullable(Type.Integer()),
};

export const GradingDashboard = Type.Object({
  schemeVersion: Type.Integer(),
  totals: Type.Object(DashboardCounts),
  institutions: Type.Array(Type.Object({ institutionId: Uuid, institutionName: Type.String(), ...DashboardCounts })),
});
export type GradingDashboard = Static<typeof GradingDashboard>;

export const GradingIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
