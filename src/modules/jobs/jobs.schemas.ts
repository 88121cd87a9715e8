// Background job schemas.
import { type Static, Type } from 'typebox';
import { IsoDateTime, Nullable, StrEnum, Uuid } from '../../app/schema-helpers.ts';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const JOB_STATUS_LABELS = {
  queued: { zh: '排队中', en: 'Queued' },
  running: { zh: '运行中', en: 'Running' },
  succeeded: { zh: '已完成', en: 'Succeeded' },
  failed: { zh: '失败', en: 'Failed' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
} as const;

export const Job = Type.Object({
  id: Uuid,
  kind: Type.String(),
  institutionId: Nullable(Uuid),
  resourceId: Nullable(Uuid),
  status: StrEnum(JOB_STATUSES),
  progress: Type.Object({ done: Type.Number(), total: Nullable(Type.Number()), unit: Nullable(Type.String()), message: Nullable(Type.String()) }),
  result: Nullable(Type.Record(Type.String(), Type.Unknown())),
  error: Nullable(Type.Object({ code: Type.String(), message: Type.String(), messageEn: Type.Optional(Type.String()) })),
  cancelRequested: Type.Boolean(),
  attempts: Type.Integer(),
  createdAt: IsoDateTime,
  startedAt: Nullable(IsoDateTime),
  finishedAt: Nullable(IsoDateTime),
  updatedAt: IsoDateTime,
});
export type Job = Static<typeof Job>;

export const JobIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
