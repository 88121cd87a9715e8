// API schemas for reading the audit log (AUD-1). The web app imports these types.
import { type Static, Type } from 'typebox';
import { IsoDateTime, Nullable, Page, Paged, StrEnum, Uuid } from '../../app/schema-helpers.ts';

export const AuditEvent = Type.Object({
  seq: Type.Integer(),
  id: Uuid,
  occurredAt: IsoDateTime,
  actorUserId: Nullable(Uuid),
  actorUsername: Nullable(Type.String()),
  actingInstitutionId: Nullable(Uuid),
  action: Type.String(),
  targetType: Nullable(Type.String()),
  targetId: Nullable(Type.String()),
  targetInstitutionId: Nullable(Uuid),
  outcome: StrEnum(['success', 'failure', 'denied'] as const),
  ip: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
});
export type AuditEvent = Static<typeof AuditEvent>;

export const AuditQuery = Type.Intersect([
  Page,
  Type.Object(
    {
      action: Type.Optional(Type.String({ maxLength: 100 })),
      actor: Type.Optional(Type.String({ maxLength: 64 })),
      outcome: Type.Optional(StrEnum(['success', 'failure', 'denied'] as const)),
      targetType: Type.Optional(Type.String({ maxLength: 64 })),
      targetId: Type.Optional(Type.String({ maxLength: 200 })),
      institutionId: Type.Optional(Uuid),
      from: Type.Optional(IsoDateTime),
      to: Type.Optional(IsoDateTime),
    },
    { additionalProperties: false },
  ),
]);
export type AuditQuery = Static<typeof AuditQuery>;
export const AuditPage = Paged(AuditEvent);

// AUD-2: the chain's verification, proofs, checkpoints and keys.
export const ChainProblem = Type.Object({
  kind: Type.String(),
  position: Nullable(Type.Integer()),
  eventId: Type.Optional(Type.String()),
  zh: Type.String(),
  en: Type.String(),
});

export const IntegrityReport = Type.Object({
  ok: Type.Boolean(),
  checkedEvents: Type.Integer(),
  checkpointsVerified: Type.Integer(),
  bytesHashed: Type.Integer(),
  first: Nullable(Type.Integer()),
  head: Nullable(Type.Object({ position: Type.Integer(), hash: Type.String() })),
  lastCheckpoint: Nullable(Type.Object({ position: Type.Integer(), signedAt: IsoDateTime })),
  problem: Nullable(ChainProblem),
  range: Type.Object({
    from: Nullable(IsoDateTime),
    to: Nullable(IsoDateTime),
    firstPosition: Nullable(Type.Integer()),
    lastPosition: Nullable(Type.Integer()),
  }),
  pending: Type.Integer(),
  witness: Nullable(Type.Object({ status: StrEnum(['ok', 'absent', 'problem'] as const), position: Nullable(Type.Integer()) })),
  archives: Type.Integer(),
  elapsedMs: Type.Integer(),
  verifiedAt: IsoDateTime,
});
export type IntegrityReport = Static<typeof IntegrityReport>;

export const IntegrityRange = Type.Object({ from: Type.Optional(IsoDateTime), to: Type.Optional(IsoDateTime) }, { additionalProperties: false });

export const CheckpointView = Type.Object({
  position: Type.Integer(),
  headHash: Type.String(),
  signedAt: IsoDateTime,
  keyVersion: Type.Integer(),
  signature: Type.String(),
});
export const CheckpointPage = Paged(CheckpointView);

export const PublicKeys = Type.Object({
  active: Type.Integer(),
  /** Whether this caller may export the bundle (its audit reach covers the whole platform). */
  canExport: Type.Boolean(),
  keys: Type.Array(Type.Object({ version: Type.Integer(), algorithm: Type.String(), publicKeyPem: Type.String(), fingerprint: Type.String() })),
});

export const EventProof = Type.Object({
  event: AuditEvent,
  chained: Type.Boolean(),
  position: Nullable(Type.Integer()),
  sealedAt: Type.Optional(IsoDateTime),
  hash: Nullable(Type.String()),
  previousHash: Nullable(Type.String()),
  canonical: Nullable(Type.String()),
  checkpoint: Nullable(
    Type.Object({
      position: Type.Integer(),
      headHash: Type.String(),
      signedAt: IsoDateTime,
      keyVersion: Type.Integer(),
      signature: Type.String(),
      fingerprint: Nullable(Type.String()),
    }),
  ),
  verified: Type.Boolean(),
});
export type EventProof = Static<typeof EventProof>;
