// The SM2 curve (GB/T 32918.5 recommended parameters) and its arithmetic.
//
// Two engines, chosen by whether the scalar is secret:
// - Secret scalars (signing nonces k, private keys d in decryption, encryption nonces) go to OpenSSL
//   through node:crypto's ECDH on the 'SM2' curve: setPrivateKey(k) computes k·G with OpenSSL's
//   constant-time ladder and getPublicKey() returns the whole point; computeSecret(Q) returns x(k·Q).
// - Public scalars (signature verification: s·G + t·P) run here in BigInt: a fixed-base comb table for G
//   (built once, lazily), a per-key table for keys verified often, wNAF otherwise. This is variable-time,
//   which is fine because every input of a verification is public.
import { createECDH, type ECDH } from 'node:crypto';
import { bigIntToBytes, bytesToBigInt } from './der.ts';

export const P = 0xfffffffe_ffffffff_ffffffff_ffffffff_ffffffff_00000000_ffffffff_ffffffffn;
export const A = P - 3n;
export const B = 0x28e9fa9e_9d9f5e34_4d5a9e4b_cf6509a7_f39789f5_15ab8f92_ddbcbd41_4d940e93n;
export const N = 0xfffffffe_ffffffff_ffffffff_ffffffff_7203df6b_21c6052b_53bbf409_39d54123n;
export const GX = 0x32c4ae2c_1f198119_5f990446_6a39c994_8fe30bbf_f2660be1_715a4589_334c74c7n;
export const GY = 0xbc3736a2_f4f6779c_59bdcee3_6b692153_d0a9877c_c62a4740_02df32e5_2139f0a0n;

export interface Affine {
  x: bigint;
  y: bigint;
}
interface Jacobian {
  X: bigint;
  Y: bigint;
  Z: bigint; // 0n: the point at infinity
}

export const G: Affine = { x: GX, y: GY };
const INF: Jacobian = { X: 1n, Y: 1n, Z: 0n };

export function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/** Inverse modulo a prime m (extended Euclid); a must be non-zero mod m. */
export function invMod(a: bigint, m: bigint): bigint {
  let r0 = m;
  let r1 = mod(a, m);
  let t0 = 0n;
  let t1 = 1n;
  while (r1 !== 0n) {
    const q = r0 / r1;
    let tmp = r0 - q * r1;
    r0 = r1;
    r1 = tmp;
    tmp = t0 - q * t1;
    t0 = t1;
    t1 = tmp;
  }
  if (r0 !== 1n) throw new RangeError('not invertible');
  return t0 < 0n ? t0 + m : t0;
}

function powMod(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  let x = b % m;
  while (e > 0n) {
    if (e & 1n) r = (r * x) % m;
    x = (x * x) % m;
    e >>= 1n;
  }
  return r;
}

function rhs(x: bigint): bigint {
  return mod(((x * x) % P) * x + A * x + B, P);
}

export function isOnCurve(pt: Affine): boolean {
  return pt.x >= 0n && pt.x < P && pt.y >= 0n && pt.y < P && (pt.y * pt.y) % P === rhs(pt.x);
}

/** The y with the given parity (0 even, 1 odd) for x, or undefined if x is not on the curve. p ≡ 3 (mod 4). */
export function liftX(x: bigint, parity: number): Affine | undefined {
  if (x < 0n || x >= P) return undefined;
  const c = rhs(x);
  const y = powMod(c, (P + 1n) / 4n, P);
  if ((y * y) % P !== c) return undefined;
  return { x, y: Number(y & 1n) === parity ? y : mod(-y, P) };
}

export function negate(pt: Affine): Affine {
  return { x: pt.x, y: mod(-pt.y, P) };
}

// Formulas: dbl-2001-b (a = −3), madd-2007-bl-style mixed addition, add-2007-bl-style addition
// (hyperelliptic.org EFD), reducing only after products; intermediate values may be negative.
const fix = (v: bigint): bigint => (v < 0n ? v + P : v);

function double(p: Jacobian): Jacobian {
  if (p.Z === 0n || p.Y === 0n) return INF;
  const delta = (p.Z * p.Z) % P;
  const gamma = (p.Y * p.Y) % P;
  const beta = (p.X * gamma) % P;
  const alpha = (3n * (p.X - delta) * (p.X + delta)) % P;
  const X3 = fix((alpha * alpha - 8n * beta) % P);
  const yz = p.Y + p.Z;
  const Z3 = fix((yz * yz - gamma - delta) % P);
  const Y3 = fix((alpha * (4n * beta - X3) - 8n * ((gamma * gamma) % P)) % P);
  return { X: X3, Y: Y3, Z: Z3 };
}

function addMixed(p: Jacobian, q: Affine): Jacobian {
  if (p.Z === 0n) return { X: q.x, Y: q.y, Z: 1n };
  const z1z1 = (p.Z * p.Z) % P;
  const h = fix((q.x * z1z1 - p.X) % P);
  const r = fix((((q.y * p.Z) % P) * z1z1 - p.Y) % P);
  if (h === 0n) return r === 0n ? double(p) : INF;
  const hh = (h * h) % P;
  const hhh = (h * hh) % P;
  const v = (p.X * hh) % P;
  const X3 = fix((r * r - hhh - 2n * v) % P);
  const Y3 = fix((r * (v - X3) - p.Y * hhh) % P);
  return { X: X3, Y: Y3, Z: (p.Z * h) % P };
}

function add(p: Jacobian, q: Jacobian): Jacobian {
  if (p.Z === 0n) return q;
  if (q.Z === 0n) return p;
  const z1z1 = (p.Z * p.Z) % P;
  const z2z2 = (q.Z * q.Z) % P;
  const u1 = (p.X * z2z2) % P;
  const s1 = (((p.Y * q.Z) % P) * z2z2) % P;
  const h = fix((q.X * z1z1 - u1) % P);
  const r = fix((((q.Y * p.Z) % P) * z1z1 - s1) % P);
  if (h === 0n) return r === 0n ? double(p) : INF;
  const hh = (h * h) % P;
  const hhh = (h * hh) % P;
  const v = (u1 * hh) % P;
  const X3 = fix((r * r - hhh - 2n * v) % P);
  const Y3 = fix((r * (v - X3) - s1 * hhh) % P);
  return { X: X3, Y: Y3, Z: (((p.Z * q.Z) % P) * h) % P };
}

function toAffine(p: Jacobian): Affine | null {
  if (p.Z === 0n) return null;
  const zi = invMod(p.Z, P);
  const zi2 = (zi * zi) % P;
  return { x: (p.X * zi2) % P, y: (((p.Y * zi2) % P) * zi) % P };
}

/** Converts finite Jacobian points with one inversion (Montgomery's trick). */
function batchToAffine(points: Jacobian[]): Affine[] {
  const prefix: bigint[] = new Array(points.length);
  let acc = 1n;
  for (let i = 0; i < points.length; i++) {
    prefix[i] = acc;
    acc = (acc * points[i].Z) % P;
  }
  let inv = invMod(acc, P);
  const out: Affine[] = new Array(points.length);
  for (let i = points.length - 1; i >= 0; i--) {
    const zi = (inv * prefix[i]) % P;
    inv = (inv * points[i].Z) % P;
    const zi2 = (zi * zi) % P;
    out[i] = { x: (points[i].X * zi2) % P, y: (((points[i].Y * zi2) % P) * zi) % P };
  }
  return out;
}

export function addAffine(p: Affine, q: Affine): Affine | null {
  return toAffine(addMixed({ X: p.x, Y: p.y, Z: 1n }, q));
}

/**
 * Fixed-base comb: table[i][j-1] = j · 2^(w·i) · base for j = 1 … 2^w − 1, so k · base is one addition
 * per w-bit digit of k and no doublings. w is 4 or 8 (digits are read from the bytes of k).
 */
export class FixedBaseTable {
  private readonly rows: Affine[][] = [];

  constructor(
    base: Affine,
    readonly w: 4 | 8,
  ) {
    const windows = 256 / w;
    const size = (1 << w) - 1;
    let b: Affine = base;
    for (let i = 0; i < windows; i++) {
      const jac: Jacobian[] = [{ X: b.x, Y: b.y, Z: 1n }];
      for (let j = 1; j <= size; j++) jac.push(addMixed(jac[j - 1], b)); // jac[size] = 2^w · b
      const aff = batchToAffine(jac);
      this.rows.push(aff.slice(0, size));
      b = aff[size];
    }
  }

  /** k · base (0 ≤ k < 2^256), as a Jacobian point. */
  mul(k: bigint): Jacobian {
    const bytes = bigIntToBytes(k, 32);
    let acc = INF;
    if (this.w === 8) {
      for (let i = 0; i < 32; i++) {
        const d = bytes[31 - i];
        if (d) acc = addMixed(acc, this.rows[i][d - 1]);
      }
    } else {
      for (let i = 0; i < 32; i++) {
        const byte = bytes[31 - i];
        const lo = byte & 15;
        const hi = byte >> 4;
        if (lo) acc = addMixed(acc, this.rows[2 * i][lo - 1]);
        if (hi) acc = addMixed(acc, this.rows[2 * i + 1][hi - 1]);
      }
    }
    return acc;
  }
}

const WNAF_W = 5;

/** k · pt by width-5 wNAF (variable time: public scalars only). */
function wnafMul(k: bigint, pt: Affine): Jacobian {
  // Odd multiples pt, 3pt, …, 15pt in affine form.
  const twice = double({ X: pt.x, Y: pt.y, Z: 1n });
  const jac: Jacobian[] = [{ X: pt.x, Y: pt.y, Z: 1n }];
  const half = 1 << (WNAF_W - 2);
  for (let i = 1; i < half; i++) jac.push(add(jac[i - 1], twice));
  if (jac.some((j) => j.Z === 0n)) return slowMul(k, pt);
  const odd = batchToAffine(jac);
  const digits: number[] = [];
  let e = k;
  const full = 1n << BigInt(WNAF_W);
  while (e > 0n) {
    let d = 0;
    if (e & 1n) {
      let m = Number(e & (full - 1n));
      if (m >= 1 << (WNAF_W - 1)) m -= 1 << WNAF_W;
      d = m;
      e -= BigInt(m);
    }
    digits.push(d);
    e >>= 1n;
  }
  let acc = INF;
  for (let i = digits.length - 1; i >= 0; i--) {
    acc = double(acc);
    const d = digits[i];
    if (d > 0) acc = addMixed(acc, odd[(d - 1) >> 1]);
    else if (d < 0) acc = addMixed(acc, negate(odd[(-d - 1) >> 1]));
  }
  return acc;
}

/** Double-and-add; only for degenerate inputs of wnafMul (never on valid public keys). */
function slowMul(k: bigint, pt: Affine): Jacobian {
  let acc = INF;
  for (let i = BigInt(k.toString(2).length - 1); i >= 0n; i--) {
    acc = double(acc);
    if ((k >> i) & 1n) acc = addMixed(acc, pt);
  }
  return acc;
}

let gTable: FixedBaseTable | undefined;

function baseTable(): FixedBaseTable {
  gTable ??= new FixedBaseTable(G, 8);
  return gTable;
}

/** u1·G + u2·Q for public scalars, using Q's table when the caller has one. */
export function mulAddPublic(u1: bigint, u2: bigint, q: Affine, qTable?: FixedBaseTable): Affine | null {
  const a = baseTable().mul(u1);
  const b = qTable ? qTable.mul(u2) : wnafMul(u2, q);
  return toAffine(add(a, b));
}

export function encodePoint(pt: Affine): Buffer {
  return Buffer.concat([Buffer.from([4]), bigIntToBytes(pt.x), bigIntToBytes(pt.y)]);
}

/** Decodes an uncompressed (04 ‖ x ‖ y) or compressed (02/03 ‖ x) point; undefined if not on the curve. */
export function decodePoint(buf: Uint8Array): Affine | undefined {
  if (buf.length === 65 && buf[0] === 4) {
    const pt = { x: bytesToBigInt(buf.subarray(1, 33)), y: bytesToBigInt(buf.subarray(33)) };
    return isOnCurve(pt) ? pt : undefined;
  }
  if (buf.length === 33 && (buf[0] === 2 || buf[0] === 3)) return liftX(bytesToBigInt(buf.subarray(1)), buf[0] & 1);
  return undefined;
}

// ---- native (OpenSSL) scalar multiplication for secret scalars ----

let shared: ECDH | undefined;

/** k · G computed by OpenSSL (k in [1, n−1]); returns the affine point. */
export function nativeMulBase(k: bigint): Affine {
  shared ??= createECDH('SM2');
  shared.setPrivateKey(bigIntToBytes(k));
  const pub = shared.getPublicKey();
  return { x: bytesToBigInt(pub.subarray(1, 33)), y: bytesToBigInt(pub.subarray(33)) };
}

/** An OpenSSL ECDH context holding the secret scalar k (for x(k·Q) and k·G). */
export function nativeScalar(k: bigint): ECDH {
  const e = createECDH('SM2');
  e.setPrivateKey(bigIntToBytes(k));
  return e;
}

/**
 * k·Q as a full point from an ECDH context holding k: OpenSSL gives x(k·Q) and x(k·(Q + H)) for a known
 * point H; with kH known as well, the y of k·Q is the square root whose sign makes k·Q + kH have the
 * second x. (kH is k·G when H = G, which the context already holds as its public key.)
 */
export function nativeMulPoint(ctx: ECDH, q: Affine, qPlusG: Affine): Affine {
  const x = bytesToBigInt(ctx.computeSecret(encodePoint(q)));
  const xSum = bytesToBigInt(ctx.computeSecret(encodePoint(qPlusG)));
  const kgBytes = ctx.getPublicKey();
  const kg = { x: bytesToBigInt(kgBytes.subarray(1, 33)), y: bytesToBigInt(kgBytes.subarray(33)) };
  const cand = liftX(x, 0);
  if (!cand) throw new Error('OpenSSL returned an x not on the curve');
  // Both candidates are always computed, so the work does not depend on which one is right.
  const plus = addAffine(cand, kg);
  const minus = addAffine(negate(cand), kg);
  const okPlus = plus !== null && plus.x === xSum;
  const okMinus = minus !== null && minus.x === xSum;
  if (okPlus === okMinus) throw new Error('could not recover the point');
  return okPlus ? cand : negate(cand);
}
