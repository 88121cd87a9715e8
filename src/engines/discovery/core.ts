// The byte-level scanner of one cell value: a single pass over UTF-8 bytes that splits ASCII alphanumeric
// runs, CJK characters and separators, and hands runs to validators by length and shape. No regular
// expression, no string per token, no allocation per cell: matches go into typed arrays ("pending") that
// the caller (scanner.ts) turns into column statistics and findings when the cell ends.
//
// Token rules (shared by every recognizer):
// - A token is a maximal run of ASCII letters, digits and '_'. A run with '_' matches nothing (it is part of
//   a longer word), so an identifier is never found inside a longer alphanumeric string.
// - Digit runs joined by one separator (space, '-', '/', '.', ')', or 年/月) form a chain; chain patterns
//   (138 1234 5678, 6222 0212 3456 7890, (010)12345678, +86 138-1234-5678, 1990年1月1日, 192.168.1.1) are
//   tried first at each position, the remaining runs on their own. A chain with '.' only matches as a whole
//   (IPv4, dotted date): '13812345678.00' is an amount, not a phone number.
// - Overlaps are resolved by validation strength, in a fixed order per shape: an 18-character run is a
//   resident ID if its check passes, else a credit code if its checks pass, else a bank card.
// - CSV mode: the scanner also finds the end of the field (delimiter, newline, RFC 4180 quotes).
// - Characters whose NFKC form is ASCII that matters (full-width digits and letters, full-width '-' next to
//   digits, …) set `needSlow`: the caller rescans the cell on the normalising path (scanner.ts).
import {
  areaCodeLength,
  CARD_NONE,
  CARD_UNIONPAY,
  cardScheme,
  idBirthDate,
  isRealDate,
  landlineDigits,
  localNumberOk,
  luhn,
  mobile11,
  orgCodeBytes,
  residentId15,
  residentId18,
  residentIdShape,
  usccBytes,
} from './checks.ts';
import {
  ASCII_KEYWORDS,
  cjkTables,
  F_KEYWORD,
  F_NAME_DOT,
  F_NORM_ADJACENT,
  F_NORM_ALWAYS,
  F_NORM_COLON,
  F_PLATE_TAIL,
  F_PROVINCE,
  type Keyword,
  pairBit,
} from './cjk.ts';
import {
  MAX_TYPES,
  STRENGTH_CHECKSUM,
  STRENGTH_FORMAT,
  STRENGTH_STRUCTURE,
  T_BANK_CARD,
  T_DOB,
  T_EMAIL,
  T_HK_MACAU,
  T_IPV4,
  T_IPV6,
  T_KW_HEALTH,
  T_LANDLINE,
  T_MOBILE,
  T_ORG_CODE,
  T_PASSPORT,
  T_PLATE,
  T_RESIDENT_ID,
  T_TAIWAN,
  T_USCC,
} from './types.ts';

// Byte classes. Run characters are bit flags (< 16) so a run's kinds are OR-ed while scanning it.
const K_DIGIT = 1;
const K_UPPER = 2;
const K_LOWER = 4;
const K_UNDER = 8;
const K_SEP = 16;
const K_AT = 17;
const K_COLON = 18;
const K_U2 = 19;
const K_U3 = 20;
const K_U4 = 21;
const K_DELIM = 22;
const K_NL = 23;
const K_QUOTE = 24;

const QUOTE = 34;
const NORM_FLAGS = F_NORM_ALWAYS | F_NORM_ADJACENT | F_NORM_COLON;
/** Flags that need work at the character (the address markers are only collected). */
const SPECIAL = F_KEYWORD | F_PROVINCE | F_NAME_DOT | NORM_FLAGS;

/** Separator codes in chains (bytes, plus two for 年 and 月). */
const SEP_NIAN = 1;
const SEP_YUE = 2;

/** Pending flag: a date that only counts as a date of birth with a column hint or a context word. */
export const COND_DOB = 1;

export const TERM_DELIM = 1;
export const TERM_NEWLINE = 2;
export const TERM_EOF = 3;

/** Result of scan() when the buffer ends before the field does (feed more bytes, then scan it again). */
export const INCOMPLETE = -1;

const MAX_CHAIN = 8;
/**
 * A landline written as bare digits (01062345678) is weak evidence on its own: most 11–12-digit numbers
 * starting with 0 have a valid area code. Below the reporting threshold unless the column is named for phones.
 */
const LANDLINE_BARE = 40;
const PRE_PLUS = 1;
const PRE_OPEN = 2;
/** Column hints that say what a column holds (every built-in type but the keyword categories). */
const IDENTITY_HINTS = (1 << T_KW_HEALTH) - 1;
const MAX_PENDING = 1 << 16;

function classTable(mode: 'plain' | 'csv' | 'quoted', delimiter: number): Uint8Array {
  const t = new Uint8Array(256);
  t.fill(K_SEP);
  for (let c = 48; c <= 57; c++) t[c] = K_DIGIT;
  for (let c = 65; c <= 90; c++) t[c] = K_UPPER;
  for (let c = 97; c <= 122; c++) t[c] = K_LOWER;
  t[95] = K_UNDER;
  t[64] = K_AT;
  t[58] = K_COLON;
  for (let c = 0xc2; c <= 0xdf; c++) t[c] = K_U2;
  for (let c = 0xe0; c <= 0xef; c++) t[c] = K_U3;
  for (let c = 0xf0; c <= 0xf4; c++) t[c] = K_U4;
  if (mode === 'csv') {
    t[delimiter] = K_DELIM;
    t[10] = K_NL;
  } else if (mode === 'quoted') {
    t[QUOTE] = K_QUOTE;
  }
  return t;
}

const IS_ALNUM = new Uint8Array(256);
const IS_HEX = new Uint8Array(256);
const IS_LOCAL = new Uint8Array(256); // e-mail local part
for (let c = 0; c < 256; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9]/.test(ch)) IS_ALNUM[c] = 1;
  if (/[A-Fa-f0-9]/.test(ch)) IS_HEX[c] = 1;
  if (/[A-Za-z0-9._%+-]/.test(ch)) IS_LOCAL[c] = 1;
}
const isDigit = (c: number) => c >= 48 && c <= 57;
/** Lengths at which a run that starts with a letter may be something (3–4: ASCII keywords, 9: documents, 18: codes). */
const LETTER_RUN = new Uint8Array(21);
for (const len of [3, 4, 9, 18]) LETTER_RUN[len] = 1;
/**
 * Bytes after a run that may join it to the next run (or start an IPv6 address): ' ' - . / ) : and the
 * lead byte of 年/月. 1: always look closer; 2: only before a digit (or X, or any letter after '-');
 * 3: 年 (E5 B9 B4); 4: 月 (E6 9C 88).
 */
const JOINER = new Uint8Array(256);
for (const c of [41, 58]) JOINER[c] = 1;
for (const c of [32, 45, 46, 47]) JOINER[c] = 2;
JOINER[0xe5] = 3;
JOINER[0xe6] = 4;

/** Whether the byte at b[i] (after a run) may join the run to what follows. */
function mayJoin(b: Uint8Array, i: number): boolean {
  const j = JOINER[b[i]];
  if (j === 0) return false;
  if (j === 1) return true;
  if (j === 2) return isDigit(b[i + 1]) || b[i + 1] === 88 || (b[i] === 45 && IS_ALNUM[b[i + 1]] === 1);
  if (j === 3) return b[i + 1] === 0xb9 && b[i + 2] === 0xb4;
  return b[i + 1] === 0x9c && b[i + 2] === 0x88;
}

/** A custom recognizer compiled for the token path (custom.ts makes these). */
export interface TokenRecognizer {
  type: number;
  re: RegExp;
  minLen: number;
  maxLen: number;
  check: ((value: string) => boolean) | null;
  strength: number;
  confidence: number;
  /** Only in columns whose name matches the recognizer's hints. */
  hintOnly: boolean;
}

export interface CoreOptions {
  /** YYYYMMDD: birth dates after it are impossible. */
  asOf: number;
  delimiter?: number;
  tokenRecognizers?: readonly TokenRecognizer[];
}

export class Core {
  readonly asOf: number;
  private readonly asOfYear: number;
  private readonly tokenCustom: readonly TokenRecognizer[];
  private readonly hasCustom: boolean;
  private readonly maxCustomLen: number;
  /** Built-in types the current column's name suggests (bit per type number). */
  hintMask = 0;

  /**
   * Sets the column context of the next values: its hint masks and which character roles to look for.
   * Keywords of sensitive categories are looked for in columns whose name does not already say what they
   * hold (free text, unnamed columns); plates only where plates may be.
   */
  setColumn(hintMask: number, customHintMask: number, info: Uint16Array = this.infoFor(hintMask)): void {
    this.hintMask = hintMask;
    this.customHintMask = customHintMask;
    this.info = info;
  }

  /** The character table for a column with these hints (a column keeps it: setColumn's third argument). */
  infoFor(hintMask: number): Uint16Array {
    if ((hintMask & IDENTITY_HINTS) === 0) return this.infoFull;
    return (hintMask & (1 << T_PLATE)) !== 0 ? this.infoNoKeywords : this.infoShapes;
  }
  /** Custom types (bit per type number − 32) the current column's name suggests. */
  customHintMask = 0;

  readonly tblPlain: Uint8Array;
  readonly tblCsv: Uint8Array;
  readonly tblQuoted: Uint8Array;
  private info: Uint16Array;
  private readonly infoFull: Uint16Array;
  private readonly infoNoKeywords: Uint16Array;
  private readonly infoShapes: Uint16Array;
  private readonly norm1: Uint16Array;
  private readonly kwIndex: Uint16Array;
  private readonly kwLists: Keyword[][];
  private readonly kwPairs: Uint32Array;

  // Pending matches of the current cell (byte offsets into the scanned buffer). pMeta packs the type
  // (bits 0–7), confidence 0–100 (8–15), strength (16–23) and flags (24–31).
  pn = 0;
  pMeta = new Int32Array(256);
  pStart = new Int32Array(256);
  pEnd = new Int32Array(256);
  /** Matches dropped because one cell had more than 65,536 (memory stays bounded). */
  dropped = 0;

  // Shape candidates and validator passes of the current cell (column inference: pass rates).
  readonly cand = new Int32Array(MAX_TYPES);
  readonly valid = new Int32Array(MAX_TYPES);
  readonly touchedList = new Int32Array(MAX_TYPES);
  private readonly touched = new Uint8Array(MAX_TYPES);
  tn = 0;

  // The current chain of joined runs.
  private readonly gS = new Int32Array(MAX_CHAIN);
  private readonly gE = new Int32Array(MAX_CHAIN);
  private readonly gSep = new Uint8Array(MAX_CHAIN);
  private readonly gFl = new Uint8Array(MAX_CHAIN);
  /** PRE_PLUS / PRE_OPEN: what precedes the group (a phone number's span includes '+', and '(' when closed). */
  private readonly gPre = new Uint8Array(MAX_CHAIN);
  private gn = 0;
  private nextSep = 0;
  private readonly scratch = new Uint8Array(64);

  // Facts about the current cell.
  valueStart = 0;
  valueEnd = 0;
  quoted = false;
  /** Still inside the quotes where the scan stopped (a long field continues in quotes). */
  inQuotes = false;
  /** Quote bytes inside [valueStart, valueEnd) that are not content: the closing quote and one of each "". */
  quoteBytes = 0;
  term = 0;
  /** 3-byte characters; name dots (2-byte '·', 3-byte '•' '・'). */
  cjk = 0;
  dot2 = 0;
  dot3 = 0;
  /** OR of the flag words of every non-ASCII character. */
  cellFlags = 0;
  needSlow = false;
  dobContext = false;
  private csvMode = false;
  /** A rare path changed the facts above since they were last reset. */
  private dirty = true;
  private plateRun = -1;
  private kwEnd = 0;

  constructor(opts: CoreOptions) {
    this.asOf = opts.asOf;
    this.asOfYear = Math.floor(opts.asOf / 10000);
    this.tokenCustom = opts.tokenRecognizers ?? [];
    this.hasCustom = this.tokenCustom.length > 0;
    this.maxCustomLen = Math.max(0, ...this.tokenCustom.map((r) => r.maxLen));
    const delim = opts.delimiter ?? 44;
    this.tblPlain = classTable('plain', delim);
    this.tblCsv = classTable('csv', delim);
    this.tblQuoted = classTable('quoted', delim);
    const t = cjkTables();
    this.info = t.info;
    this.infoFull = t.info;
    this.infoNoKeywords = t.infoNoKeywords;
    this.infoShapes = t.infoShapes;
    this.norm1 = t.norm1;
    this.kwIndex = t.keywordIndex;
    this.kwLists = t.keywordLists;
    this.kwPairs = t.keywordPairs;
  }

  /**
   * Scans one value starting at b[start] (`resume`: 0 = a new field, 1/2 = the rest of a long field,
   * outside/inside quotes). CSV mode (`csv`): the value ends at the delimiter or newline outside quotes;
   * the result is the index after that terminator (or `n` at the end of the input when `final`), or
   * INCOMPLETE when the buffer ends first and more input may follow. Plain mode: the whole of b[start..n)
   * is the value. Afterwards `valueStart`/`valueEnd`, the cell facts and the pending matches describe it.
   */
  scan(b: Uint8Array, start: number, n: number, csv: boolean, final: boolean, resume = 0): number {
    this.pn = 0;
    if (this.tn > 0) this.clearTouched();
    this.gn = 0;
    this.nextSep = 0;
    if (this.dirty) {
      // Facts only the rarer paths set (quotes, special characters).
      this.quoteBytes = 0;
      this.dot2 = 0;
      this.dot3 = 0;
      this.needSlow = false;
      this.dobContext = false;
      this.plateRun = -1;
      this.kwEnd = 0;
      this.dirty = false;
    }
    this.csvMode = csv;
    let i = start;
    let tbl = csv ? this.tblCsv : this.tblPlain;
    let quoted = false;
    if (resume === 2 || (resume === 0 && csv && i < n && b[i] === QUOTE)) {
      quoted = true;
      tbl = this.tblQuoted;
      if (resume === 0) i++;
    }
    this.quoted = quoted;
    this.valueStart = i;
    const info = this.info;
    let cjk = 0;
    let flags = 0;
    let result: number;
    for (;;) {
      if (i >= n) {
        if (!final) return INCOMPLETE;
        if (this.gn > 0) this.evalChain(b);
        this.valueEnd = n;
        this.term = TERM_EOF;
        result = n;
        break;
      }
      const c = b[i];
      let k: number;
      if (c - 48 < 10 && c >= 48) {
        // A run that starts with a digit: digits first (the common case), then any letters.
        const s = i;
        i++;
        while (i < n) {
          const d = b[i];
          if (d > 57 || d < 48) break;
          i++;
        }
        let fl = K_DIGIT;
        while (i < n) {
          const k2 = tbl[b[i]];
          if (k2 >= K_SEP) break;
          fl |= k2;
          i++;
        }
        if (i >= n && !final) return INCOMPLETE;
        // Most runs are too short to be anything and stand alone: skip them without a call.
        if (fl === K_DIGIT && i - s < 8 && this.gn === 0 && !mayJoin(b, i) && !this.hasCustom) continue;
        i = this.endRun(b, s, i, fl, n);
        continue;
      }
      k = tbl[c];
      if (k < K_SEP) {
        const s = i;
        let fl = k;
        i++;
        while (i < n) {
          const k2 = tbl[b[i]];
          if (k2 >= K_SEP) break;
          fl |= k2;
          i++;
        }
        if (i >= n && !final) return INCOMPLETE;
        if (LETTER_RUN[Math.min(i - s, 20)] === 0 && this.gn === 0 && s !== this.plateRun && !mayJoin(b, i) && !this.hasCustom) continue;
        i = this.endRun(b, s, i, fl, n);
        continue;
      }
      if (k === K_U3) {
        // A run of 3-byte characters (Chinese text) in one tight loop.
        let c3 = c;
        let stop = false;
        for (;;) {
          if (i + 2 >= n) {
            if (!final) return INCOMPLETE;
            i = n;
            break;
          }
          cjk++;
          const f = info[((c3 & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f)];
          if (f !== 0) {
            flags |= f;
            if ((f & SPECIAL) !== 0 && this.special(b, i, n, f)) {
              stop = true;
              break;
            }
          }
          i += 3;
          if (i >= n) break;
          c3 = b[i];
          if (c3 < 0xe0 || c3 > 0xef) break;
        }
        if (stop) {
          result = this.skipRest(b, i + 3, n, final, tbl === this.tblQuoted);
          if (result === INCOMPLETE) return INCOMPLETE;
          break;
        }
        continue;
      }
      if (k === K_SEP) {
        i++;
        continue;
      }
      if (k === K_DELIM || k === K_NL) {
        this.valueEnd = k === K_NL && i > this.valueStart && b[i - 1] === 13 ? i - 1 : i;
        this.term = k === K_DELIM ? TERM_DELIM : TERM_NEWLINE;
        result = i + 1;
        break;
      }
      if (k === K_QUOTE) {
        if (i + 1 >= n && !final) return INCOMPLETE;
        this.dirty = true;
        this.quoteBytes++;
        if (b[i + 1] === QUOTE) i += 2;
        else {
          tbl = this.tblCsv;
          i++;
        }
        continue;
      }
      if (k === K_AT) {
        const r = this.email(b, i, n);
        i = r > 0 ? r : i + 1;
        continue;
      }
      if (k === K_COLON) {
        if (b[i + 1] === 58 && !(i > this.valueStart && IS_ALNUM[b[i - 1]] === 1)) {
          const r = this.ipv6(b, i, n);
          if (r > 0) {
            i = r;
            continue;
          }
        }
        i++;
        continue;
      }
      if (k === K_U2) {
        if (i + 1 >= n) {
          if (!final) return INCOMPLETE;
          i = n;
          continue;
        }
        const f = info[((c & 0x1f) << 6) | (b[i + 1] & 0x3f)];
        if (f !== 0) {
          this.dirty = true;
          flags |= f;
          if ((f & F_NAME_DOT) !== 0) this.dot2++;
          if ((f & NORM_FLAGS) !== 0 && this.csvMode && this.normalises(b, i, 2, f)) {
            result = this.skipRest(b, i + 2, n, final, tbl === this.tblQuoted);
            if (result === INCOMPLETE) return INCOMPLETE;
            break;
          }
        }
        i += 2;
        continue;
      }
      if (k === K_U4) {
        if (i + 3 >= n) {
          if (!final) return INCOMPLETE;
          i = n;
          continue;
        }
        const cp = ((c & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f);
        // Mathematical alphanumerics (𝟏𝟑𝟖…) and enclosed alphanumerics normalise to ASCII.
        if (this.csvMode && ((cp >= 0x1d400 && cp <= 0x1d7ff) || (cp >= 0x1f100 && cp <= 0x1f1ff))) {
          this.dirty = true;
          this.needSlow = true;
          result = this.skipRest(b, i + 4, n, final, tbl === this.tblQuoted);
          if (result === INCOMPLETE) return INCOMPLETE;
          break;
        }
        i += 4;
        continue;
      }
      i++;
    }
    this.inQuotes = tbl === this.tblQuoted;
    this.cjk = cjk;
    this.cellFlags = flags;
    return result;
  }

  private clearTouched(): void {
    for (let k = 0; k < this.tn; k++) {
      const t = this.touchedList[k];
      this.cand[t] = 0;
      this.valid[t] = 0;
      this.touched[t] = 0;
    }
    this.tn = 0;
  }

  /** A 3-byte character with a role (flags f): keyword start, plate province, name dot, normalisation. True = needs the normalising path. */
  private special(b: Uint8Array, i: number, n: number, f: number): boolean {
    this.dirty = true;
    if ((f & F_KEYWORD) !== 0 && i >= this.kwEnd) {
      const c2 = b[i + 3];
      if (c2 >= 0xe0 && c2 <= 0xef && i + 5 < n) {
        const cp = ((b[i] & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f);
        const bit = pairBit(cp, ((c2 & 0x0f) << 12) | ((b[i + 4] & 0x3f) << 6) | (b[i + 5] & 0x3f));
        if ((this.kwPairs[bit >>> 5] & (1 << (bit & 31))) !== 0) this.keyword(b, i, n, cp);
      }
    }
    if ((f & F_PROVINCE) !== 0) {
      const nx = b[i + 3];
      if (nx >= 65 && nx <= 90) this.plateRun = i + 3;
    }
    if ((f & F_NAME_DOT) !== 0) this.dot3++;
    return (f & NORM_FLAGS) !== 0 && this.csvMode && this.normalises(b, i, 3, f);
  }

  /** Whether the character at b[i] (len bytes, flags f) changes the ASCII text when normalised. */
  private normalises(b: Uint8Array, i: number, len: number, f: number): boolean {
    const prevAlnum = i > this.valueStart && IS_ALNUM[b[i - 1]] === 1;
    if ((f & F_NORM_ALWAYS) !== 0) this.needSlow = true;
    else if ((f & F_NORM_ADJACENT) !== 0) this.needSlow = prevAlnum || IS_ALNUM[b[i + len]] === 1 || b[i + len] === 43;
    else this.needSlow = prevAlnum;
    return this.needSlow;
  }

  /** After `needSlow`: only find the end of the field (the caller rescans the value normalised). */
  private skipRest(b: Uint8Array, i: number, n: number, final: boolean, inQuotes: boolean): number {
    this.dirty = true;
    const tbl = this.tblCsv;
    let q = inQuotes;
    for (;;) {
      if (i >= n) {
        if (!final) return INCOMPLETE;
        this.valueEnd = n;
        this.term = TERM_EOF;
        return n;
      }
      const c = b[i];
      if (q) {
        if (c === QUOTE) {
          if (i + 1 >= n && !final) return INCOMPLETE;
          this.quoteBytes++;
          if (b[i + 1] === QUOTE) {
            i += 2;
            continue;
          }
          q = false;
        }
        i++;
        continue;
      }
      const k = tbl[c];
      if (k === K_DELIM || k === K_NL) {
        this.valueEnd = k === K_NL && i > this.valueStart && b[i - 1] === 13 ? i - 1 : i;
        this.term = k === K_DELIM ? TERM_DELIM : TERM_NEWLINE;
        return i + 1;
      }
      i++;
    }
  }

  // ---- pending matches ----

  private push(t: number, s: number, e: number, conf: number, strength: number, flags: number): void {
    const k = this.pn;
    if (k === this.pMeta.length) {
      if (k >= MAX_PENDING) {
        this.dropped++;
        return;
      }
      this.grow();
    }
    this.pMeta[k] = t | (conf << 8) | (strength << 16) | (flags << 24);
    this.pStart[k] = s;
    this.pEnd[k] = e;
    this.pn = k + 1;
  }

  private grow(): void {
    const cap = this.pMeta.length * 2;
    const g = (a: Int32Array) => {
      const x = new Int32Array(cap);
      x.set(a);
      return x;
    };
    this.pMeta = g(this.pMeta);
    this.pStart = g(this.pStart);
    this.pEnd = g(this.pEnd);
  }

  /** Confidence (0–100) of type t, raised halfway to 100 when the column's name suggests t. */
  private cf(base: number, t: number): number {
    return ((this.hintMask >>> t) & 1) === 1 ? base + ((100 - base) >> 1) : base;
  }

  private hinted(t: number): boolean {
    return ((this.hintMask >>> t) & 1) === 1;
  }

  private candidate(t: number, passed: boolean): void {
    if (this.touched[t] === 0) {
      this.touched[t] = 1;
      this.touchedList[this.tn++] = t;
    }
    this.cand[t]++;
    if (passed) this.valid[t]++;
  }

  // ---- runs and chains ----

  private endRun(b: Uint8Array, s: number, e: number, fl: number, n: number): number {
    if ((fl & K_UNDER) !== 0) {
      if (this.gn > 0) this.evalChain(b);
      return e;
    }
    if (s === this.plateRun) {
      const pe = this.plate(b, s, e, fl, n);
      if (pe > 0) {
        if (this.gn > 0) this.evalChain(b);
        return pe;
      }
    }
    const c = b[e];
    // Does it join the next run? Digit runs over one separator (space - / . ')' 年 月) followed by a digit;
    // an 8-character run over '-' to an organisation-code check character.
    let next = 0;
    let sep = 0;
    if (JOINER[c] !== 0) {
      const nx = b[e + 1];
      if (fl === K_DIGIT) {
        if (c === 32 || c === 45 || c === 47 || c === 46) {
          if (isDigit(nx) || (c === 45 && nx === 88 && e - s === 8)) {
            sep = c;
            next = e + 1;
          }
        } else if (c === 41) {
          if (this.gn === 0 && s > this.valueStart && (this.prefix(b, s) & PRE_OPEN) !== 0) {
            if (isDigit(nx)) {
              sep = 41;
              next = e + 1;
            } else if (nx === 32 && isDigit(b[e + 2])) {
              sep = 41;
              next = e + 2;
            }
          }
        } else if (c === 0xe5) {
          if (nx === 0xb9 && b[e + 2] === 0xb4 && isDigit(b[e + 3])) {
            sep = SEP_NIAN;
            next = e + 3;
          }
        } else if (c === 0xe6) {
          if (nx === 0x9c && b[e + 2] === 0x88 && isDigit(b[e + 3])) {
            sep = SEP_YUE;
            next = e + 3;
          }
        }
      } else if (c === 45 && e - s === 8 && (fl & K_LOWER) === 0 && (isDigit(nx) || nx === 88)) {
        sep = 45;
        next = e + 1;
      }
      // Custom recognizers also see hyphenated codes such as AJ-2024-000123 whole.
      if (next === 0 && c === 45 && this.hasCustom && IS_ALNUM[nx] === 1) {
        sep = 45;
        next = e + 1;
      }
      if (c === 58 && next === 0 && this.gn === 0 && e - s <= 4) {
        const r = this.ipv6(b, s, n);
        if (r > 0) return r;
      }
    }
    // The common case: a run on its own. Most are too short to be anything.
    if (next === 0 && this.gn === 0) {
      const len = e - s;
      if (len < 8 ? fl === K_DIGIT || len < 3 : len > 19 && len > this.maxCustomLen) {
        if (!this.hasCustom) return e;
      }
      const pre = s > this.valueStart ? this.prefix(b, s) : 0;
      this.single(b, s, e, fl, pre);
      return e;
    }
    const pre = s > this.valueStart ? this.prefix(b, s) : 0;
    if (this.gn === MAX_CHAIN) this.evalChain(b);
    const g = this.gn++;
    this.gS[g] = s;
    this.gE[g] = e;
    this.gFl[g] = fl;
    this.gSep[g] = this.nextSep;
    this.gPre[g] = g === 0 ? pre : 0;
    this.nextSep = sep;
    if (next !== 0) return next;
    this.evalChain(b);
    return e;
  }

  /** What precedes a run: PRE_PLUS ('+' right before it), PRE_OPEN ('(' before it or before that '+'). */
  private prefix(b: Uint8Array, s: number): number {
    const p1 = b[s - 1];
    if (p1 === 43) return s - 1 > this.valueStart && b[s - 2] === 40 ? PRE_PLUS | PRE_OPEN : PRE_PLUS;
    return p1 === 40 ? PRE_OPEN : 0;
  }

  private evalChain(b: Uint8Array): void {
    const gn = this.gn;
    this.gn = 0;
    if (gn === 1) {
      this.single(b, this.gS[0], this.gE[0], this.gFl[0], this.gPre[0]);
      return;
    }
    const p0 = this.pn;
    let dotted = false;
    for (let k = 1; k < gn; k++) if (this.gSep[k] === 46) dotted = true;
    if (dotted) this.dottedChain(b, gn);
    else {
      let j = 0;
      while (j < gn) {
        const m = this.matchAt(b, j, gn);
        if (m > 0) j += m;
        else {
          this.single(b, this.gS[j], this.gE[j], this.gFl[j], j === 0 ? this.gPre[0] : 0);
          j++;
        }
      }
    }
    if (this.hasCustom) this.customToken(b, this.gS[0], this.gE[gn - 1], p0);
  }

  private glen(j: number): number {
    return this.gE[j] - this.gS[j];
  }

  /** Copies the digits/letters of groups j..j+count-1 into the scratch buffer; returns their length. */
  private compact(b: Uint8Array, j: number, count: number): number {
    let w = 0;
    const sc = this.scratch;
    for (let k = j; k < j + count; k++) {
      for (let p = this.gS[k]; p < this.gE[k]; p++) {
        if (w === 64) return w;
        sc[w++] = b[p];
      }
    }
    return w;
  }

  /** Whether groups j+1..j+count-1 are all digits and separated by the same separator, one of `seps`. */
  private sameSep(j: number, count: number, a: number, c: number): boolean {
    const sep = this.gSep[j + 1];
    if (sep !== a && sep !== c) return false;
    for (let k = j + 1; k < j + count; k++) if (this.gSep[k] !== sep) return false;
    return true;
  }

  private allDigitGroups(j: number, count: number): boolean {
    for (let k = j; k < j + count; k++) if (this.gFl[k] !== K_DIGIT) return false;
    return true;
  }

  /** Chain patterns at group j; returns the number of groups consumed (0 = none). */
  private matchAt(b: Uint8Array, j: number, gn: number): number {
    const s = this.gS[j];
    const L0 = this.glen(j);
    const left = gn - j;
    if (left < 2) return 0;
    const sep1 = this.gSep[j + 1];
    // Organisation code with its hyphen: 8 characters '-' check.
    if (L0 === 8 && sep1 === 45 && this.glen(j + 1) === 1) {
      const ok = orgCodeBytes(b, s, this.gS[j + 1]);
      this.candidate(T_ORG_CODE, ok);
      if (ok) {
        this.push(T_ORG_CODE, s, this.gE[j + 1], this.cf(90, T_ORG_CODE), STRENGTH_CHECKSUM, 0);
        return 2;
      }
    }
    if (this.gFl[j] !== K_DIGIT) return 0;
    // Country code: +86 / 0086 then a mobile (11 or 3-4-4) or a landline without its leading 0.
    if ((L0 === 2 && b[s] === 56 && b[s + 1] === 54) || (L0 === 4 && b[s] === 48 && b[s + 1] === 48 && b[s + 2] === 56 && b[s + 3] === 54)) {
      if (sep1 === 32 || sep1 === 45 || sep1 === 41) {
        const pre = this.gPre[j];
        const start = s - (pre & PRE_PLUS) - ((pre & PRE_OPEN) !== 0 && sep1 === 41 ? 1 : 0);
        const k = j + 1;
        const Lk = this.glen(k);
        if (Lk === 11 && this.gFl[k] === K_DIGIT && mobile11(b, this.gS[k])) {
          this.push(T_MOBILE, start, this.gE[k], this.cf(92, T_MOBILE), STRENGTH_STRUCTURE, 0);
          return 2;
        }
        if (Lk === 3 && left >= 4 && this.glen(k + 1) === 4 && this.glen(k + 2) === 4 && this.allDigitGroups(k, 3) && this.sameSep(k, 3, 32, 45)) {
          if (mobile11(b, this.gS[k])) {
            this.push(T_MOBILE, start, this.gE[k + 2], this.cf(92, T_MOBILE), STRENGTH_STRUCTURE, 0);
            return 4;
          }
        }
        if ((Lk === 2 || Lk === 3) && left >= 3 && this.gFl[k] === K_DIGIT && this.gFl[k + 1] === K_DIGIT) {
          const sep2 = this.gSep[k + 1];
          const sc = this.scratch;
          sc[0] = 48;
          for (let p = 0; p < Lk; p++) sc[1 + p] = b[this.gS[k] + p];
          if ((sep2 === 32 || sep2 === 45) && areaCodeLength(sc, 0) === Lk + 1 && localNumberOk(b, this.gS[k + 1], this.glen(k + 1))) {
            this.push(T_LANDLINE, start, this.gE[k + 1], this.cf(85, T_LANDLINE), STRENGTH_STRUCTURE, 0);
            return 3;
          }
        }
      }
    }
    // Mobile 3-4-4.
    if (L0 === 3 && left >= 3 && this.glen(j + 1) === 4 && this.glen(j + 2) === 4 && this.allDigitGroups(j, 3) && this.sameSep(j, 3, 32, 45)) {
      if (mobile11(b, s)) {
        this.push(T_MOBILE, s, this.gE[j + 2], this.cf(92, T_MOBILE), STRENGTH_STRUCTURE, 0);
        return 3;
      }
    }
    // Resident ID 6-8-4 or 6-4-4-4 (last group may end with X).
    if (L0 === 6 && left >= 3 && (sep1 === 32 || sep1 === 45)) {
      let count = 0;
      if (this.glen(j + 1) === 8 && this.glen(j + 2) === 4) count = 3;
      else if (left >= 4 && this.glen(j + 1) === 4 && this.glen(j + 2) === 4 && this.glen(j + 3) === 4) count = 4;
      if (count > 0 && this.sameSep(j, count, 32, 45) && this.allDigitGroups(j, count - 1)) {
        const last = this.gE[j + count - 1] - 1;
        const lc = b[last];
        if (this.gFl[j + count - 1] === K_DIGIT || ((lc === 88 || lc === 120) && this.allDigitsIn(b, this.gS[j + count - 1], last))) {
          this.compact(b, j, count);
          const ok = residentId18(this.scratch, 0, this.asOf);
          this.candidate(T_RESIDENT_ID, ok);
          if (ok) {
            this.push(T_RESIDENT_ID, s, this.gE[j + count - 1], this.cf(99, T_RESIDENT_ID), STRENGTH_CHECKSUM, 0);
            return count;
          }
        }
      }
    }
    // Bank card: 4-4-4-4 (+ a last group of 1–3) or 6 + 10–13.
    if ((L0 === 4 || L0 === 6) && (sep1 === 32 || sep1 === 45)) {
      let count = 0;
      if (L0 === 4 && left >= 4 && this.glen(j + 1) === 4 && this.glen(j + 2) === 4 && this.glen(j + 3) === 4) {
        count = 4;
        if (left >= 5 && this.glen(j + 4) <= 3) count = 5;
      } else if (L0 === 6 && this.glen(j + 1) >= 10 && this.glen(j + 1) <= 13) count = 2;
      if (count > 0 && this.allDigitGroups(j, count) && this.sameSep(j, count, 32, 45)) {
        const len = this.compact(b, j, count);
        const sc = this.scratch;
        const scheme = cardScheme(sc, 0, len);
        const ok = scheme !== CARD_NONE && luhn(sc, 0, len);
        this.candidate(T_BANK_CARD, ok);
        if (ok || scheme === CARD_UNIONPAY) {
          this.push(T_BANK_CARD, s, this.gE[j + count - 1], this.cf(ok ? 92 : 35, T_BANK_CARD), ok ? STRENGTH_CHECKSUM : STRENGTH_FORMAT, 0);
          return count;
        }
      }
    }
    // Landline: (0xx)/0xx- + 7–8 digits; 400/800 service numbers 3-3-4 or 3-4-3.
    if ((L0 === 3 || L0 === 4) && b[s] === 48 && areaCodeLength(b, s) === L0 && (sep1 === 45 || sep1 === 32 || sep1 === 41)) {
      if (this.gFl[j + 1] === K_DIGIT && localNumberOk(b, this.gS[j + 1], this.glen(j + 1))) {
        this.push(
          T_LANDLINE,
          s - ((this.gPre[j] & PRE_OPEN) !== 0 && sep1 === 41 && (this.gPre[j] & PRE_PLUS) === 0 ? 1 : 0),
          this.gE[j + 1],
          this.cf(85, T_LANDLINE),
          STRENGTH_STRUCTURE,
          0,
        );
        return 2;
      }
    }
    if (
      L0 === 3 &&
      left >= 3 &&
      (b[s] === 52 || b[s] === 56) &&
      b[s + 1] === 48 &&
      b[s + 2] === 48 &&
      this.allDigitGroups(j, 3) &&
      this.sameSep(j, 3, 32, 45)
    ) {
      const l1 = this.glen(j + 1);
      const l2 = this.glen(j + 2);
      if ((l1 === 3 && l2 === 4) || (l1 === 4 && l2 === 3)) {
        this.push(T_LANDLINE, s, this.gE[j + 2], this.cf(80, T_LANDLINE), STRENGTH_STRUCTURE, 0);
        return 3;
      }
    }
    // Dates: 2024-05-01, 2024/5/1, 2024年5月1日 (a date of birth only with a hint or a context word).
    if (L0 === 4 && left >= 3 && this.allDigitGroups(j, 3)) {
      const l1 = this.glen(j + 1);
      const l2 = this.glen(j + 2);
      const sep2 = this.gSep[j + 2];
      if (l1 <= 2 && l2 <= 2 && ((sep1 === sep2 && (sep1 === 45 || sep1 === 47)) || (sep1 === SEP_NIAN && sep2 === SEP_YUE))) {
        const y = this.num(b, s, 4);
        const m = this.num(b, this.gS[j + 1], l1);
        const d = this.num(b, this.gS[j + 2], l2);
        if (this.birthDateOk(y, m, d)) {
          let end = this.gE[j + 2];
          if (sep1 === SEP_NIAN && b[end] === 0xe6 && b[end + 1] === 0x97 && b[end + 2] === 0xa5) end += 3; // 日
          this.pushDob(s, end);
          return 3;
        }
      }
    }
    return 0;
  }

  private dottedChain(b: Uint8Array, gn: number): void {
    for (let k = 1; k < gn; k++) if (this.gSep[k] !== 46) return;
    if (!this.allDigitGroups(0, gn)) return;
    if (gn === 4) {
      for (let k = 0; k < 4; k++) {
        const l = this.glen(k);
        if (l > 3 || this.num(b, this.gS[k], l) > 255) return;
      }
      this.push(T_IPV4, this.gS[0], this.gE[3], this.cf(85, T_IPV4), STRENGTH_STRUCTURE, 0);
    } else if (gn === 3 && this.glen(0) === 4 && this.glen(1) <= 2 && this.glen(2) <= 2) {
      const y = this.num(b, this.gS[0], 4);
      if (this.birthDateOk(y, this.num(b, this.gS[1], this.glen(1)), this.num(b, this.gS[2], this.glen(2)))) this.pushDob(this.gS[0], this.gE[2]);
    }
  }

  private num(b: Uint8Array, s: number, len: number): number {
    let v = 0;
    for (let p = s; p < s + len; p++) v = v * 10 + (b[p] - 48);
    return v;
  }

  private allDigitsIn(b: Uint8Array, s: number, e: number): boolean {
    for (let p = s; p < e; p++) if (b[p] < 48 || b[p] > 57) return false;
    return true;
  }

  private birthDateOk(y: number, m: number, d: number): boolean {
    if (y < 1900 || y > this.asOfYear || !isRealDate(y, m, d)) return false;
    return y * 10000 + m * 100 + d <= this.asOf;
  }

  private pushDob(s: number, e: number): void {
    const hinted = this.hinted(T_DOB);
    this.push(T_DOB, s, e, hinted ? 90 : 75, STRENGTH_STRUCTURE, hinted ? 0 : COND_DOB);
  }

  /** One run on its own, dispatched by length and shape. `pre`: bytes of '+'/'(' before it. */
  private standalone(b: Uint8Array, s: number, e: number, fl: number, pre: number): void {
    const len = e - s;
    if (fl === K_DIGIT) {
      switch (len) {
        case 11:
          if (b[s] === 49) {
            if (b[s + 1] >= 51) this.push(T_MOBILE, s, e, this.cf(90, T_MOBILE), STRENGTH_STRUCTURE, 0);
          } else if (b[s] === 48 && landlineDigits(b, s, len)) this.push(T_LANDLINE, s, e, this.cf(LANDLINE_BARE, T_LANDLINE), STRENGTH_STRUCTURE, 0);
          break;
        case 10:
        case 12:
          if (b[s] === 48 ? landlineDigits(b, s, len) : len === 10 && landlineDigits(b, s, len)) {
            this.push(T_LANDLINE, s, e, this.cf(b[s] === 48 ? LANDLINE_BARE : 70, T_LANDLINE), STRENGTH_STRUCTURE, 0);
          }
          break;
        case 13:
          if (b[s] === 56 && b[s + 1] === 54 && b[s + 2] === 49 && b[s + 3] >= 51)
            this.push(T_MOBILE, s - (pre & PRE_PLUS), e, this.cf(90, T_MOBILE), STRENGTH_STRUCTURE, 0);
          break;
        case 15: {
          const ok = residentId15(b, s, this.asOf);
          this.candidate(T_RESIDENT_ID, ok);
          if (ok) this.push(T_RESIDENT_ID, s, e, this.cf(60, T_RESIDENT_ID), STRENGTH_STRUCTURE, 0);
          else if (b[s] === 48 && b[s + 1] === 48 && b[s + 2] === 56 && b[s + 3] === 54 && b[s + 4] === 49 && b[s + 5] >= 51)
            this.push(T_MOBILE, s - (pre & PRE_PLUS), e, this.cf(90, T_MOBILE), STRENGTH_STRUCTURE, 0);
          break;
        }
        case 16:
        case 17:
        case 19:
          this.card(b, s, e);
          break;
        case 18: {
          // A value valid as both (rare) is a credit code only in a column named for credit codes.
          const ok = residentId18(b, s, this.asOf) && !(this.hinted(T_USCC) && usccBytes(b, s));
          this.candidate(T_RESIDENT_ID, ok);
          if (ok) this.push(T_RESIDENT_ID, s, e, this.cf(99, T_RESIDENT_ID), STRENGTH_CHECKSUM, 0);
          else {
            const u = usccBytes(b, s);
            this.candidate(T_USCC, u);
            if (u) this.push(T_USCC, s, e, this.cf(99, T_USCC), STRENGTH_CHECKSUM, 0);
            // An ID-shaped number (region and birth date valid) with a wrong check character is a mistyped
            // ID far more often than an 18-digit card that happens to pass Luhn (1 in 10 does).
            else if (!residentIdShape(b, s, this.asOf)) this.card(b, s, e);
          }
          break;
        }
        case 8: {
          const y = this.num(b, s, 4);
          if (this.birthDateOk(y, this.num(b, s + 4, 2), this.num(b, s + 6, 2))) this.pushDob(s, e);
          else if (this.hinted(T_TAIWAN)) this.push(T_TAIWAN, s, e, this.cf(60, T_TAIWAN), STRENGTH_FORMAT, 0);
          break;
        }
        case 9:
          if (this.hinted(T_ORG_CODE)) {
            const ok = orgCodeBytes(b, s, s + 8);
            this.candidate(T_ORG_CODE, ok);
            if (ok) this.push(T_ORG_CODE, s, e, this.cf(60, T_ORG_CODE), STRENGTH_CHECKSUM, 0);
          }
          break;
      }
    } else if ((fl & K_LOWER) === 0) {
      if (len === 18) {
        const last = b[e - 1];
        let done = false;
        if (last === 88 && this.allDigitsIn(b, s, e - 1)) {
          const ok = residentId18(b, s, this.asOf) && !(this.hinted(T_USCC) && usccBytes(b, s));
          this.candidate(T_RESIDENT_ID, ok);
          if (ok) {
            this.push(T_RESIDENT_ID, s, e, this.cf(99, T_RESIDENT_ID), STRENGTH_CHECKSUM, 0);
            done = true;
          }
        }
        if (!done) {
          const u = usccBytes(b, s);
          this.candidate(T_USCC, u);
          if (u) this.push(T_USCC, s, e, this.cf(99, T_USCC), STRENGTH_CHECKSUM, 0);
        }
      } else if (len === 9) {
        this.document9(b, s, e);
      } else if ((len === 3 || len === 4) && fl === K_UPPER) {
        const w = String.fromCharCode(b[s], b[s + 1], b[s + 2]) + (len === 4 ? String.fromCharCode(b[s + 3]) : '');
        const t = ASCII_KEYWORDS[w];
        if (t !== undefined) this.push(t, s, e, this.cf(70, t), STRENGTH_FORMAT, 0);
      }
    } else if (len === 18 && b[e - 1] === 120 && this.allDigitsIn(b, s, e - 1)) {
      const ok = residentId18(b, s, this.asOf);
      this.candidate(T_RESIDENT_ID, ok);
      if (ok) this.push(T_RESIDENT_ID, s, e, this.cf(99, T_RESIDENT_ID), STRENGTH_CHECKSUM, 0);
    }
  }

  /** A run on its own: built-in recognizers, then the custom ones. */
  private single(b: Uint8Array, s: number, e: number, fl: number, pre: number): void {
    const p0 = this.pn;
    this.standalone(b, s, e, fl, pre);
    if (this.hasCustom) this.customToken(b, s, e, p0);
  }

  private card(b: Uint8Array, s: number, e: number): void {
    const len = e - s;
    const scheme = cardScheme(b, s, len);
    const ok = scheme !== CARD_NONE && luhn(b, s, e);
    this.candidate(T_BANK_CARD, ok);
    if (ok) this.push(T_BANK_CARD, s, e, this.cf(90, T_BANK_CARD), STRENGTH_CHECKSUM, 0);
    else if (scheme === CARD_UNIONPAY) this.push(T_BANK_CARD, s, e, this.cf(35, T_BANK_CARD), STRENGTH_FORMAT, 0);
  }

  /** Nine characters with letters: passports, permits to/for Hong Kong and Macau, organisation codes (hinted). */
  private document9(b: Uint8Array, s: number, e: number): void {
    const c0 = b[s];
    const c1 = b[s + 1];
    const serialLetter = c1 >= 65 && c1 <= 90 && c1 !== 73 && c1 !== 79; // A–Z without I, O
    if (
      (c0 === 69 && (isDigit(c1) ? this.allDigitsIn(b, s + 1, e) : serialLetter && this.allDigitsIn(b, s + 2, e))) ||
      (c0 === 71 && this.allDigitsIn(b, s + 1, e))
    ) {
      this.push(T_PASSPORT, s, e, this.cf(75, T_PASSPORT), STRENGTH_FORMAT, 0);
    } else if ((c0 === 68 || c0 === 83 || c0 === 80) && c1 === 69 && this.allDigitsIn(b, s + 2, e)) {
      this.push(T_PASSPORT, s, e, this.cf(75, T_PASSPORT), STRENGTH_FORMAT, 0);
    } else if (
      (c0 === 67 && (isDigit(c1) ? this.allDigitsIn(b, s + 1, e) : serialLetter && this.allDigitsIn(b, s + 2, e))) ||
      ((c0 === 72 || c0 === 77) && this.allDigitsIn(b, s + 1, e))
    ) {
      this.push(T_HK_MACAU, s, e, this.cf(75, T_HK_MACAU), STRENGTH_FORMAT, 0);
    } else if (this.hinted(T_ORG_CODE)) {
      const ok = orgCodeBytes(b, s, s + 8);
      this.candidate(T_ORG_CODE, ok);
      if (ok) this.push(T_ORG_CODE, s, e, this.cf(60, T_ORG_CODE), STRENGTH_CHECKSUM, 0);
    }
  }

  /** Custom recognizers on a token b[s..e); they replace built-in matches there only when stronger. */
  private customToken(b: Uint8Array, s: number, e: number, p0: number): void {
    const len = e - s;
    let text: string | null = null;
    for (const r of this.tokenCustom) {
      if (len < r.minLen || len > r.maxLen) continue;
      if (r.hintOnly && ((this.customHintMask >>> (r.type - 32)) & 1) === 0) continue;
      if (text === null) {
        text = '';
        for (let p = s; p < e; p++) text += String.fromCharCode(b[p]);
      }
      if (!r.re.test(text)) continue;
      const passed = r.check === null || r.check(text.replace(/[^0-9A-Za-z]/g, '').toUpperCase());
      this.candidate(r.type, passed);
      if (!passed) continue;
      let top = -1;
      for (let k = p0; k < this.pn; k++) top = Math.max(top, (this.pMeta[k] >>> 16) & 0xff);
      if (r.strength <= top) return;
      this.pn = p0;
      const hinted = ((this.customHintMask >>> (r.type - 32)) & 1) === 1;
      this.push(r.type, s, e, hinted ? r.confidence + ((100 - r.confidence) >> 1) : r.confidence, r.strength, 0);
      return;
    }
  }

  // ---- other shapes ----

  private keyword(b: Uint8Array, i: number, n: number, cp: number): void {
    const list = this.kwLists[this.kwIndex[cp] - 1];
    const norm1 = this.norm1;
    for (let w = 0; w < list.length; w++) {
      const kw = list[w];
      const rest = kw.rest;
      let p = i + 3;
      let ok = true;
      for (let r = 0; r < rest.length; r++) {
        const c0 = b[p];
        if (c0 < 0xe0 || c0 > 0xef || p + 2 >= n) {
          ok = false;
          break;
        }
        const cp2 = ((c0 & 0x0f) << 12) | ((b[p + 1] & 0x3f) << 6) | (b[p + 2] & 0x3f);
        if (norm1[cp2] !== rest[r]) {
          ok = false;
          break;
        }
        p += 3;
      }
      if (ok) {
        if (kw.type < 0) this.dobContext = true;
        else this.push(kw.type, i, p, this.cf(70, kw.type), STRENGTH_FORMAT, 0);
        this.kwEnd = p;
        return;
      }
    }
  }

  /** Licence plate after a province character: 粤B12345, 粤BD12345 / 粤B12345D (new energy), 粤B1234学, 粤B·12345. */
  private plate(b: Uint8Array, s: number, e: number, fl: number, n: number): number {
    if ((fl & K_LOWER) !== 0) return 0;
    const len = e - s;
    const ps = s - 3;
    if (len === 6 || len === 7) {
      if (!this.plateTail(b, s + 1, e)) return 0;
      this.push(T_PLATE, ps, e, this.cf(85, T_PLATE), STRENGTH_FORMAT, 0);
      return e;
    }
    if (len === 5) {
      const c = b[e];
      if (c < 0xe0 || c > 0xef || e + 2 >= n) return 0;
      const cp = ((c & 0x0f) << 12) | ((b[e + 1] & 0x3f) << 6) | (b[e + 2] & 0x3f);
      if ((this.info[cp] & F_PLATE_TAIL) === 0) return 0;
      for (let p = s + 1; p < e; p++) if (!this.plateChar(b[p])) return 0;
      this.push(T_PLATE, ps, e + 3, this.cf(85, T_PLATE), STRENGTH_FORMAT, 0);
      return e + 3;
    }
    if (len === 1) {
      let q = e;
      if (b[q] === 0xc2 && b[q + 1] === 0xb7) q += 2;
      else if (b[q] === 32 || b[q] === 45) q += 1;
      else return 0;
      let r = q;
      while (r < n && r - q < 8 && IS_ALNUM[b[r]] === 1) r++;
      const m = r - q;
      if ((m !== 5 && m !== 6) || b[r] === 95 || IS_ALNUM[b[r]] === 1 || !this.plateTail(b, q, r)) return 0;
      this.push(T_PLATE, ps, r, this.cf(85, T_PLATE), STRENGTH_FORMAT, 0);
      return r;
    }
    return 0;
  }

  private plateChar(c: number): boolean {
    return (c >= 48 && c <= 57) || (c >= 65 && c <= 90 && c !== 73 && c !== 79);
  }

  /** The characters after the issuing-authority letter: 5 (at least 3 digits) or 6 (new energy, D/F first or last). */
  private plateTail(b: Uint8Array, q: number, r: number): boolean {
    const m = r - q;
    let digitsCount = 0;
    for (let p = q; p < r; p++) {
      if (!this.plateChar(b[p])) return false;
      if (isDigit(b[p])) digitsCount++;
    }
    if (m === 5) return digitsCount >= 3;
    if (m !== 6) return false;
    // No closure here: tsx wraps named arrow functions in a __name() call on every evaluation.
    const c0 = b[q];
    if ((c0 === 68 || c0 === 70) && this.allDigitsIn(b, q + 2, r)) return true;
    const cl = b[r - 1];
    return (cl === 68 || cl === 70) && this.allDigitsIn(b, q, r - 1);
  }

  /** E-mail around the '@' at b[at]; returns the end or 0. Replaces anything found inside it. */
  private email(b: Uint8Array, at: number, n: number): number {
    const lo = Math.max(this.valueStart, at - 64);
    let ls = at;
    while (ls > lo && IS_LOCAL[b[ls - 1]] === 1) ls--;
    if (ls === lo && lo > this.valueStart && IS_LOCAL[b[lo - 1]] === 1) return 0;
    while (ls < at && b[ls] === 46) ls++;
    if (ls === at || b[at - 1] === 46) return 0;
    let d = at + 1;
    let label = 0;
    let dots = 0;
    let alphaTld = true;
    const max = Math.min(n, at + 254);
    while (d < max) {
      const c = b[d];
      if (c === 46) {
        if (label === 0 || b[d - 1] === 45 || IS_ALNUM[b[d + 1]] !== 1) break;
        dots++;
        label = 0;
        alphaTld = true;
        d++;
        continue;
      }
      if (IS_ALNUM[c] === 1 || c === 45) {
        if (label === 0 && c === 45) break;
        label++;
        if (c < 65) alphaTld = false;
        d++;
        continue;
      }
      break;
    }
    if (d === max && d < n && (IS_ALNUM[b[d]] === 1 || b[d] === 46)) return 0;
    if (dots === 0 || label < 2 || !alphaTld || b[d - 1] === 45) return 0;
    if (b[d] === 95 || b[d] === 64) return 0;
    while (this.pn > 0 && this.pStart[this.pn - 1] >= ls) this.pn--;
    this.push(T_EMAIL, ls, d, this.cf(95, T_EMAIL), STRENGTH_STRUCTURE, 0);
    return d;
  }

  /** IPv6 starting at b[s] (a hex run or '::'); returns the end or 0. */
  private ipv6(b: Uint8Array, s: number, n: number): number {
    if (s > this.valueStart) {
      // Not inside a longer colon sequence ('ffff:ffff:…', '1::1::…'), a dotted number or a word.
      const p0 = b[s - 1];
      if (p0 === 46 || IS_ALNUM[p0] === 1) return 0;
      if (p0 === 58 && s - 1 > this.valueStart && (IS_HEX[b[s - 2]] === 1 || b[s - 2] === 58)) return 0;
    }
    for (let p = s; p < s + 4 && p < n && b[p] !== 58; p++) if (IS_HEX[b[p]] !== 1) return 0;
    let p = s;
    let groups = 0;
    let dbl = false;
    if (b[p] === 58) {
      if (b[p + 1] !== 58) return 0;
      dbl = true;
      p += 2;
    }
    for (;;) {
      let q = p;
      while (q < n && q - p < 5 && IS_HEX[b[q]] === 1) q++;
      const gl = q - p;
      if (gl === 0) break;
      if (gl > 4) return 0;
      if (b[q] === 46) {
        const v4 = this.ipv4At(b, p, n);
        if (v4 === 0) return 0;
        groups += 2;
        p = v4;
        break;
      }
      groups++;
      p = q;
      if (groups > 8) return 0;
      if (b[p] === 58) {
        if (b[p + 1] === 58) {
          if (dbl) return 0;
          dbl = true;
          p += 2;
          continue;
        }
        if (IS_HEX[b[p + 1]] === 1) {
          p++;
          continue;
        }
      }
      break;
    }
    if (IS_ALNUM[b[p]] === 1 || b[p] === 95) return 0;
    if (dbl ? groups > 7 || groups === 0 : groups !== 8) return 0;
    if (this.gn > 0) this.evalChain(b);
    this.push(T_IPV6, s, p, this.cf(dbl && groups < 3 ? 60 : 90, T_IPV6), STRENGTH_STRUCTURE, 0);
    return p;
  }

  /** Dotted quad at b[p]; returns its end or 0. */
  private ipv4At(b: Uint8Array, p: number, n: number): number {
    for (let k = 0; k < 4; k++) {
      let q = p;
      let v = 0;
      while (q < n && q - p < 4 && isDigit(b[q])) v = v * 10 + (b[q++] - 48);
      if (q === p || q - p > 3 || v > 255) return 0;
      p = q;
      if (k < 3) {
        if (b[p] !== 46) return 0;
        p++;
      }
    }
    return IS_ALNUM[b[p]] === 1 || (b[p] === 46 && isDigit(b[p + 1])) ? 0 : p;
  }

  // ---- facts for the caller ----

  /** Birth date (YYYYMMDD) of a resident ID written at b[s..e), separators allowed; 0 if none. */
  idBirth(b: Uint8Array, s: number, e: number): number {
    const sc = this.scratch;
    let w = 0;
    for (let p = s; p < e && w < 18; p++) if (IS_ALNUM[b[p]] === 1) sc[w++] = b[p];
    if (w === 18) return idBirthDate(sc, 6, true, this.asOf);
    if (w === 15) return idBirthDate(sc, 6, false, this.asOf);
    return 0;
  }
}
