// Signature nonces: RFC 6979 §3.2 HMAC_DRBG with HMAC-SM3, hedged as in RFC 6979 §3.6 with 32 fresh bytes
// from the CSPRNG as additional input. Why: k is unique per (key, message digest) even if the random source
// repeats or is weak (the classic way to lose an EC private key), while fresh randomness keeps signatures
// non-deterministic like OpenSSL's and resists fault attacks on deterministic signing. `deterministic`
// (no extra randomness) gives plain RFC 6979, for reproducible tests.
import { createHmac, randomBytes } from 'node:crypto';
import { bigIntToBytes, bytesToBigInt } from './der.ts';
import { N } from './sm2-curve.ts';

const hmac = (key: Buffer, ...parts: Uint8Array[]): Buffer => {
  const h = createHmac('sm3', key);
  for (const p of parts) h.update(p);
  return h.digest();
};

/** Candidate nonces in [1, n−1] for private key d and 32-byte digest e; call next() until one is usable. */
export class NonceGenerator {
  private k: Buffer;
  private v: Buffer;
  private started = false;

  constructor(d: bigint, e: Uint8Array, deterministic = false) {
    const x = bigIntToBytes(d);
    const h = bigIntToBytes(bytesToBigInt(e) % N); // bits2octets: qlen = hlen = 256
    const extra = deterministic ? Buffer.alloc(0) : randomBytes(32);
    this.v = Buffer.alloc(32, 0x01);
    this.k = Buffer.alloc(32, 0x00);
    this.k = hmac(this.k, this.v, Buffer.from([0x00]), x, h, extra);
    this.v = hmac(this.k, this.v);
    this.k = hmac(this.k, this.v, Buffer.from([0x01]), x, h, extra);
    this.v = hmac(this.k, this.v);
  }

  next(): bigint {
    // RFC 6979 §3.2 step h.3 before every candidate after the first (the previous one was not usable).
    if (this.started) this.reseed();
    this.started = true;
    for (;;) {
      this.v = hmac(this.k, this.v);
      const k = bytesToBigInt(this.v);
      if (k >= 1n && k < N) return k;
      this.reseed();
    }
  }

  private reseed(): void {
    this.k = hmac(this.k, this.v, Buffer.from([0x00]));
    this.v = hmac(this.k, this.v);
  }
}
