// Type IDs and shared shapes of the discovery engine (CLS-2, CLS-3, AST-11, DG-13, DG-23). Type IDs are
// stable: they are stored on field labels and scan results, so a new recognizer gets a new ID and an ID is
// never reused for a different meaning.

/** Built-in recognizers, in a fixed order (their index is the internal type number). */
export const BUILTIN_TYPES = [
  'CN_RESIDENT_ID',
  'CN_USCC',
  'CN_ORG_CODE',
  'CN_MOBILE',
  'CN_LANDLINE',
  'BANK_CARD',
  'CN_PASSPORT',
  'CN_HK_MACAU_PERMIT',
  'CN_TAIWAN_PERMIT',
  'CN_LICENSE_PLATE',
  'EMAIL',
  'IPV4',
  'IPV6',
  'CN_NAME',
  'CN_ADDRESS',
  'DATE_OF_BIRTH',
  'KW_HEALTH',
  'KW_RELIGION',
  'KW_BIOMETRIC',
  'KW_CRIMINAL_RECORD',
  'KW_FINANCIAL_ACCOUNT',
  'KW_LOCATION_TRACK',
  'KW_MINOR',
] as const;
export type BuiltinType = (typeof BUILTIN_TYPES)[number];
/** A built-in type ID or an authority's own (custom recognizers: `X_` prefix, see custom.ts). */
export type TypeId = BuiltinType | (string & {});

// Internal type numbers (indexes into BUILTIN_TYPES). Custom recognizers take numbers from CUSTOM_BASE up.
export const T_RESIDENT_ID = 0;
export const T_USCC = 1;
export const T_ORG_CODE = 2;
export const T_MOBILE = 3;
export const T_LANDLINE = 4;
export const T_BANK_CARD = 5;
export const T_PASSPORT = 6;
export const T_HK_MACAU = 7;
export const T_TAIWAN = 8;
export const T_PLATE = 9;
export const T_EMAIL = 10;
export const T_IPV4 = 11;
export const T_IPV6 = 12;
export const T_NAME = 13;
export const T_ADDRESS = 14;
export const T_DOB = 15;
export const T_KW_HEALTH = 16;
export const T_KW_RELIGION = 17;
export const T_KW_BIOMETRIC = 18;
export const T_KW_CRIMINAL = 19;
export const T_KW_FINANCIAL = 20;
export const T_KW_LOCATION = 21;
export const T_KW_MINOR = 22;
export const BUILTIN_COUNT = BUILTIN_TYPES.length;
export const CUSTOM_BASE = 32;
export const MAX_CUSTOM = 32;
export const MAX_TYPES = CUSTOM_BASE + MAX_CUSTOM;

/**
 * One thing found in one cell. Never carries the matched value: only where it is. `start`/`end` are
 * UTF-16 code-unit offsets (JavaScript string indexes, end exclusive) into the ORIGINAL cell value (before
 * normalisation; for a quoted CSV field, the value after unquoting). `row` counts from 1 after any header.
 */
export interface Finding {
  row: number;
  column: string;
  type: TypeId;
  start: number;
  end: number;
  /** 0..1. */
  confidence: number;
}

/** A match in one text (the per-text API): a finding without row and column. */
export interface TextMatch {
  type: TypeId;
  start: number;
  end: number;
  confidence: number;
}

/** Internal: how strongly a match was validated. Overlaps are resolved in favour of the stronger one. */
export const STRENGTH_HINT = 0;
export const STRENGTH_FORMAT = 1;
export const STRENGTH_STRUCTURE = 2;
export const STRENGTH_CHECKSUM = 3;
