// API schemas for login, sessions, the user's own security settings and API tokens.
import { type Static, Type } from 'typebox';
import { IsoDateTime, Nullable, StrEnum, Uuid } from '../../app/schema-helpers.ts';
import { InstitutionKind, RoleSchema } from '../org/org.schemas.ts';
import { PERMISSIONS } from '../org/roles.ts';

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
    totpCode: Type.Optional(Type.String({ maxLength: 6, pattern: '^[0-9]{6}$' })),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const Me = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  institutionId: Uuid,
  institutionName: Type.String(),
  institutionKind: InstitutionKind,
  roles: Type.Array(Type.Object({ id: Uuid, role: RoleSchema, institutionId: Uuid, institutionName: Type.String() })),
  permissions: Type.Array(Type.String()),
  totpEnabled: Type.Boolean(),
  totpRequired: Type.Boolean(),
  passwordExpiresAt: IsoDateTime,
  /** Set when the password expired or was reset: only the password change is allowed until done. */
  mustChangePassword: Type.Boolean(),
  /** Set when a privileged role needs TOTP that is not enrolled yet: only enrolment is allowed until done. */
  totpEnrolmentRequired: Type.Boolean(),
});
export type Me = Static<typeof Me>;

export const SessionInfo = Type.Object({ user: Me, csrfToken: Type.String(), expiresAt: IsoDateTime });
export type SessionInfo = Static<typeof SessionInfo>;

export const PasswordChange = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 128 }), newPassword: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);
export type PasswordChange = Static<typeof PasswordChange>;

export const TotpSetup = Type.Object({ secret: Type.String(), otpauthUri: Type.String(), qrDataUrl: Type.String() });
export const TotpConfirm = Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$', maxLength: 6 }) }, { additionalProperties: false });
export const TotpDisable = Type.Object(
  { password: Type.String({ minLength: 1, maxLength: 128 }), code: Type.String({ pattern: '^[0-9]{6}$', maxLength: 6 }) },
  { additionalProperties: false },
);

export const PermissionSchema = StrEnum(PERMISSIONS);
export const ApiToken = Type.Object({
  id: Uuid,
  name: Type.String(),
  prefix: Type.String(),
  scopes: Type.Array(PermissionSchema),
  expiresAt: IsoDateTime,
  createdAt: IsoDateTime,
  lastUsedAt: Nullable(IsoDateTime),
  revokedAt: Nullable(IsoDateTime),
});
export type ApiToken = Static<typeof ApiToken>;
export const ApiTokenCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    scopes: Type.Array(PermissionSchema, { minItems: 1, maxItems: 32, uniqueItems: true }),
    expiresInDays: Type.Integer({ minimum: 1, maximum: 365 }),
  },
  { additionalProperties: false },
);
export type ApiTokenCreate = Static<typeof ApiTokenCreate>;
export const ApiTokenCreated = Type.Object({ token: Type.String({ description: '只显示一次 / shown once' }), apiToken: ApiToken });

export const ActiveSession = Type.Object({
  id: Type.String(),
  current: Type.Boolean(),
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  createdAt: IsoDateTime,
  lastSeenAt: IsoDateTime,
  expiresAt: IsoDateTime,
});
