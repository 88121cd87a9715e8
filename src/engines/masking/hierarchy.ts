// Generalisation hierarchies for quasi-identifiers (LIF-7 open data): level 0 is the exact value, the last
// level is '*' (everything in one group), and each level in between is coarser than the one before. The
// search in anonymity.ts relies on that nesting (it is what makes k-anonymity monotone over the lattice),
// so hierarchies are checked: number band widths must each divide the next, and every hierarchy's nesting
// is verified on the data itself.
import { type AddressLevel, generaliseAddress } from './targets/address.ts';
import { generaliseDate } from './targets/date.ts';
import { band, parseNumber } from './targets/number.ts';
import { normalise, scalarText } from './text.ts';

export type Hierarchy =
  /** exact → band of widths[0] → band of widths[1] … → '*', with optional bottom/top coding. */
  | { type: 'number'; widths: readonly number[]; min?: number; max?: number; integer?: boolean }
  /** exact → month → year → '*'. */
  | { type: 'date' }
  /** exact → district → city → province → '*' (levels chosen with `levels`, default those three). */
  | { type: 'address'; levels?: readonly AddressLevel[] }
  /** exact → '*' (e.g. gender: kept or suppressed). */
  | { type: 'suppress' }
  /** exact → first keep[0] characters → first keep[1] … → '*' (postcodes, division codes). */
  | { type: 'prefix'; keep: readonly number[] }
  /** exact → levels[0][value] → levels[1][value] … → '*'; values missing from a map become '*'. */
  | { type: 'map'; levels: readonly Readonly<Record<string, string>>[] };

export const SUPPRESSED = '*';

export class HierarchyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HierarchyError';
  }
}

/** The exact (level 0) key of a value: its normalised text; null and unparseable values are one group. */
export function exactKey(v: unknown): string {
  if (v === null || v === undefined) return '\u0000';
  if (v instanceof Date) return Number.isFinite(v.getTime()) ? v.toISOString() : '\u0000';
  const t = scalarText(v);
  return t === null ? (JSON.stringify(v) ?? '\u0000') : normalise(t);
}

/** Level functions of a hierarchy, from level 1 up to (not including) the '*' level. */
export function hierarchyLevels(h: Hierarchy): { names: string[]; fns: ((v: unknown) => string)[] } {
  switch (h.type) {
    case 'number': {
      if (h.widths.length === 0 || h.widths.some((w) => !(w > 0))) throw new HierarchyError('number hierarchy needs positive widths');
      for (let i = 1; i < h.widths.length; i++) {
        const ratio = (h.widths[i] as number) / (h.widths[i - 1] as number);
        if (Math.abs(ratio - Math.round(ratio)) > 1e-9 || ratio < 2)
          throw new HierarchyError(`band width ${h.widths[i]} must be a multiple of ${h.widths[i - 1]}`);
      }
      for (const bound of [h.min, h.max]) {
        if (bound !== undefined && h.widths.some((w) => Math.abs(bound / w - Math.round(bound / w)) > 1e-9)) {
          throw new HierarchyError(`top/bottom coding bound ${bound} must be a multiple of every band width`);
        }
      }
      const integer = h.integer ?? true;
      return {
        names: h.widths.map((w) => `band-${w}`),
        fns: h.widths.map((width) => (v: unknown) => {
          const n = parseNumber(v);
          return n === null ? SUPPRESSED : band(n.value, { width, min: h.min, max: h.max, integer });
        }),
      };
    }
    case 'date':
      return {
        names: ['month', 'year'],
        fns: (['month', 'year'] as const).map((g) => (v: unknown) => generaliseDate(v, g) ?? SUPPRESSED),
      };
    case 'address': {
      const levels = h.levels ?? (['district', 'city', 'province'] as const);
      return {
        names: [...levels],
        fns: levels.map((level) => (v: unknown) => {
          const t = scalarText(v);
          return (t === null ? null : generaliseAddress(normalise(t), level)) ?? SUPPRESSED;
        }),
      };
    }
    case 'suppress':
      return { names: [], fns: [] };
    case 'prefix':
      return {
        names: h.keep.map((k) => `prefix-${k}`),
        fns: h.keep.map((k) => (v: unknown) => {
          const key = exactKey(v);
          return key === '\u0000' ? SUPPRESSED : Array.from(key).slice(0, k).join('');
        }),
      };
    case 'map':
      return {
        names: h.levels.map((_, i) => `map-${i + 1}`),
        fns: h.levels.map((m) => (v: unknown) => {
          const key = exactKey(v);
          return Object.hasOwn(m, key) ? (m[key] as string) : SUPPRESSED;
        }),
      };
  }
}
