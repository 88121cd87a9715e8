// API schemas of deletion duties (LIF-10, DG-12; docs/sharing-contract.md "Deletion duties").
import { type Static, Type } from 'typebox';
import { IsoDate, IsoDateTime, Nullable, Page, Paged, PersonRef, StrEnum, Uuid } from '../../app/schema-helpers.ts';
import { DG12_CASES } from '../../engines/sharing/dg12.ts';

export const DUTY_STATUSES = ['open', 'confirmed', 'accepted'] as const;
export type DutyStatus = (typeof DUTY_STATUSES)[number];
export const DUTY_OUTCOMES = ['deleted', 'processing_stopped'] as const;
export type DutyOutcome = (typeof DUTY_OUTCOMES)[number];

export const DUTY_STATUS_LABELS: Record<DutyStatus, { zh: string; en: string }> = {
  open: { zh: '待删除', en: 'Open' },
  confirmed: { zh: '待验收', en: 'Confirmed, awaiting acceptance' },
  accepted: { zh: '已验收', en: 'Accepted' },
};

export const DUTY_OUTCOME_LABELS: Record<DutyOutcome, { zh: string; en: string }> = {
  deleted: { zh: '已删除', en: 'Deleted' },
  processing_stopped: { zh: '已停止处理（技术上难以删除）', en: 'Processing stopped (deletion technically impossible)' },
};

/** Evidence files (the holder's proof of deletion) up to 10 MB. */
export const DUTY_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;

const Ref = Type.Object({ id: Uuid, name: Type.String() });
const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });

const dutyFields = {
  id: Uuid,
  number: Type.String(),
  grant: Type.Object({ id: Uuid, number: Type.String() }),
  resource: Ref,
  provider: Ref,
  /** The grant's recipient: the data user that must delete. */
  holder: Ref,
  case: StrEnum(DG12_CASES),
  caseLabel: Bilingual,
  reason: Type.String(),
  /** null: opened by the platform (a grant's term ended). */
  openedBy: Nullable(PersonRef),
  openedAt: IsoDateTime,
  /** The last Beijing day to confirm (working days; a reopen sets a new one). */
  dueDate: IsoDate,
  status: StrEnum(DUTY_STATUSES),
  /** Open and past its due date (computed on the Beijing date, never stored). */
  overdue: Type.Boolean(),
  outcome: Nullable(StrEnum(DUTY_OUTCOMES)),
  statement: Nullable(Type.String()),
  confirmedBy: Nullable(PersonRef),
  confirmedAt: Nullable(IsoDateTime),
  evidence: Nullable(
    Type.Object({ fileName: Type.String(), sm3: Type.String(), size: Type.Integer(), uploadedBy: Nullable(PersonRef), uploadedAt: IsoDateTime }),
  ),
  acceptedBy: Nullable(PersonRef),
  acceptedAt: Nullable(IsoDateTime),
  reopenCount: Type.Integer(),
  reopenedBy: Nullable(PersonRef),
  reopenedAt: Nullable(IsoDateTime),
  reopenReason: Nullable(Type.String()),
};

export const DeletionDuty = Type.Object(dutyFields);
export type DeletionDuty = Static<typeof DeletionDuty>;

export const DeletionDutyDetail = Type.Object({
  ...dutyFields,
  /** Each step, oldest first. */
  history: Type.Array(
    Type.Object({
      at: IsoDateTime,
      by: Nullable(PersonRef),
      action: StrEnum(['opened', 'evidence', 'confirmed', 'accepted', 'reopened'] as const),
      outcome: Type.Optional(StrEnum(DUTY_OUTCOMES)),
      statement: Type.Optional(Nullable(Type.String())),
      reason: Type.Optional(Type.String()),
      dueDate: Type.Optional(IsoDate),
      fileName: Type.Optional(Type.String()),
      sm3: Type.Optional(Type.String()),
    }),
  ),
  /** What the caller may do now. */
  can: Type.Object({ confirm: Type.Boolean(), uploadEvidence: Type.Boolean(), accept: Type.Boolean(), reopen: Type.Boolean() }),
});
export type DeletionDutyDetail = Static<typeof DeletionDutyDetail>;

export const DutyQuery = Type.Intersect([
  Page,
  Type.Object(
    {
      /** holder: duties of the caller's reach as data user; provider: duties on data the reach provided. */
      role: Type.Optional(StrEnum(['holder', 'provider'] as const)),
      status: Type.Optional(StrEnum(DUTY_STATUSES)),
      overdue: Type.Optional(Type.Boolean()),
      grantId: Type.Optional(Uuid),
      resourceId: Type.Optional(Uuid),
      case: Type.Optional(StrEnum(DG12_CASES)),
    },
    { additionalProperties: false },
  ),
]);
export type DutyQuery = Static<typeof DutyQuery>;
export const DutyPage = Paged(DeletionDuty);

export const DutyParams = Type.Object({ id: Uuid }, { additionalProperties: false });

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });

export const DutyOpen = Type.Object(
  {
    grantId: Uuid,
    /** The DG-12 case (第十二条 （一）–（九）). */
    case: StrEnum(DG12_CASES),
    reason: Text(2000),
  },
  { additionalProperties: false },
);
export type DutyOpen = Static<typeof DutyOpen>;

export const DutyConfirm = Type.Object(
  {
    outcome: StrEnum(DUTY_OUTCOMES),
    /** Required for processing_stopped: why deletion is technically impossible (DG-12, last paragraph). */
    statement: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);
export type DutyConfirm = Static<typeof DutyConfirm>;

export const DutyReopen = Type.Object({ reason: Text(2000) }, { additionalProperties: false });
export type DutyReopen = Static<typeof DutyReopen>;

export const DutyEvidenceQuery = Type.Object(
  { fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[^/\\\\\\x00-\\x1f]+$' })) },
  { additionalProperties: false },
);
