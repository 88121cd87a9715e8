// Uniform samples of file rows (`--sample N`). Files cannot be read at random positions row by row (CSV
// records span lines, XLSX is a zip stream), so the whole file is streamed once through a reservoir
// (Algorithm R, Vitter 1985): after i rows every i-choose-n subset is equally likely, memory stays O(n).
// Database tables are sampled on the server instead (see postgres.ts).
import type { SourceRow, SourceValue } from './types.ts';

export function checkSampleSize(n: number): void {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`sample must be a positive integer, got ${n}`);
}

/**
 * A copy of the string that does not keep its parent alive: V8 slices share the buffer of the string they
 * were cut from (here a 256 KiB chunk), so a reservoir of slices could pin hundreds of megabytes.
 */
function detach(v: SourceValue): SourceValue {
  return typeof v === 'string' && v.length > 12 ? ` ${v}`.slice(1) : v;
}

function detachRow(row: SourceRow): SourceRow {
  const values: Record<string, SourceValue> = {};
  for (const k in row.values) values[k] = detach(row.values[k] as SourceValue);
  return row.physicalLine === undefined ? { line: row.line, values } : { line: row.line, physicalLine: row.physicalLine, values };
}

/** n rows drawn uniformly without replacement (all rows when there are fewer), in source order. */
export async function* reservoirSample(rows: AsyncIterable<SourceRow>, n: number, random: () => number = Math.random): AsyncGenerator<SourceRow> {
  checkSampleSize(n);
  const kept: SourceRow[] = [];
  let seen = 0;
  for await (const row of rows) {
    if (seen < n) kept.push(detachRow(row));
    else {
      const j = Math.floor(random() * (seen + 1));
      if (j < n) kept[j] = detachRow(row);
    }
    seen++;
  }
  kept.sort((a, b) => a.line - b.line);
  yield* kept;
}
