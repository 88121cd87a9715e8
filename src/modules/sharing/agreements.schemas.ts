// API schemas of the data security agreements and their SM2 signatures (LIF-4; docs/sharing-contract.md
// "Agreements and signatures"). The web app imports these types.
import { type Static, Type } from 'typebox';
import { IsoDateTime, Nullable, PersonRef, StrEnum, Uuid } from '../../app/schema-helpers.ts';

export const AGREEMENT_STATUSES = ['awaiting_signatures', 'signed'] as const;
export const AGREEMENT_STATUS_LABELS = {
  awaiting_signatures: { zh: '待签署', en: 'Awaiting signatures' },
  signed: { zh: '已签署', en: 'Signed' },
} as const;
export const PARTIES = ['applicant', 'provider'] as const;
export const PARTY_LABELS = {
  applicant: { zh: '数据使用单位（乙方）', en: 'Data user' },
  provider: { zh: '数据提供单位（甲方）', en: 'Provider' },
} as const;

const InstitutionRef = Type.Object({ id: Uuid, name: Type.String() });

export const AgreementSignature = Type.Object({
  party: StrEnum(PARTIES),
  institution: InstitutionRef,
  user: PersonRef,
  publicKeyFingerprint: Type.String(),
  signedAt: IsoDateTime,
  /** Re-verified against the stored text on every read. */
  valid: Type.Boolean(),
});

export const ShareAgreement = Type.Object({
  id: Uuid,
  number: Type.String(),
  requestId: Uuid,
  requestNumber: Type.String(),
  provider: InstitutionRef,
  applicant: InstitutionRef,
  text: Type.String(),
  textSm3: Type.String(),
  status: StrEnum(AGREEMENT_STATUSES),
  createdAt: IsoDateTime,
  signedAt: Nullable(IsoDateTime),
  signatures: Type.Array(AgreementSignature),
  grantId: Nullable(Uuid),
  /** The party the caller may still sign for, if any. */
  canSignAs: Nullable(StrEnum(PARTIES)),
});
export type ShareAgreement = Static<typeof ShareAgreement>;

export const AgreementParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const AgreementSign = Type.Object(
  {
    password: Type.String({ minLength: 1, maxLength: 256 }),
    totpCode: Type.Optional(Type.String({ maxLength: 16 })),
  },
  { additionalProperties: false },
);
export type AgreementSign = Static<typeof AgreementSign>;

export const AgreementVerification = Type.Object({
  agreementId: Uuid,
  textSm3: Type.String(),
  /** SM3 recomputed over the stored text equals the stored hash. */
  textSm3Valid: Type.Boolean(),
  signatures: Type.Array(Type.Object({ party: StrEnum(PARTIES), publicKeyFingerprint: Type.String(), signedAt: IsoDateTime, valid: Type.Boolean() })),
  /** The text's hash holds and every signature verifies. */
  valid: Type.Boolean(),
  checkedAt: IsoDateTime,
});
export type AgreementVerification = Static<typeof AgreementVerification>;

export const AgreementBundle = Type.Object({
  format: Type.Literal('shuan-agreement-bundle'),
  version: Type.Literal(1),
  agreementId: Uuid,
  number: Type.String(),
  text: Type.String(),
  textSm3: Type.String(),
  /** The SM2 user ID (distinguishing identifier) the signatures use. */
  sm2UserId: Type.String(),
  signatures: Type.Array(Type.Object({ party: StrEnum(PARTIES), publicKeyPem: Type.String(), signatureDerBase64: Type.String(), signedAt: IsoDateTime })),
});
export type AgreementBundle = Static<typeof AgreementBundle>;
