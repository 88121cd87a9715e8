// API types for the web app, all derived from the server's TypeBox schemas (Static<typeof X>).
// Nothing here is hand-copied except where the server has not published a schema yet (marked PROVISIONAL).
import type { Static } from 'typebox';
import type { AuditEvent as AuditEventSchema, AuditQuery as AuditQuerySchema } from '../../src/modules/audit/audit.schemas.ts';
import type {
  ActiveSession as ActiveSessionSchema,
  ApiTokenCreated as ApiTokenCreatedSchema,
  ApiTokenCreate as ApiTokenCreateSchema,
  ApiToken as ApiTokenSchema,
  LoginBody as LoginBodySchema,
  Me as MeSchema,
  PasswordChange as PasswordChangeSchema,
  SessionInfo as SessionInfoSchema,
  TotpSetup as TotpSetupSchema,
} from '../../src/modules/auth/auth.schemas.ts';
import type {
  InstitutionCreate as InstitutionCreateSchema,
  InstitutionPage as InstitutionPageSchema,
  InstitutionProfile as InstitutionProfileSchema,
  InstitutionQuery as InstitutionQuerySchema,
  Institution as InstitutionSchema,
  InstitutionSummary as InstitutionSummarySchema,
  InstitutionTreeNode as InstitutionTreeNodeSchema,
  InstitutionUpdate as InstitutionUpdateSchema,
  PasswordIssued as PasswordIssuedSchema,
  ReadGrantCreate as ReadGrantCreateSchema,
  ReadGrant as ReadGrantSchema,
  RoleAssignment as RoleAssignmentSchema,
  RoleAssign as RoleAssignSchema,
  RoleCatalogEntry as RoleCatalogEntrySchema,
  UserCreated as UserCreatedSchema,
  UserCreate as UserCreateSchema,
  UserPage as UserPageSchema,
  UserQuery as UserQuerySchema,
  User as UserSchema,
  UserUpdate as UserUpdateSchema,
} from '../../src/modules/org/org.schemas.ts';
import type { SecurityPolicy as SecurityPolicySchema } from '../../src/modules/settings/security-policy.ts';
import type {
  ScheduleCoverage as ScheduleCoverageSchema,
  ScheduleLoad as ScheduleLoadSchema,
  WorkdaySchedule as WorkdayScheduleSchema,
} from '../../src/modules/workdays/workdays.schemas.ts';

export type { Sector } from '../../src/modules/org/org.constants.ts';
export type { Permission, Role } from '../../src/modules/org/roles.ts';

export type LoginBody = Static<typeof LoginBodySchema>;
export type Me = Static<typeof MeSchema>;
export type SessionInfo = Static<typeof SessionInfoSchema>;
export type PasswordChange = Static<typeof PasswordChangeSchema>;
export type TotpSetup = Static<typeof TotpSetupSchema>;
export type ActiveSession = Static<typeof ActiveSessionSchema>;
export type ApiToken = Static<typeof ApiTokenSchema>;
export type ApiTokenCreate = Static<typeof ApiTokenCreateSchema>;
export type ApiTokenCreated = Static<typeof ApiTokenCreatedSchema>;

export type Institution = Static<typeof InstitutionSchema>;
export type InstitutionProfile = Static<typeof InstitutionProfileSchema>;
export type InstitutionSummary = Static<typeof InstitutionSummarySchema>;
export type InstitutionTreeNode = Static<typeof InstitutionTreeNodeSchema>;
export type InstitutionCreate = Static<typeof InstitutionCreateSchema>;
export type InstitutionUpdate = Static<typeof InstitutionUpdateSchema>;
export type InstitutionQuery = Static<typeof InstitutionQuerySchema>;
export type InstitutionPage = Static<typeof InstitutionPageSchema>;
export type InstitutionKind = Institution['kind'];
export type AdminLevel = NonNullable<Institution['adminLevel']>;
export type ReadGrant = Static<typeof ReadGrantSchema>;
export type ReadGrantCreate = Static<typeof ReadGrantCreateSchema>;

export type User = Static<typeof UserSchema>;
export type UserCreate = Static<typeof UserCreateSchema>;
export type UserCreated = Static<typeof UserCreatedSchema>;
export type UserUpdate = Static<typeof UserUpdateSchema>;
export type UserQuery = Static<typeof UserQuerySchema>;
export type UserPage = Static<typeof UserPageSchema>;
export type PasswordIssued = Static<typeof PasswordIssuedSchema>;
export type RoleAssign = Static<typeof RoleAssignSchema>;
export type RoleAssignment = Static<typeof RoleAssignmentSchema>;
export type RoleCatalogEntry = Static<typeof RoleCatalogEntrySchema>;

export type SecurityPolicy = Static<typeof SecurityPolicySchema>;

export type WorkdaySchedule = Static<typeof WorkdayScheduleSchema>;
export type ScheduleLoad = Static<typeof ScheduleLoadSchema>;
export type ScheduleCoverage = Static<typeof ScheduleCoverageSchema>;
// The three calculator responses are declared inline in workdays.routes.ts (no named schema to import).
export interface WorkdayCheck {
  date: string;
  workday: boolean;
}
export interface WorkdayAdd {
  date: string;
  days: number;
  result: string;
}
export interface WorkdayBetween {
  from: string;
  to: string;
  workdays: number;
}

export type AuditEvent = Static<typeof AuditEventSchema>;
export type AuditQuery = Static<typeof AuditQuerySchema>;

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

// ---------------------------------------------------------------------------------------------------
// Catalog (docs/catalog-contract.md): systems registry, resources, scheme, grading (catalogTypes.ts).
export type * from './catalogTypes.ts';
