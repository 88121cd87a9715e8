// The scanners readers feed (CLS-2, CLS-3, AST-11): `Scanner` takes values row by row or cell by cell
// (database rows, XLSX, JSON Lines); `CsvScanner` takes raw UTF-8 CSV bytes in chunks of any size (the
// fast path: fields are split and scanned in the same pass over the bytes, quoted fields with embedded
// newlines included). Both keep per-column statistics of fixed size and hold at most one field (≤ 256 KiB,
// longer fields are scanned in pieces) besides the caller's chunk, so memory stays flat whatever the input.
// Findings go to a callback as they are found; `finish()` returns the report with inference and proposals.
import { idBirthDate, todayYmd, ymdNumber } from './checks.ts';
import { cjkTables, F_ADDR_ADMIN, F_ADDR_NUMBER, F_ADDR_STREET, isHan } from './cjk.ts';
import { COND_DOB, Core, INCOMPLETE, TERM_DELIM } from './core.ts';
import { type CustomRecognizer, tokenRecognizers } from './custom.ts';
import { builtinHintMask, nameMatchesHint } from './hints.ts';
import { hashIdentifier, newSketch, sketchAdd, sketchEstimate, sketchMerge } from './hll.ts';
import { NativeCsvPath, nativeDiscovery, nativeUnavailableReason } from './native.ts';
import { normalizeWithOffsets, originalRange } from './normalize.ts';
import type { PiMapping } from './pi.ts';
import {
  type ColumnCounts,
  type ColumnProposal,
  defaultSchemeGuide,
  inferColumn,
  type ProposalCustomType,
  proposeColumn,
  proposeResource,
  type ResourceProposal,
  type SchemeGuide,
} from './proposal.ts';
import {
  BUILTIN_COUNT,
  BUILTIN_TYPES,
  type Finding,
  MAX_TYPES,
  T_ADDRESS,
  T_DOB,
  T_HK_MACAU,
  T_NAME,
  T_PASSPORT,
  T_RESIDENT_ID,
  T_TAIWAN,
  type TextMatch,
  type TypeId,
} from './types.ts';

export interface ScanOptions {
  /** Column names. CsvScanner reads them from the first row unless `header` is false. */
  columns?: readonly string[];
  /** Checked custom recognizers (validateCustomRecognizers). */
  custom?: readonly CustomRecognizer[];
  /** Called for each finding (≥ minConfidence) as soon as its cell ends. */
  onFinding?: (f: Finding) => void;
  /** 'YYYY-MM-DD': birth dates after it are impossible; ages (children under 14) are counted at it. Default: today (China time). */
  asOf?: string;
  /** Findings below this confidence are only counted as weak (default 0.5). */
  minConfidence?: number;
  /** PI mapping overrides per type ID (domain.md §2: configurable). */
  piMapping?: Readonly<Record<string, PiMapping | null>>;
  /** The published scheme's guide (default: defaultSchemeGuide()). */
  guide?: SchemeGuide;
}

export interface CsvOptions extends ScanOptions {
  /** First row is the header (default true). */
  header?: boolean;
  /** ',' (default), '\t', ';' or '|'. */
  delimiter?: string;
  /**
   * 'auto' (default): the native twin of this path when it was built (native.ts) and the scan has no custom
   * recognizers and no findings callback, else JavaScript. 'js': JavaScript only. 'native': as 'auto', but an
   * error when the native module is not built. Either way the report is the same.
   */
  engine?: 'auto' | 'js' | 'native';
}

export interface TypeStats {
  type: TypeId;
  hits: number;
  /** Matches below minConfidence (e.g. UnionPay numbers failing Luhn). */
  weak: number;
  cells: number;
  /** Values of the type's shape, and how many passed its check (checksum types). */
  candidates: number;
  passed: number;
  meanConfidence: number;
  distinct?: number;
}

export interface ColumnReport {
  index: number;
  name: string;
  cells: number;
  nonEmpty: number;
  /** Findings per type (CLI: `hits`). */
  hits: Record<string, number>;
  stats: TypeStats[];
  nameLike: number;
  addressLike: number;
  minors: number;
  /** Types the column's name suggests. */
  hints: TypeId[];
  proposal: ColumnProposal;
}

export interface ScanReport {
  rows: number;
  bytes: number;
  cells: number;
  /** Cells that took the normalising path (full-width characters next to ASCII). */
  normalisedCells: number;
  /** Matches dropped because a single cell held more than 65,536. */
  droppedMatches: number;
  columns: ColumnReport[];
  resource: ResourceProposal;
}

/** Columns a scan keeps statistics for; fields beyond are read past. */
export const MAX_COLUMNS = 4096;
/**
 * Fields longer than this are scanned in pieces cut at a separator. (An incomplete field is rescanned when
 * the next chunk arrives, so this also bounds that rework.)
 */
export const MAX_PIECE_BYTES = 1 << 18;
const MAX_PIECE_CHARS = 1 << 19;
const CELL_SCOPE_MAX = 256;
/**
 * Identity documents whose distinct values are estimated (AST-11, DG-23: people covered, counted by their
 * ID numbers). Phone numbers and cards are not counted: one person has several, several share one.
 */
const PERSON_TYPES = [T_RESIDENT_ID, T_PASSPORT, T_HK_MACAU, T_TAIWAN];
const IS_PERSON = new Uint8Array(MAX_TYPES);
const SKETCH_BYTES = newSketch().length;
for (const t of PERSON_TYPES) IS_PERSON[t] = 1;

// Per-column statistics in one flat array: a block of MAX_TYPES numbers per kind.
const HITS = 0;
const WEAK = MAX_TYPES;
const CELLS = 2 * MAX_TYPES;
const CAND = 3 * MAX_TYPES;
const VALID = 4 * MAX_TYPES;
const CONF = 5 * MAX_TYPES;
const STAMP = 6 * MAX_TYPES;

class Column {
  readonly hintMask: number;
  readonly customHintMask: number;
  cells = 0;
  nonEmpty = 0;
  nameLike = 0;
  addressLike = 0;
  minors = 0;
  readonly st = new Float64Array(7 * MAX_TYPES);
  readonly sketches: (Uint8Array | null)[] = new Array(MAX_TYPES).fill(null);
  /** The core's character table for this column (which character roles to look for). */
  readonly info: Uint16Array;

  constructor(
    readonly index: number,
    readonly name: string,
    customs: readonly CustomRecognizer[],
    core: Core,
  ) {
    this.hintMask = builtinHintMask(name);
    this.info = core.infoFor(this.hintMask);
    let m = 0;
    customs.forEach((c, i) => {
      if (c.columnHints.length > 0 && nameMatchesHint(name, c.columnHints)) m |= 1 << i;
    });
    this.customHintMask = m;
    this.st.fill(-1, STAMP, STAMP + MAX_TYPES);
  }

  block(kind: number): Float64Array {
    return this.st.subarray(kind, kind + MAX_TYPES);
  }
}

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** Shared machinery of both scanners: columns, the core, finishing a cell, the report. */
class ScanState {
  readonly core: Core;
  readonly customs: readonly CustomRecognizer[];
  private readonly cellCustoms: readonly CustomRecognizer[];
  readonly hasCellCustoms: boolean;
  readonly columns: Column[] = [];
  private readonly onFinding?: (f: Finding) => void;
  readonly minConf: number;
  readonly asOf: number;
  private readonly typeNames: string[];
  private readonly guide: SchemeGuide;
  private readonly piMapping: Readonly<Record<string, PiMapping | null>>;
  /** Numbers each value (a cell counts once per type however many pieces a long value comes in). */
  private serial = 0;
  /** The last piece recorded was not a value's last: the next piece belongs to the same value. */
  private continuing = false;
  cells = 0;
  normalisedCells = 0;
  private scratch = new Uint8Array(4096);
  private readonly surname = cjkTables().surname;
  /** Offsets: UTF-16 units from the value start up to byte `cursorByte` (sequential findings). */
  private cursorByte = 0;
  private cursorUnits = 0;

  constructor(opts: ScanOptions, delimiter = 44) {
    this.asOf = opts.asOf ? ymdNumber(opts.asOf) : todayYmd();
    this.customs = opts.custom ?? [];
    this.cellCustoms = this.customs.filter((c) => c.scope === 'cell');
    this.hasCellCustoms = this.cellCustoms.length > 0;
    this.core = new Core({ asOf: this.asOf, delimiter, tokenRecognizers: tokenRecognizers(this.customs) });
    this.onFinding = opts.onFinding;
    this.minConf = Math.round((opts.minConfidence ?? 0.5) * 100);
    this.guide = opts.guide ?? defaultSchemeGuide();
    this.piMapping = opts.piMapping ?? {};
    this.typeNames = [...BUILTIN_TYPES];
    for (const c of this.customs) this.typeNames[c.type] = c.id;
    if (opts.columns) this.setColumns(opts.columns);
  }

  /** What the native path does not do: custom recognizers, findings with offsets. */
  get nativeEligible(): boolean {
    return this.customs.length === 0 && this.onFinding === undefined;
  }

  /** Adds what the native path counted (its columns are registered in order, the first `nat.registered`). */
  mergeNative(nat: NativeCsvPath): void {
    const counts = new Float64Array(5);
    const sketches = new Uint8Array(PERSON_TYPES.length * SKETCH_BYTES);
    for (let k = 0; k < nat.registered; k++) {
      const col = this.columns[k];
      counts.fill(0);
      sketches.fill(0);
      const used = nat.columnStats(k, col.st, counts, sketches);
      col.cells += counts[0];
      col.nonEmpty += counts[1];
      col.nameLike += counts[2];
      col.addressLike += counts[3];
      col.minors += counts[4];
      PERSON_TYPES.forEach((t, x) => {
        if (((used >>> x) & 1) === 0) return;
        const part = sketches.subarray(x * SKETCH_BYTES, (x + 1) * SKETCH_BYTES);
        const sk = col.sketches[t];
        if (sk === null) col.sketches[t] = part.slice();
        else sketchMerge(sk, part);
      });
    }
    const [cells, dropped] = nat.totals();
    this.cells += cells;
    this.core.dropped += dropped;
  }

  setColumns(names: readonly string[]): void {
    this.columns.length = 0;
    names.slice(0, MAX_COLUMNS).forEach((n, i) => {
      this.columns.push(new Column(i, n, this.customs, this.core));
    });
  }

  column(i: number): Column | null {
    if (i >= MAX_COLUMNS) return null;
    while (this.columns.length <= i) this.columns.push(new Column(this.columns.length, `column${this.columns.length + 1}`, this.customs, this.core));
    return this.columns[i];
  }

  /**
   * The value the core just scanned in `b` is complete: record it. `raw`: offsets are counted in `b` from
   * the value start (CSV bytes); otherwise `norm` maps offsets of the normalised text back to the original.
   * `base`: UTF-16 offset of this piece within the whole value (long values come in pieces).
   */
  /** Matches of the current piece outside [keepFrom, keepTo) are dropped (a long value cut inside a token). */
  keepFrom = 0;
  keepTo = Number.POSITIVE_INFINITY;

  finishValue(
    col: Column,
    b: Uint8Array,
    row: number,
    norm: ReturnType<typeof normalizeWithOffsets> | null,
    base: number,
    whole: boolean,
    text: string | null,
  ): void {
    const core = this.core;
    const serial = this.continuing ? this.serial : ++this.serial;
    this.continuing = !whole;
    if (whole) {
      col.cells++;
      this.cells++;
    }
    const vs = core.valueStart;
    const len = core.valueEnd - vs - core.quoteBytes;
    const pn = core.pn;
    if (len <= 0 && pn === 0) return;
    if (whole) col.nonEmpty++;
    const st = col.st;
    const tn = core.tn;
    if (tn > 0) {
      for (let k = 0; k < tn; k++) {
        const t = core.touchedList[k];
        st[CAND + t] += core.cand[t];
        st[VALID + t] += core.valid[t];
      }
    }
    this.cursorByte = vs;
    this.cursorUnits = 0;
    if (pn > 0) {
      const dobOk = ((col.hintMask >>> T_DOB) & 1) === 1 || core.dobContext;
      const meta = core.pMeta;
      const from = this.keepFrom;
      const to = this.keepTo;
      for (let k = 0; k < pn; k++) {
        const m = meta[k];
        if ((m >>> 24) & COND_DOB && !dobOk) continue;
        const s = core.pStart[k];
        const e = core.pEnd[k];
        if (s < from || e > to) continue;
        this.record(col, m & 0xff, (m >>> 8) & 0xff, b, s, e, row, norm, base, serial);
      }
    }
    if (!whole) return;
    // Value shapes: a Chinese name (2–4 Han characters, a surname first; or a name with a middle dot) and
    // an address (an administrative unit and a street or number marker).
    const cjk = core.cjk;
    if (cjk >= 2) {
      if (len === 3 * cjk + 2 * core.dot2) {
        if (cjk <= 17 && this.nameShape(b, vs, core.valueEnd, cjk - core.dot3, core.dot2 + core.dot3)) {
          col.nameLike++;
          if (((col.hintMask >>> T_NAME) & 1) === 1) this.record(col, T_NAME, 85, b, vs, core.valueEnd, row, norm, base, serial);
        }
      } else if (cjk >= 6 && len <= 600) {
        const f = core.cellFlags;
        if ((f & F_ADDR_ADMIN) !== 0 && (f & (F_ADDR_STREET | F_ADDR_NUMBER)) !== 0) {
          col.addressLike++;
          if (((col.hintMask >>> T_ADDRESS) & 1) === 1) this.record(col, T_ADDRESS, 85, b, vs, core.valueEnd, row, norm, base, serial);
        }
      }
    }
    if (this.cellCustoms.length > 0) this.cellScope(col, b, row, norm, base, serial, text);
  }

  /** A value of only Han characters (and up to two name dots): 2–4 with a surname first, or 3–15 around dots. */
  private nameShape(b: Uint8Array, s: number, e: number, han: number, dots: number): boolean {
    if (dots === 0 ? han > 4 : dots > 2 || han < 3 || han > 15) return false;
    let first = true;
    for (let i = s; i < e; ) {
      const c = b[i];
      if (c === 34) {
        i++;
        continue;
      }
      if (c === 0xc2) {
        i += 2;
        continue;
      }
      const cp = ((c & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f);
      i += 3;
      if (cp === 0x2022 || cp === 0x30fb) continue;
      if (!isHan(cp)) return false;
      if (first && dots === 0 && this.surname[cp] !== 1) return false;
      first = false;
    }
    return true;
  }

  private cellScope(
    col: Column,
    b: Uint8Array,
    row: number,
    norm: ReturnType<typeof normalizeWithOffsets> | null,
    base: number,
    serial: number,
    text: string | null,
  ): void {
    const core = this.core;
    let value = text;
    if (value === null) {
      if (core.valueEnd - core.valueStart > CELL_SCOPE_MAX * 4) return;
      value = normalizeWithOffsets(decodeValue(b, core.valueStart, core.valueEnd, core.quoted)).text;
    }
    if (value.length === 0 || value.length > CELL_SCOPE_MAX) return;
    for (const r of this.cellCustoms) {
      if (r.hintOnly && ((col.customHintMask >>> (r.type - 32)) & 1) === 0) continue;
      if (value.length < r.minLen || value.length > r.maxLen || !r.re.test(value)) continue;
      const passed = r.check === null || r.check(value.replace(/[^0-9A-Za-z]/g, '').toUpperCase());
      col.st[CAND + r.type]++;
      if (!passed) continue;
      col.st[VALID + r.type]++;
      const hinted = ((col.customHintMask >>> (r.type - 32)) & 1) === 1;
      this.record(col, r.type, hinted ? r.confidence + ((100 - r.confidence) >> 1) : r.confidence, b, core.valueStart, core.valueEnd, row, norm, base, serial);
      return;
    }
  }

  /**
   * One finding: column statistics (the hot part, small enough for V8 to inline into finishValue), then the
   * rarer work out of line: identity documents' distinct counts and ages, and the caller's callback.
   */
  private record(
    col: Column,
    t: number,
    conf: number,
    b: Uint8Array,
    s: number,
    e: number,
    row: number,
    norm: ReturnType<typeof normalizeWithOffsets> | null,
    base: number,
    serial: number,
  ): void {
    const st = col.st;
    if (conf < this.minConf) {
      st[WEAK + t]++;
      return;
    }
    st[HITS + t]++;
    st[CONF + t] += conf;
    if (st[STAMP + t] !== serial) {
      st[STAMP + t] = serial;
      st[CELLS + t]++;
    }
    if (IS_PERSON[t] === 1) this.person(col, t, b, s, e);
    if (this.onFinding !== undefined) this.emit(col, t, conf, b, s, e, row, norm, base);
  }

  /** An identity document: its distinct-count sketch; for resident IDs, children under 14 at asOf. */
  private person(col: Column, t: number, b: Uint8Array, s: number, e: number): void {
    let sk = col.sketches[t];
    if (sk === null) {
      sk = newSketch();
      col.sketches[t] = sk;
    }
    sketchAdd(sk, hashIdentifier(b, s, e));
    if (t === T_RESIDENT_ID) {
      const birth = e - s === 18 ? idBirthDate(b, s + 6, true, this.asOf) : this.core.idBirth(b, s, e);
      if (birth !== 0 && birth + 140000 > this.asOf) col.minors++;
    }
  }

  private emit(
    col: Column,
    t: number,
    conf: number,
    b: Uint8Array,
    s: number,
    e: number,
    row: number,
    norm: ReturnType<typeof normalizeWithOffsets> | null,
    base: number,
  ): void {
    let start = this.units(b, s);
    let end = this.units(b, e);
    if (norm !== null) [start, end] = originalRange(norm, start, end);
    (this.onFinding as (f: Finding) => void)({ row, column: col.name, type: this.typeNames[t], start: base + start, end: base + end, confidence: conf / 100 });
  }

  /** UTF-16 units of the value from its start to byte p (quote-aware; sequential calls are incremental). */
  units(b: Uint8Array, p: number): number {
    const core = this.core;
    let i = this.cursorByte;
    let u = this.cursorUnits;
    if (p < i) {
      i = core.valueStart;
      u = 0;
    }
    const quoted = core.quoted;
    while (i < p) {
      const c = b[i];
      if (c < 0x80) {
        if (c === 34 && quoted) {
          if (b[i + 1] === 34) {
            u++;
            i += 2;
          } else i++;
          continue;
        }
        u++;
        i++;
      } else if (c >= 0xf0) {
        u += 2;
        i += 4;
      } else if (c >= 0xe0) {
        u++;
        i += 3;
      } else if (c >= 0xc0) {
        u++;
        i += 2;
      } else i++;
    }
    this.cursorByte = i;
    this.cursorUnits = u;
    return u;
  }

  /** UTF-16 length of the value the core just scanned. */
  valueUnits(b: Uint8Array): number {
    this.cursorByte = this.core.valueStart;
    this.cursorUnits = 0;
    return this.units(b, this.core.valueEnd);
  }

  /** The normalising path for one value given as text: NFKC with offsets, UTF-8, the same core. */
  scanText(col: Column, text: string, row: number, base = 0, whole = true): void {
    if (text.length <= MAX_PIECE_CHARS) {
      this.scanTextPiece(col, text, row, base, whole);
      return;
    }
    let at = 0;
    let head: Cut = CUT_CLEAN;
    while (at < text.length) {
      let end = Math.min(text.length, at + MAX_PIECE_CHARS);
      let tail: Cut = CUT_CLEAN;
      if (end < text.length) [end, tail] = cutText(text, at, end);
      const piece = text.slice(at, end);
      // Drop what touches a cut that is not clean (half a token, or a run that may continue a chain).
      this.keepFrom = head === CUT_DIRTY ? utf8Length(piece, firstRunEnd(piece)) : head === CUT_SOFT ? 1 : 0;
      this.keepTo =
        tail === CUT_DIRTY ? utf8Length(piece, lastRunEnd(piece)) : tail === CUT_SOFT ? utf8Length(piece, piece.length) - 1 : Number.POSITIVE_INFINITY;
      this.scanTextPiece(col, piece, row, base + at, whole && end === text.length);
      this.keepFrom = 0;
      this.keepTo = Number.POSITIVE_INFINITY;
      head = tail;
      at = end;
    }
  }

  private scanTextPiece(col: Column, text: string, row: number, base: number, whole: boolean): void {
    const norm = normalizeWithOffsets(text);
    const t = norm.text;
    if (this.scratch.length < t.length * 3 + 8) this.scratch = new Uint8Array(t.length * 3 + 8);
    const len = encoder.encodeInto(t, this.scratch).written;
    // The scanner looks a few bytes past a run; what it finds there must end the value, not be an old one.
    this.scratch.fill(0, len, len + 4);
    const core = this.core;
    core.setColumn(col.hintMask, col.customHintMask, col.info);
    core.scan(this.scratch, 0, len, false, true);
    this.finishValue(col, this.scratch, row, norm.starts === null ? null : norm, base, whole, this.cellCustomsText(t));
    if (norm.starts !== null) this.normalisedCells++;
  }

  private cellCustomsText(t: string): string | null {
    return this.cellCustoms.length > 0 ? t : null;
  }

  report(rows: number, bytes: number): ScanReport {
    const customsP: ProposalCustomType[] = this.customs.map((c) => ({
      type: c.type,
      id: c.id,
      hasChecksum: c.check !== null,
      pi: c.piType ? { piType: c.piType, sensitive: c.sensitive ?? false } : null,
    }));
    const columns: ColumnReport[] = this.columns.map((col) => {
      const distinct = new Map<number, number>();
      const hitsB = col.block(HITS);
      col.sketches.forEach((sk, t) => {
        if (sk !== null) distinct.set(t, Math.min(sketchEstimate(sk), hitsB[t]));
      });
      const counts: ColumnCounts = { ...pickCounts(col), distinct };
      const weakB = col.block(WEAK);
      const cellsB = col.block(CELLS);
      const candB = col.block(CAND);
      const validB = col.block(VALID);
      const confB = col.block(CONF);
      const inferred = inferColumn(counts, customsP);
      const proposal = proposeColumn(inferred, col.minors, this.guide, this.piMapping, customsP);
      const hits: Record<string, number> = {};
      const stats: TypeStats[] = [];
      const typeNums = [...Array(BUILTIN_COUNT).keys(), ...this.customs.map((c) => c.type)];
      for (const t of typeNums) {
        if (hitsB[t] === 0 && weakB[t] === 0 && candB[t] === 0) continue;
        const name = this.typeNames[t];
        if (hitsB[t] > 0) hits[name] = hitsB[t];
        stats.push({
          type: name,
          hits: hitsB[t],
          weak: weakB[t],
          cells: cellsB[t],
          candidates: candB[t],
          passed: validB[t],
          meanConfidence: hitsB[t] > 0 ? Math.round(confB[t] / hitsB[t]) / 100 : 0,
          ...(distinct.has(t) ? { distinct: distinct.get(t) } : {}),
        });
      }
      const hints: TypeId[] = [];
      for (let t = 0; t < BUILTIN_COUNT; t++) if (((col.hintMask >>> t) & 1) === 1) hints.push(BUILTIN_TYPES[t]);
      this.customs.forEach((c, i) => {
        if (((col.customHintMask >>> i) & 1) === 1) hints.push(c.id);
      });
      return {
        index: col.index,
        name: col.name,
        cells: col.cells,
        nonEmpty: col.nonEmpty,
        hits,
        stats,
        nameLike: col.nameLike,
        addressLike: col.addressLike,
        minors: col.minors,
        hints,
        proposal,
      };
    });
    return {
      rows,
      bytes,
      cells: this.cells,
      normalisedCells: this.normalisedCells,
      droppedMatches: this.core.dropped,
      columns,
      resource: proposeResource(columns, this.guide),
    };
  }
}

function pickCounts(col: Column): Omit<ColumnCounts, 'distinct'> {
  return {
    name: col.name,
    hintMask: col.hintMask,
    customHintMask: col.customHintMask,
    cells: col.cells,
    nonEmpty: col.nonEmpty,
    nameLike: col.nameLike,
    addressLike: col.addressLike,
    minors: col.minors,
    hits: col.block(HITS),
    weak: col.block(WEAK),
    cellsWith: col.block(CELLS),
    cand: col.block(CAND),
    valid: col.block(VALID),
    confSum: col.block(CONF),
  };
}

/** How a long value was cut: between separators; after a run (matches touching the cut are dropped); inside a token (the token is dropped). */
type Cut = 0 | 1 | 2;
const CUT_CLEAN = 0;
const CUT_SOFT = 1;
const CUT_DIRTY = 2;

/** A character that ends every token: not ASCII alphanumeric, not a joiner or prefix ( -./:@+_()%). */
function isSeparator(c: number): boolean {
  if (c >= 0x80) return !(c >= 0xd800 && c <= 0xdfff);
  return !((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || ' -./:@+_()%'.includes(String.fromCharCode(c)));
}

/** A character that ends a run (anything but ASCII letters, digits and '_'; not half a surrogate pair). */
function isRunEnd(c: number): boolean {
  return !((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c >= 0xdc00 && c <= 0xdfff));
}

/**
 * Where to cut text[at..end): between two separators near the end; else just after a run ends (a chain
 * such as '138 1234 5678' may be split there, nothing else); else at a character boundary, inside a token
 * ("dirty": the caller drops what touches the cut).
 */
function cutText(text: string, at: number, end: number): [number, Cut] {
  const lo = Math.max(at + 1, end - 4096);
  for (let p = end; p > lo; p--) if (isSeparator(text.charCodeAt(p - 1)) && isSeparator(text.charCodeAt(p))) return [p, CUT_CLEAN];
  for (let p = end; p > lo; p--) if (isRunEnd(text.charCodeAt(p - 1)) && !(text.charCodeAt(p) >= 0xdc00 && text.charCodeAt(p) <= 0xdfff)) return [p, CUT_SOFT];
  const c = text.charCodeAt(end - 1);
  return [c >= 0xd800 && c <= 0xdbff ? end - 1 : end, CUT_DIRTY];
}

function firstRunEnd(t: string): number {
  for (let i = 0; i < t.length; i++) if (isRunEnd(t.charCodeAt(i))) return i;
  return t.length;
}

function lastRunEnd(t: string): number {
  for (let i = t.length - 1; i >= 0; i--) if (isRunEnd(t.charCodeAt(i))) return i + 1;
  return 0;
}

/** UTF-8 length of t[0..i) after normalisation (the scanner's byte offsets). */
function utf8Length(t: string, i: number): number {
  return encoder.encode(normalizeWithOffsets(t.slice(0, i)).text).length;
}

/** The text of a CSV value (quotes removed, "" unescaped). */
export function decodeValue(b: Uint8Array, s: number, e: number, quoted: boolean): string {
  if (!quoted) return decoder.decode(b.subarray(s, e));
  const out = new Uint8Array(e - s);
  let w = 0;
  let inQ = true;
  for (let i = s; i < e; i++) {
    const c = b[i];
    if (c === 34) {
      if (inQ && b[i + 1] === 34) {
        out[w++] = 34;
        i++;
        continue;
      }
      if (inQ) {
        inQ = false;
        continue;
      }
    }
    out[w++] = c;
  }
  return decoder.decode(out.subarray(0, w));
}

function valueText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return null;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return null;
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  }
  if (v instanceof Uint8Array) return null;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * The generic path: values as JavaScript values (strings; numbers, dates and JSON objects are converted;
 * binary values are skipped), row by row or cell by cell. Rows count from 1.
 */
export class Scanner {
  private readonly st: ScanState;
  private rows = 0;
  private bytes = 0;

  constructor(opts: ScanOptions = {}) {
    this.st = new ScanState(opts);
  }

  setColumns(names: readonly string[]): void {
    this.st.setColumns(names);
  }

  /** One row of values in column order. */
  row(values: readonly unknown[]): void {
    const rowNo = ++this.rows;
    for (let c = 0; c < values.length; c++) this.scanCell(rowNo, c, values[c]);
  }

  /** One value of row `row` (from 1) and column `column` (from 0), for readers that stream cells. */
  cell(row: number, column: number, value: unknown): void {
    if (row > this.rows) this.rows = row;
    this.scanCell(row, column, value);
  }

  private scanCell(row: number, column: number, value: unknown): void {
    const col = this.st.column(column);
    if (col === null) return;
    const text = valueText(value);
    if (text === null || text === '') {
      col.cells++;
      this.st.cells++;
      return;
    }
    this.bytes += text.length;
    this.st.scanText(col, text, row);
  }

  finish(): ScanReport {
    return this.st.report(this.rows, this.bytes);
  }
}

/**
 * The fast path: UTF-8 CSV bytes in chunks of any size (a GB18030 reader transcodes first). `push` as bytes
 * arrive, `end` once. A field is held back only while it is incomplete (≤ 256 KiB: longer fields are scanned
 * in pieces).
 */
export class CsvScanner {
  private readonly st: ScanState;
  private readonly header: boolean;
  private carry: Uint8Array | null = null;
  private inHeader: boolean;
  private headerNames: string[] = [];
  private col = 0;
  private rows = 0;
  private bytes = 0;
  private started = false;
  /** Continuing a long field: 0 = a new field, 1 = outside quotes, 2 = inside quotes. */
  private resume = 0;
  private pieceBase = 0;
  /** How the previous piece of the current field was cut. */
  private head: Cut = CUT_CLEAN;
  /** The native twin of the data-row loop, when it is used (see CsvOptions.engine). */
  private readonly nat: NativeCsvPath | null = null;

  constructor(opts: CsvOptions = {}) {
    const d = opts.delimiter ?? ',';
    if (![',', '\t', ';', '|'].includes(d)) throw new Error(`unsupported delimiter ${JSON.stringify(d)}`);
    this.st = new ScanState(opts, d.charCodeAt(0));
    this.header = opts.header ?? true;
    this.inHeader = this.header;
    const engine = opts.engine ?? 'auto';
    if (engine !== 'js') {
      const mod = nativeDiscovery();
      if (mod === null && engine === 'native') throw new Error(`native discovery scanner unavailable: ${nativeUnavailableReason()}`);
      if (mod !== null && this.st.nativeEligible) this.nat = new NativeCsvPath(mod, this.st.asOf, this.st.minConf, d.charCodeAt(0));
    }
  }

  /** Which engine scans the data rows. */
  get engine(): 'native' | 'js' {
    return this.nat !== null ? 'native' : 'js';
  }

  /** Data rows completed so far (for progress). */
  get rowCount(): number {
    return this.rows;
  }

  push(data: Uint8Array): void {
    this.bytes += data.length;
    // A plain Uint8Array view (no copy): the scanner's code then sees one array type (Buffer is a subclass,
    // and mixing the two makes V8's optimised code polymorphic).
    const chunk = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    let buf = chunk;
    if (!this.started) {
      if (this.carry !== null) {
        buf = concat(this.carry, chunk);
        this.carry = null;
      }
      if (buf.length < 3) {
        this.carry = copy(buf);
        return;
      }
      this.started = true;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    } else if (this.carry !== null) {
      // Finish the field held back from the last chunk on a small bridge (the carry and the start of this
      // chunk) instead of copying the whole chunk behind it.
      const carry = this.carry;
      this.carry = null;
      let k = Math.min(chunk.length, 1 << 16);
      for (;;) {
        const bridge = concat(carry, chunk.subarray(0, k));
        const used = this.process(bridge, false);
        if (used > carry.length) {
          buf = chunk.subarray(used - carry.length);
          break;
        }
        if (k === chunk.length) {
          this.carry = used < bridge.length ? bridge.subarray(used) : null;
          return;
        }
        k = Math.min(chunk.length, k * 8);
      }
    }
    const used = this.process(buf, false);
    // A copy: the caller may reuse its chunk buffer (and Buffer#slice would not copy).
    this.carry = used < buf.length ? copy(buf.subarray(used)) : null;
  }

  end(): ScanReport {
    let buf = this.carry ?? new Uint8Array(0);
    if (!this.started && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    this.started = true;
    if (buf.length > 0) this.process(buf, true);
    this.carry = null;
    if (this.inHeader && this.headerNames.length > 0) this.finishHeader();
    if (this.nat !== null) this.st.mergeNative(this.nat);
    return this.st.report(this.rows, this.bytes);
  }

  private finishHeader(): void {
    this.inHeader = false;
    if (this.st.columns.length === 0) this.st.setColumns(this.headerNames);
    this.headerNames = [];
  }

  private process(b: Uint8Array, final: boolean): number {
    const st = this.st;
    const core = st.core;
    const n = b.length;
    let i = 0;
    // The header row, and the rest of a long field, one field at a time.
    while (i < n && (this.inHeader || this.resume !== 0)) {
      const r = this.field(b, i, n, final);
      if (r < 0) return -r - 1;
      i = r;
    }
    // Data rows: the hot loop.
    let colIdx = this.col;
    let rows = this.rows;
    const columns = st.columns;
    const quick = !st.hasCellCustoms;
    const nat = this.nat;
    while (i < n) {
      if (nat !== null) {
        // The native loop takes every field it can; it stops at one it hands back (incomplete, needing the
        // normalising path, or in a column not made yet), which the JavaScript below takes, then it goes on.
        while (nat.registered < columns.length) {
          const c = columns[nat.registered];
          nat.addColumn(c.hintMask, c.info);
        }
        i = nat.run(b, i, final, colIdx, rows);
        colIdx = nat.io[0];
        rows = nat.io[1];
        if (i >= n) break;
      }
      let col: Column | null | undefined = columns[colIdx];
      if (col === undefined) col = st.column(colIdx);
      if (col !== null) core.setColumn(col.hintMask, col.customHintMask, col.info);
      else core.setColumn(0, 0);
      const r = core.scan(b, i, n, true, final, 0);
      if (r === INCOMPLETE) {
        this.col = colIdx;
        this.rows = rows;
        if (n - i <= MAX_PIECE_BYTES) return i;
        return this.longField(b, i, n, col);
      }
      i = r;
      const term = core.term;
      if (term === TERM_DELIM) {
        if (col !== null) {
          // Most values hold nothing to record: count them here without the full bookkeeping.
          if (core.pn === 0 && core.tn === 0 && core.cjk < 2 && !core.needSlow && quick) {
            col.cells++;
            st.cells++;
            if (core.valueEnd - core.valueStart > core.quoteBytes) col.nonEmpty++;
          } else this.value(col, b, rows + 1);
        }
        colIdx++;
      } else {
        // A blank line is no row.
        if (colIdx === 0 && core.valueEnd === core.valueStart && !core.quoted) continue;
        if (col !== null) this.value(col, b, rows + 1);
        rows++;
        colIdx = 0;
      }
    }
    this.col = colIdx;
    this.rows = rows;
    return n;
  }

  private value(col: Column, b: Uint8Array, row: number): void {
    const st = this.st;
    const core = st.core;
    if (core.needSlow) st.scanText(col, decodeValue(b, core.valueStart, core.valueEnd, core.quoted), row, this.pieceBase);
    else st.finishValue(col, b, row, null, this.pieceBase, true, null);
    this.pieceBase = 0;
  }

  /** One field on the slow path (header, continued long field). Returns the next index, or −(index + 1) to stop there. */
  private field(b: Uint8Array, i: number, n: number, final: boolean): number {
    const st = this.st;
    const core = st.core;
    const col = this.inHeader ? null : st.column(this.col);
    core.setColumn(col?.hintMask ?? 0, col?.customHintMask ?? 0);
    const r = core.scan(b, i, n, true, final, this.resume);
    if (r === INCOMPLETE) {
      if (n - i <= MAX_PIECE_BYTES) return -i - 1;
      return -this.longField(b, i, n, col) - 1;
    }
    this.resume = 0;
    if (!core.needSlow)
      st.keepFrom = this.head === CUT_DIRTY ? firstSeparatorByte(b, core.valueStart, core.valueEnd) : this.head === CUT_SOFT ? core.valueStart + 1 : 0;
    this.head = CUT_CLEAN;
    const term = core.term;
    if (this.inHeader) {
      // keepFrom is for the last piece of a long data value; a header name's must not reach the data rows.
      st.keepFrom = 0;
      this.headerNames.push(decodeValue(b, core.valueStart, core.valueEnd, core.quoted).trim());
      if (term === TERM_DELIM) this.col++;
      else {
        this.col = 0;
        this.finishHeader();
      }
      return r;
    }
    if (col !== null) this.value(col, b, this.rows + 1);
    st.keepFrom = 0;
    this.pieceBase = 0;
    if (term === TERM_DELIM) this.col++;
    else {
      this.rows++;
      this.col = 0;
    }
    return r;
  }

  /** A field longer than 256 KiB: scan what we have up to a safe cut, keep the rest for the next chunk. */
  private longField(b: Uint8Array, i: number, n: number, col: Column | null): number {
    const st = this.st;
    const core = st.core;
    const [cut, tail] = cutBytes(b, i, n);
    const resume = this.resume;
    core.scan(b, i, cut, true, true, resume);
    if (col !== null) {
      if (core.needSlow) {
        const text = decodeValue(b, core.valueStart, core.valueEnd, core.quoted);
        st.scanText(col, text, this.rows + 1, this.pieceBase, false);
        this.pieceBase += text.length;
      } else {
        // Drop what touches a cut that is not clean (half a token, or a run that may continue a chain).
        st.keepFrom = this.head === CUT_DIRTY ? firstSeparatorByte(b, core.valueStart, cut) : this.head === CUT_SOFT ? core.valueStart + 1 : 0;
        st.keepTo = tail === CUT_DIRTY ? lastSeparatorByte(b, core.valueStart, cut) : tail === CUT_SOFT ? cut - 1 : Number.POSITIVE_INFINITY;
        st.finishValue(col, b, this.rows + 1, null, this.pieceBase, false, null);
        st.keepFrom = 0;
        st.keepTo = Number.POSITIVE_INFINITY;
        this.pieceBase += st.valueUnits(b);
      }
    }
    this.head = tail;
    this.resume = core.inQuotes ? 2 : 1;
    return cut;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const c = new Uint8Array(a.length + b.length);
  c.set(a, 0);
  c.set(b, a.length);
  return c;
}

function copy(b: Uint8Array): Uint8Array {
  const c = new Uint8Array(b.length);
  c.set(b);
  return c;
}

/** Byte classes for cutting long fields: 1 = separator (see isSeparator), 2 = other run end, 0 = inside a run or a character. */
const CUT_CLASS = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  if ((c >= 0xc2 && c <= 0xf4) || (c < 0x80 && isSeparator(c) && c !== 34)) CUT_CLASS[c] = 1;
  else if (c < 0x80 && isRunEnd(c)) CUT_CLASS[c] = 2;
}

/** Where to cut a long field in b[i..n), as cutText does for text. */
function cutBytes(b: Uint8Array, i: number, n: number): [number, Cut] {
  const lo = Math.max(i + 1, n - 4096);
  for (let p = n - 1; p > lo; p--) if (CUT_CLASS[b[p]] === 1 && (CUT_CLASS[b[p - 1]] === 1 || (b[p - 1] & 0xc0) === 0x80)) return [p, CUT_CLEAN];
  for (let p = n - 1; p > lo; p--) if (CUT_CLASS[b[p - 1]] !== 0 && b[p - 1] < 0x80 && b[p - 1] !== 34 && (b[p] & 0xc0) !== 0x80) return [p, CUT_SOFT];
  let p = n - 8;
  while (p > i + 1 && (b[p] & 0xc0) === 0x80) p--;
  return [p, CUT_DIRTY];
}

function firstSeparatorByte(b: Uint8Array, s: number, e: number): number {
  for (let i = s; i < e; i++) if (CUT_CLASS[b[i]] !== 0 || b[i] >= 0x80) return i;
  return e;
}

function lastSeparatorByte(b: Uint8Array, s: number, e: number): number {
  for (let i = e - 1; i >= s; i--) if (CUT_CLASS[b[i]] !== 0 || b[i] >= 0x80) return i + 1;
  return s;
}

/** All matches in one text (no column context): the per-text API. Offsets refer to `text`. */
export function scanText(text: string, opts: Omit<ScanOptions, 'columns' | 'onFinding'> & { columnName?: string } = {}): TextMatch[] {
  const out: TextMatch[] = [];
  const scanner = new Scanner({
    ...opts,
    columns: [opts.columnName ?? ''],
    onFinding: (f) => out.push({ type: f.type, start: f.start, end: f.end, confidence: f.confidence }),
  });
  scanner.row([text]);
  return out;
}

/** Scans CSV chunks (Buffers from a file stream, or one Buffer) and returns the report. */
export async function scanCsv(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, opts: CsvOptions = {}): Promise<ScanReport> {
  const s = new CsvScanner(opts);
  for await (const c of chunks) s.push(c);
  return s.end();
}

/** Synchronous form for data already in memory. */
export function scanCsvBuffer(chunks: Iterable<Uint8Array>, opts: CsvOptions = {}): ScanReport {
  const s = new CsvScanner(opts);
  for (const c of chunks) s.push(c);
  return s.end();
}
