// Marking delivered rows (PRT-8): runs on every gateway row and every exported file, after masking. Pure:
// input rows are not modified; each output row is a shallow copy with the carrier cells rewritten.
import { DEFAULT_TZ_OFFSET_MINUTES } from './cells.ts';
import { markDecimal } from './decimal.ts';
import { deriveTable } from './keys.ts';
import { markSeconds } from './seconds.ts';
import { markMask, markText } from './text.ts';
import type { CarrierKind, MarkOptions, MarkPlan } from './types.ts';

type Row = Record<string, unknown>;
type CellMarker = (cell: unknown) => unknown;

export interface Marker {
  readonly plan: MarkPlan;
  markRow(row: Row): Row;
}

/**
 * A marker for one delivery: derives each field's tables on first use (one HMAC-SM3 and one SM4-CTR call
 * each) and then marks by table lookups. Keep one per delivery when marking many rows or pages.
 */
export function createMarker(plan: MarkPlan, markKey: Buffer, options: MarkOptions = {}): Marker {
  if (!Buffer.isBuffer(markKey) || markKey.length < 16) throw new Error('watermark: the mark key must be a Buffer of at least 16 bytes');
  const tz = options.tzOffsetMinutes ?? DEFAULT_TZ_OFFSET_MINUTES;
  const steps: { name: string; mark: CellMarker }[] = [];
  for (const p of plan.fields) {
    const marks: CellMarker[] = [];
    for (const kind of p.carriers) {
      if (kind === 'pseudonym') continue; // evidence only: the value is the grant's pseudonym already
      let table: Int32Array | undefined;
      const t = (k: CarrierKind) => {
        table ??= deriveTable(markKey, k, p.id);
        return table;
      };
      if (kind === 'decimal') {
        const scale = p.field.scale as number;
        marks.push((cell) => markDecimal(cell, scale, t(kind)));
      } else if (kind === 'seconds') marks.push((cell) => markSeconds(cell, t(kind), tz));
      else if (kind === 'text') marks.push((cell) => markText(cell, t(kind)));
      else marks.push((cell) => markMask(cell, t(kind)));
    }
    if (marks.length === 1) steps.push({ name: p.field.name, mark: marks[0]! });
    else if (marks.length > 1) steps.push({ name: p.field.name, mark: (cell) => marks.reduce((v, m) => m(v), cell) });
  }
  return {
    plan,
    markRow(row: Row): Row {
      const out: Row = { ...row };
      for (const s of steps) {
        const cell = row[s.name];
        if (cell !== null && cell !== undefined) out[s.name] = s.mark(cell);
      }
      return out;
    },
  };
}

/** Marks a stream of rows lazily (one marker for the whole stream). */
export function* markRows(plan: MarkPlan, markKey: Buffer, rows: Iterable<Row>, options: MarkOptions = {}): Generator<Row> {
  const marker = createMarker(plan, markKey, options);
  for (const row of rows) yield marker.markRow(row);
}

/** Marks one row (derives the tables it needs; keep a Marker instead when marking many). */
export function markRow(plan: MarkPlan, markKey: Buffer, row: Row, options: MarkOptions = {}): Row {
  return createMarker(plan, markKey, options).markRow(row);
}
