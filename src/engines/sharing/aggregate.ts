// "Usable but invisible" (PRT-9): aggregate queries over a grant's rows — count, sum and average per group of
// permitted fields — where groups smaller than the minimum group size are suppressed: reported only as a
// count of suppressed groups, never with their keys or values. Pure: rows in, groups out.

export type MetricSpec = { kind: 'count' } | { kind: 'sum' | 'avg'; field: string };

export interface AggregateGroup {
  /** The group's key: one value per groupBy field. */
  key: Record<string, string | number | boolean | null>;
  count: number;
  /** 'sum:x' / 'avg:x' → value (null when no numeric value was seen). */
  metrics: Record<string, number | null>;
}

export interface AggregateResult {
  groups: AggregateGroup[];
  suppressedGroups: number;
}

export class MetricSyntaxError extends Error {
  constructor(readonly item: string) {
    super(`invalid metric ${JSON.stringify(item)}`);
    this.name = 'MetricSyntaxError';
  }
}

/** Parses `count,sum:x,avg:y` (duplicates dropped). */
export function parseMetrics(text: string | undefined): MetricSpec[] {
  const items = (text ?? 'count')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const out: MetricSpec[] = [];
  const seen = new Set<string>();
  for (const item of items.length > 0 ? items : ['count']) {
    const m = /^(count|sum|avg)(?::(.+))?$/.exec(item);
    if (!m || (m[1] === 'count') !== (m[2] === undefined)) throw new MetricSyntaxError(item);
    const spec: MetricSpec = m[1] === 'count' ? { kind: 'count' } : { kind: m[1] as 'sum' | 'avg', field: (m[2] as string).trim() };
    const name = metricName(spec);
    if (!seen.has(name)) out.push(spec);
    seen.add(name);
  }
  return out;
}

export const metricName = (m: MetricSpec) => (m.kind === 'count' ? 'count' : `${m.kind}:${m.field}`);

/** A stored value as a number for sum/avg: numbers, numeric text (decimals are stored as text); else null. */
export function numericValue(v: unknown, dataType?: string): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return dataType === 'boolean' ? (v ? 1 : 0) : null;
  if (typeof v !== 'string') return null;
  const s = v.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

type KeyValue = string | number | boolean | null;
const keyValue = (v: unknown): KeyValue =>
  v === undefined || v === null ? null : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' ? v : JSON.stringify(v);

interface Acc {
  key: Record<string, KeyValue>;
  count: number;
  sums: Map<string, { sum: number; n: number }>;
}

/**
 * An aggregator fed row by row (the dataset is never held): `groupKey` values come from `keyRow` (the masked
 * row, so a group key never shows a value the sharing rule hides), numbers from `valueRow` (stored values,
 * coerced per the field's type).
 */
export function createAggregator(opts: {
  groupBy: readonly string[];
  metrics: readonly MetricSpec[];
  minGroupSize: number;
  dataTypes?: Record<string, string>;
}) {
  const groups = new Map<string, Acc>();
  const numeric = opts.metrics.filter((m): m is { kind: 'sum' | 'avg'; field: string } => m.kind !== 'count');
  const fields = [...new Set(numeric.map((m) => m.field))];
  return {
    add(keyRow: Readonly<Record<string, unknown>>, valueRow: Readonly<Record<string, unknown>>): void {
      const key: Record<string, KeyValue> = {};
      for (const g of opts.groupBy) key[g] = keyValue(keyRow[g]);
      const id = JSON.stringify(opts.groupBy.map((g) => key[g]));
      let acc = groups.get(id);
      if (!acc) {
        acc = { key, count: 0, sums: new Map(fields.map((f) => [f, { sum: 0, n: 0 }])) };
        groups.set(id, acc);
      }
      acc.count++;
      for (const f of fields) {
        const n = numericValue(valueRow[f], opts.dataTypes?.[f]);
        if (n === null) continue;
        const s = acc.sums.get(f) as { sum: number; n: number };
        s.sum += n;
        s.n++;
      }
    },
    result(): AggregateResult {
      const out: AggregateGroup[] = [];
      let suppressed = 0;
      for (const acc of groups.values()) {
        if (acc.count < opts.minGroupSize) {
          suppressed++;
          continue;
        }
        const metrics: Record<string, number | null> = {};
        for (const m of opts.metrics) {
          if (m.kind === 'count') continue;
          const s = acc.sums.get(m.field) as { sum: number; n: number };
          metrics[metricName(m)] = s.n === 0 ? null : m.kind === 'sum' ? round(s.sum) : round(s.sum / s.n);
        }
        out.push({ key: acc.key, count: acc.count, metrics });
      }
      out.sort((a, b) => b.count - a.count || JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));
      return { groups: out, suppressedGroups: suppressed };
    },
  };
}

/** Binary floating point noise off (sums of decimals): 10 significant decimals are plenty for statistics. */
function round(n: number): number {
  return Number.parseFloat(n.toPrecision(15));
}

/** One-shot form over an array (tests, small inputs). */
export function aggregate(
  rows: readonly Readonly<Record<string, unknown>>[],
  opts: { groupBy: readonly string[]; metrics: readonly MetricSpec[]; minGroupSize: number; dataTypes?: Record<string, string> },
): AggregateResult {
  const a = createAggregator(opts);
  for (const r of rows) a.add(r, r);
  return a.result();
}
