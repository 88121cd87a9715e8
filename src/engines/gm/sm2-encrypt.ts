// SM2 public-key encryption (GB/T 32918.4 / GM/T 0003.4), interoperable with `openssl pkeyutl -encrypt /
// -decrypt` (OpenSSL 3's ASN.1 form: SEQUENCE { INTEGER x1, INTEGER y1, OCTET STRING C3, OCTET STRING C2 }).
// Also the raw C1 ‖ C3 ‖ C2 form (C1 = 04 ‖ x1 ‖ y1) of GB/T 32918.4-2016. PRT-5.
//
//   C1 = k·G;  (x2, y2) = k·P;  t = KDF(x2 ‖ y2, |M|);  C2 = M ⊕ t;  C3 = SM3(x2 ‖ M ‖ y2)
//
// k·G, k·P and d·C1 are computed by OpenSSL (secret scalars); see nativeMulPoint for how y2 is recovered.
import { randomBytes } from 'node:crypto';
import {
  bigIntToBytes,
  bytesToBigInt,
  DerError,
  encodeUnsignedInteger,
  expectTlv,
  readUnsignedInteger,
  TAG_INTEGER,
  TAG_OCTET_STRING,
  TAG_SEQUENCE,
  tlv,
} from './der.ts';
import { GmError } from './errors.ts';
import { type Affine, addAffine, decodePoint, encodePoint, G, isOnCurve, N, nativeMulPoint, nativeScalar } from './sm2-curve.ts';
import { importSm2PrivateKey, importSm2PublicKey, privateEcdh, type Sm2PrivateKeyInput, type Sm2PublicKeyInput } from './sm2-keys.ts';
import { constantTimeEqual, sm3, sm3Kdf } from './sm3.ts';

export interface Sm2CipherOptions {
  /** 'asn1' (default, what OpenSSL 3 reads and writes) or 'c1c3c2' (raw 04 ‖ x1 ‖ y1 ‖ C3 ‖ C2). */
  format?: 'asn1' | 'c1c3c2';
}

const failed = () => new GmError('sm2_decrypt_failed', 'SM2 decryption failed');

function randomScalar(): bigint {
  for (;;) {
    const k = bytesToBigInt(randomBytes(32));
    if (k >= 1n && k < N) return k;
  }
}

function xorKdf(shared: Affine, data: Uint8Array): Buffer | undefined {
  const t = sm3Kdf(Buffer.concat([bigIntToBytes(shared.x), bigIntToBytes(shared.y)]), data.length);
  if (t.every((b) => b === 0)) return undefined; // GB/T 32918.4 §6.1 A5 / §7.1 B4
  for (let i = 0; i < t.length; i++) t[i] ^= data[i];
  return t;
}

function c3Of(shared: Affine, m: Uint8Array): Buffer {
  return sm3(Buffer.concat([bigIntToBytes(shared.x), m, bigIntToBytes(shared.y)]));
}

function encode(c1: Affine, c3: Buffer, c2: Buffer, format: Sm2CipherOptions['format']): Buffer {
  if (format === 'c1c3c2') return Buffer.concat([encodePoint(c1), c3, c2]);
  return tlv(TAG_SEQUENCE, encodeUnsignedInteger(c1.x), encodeUnsignedInteger(c1.y), tlv(TAG_OCTET_STRING, c3), tlv(TAG_OCTET_STRING, c2));
}

/** @internal Encryption with a given nonce (tests feed the GB/T 32918 example's k). */
export function encryptWithNonce(publicKey: Sm2PublicKeyInput, plaintext: Uint8Array, nextK: () => bigint, format?: Sm2CipherOptions['format']): Buffer {
  const key = importSm2PublicKey(publicKey);
  if (plaintext.length === 0) throw new GmError('invalid_argument', 'SM2 cannot encrypt an empty message');
  const plusG = key.pointPlusG();
  if (plusG === null) throw new GmError('sm2_invalid_key', 'invalid SM2 key: the public point is -G');
  for (;;) {
    const ctx = nativeScalar(nextK());
    const c1Bytes = ctx.getPublicKey();
    const shared = nativeMulPoint(ctx, key.point, plusG);
    const c2 = xorKdf(shared, plaintext);
    if (!c2) continue;
    const c1 = { x: bytesToBigInt(c1Bytes.subarray(1, 33)), y: bytesToBigInt(c1Bytes.subarray(33)) };
    return encode(c1, c3Of(shared, plaintext), c2, format);
  }
}

/** SM2-encrypts `plaintext` (strings as UTF-8; at least one byte) to `publicKey`. */
export function sm2Encrypt(publicKey: Sm2PublicKeyInput, plaintext: Uint8Array | string, options: Sm2CipherOptions = {}): Buffer {
  const m = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  return encryptWithNonce(publicKey, m, randomScalar, options.format);
}

function decode(c: Uint8Array, format: Sm2CipherOptions['format']): { c1: Affine; c3: Uint8Array; c2: Uint8Array } {
  if (format === 'c1c3c2') {
    if (c.length < 65 + 32 + 1) throw failed();
    const c1 = decodePoint(c.subarray(0, 65));
    if (!c1) throw failed();
    return { c1, c3: c.subarray(65, 97), c2: c.subarray(97) };
  }
  try {
    const seq = expectTlv(c, 0, TAG_SEQUENCE);
    if (seq.end !== c.length) throw failed();
    const xt = expectTlv(c, seq.start, TAG_INTEGER, seq.end);
    const yt = expectTlv(c, xt.end, TAG_INTEGER, seq.end);
    const c3t = expectTlv(c, yt.end, TAG_OCTET_STRING, seq.end);
    const c2t = expectTlv(c, c3t.end, TAG_OCTET_STRING, seq.end);
    if (c2t.end !== seq.end || c3t.end - c3t.start !== 32 || c2t.end === c2t.start) throw failed();
    const c1 = { x: readUnsignedInteger(c, xt), y: readUnsignedInteger(c, yt) };
    if (!isOnCurve(c1)) throw failed();
    return { c1, c3: c.subarray(c3t.start, c3t.end), c2: c.subarray(c2t.start, c2t.end) };
  } catch (e) {
    if (e instanceof DerError) throw failed();
    throw e;
  }
}

/** Decrypts an SM2 ciphertext; any failure (format, point, C3 check) is GmError('sm2_decrypt_failed'). */
export function sm2Decrypt(privateKey: Sm2PrivateKeyInput, ciphertext: Uint8Array, options: Sm2CipherOptions = {}): Buffer {
  const key = importSm2PrivateKey(privateKey);
  const { c1, c3, c2 } = decode(ciphertext, options.format);
  const c1PlusG = addAffine(c1, G);
  if (c1PlusG === null) throw failed();
  const shared = nativeMulPoint(privateEcdh(key), c1, c1PlusG);
  const m = xorKdf(shared, c2);
  if (!m || !constantTimeEqual(c3Of(shared, m), c3)) throw failed();
  return m;
}
