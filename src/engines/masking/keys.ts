// Keys for the keyed methods (pseudonym, token, shuffle, noise): the caller passes one secret key per grant
// or per test copy; each method uses its own subkey derived from it with HMAC-SM3, so a pseudonym never
// reveals anything about a token or a shuffle made with the same key. Never an unkeyed hash (domain.md §3).
import { createCipheriv, createHmac } from 'node:crypto';

export const MIN_KEY_BYTES = 16;

export interface MaskKeys {
  pseudonym: Buffer;
  token: Buffer;
  shuffle: Buffer;
  noise: Buffer;
}

export class MaskKeyError extends Error {
  constructor() {
    super(`masking key must be a Buffer of at least ${MIN_KEY_BYTES} bytes`);
    this.name = 'MaskKeyError';
  }
}

export function hmacSm3(key: Buffer, data: string | Buffer): Buffer {
  return createHmac('sm3', key).update(data).digest();
}

export function deriveKeys(key: Buffer): MaskKeys {
  if (!Buffer.isBuffer(key) || key.length < MIN_KEY_BYTES) throw new MaskKeyError();
  const sub = (purpose: string) => hmacSm3(key, `shuan/masking/v1/${purpose}`);
  return { pseudonym: sub('pseudonym'), token: sub('token'), shuffle: sub('shuffle'), noise: sub('noise') };
}

/**
 * A deterministic stream of keyed pseudo-random integers: HMAC-SM3(key, seed), then HMAC-SM3(key, seed ‖ i)
 * for more blocks. Uniform integers come from bytes (or 32-bit words) by rejection sampling: no modulo bias,
 * and one 32-byte block covers a typical token.
 */
export class KeyedStream {
  private block: Buffer;
  private pos = 0;
  private counter = 0;
  constructor(
    private readonly key: Buffer,
    private readonly seed: string,
  ) {
    this.block = hmacSm3(key, seed);
  }

  private next(bytes: number): number {
    if (this.pos + bytes > this.block.length) {
      this.counter++;
      this.block = hmacSm3(this.key, `${this.seed}\u0000${this.counter}`);
      this.pos = 0;
    }
    const v = bytes === 1 ? (this.block[this.pos] as number) : this.block.readUInt32BE(this.pos);
    this.pos += bytes;
    return v;
  }

  /** A uniform integer in [0, n), n ≤ 2^32: one byte per draw when n ≤ 256, else four. */
  int(n: number): number {
    const bytes = n <= 256 ? 1 : 4;
    const range = bytes === 1 ? 256 : 0x100000000;
    const limit = range - (range % n);
    for (;;) {
      const w = this.next(bytes);
      if (w < limit) return w % n;
    }
  }

  /** A uniform integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** One character of `alphabet`, uniformly. */
  pick(alphabet: string): string {
    return alphabet[this.int(alphabet.length)] as string;
  }

  /** A uniform real in [0, 1) with 32 bits of precision. */
  unit(): number {
    return this.next(4) / 0x100000000;
  }
}

/**
 * A keyed permutation of 0..n-1 (Fisher–Yates driven by an SM4-CTR keystream whose key and IV come from
 * HMAC-SM3(key, seed)): the same key, seed and n give the same permutation; without the key it cannot be
 * predicted or undone. O(n) time and 4n bytes of keystream (plus a little for rejections).
 */
export function keyedPermutation(key: Buffer, seed: string, n: number): Uint32Array {
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  if (n < 2) return perm;
  const material = hmacSm3(key, `permutation\u0000${seed}\u0000${n}`);
  const cipher = createCipheriv('sm4-ctr', material.subarray(0, 16), material.subarray(16, 32));
  let stream = cipher.update(Buffer.alloc(4 * n + 64));
  let pos = 0;
  const word = (): number => {
    if (pos + 4 > stream.length) {
      stream = cipher.update(Buffer.alloc(4096));
      pos = 0;
    }
    const w = stream.readUInt32BE(pos);
    pos += 4;
    return w;
  };
  for (let i = n - 1; i > 0; i--) {
    const m = i + 1;
    const limit = 0x100000000 - (0x100000000 % m);
    let w = word();
    while (w >= limit) w = word();
    const j = w % m;
    const t = perm[i] as number;
    perm[i] = perm[j] as number;
    perm[j] = t;
  }
  return perm;
}
