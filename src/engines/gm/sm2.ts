// SM2 digital signatures as GB/T 32918.2 / GM/T 0003.2 define them, interoperable with OpenSSL 3
// (`openssl dgst -sm3 -sign/-verify -sigopt distid:…`, `openssl pkeyutl -rawin -digest sm3 -pkeyopt distid:…`).
// PRT-5; design: agreements signed with SM2 (sharing flow), 密评 non-repudiation.
//
//   Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA)     (ID defaults to "1234567812345678")
//   e = SM3(Z ‖ M)
//   sign:   (x1, ·) = k·G;  r = (e + x1) mod n;  s = (1 + d)⁻¹ · (k − r·d) mod n
//   verify: t = (r + s) mod n;  (x1, ·) = s·G + t·P;  accept iff (e + x1) mod n = r
//
// Signing computes k·G with OpenSSL (node:crypto ECDH on the SM2 curve, constant-time), the rest in BigInt
// with (1 + d)⁻¹ precomputed per key. Nonces: hedged RFC 6979 (nonce.ts). Verification runs in BigInt
// with precomputed tables (sm2-curve.ts); everything it touches is public.
import { bigIntToBytes, bytesToBigInt, DerError, encodeUnsignedInteger, expectTlv, readTlv, readUnsignedInteger, TAG_SEQUENCE, tlv } from './der.ts';
import { NonceGenerator } from './nonce.ts';
import { mod, mulAddPublic, N, nativeMulBase } from './sm2-curve.ts';
import { importSm2PrivateKey, importSm2PublicKey, privateSecrets, type Sm2PrivateKey, type Sm2PrivateKeyInput, type Sm2PublicKeyInput } from './sm2-keys.ts';
import { sm3 } from './sm3.ts';

/** The default signer ID of GB/T 32918 / GM/T 0009 (what OpenSSL's distid must be set to). */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

export interface Sm2SignOptions {
  /** Signer's distinguishing ID (default "1234567812345678"); the verifier must use the same one. */
  userId?: string | Uint8Array;
  /** 'der' (default): SEQUENCE { r, s } as OpenSSL emits; 'raw': r ‖ s, 64 bytes. */
  format?: 'der' | 'raw';
  /** Plain RFC 6979 (no fresh randomness): the same key and message give the same signature. */
  deterministic?: boolean;
}

export type Sm2VerifyOptions = Pick<Sm2SignOptions, 'userId' | 'format'>;

type Message = Uint8Array | string;

function idBytes(userId: string | Uint8Array | undefined): Uint8Array {
  const id = userId ?? SM2_DEFAULT_USER_ID;
  return typeof id === 'string' ? Buffer.from(id, 'utf8') : id;
}

function digestE(z: Buffer, message: Message): Buffer {
  return sm3(Buffer.concat([z, typeof message === 'string' ? Buffer.from(message, 'utf8') : message]));
}

/** Z for a public key and user ID (GB/T 32918.2 §5.5). */
export function sm2Z(publicKey: Sm2PublicKeyInput, userId?: string | Uint8Array): Buffer {
  return Buffer.from(importSm2PublicKey(publicKey).z(idBytes(userId)));
}

function encodeSignature(r: bigint, s: bigint, format: 'der' | 'raw' | undefined): Buffer {
  if (format === 'raw') return Buffer.concat([bigIntToBytes(r), bigIntToBytes(s)]);
  return tlv(TAG_SEQUENCE, encodeUnsignedInteger(r), encodeUnsignedInteger(s));
}

function decodeSignature(sig: Uint8Array, format: 'der' | 'raw' | undefined): { r: bigint; s: bigint } | undefined {
  if (format === 'raw') {
    if (sig.length !== 64) return undefined;
    return { r: bytesToBigInt(sig.subarray(0, 32)), s: bytesToBigInt(sig.subarray(32)) };
  }
  try {
    const seq = expectTlv(sig, 0, TAG_SEQUENCE);
    if (seq.end !== sig.length) return undefined;
    const rt = readTlv(sig, seq.start, seq.end);
    const st = readTlv(sig, rt.end, seq.end);
    if (st.end !== seq.end) return undefined;
    return { r: readUnsignedInteger(sig, rt), s: readUnsignedInteger(sig, st) };
  } catch (e) {
    if (e instanceof DerError) return undefined;
    throw e;
  }
}

/** @internal Signs digest e with a given nonce source (tests feed the GB/T 32918 example's k). */
export function signDigest(key: Sm2PrivateKey, e: Uint8Array, nextK: () => bigint): { r: bigint; s: bigint } {
  const { d, dPlus1Inv } = privateSecrets(key);
  const eInt = bytesToBigInt(e);
  for (;;) {
    const k = nextK();
    const x1 = nativeMulBase(k).x;
    const r = (eInt + x1) % N;
    if (r === 0n || r + k === N) continue;
    const s = mod(dPlus1Inv * (k - ((r * d) % N)), N);
    if (s === 0n) continue;
    return { r, s };
  }
}

/**
 * SM2 signature over `message` (strings as UTF-8) with the Z of the signer's public key and user ID.
 * Import the key once with importSm2PrivateKey when signing many messages (PEM parsing costs ≈ a signature).
 */
export function sm2Sign(privateKey: Sm2PrivateKeyInput, message: Message, options: Sm2SignOptions = {}): Buffer {
  const key = importSm2PrivateKey(privateKey);
  const e = digestE(key.publicKey.z(idBytes(options.userId)), message);
  const nonces = new NonceGenerator(privateSecrets(key).d, e, options.deterministic);
  const { r, s } = signDigest(key, e, () => nonces.next());
  return encodeSignature(r, s, options.format);
}

/** Verifies an SM2 signature (DER by default). False for a wrong key, message, user ID or a malformed signature. */
export function sm2Verify(publicKey: Sm2PublicKeyInput, message: Message, signature: Uint8Array, options: Sm2VerifyOptions = {}): boolean {
  const key = importSm2PublicKey(publicKey);
  const rs = decodeSignature(signature, options.format);
  if (!rs) return false;
  const { r, s } = rs;
  if (r < 1n || r >= N || s < 1n || s >= N) return false;
  const t = (r + s) % N;
  if (t === 0n) return false;
  const e = bytesToBigInt(digestE(key.z(idBytes(options.userId)), message));
  const x = mulAddPublic(s, t, key.point, key.verificationTable());
  if (x === null) return false;
  return (e + x.x) % N === r;
}
