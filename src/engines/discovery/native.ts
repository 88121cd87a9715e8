// The native twin of the CSV fast path (native/discovery/csv_scan.c, issue 4's speed goal): core.ts and the
// per-field bookkeeping of CsvScanner ported to C, built at install by node-gyp (scripts/build-native.mjs)
// and loaded here when it is present and was built from the sources in this tree. Without it (no compiler,
// or a stale build) CsvScanner runs its JavaScript path, which stays the reference: both give the same
// report (src/engines/discovery/native.test.ts).
//
// The C code gets the character tables from cjk.ts (one source for every list of characters and keywords)
// and keeps per-column statistics of its own, which CsvScanner adds to its columns when the scan ends.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NATIVE_BINARY, nativeStamp, readBuiltStamp } from '../../../scripts/native-stamp.mjs';
import { ASCII_KEYWORDS, cjkTables } from './cjk.ts';

export interface NativeModule {
  create(
    asOf: number,
    minConf: number,
    delimiter: number,
    info: Uint16Array,
    infoNoKeywords: Uint16Array,
    infoShapes: Uint16Array,
    norm1: Uint16Array,
    keywordIndex: Uint16Array,
    keywordPairs: Uint32Array,
    surname: Uint8Array,
    keywordOffsets: Int32Array,
    keywordFlat: Int32Array,
    asciiKeywords: Int32Array,
  ): object;
  addColumn(state: object, hintMask: number, infoKind: number): number;
  run(state: object, bytes: Uint8Array, start: number, final: boolean, io: Int32Array): number;
  columnStats(state: object, index: number, st: Float64Array, counts: Float64Array, sketches: Uint8Array): number;
  totals(state: object): [number, number];
}

/** The repository root (where binding.gyp is), above this file (src/engines/discovery) or the server bundle (dist/server). */
function repoRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let k = 0; k < 5; k++) {
    if (existsSync(join(dir, 'binding.gyp'))) return dir;
    dir = dirname(dir);
  }
  return null;
}

let loaded: NativeModule | null | undefined;
let whyNot = '';

/** The native module, or null (then `nativeUnavailableReason()` says why). */
export function nativeDiscovery(): NativeModule | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  const root = repoRoot();
  if (root === null) whyNot = 'binding.gyp not found';
  else if (!existsSync(join(root, NATIVE_BINARY))) whyNot = `${NATIVE_BINARY} not built (npm ci builds it; or node scripts/build-native.mjs)`;
  else if (readBuiltStamp(root) !== nativeStamp(root)) whyNot = `${NATIVE_BINARY} was built from other sources (rebuild: node scripts/build-native.mjs)`;
  else {
    try {
      loaded = createRequire(import.meta.url)(join(root, NATIVE_BINARY)) as NativeModule;
    } catch (err) {
      whyNot = `${NATIVE_BINARY} failed to load: ${(err as Error).message}`;
    }
  }
  return loaded;
}

export function nativeUnavailableReason(): string {
  nativeDiscovery();
  return whyNot;
}

/**
 * The keyword lists in one flat array for the C side: per list `count`, then per keyword `type, length,
 * code points…` (the order of cjk.ts: longest first); `offsets[list]` is where a list starts.
 */
function keywordArrays(): { offsets: Int32Array; flat: Int32Array; ascii: Int32Array } {
  const t = cjkTables();
  const offsets = new Int32Array(t.keywordLists.length);
  const flat: number[] = [];
  t.keywordLists.forEach((list, i) => {
    offsets[i] = flat.length;
    flat.push(list.length);
    for (const kw of list) flat.push(kw.type, kw.rest.length, ...kw.rest);
  });
  // ASCII keywords as their bytes packed big-endian (3 or 4 upper-case letters never collide), then the type.
  const ascii: number[] = [];
  for (const [word, type] of Object.entries(ASCII_KEYWORDS)) {
    let key = 0;
    for (let k = 0; k < word.length; k++) key = ((key << 8) | word.charCodeAt(k)) >>> 0;
    ascii.push(key | 0, type);
  }
  return { offsets, flat: Int32Array.from(flat), ascii: Int32Array.from(ascii) };
}

let keywordCache: ReturnType<typeof keywordArrays> | null = null;

/** One scan's native state: columns registered in order, the row loop, and the statistics at the end. */
export class NativeCsvPath {
  private readonly state: object;
  /** [column index, rows] in and out of run(). */
  readonly io = new Int32Array(2);
  registered = 0;

  constructor(
    private readonly mod: NativeModule,
    asOf: number,
    minConf: number,
    delimiter: number,
  ) {
    const t = cjkTables();
    keywordCache ??= keywordArrays();
    const k = keywordCache;
    this.state = mod.create(
      asOf,
      minConf,
      delimiter,
      t.info,
      t.infoNoKeywords,
      t.infoShapes,
      t.norm1,
      t.keywordIndex,
      t.keywordPairs,
      t.surname,
      k.offsets,
      k.flat,
      k.ascii,
    );
  }

  /** Registers the next column: its hint mask and which of the three character tables it reads. */
  addColumn(hintMask: number, info: Uint16Array): void {
    const t = cjkTables();
    const kind = info === t.info ? 0 : info === t.infoNoKeywords ? 1 : 2;
    this.mod.addColumn(this.state, hintMask >>> 0, kind);
    this.registered++;
  }

  /** Data rows from b[start]; returns where it stopped (b.length, or a field for JavaScript to take). */
  run(b: Uint8Array, start: number, final: boolean, column: number, rows: number): number {
    this.io[0] = column;
    this.io[1] = rows;
    return this.mod.run(this.state, b, start, final, this.io);
  }

  /** Adds column `index`'s statistics to `st` and `counts`, its distinct-count sketches (max) to `sketches`; returns which sketches it used. */
  columnStats(index: number, st: Float64Array, counts: Float64Array, sketches: Uint8Array): number {
    return this.mod.columnStats(this.state, index, st, counts, sketches);
  }

  /** [cells, dropped matches] of the whole scan. */
  totals(): [number, number] {
    return this.mod.totals(this.state);
  }
}
