// API schemas of the data resource catalog (AST-4, AST-11, LIF-1, CLS-5 controls query). The web app
// imports these types.
import { type Static, Type } from 'typebox';
import { IsoDateTime, Nullable, Page, Paged, StrEnum, Uuid } from '../../app/schema-helpers.ts';
import { FIELD_DATA_TYPES, OPEN_ATTRIBUTES, PI_SOURCES, PI_TYPES, SHARE_ATTRIBUTES, UPDATE_FREQUENCIES } from './catalog.constants.ts';
import { GRADING_STATUSES } from './levels.ts';
import { Controls, LevelSchema } from './scheme.schemas.ts';

export const ShareAttributeSchema = StrEnum(SHARE_ATTRIBUTES);
export const OpenAttributeSchema = StrEnum(OPEN_ATTRIBUTES);
export const UpdateFrequencySchema = StrEnum(UPDATE_FREQUENCIES);
export const FieldDataTypeSchema = StrEnum(FIELD_DATA_TYPES);
export const GradingStatusSchema = StrEnum(GRADING_STATUSES);
export const PiTypeSchema = StrEnum(PI_TYPES);

const ResourceName = Type.String({ minLength: 1, maxLength: 200 });
const Description = Type.String({ maxLength: 2000 });
const Basis = Type.String({ maxLength: 1000 });
const CollectionText = Type.String({ maxLength: 1000 });
/** Ten trillion rows: far above any real table, far below 2^53 (exact in JSON and in sums). */
const Count = Type.Integer({ minimum: 0, maximum: 1e13 });
/** Distinct people: ten billion is more than everyone alive. */
const People = Type.Integer({ minimum: 0, maximum: 1e10 });

export const FieldInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    dataType: FieldDataTypeSchema,
    description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false },
);
export type FieldInput = Static<typeof FieldInput>;

/** LIF-1 collection record. Every part optional while being filled in; `collectionComplete` says when all five are. */
export const CollectionRecord = Type.Object(
  {
    purpose: Type.Optional(CollectionText),
    legalBasis: Type.Optional(CollectionText),
    method: Type.Optional(CollectionText),
    frequency: Type.Optional(CollectionText),
    scope: Type.Optional(CollectionText),
  },
  { additionalProperties: false },
);
export type CollectionRecord = Static<typeof CollectionRecord>;

/** AST-11 PI declaration: records holding PI, distinct people covered, and whether any of it is sensitive. */
export const PiDeclaration = Type.Object({ records: Count, people: People, sensitive: Type.Boolean() }, { additionalProperties: false });
export type PiDeclaration = Static<typeof PiDeclaration>;

const MAX_FIELDS = 1000;

export const ResourceCreate = Type.Object(
  {
    systemId: Uuid,
    name: ResourceName,
    description: Type.Optional(Nullable(Description)),
    fields: Type.Array(FieldInput, { maxItems: MAX_FIELDS }),
    shareAttribute: ShareAttributeSchema,
    shareBasis: Type.Optional(Nullable(Basis)),
    openAttribute: OpenAttributeSchema,
    openBasis: Type.Optional(Nullable(Basis)),
    updateFrequency: Type.Optional(Nullable(UpdateFrequencySchema)),
    recordCount: Type.Optional(Nullable(Count)),
    retentionMonths: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1200 }))),
    collection: Type.Optional(CollectionRecord),
    pi: Type.Optional(Nullable(PiDeclaration)),
    published: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ResourceCreate = Static<typeof ResourceCreate>;

/** PATCH: any subset; `fields` replaces the list (by name: labels kept for names that stay). */
export const ResourceUpdate = Type.Object(
  {
    systemId: Type.Optional(Uuid),
    name: Type.Optional(ResourceName),
    description: Type.Optional(Nullable(Description)),
    fields: Type.Optional(Type.Array(FieldInput, { maxItems: MAX_FIELDS })),
    shareAttribute: Type.Optional(ShareAttributeSchema),
    shareBasis: Type.Optional(Nullable(Basis)),
    openAttribute: Type.Optional(OpenAttributeSchema),
    openBasis: Type.Optional(Nullable(Basis)),
    updateFrequency: Type.Optional(Nullable(UpdateFrequencySchema)),
    recordCount: Type.Optional(Nullable(Count)),
    retentionMonths: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1200 }))),
    /** Replaces the whole collection record. */
    collection: Type.Optional(CollectionRecord),
    pi: Type.Optional(Nullable(PiDeclaration)),
    published: Type.Optional(Type.Boolean()),
    /** Optimistic concurrency: the version the editor saw. */
    version: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);
export type ResourceUpdate = Static<typeof ResourceUpdate>;

export const ResourceQuery = Type.Intersect([
  Page,
  Type.Object(
    {
      q: Type.Optional(Type.String({ maxLength: 100 })),
      institutionId: Type.Optional(Uuid),
      systemId: Type.Optional(Uuid),
      level: Type.Optional(LevelSchema),
      shareAttribute: Type.Optional(ShareAttributeSchema),
      openAttribute: Type.Optional(OpenAttributeSchema),
      /** Holds personal information (declared counts or PI-labelled fields). */
      pi: Type.Optional(Type.Boolean()),
      gradingStatus: Type.Optional(GradingStatusSchema),
      published: Type.Optional(Type.Boolean()),
      /** LIF-1: all five parts of the collection record filled in. */
      collectionComplete: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
]);
export type ResourceQuery = Static<typeof ResourceQuery>;

export const Field = Type.Object({
  id: Uuid,
  position: Type.Integer(),
  name: Type.String(),
  dataType: FieldDataTypeSchema,
  description: Nullable(Type.String()),
  // CLS-3 labels, set by an approved grading.
  category: Nullable(Type.String()),
  level: Nullable(Type.String()),
  piType: Nullable(Type.String()),
  piSensitive: Type.Boolean(),
});
export type Field = Static<typeof Field>;

export const ResourceSummary = Type.Object({
  id: Uuid,
  institutionId: Uuid,
  institutionName: Type.String(),
  systemId: Uuid,
  systemName: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  shareAttribute: ShareAttributeSchema,
  openAttribute: OpenAttributeSchema,
  updateFrequency: Nullable(UpdateFrequencySchema),
  recordCount: Nullable(Type.Integer()),
  level: Nullable(Type.String()),
  categories: Type.Array(Type.String()),
  gradingStatus: GradingStatusSchema,
  published: Type.Boolean(),
  holdsPi: Type.Boolean(),
  collectionComplete: Type.Boolean(),
  fieldCount: Type.Integer(),
  /** With `q`: the names of fields whose name or description matched (up to 10). */
  matchedFields: Type.Array(Type.String()),
  version: Type.Integer(),
  updatedAt: IsoDateTime,
});
export type ResourceSummary = Static<typeof ResourceSummary>;
export const ResourcePage = Paged(ResourceSummary);

export const ResourceControls = Type.Object({
  resourceId: Uuid,
  /** The resource's approved level; null while ungraded. */
  level: Nullable(Type.String()),
  /**
   * 'level': the controls of the resource's level. 'fail_safe': the resource has no level the scheme
   * knows (ungraded, or graded under a level the current scheme dropped), so the strictest controls apply.
   */
  basis: StrEnum(['level', 'fail_safe'] as const),
  schemeVersion: Type.Integer(),
  controls: Controls,
});
export type ResourceControls = Static<typeof ResourceControls>;

export const PiInventoryEntry = Type.Object({
  /** The resource holds PI (declared counts above zero, or fields labelled as PI). */
  holdsPi: Type.Boolean(),
  /** Counts were declared (or discovered); false when only field labels show PI. */
  declared: Type.Boolean(),
  records: Nullable(Type.Integer()),
  people: Nullable(Type.Integer()),
  /** Sensitive PI: declared so, or a field is labelled sensitive. */
  sensitive: Type.Boolean(),
  source: Nullable(StrEnum(PI_SOURCES)),
  piFields: Type.Array(Type.Object({ id: Uuid, name: Type.String(), piType: Nullable(Type.String()), piSensitive: Type.Boolean() })),
});
export type PiInventoryEntry = Static<typeof PiInventoryEntry>;

export const LatestGrading = Type.Object({
  id: Uuid,
  status: Type.String(),
  schemeVersion: Type.Integer(),
  proposedLevel: Type.String(),
  chosenLevel: Type.String(),
  gradedAt: IsoDateTime,
  decidedAt: Nullable(IsoDateTime),
});

export const ResourceDetail = Type.Object({
  id: Uuid,
  institutionId: Uuid,
  institutionName: Type.String(),
  systemId: Uuid,
  systemName: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  fields: Type.Array(Field),
  shareAttribute: ShareAttributeSchema,
  shareBasis: Nullable(Type.String()),
  openAttribute: OpenAttributeSchema,
  openBasis: Nullable(Type.String()),
  updateFrequency: Nullable(UpdateFrequencySchema),
  recordCount: Nullable(Type.Integer()),
  retentionMonths: Nullable(Type.Integer()),
  collection: CollectionRecord,
  /** LIF-1: purpose, legal basis, method/channel, frequency and scope all present. */
  collectionComplete: Type.Boolean(),
  /** The parts still missing, in COLLECTION_PARTS order. */
  collectionMissing: Type.Array(Type.String()),
  pi: Nullable(Type.Object({ records: Type.Integer(), people: Type.Integer(), sensitive: Type.Boolean(), source: StrEnum(PI_SOURCES) })),
  piInventory: PiInventoryEntry,
  published: Type.Boolean(),
  categories: Type.Array(Type.String()),
  level: Nullable(Type.String()),
  gradingStatus: GradingStatusSchema,
  latestGrading: Nullable(LatestGrading),
  /** CLS-5: what the rest of the platform enforces for this resource (GET /api/resources/:id/controls). */
  controls: ResourceControls,
  /** The caller may edit this resource (catalog.manage at its institution). */
  editable: Type.Boolean(),
  version: Type.Integer(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type ResourceDetail = Static<typeof ResourceDetail>;

export const PiInventoryQuery = Type.Object({ institutionId: Type.Optional(Uuid) }, { additionalProperties: false });
export type PiInventoryQuery = Static<typeof PiInventoryQuery>;

export const PiInventory = Type.Object({
  /**
   * 'sum_of_declared': totals add each resource's declared people. One person held in several resources
   * counts once per resource: without the people themselves, distinct totals cannot be computed, so a total
   * may overstate the distinct people (never understate them, as long as declarations are right).
   */
  basis: StrEnum(['sum_of_declared'] as const),
  thresholds: Type.Object({ people: Type.Integer(), sensitivePeople: Type.Integer() }),
  institutions: Type.Array(
    Type.Object({
      institutionId: Uuid,
      institutionName: Type.String(),
      resources: Type.Array(
        Type.Object({
          id: Uuid,
          name: Type.String(),
          systemId: Uuid,
          systemName: Type.String(),
          records: Nullable(Type.Integer()),
          people: Nullable(Type.Integer()),
          sensitive: Type.Boolean(),
          declared: Type.Boolean(),
          source: Nullable(StrEnum(PI_SOURCES)),
          piFieldCount: Type.Integer(),
        }),
      ),
      totals: Type.Object({ records: Type.Integer(), people: Type.Integer(), sensitivePeople: Type.Integer() }),
      /** Resources with PI-labelled fields but no declared counts: the totals leave them out. */
      undeclaredResources: Type.Integer(),
      /** ORG-4: people ≥ thresholds.people, sensitive people > thresholds.sensitivePeople. */
      crossed: Type.Object({ people: Type.Boolean(), sensitivePeople: Type.Boolean() }),
      officerRequired: Type.Boolean(),
      /** The institution profile names a PI protection officer (profile.piOfficer). */
      piOfficerNamed: Type.Boolean(),
      piOfficerName: Nullable(Type.String()),
      /** ORG-4 met: no officer required, or one named. */
      compliant: Type.Boolean(),
    }),
  ),
});
export type PiInventory = Static<typeof PiInventory>;

export const ResourceIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
