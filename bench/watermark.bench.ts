// Watermark (PRT-8). Two measurements, each against an anchor that computes the very same result:
// - marking 10,000 gateway rows with per-field mark tables (one HMAC-SM3 + one SM4-CTR call per table)
//   against deriving each cell's mark with node:crypto per cell (HMAC-SM3 seed + one SM4 block), the
//   straightforward "keyed hash per value" design; the marked rows must be identical.
// - tracing a 100-row leak among 60 candidates with a prepared tracer against preparing for every file
//   (traceLeak); the verdicts must be identical.
import { createCipheriv, createHmac } from 'node:crypto';
import { parseClock, parseDecimal, unitsAt } from '../src/engines/watermark/cells.ts';
import { decimalSlot, markDecimal } from '../src/engines/watermark/decimal.ts';
import { createMarker, planMarks, prepareTrace, traceLeak } from '../src/engines/watermark/index.ts';
import { MODULUS } from '../src/engines/watermark/keys.ts';
import { markSeconds } from '../src/engines/watermark/seconds.ts';
import { candidateOf, fieldsFor, makeRecipients, makeTable, maskRow, rng, shuffle } from '../src/engines/watermark/test-data.ts';
import { markText, textSlot } from '../src/engines/watermark/text.ts';
import type { CarrierKind } from '../src/engines/watermark/types.ts';
import type { BenchResult } from './run.ts';

type Row = Record<string, unknown>;

function timeOps(fn: () => void, minMs = 1500): number {
  fn(); // warm-up
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    fn();
    ops++;
    elapsed = performance.now() - start;
  }
  return (ops * 1000) / elapsed;
}

/** The table word at one slot, derived on its own: the seed by HMAC-SM3, then the one SM4 block holding it. */
function wordAt(markKey: Buffer, kind: CarrierKind, fieldId: string, slot: number): number {
  const seed = createHmac('sm3', markKey).update(`shuan-watermark/v1\u0000${kind}\u0000${fieldId}`).digest();
  const counter = Buffer.from(seed.subarray(16, 32));
  let carry = slot >> 2;
  for (let i = 15; i >= 0 && carry > 0; i--) {
    const v = counter[i]! + (carry & 0xff);
    counter[i] = v & 0xff;
    carry = (carry >>> 8) + (v >> 8);
  }
  const block = createCipheriv('sm4-ecb', seed.subarray(0, 16), null).update(counter);
  const at = (slot & 3) * 4;
  const m = MODULUS[kind];
  return m ? block.readUInt32LE(at) % m : block.readInt32LE(at);
}

/** Marks a row deriving every cell's word separately (the anchor). Same carriers as the table marker. */
function markRowPerCell(markKey: Buffer, row: Row, tz = 480): Row {
  const out: Row = { ...row };
  const one = new Int32Array(4096);
  const je = parseDecimal(row.je);
  if (je && je.units !== 0n && je.scale <= 2) {
    const slot = decimalSlot(unitsAt(je, 2), 2);
    one[slot] = wordAt(markKey, 'decimal', 'je', slot);
    out.je = markDecimal(row.je, 2, one);
  }
  const mj = parseDecimal(row.mj);
  if (mj && mj.units !== 0n && mj.scale <= 2) {
    const slot = decimalSlot(unitsAt(mj, 2), 2);
    one[slot] = wordAt(markKey, 'decimal', 'mj', slot);
    out.mj = markDecimal(row.mj, 2, one);
  }
  const clock = parseClock(row.blsj, tz);
  if (clock) {
    one[clock.minuteOfHour] = wordAt(markKey, 'seconds', 'blsj', clock.minuteOfHour);
    out.blsj = markSeconds(row.blsj, one, tz);
  }
  for (const f of ['jzdz', 'bz']) {
    if (typeof row[f] !== 'string' || row[f] === '') continue;
    const slot = textSlot(row[f] as string);
    one[slot] = wordAt(markKey, 'text', f, slot);
    out[f] = markText(row[f], one);
  }
  return out;
}

function sameRows(a: Row[], b: Row[]): number {
  let differ = 0;
  for (let i = 0; i < a.length; i++) {
    for (const k of Object.keys(a[i]!)) {
      const x = a[i]![k];
      const y = b[i]![k];
      if (x instanceof Date && y instanceof Date ? x.getTime() !== y.getTime() : x !== y) {
        differ++;
        break;
      }
    }
  }
  return differ;
}

export function watermarkBench(): BenchResult[] {
  const table = makeTable(10_000, 7);
  const recipients = makeRecipients(60, 11, 'b', 0);
  const rec = recipients[1]!; // names, IDs, phones and addresses in clear: the keyed carriers are je, mj, blsj, jzdz, bz
  const plan = planMarks(fieldsFor(rec.masking));
  const rows = table.map((r) => maskRow(rec, r));

  // 1. marking
  const marker = createMarker(plan, rec.markKey);
  const ours = rows.map((r) => marker.markRow(r));
  const anchor = rows.map((r) => markRowPerCell(rec.markKey, r));
  const differ = sameRows(ours, anchor);
  const slice = rows.slice(0, 2000);
  const markOurs =
    timeOps(() => {
      const m = createMarker(plan, rec.markKey); // a fresh marker: its table derivation is part of the cost
      for (const r of slice) m.markRow(r);
    }) * slice.length;
  const markAnchor =
    timeOps(() => {
      for (const r of slice) markRowPerCell(rec.markKey, r);
    }) * slice.length;

  // 2. tracing
  const candidates = recipients.map(candidateOf);
  const r = rng(3);
  const source = recipients[17]!;
  const sourceMarker = createMarker(planMarks(fieldsFor(source.masking)), source.markKey);
  const leak = shuffle(r, [...table.keys()])
    .slice(0, 100)
    .map((i) => sourceMarker.markRow(maskRow(source, table[i]!)));
  const tracer = prepareTrace(candidates);
  const a = tracer.trace(leak);
  const b = traceLeak(leak, candidates);
  const sameVerdict = a.verdict === b.verdict && a.deliveryId === b.deliveryId && a.deliveryId === source.deliveryId;
  const traceOurs = timeOps(() => tracer.trace(leak));
  const traceAnchor = timeOps(() => traceLeak(leak, candidates));

  const at = new Date().toISOString();
  return [
    {
      name: 'watermark-mark',
      description: 'mark 2,000 gateway rows (2 decimals, a minute-precision datetime, an address, a remark) with a fresh marker; rows/s',
      ours: { label: 'shuan createMarker (per-field tables: HMAC-SM3 seed + SM4-CTR)', opsPerSecond: markOurs },
      anchor: { label: 'same marks keyed per cell with node:crypto (HMAC-SM3 + SM4 block per value)', opsPerSecond: markAnchor },
      ratio: markOurs / markAnchor,
      checked: differ === 0 ? `identical marked rows for all ${rows.length} rows` : `${differ} of ${rows.length} rows differ`,
      node: process.version,
      at,
    },
    {
      name: 'watermark-trace',
      description: 'trace a 100-row leak among 60 candidate deliveries; traces/s',
      ours: { label: 'shuan prepareTrace(...).trace (tables derived once, reused)', opsPerSecond: traceOurs },
      anchor: { label: 'shuan traceLeak (prepared for every file)', opsPerSecond: traceAnchor },
      ratio: traceOurs / traceAnchor,
      checked: sameVerdict ? `same verdict (attributed to ${source.deliveryId})` : `verdicts differ: ${a.verdict}/${b.verdict}`,
      node: process.version,
      at,
    },
  ];
}
