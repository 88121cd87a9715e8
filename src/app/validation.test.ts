import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { Page } from './schema-helpers.ts';
import { mergeObjectIntersections, validatorCompiler } from './validation.ts';

type Check = ((data: unknown) => boolean) & { errors?: { keyword: string; instancePath: string; params: Record<string, unknown> }[] | null };
const compile = (schema: unknown, httpPart: string) => validatorCompiler({ schema, httpPart, method: 'GET', url: '/x' } as never) as unknown as Check;

describe('mergeObjectIntersections', () => {
  const Query = Type.Intersect([Page, Type.Object({ q: Type.Optional(Type.String({ maxLength: 5 })), id: Type.String() }, { additionalProperties: false })]);

  it('turns an intersection of closed objects into one closed object with the properties of both', () => {
    expect(mergeObjectIntersections(Query)).toEqual({
      type: 'object',
      properties: {
        page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
        pageSize: { type: 'integer', minimum: 1, maximum: 200, default: 20 },
        q: { type: 'string', maxLength: 5 },
        id: { type: 'string' },
      },
      required: ['id'],
      additionalProperties: false,
    });
  });

  it('a property in two members must satisfy both', () => {
    const s = Type.Intersect([Type.Object({ a: Type.String({ maxLength: 3 }) }), Type.Object({ a: Type.String({ minLength: 2 }) })]);
    expect(mergeObjectIntersections(s)).toMatchObject({ properties: { a: { allOf: [{ maxLength: 3 }, { minLength: 2 }] } } });
  });

  it('leaves other allOf schemas, enums and defaults alone, and merges nested intersections', () => {
    const other = { allOf: [{ type: 'string' }, { maxLength: 3 }] };
    expect(mergeObjectIntersections(other)).toEqual(other);
    const withData = { type: 'object', properties: { allOf: { type: 'string', enum: ['allOf'], default: 'allOf' } } };
    expect(mergeObjectIntersections(withData)).toEqual(withData);
    const nested = Type.Object({ inner: Query });
    expect((mergeObjectIntersections(nested) as { properties: { inner: unknown } }).properties.inner).toEqual(mergeObjectIntersections(Query));
  });

  it('a query string with fields of both members passes, with Page defaults; an unknown one does not', () => {
    const check = compile(Query, 'querystring');
    const query: Record<string, unknown> = { id: 'x', q: 'abc' };
    expect(check(query)).toBe(true);
    expect(query).toEqual({ id: 'x', q: 'abc', page: 1, pageSize: 20 });
    expect(check({ id: 'x', page: '2' })).toBe(true);
    expect(check({ id: 'x', other: '1' })).toBe(false);
    expect(check.errors?.[0]).toMatchObject({ keyword: 'additionalProperties', params: { additionalProperty: 'other' } });
  });
});

describe('validatorCompiler', () => {
  const Body = Type.Object(
    { name: Type.String(), tags: Type.Optional(Type.Array(Type.String())), n: Type.Optional(Type.Integer()) },
    { additionalProperties: false },
  );

  it('does not coerce JSON bodies, but coerces the wire parts', () => {
    const body = compile(Body, 'body');
    expect(body({ name: 'a', n: '5' })).toBe(false);
    expect(body.errors?.[0]).toMatchObject({ keyword: 'type', instancePath: '/n' });
    const query = compile(Body, 'querystring');
    const q: Record<string, unknown> = { name: 'a', n: '5' };
    expect(query(q)).toBe(true);
    expect(q.n).toBe(5);
  });

  it('refuses NUL characters and unpaired surrogates anywhere, naming the place', () => {
    const body = compile(Body, 'body');
    expect(body({ name: 'a\u0000' })).toBe(false);
    expect(body.errors).toEqual([expect.objectContaining({ keyword: 'nul', instancePath: '/name' })]);
    expect(body({ name: 'ok', tags: ['fine', 'x\ud800'] })).toBe(false);
    expect(body.errors).toEqual([expect.objectContaining({ keyword: 'wellFormed', instancePath: '/tags/1' })]);
    expect(body({ name: 'ok 😀 数据', tags: ['\u200b'] })).toBe(true);
    expect(body.errors).toBeNull();
  });

  it('checks keys of open objects too, and survives any nesting depth', () => {
    const open = compile(Type.Object({ meta: Type.Unknown() }), 'body');
    expect(open({ meta: { 'a/b\u0000': 1 } })).toBe(false);
    expect(open.errors?.[0]).toMatchObject({ keyword: 'nul', instancePath: '/meta/a~1b\u0000' });
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(open({ meta: deep })).toBe(false);
  });
});
