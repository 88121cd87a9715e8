// What every identifier-like target provides to the methods: a canonical form (the same identifier written
// two ways gives one canonical form, so pseudonyms and tokens agree), a partial mask and a format-preserving
// token. Each takes the value's text as stored, normalises it (NFKC, trimmed) unless a fast path for the
// plain form applies, and returns null when it does not parse.
import type { KeyedStream } from '../keys.ts';

export interface PartialOptions {
  /** −1 means the target decides per value (a name keeps its surname). */
  keepFirst: number;
  keepLast: number;
  maskChar: string;
  /** Bank cards and resident IDs: group the output in blocks of this size (0: keep the input's own separators). */
  groupSize: number;
  /** When set, the hidden part is this many mask characters whatever its length (hides the length). */
  fixedMaskLength?: number;
}

export interface TokenOptions {
  /** Bank cards: leading digits kept (the issuer's BIN); the rest is fake and the Luhn check recomputed. */
  keepPrefix: number;
  /** Email: keep the domain; otherwise example.com. */
  keepDomain: boolean;
  /** Landline: keep the area code. */
  keepAreaCode: boolean;
}

export interface IdentifierFormat {
  canonical(s: string): string | null;
  partial(s: string, o: PartialOptions): string | null;
  token(s: string, rnd: KeyedStream, o: TokenOptions): string | null;
  /** Defaults for partial masking (domain.md §3); keepFirst null means "decided per value" (a name's surname). */
  partialDefaults: { keepFirst: number | null; keepLast: number; groupSize?: number; fixedMaskLength?: number };
  /** What keepFirst / keepLast count: characters, digits, octets … (for error messages). */
  unit: string;
  /** The most characters (units) keepFirst + keepLast may keep so that something stays hidden. */
  maxKept: number;
}

/** Replaces the significant characters of `s` in order with those of `chars`, keeping separators. */
export function fillInPlace(s: string, isSig: (c: number) => boolean, chars: string, skip = 0): string {
  let out = '';
  let sig = 0;
  for (let i = 0; i < s.length; i++) {
    if (isSig(s.charCodeAt(i))) {
      out += sig >= skip ? (chars[sig - skip] ?? '') : s[i];
      sig++;
    } else out += s[i];
  }
  return out;
}

export function digits(rnd: KeyedStream, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String(rnd.int(10));
  return out;
}
