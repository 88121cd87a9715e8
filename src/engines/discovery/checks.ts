// Validators of the identifier formats of domain.md §4, over bytes (the scanner's fast path reads a UTF-8
// buffer) with string wrappers for everything else. Pure functions, no allocation on the byte paths.
import { isValidOrgCode, isValidUscc } from '../identifiers/uscc.ts';

const D0 = 48; // '0'

/** GB 11643 province codes (first two digits): 11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82, 83. */
export const PROVINCE_CODES: readonly number[] = [
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];
const PROVINCE = new Uint8Array(100);
for (const p of PROVINCE_CODES) PROVINCE[p] = 1;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** Σ mod 11 → check character code ('X' = 88). */
const ID_CHECK = new Int32Array([49, 48, 88, 57, 56, 55, 54, 53, 52, 51, 50]);
const MONTH_DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A calendar date that exists (Gregorian, leap years included). */
export function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  if (d <= 28) return true;
  if (m === 2 && d === 29) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= MONTH_DAYS[m];
}

/** 'YYYY-MM-DD' → YYYYMMDD as a number (the form the byte validators compare with). */
export function ymdNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  return Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]);
}

/** Today in China Standard Time as YYYYMMDD (the default "as of" date for ages and birth dates). */
export function todayYmd(now: Date = new Date()): number {
  const t = new Date(now.getTime() + 8 * 3600_000);
  return t.getUTCFullYear() * 10000 + (t.getUTCMonth() + 1) * 100 + t.getUTCDate();
}

function digits(b: Uint8Array, s: number, n: number): number {
  let v = 0;
  for (let i = s; i < s + n; i++) v = v * 10 + (b[i] - D0);
  return v;
}

/**
 * The birth date of a resident-ID body at `s` (bytes already known to be digits), as YYYYMMDD, or 0 when it
 * is no real date, before 1800 or after `asOf`. `full` = 8-digit date (18-character ID) else 6-digit (15).
 */
export function idBirthDate(b: Uint8Array, s: number, full: boolean, asOf: number): number {
  const y = full ? digits(b, s, 4) : 1900 + digits(b, s, 2);
  const o = full ? 4 : 2;
  const m = digits(b, s + o, 2);
  const d = digits(b, s + o + 2, 2);
  if (y < 1800 || !isRealDate(y, m, d)) return 0;
  const ymd = y * 10000 + m * 100 + d;
  return ymd > asOf ? 0 : ymd;
}

/** Region prefix: a province code, or a leading 9 (2023 permanent-residence card) then a province code. */
function regionOk(b: Uint8Array, s: number): boolean {
  if (PROVINCE[(b[s] - D0) * 10 + (b[s + 1] - D0)] === 1) return true;
  return b[s] === 57 && PROVINCE[(b[s + 1] - D0) * 10 + (b[s + 2] - D0)] === 1;
}

/** The date YYYYMMDD at b[s..s+8) (digits), or 0 when it is no real date, before 1800 or after asOf. */
function date8(b: Uint8Array, s: number, asOf: number): number {
  const y = (b[s] - D0) * 1000 + (b[s + 1] - D0) * 100 + (b[s + 2] - D0) * 10 + (b[s + 3] - D0);
  const m = (b[s + 4] - D0) * 10 + (b[s + 5] - D0);
  const d = (b[s + 6] - D0) * 10 + (b[s + 7] - D0);
  if (y < 1800 || m < 1 || m > 12 || d < 1 || (d > 28 && !isRealDate(y, m, d))) return 0;
  const ymd = y * 10000 + m * 100 + d;
  return ymd > asOf ? 0 : ymd;
}

/**
 * 18-character resident ID (GB 11643-1999) at b[s..s+18): 17 digits then a digit or X/x (the caller has
 * checked the shape). Check character, region prefix and birth date (≤ asOf). Unrolled: it runs on
 * every 18-digit token.
 */
export function residentId18(b: Uint8Array, s: number, asOf: number): boolean {
  const sum =
    7 * (b[s] - D0) +
    9 * (b[s + 1] - D0) +
    10 * (b[s + 2] - D0) +
    5 * (b[s + 3] - D0) +
    8 * (b[s + 4] - D0) +
    4 * (b[s + 5] - D0) +
    2 * (b[s + 6] - D0) +
    (b[s + 7] - D0) +
    6 * (b[s + 8] - D0) +
    3 * (b[s + 9] - D0) +
    7 * (b[s + 10] - D0) +
    9 * (b[s + 11] - D0) +
    10 * (b[s + 12] - D0) +
    5 * (b[s + 13] - D0) +
    8 * (b[s + 14] - D0) +
    4 * (b[s + 15] - D0) +
    2 * (b[s + 16] - D0);
  const c = b[s + 17] === 120 ? 88 : b[s + 17];
  if (ID_CHECK[sum % 11] !== c) return false;
  return regionOk(b, s) && date8(b, s + 6, asOf) !== 0;
}

/** Region prefix and birth date of an 18-digit resident ID, without its check character. */
export function residentIdShape(b: Uint8Array, s: number, asOf: number): boolean {
  return regionOk(b, s) && date8(b, s + 6, asOf) !== 0;
}

/** 15-digit legacy resident ID: region prefix and a real 19YYMMDD birth date; it has no check character. */
export function residentId15(b: Uint8Array, s: number, asOf: number): boolean {
  const p = (b[s] - D0) * 10 + (b[s + 1] - D0);
  return PROVINCE[p] === 1 && idBirthDate(b, s + 6, false, asOf) !== 0;
}

const DOUBLED = new Int32Array([0, 2, 4, 6, 8, 1, 3, 5, 7, 9]);

/** Luhn (mod 10) over the digits b[s..e). */
export function luhn(b: Uint8Array, s: number, e: number): boolean {
  let sum = 0;
  let i = e - 1;
  for (; i > s; i -= 2) sum += b[i] - D0 + DOUBLED[b[i - 1] - D0];
  if (i === s) sum += b[s] - D0;
  return sum % 10 === 0;
}

export const CARD_NONE = 0;
export const CARD_UNIONPAY = 1;
export const CARD_OTHER = 2;

/**
 * Card scheme by prefix and length (domain.md §4): China UnionPay 62 (16–19) and the domestic 60 range
 * (16–19), Visa 4 (13/16/19; the scanner only looks at 16–19), Mastercard 51–55 and 2221–2720 (16),
 * JCB 3528–3589 (16–19).
 */
export function cardScheme(b: Uint8Array, s: number, len: number): number {
  const d1 = b[s] - D0;
  const d2 = b[s + 1] - D0 + d1 * 10;
  if (d2 === 62) return len >= 16 && len <= 19 ? CARD_UNIONPAY : CARD_NONE;
  if (d2 === 60) return len >= 16 && len <= 19 ? CARD_OTHER : CARD_NONE;
  if (d1 === 4) return len === 16 || len === 19 || len === 13 ? CARD_OTHER : CARD_NONE;
  if (d2 >= 51 && d2 <= 55) return len === 16 ? CARD_OTHER : CARD_NONE;
  if (d2 === 22 || d2 === 27 || (d2 >= 23 && d2 <= 26)) {
    const d4 = digits(b, s, 4);
    return len === 16 && d4 >= 2221 && d4 <= 2720 ? CARD_OTHER : CARD_NONE;
  }
  if (d2 === 35) {
    const d4 = digits(b, s, 4);
    return len >= 16 && len <= 19 && d4 >= 3528 && d4 <= 3589 ? CARD_OTHER : CARD_NONE;
  }
  return CARD_NONE;
}

/** Mobile: 11 digits 1[3-9]… at b[s]. */
export function mobile11(b: Uint8Array, s: number): boolean {
  return b[s] === 49 && b[s + 1] >= 51 && b[s + 1] <= 57;
}

/**
 * Length of the area code of a landline number starting at b[s] ('0'): 3 for 010 and 02X, 4 for 0[3-9]XX,
 * 0 when it cannot be one.
 */
export function areaCodeLength(b: Uint8Array, s: number): number {
  if (b[s] !== D0) return 0;
  const d = b[s + 1];
  if (d === 49) return b[s + 2] === D0 ? 3 : 0; // 010
  if (d === 50) return 3; // 020–029
  if (d >= 51 && d <= 57) return 4;
  return 0;
}

/** Local numbers are 7 or 8 digits and do not start with 0 or 1. */
export function localNumberOk(b: Uint8Array, s: number, len: number): boolean {
  return (len === 7 || len === 8) && b[s] >= 50;
}

/**
 * A complete landline written without separators at b[s..s+len): area code + local number, or a 400/800
 * service number (10 digits).
 */
export function landlineDigits(b: Uint8Array, s: number, len: number): boolean {
  if (len === 10 && (b[s] === 52 || b[s] === 56) && b[s + 1] === D0 && b[s + 2] === D0) return true; // 400/800 xxx xxxx
  const a = areaCodeLength(b, s);
  return a !== 0 && localNumberOk(b, s + a, len - a);
}

// ---- String wrappers (tests, custom-recognizer checksums, per-value checks) ----

const enc = new TextEncoder();
const bytesOf = (s: string) => enc.encode(s);

/** A resident ID (18 characters, or 15-digit legacy), checked as the scanner checks it. */
export function isValidResidentId(value: string, asOf: number = todayYmd()): boolean {
  if (/^\d{17}[\dXx]$/.test(value)) return residentId18(bytesOf(value), 0, asOf);
  if (/^\d{15}$/.test(value)) return residentId15(bytesOf(value), 0, asOf);
  return false;
}

/** GB 11643 check character for 17 digits. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('17 digits expected');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return String.fromCharCode(ID_CHECK[sum % 11]);
}

/** Converts a 15-digit legacy ID to 18 characters (insert 19 after the address code, add the check). */
export function residentId15To18(id15: string): string {
  if (!/^\d{15}$/.test(id15)) throw new Error('15 digits expected');
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return first17 + residentIdCheckChar(first17);
}

export function isLuhnValid(value: string): boolean {
  return /^\d{2,}$/.test(value) && luhn(bytesOf(value), 0, value.length);
}

/** Bank card: 16–19 digits, a known scheme prefix and Luhn (UnionPay numbers failing Luhn are not valid). */
export function isValidBankCard(value: string): boolean {
  if (!/^\d{16,19}$/.test(value)) return false;
  const b = bytesOf(value);
  return cardScheme(b, 0, b.length) !== CARD_NONE && luhn(b, 0, b.length);
}

/** ISO 7064 MOD 97-10 (as IBAN uses it): letters A=10 … Z=35; valid when the remainder is 1. */
export function isMod97Valid(value: string): boolean {
  if (!/^[0-9A-Z]{2,}$/.test(value)) return false;
  let r = 0;
  for (const ch of value) {
    const v = ch <= '9' ? ch.charCodeAt(0) - 48 : ch.charCodeAt(0) - 55;
    r = v > 9 ? (r * 100 + v) % 97 : (r * 10 + v) % 97;
  }
  return r === 1;
}

/** The fixed menu of checksums a custom recognizer may name (custom.ts). */
export const CHECKSUMS = {
  luhn: (v: string) => isLuhnValid(v.replace(/\D/g, '')),
  gb11643: (v: string) => isValidResidentId(v),
  gb32100: (v: string) => isValidUscc(v),
  gb11714: (v: string) => isValidOrgCode(v),
  'iso7064-mod97-10': isMod97Valid,
} as const;
export type ChecksumName = keyof typeof CHECKSUMS;

// ---- GB 32100 / GB 11714 over bytes (the same rules as ../identifiers/uscc.ts, which stays the reference
// implementation: checks.test.ts proves both agree; the scanner cannot afford a string per candidate) ----

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Byte → value in the GB 32100 alphabet + 1 (0 = not in the alphabet). */
const USCC_VALUE = new Uint8Array(256);
for (let i = 0; i < USCC_ALPHABET.length; i++) USCC_VALUE[USCC_ALPHABET.charCodeAt(i)] = i + 1;
/** Byte → value of an organisation-code character (0–9, A=10 … Z=35) + 1 (0 = invalid). */
const ORG_VALUE = new Uint8Array(256);
for (let i = 0; i < 10; i++) ORG_VALUE[48 + i] = i + 1;
for (let i = 0; i < 26; i++) ORG_VALUE[65 + i] = 11 + i;

/** Organisation code (GB 11714) at b[s..s+8) + check character at b[c] (unrolled: it runs per candidate). */
export function orgCodeBytes(b: Uint8Array, s: number, c: number): boolean {
  const v0 = ORG_VALUE[b[s]] - 1;
  const v1 = ORG_VALUE[b[s + 1]] - 1;
  const v2 = ORG_VALUE[b[s + 2]] - 1;
  const v3 = ORG_VALUE[b[s + 3]] - 1;
  const v4 = ORG_VALUE[b[s + 4]] - 1;
  const v5 = ORG_VALUE[b[s + 5]] - 1;
  const v6 = ORG_VALUE[b[s + 6]] - 1;
  const v7 = ORG_VALUE[b[s + 7]] - 1;
  if ((v0 | v1 | v2 | v3 | v4 | v5 | v6 | v7) < 0) return false;
  const sum = 3 * v0 + 7 * v1 + 9 * v2 + 10 * v3 + 5 * v4 + 8 * v5 + 4 * v6 + 2 * v7;
  const r = 11 - (sum % 11);
  const want = r === 10 ? 88 : r === 11 ? 48 : 48 + r;
  return b[c] === want;
}

/**
 * Unified social credit code (GB 32100) at b[s..s+18): structure, alphabet, check character, embedded
 * organisation code. Structure (GB 32100 §4): a registration-authority code (1–9, A, N, Y), an
 * organisation-type code (1–9), and a division code whose first two digits are a province (or 10, national).
 */
export function usccBytes(b: Uint8Array, s: number): boolean {
  const c0 = b[s];
  if (!((c0 >= 49 && c0 <= 57) || c0 === 65 || c0 === 78 || c0 === 89)) return false;
  if (b[s + 1] < 49 || b[s + 1] > 57) return false;
  const p = (b[s + 2] - D0) * 10 + (b[s + 3] - D0);
  if (p !== 10 && PROVINCE[p] !== 1) return false;
  const V = USCC_VALUE;
  const v0 = V[c0] - 1;
  const v1 = V[b[s + 1]] - 1;
  const v2 = V[b[s + 2]] - 1;
  const v3 = V[b[s + 3]] - 1;
  const v4 = V[b[s + 4]] - 1;
  const v5 = V[b[s + 5]] - 1;
  const v6 = V[b[s + 6]] - 1;
  const v7 = V[b[s + 7]] - 1;
  const v8 = V[b[s + 8]] - 1;
  const v9 = V[b[s + 9]] - 1;
  const v10 = V[b[s + 10]] - 1;
  const v11 = V[b[s + 11]] - 1;
  const v12 = V[b[s + 12]] - 1;
  const v13 = V[b[s + 13]] - 1;
  const v14 = V[b[s + 14]] - 1;
  const v15 = V[b[s + 15]] - 1;
  const v16 = V[b[s + 16]] - 1;
  const v17 = V[b[s + 17]] - 1;
  if ((v0 | v1 | v2 | v3 | v4 | v5 | v6 | v7 | v8 | v9 | v10 | v11 | v12 | v13 | v14 | v15 | v16 | v17) < 0) return false;
  const sum =
    v0 +
    3 * v1 +
    9 * v2 +
    27 * v3 +
    19 * v4 +
    26 * v5 +
    16 * v6 +
    17 * v7 +
    20 * v8 +
    29 * v9 +
    25 * v10 +
    13 * v11 +
    8 * v12 +
    24 * v13 +
    10 * v14 +
    30 * v15 +
    28 * v16;
  if (v17 !== (31 - (sum % 31)) % 31) return false;
  return orgCodeBytes(b, s + 8, s + 16);
}
