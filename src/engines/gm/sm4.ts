// SM4 (GB/T 32907) from node:crypto: CBC with PKCS#7 padding and CTR, one-shot and streaming. PRT-5.
// Neither mode authenticates: store data with the envelope (envelope.ts), which adds HMAC-SM3.
import { type Cipher, createCipheriv, createDecipheriv, type Decipher } from 'node:crypto';
import { GmError } from './errors.ts';

export const SM4_KEY_BYTES = 16;
export const SM4_BLOCK_BYTES = 16;

function checkKeyIv(key: Uint8Array, iv: Uint8Array): void {
  if (key.byteLength !== SM4_KEY_BYTES) throw new GmError('invalid_argument', 'SM4 key must be 16 bytes');
  if (iv.byteLength !== SM4_BLOCK_BYTES) throw new GmError('invalid_argument', 'SM4 IV must be 16 bytes');
}

/** SM4-CBC encryption with PKCS#7 padding (output is 1–16 bytes longer than the input). */
export function sm4CbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  const c = createSm4CbcEncryptStream(key, iv);
  return Buffer.concat([c.update(data), c.final()]);
}

/** SM4-CBC decryption, PKCS#7 padding removed. Bad padding → GmError('sm4_decrypt_failed'). */
export function sm4CbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  const d = createSm4CbcDecryptStream(key, iv);
  try {
    return Buffer.concat([d.update(data), d.final()]);
  } catch {
    throw new GmError('sm4_decrypt_failed', 'SM4-CBC decryption failed (wrong key or corrupted data)');
  }
}

/**
 * SM4-CTR (encryption and decryption are the same operation). The IV is the initial 128-bit counter
 * block, incremented big-endian over the whole block as OpenSSL does.
 */
export function sm4Ctr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  const c = createSm4CtrStream(key, iv);
  return Buffer.concat([c.update(data), c.final()]);
}

/**
 * Streaming SM4-CBC encryption: a node:crypto Cipher, which is a Transform stream (pipe files through it
 * with stream.pipeline) and also has update()/final() for chunked use with bounded memory.
 */
export function createSm4CbcEncryptStream(key: Uint8Array, iv: Uint8Array): Cipher {
  checkKeyIv(key, iv);
  return createCipheriv('sm4-cbc', key, iv);
}

/** Streaming SM4-CBC decryption (Transform; a padding error surfaces from final() or the stream's flush). */
export function createSm4CbcDecryptStream(key: Uint8Array, iv: Uint8Array): Decipher {
  checkKeyIv(key, iv);
  return createDecipheriv('sm4-cbc', key, iv);
}

/** Streaming SM4-CTR (Transform; encrypts and decrypts). */
export function createSm4CtrStream(key: Uint8Array, iv: Uint8Array): Cipher {
  checkKeyIv(key, iv);
  return createCipheriv('sm4-ctr', key, iv);
}
