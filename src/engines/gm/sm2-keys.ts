// SM2 keys (GB/T 32918, GM/T 0003): generation, import (PEM, DER, raw, node KeyObject) and export in the
// encodings `openssl pkey` reads and writes: PKCS#8 "PRIVATE KEY" and SubjectPublicKeyInfo "PUBLIC KEY",
// algorithm id-ecPublicKey with the SM2 curve OID 1.2.156.10197.1.301 (OpenSSL 3's form). Import also
// takes SEC1 "EC PRIVATE KEY" and the SM2 algorithm OID in place of id-ecPublicKey.
import { createECDH, type ECDH, KeyObject } from 'node:crypto';
import {
  bigIntToBytes,
  bytesToBigInt,
  DerError,
  expectTlv,
  readTlv,
  readUnsignedInteger,
  TAG_BIT_STRING,
  TAG_INTEGER,
  TAG_OCTET_STRING,
  TAG_OID,
  TAG_SEQUENCE,
} from './der.ts';
import { GmError } from './errors.ts';
import { A, type Affine, addAffine, B, decodePoint, encodePoint, FixedBaseTable, G, invMod, N, nativeMulBase } from './sm2-curve.ts';
import { sm3 } from './sm3.ts';

const OID_EC_PUBLIC_KEY = Buffer.from('2a8648ce3d0201', 'hex');
const OID_SM2 = Buffer.from('2a811ccf5501822d', 'hex');
const SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex');
const PKCS8_PREFIX = Buffer.from('308187020100301306072a8648ce3d020106082a811ccf5501822d046d306b0201010420', 'hex');
const PKCS8_MID = Buffer.from('a144034200', 'hex');

/** Verifications of one key after which it gets its own precomputed table (≈ 3× faster verifies). */
const TABLE_AFTER_VERIFICATIONS = 8;
const PUBLIC_KEY_CACHE_SIZE = 256;
const Z_CACHE_SIZE = 16;

const invalid = (why: string) => new GmError('sm2_invalid_key', `invalid SM2 key: ${why}`);

function pem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64.endsWith('\n') ? b64 : `${b64}\n`}-----END ${label}-----\n`;
}

function pemBlocks(text: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const m of text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)) {
    const body = m[2].replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw invalid(`PEM block "${m[1]}" has headers or bad base64 (encrypted PEM is not supported)`);
    out.set(m[1], Buffer.from(body, 'base64'));
  }
  return out;
}

/** The SM2 public key: a point on the curve. Holds caches (Z per user ID, verification table). */
export class Sm2PublicKey {
  private readonly zs = new Map<string, Buffer>();
  private table: FixedBaseTable | undefined;
  private verifications = 0;
  private plusG: Affine | null | undefined;

  constructor(readonly point: Affine) {}

  /** 04 ‖ x ‖ y (65 bytes). */
  toRaw(): Buffer {
    return encodePoint(this.point);
  }

  /** SubjectPublicKeyInfo DER. */
  toDer(): Buffer {
    return Buffer.concat([SPKI_PREFIX, this.toRaw()]);
  }

  /** "PUBLIC KEY" PEM, as `openssl pkey -pubout` writes it. */
  toPem(): string {
    return pem('PUBLIC KEY', this.toDer());
  }

  /** JSON: the PEM. */
  toJSON(): string {
    return this.toPem();
  }

  equals(other: Sm2PublicKey): boolean {
    return this.point.x === other.point.x && this.point.y === other.point.y;
  }

  /** Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA) (GB/T 32918.2 §5.5), cached per user ID. */
  z(userId: Uint8Array): Buffer {
    if (userId.length > 8191) throw new GmError('invalid_argument', 'SM2 user ID longer than 8191 bytes');
    const cacheKey = Buffer.from(userId).toString('hex');
    let z = this.zs.get(cacheKey);
    if (z === undefined) {
      const entl = Buffer.alloc(2);
      entl.writeUInt16BE(userId.length * 8);
      z = sm3(Buffer.concat([entl, userId, ...[A, B, G.x, G.y, this.point.x, this.point.y].map((v) => bigIntToBytes(v))]));
      if (this.zs.size >= Z_CACHE_SIZE) this.zs.delete(this.zs.keys().next().value!);
      this.zs.set(cacheKey, z);
    }
    return z;
  }

  /** @internal The precomputed table for verifications, built once the key has been used often. */
  verificationTable(): FixedBaseTable | undefined {
    if (this.table === undefined && ++this.verifications > TABLE_AFTER_VERIFICATIONS) this.table = new FixedBaseTable(this.point, 4);
    return this.table;
  }

  /** @internal This point + G (null if it is −G). */
  pointPlusG(): Affine | null {
    if (this.plusG === undefined) this.plusG = addAffine(this.point, G);
    return this.plusG;
  }
}

interface PrivateSecrets {
  d: bigint;
  /** (1 + d)⁻¹ mod n, for signing. */
  dPlus1Inv: bigint;
  /** OpenSSL context holding d, for decryption (made on first use). */
  ecdh?: ECDH;
}

const secrets = new WeakMap<Sm2PrivateKey, PrivateSecrets>();

/** The SM2 private key. The scalar is held out of sight (not an enumerable property) so logging the object does not print it. */
export class Sm2PrivateKey {
  readonly publicKey: Sm2PublicKey;

  /** `d` is the private scalar; `expectedPublic`, when given (a key file's public half), must equal d·G. */
  constructor(d: bigint, expectedPublic?: Affine) {
    if (d < 1n || d > N - 2n) throw invalid('private scalar out of range [1, n-2]');
    const pub = nativeMulBase(d);
    if (expectedPublic && (expectedPublic.x !== pub.x || expectedPublic.y !== pub.y)) throw invalid('public key does not match the private key');
    this.publicKey = cachedPublicKey(pub);
    secrets.set(this, { d, dPlus1Inv: invMod(d + 1n, N) });
  }

  /** The 32-byte private scalar d. */
  toRaw(): Buffer {
    return bigIntToBytes(privateSecrets(this).d);
  }

  /** PKCS#8 DER (with the public key), as OpenSSL 3 writes it. */
  toDer(): Buffer {
    return Buffer.concat([PKCS8_PREFIX, this.toRaw(), PKCS8_MID, this.publicKey.toRaw()]);
  }

  /** JSON never carries the private scalar: only the public key. */
  toJSON(): { type: 'sm2-private-key'; publicKey: string } {
    return { type: 'sm2-private-key', publicKey: this.publicKey.toPem() };
  }

  /** "PRIVATE KEY" PEM (PKCS#8, unencrypted), as `openssl genpkey -algorithm SM2` writes it. */
  toPem(): string {
    return pem('PRIVATE KEY', this.toDer());
  }
}

/** @internal */
export function privateSecrets(key: Sm2PrivateKey): PrivateSecrets {
  const s = secrets.get(key);
  if (!s) throw invalid('not an Sm2PrivateKey');
  return s;
}

/** @internal An OpenSSL ECDH context holding d (cached on the key). */
export function privateEcdh(key: Sm2PrivateKey): ECDH {
  const s = privateSecrets(key);
  if (!s.ecdh) {
    s.ecdh = createECDH('SM2');
    s.ecdh.setPrivateKey(bigIntToBytes(s.d));
  }
  return s.ecdh;
}

export interface Sm2KeyPair {
  privateKey: Sm2PrivateKey;
  publicKey: Sm2PublicKey;
  /** PKCS#8 PEM / DER. */
  privateKeyPem: string;
  privateKeyDer: Buffer;
  /** SubjectPublicKeyInfo PEM / DER. */
  publicKeyPem: string;
  publicKeyDer: Buffer;
  /** d, 32 bytes. */
  privateKeyRaw: Buffer;
  /** 04 ‖ x ‖ y, 65 bytes. */
  publicKeyRaw: Buffer;
}

/** A new key pair (OpenSSL's generator; d in [1, n−2] as SM2 requires). */
export function generateSm2KeyPair(): Sm2KeyPair {
  for (;;) {
    const e = createECDH('SM2');
    e.generateKeys();
    const d = bytesToBigInt(e.getPrivateKey());
    if (d < 1n || d > N - 2n) continue;
    const privateKey = new Sm2PrivateKey(d);
    const publicKey = privateKey.publicKey;
    return {
      privateKey,
      publicKey,
      privateKeyPem: privateKey.toPem(),
      privateKeyDer: privateKey.toDer(),
      publicKeyPem: publicKey.toPem(),
      publicKeyDer: publicKey.toDer(),
      privateKeyRaw: privateKey.toRaw(),
      publicKeyRaw: publicKey.toRaw(),
    };
  }
}

export type Sm2PrivateKeyInput = Sm2PrivateKey | KeyObject | string | Uint8Array;
export type Sm2PublicKeyInput = Sm2PublicKey | Sm2PrivateKey | KeyObject | string | Uint8Array;

const publicKeyCache = new Map<string, Sm2PublicKey>();

function cachedPublicKey(pt: Affine): Sm2PublicKey {
  const id = `${pt.x.toString(16)}:${pt.y.toString(16)}`;
  let key = publicKeyCache.get(id);
  if (key) {
    publicKeyCache.delete(id);
  } else {
    key = new Sm2PublicKey(pt);
    if (publicKeyCache.size >= PUBLIC_KEY_CACHE_SIZE) publicKeyCache.delete(publicKeyCache.keys().next().value!);
  }
  publicKeyCache.set(id, key);
  return key;
}

function pointOrThrow(bytes: Uint8Array): Affine {
  const pt = decodePoint(bytes);
  if (!pt) throw invalid('public point is not on the SM2 curve');
  return pt;
}

function checkAlgorithm(der: Buffer, seq: { start: number; end: number }): void {
  const alg = expectTlv(der, seq.start, TAG_OID, seq.end);
  const algOid = der.subarray(alg.start, alg.end);
  const isEc = algOid.equals(OID_EC_PUBLIC_KEY);
  if (!isEc && !algOid.equals(OID_SM2)) throw invalid('not an EC/SM2 key');
  if (alg.end === seq.end) {
    if (isEc) throw invalid('EC key without curve parameters');
    return;
  }
  const params = readTlv(der, alg.end, seq.end);
  if (params.end !== seq.end) throw new DerError('trailing data');
  if (params.tag === 0x05 && !isEc && params.end === params.start) return; // SM2 OID with NULL parameters
  if (params.tag !== TAG_OID || !der.subarray(params.start, params.end).equals(OID_SM2)) {
    throw invalid('the curve is not SM2 (explicit parameters are not supported)');
  }
}

function parseSpki(der: Buffer): Affine {
  const outer = expectTlv(der, 0, TAG_SEQUENCE);
  if (outer.end !== der.length) throw new DerError('trailing data');
  const alg = expectTlv(der, outer.start, TAG_SEQUENCE, outer.end);
  checkAlgorithm(der, alg);
  const bits = expectTlv(der, alg.end, TAG_BIT_STRING, outer.end);
  if (bits.end !== outer.end || der[bits.start] !== 0) throw new DerError('bad bit string');
  return pointOrThrow(der.subarray(bits.start + 1, bits.end));
}

/** SEC1 ECPrivateKey → d and the public point it carries, if any. */
function parseSec1(der: Buffer, start: number, end: number): { d: bigint; pub?: Affine } {
  const seq = expectTlv(der, start, TAG_SEQUENCE, end);
  const version = expectTlv(der, seq.start, TAG_INTEGER, seq.end);
  if (readUnsignedInteger(der, version) !== 1n) throw new DerError('ECPrivateKey version');
  const oct = expectTlv(der, version.end, TAG_OCTET_STRING, seq.end);
  if (oct.end - oct.start > 32 || oct.end === oct.start) throw invalid('private scalar is not 32 bytes');
  const d = bytesToBigInt(der.subarray(oct.start, oct.end));
  let off = oct.end;
  let pub: Affine | undefined;
  while (off < seq.end) {
    const t = readTlv(der, off, seq.end);
    if (t.tag === 0xa0) {
      const oid = expectTlv(der, t.start, TAG_OID, t.end);
      if (!der.subarray(oid.start, oid.end).equals(OID_SM2)) throw invalid('the curve is not SM2');
    } else if (t.tag === 0xa1) {
      const bits = expectTlv(der, t.start, TAG_BIT_STRING, t.end);
      if (der[bits.start] !== 0) throw new DerError('bad bit string');
      pub = pointOrThrow(der.subarray(bits.start + 1, bits.end));
    }
    off = t.end;
  }
  return { d, pub };
}

function parsePkcs8(der: Buffer): { d: bigint; pub?: Affine } {
  const outer = expectTlv(der, 0, TAG_SEQUENCE);
  if (outer.end !== der.length) throw new DerError('trailing data');
  const version = expectTlv(der, outer.start, TAG_INTEGER, outer.end);
  if (readUnsignedInteger(der, version) > 1n) throw new DerError('PKCS#8 version');
  const alg = expectTlv(der, version.end, TAG_SEQUENCE, outer.end);
  checkAlgorithm(der, alg);
  const oct = expectTlv(der, alg.end, TAG_OCTET_STRING, outer.end);
  return parseSec1(der, oct.start, oct.end);
}

function privateFromDer(der: Buffer): Sm2PrivateKey {
  const first = expectTlv(der, 0, TAG_SEQUENCE);
  const version = expectTlv(der, first.start, TAG_INTEGER, first.end);
  const { d, pub } = readUnsignedInteger(der, version) === 1n && der[version.end] === TAG_OCTET_STRING ? parseSec1(der, 0, der.length) : parsePkcs8(der);
  return new Sm2PrivateKey(d, pub);
}

/** Reads an SM2 private key: PEM (PKCS#8 or SEC1), DER (either), 32 raw bytes, or a node KeyObject. */
export function importSm2PrivateKey(input: Sm2PrivateKeyInput): Sm2PrivateKey {
  if (input instanceof Sm2PrivateKey) return input;
  try {
    if (input instanceof KeyObject) {
      if (input.type !== 'private') throw invalid('not a private key');
      return privateFromDer(input.export({ format: 'der', type: 'pkcs8' }));
    }
    if (typeof input === 'string') {
      const blocks = pemBlocks(input);
      if (blocks.has('ENCRYPTED PRIVATE KEY'))
        throw invalid('encrypted PEM: decrypt it with crypto.createPrivateKey({ key, passphrase }) and pass the KeyObject');
      const der = blocks.get('PRIVATE KEY') ?? blocks.get('EC PRIVATE KEY');
      if (!der) throw invalid('no "PRIVATE KEY" or "EC PRIVATE KEY" PEM block');
      return privateFromDer(der);
    }
    if (input.length === 32) return new Sm2PrivateKey(bytesToBigInt(input));
    return privateFromDer(Buffer.from(input));
  } catch (e) {
    if (e instanceof DerError) throw invalid(`bad DER (${e.message})`);
    throw e;
  }
}

/** Reads an SM2 public key: PEM "PUBLIC KEY", SPKI DER, 65/64/33 raw bytes, a KeyObject, or a private key's public half. */
export function importSm2PublicKey(input: Sm2PublicKeyInput): Sm2PublicKey {
  if (input instanceof Sm2PublicKey) return input;
  if (input instanceof Sm2PrivateKey) return input.publicKey;
  try {
    if (input instanceof KeyObject) {
      const pub = input.type === 'private' ? importSm2PrivateKey(input).publicKey : undefined;
      return pub ?? cachedPublicKey(parseSpki(input.export({ format: 'der', type: 'spki' })));
    }
    if (typeof input === 'string') {
      const der = pemBlocks(input).get('PUBLIC KEY');
      if (!der) throw invalid('no "PUBLIC KEY" PEM block');
      return cachedPublicKey(parseSpki(der));
    }
    if ((input.length === 65 && input[0] === 4) || (input.length === 33 && (input[0] === 2 || input[0] === 3))) {
      return cachedPublicKey(pointOrThrow(input));
    }
    if (input.length === 64) return cachedPublicKey(pointOrThrow(Buffer.concat([Buffer.from([4]), input])));
    return cachedPublicKey(parseSpki(Buffer.from(input)));
  } catch (e) {
    if (e instanceof DerError) throw invalid(`bad DER (${e.message})`);
    throw e;
  }
}
