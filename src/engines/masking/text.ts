// Small string helpers shared by the targets: full-width normalisation, value-to-text conversion and the
// safe fallback for values that do not parse as their target.

const WIDE = /[\u3000\uFF01-\uFF5E\uFF61-\uFF9F]/;

/**
 * NFKC-normalises text that contains full-width or half-width forms (１３８…, ＠, 　) and trims it. Text without
 * such characters is returned trimmed without the (comparatively slow) normalisation (domain.md §4).
 */
export function normalise(s: string): string {
  if (WIDE.test(s)) return s.normalize('NFKC').trim();
  return s.length > 0 && plainEdge(s.charCodeAt(0)) && plainEdge(s.charCodeAt(s.length - 1)) ? s : s.trim();
}

/** Trims `s`, skipping the work when both ends are certainly not whitespace. */
export function trimmed(s: string): string {
  return s.length > 0 && plainEdge(s.charCodeAt(0)) && plainEdge(s.charCodeAt(s.length - 1)) ? s : s.trim();
}

/** A character that is certainly not whitespace (printable ASCII or CJK), so trim() can be skipped. */
const plainEdge = (c: number): boolean => (c > 32 && c < 127) || (c >= 0x3400 && c <= 0x9fff);

/**
 * The text of a scalar value, or null when the value is not a scalar a string target can hold (objects,
 * booleans, non-finite numbers). Strings are returned as they are (not normalised).
 */
export function scalarText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'bigint') return String(v);
  return null;
}

/** Length classes for fallback masks: the mask shows roughly how long the value was, never exactly. */
export function lengthClass(length: number): number {
  if (length <= 4) return 4;
  if (length <= 8) return 8;
  if (length <= 16) return 16;
  return 32;
}

/**
 * The mask for a value that did not parse as its target: every character masked and the length rounded up
 * to its class, so neither a character nor the exact length leaks.
 */
export function fallbackMask(v: unknown, maskChar: string): string {
  const s = typeof v === 'string' ? v : scalarText(v);
  return maskRun(maskChar, lengthClass(s === null ? 4 : Array.from(s).length));
}

const STARS = Array.from({ length: 65 }, (_, i) => '*'.repeat(i));

/** `n` mask characters (cached for the default '*'). */
export function maskRun(maskChar: string, n: number): string {
  if (n <= 0) return '';
  return maskChar === '*' && n <= 64 ? (STARS[n] as string) : maskChar.repeat(n);
}

/** Replaces the middle of `s` with one mask character per hidden character (or a fixed count). */
export function maskMiddle(s: string, keepFirst: number, keepLast: number, maskChar: string, fixedMask?: number): string {
  const n = s.length;
  const hidden = n - keepFirst - keepLast;
  return s.slice(0, keepFirst) + maskRun(maskChar, fixedMask ?? hidden) + s.slice(n - keepLast);
}

/**
 * Masks the significant characters (those `isSig` accepts, e.g. digits) of `s` in place, keeping separators:
 * the first `skip` significant characters (a country code) are kept, then the next `keepFirst` and the last
 * `keepLast`. Returns null when nothing would be hidden.
 */
export function maskInPlace(s: string, isSig: (c: number) => boolean, skip: number, keepFirst: number, keepLast: number, maskChar: string): string | null {
  let total = 0;
  for (let i = 0; i < s.length; i++) if (isSig(s.charCodeAt(i))) total++;
  const from = skip + keepFirst;
  const to = total - keepLast;
  if (to <= from) return null;
  let out = '';
  let sig = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isSig(c)) {
      out += sig >= from && sig < to ? maskChar : s[i];
      sig++;
    } else out += s[i];
  }
  return out;
}

export const isDigit = (c: number): boolean => c >= 48 && c <= 57;
export const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** Groups a string into blocks of `size` separated by spaces (bank cards: 6222 02** **** 1234). */
export function group(s: string, size: number): string {
  if (size <= 0 || s.length <= size) return s;
  let out = s.slice(0, size);
  for (let i = size; i < s.length; i += size) out += ` ${s.slice(i, i + size)}`;
  return out;
}
