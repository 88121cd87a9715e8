// Open data releases (LIF-7, HZ-26, GZ-17, ZZ-23; docs/sharing-contract.md "Open data"): TypeBox schemas for the
// authenticated routes (propose, check, submit, review, withdraw, refresh) and the public portal.
import { type Static, Type } from 'typebox';
import { IsoDateTime, Nullable, Page, PersonRef, StrEnum, Uuid } from '../../app/schema-helpers.ts';
import { HierarchySchema } from '../protection/anonymity.schemas.ts';

export const RELEASE_STATUSES = ['draft', 'submitted', 'published', 'rejected', 'withdrawn'] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];
export const CHANGE_KINDS = ['published', 'refreshed', 'withdrawn'] as const;

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Msg = Type.Object({ zh: Type.String(), en: Type.String() });

export const ReleaseIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const ReleaseFileParams = Type.Object({ id: Uuid, fileId: Uuid }, { additionalProperties: false });

export const QuasiIdentifier = Type.Object(
  { field: Type.String({ minLength: 1, maxLength: 200 }), hierarchy: HierarchySchema },
  { additionalProperties: false },
);

export const ReleaseCreate = Type.Object(
  {
    resourceId: Uuid,
    title: Text(200),
    description: Text(4000),
    /** Names of the resource's fields to open, in the order the file lists them. */
    fields: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 200 }),
    /** Fields that, combined, could single out a person (empty: the data holds no personal records). */
    quasiIdentifiers: Type.Array(QuasiIdentifier, { maxItems: 8 }),
    k: Type.Integer({ minimum: 2, maximum: 10000 }),
    /** Rows that may be withheld (those in classes smaller than k); default 0. */
    maxSuppression: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    licence: Text(500),
  },
  { additionalProperties: false },
);
export type ReleaseCreate = Static<typeof ReleaseCreate>;

export const ReleaseQuery = Type.Intersect([
  Page,
  Type.Object(
    {
      q: Type.Optional(Type.String({ maxLength: 200 })),
      status: Type.Optional(StrEnum(RELEASE_STATUSES)),
      institutionId: Type.Optional(Uuid),
      resourceId: Type.Optional(Uuid),
    },
    { additionalProperties: false },
  ),
]);
export type ReleaseQuery = Static<typeof ReleaseQuery>;

const TradeSecrets = Type.Union([
  Type.Literal(false),
  Type.Object({ basis: StrEnum(['consent', 'public_interest'] as const), note: Text(2000) }, { additionalProperties: false }),
]);

export const ReleaseReview = Type.Object(
  {
    decision: StrEnum(['approve', 'reject'] as const),
    /** GZ-17: what the reviewer confirms the release does not contain (trade secrets only with consent or public interest). */
    confirmations: Type.Optional(
      Type.Object(
        {
          stateSecrets: Type.Optional(Type.Boolean()),
          personalInformation: Type.Optional(Type.Boolean()),
          tradeSecrets: Type.Optional(Type.Union([Type.Boolean(), TradeSecrets])),
        },
        { additionalProperties: false },
      ),
    ),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type ReleaseReview = Static<typeof ReleaseReview>;

export const ReleaseNote = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });
export type ReleaseNote = Static<typeof ReleaseNote>;

export const ReleaseField = Type.Object({ name: Type.String(), description: Nullable(Type.String()), dataType: Type.String() });

const GradeCheck = Type.Object({
  passed: Type.Boolean(),
  reason: Msg,
  resource: Type.Object({ level: Nullable(Type.String()), openAttribute: Nullable(Type.String()), passed: Type.Boolean(), reason: Msg }),
  fields: Type.Array(Type.Object({ field: Type.String(), level: Nullable(Type.String()), openMethod: Type.String(), passed: Type.Boolean(), reason: Msg })),
});
const PiCheck = Type.Object({
  passed: Type.Boolean(),
  reason: Msg,
  rows: Type.Integer(),
  columns: Type.Array(
    Type.Object({
      field: Type.String(),
      nonEmpty: Type.Integer(),
      piTypes: Type.Array(Type.String()),
      types: Type.Array(Type.Object({ type: Type.String(), share: Type.Number(), confidence: Type.Number() })),
      passed: Type.Boolean(),
    }),
  ),
});
const AnonymityCheck = Type.Object({
  passed: Type.Boolean(),
  reason: Msg,
  quasiIdentifiers: Type.Array(Type.String()),
  k: Type.Integer(),
  maxSuppression: Type.Integer(),
  rows: Type.Integer(),
  classes: Type.Integer(),
  smallestClass: Type.Integer(),
  violatingRows: Type.Integer(),
  /** The anonymity service's look at the stored data: is it k-anonymous as it is, and the least-loss generalisation. */
  advice: Type.Optional(
    Nullable(
      Type.Object({
        kAnonymousAsStored: Type.Boolean(),
        generalisationFound: Type.Boolean(),
        levelNames: Nullable(Type.Record(Type.String(), Type.String())),
        suppressedRows: Nullable(Type.Integer()),
      }),
    ),
  ),
});
export const ReleaseChecks = Type.Object({
  passed: Type.Boolean(),
  datasetVersion: Nullable(Type.Integer()),
  grade: GradeCheck,
  personalInformation: PiCheck,
  anonymity: AnonymityCheck,
});
export type ReleaseChecks = Static<typeof ReleaseChecks>;

export const ReleaseFile = Type.Object({
  id: Uuid,
  seq: Type.Integer(),
  sm3: Type.String(),
  rows: Type.Integer(),
  bytes: Type.Integer(),
  datasetVersion: Type.Integer(),
  createdAt: IsoDateTime,
});
export const ReleaseChange = Type.Object({
  at: IsoDateTime,
  kind: StrEnum(CHANGE_KINDS),
  note: Nullable(Type.String()),
  by: Nullable(PersonRef),
  fileSm3: Nullable(Type.String()),
});

const Ref = Type.Object({ id: Uuid, name: Type.String() });

export const ReleaseSummary = Type.Object({
  id: Uuid,
  number: Type.String(),
  title: Type.String(),
  resource: Ref,
  institution: Ref,
  status: StrEnum(RELEASE_STATUSES),
  checksPassed: Type.Boolean(),
  checkedAt: Nullable(IsoDateTime),
  proposedBy: PersonRef,
  publishedAt: Nullable(IsoDateTime),
  downloads: Type.Integer(),
  createdAt: IsoDateTime,
});
export type ReleaseSummary = Static<typeof ReleaseSummary>;

export const Release = Type.Object({
  ...ReleaseSummary.properties,
  description: Type.String(),
  fields: Type.Array(ReleaseField),
  quasiIdentifiers: Type.Array(Type.Object({ field: Type.String(), hierarchy: Type.Record(Type.String(), Type.Unknown()) })),
  k: Type.Integer(),
  maxSuppression: Type.Integer(),
  licence: Type.String(),
  checks: Nullable(ReleaseChecks),
  confirmations: Nullable(Type.Record(Type.String(), Type.Unknown())),
  submittedBy: Nullable(PersonRef),
  submittedAt: Nullable(IsoDateTime),
  reviewedBy: Nullable(PersonRef),
  reviewedAt: Nullable(IsoDateTime),
  reviewReason: Nullable(Type.String()),
  withdrawnAt: Nullable(IsoDateTime),
  currentFileId: Nullable(Uuid),
  files: Type.Array(ReleaseFile),
  changes: Type.Array(ReleaseChange),
  version: Type.Integer(),
  can: Type.Object({
    check: Type.Boolean(),
    submit: Type.Boolean(),
    review: Type.Boolean(),
    withdraw: Type.Boolean(),
    refresh: Type.Boolean(),
  }),
});
export type Release = Static<typeof Release>;

export const ReleaseList = Type.Object({ items: Type.Array(ReleaseSummary), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });

// ── the public portal (no login) ──────────────────────────────────────────────────────────────────────
export const PublicQuery = Type.Intersect([Page, Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false })]);
export type PublicQuery = Static<typeof PublicQuery>;

export const PublicReleaseSummary = Type.Object({
  id: Uuid,
  number: Type.String(),
  title: Type.String(),
  description: Type.String(),
  institution: Ref,
  licence: Type.String(),
  publishedAt: IsoDateTime,
  updatedAt: IsoDateTime,
  rows: Type.Integer(),
  downloads: Type.Integer(),
});
export type PublicReleaseSummary = Static<typeof PublicReleaseSummary>;

export const PublicReleaseList = Type.Object({
  items: Type.Array(PublicReleaseSummary),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

export const PublicRelease = Type.Object({
  ...PublicReleaseSummary.properties,
  fields: Type.Array(ReleaseField),
  file: Type.Object({ sm3: Type.String(), rows: Type.Integer(), bytes: Type.Integer(), createdAt: IsoDateTime }),
  changelog: Type.Array(Type.Object({ at: IsoDateTime, kind: StrEnum(CHANGE_KINDS), note: Nullable(Type.String()), fileSm3: Nullable(Type.String()) })),
});
export type PublicRelease = Static<typeof PublicRelease>;
