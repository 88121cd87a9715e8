// Text carriers: choices between equivalent forms that NFKC maps to the same text.
// - `text`: in free text (addresses, remarks), each short run of ASCII letters/digits is written half-width
//   or full-width (88号 / ８８号), and each comma, semicolon, colon, exclamation or question mark between
//   non-alphanumerics half- or full-width (，/ ,). Runs longer than 6 characters (phone and ID numbers,
//   dates written as digits) and runs touching . @ / : - _ % and the like (decimals, times, URLs, e-mail
//   addresses, codes) are never touched, so anything a machine extracts from the text keeps its form.
// - `mask`: in partially masked values (张*, 138****5678), each run of mask characters is `*` or `＊`.
// One table word gives up to 32 positions their bits. A cell whose positions are all half-width is no
// observation: that is what unmarked or NFKC-normalised text looks like.
import { cellText } from './cells.ts';
import { VALUE_SLOTS } from './keys.ts';

export const MAX_POSITIONS = 32;
const MAX_RUN = 6;
const WIDE = 0xfee0; // U+FF01…U+FF5E are U+0021…U+007E + WIDE
const STAR = 0x2a;

function fold(c: number): number {
  if (c >= 0xff01 && c <= 0xff5e) return c - WIDE;
  return c === 0x3000 ? 0x20 : c;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

const PUNCT = new Uint8Array(128);
for (const ch of ',;:!?') PUNCT[ch.charCodeAt(0)] = 1;
const JOINER = new Uint8Array(128);
for (const ch of '.@/\\_-%&=+#~\'"$^|<>[]{}`*') JOINER[ch.charCodeAt(0)] = 1;
const isJoiner = (c: number) => c < 128 && JOINER[c] === 1;
const isPunct = (c: number) => c < 128 && PUNCT[c] === 1;
const COLON = 0x3a;
const COMMA = 0x2c;

export interface Position {
  start: number;
  end: number;
}

export interface BitsObservation {
  slot: number;
  /** Observed bits (1 = full-width) of the first `count` positions. */
  bits: number;
  count: number;
}

/**
 * The slot of a text value: FNV-1a of its code units with full-width ASCII folded to ASCII and white space
 * left out, so it is the same for every width variant, trimmed or re-spaced copy. (Full NFKC would also
 * fold compatibility characters, but a leaker who applies NFKC has erased the widths anyway.)
 */
export function textSlot(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    const c = fold(text.charCodeAt(i));
    if (
      c === 0x20 ||
      (c >= 0x09 && c <= 0x0d) ||
      c === 0xa0 ||
      c === 0xfeff ||
      (c >= 0x2000 && c <= 0x200b) ||
      c === 0x2028 ||
      c === 0x2029 ||
      c === 0x202f ||
      c === 0x205f
    )
      continue;
    h ^= c;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % VALUE_SLOTS;
}

function at(text: string, k: number): number {
  return fold(text.charCodeAt(k));
}

// A neighbour that glues a run into something machine-readable: 3.5, a@b, 10:30, 1,000, A-12, https://.
// A colon or comma glues when the character beyond it is alphanumeric or itself a joiner.
function glues(text: string, k: number, beyond: number): boolean {
  if (k < 0 || k >= text.length) return false;
  const c = at(text, k);
  if (isJoiner(c)) return true;
  if (c !== COLON && c !== COMMA) return false;
  if (beyond < 0 || beyond >= text.length) return false;
  const b = at(text, beyond);
  return isAlnum(b) || isJoiner(b);
}

/** Positions of the `text` carrier in a string (the same for every width variant of it). */
export function textPositions(text: string): Position[] {
  const n = text.length;
  const out: Position[] = [];
  let i = 0;
  while (i < n && out.length < MAX_POSITIONS) {
    const c = at(text, i);
    if (isAlnum(c)) {
      let j = i + 1;
      while (j < n && isAlnum(at(text, j))) j++;
      if (j - i <= MAX_RUN && !glues(text, i - 1, i - 2) && !glues(text, j, j + 1)) out.push({ start: i, end: j });
      i = j;
      continue;
    }
    if (isPunct(c) && (i === 0 || !isAlnum(at(text, i - 1))) && (i + 1 >= n || !isAlnum(at(text, i + 1)))) out.push({ start: i, end: i + 1 });
    i++;
  }
  return out;
}

/** Runs of mask characters (`*` or `＊`). */
export function maskRuns(text: string): Position[] {
  const out: Position[] = [];
  const n = text.length;
  let i = 0;
  while (i < n && out.length < MAX_POSITIONS) {
    if (fold(text.charCodeAt(i)) === STAR) {
      let j = i + 1;
      while (j < n && fold(text.charCodeAt(j)) === STAR) j++;
      out.push({ start: i, end: j });
      i = j;
    } else i++;
  }
  return out;
}

function render(text: string, positions: Position[], word: number): string {
  let out = '';
  let at = 0;
  for (let p = 0; p < positions.length; p++) {
    const { start, end } = positions[p]!;
    out += text.slice(at, start);
    const wide = (word >>> p) & 1;
    for (let i = start; i < end; i++) out += String.fromCharCode(fold(text.charCodeAt(i)) + (wide ? WIDE : 0));
    at = end;
  }
  return out + text.slice(at);
}

function observe(text: string, positions: Position[], slot: number): BitsObservation | null {
  if (positions.length === 0) return null;
  let bits = 0;
  for (let p = 0; p < positions.length; p++) if (text.charCodeAt(positions[p]!.start) >= 0xff01) bits |= 1 << p;
  return bits === 0 ? null : { slot, bits, count: positions.length };
}

export function markText(cell: unknown, table: Int32Array): unknown {
  if (typeof cell !== 'string' || cell === '') return cell;
  const positions = textPositions(cell);
  return positions.length === 0 ? cell : render(cell, positions, table[textSlot(cell)]!);
}

export function observeText(cell: unknown): BitsObservation | null {
  const text = cellText(cell);
  return text === null ? null : observe(text, textPositions(text), textSlot(text));
}

export function markMask(cell: unknown, table: Int32Array): unknown {
  if (typeof cell !== 'string' || cell === '') return cell;
  const runs = maskRuns(cell);
  return runs.length === 0 ? cell : render(cell, runs, table[textSlot(cell)]!);
}

export function observeMask(cell: unknown): BitsObservation | null {
  const text = cellText(cell);
  return text === null ? null : observe(text, maskRuns(text), textSlot(text));
}
