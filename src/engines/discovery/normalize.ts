// NFKC normalisation that remembers where each normalised character came from, so matches found in the
// normalised text are reported at their offsets in the ORIGINAL text ('１３８…' → '138…').
//
// Normalisation is per character (each code point's own NFKC form). That is NFKC for everything that
// matters to identifiers (full-width forms, ideographic space, compatibility digits and letters); it skips
// only the canonical composition of combining sequences across characters, which no recognizer reads.

export interface Normalized {
  text: string;
  /** Original start index of the character that produced each normalised UTF-16 unit; null = identity. */
  starts: Int32Array | null;
  /** Original end index (exclusive) of that character. */
  ends: Int32Array | null;
}

const cache = new Map<number, string>();
const CACHE_LIMIT = 8192;

function normChar(cp: number, ch: string): string {
  let nf = cache.get(cp);
  if (nf === undefined) {
    nf = ch.normalize('NFKC');
    if (cache.size < CACHE_LIMIT) cache.set(cp, nf);
  }
  return nf;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
const ASCII_ONLY = /^[\u0000-\u007f]*$/;

export function normalizeWithOffsets(text: string): Normalized {
  if (ASCII_ONLY.test(text)) return { text, starts: null, ends: null };
  let changed = false;
  const parts: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i) as number;
    const w = cp > 0xffff ? 2 : 1;
    const ch = w === 1 ? text[i] : text.slice(i, i + 2);
    const nf = cp < 0x80 ? ch : normChar(cp, ch);
    if (nf !== ch) changed = true;
    parts.push(nf);
    for (let u = 0; u < nf.length; u++) {
      starts.push(i);
      ends.push(i + w);
    }
    i += w;
  }
  if (!changed) return { text, starts: null, ends: null };
  return { text: parts.join(''), starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}

/** Maps a [start, end) range of the normalised text back to the original text. */
export function originalRange(n: Normalized, start: number, end: number): [number, number] {
  if (n.starts === null || n.ends === null) return [start, end];
  const s = start < n.starts.length ? n.starts[start] : n.ends[n.ends.length - 1];
  const e = end > 0 ? n.ends[end - 1] : s;
  return [s, e];
}
