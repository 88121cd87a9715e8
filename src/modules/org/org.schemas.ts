// API schemas for institutions, people and roles (ORG-1..7, PRT-1..3). The web app imports these types.
import { type Static, Type } from 'typebox';
import { IsoDateTime, Nullable, Page, Paged, StrEnum, Uuid } from '../../app/schema-helpers.ts';
import { ADMIN_LEVELS, INSTITUTION_KINDS, SECTORS } from './org.constants.ts';
import { ROLES } from './roles.ts';

const Name = Type.String({ minLength: 1, maxLength: 100 });
const ShortText = Type.String({ maxLength: 100 });
const Phone = Type.String({ maxLength: 32, pattern: '^[0-9+()\\- ]*$' });
const Email = Type.String({ maxLength: 254, format: 'email' });

const Person = Type.Object(
  {
    name: Name,
    title: Type.Optional(ShortText),
    department: Type.Optional(ShortText),
    phone: Type.Optional(Phone),
    email: Type.Optional(Email),
  },
  { additionalProperties: false },
);

/** The institution profile (ORG-1, ORG-2, ORG-4, ORG-5, ORG-7). Every field optional: filled over time. */
export const InstitutionProfile = Type.Object(
  {
    securityLead: Type.Optional(Person),
    managingDepartment: Type.Optional(ShortText),
    leadershipGroup: Type.Optional(
      Type.Object(
        {
          chair: Person,
          chairIsHead: Type.Boolean({ description: '组长是否为本单位主要负责人 (HZ-7)' }),
          members: Type.Array(Person, { maxItems: 50 }),
          establishedOn: Type.Optional(Type.String({ format: 'date' })),
        },
        { additionalProperties: false },
      ),
    ),
    emergencyBody: Type.Optional(ShortText),
    piOfficer: Type.Optional(Person),
    budgets: Type.Optional(
      Type.Array(
        Type.Object(
          {
            year: Type.Integer({ minimum: 2000, maximum: 2100 }),
            amountFen: Type.Integer({ minimum: 0, maximum: 1e13, description: '金额（分）' }),
            note: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        { maxItems: 30 },
      ),
    ),
    contacts: Type.Optional(
      Type.Array(
        Type.Object({ name: Name, duty: Type.Optional(ShortText), phone: Type.Optional(Phone), email: Type.Optional(Email) }, { additionalProperties: false }),
        { maxItems: 20 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type InstitutionProfile = Static<typeof InstitutionProfile>;

export const InstitutionKind = StrEnum(INSTITUTION_KINDS);
export const AdminLevel = StrEnum(ADMIN_LEVELS);
export const SectorSchema = StrEnum(SECTORS);
// Unified social credit code (GB 32100): 18 characters; the checksum is verified in the service.
const CreditCode = Type.String({ minLength: 18, maxLength: 18, pattern: '^[0-9A-HJ-NP-RTUWXY]{18}$' });

export const Institution = Type.Object({
  id: Uuid,
  parentId: Nullable(Uuid),
  kind: InstitutionKind,
  name: Type.String(),
  shortName: Nullable(Type.String()),
  code: Nullable(Type.String()),
  adminLevel: Nullable(AdminLevel),
  sector: SectorSchema,
  status: StrEnum(['active', 'closed'] as const),
  profile: InstitutionProfile,
  version: Type.Integer(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Institution = Static<typeof Institution>;

export const InstitutionSummary = Type.Object({
  id: Uuid,
  parentId: Nullable(Uuid),
  kind: InstitutionKind,
  name: Type.String(),
  adminLevel: Nullable(AdminLevel),
  sector: SectorSchema,
  status: StrEnum(['active', 'closed'] as const),
  userCount: Type.Integer(),
});
export type InstitutionSummary = Static<typeof InstitutionSummary>;

export const InstitutionTreeNode = Type.Object({
  id: Uuid,
  parentId: Nullable(Uuid),
  kind: InstitutionKind,
  name: Type.String(),
  adminLevel: Nullable(AdminLevel),
  sector: SectorSchema,
  status: StrEnum(['active', 'closed'] as const),
});
export type InstitutionTreeNode = Static<typeof InstitutionTreeNode>;

export const InstitutionCreate = Type.Object(
  {
    parentId: Uuid,
    kind: InstitutionKind,
    name: Name,
    shortName: Type.Optional(Type.String({ maxLength: 50 })),
    code: Type.Optional(CreditCode),
    adminLevel: Type.Optional(AdminLevel),
    sector: SectorSchema,
    profile: Type.Optional(InstitutionProfile),
  },
  { additionalProperties: false },
);
export type InstitutionCreate = Static<typeof InstitutionCreate>;

export const InstitutionUpdate = Type.Object(
  {
    name: Type.Optional(Name),
    shortName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
    code: Type.Optional(Nullable(CreditCode)),
    sector: Type.Optional(SectorSchema),
    status: Type.Optional(StrEnum(['active', 'closed'] as const)),
    profile: Type.Optional(InstitutionProfile),
    /** Optimistic concurrency: the version the editor saw. */
    version: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);
export type InstitutionUpdate = Static<typeof InstitutionUpdate>;

export const InstitutionQuery = Type.Intersect([
  Page,
  Type.Object(
    {
      q: Type.Optional(Type.String({ maxLength: 100 })),
      kind: Type.Optional(InstitutionKind),
      sector: Type.Optional(SectorSchema),
      parentId: Type.Optional(Uuid),
      status: Type.Optional(StrEnum(['active', 'closed'] as const)),
    },
    { additionalProperties: false },
  ),
]);
export type InstitutionQuery = Static<typeof InstitutionQuery>;
export const InstitutionPage = Paged(InstitutionSummary);

export const ReadGrant = Type.Object({
  id: Uuid,
  regulatorId: Uuid,
  regulatorName: Type.String(),
  institutionId: Uuid,
  institutionName: Type.String(),
  note: Nullable(Type.String()),
  createdAt: IsoDateTime,
});
export type ReadGrant = Static<typeof ReadGrant>;
export const ReadGrantCreate = Type.Object({ institutionId: Uuid, note: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });

// People and roles
export const RoleSchema = StrEnum(ROLES);
const Username = Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' });

export const RoleAssignment = Type.Object({
  id: Uuid,
  role: RoleSchema,
  institutionId: Uuid,
  institutionName: Type.String(),
  createdAt: IsoDateTime,
});
export type RoleAssignment = Static<typeof RoleAssignment>;

export const User = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  institutionId: Uuid,
  institutionName: Type.String(),
  institutionKind: InstitutionKind,
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  status: StrEnum(['active', 'disabled'] as const),
  totpEnabled: Type.Boolean(),
  locked: Type.Boolean(),
  lockedUntil: Nullable(IsoDateTime),
  passwordChangedAt: IsoDateTime,
  lastLoginAt: Nullable(IsoDateTime),
  roles: Type.Array(RoleAssignment),
  createdAt: IsoDateTime,
});
export type User = Static<typeof User>;

export const UserCreate = Type.Object(
  {
    username: Username,
    displayName: Name,
    institutionId: Uuid,
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
    /** Leave out to have a compliant one generated and shown once. */
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  },
  { additionalProperties: false },
);
export type UserCreate = Static<typeof UserCreate>;

export const UserUpdate = Type.Object(
  {
    displayName: Type.Optional(Name),
    email: Type.Optional(Nullable(Email)),
    phone: Type.Optional(Nullable(Phone)),
    status: Type.Optional(StrEnum(['active', 'disabled'] as const)),
  },
  { additionalProperties: false },
);
export type UserUpdate = Static<typeof UserUpdate>;

export const UserQuery = Type.Intersect([
  Page,
  Type.Object(
    {
      q: Type.Optional(Type.String({ maxLength: 100 })),
      institutionId: Type.Optional(Uuid),
      role: Type.Optional(RoleSchema),
      status: Type.Optional(StrEnum(['active', 'disabled'] as const)),
    },
    { additionalProperties: false },
  ),
]);
export type UserQuery = Static<typeof UserQuery>;
export const UserPage = Paged(User);

export const UserCreated = Type.Object({ user: User, initialPassword: Type.String() });
export const PasswordIssued = Type.Object({ temporaryPassword: Type.String() });

export const RoleAssign = Type.Object({ role: RoleSchema, institutionId: Uuid }, { additionalProperties: false });
export type RoleAssign = Static<typeof RoleAssign>;

export const RoleCatalogEntry = Type.Object({
  role: RoleSchema,
  zh: Type.String(),
  en: Type.String(),
  privileged: Type.Boolean(),
  dutyGroup: Nullable(Type.String()),
  institutionKinds: Type.Array(InstitutionKind),
  permissions: Type.Array(Type.String()),
});
export type RoleCatalogEntry = Static<typeof RoleCatalogEntry>;

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const UserRoleParams = Type.Object({ id: Uuid, assignmentId: Uuid }, { additionalProperties: false });
export const GrantParams = Type.Object({ id: Uuid, grantId: Uuid }, { additionalProperties: false });
