import { createCipheriv, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { isGmError } from './errors.ts';
import { createSm4CtrStream, sm4CbcDecrypt, sm4CbcEncrypt, sm4Ctr } from './sm4.ts';
import { OpensslDir } from './test-openssl.ts';

const ossl = new OpensslDir();
afterAll(() => ossl.cleanup());

const KEY = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
const ZERO_IV = Buffer.alloc(16);

describe('SM4 (GB/T 32907) — PRT-5, domain.md §6 vectors', () => {
  it('one block: key = plaintext = 0123…3210 → 681edf34…4246', () => {
    // CBC with a zero IV encrypts the first block exactly as the bare block cipher does.
    expect(sm4CbcEncrypt(KEY, ZERO_IV, KEY).subarray(0, 16).toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
  });

  it('encrypting 1,000,000 times → 595298c7…3f66 (one CBC pass over 1,000,000 blocks)', () => {
    // CBC with a zero IV over P ‖ 0 ‖ 0 ‖ … gives C_i = E(C_{i−1}), so block i is P encrypted i times:
    // one native call instead of a million.
    const n = 1_000_000;
    const input = Buffer.alloc(16 * n);
    KEY.copy(input, 0);
    const out = sm4CbcEncrypt(KEY, ZERO_IV, input);
    expect(out.subarray(16 * (n - 1), 16 * n).toString('hex')).toBe('595298c7c6fd271f0402f804c33d3f66');
  });

  it('the CBC shortcut equals literal iteration of the block cipher (first 1,000 rounds)', () => {
    const ecb = createCipheriv('sm4-ecb', KEY, null).setAutoPadding(false);
    let block = Buffer.from(KEY);
    for (let i = 0; i < 1000; i++) block = ecb.update(block);
    const input = Buffer.alloc(16 * 1000);
    KEY.copy(input, 0);
    expect(sm4CbcEncrypt(KEY, ZERO_IV, input).subarray(16 * 999, 16 * 1000)).toEqual(block);
  });
});

describe('SM4-CBC (PKCS#7)', () => {
  it('round-trips every length around the block size and pads to the next block', () => {
    const iv = randomBytes(16);
    for (const len of [0, 1, 15, 16, 17, 31, 32, 1000]) {
      const data = randomBytes(len);
      const ct = sm4CbcEncrypt(KEY, iv, data);
      expect(ct.length).toBe((Math.floor(len / 16) + 1) * 16);
      expect(sm4CbcDecrypt(KEY, iv, ct)).toEqual(data);
    }
  });

  it('matches openssl enc -sm4-cbc both ways', () => {
    const iv = randomBytes(16);
    const data = randomBytes(777);
    ossl.write('cbc-in', data);
    ossl.run('enc', '-sm4-cbc', '-K', KEY.toString('hex'), '-iv', iv.toString('hex'), '-in', 'cbc-in', '-out', 'cbc-out');
    expect(ossl.read('cbc-out')).toEqual(sm4CbcEncrypt(KEY, iv, data));
    expect(sm4CbcDecrypt(KEY, iv, ossl.read('cbc-out'))).toEqual(data);
  });

  it('bad padding is GmError sm4_decrypt_failed', () => {
    // A block whose plaintext ends in 0x00 can never be valid PKCS#7.
    const raw = createCipheriv('sm4-cbc', KEY, ZERO_IV).setAutoPadding(false).update(Buffer.alloc(16, 0));
    let err: unknown;
    try {
      sm4CbcDecrypt(KEY, ZERO_IV, raw);
    } catch (e) {
      err = e;
    }
    expect(isGmError(err, 'sm4_decrypt_failed')).toBe(true);
  });

  it('refuses keys and IVs that are not 16 bytes', () => {
    expect(() => sm4CbcEncrypt(randomBytes(32), ZERO_IV, Buffer.alloc(1))).toThrow(/16 bytes/);
    expect(() => sm4Ctr(KEY, randomBytes(12), Buffer.alloc(1))).toThrow(/16 bytes/);
  });
});

describe('SM4-CTR', () => {
  it('matches openssl enc -sm4-ctr and is its own inverse', () => {
    const iv = randomBytes(16);
    const data = randomBytes(100_003);
    ossl.write('ctr-in', data);
    ossl.run('enc', '-sm4-ctr', '-K', KEY.toString('hex'), '-iv', iv.toString('hex'), '-in', 'ctr-in', '-out', 'ctr-out');
    const ct = sm4Ctr(KEY, iv, data);
    expect(ct).toEqual(ossl.read('ctr-out'));
    expect(sm4Ctr(KEY, iv, ct)).toEqual(data);
  });

  it('carries the counter over all 128 bits like OpenSSL (IV ff…ff)', () => {
    const iv = Buffer.alloc(16, 0xff);
    const data = randomBytes(64);
    ossl.write('wrap-in', data);
    ossl.run('enc', '-sm4-ctr', '-K', KEY.toString('hex'), '-iv', iv.toString('hex'), '-in', 'wrap-in', '-out', 'wrap-out');
    expect(sm4Ctr(KEY, iv, data)).toEqual(ossl.read('wrap-out'));
  });

  it('the streaming form gives the one-shot result whatever the chunking', async () => {
    const iv = randomBytes(16);
    const data = randomBytes(50_000);
    const chunks: Buffer[] = [];
    for (let off = 0; off < data.length; ) {
      const n = 1 + Math.floor(Math.random() * 5000);
      chunks.push(data.subarray(off, off + n));
      off += n;
    }
    const out: Buffer[] = [];
    await pipeline(Readable.from(chunks), createSm4CtrStream(KEY, iv), async (source: AsyncIterable<Buffer>) => {
      for await (const c of source) out.push(c);
    });
    expect(Buffer.concat(out)).toEqual(sm4Ctr(KEY, iv, data));
  });
});
