// Distinct counts in constant memory (AST-11: people covered, counted by their ID numbers). A HyperLogLog
// sketch of 2,048 one-byte registers (2 KiB, ≈ 2.3 % standard error). Registers keep only the position of
// a hash's first set bit, so no number can be recovered from a sketch; nothing else is stored.

const P = 11;
const M = 1 << P;
const ALPHA = 0.7213 / (1 + 1.079 / M);

/** Byte → what the hash takes of it: digits and upper-case letters as they are, lower case folded, separators 0 (skipped). */
const HASH_BYTE = new Uint8Array(256);
for (let c = 48; c <= 57; c++) HASH_BYTE[c] = c;
for (let c = 65; c <= 90; c++) HASH_BYTE[c] = c;
for (let c = 97; c <= 122; c++) HASH_BYTE[c] = c - 32;

/** 32-bit hash of the letters and digits of b[s..e) (upper-cased; separators ignored). */
export function hashIdentifier(b: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5;
  // Four characters per multiplication (the multiplications form the critical path).
  let w = 0;
  let k = 0;
  for (let i = s; i < e; i++) {
    const c = HASH_BYTE[b[i]];
    if (c === 0) continue;
    w = (w << 8) | c;
    if (++k === 4) {
      h = Math.imul(h ^ w, 0x01000193);
      w = 0;
      k = 0;
    }
  }
  h = Math.imul(h ^ w ^ (k << 29), 0x01000193);
  // murmur3 finaliser: FNV's low bits alone are too regular for register selection.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function newSketch(): Uint8Array {
  return new Uint8Array(M);
}

export function sketchAdd(regs: Uint8Array, hash: number): void {
  const idx = hash >>> (32 - P);
  const rank = Math.clz32((hash << P) | (1 << (P - 1))) + 1;
  if (rank > regs[idx]) regs[idx] = rank;
}

/** Adds the values counted in `from` to `into` (register-wise maximum: the sketch of both streams together). */
export function sketchMerge(into: Uint8Array, from: Uint8Array): void {
  for (let i = 0; i < M; i++) if (from[i] > into[i]) into[i] = from[i];
}

export function sketchEstimate(regs: Uint8Array): number {
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < M; i++) {
    sum += 2 ** -regs[i];
    if (regs[i] === 0) zeros++;
  }
  let est = (ALPHA * M * M) / sum;
  if (est <= 2.5 * M && zeros > 0) est = M * Math.log(M / zeros);
  else if (est > 2 ** 32 / 30) est = -(2 ** 32) * Math.log(1 - est / 2 ** 32);
  return Math.round(est);
}
