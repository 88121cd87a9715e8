// Delivery and trace schemas (PRT-4, PRT-8, DG-15).
import { type Static, Type } from 'typebox';
import { IsoDateTime, Nullable, PersonRef, StrEnum, Uuid } from '../../app/schema-helpers.ts';
import { MASK_METHODS } from '../../engines/masking/vocabulary.ts';

export const DELIVERY_FORMATS = ['csv', 'xlsx', 'jsonl'] as const;
/** Scenarios a delivery can be made for here; sharing goes through grants (the gateway). */
export const DELIVERY_SCENARIOS = ['test'] as const;

export const DeliveryCreate = Type.Object(
  {
    scenario: StrEnum(DELIVERY_SCENARIOS),
    /** Who gets the file, e.g. the test environment and its operator. */
    recipient: Type.String({ minLength: 1, maxLength: 200 }),
    purpose: Type.String({ minLength: 1, maxLength: 1000 }),
    format: StrEnum(DELIVERY_FORMATS),
  },
  { additionalProperties: false },
);
export type DeliveryCreate = Static<typeof DeliveryCreate>;

export const DeliveryInfo = Type.Object({
  id: Uuid,
  resourceId: Uuid,
  recipient: Type.String(),
  purpose: Type.String(),
  scenario: Type.String(),
  format: StrEnum(DELIVERY_FORMATS),
  datasetVersion: Type.Integer(),
  rowCount: Type.Integer(),
  /** SM3 of the file delivered. */
  fileSm3: Type.String(),
  createdAt: IsoDateTime,
  createdBy: Nullable(PersonRef),
  watermark: Type.Object({
    carriers: Type.Array(Type.Object({ field: Type.String(), carriers: Type.Array(Type.String()) })),
    skipped: Type.Array(Type.Object({ name: Type.String(), reason: Type.String() })),
    /** Some field carries the mark: a leak of this delivery can be traced. */
    traceable: Type.Boolean(),
    /** How a consumer reads marked values (e.g. decimals to their declared scale). */
    notes: Type.Array(Type.String()),
  }),
  masking: Type.Array(Type.Object({ field: Type.String(), method: StrEnum(MASK_METHODS) })),
});
export type DeliveryInfo = Static<typeof DeliveryInfo>;

export const TraceQuery = Type.Object({ fileName: Type.Optional(Type.String({ maxLength: 255 })) }, { additionalProperties: false });

export const TraceReport = Type.Object({
  verdict: StrEnum(['attributed', 'undetermined'] as const),
  deliveryId: Nullable(Uuid),
  recipient: Nullable(Type.String()),
  resourceId: Nullable(Uuid),
  resourceName: Nullable(Type.String()),
  deliveredAt: Nullable(IsoDateTime),
  /** 1 − the bound on a wrong attribution (0 when nothing stands out). */
  confidence: Type.Number(),
  reason: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
  rows: Type.Integer(),
  candidates: Type.Integer(),
  carriersObserved: Type.Integer(),
  top: Type.Array(Type.Object({ deliveryId: Uuid, recipient: Type.String(), agree: Type.Number(), disagree: Type.Number(), score: Type.Number() })),
});
export type TraceReport = Static<typeof TraceReport>;
