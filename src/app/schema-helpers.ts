// Small TypeBox helpers shared by every module's schemas.
import { type TSchema, type TUnsafe, Type } from 'typebox';

/** A string enum rendered as { type: 'string', enum } (plain and readable in OpenAPI). */
export function StrEnum<const T extends readonly string[]>(values: T, opts: Record<string, unknown> = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...opts });
}

export const Uuid = Type.String({ format: 'uuid', maxLength: 36 });
export const IsoDateTime = Type.String({ format: 'date-time' });
export const IsoDate = Type.String({ format: 'date', maxLength: 10 });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Page = Type.Object(
  {
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  },
  { additionalProperties: false },
);

export const Paged = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });

export const ErrorBody = Type.Object(
  {
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Object({}, { additionalProperties: true })),
    requestId: Type.String(),
  },
  { $id: 'ErrorBody' },
);

export const Ok = Type.Object({ ok: Type.Boolean() });

/** A person named in a record (who created, approved, destroyed…). */
export const PersonRef = Type.Object({ id: Uuid, displayName: Type.String() });
