// API schemas of grants and their client credentials (docs/sharing-contract.md "Grants and the gateway";
// LIF-3, LIF-5, LIF-6, PRT-9). The web app imports these types.
import { type Static, Type } from 'typebox';
import { IsoDate, IsoDateTime, Nullable, Page, Paged, StrEnum, Uuid } from '../../app/schema-helpers.ts';
import { DG12_CASES } from '../../engines/sharing/dg12.ts';
import { RowFilterCondition } from './requests.schemas.ts';

export const GRANT_STATUSES = ['active', 'revoked', 'expired'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];
export const GRANT_STATUS_LABELS: Record<GrantStatus, { zh: string; en: string }> = {
  active: { zh: '有效', en: 'Active' },
  revoked: { zh: '已撤销', en: 'Revoked' },
  expired: { zh: '已到期', en: 'Expired' },
};

const Ref = Type.Object({ id: Uuid, name: Type.String() });

export const ShareGrant = Type.Object({
  id: Uuid,
  number: Type.String(),
  requestId: Uuid,
  agreementId: Uuid,
  resource: Ref,
  provider: Ref,
  recipient: Ref,
  fields: Type.Array(Type.String()),
  rowFilter: Nullable(Type.Array(RowFilterCondition)),
  purpose: Type.String(),
  purposeCode: Type.String(),
  scenario: Type.String(),
  method: StrEnum(['interface', 'file'] as const),
  /** PRT-9: important and core data are reachable only through aggregate queries. */
  aggregateOnly: Type.Boolean(),
  minGroupSize: Type.Integer(),
  termStart: IsoDate,
  termEnd: IsoDate,
  ratePerMinute: Type.Integer(),
  rowsPerDay: Type.Integer(),
  status: StrEnum(GRANT_STATUSES),
  statusReason: Nullable(Type.String()),
  statusChangedAt: Nullable(IsoDateTime),
  createdAt: IsoDateTime,
  /** Today's (Beijing day) gateway calls and rows delivered. */
  usage: Type.Object({ callsToday: Type.Integer(), rowsToday: Type.Integer() }),
  /** What the caller may do with it. */
  can: Type.Object({ revoke: Type.Boolean(), manageCredentials: Type.Boolean() }),
});
export type ShareGrant = Static<typeof ShareGrant>;

export const ShareGrantQuery = Type.Intersect([
  Page,
  Type.Object(
    {
      role: Type.Optional(StrEnum(['recipient', 'provider'] as const, { description: 'recipient: 本单位获得的授权；provider: 本单位提供的授权' })),
      status: Type.Optional(StrEnum(GRANT_STATUSES)),
      resourceId: Type.Optional(Uuid),
    },
    { additionalProperties: false },
  ),
]);
export type ShareGrantQuery = Static<typeof ShareGrantQuery>;
export const ShareGrantPage = Paged(ShareGrant);
export type ShareGrantPage = Static<typeof ShareGrantPage>;

export const GrantParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const CredentialParams = Type.Object({ id: Uuid, credentialId: Uuid }, { additionalProperties: false });

export const GrantRevoke = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
    /** The DG-12 case of the deletion duty the revocation opens (default purpose_achieved). */
    case: Type.Optional(StrEnum(DG12_CASES)),
  },
  { additionalProperties: false },
);
export type GrantRevoke = Static<typeof GrantRevoke>;

export const GrantRevokeResult = Type.Object({ grant: ShareGrant, deletionDutyId: Uuid });
export type GrantRevokeResult = Static<typeof GrantRevokeResult>;

export const GrantCall = Type.Object({
  eventId: Uuid,
  at: IsoDateTime,
  action: Type.String(),
  outcome: Type.String(),
  /** The client id of the credential used (null when the caller could not be identified). */
  clientId: Nullable(Type.String()),
  credentialId: Nullable(Uuid),
  purposeCode: Nullable(Type.String()),
  rows: Nullable(Type.Integer()),
  code: Nullable(Type.String()),
  ip: Nullable(Type.String()),
});
export type GrantCall = Static<typeof GrantCall>;
export const GrantCallQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) }, { additionalProperties: false });

export const CREDENTIAL_STATUSES = ['active', 'revoked'] as const;
export const GrantCredential = Type.Object({
  id: Uuid,
  clientId: Type.String(),
  name: Type.String(),
  status: StrEnum(CREDENTIAL_STATUSES),
  createdAt: IsoDateTime,
  lastUsedAt: Nullable(IsoDateTime),
  revokedAt: Nullable(IsoDateTime),
});
export type GrantCredential = Static<typeof GrantCredential>;
export const GrantCredentialCreate = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
export type GrantCredentialCreate = Static<typeof GrantCredentialCreate>;
/** The token is shown once: `sgw_<clientId>.<secret>`. */
export const GrantCredentialCreated = Type.Object({
  credential: GrantCredential,
  secret: Type.String(),
  /** `sgw_<clientId>.<secret>`: what the client sends as `Authorization: Bearer …`. */
  token: Type.String(),
});
export type GrantCredentialCreated = Static<typeof GrantCredentialCreated>;
