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
      institutionId: Type.Optional(Uuid),
      from: Type.Optional(IsoDateTime),
      to: Type.Optional(IsoDateTime),
    },
    { additionalProperties: false },
  ),
]);
export type AuditQuery = Static<typeof AuditQuery>;
export const AuditPage = Paged(AuditEvent);
