// Leak tracing (PRT-8, DG-15): which delivery a leaked file came from, with a bound on being wrong.
// For each candidate delivery the leaked cells are read as carrier observations (one per distinct slot of
// each field), compared with the marks that delivery's key would have written, and the agreements are
// scored by a Chernoff bound (stats.ts). A recipient is named only when its bound, multiplied by the number
// of candidates (Bonferroni), is at most alpha (1e-9), no candidate of another recipient is significant
// too, and the evidence spans at least minRows leaked rows. Otherwise the verdict is `undetermined`.
import { cellText, DEFAULT_TZ_OFFSET_MINUTES, normaliseHeader } from './cells.ts';
import { DECIMAL_CHOICES, type ModObservation, observeDecimal } from './decimal.ts';
import { deriveTable, residueChance, VALUE_SLOTS } from './keys.ts';
import { planMarks } from './plan.ts';
import { observeSeconds, SECOND_CHOICES } from './seconds.ts';
import { type EvidenceGroup, log10BestPossible, log10TailBound } from './stats.ts';
import { type BitsObservation, observeMask, observeText } from './text.ts';
import type {
  Candidate,
  CandidateEvidence,
  CarrierKind,
  FieldSpec,
  MarkPlan,
  PlannedField,
  TraceOptions,
  TraceReason,
  TraceReasonCode,
  TraceResult,
} from './types.ts';

type Row = Record<string, unknown>;

export const DEFAULT_ALPHA = 1e-9;
export const DEFAULT_MIN_ROWS = 20;
const DEFAULT_VALUE_SPACE_BITS = 32;
const P_DECIMAL = residueChance(DECIMAL_CHOICES);
const P_SECONDS = residueChance(SECOND_CHOICES);

interface PreparedCandidate {
  candidate: Candidate;
  index: number;
  plan: MarkPlan;
  /** Normalised header → the field it names (null: a field this delivery got that carries nothing). */
  headers: Map<string, PlannedField | null>;
  tables: Map<string, Int32Array>;
  /** Distinct pseudonym values this delivery's grant issued, per field id. */
  pseudonymCount: Map<string, number>;
  /** Same signature, same headers and carriers: candidates that read a leaked file the same way. */
  signature: string;
}

/** One carrier of one field as a leaked file shows it. */
interface Group {
  kind: CarrierKind;
  id: string;
  field: FieldSpec;
  obs: Observations;
}

/** Observations of one carrier over some columns, at most one per slot (or per value for pseudonyms). */
interface Observations {
  length: number;
  slots: Int32Array;
  rows: Int32Array;
  /** mod carriers: the choice seen; bit carriers: the bits seen. */
  values: Int32Array;
  /** bit carriers: how many positions. */
  counts: Uint8Array;
  /** pseudonym carrier: the values seen. */
  texts: string[];
}

interface Tally {
  keyed: EvidenceGroup[];
  pseudonym: EvidenceGroup[];
  rows: number;
}

export interface Tracer {
  trace(leakedRows: readonly Row[]): TraceResult;
}

function normalisePseudonym(value: unknown): string | null {
  const t = cellText(value);
  return t === null ? null : t.normalize('NFKC').trim();
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

function reason(code: TraceReasonCode, zh: string, en: string): TraceReason {
  return { code, zh, en };
}

/**
 * Prepares tracing against a set of candidate deliveries: plans, header maps and (with originalRows) the
 * index of every pseudonym and token each candidate's grant issued. Reuse it for many leaked files.
 */
export function prepareTrace(candidates: readonly Candidate[], options: TraceOptions = {}): Tracer {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const minRows = options.minRows ?? DEFAULT_MIN_ROWS;
  const tz = options.tzOffsetMinutes ?? DEFAULT_TZ_OFFSET_MINUTES;
  const top = options.top ?? 5;
  if (!(alpha > 0 && alpha < 1)) throw new Error('watermark: alpha must be between 0 and 1');
  const log10K = Math.log10(Math.max(1, candidates.length));
  const log10Alpha = Math.log10(alpha);

  const prepared: PreparedCandidate[] = candidates.map((candidate, index) => {
    const plan = planMarks(candidate.fields);
    const headers = new Map<string, PlannedField | null>();
    const planned = new Map(plan.fields.map((p) => [p.field, p]));
    for (const f of candidate.fields) {
      for (const h of [f.name, f.label, ...(f.aliases ?? [])]) {
        if (h) headers.set(normaliseHeader(h), planned.get(f) ?? null);
      }
    }
    const signature = JSON.stringify(
      [...headers].map(([h, pf]) => [h, pf && [pf.id, pf.carriers, pf.field.scale, pf.field.valueSpaceBits]]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
    return { candidate, index, plan, headers, tables: new Map(), pseudonymCount: new Map(), signature };
  });

  // value → candidates that issued it, per pseudonym field id (recomputed over the original rows).
  const pseudonyms = new Map<string, Map<string, number[]>>();
  const issuers = prepared.filter((p) => p.candidate.pseudonymOf && p.plan.fields.some((f) => f.carriers.includes('pseudonym')));
  if (options.originalRows && issuers.length > 0) {
    const work = issuers.map((p) => ({ p, fields: p.plan.fields.filter((f) => f.carriers.includes('pseudonym')) }));
    for (const row of options.originalRows()) {
      for (const { p, fields } of work) {
        for (const f of fields) {
          const original = row[f.field.name];
          if (original === null || original === undefined) continue;
          const v = normalisePseudonym(p.candidate.pseudonymOf!(f.field, original));
          if (v === null) continue;
          let byValue = pseudonyms.get(f.id);
          if (!byValue) {
            byValue = new Map();
            pseudonyms.set(f.id, byValue);
          }
          const holders = byValue.get(v);
          if (!holders) byValue.set(v, [p.index]);
          else if (holders.includes(p.index)) continue;
          else holders.push(p.index);
          p.pseudonymCount.set(f.id, (p.pseudonymCount.get(f.id) ?? 0) + 1);
        }
      }
    }
  }

  function tableOf(p: PreparedCandidate, kind: CarrierKind, fieldId: string): Int32Array {
    const key = `${kind}\u0000${fieldId}`;
    let t = p.tables.get(key);
    if (!t) {
      t = deriveTable(p.candidate.markKey, kind, fieldId);
      p.tables.set(key, t);
    }
    return t;
  }

  function observe(rows: readonly Row[], columns: string[], kind: CarrierKind, field: FieldSpec): Observations {
    const slots: number[] = [];
    const rowsSeen: number[] = [];
    const values: number[] = [];
    const counts: number[] = [];
    const texts: string[] = [];
    const seenSlots = new Uint8Array(VALUE_SLOTS);
    const seenTexts = new Set<string>();
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      for (const col of columns) {
        const cell = row[col];
        if (cell === null || cell === undefined || cell === '') continue;
        if (kind === 'pseudonym') {
          const v = normalisePseudonym(cell);
          if (v === null || seenTexts.has(v)) continue;
          seenTexts.add(v);
          texts.push(v);
          rowsSeen.push(r);
          continue;
        }
        let o: ModObservation | BitsObservation | null;
        if (kind === 'decimal') o = observeDecimal(cell, field.scale as number);
        else if (kind === 'seconds') o = observeSeconds(cell, tz);
        else if (kind === 'text') o = observeText(cell);
        else o = observeMask(cell);
        if (!o || seenSlots[o.slot] === 1) continue;
        seenSlots[o.slot] = 1;
        slots.push(o.slot);
        rowsSeen.push(r);
        if ('choice' in o) values.push(o.choice);
        else {
          values.push(o.bits);
          counts.push(o.count);
        }
      }
    }
    return {
      length: rowsSeen.length,
      slots: Int32Array.from(slots),
      rows: Int32Array.from(rowsSeen),
      values: Int32Array.from(values),
      counts: Uint8Array.from(counts),
      texts,
    };
  }

  function trace(rows: readonly Row[]): TraceResult {
    const columnSet = new Set<string>();
    for (const row of rows) for (const k of Object.keys(row)) columnSet.add(k);
    const columns = [...columnSet];
    const normalised = columns.map(normaliseHeader);
    const matched = new Set<string>();
    const cache = new Map<string, Observations>();
    const stamp = new Int32Array(rows.length);
    type Scored = CandidateEvidence & { bestPossible: number; marksSeen: number };
    const results: Scored[] = [];

    const layouts = new Map<string, Group[]>();
    // The carrier groups a file shows to candidates of one signature (their observations are shared).
    const layout = (p: PreparedCandidate): Group[] => {
      const byKey = new Map<string, { pf: PlannedField; kind: CarrierKind; cols: string[] }>();
      columns.forEach((col, i) => {
        const pf = p.headers.get(normalised[i]!);
        if (pf === undefined) return;
        matched.add(col);
        if (pf === null) return;
        for (const kind of pf.carriers) {
          const key = `${kind}\u0000${pf.id}`;
          const g = byKey.get(key);
          if (g) g.cols.push(col);
          else byKey.set(key, { pf, kind, cols: [col] });
        }
      });
      return [...byKey.values()].map(({ pf, kind, cols }) => {
        const cacheKey = `${kind}\u0000${kind === 'decimal' ? pf.field.scale : ''}\u0000${cols.join('\u0000')}`;
        let obs = cache.get(cacheKey);
        if (!obs) {
          obs = observe(rows, cols, kind, pf.field);
          cache.set(cacheKey, obs);
        }
        return { kind, id: pf.id, field: pf.field, obs };
      });
    };

    for (const p of prepared) {
      let groups = layouts.get(p.signature);
      if (!groups) {
        groups = layout(p);
        layouts.set(p.signature, groups);
      }
      const tally: Tally = { keyed: [], pseudonym: [], rows: 0 };
      const mod = { decimal: { n: 0, agree: 0, p: P_DECIMAL }, seconds: { n: 0, agree: 0, p: P_SECONDS }, bits: { n: 0, agree: 0, p: 0.5 } };
      const tag = p.index + 1;
      let rowCount = 0;
      for (const { kind, id, field, obs } of groups) {
        const { length, slots, values, counts } = obs;
        const obsRows = obs.rows;
        if (kind === 'pseudonym') {
          const issued = p.pseudonymCount.get(id) ?? 0;
          if (issued === 0 || length === 0) continue;
          const byValue = pseudonyms.get(id);
          const space = 2 ** (field.valueSpaceBits ?? DEFAULT_VALUE_SPACE_BITS);
          const g: EvidenceGroup = { n: length, agree: 0, p: Math.min(1, issued / space) };
          for (let i = 0; i < length; i++) {
            if (byValue?.get(obs.texts[i]!)?.includes(p.index)) g.agree++;
            const r = obsRows[i]!;
            if (stamp[r] !== tag) {
              stamp[r] = tag;
              rowCount++;
            }
          }
          tally.pseudonym.push(g);
          continue;
        }
        const table = tableOf(p, kind, id);
        if (kind === 'decimal' || kind === 'seconds') {
          const g = mod[kind];
          let agree = 0;
          for (let i = 0; i < length; i++) {
            if (table[slots[i]!] === values[i]) agree++;
            const r = obsRows[i]!;
            if (stamp[r] !== tag) {
              stamp[r] = tag;
              rowCount++;
            }
          }
          g.n += length;
          g.agree += agree;
        } else {
          const g = mod.bits;
          let n = 0;
          let agree = 0;
          for (let i = 0; i < length; i++) {
            const count = counts[i]!;
            n += count;
            agree += popcount(~(table[slots[i]!]! ^ values[i]!) & (count >= 32 ? -1 : (1 << count) - 1));
            const r = obsRows[i]!;
            if (stamp[r] !== tag) {
              stamp[r] = tag;
              rowCount++;
            }
          }
          g.n += n;
          g.agree += agree;
        }
      }
      tally.rows = rowCount;
      tally.keyed.push(mod.decimal, mod.seconds, mod.bits);
      const all = [...tally.keyed, ...tally.pseudonym];
      const n = all.reduce((s, g) => s + g.n, 0);
      const agree = all.reduce((s, g) => s + g.agree, 0);
      const log10Bound = log10TailBound(all);
      results.push({
        deliveryId: p.candidate.deliveryId,
        recipient: p.candidate.recipient,
        agree,
        disagree: n - agree,
        rows: tally.rows,
        score: -Math.min(0, log10Bound + log10K),
        log10Bound,
        // the mark-key-only bound differs only when pseudonym evidence exists; computed now only then
        keyedLog10Bound: tally.pseudonym.length === 0 ? log10Bound : log10TailBound(tally.keyed),
        bestPossible: log10BestPossible(all),
        // marks visible at all: observations of key-written carriers, or pseudonyms this grant issued
        marksSeen: tally.keyed.reduce((s, g) => s + g.n, 0) + tally.pseudonym.reduce((s, g) => s + g.agree, 0),
      });
    }

    results.sort((a, b) => a.log10Bound - b.log10Bound || b.agree - a.agree);
    const strip = ({ bestPossible: _b, marksSeen: _m, ...e }: Scored): CandidateEvidence => e;
    const significant = results.filter((r) => r.log10Bound + log10K <= log10Alpha);
    const best = results[0];
    const evidence: TraceResult['evidence'] = {
      rows: rows.length,
      matchedColumns: columns.filter((c) => matched.has(c)),
      unmatchedColumns: columns.filter((c) => !matched.has(c)),
      carriersObserved: Math.max(0, ...results.map((r) => r.agree + r.disagree)),
      perCandidate: results.slice(0, top).map(strip),
      sources: significant.map(strip),
    };
    const confidence = best ? Math.max(0, 1 - 10 ** Math.min(0, best.log10Bound + log10K)) : 0;
    const undetermined = (r: TraceReason, conf = confidence): TraceResult => ({ verdict: 'undetermined', confidence: conf, reason: r, evidence });

    if (rows.length === 0) return undetermined(reason('no-rows', '泄露文件没有数据行。', 'The leaked file has no rows.'), 0);
    if (!best) return undetermined(reason('no-candidate-stands-out', '没有候选交付。', 'There are no candidate deliveries.'), 0);
    if (matched.size === 0) {
      return undetermined(
        reason('no-columns-matched', '泄露文件的列名与候选交付的字段均不对应。', 'No column of the leaked file matches a field of any candidate delivery.'),
        0,
      );
    }
    if (!results.some((r) => r.marksSeen > 0)) {
      return undetermined(
        reason(
          'no-carriers',
          '未发现水印：文件中没有携带水印的列，或其值未带水印、已被规整（小数被舍入、秒被去掉、文本被 NFKC 规范化）。',
          'No watermark observed: the file has no carrier columns, or their values are unmarked or normalised (decimals rounded, seconds removed, text NFKC-normalised).',
        ),
        0,
      );
    }
    if (significant.length === 0) {
      const couldProve = results.some((r) => r.bestPossible + log10K <= log10Alpha);
      return couldProve
        ? undetermined(
            reason('no-candidate-stands-out', '没有候选交付的水印吻合程度足以认定来源。', 'No candidate delivery matches the marks well enough to be named.'),
          )
        : undetermined(
            reason(
              'too-few-carriers',
              '携带水印的值太少，即使全部吻合也不足以认定来源。',
              'Too few marked values: even if all of them matched, they could not prove a source.',
            ),
          );
    }
    const recipients = new Set(significant.map((s) => s.recipient));
    if (recipients.size > 1) {
      return undetermined(
        reason(
          'multiple-sources',
          `文件中含有多个接收方（${[...recipients].join('、')}）的水印：可能是混合泄露或多方合谋。`,
          `The file carries the marks of several recipients (${[...recipients].join(', ')}): a mixed leak or collusion.`,
        ),
      );
    }
    const lead = significant[0]!;
    if (lead.rows < minRows) {
      return undetermined(
        reason(
          'too-few-rows',
          `证据只来自 ${lead.rows} 行（少于 ${minRows} 行），不足以认定接收方。`,
          `The evidence comes from ${lead.rows} rows (fewer than ${minRows}): too little to name a recipient.`,
        ),
      );
    }
    if (significant.length > 1) {
      // Several deliveries to the same recipient (a shared grant gives them the same pseudonyms): name the
      // delivery only if the marks written with its own key single it out.
      const byKey = significant.filter((s) => s.keyedLog10Bound + log10K <= log10Alpha);
      if (byKey.length !== 1) {
        return {
          verdict: 'attributed',
          recipient: lead.recipient,
          confidence,
          reason: reason(
            'delivery-ambiguous',
            '可认定接收方，但其多次交付的水印都吻合，无法确定是哪一次交付。',
            'The recipient is certain, but several of its deliveries match; the delivery cannot be told.',
          ),
          evidence,
        };
      }
      return { verdict: 'attributed', deliveryId: byKey[0]!.deliveryId, recipient: lead.recipient, confidence, evidence };
    }
    return { verdict: 'attributed', deliveryId: lead.deliveryId, recipient: lead.recipient, confidence, evidence };
  }

  return { trace };
}

/** Traces one leaked file (rows keyed by the file's column names). Use prepareTrace for many files. */
export function traceLeak(leakedRows: readonly Row[], candidates: readonly Candidate[], options: TraceOptions = {}): TraceResult {
  return prepareTrace(candidates, options).trace(leakedRows);
}
