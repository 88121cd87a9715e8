// Types of the watermark engine (issue 5; PRT-8, HZ-23, DG-15): recipient-specific invisible marks on
// delivered rows and leak tracing. See docs/watermark.md for the mechanisms and their limits.

/** The masking a delivery applied to a field (PRT-4); pseudonym and token values differ per grant already. */
export type MaskingKind = 'none' | 'partial' | 'pseudonym' | 'token' | 'generalise' | 'suppress';

/** A field (column) of a delivered resource, with what this delivery did to it. */
export interface FieldSpec {
  /** Column name in the rows the gateway delivers. */
  name: string;
  /**
   * Stable identifier that the field's mark tables are derived from (defaults to `name`). Pass the
   * catalog field id so that renaming a field does not break tracing of earlier deliveries.
   */
  id?: string;
  /** Chinese label (数据项中文名), matched against leaked file headers. */
  label?: string;
  /** Further header spellings to match. */
  aliases?: readonly string[];
  /** string, text, integer, decimal, boolean, date, datetime, time, binary, json, geometry. */
  dataType: string;
  /** Declared scale of a decimal (digits after the point). Without it a decimal carries no mark. */
  scale?: number;
  /** Declared precision of a datetime or time. Only `minute` lets the seconds carry a mark. */
  precision?: 'minute' | 'second' | 'millisecond';
  /** Personal-information type (catalog PI_TYPES), if any. */
  piType?: string | null;
  /** Masking applied for this delivery; default `none`. */
  masking?: MaskingKind;
  /** A `string` field that holds free text read by people (descriptions, remarks): allows the text carrier. */
  freeText?: boolean;
  /**
   * Pseudonym or token fields: log2 of the number of values the pseudonym function can produce
   * (default 32). Bounds the chance that a value not issued to a delivery still matches one it was issued.
   */
  valueSpaceBits?: number;
}

/**
 * Carriers: `decimal` (sub-scale digits), `seconds` (seconds of a minute-precision time), `text`
 * (half/full-width forms in free text), `mask` (`*` or `＊` in partially masked values) are written by
 * the mark key; `pseudonym` changes nothing and is evidence only (per-grant pseudonyms and tokens,
 * recomputed at trace time from the originals).
 */
export type CarrierKind = 'decimal' | 'seconds' | 'text' | 'mask' | 'pseudonym';

export interface PlannedField {
  field: FieldSpec;
  /** Identifier the tables are derived from (field.id ?? field.name). */
  id: string;
  carriers: CarrierKind[];
}

export type SkipReason =
  | 'identifier' // values that must still validate (ID numbers, phones, accounts …) are never altered
  | 'suppressed'
  | 'generalised' // generalised values that are not free text
  | 'no-declared-scale'
  | 'scale-zero'
  | 'precision-not-minute'
  | 'not-free-text'
  | 'type-not-markable';

export interface MarkPlan {
  version: 1;
  /** Fields with at least one carrier. */
  fields: PlannedField[];
  /** Fields left alone, and why. */
  skipped: { name: string; reason: SkipReason }[];
  /** Some field carries a mark or evidence. False: the gateway should warn or refuse per policy. */
  hasCarrier: boolean;
  /** Some field carries a mark written with the delivery's mark key (not only pseudonym evidence). */
  hasKeyedCarrier: boolean;
}

export interface MarkOptions {
  /** Offset of the platform's time zone from UTC in minutes (Asia/Shanghai: 480, the default). */
  tzOffsetMinutes?: number;
}

/** One delivery that might be the source of a leak. */
export interface Candidate {
  deliveryId: string;
  recipient: string;
  /** The delivery's secret mark key (32 random bytes). */
  markKey: Buffer;
  /** The fields and masking this delivery got. */
  fields: readonly FieldSpec[];
  /**
   * The value this delivery's grant gave an original value of a pseudonym or token field (recomputed with
   * the per-grant key, or looked up in the token vault). Used with TraceOptions.originalRows.
   */
  pseudonymOf?: (field: FieldSpec, original: unknown) => unknown;
}

export interface TraceOptions extends MarkOptions {
  /** Bound on the chance of a wrong attribution, after correction over the candidates. Default 1e-9. */
  alpha?: number;
  /** Fewest leaked rows carrying evidence for the source before a recipient is named. Default 20. */
  minRows?: number;
  /** The resource's original rows (keyed by field name): needed only for pseudonym/token evidence. */
  originalRows?: () => Iterable<Record<string, unknown>>;
  /** How many candidates the evidence lists (default 5). */
  top?: number;
}

export interface CandidateEvidence {
  deliveryId: string;
  recipient: string;
  /** Carrier observations that agree / disagree with this delivery's marks. */
  agree: number;
  disagree: number;
  /** Leaked rows that gave this candidate at least one observation. */
  rows: number;
  /** −log10 of the corrected false-attribution bound (≥ 9 means significant at the default alpha). */
  score: number;
  /** log10 of the uncorrected bound on P(this much agreement | the file did not come from this delivery). */
  log10Bound: number;
  /** Same, counting only marks written with the mark key (no pseudonym evidence). */
  keyedLog10Bound: number;
}

export type TraceReasonCode =
  | 'no-rows'
  | 'no-columns-matched'
  | 'no-carriers'
  | 'too-few-carriers'
  | 'no-candidate-stands-out'
  | 'too-few-rows'
  | 'multiple-sources'
  | 'delivery-ambiguous';

export interface TraceReason {
  code: TraceReasonCode;
  zh: string;
  en: string;
}

export interface TraceResult {
  verdict: 'attributed' | 'undetermined';
  /** Set when one delivery is named (absent when several deliveries to the same recipient match). */
  deliveryId?: string;
  recipient?: string;
  /** 1 − corrected bound for the top candidate (0 when nothing stands out). */
  confidence: number;
  reason?: TraceReason;
  evidence: {
    rows: number;
    /** Leaked column names matched to a field by some candidate, and those no candidate knows. */
    matchedColumns: string[];
    unmatchedColumns: string[];
    /** Carrier observations (agree + disagree): the most any candidate had (candidates' plans differ). */
    carriersObserved: number;
    /** Top candidates by score. */
    perCandidate: CandidateEvidence[];
    /** Every candidate whose evidence alone is significant (the source; several in a mixed leak). */
    sources: CandidateEvidence[];
  };
}
