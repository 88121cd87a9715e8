// k-anonymity and l-diversity for open data (LIF-7, GB/T 37964 / GB/T 42460 models, domain.md §3).
//
// checkAnonymity reports on a table as it is: equivalence classes over the quasi-identifiers, the smallest,
// and how many classes and rows fall below k (and below l distinct sensitive values). It returns counts
// only, never values.
//
// searchGeneralisation finds the least-loss lattice-minimal generalisation (one level per quasi-identifier
// hierarchy) that reaches k (and l) once at most maxSuppression rows are suppressed. Both properties are
// monotone over the lattice when hierarchies nest (merging classes never shrinks a class nor its distinct
// sensitive values, so the rows to suppress never increase), which gives the pruning: nodes are visited
// bottom-up by height, and a node with a satisfying direct predecessor satisfies without evaluation and is
// not minimal. Work: O(n · Σhᵢ) to precompute level codes, O(|L| · q) lattice bookkeeping with
// |L| = Πhᵢ nodes, and at most min(|L|, maxEvaluations) evaluations of O(n · q) each (hash grouping).
// Information loss: Sweeney's precision loss, the mean over quasi-identifiers of levelᵢ / (hᵢ − 1),
// with a suppressed row counting as fully generalised: loss = (1 − s/n) · prec + s/n, in [0, 1].
import { exactKey, type Hierarchy, HierarchyError, hierarchyLevels, SUPPRESSED } from './hierarchy.ts';

export type Row = Readonly<Record<string, unknown>>;

export interface AnonymityOptions {
  quasiIdentifiers: readonly string[];
  /** The sensitive attribute whose distinct values per class l-diversity counts. */
  sensitive?: string;
  k: number;
  /** Distinct l-diversity: every class needs at least l distinct sensitive values (needs `sensitive`). */
  l?: number;
}

export interface AnonymityReport {
  rows: number;
  classes: number;
  smallestClass: number;
  /** Classes with fewer than k rows, and the rows in them. */
  violatingClasses: number;
  violatingRows: number;
  kAnonymous: boolean;
  lDiversity: {
    l: number;
    smallestDistinct: number;
    violatingClasses: number;
    violatingRows: number;
    lDiverse: boolean;
  } | null;
}

export class AnonymityOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnonymityOptionsError';
  }
}

function checkKL(k: number, l: number | undefined, sensitive: string | undefined): void {
  if (!Number.isInteger(k) || k < 1) throw new AnonymityOptionsError('k must be an integer ≥ 1');
  if (l !== undefined && (!Number.isInteger(l) || l < 1)) throw new AnonymityOptionsError('l must be an integer ≥ 1');
  if (l !== undefined && sensitive === undefined) throw new AnonymityOptionsError('l-diversity needs the sensitive field');
}

/** Groups rows by key; returns each row's class and the class sizes. */
function classify(n: number, keyOf: (r: number) => string | number): { classOf: Int32Array; sizes: number[] } {
  const ids = new Map<string | number, number>();
  const classOf = new Int32Array(n);
  const sizes: number[] = [];
  for (let r = 0; r < n; r++) {
    const key = keyOf(r);
    let id = ids.get(key);
    if (id === undefined) {
      id = sizes.length;
      ids.set(key, id);
      sizes.push(0);
    }
    classOf[r] = id;
    sizes[id] = (sizes[id] as number) + 1;
  }
  return { classOf, sizes };
}

/** Distinct sensitive codes per class. */
function distinctPerClass(classOf: Int32Array, classes: number, sensitive: Int32Array, sCard: number): Int32Array {
  const seen = new Set<number>();
  const distinct = new Int32Array(classes);
  for (let r = 0; r < classOf.length; r++) {
    const key = (classOf[r] as number) * sCard + (sensitive[r] as number);
    if (!seen.has(key)) {
      seen.add(key);
      distinct[classOf[r] as number]++;
    }
  }
  return distinct;
}

function intern(values: readonly string[]): { codes: Int32Array; card: number } {
  const ids = new Map<string, number>();
  const codes = new Int32Array(values.length);
  for (let r = 0; r < values.length; r++) {
    const v = values[r] as string;
    let id = ids.get(v);
    if (id === undefined) {
      id = ids.size;
      ids.set(v, id);
    }
    codes[r] = id;
  }
  return { codes, card: Math.max(ids.size, 1) };
}

function minOf(xs: ArrayLike<number>): number {
  if (xs.length === 0) return 0;
  let m = xs[0] as number;
  for (let i = 1; i < xs.length; i++) if ((xs[i] as number) < m) m = xs[i] as number;
  return m;
}

export function checkAnonymity(rows: readonly Row[], opts: AnonymityOptions): AnonymityReport {
  checkKL(opts.k, opts.l, opts.sensitive);
  const n = rows.length;
  const keys = rows.map((row) => opts.quasiIdentifiers.map((f) => exactKey(row[f])).join('\u001f'));
  const { classOf, sizes } = classify(n, (r) => keys[r] as string);
  let violatingClasses = 0;
  let violatingRows = 0;
  for (const s of sizes) {
    if (s < opts.k) {
      violatingClasses++;
      violatingRows += s;
    }
  }
  let lDiversity: AnonymityReport['lDiversity'] = null;
  if (opts.sensitive !== undefined) {
    const field = opts.sensitive;
    const l = opts.l ?? 1;
    const s = intern(rows.map((row) => exactKey(row[field])));
    const distinct = distinctPerClass(classOf, sizes.length, s.codes, s.card);
    let lClasses = 0;
    let lRows = 0;
    for (let c = 0; c < sizes.length; c++) {
      if ((distinct[c] as number) < l) {
        lClasses++;
        lRows += sizes[c] as number;
      }
    }
    lDiversity = {
      l,
      smallestDistinct: minOf(distinct),
      violatingClasses: lClasses,
      violatingRows: lRows,
      lDiverse: lClasses === 0,
    };
  }
  return {
    rows: n,
    classes: sizes.length,
    smallestClass: minOf(sizes),
    violatingClasses,
    violatingRows,
    kAnonymous: violatingClasses === 0,
    lDiversity,
  };
}

export interface QuasiIdentifier {
  field: string;
  hierarchy: Hierarchy;
}

export interface GeneralisationOptions {
  quasiIdentifiers: readonly QuasiIdentifier[];
  k: number;
  l?: number;
  sensitive?: string;
  /** Rows that may be suppressed (removed) to reach k and l. */
  maxSuppression: number;
  /** Cap on node evaluations (default 10,000); when reached the result says complete: false. */
  maxEvaluations?: number;
}

export interface LatticeNode {
  /** Level per quasi-identifier: 0 exact … hᵢ − 1 fully suppressed ('*'). */
  levels: Record<string, number>;
  levelNames: Record<string, string>;
  suppressedRows: number;
  /** Classes left after suppression and the smallest of them. */
  classes: number;
  smallestClass: number;
  precisionLoss: number;
  loss: number;
}

export interface GeneralisationResult {
  found: boolean;
  /** The minimal node with the least loss (ties: fewer suppressed rows, then more classes). */
  best: LatticeNode | null;
  /** Every lattice-minimal satisfying node found, least loss first. */
  minimal: LatticeNode[];
  latticeSize: number;
  evaluated: number;
  /** False when maxEvaluations stopped the search before the lattice was covered. */
  complete: boolean;
  lossMeasure: string;
}

export const MAX_LATTICE_SIZE = 1_000_000;
export const LOSS_MEASURE = 'precision loss (Sweeney): mean of level/(height−1) over quasi-identifiers; suppressed rows count as fully generalised';

interface Prepared {
  n: number;
  q: number;
  heights: number[];
  names: string[][];
  codes: Int32Array[][];
  cards: number[][];
  sensitive: { codes: Int32Array; card: number } | null;
}

function prepare(rows: readonly Row[], opts: GeneralisationOptions): Prepared {
  const n = rows.length;
  const heights: number[] = [];
  const names: string[][] = [];
  const codes: Int32Array[][] = [];
  const cards: number[][] = [];
  for (const qi of opts.quasiIdentifiers) {
    const { names: levelNames, fns } = hierarchyLevels(qi.hierarchy);
    const values = rows.map((r) => r[qi.field]);
    const levels: { codes: Int32Array; card: number }[] = [intern(values.map(exactKey))];
    for (const fn of fns) levels.push(intern(values.map(fn)));
    levels.push({ codes: new Int32Array(n), card: 1 });
    // Nesting check on the data: each level must be a function of the level below it.
    for (let j = 1; j < levels.length; j++) {
      const below = levels[j - 1] as { codes: Int32Array; card: number };
      const up = levels[j] as { codes: Int32Array; card: number };
      const map = new Int32Array(below.card).fill(-1);
      for (let r = 0; r < n; r++) {
        const b = below.codes[r] as number;
        const u = up.codes[r] as number;
        if (map[b] === -1) map[b] = u;
        else if (map[b] !== u) {
          const all = ['exact', ...levelNames, SUPPRESSED];
          throw new HierarchyError(`${qi.field}: level ${all[j]} does not nest over level ${all[j - 1]}`);
        }
      }
    }
    heights.push(levels.length);
    names.push(['exact', ...levelNames, SUPPRESSED]);
    codes.push(levels.map((x) => x.codes));
    cards.push(levels.map((x) => x.card));
  }
  const field = opts.sensitive;
  const sensitive = field === undefined ? null : intern(rows.map((r) => exactKey(r[field])));
  return { n, q: heights.length, heights, names, codes, cards, sensitive };
}

interface Evaluation {
  suppressed: number;
  classes: number;
  smallestClass: number;
}

function evaluate(p: Prepared, levels: readonly number[], k: number, l: number): Evaluation {
  let product = 1;
  for (let i = 0; i < p.q; i++) product *= (p.cards[i] as number[])[levels[i] as number] as number;
  const cols = levels.map((lv, i) => (p.codes[i] as Int32Array[])[lv] as Int32Array);
  const cards = levels.map((lv, i) => (p.cards[i] as number[])[lv] as number);
  const keyOf =
    product < Number.MAX_SAFE_INTEGER
      ? (r: number) => {
          let key = 0;
          for (let i = 0; i < p.q; i++) key = key * (cards[i] as number) + ((cols[i] as Int32Array)[r] as number);
          return key;
        }
      : (r: number) => cols.map((c) => c[r]).join(',');
  const { classOf, sizes } = classify(p.n, keyOf);
  const distinct = p.sensitive && l > 1 ? distinctPerClass(classOf, sizes.length, p.sensitive.codes, p.sensitive.card) : null;
  let suppressed = 0;
  let classes = 0;
  let smallest = Number.POSITIVE_INFINITY;
  for (let c = 0; c < sizes.length; c++) {
    const size = sizes[c] as number;
    if (size < k || (distinct !== null && (distinct[c] as number) < l)) suppressed += size;
    else {
      classes++;
      if (size < smallest) smallest = size;
    }
  }
  return { suppressed, classes, smallestClass: classes === 0 ? 0 : smallest };
}

/**
 * Finds the minimal generalisations of the quasi-identifiers that make the table k-anonymous (and
 * l-diverse) with at most maxSuppression rows suppressed, and picks the one with the least loss.
 */
export function searchGeneralisation(rows: readonly Row[], opts: GeneralisationOptions): GeneralisationResult {
  checkKL(opts.k, opts.l, opts.sensitive);
  if (!Number.isInteger(opts.maxSuppression) || opts.maxSuppression < 0) throw new AnonymityOptionsError('maxSuppression must be a row count ≥ 0');
  if (opts.quasiIdentifiers.length === 0) throw new AnonymityOptionsError('at least one quasi-identifier is needed');
  const p = prepare(rows, opts);
  const l = opts.l ?? 1;
  const maxEvaluations = opts.maxEvaluations ?? 10_000;
  const size = p.heights.reduce((a, h) => a * h, 1);
  if (size > MAX_LATTICE_SIZE) throw new AnonymityOptionsError(`lattice of ${size} nodes is too large (max ${MAX_LATTICE_SIZE}): use fewer levels`);
  const strides: number[] = [];
  for (let i = 0, s = 1; i < p.q; i++) {
    strides.push(s);
    s *= p.heights[i] as number;
  }
  const levelsOf = (node: number) => p.heights.map((h, i) => Math.floor(node / (strides[i] as number)) % h);
  const describe = (levels: number[], e: Evaluation): LatticeNode => {
    const prec = levels.reduce((a, lv, i) => a + lv / ((p.heights[i] as number) - 1), 0) / p.q;
    const frac = p.n === 0 ? 0 : e.suppressed / p.n;
    const fields = opts.quasiIdentifiers.map((x) => x.field);
    return {
      levels: Object.fromEntries(fields.map((f, i) => [f, levels[i] as number])),
      levelNames: Object.fromEntries(fields.map((f, i) => [f, (p.names[i] as string[])[levels[i] as number] as string])),
      suppressedRows: e.suppressed,
      classes: e.classes,
      smallestClass: e.smallestClass,
      precisionLoss: prec,
      loss: (1 - frac) * prec + frac,
    };
  };

  let evaluated = 0;
  const results = new Map<number, Evaluation>();
  const run = (x: number): boolean => {
    let e = results.get(x);
    if (e === undefined) {
      e = evaluate(p, levelsOf(x), opts.k, l);
      results.set(x, e);
      evaluated++;
    }
    return e.suppressed <= opts.maxSuppression;
  };
  const base = { latticeSize: size, lossMeasure: LOSS_MEASURE };
  // The top node puts everything in one class: if even that fails, nothing will.
  if (!run(size - 1)) return { found: false, best: null, minimal: [], evaluated, complete: true, ...base };

  const maxHeight = p.heights.reduce((a, h) => a + h - 1, 0);
  const byHeight: number[][] = Array.from({ length: maxHeight + 1 }, () => []);
  for (let x = 0; x < size; x++) (byHeight[levelsOf(x).reduce((a, b) => a + b, 0)] as number[]).push(x);
  // 0 unknown, 1 satisfies (minimal), 2 satisfies (inferred from a predecessor), 3 fails.
  const status = new Uint8Array(size);
  const isSatisfied = (st: number) => st === 1 || st === 2;
  let complete = true;
  outer: for (const level of byHeight) {
    for (const x of level) {
      const lv = levelsOf(x);
      let inferred = false;
      for (let i = 0; i < p.q && !inferred; i++) if ((lv[i] as number) > 0 && isSatisfied(status[x - (strides[i] as number)] as number)) inferred = true;
      if (inferred) {
        status[x] = 2;
        continue;
      }
      if (!results.has(x) && evaluated >= maxEvaluations) {
        complete = false;
        break outer;
      }
      status[x] = run(x) ? 1 : 3;
    }
  }
  const minimal: LatticeNode[] = [];
  for (let x = 0; x < size; x++) if (status[x] === 1) minimal.push(describe(levelsOf(x), results.get(x) as Evaluation));
  minimal.sort((a, b) => a.loss - b.loss || a.suppressedRows - b.suppressedRows || b.classes - a.classes);
  return { found: minimal.length > 0, best: minimal[0] ?? null, minimal, evaluated, complete, ...base };
}

/**
 * The table generalised to the given levels, without the rows of classes below k (or l): what an open-data
 * release publishes after searchGeneralisation. Quasi-identifiers become their generalised text ('*' at the
 * top level); other columns are unchanged.
 */
export function applyGeneralisation(
  rows: readonly Row[],
  opts: { quasiIdentifiers: readonly QuasiIdentifier[]; levels: Readonly<Record<string, number>>; k: number; l?: number; sensitive?: string },
): { rows: Record<string, unknown>[]; suppressedRows: number } {
  checkKL(opts.k, opts.l, opts.sensitive);
  const gens = opts.quasiIdentifiers.map((qi) => {
    const { fns } = hierarchyLevels(qi.hierarchy);
    const level = opts.levels[qi.field] ?? 0;
    if (!Number.isInteger(level) || level < 0 || level > fns.length + 1)
      throw new AnonymityOptionsError(`level ${level} of ${qi.field} is outside 0..${fns.length + 1}`);
    const fn = level === 0 ? null : level === fns.length + 1 ? () => SUPPRESSED : (fns[level - 1] as (v: unknown) => string);
    return { field: qi.field, fn };
  });
  const out = rows.map((r) => {
    const copy: Record<string, unknown> = { ...r };
    for (const g of gens) if (g.fn !== null) copy[g.field] = g.fn(r[g.field]);
    return copy;
  });
  const report = (classOfRows: Record<string, unknown>[]) => {
    const keys = classOfRows.map((row) => gens.map((g) => exactKey(row[g.field])).join('\u001f'));
    return classify(classOfRows.length, (i) => keys[i] as string);
  };
  const { classOf, sizes } = report(out);
  const l = opts.l ?? 1;
  let distinct: Int32Array | null = null;
  if (opts.sensitive !== undefined && l > 1) {
    const field = opts.sensitive;
    const s = intern(out.map((row) => exactKey(row[field])));
    distinct = distinctPerClass(classOf, sizes.length, s.codes, s.card);
  }
  const keep = (c: number) => (sizes[c] as number) >= opts.k && (distinct === null || (distinct[c] as number) >= l);
  const kept = out.filter((_, i) => keep(classOf[i] as number));
  return { rows: kept, suppressedRows: out.length - kept.length };
}
