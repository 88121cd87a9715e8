// Row filters of grants and gateway calls (LIF-4 scope, LIF-5: the recipient gets only the rows the agreement
// names). Pure: a list of conditions (every one must hold) compiled to a predicate over a row's stored values.
// Comparison is by value, not by representation: a stored 42 matches the query text "42", a stored "1000.50"
// matches "1000.5", a stored true matches "true".
import type { RowFilterCondition } from '../../db/schema.ts';

export type RowValue = string | number | boolean | null | undefined;
export type RowPredicate = (row: Readonly<Record<string, unknown>>) => boolean;

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The canonical text of a value for comparison: numbers without trailing zeros, booleans as true/false. */
export function canonicalFilterValue(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = String(v).trim();
  if (NUMERIC.test(s)) {
    const n = Number(s);
    if (Number.isFinite(n)) return String(n);
  }
  const lower = s.toLowerCase();
  if (lower === 'true' || lower === 'false') return lower;
  return s;
}

/** Compiles the conditions; an empty list (or null) keeps every row. */
export function compileRowFilter(conditions: readonly RowFilterCondition[] | null | undefined): RowPredicate {
  if (!conditions || conditions.length === 0) return () => true;
  const checks = conditions.map((c) => {
    const wanted = new Set((c.op === 'in' ? (c.values ?? []) : [c.value]).map(canonicalFilterValue).filter((x): x is string => x !== null));
    return { field: c.field, wanted };
  });
  return (row) => {
    for (const c of checks) {
      const v = canonicalFilterValue(row[c.field]);
      if (v === null || !c.wanted.has(v)) return false;
    }
    return true;
  };
}

/** The fields a filter reads (to check them against what the grant holds). */
export function filterFields(conditions: readonly RowFilterCondition[] | null | undefined): string[] {
  return [...new Set((conditions ?? []).map((c) => c.field))];
}
