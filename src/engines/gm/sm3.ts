// SM3 (GB/T 32905), HMAC-SM3, the SM3 key derivation function of GB/T 32918.4 and a constant-time
// comparison. All from node:crypto (OpenSSL's 'sm3'). PRT-5, 密评 (GB/T 39786) integrity.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { GmError } from './errors.ts';

export type BytesOrText = Uint8Array | string;

/** SM3 digest (32 bytes). Strings are hashed as UTF-8. */
export function sm3(data: BytesOrText): Buffer {
  return createHash('sm3').update(data).digest();
}

/** HMAC-SM3 (RFC 2104 with SM3, 64-byte block): 32-byte tag. Strings are UTF-8. */
export function hmacSm3(key: Uint8Array, data: BytesOrText): Buffer {
  return createHmac('sm3', key).update(data).digest();
}

const MAX_KDF_BYTES = 0xffffffff * 32;

/**
 * The key derivation function of GB/T 32918.4-2016 §5.4.3 with SM3: K = H(Z ‖ ct) ‖ H(Z ‖ ct+1) ‖ …,
 * ct a 32-bit big-endian counter starting at 1, truncated to `klen` BYTES (the standard counts bits;
 * every use here is whole bytes). The same construction as ANSI X9.63 KDF with no shared info.
 */
export function sm3Kdf(z: Uint8Array, klen: number): Buffer {
  if (!Number.isSafeInteger(klen) || klen < 0 || klen > MAX_KDF_BYTES) {
    throw new GmError('invalid_argument', 'sm3Kdf: klen must be a whole number of bytes, 0 … (2^32-1)·32');
  }
  const out = Buffer.allocUnsafe(Math.ceil(klen / 32) * 32);
  const ct = Buffer.alloc(4);
  for (let i = 0, off = 0; off < klen; i++, off += 32) {
    ct.writeUInt32BE(i + 1, 0);
    createHash('sm3').update(z).update(ct).digest().copy(out, off);
  }
  return out.subarray(0, klen);
}

/**
 * Constant-time equality of two byte strings (crypto.timingSafeEqual). Returns false, without throwing,
 * when the lengths differ (the length itself is not secret in any use here).
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  return timingSafeEqual(a, b);
}
