// Request validation. Two Ajv instances: query strings, params and headers are strings on the wire and
// are coerced to the schema's types; JSON bodies are NOT coerced, so "5" where a number belongs is a 400
// naming the field. Unknown body fields are rejected (additionalProperties: false), never silently dropped.
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const Ajv = AjvModule.default ?? AjvModule;
const addFormats = addFormatsModule.default ?? addFormatsModule;

function makeAjv(coerce: boolean) {
  const ajv = new Ajv({
    allErrors: false,
    coerceTypes: coerce ? 'array' : false,
    useDefaults: true,
    removeAdditional: false,
    strict: false,
  });
  addFormats(ajv);
  return ajv;
}

const bodyAjv = makeAjv(false);
const wireAjv = makeAjv(true);

type JsonSchema = Record<string, unknown>;

const isPlainObject = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `Type.Intersect([Page, Type.Object({...})])` is emitted as `allOf` of two closed objects. In JSON
 * Schema every member then rejects the other's properties (and Page's defaults), so no query would
 * ever pass. What the schemas mean is TypeScript's `A & B`: one object with the properties of both,
 * still closed. Such intersections are merged into that object before compiling. Nested schemas are
 * merged too; anything that is not a plain intersection of object schemas is left as it is.
 */
export function mergeObjectIntersections(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(mergeObjectIntersections);
  if (!isPlainObject(schema)) return schema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && isPlainObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mergeObjectIntersections(v)]));
    } else if (key === 'enum' || key === 'const' || key === 'default' || key === 'examples') {
      out[key] = value;
    } else {
      out[key] = mergeObjectIntersections(value);
    }
  }
  const members = out.allOf;
  const mergeable =
    Array.isArray(members) &&
    members.length > 0 &&
    members.every(
      (m) => isPlainObject(m) && m.type === 'object' && Object.keys(m).every((k) => ['type', 'properties', 'required', 'additionalProperties'].includes(k)),
    ) &&
    out.type === undefined &&
    out.properties === undefined;
  if (!mergeable) return out;
  const properties: JsonSchema = {};
  const required = new Set<string>();
  let closed = false;
  for (const m of members as JsonSchema[]) {
    for (const [k, v] of Object.entries((m.properties as JsonSchema | undefined) ?? {})) {
      // The same property in two members must satisfy both.
      properties[k] = k in properties ? { allOf: [properties[k], v] } : v;
    }
    for (const r of (m.required as string[] | undefined) ?? []) required.add(r);
    if (m.additionalProperties === false) closed = true;
  }
  const { allOf: _members, ...rest } = out;
  return {
    ...rest,
    type: 'object',
    properties,
    ...(required.size > 0 ? { required: [...required] } : {}),
    ...(closed ? { additionalProperties: false } : {}),
  };
}

interface ValidationIssue {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message: string;
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Text PostgreSQL cannot take as it is: U+0000 (refused by text and jsonb) and unpaired UTF-16
 * surrogates such as "\ud800" (refused by jsonb, e.g. in audit details; silently turned into U+FFFD in
 * text). Either would pass the schema and then fail in the database as a 500, or corrupt the value.
 * Refused here for every request part, naming the field (or key) that has it.
 */
function badText(s: string): 'nul' | 'wellFormed' | undefined {
  if (s.includes('\u0000')) return 'nul';
  // In a /u regex a lone surrogate is a code point of category Cs; a proper pair is one astral code point.
  if (/\p{Cs}/u.test(s)) return 'wellFormed';
  return undefined;
}

/** The first string (or object key) with bad text, depth-first in document order. Iterative, so no input nesting can overflow the stack. */
function findBadText(root: unknown): ValidationIssue | undefined {
  const issue = (keyword: string, instancePath: string): ValidationIssue => ({
    keyword,
    instancePath,
    schemaPath: '#',
    params: {},
    message: keyword === 'nul' ? 'must not contain U+0000' : 'must be well-formed Unicode',
  });
  const stack: [unknown, string][] = [[root, '']];
  while (stack.length > 0) {
    const [value, path] = stack.pop() as [unknown, string];
    if (typeof value === 'string') {
      const bad = badText(value);
      if (bad) return issue(bad, path);
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${path}/${i}`]);
    } else if (isPlainObject(value)) {
      const entries = Object.entries(value);
      for (const [k] of entries) {
        const bad = badText(k);
        if (bad) return issue(bad, `${path}/${escapePointer(k)}`);
      }
      for (const [k, v] of entries.reverse()) stack.push([v, `${path}/${escapePointer(k)}`]);
    }
  }
  return undefined;
}

type Validator = ((data: unknown, ctx?: unknown) => boolean) & { errors?: unknown[] | null };

// One merged copy per schema object, so Ajv's own cache (keyed by the schema object) still sees the
// same object when a schema is shared by several routes (and a schema with an $id compiles once).
const mergedSchemas = new WeakMap<object, object>();

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? bodyAjv : wireAjv;
  let merged = mergedSchemas.get(schema as object);
  if (!merged) {
    merged = mergeObjectIntersections(schema) as object;
    mergedSchemas.set(schema as object, merged);
  }
  const check = ajv.compile(merged) as Validator;
  const validate: Validator = (data, ctx) => {
    if (!check(data, ctx)) {
      validate.errors = check.errors;
      return false;
    }
    const bad = findBadText(data);
    validate.errors = bad ? [bad] : null;
    return !bad;
  };
  return validate as unknown as ReturnType<FastifySchemaCompiler<unknown>>;
};
