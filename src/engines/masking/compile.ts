// compileMasker: a policy, the resource's fields and a key become a row function for the data-service gateway
// (precompiled per field: no rule lookup, parsing of parameters or key derivation per row) and a table function
// for table-level methods (shuffle). Fail closed: columns not among the fields never leave, and a policy with
// a table-level method refuses to mask row by row.
import { deriveKeys, keyedPermutation } from './keys.ts';
import { compileRule, type FieldStats, METHODS, type ShuffleParams, type ValueMasker } from './methods.ts';
import { effectiveRules, type MaskField, type MaskingPolicy, type PolicyError, validatePolicy } from './policy.ts';

export type Row = Record<string, unknown>;

export interface Masker {
  /** Output columns, in the order of the fields given. */
  readonly fields: readonly string[];
  /** Fields whose method works on the whole table (shuffle): `row` refuses while there are any. */
  readonly tableLevelFields: readonly string[];
  /** Masks one row: a new object with exactly the fields' columns (a missing column becomes null). */
  row(row: Row): Row;
  /** Masks a whole table: every row, then the table-level methods (shuffle) over the columns. */
  table(rows: readonly Row[]): Row[];
  /** Counters per field since compilation (or the last reset): values, nulls, fallbacks. */
  stats(): Record<string, FieldStats>;
  resetStats(): void;
}

export class MaskingPolicyError extends Error {
  constructor(readonly errors: PolicyError[]) {
    super(`invalid masking policy: ${errors.map((e) => e.message).join('; ')}`);
    this.name = 'MaskingPolicyError';
  }
}

export class TableLevelMethodError extends Error {
  constructor(fields: readonly string[]) {
    super(`fields ${fields.join(', ')} use a table-level method (shuffle): mask the whole table with table()`);
    this.name = 'TableLevelMethodError';
  }
}

/**
 * Compiles a policy for the given fields with the caller's key (one per grant or per test copy; at least 16
 * bytes). Throws MaskingPolicyError listing every problem when validatePolicy finds any.
 */
export function compileMasker(policy: MaskingPolicy, fields: readonly MaskField[], key: Buffer): Masker {
  const errors = validatePolicy(policy, fields);
  if (errors.length > 0) throw new MaskingPolicyError(errors);
  const keys = deriveKeys(key);
  const rules = effectiveRules(policy, fields);
  const names = fields.map((f) => f.name);
  const n = names.length;
  // Counters: rows seen and nulls per field here, fallbacks in each field's own stats (incremented by its method).
  let rowsSeen = 0;
  const nulls = new Float64Array(n);
  const fieldStats: FieldStats[] = fields.map(() => ({ values: 0, nulls: 0, fallback: 0 }));
  const fns: ValueMasker[] = fields.map((f, i) =>
    compileRule(rules.get(f.name)!, { field: f.name, target: f.target, keys, stats: fieldStats[i] as FieldStats }),
  );
  const tableLevel = fields.filter((f) => METHODS[rules.get(f.name)!.method].scope === 'table').map((f) => f.name);

  // Output rows are cloned from a template with every column (null), so they all share one shape and the
  // stores below write existing properties instead of growing each object.
  const template: Row = Object.fromEntries(names.map((name) => [name, null]));
  const maskRow = (row: Row): Row => {
    rowsSeen++;
    const out: Row = { ...template };
    for (let i = 0; i < n; i++) {
      const name = names[i] as string;
      const v = row[name];
      if (v === null || v === undefined) nulls[i]++;
      else out[name] = (fns[i] as ValueMasker)(v);
    }
    return out;
  };

  // Shuffle groups: fields sharing a group move together, so relations between them survive.
  const groups = new Map<string, string[]>();
  for (const name of tableLevel) {
    const g = (rules.get(name)!.params as ShuffleParams | undefined)?.group ?? `field:${name}`;
    groups.set(g, [...(groups.get(g) ?? []), name]);
  }

  return {
    fields: names,
    tableLevelFields: tableLevel,
    row:
      tableLevel.length === 0
        ? maskRow
        : () => {
            throw new TableLevelMethodError(tableLevel);
          },
    table(rows) {
      const out = rows.map(maskRow);
      for (const [g, members] of groups) {
        const perm = keyedPermutation(keys.shuffle, g, out.length);
        const columns = members.map((m) => out.map((r) => r[m]));
        for (let i = 0; i < out.length; i++) {
          const r = out[i] as Row;
          const from = perm[i] as number;
          members.forEach((m, j) => {
            r[m] = (columns[j] as unknown[])[from];
          });
        }
      }
      return out;
    },
    stats() {
      return Object.fromEntries(
        names.map((name, i) => [
          name,
          { values: rowsSeen - (nulls[i] as number), nulls: nulls[i] as number, fallback: (fieldStats[i] as FieldStats).fallback },
        ]),
      );
    },
    resetStats() {
      rowsSeen = 0;
      nulls.fill(0);
      for (const s of fieldStats) s.fallback = 0;
    },
  };
}
