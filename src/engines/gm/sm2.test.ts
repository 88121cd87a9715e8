import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isGmError } from './errors.ts';
import { signDigest, sm2Sign, sm2Verify, sm2Z } from './sm2.ts';
import { N } from './sm2-curve.ts';
import { encryptWithNonce, sm2Decrypt, sm2Encrypt } from './sm2-encrypt.ts';
import { generateSm2KeyPair, importSm2PrivateKey, importSm2PublicKey, Sm2PrivateKey } from './sm2-keys.ts';
import { sm3 } from './sm3.ts';

// GB/T 32918.5-2017 Annex A (GM/T 0003.5) example on the recommended curve, user ID 1234567812345678.
const D = Buffer.from('3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8', 'hex');
const PUB = '0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13';
const K = 0x59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21n;
const R = 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3';
const S = 'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa';

const example = importSm2PrivateKey(D);

describe('SM2 signatures: GB/T 32918 example — PRT-5', () => {
  it('derives the public key, Z and e of the example', () => {
    expect(example.publicKey.toRaw().toString('hex')).toBe(PUB);
    const z = sm2Z(example.publicKey);
    expect(z.toString('hex')).toBe('b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3');
    expect(sm3(Buffer.concat([z, Buffer.from('message digest')])).toString('hex')).toBe('f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640');
  });

  it('signs "message digest" with the example nonce to the example (r, s)', () => {
    const e = sm3(Buffer.concat([sm2Z(example.publicKey), Buffer.from('message digest')]));
    const { r, s } = signDigest(example, e, () => K);
    expect(r.toString(16).padStart(64, '0')).toBe(R);
    expect(s.toString(16).padStart(64, '0')).toBe(S);
  });

  it('verifies the example signature (raw and DER) and rejects it for another message or user ID', () => {
    const raw = Buffer.from(R + S, 'hex');
    expect(sm2Verify(PUB_KEY(), 'message digest', raw, { format: 'raw' })).toBe(true);
    const der = Buffer.concat([Buffer.from('3046022100', 'hex'), Buffer.from(R, 'hex'), Buffer.from('022100', 'hex'), Buffer.from(S, 'hex')]);
    expect(sm2Verify(PUB_KEY(), 'message digest', der)).toBe(true);
    expect(sm2Verify(PUB_KEY(), 'message digesT', der)).toBe(false);
    expect(sm2Verify(PUB_KEY(), 'message digest', der, { userId: 'ALICE123@YAHOO.COM' })).toBe(false);
  });
});

function PUB_KEY() {
  return importSm2PublicKey(Buffer.from(PUB, 'hex'));
}

describe('SM2 sign / verify', () => {
  const pair = generateSm2KeyPair();

  it('round-trips with the default and with a custom user ID, and the ID matters', () => {
    const sig = sm2Sign(pair.privateKey, '协议编号 2025-001');
    expect(sm2Verify(pair.publicKey, '协议编号 2025-001', sig)).toBe(true);
    expect(sm2Verify(pair.publicKey, '协议编号 2025-001', sig, { userId: '1234567812345678' })).toBe(true);
    expect(sm2Verify(pair.publicKey, '协议编号 2025-001', sig, { userId: 'someone-else' })).toBe(false);
    const custom = sm2Sign(pair.privateKey, 'x', { userId: 'org:91350100M000100Y43' });
    expect(sm2Verify(pair.publicKey, 'x', custom, { userId: 'org:91350100M000100Y43' })).toBe(true);
    expect(sm2Verify(pair.publicKey, 'x', custom)).toBe(false);
  });

  it('fails for another key, a changed message or any changed signature byte', () => {
    const other = generateSm2KeyPair();
    const msg = Buffer.from('message');
    const sig = sm2Sign(pair.privateKey, msg);
    expect(sm2Verify(other.publicKey, msg, sig)).toBe(false);
    expect(sm2Verify(pair.publicKey, Buffer.from('messagE'), sig)).toBe(false);
    for (let i = 0; i < sig.length; i++) {
      const bad = Buffer.from(sig);
      bad[i] ^= 0x01;
      expect(sm2Verify(pair.publicKey, msg, bad), `byte ${i}`).toBe(false);
    }
  });

  it('rejects malformed or out-of-range signatures (false, not a throw)', () => {
    const msg = 'm';
    const sig = sm2Sign(pair.privateKey, msg, { format: 'raw' });
    const r = sig.subarray(0, 32);
    const s = sig.subarray(32);
    const int = (b: Buffer) => Buffer.concat([Buffer.from([2, b.length]), b]);
    const seq = (...parts: Buffer[]) => Buffer.concat([Buffer.from([0x30, Buffer.concat(parts).length]), ...parts]);
    const canon = (b: Buffer) => (b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
    expect(sm2Verify(pair.publicKey, msg, seq(int(canon(r)), int(canon(s))))).toBe(true);
    // Non-minimal INTEGER (extra leading zero), trailing bytes, wrong lengths, zero and n.
    expect(sm2Verify(pair.publicKey, msg, seq(int(Buffer.concat([Buffer.from([0, 0]), r])), int(canon(s))))).toBe(false);
    expect(sm2Verify(pair.publicKey, msg, Buffer.concat([seq(int(canon(r)), int(canon(s))), Buffer.from([0])]))).toBe(false);
    expect(sm2Verify(pair.publicKey, msg, sig.subarray(0, 63), { format: 'raw' })).toBe(false);
    expect(sm2Verify(pair.publicKey, msg, Buffer.alloc(0))).toBe(false);
    expect(sm2Verify(pair.publicKey, msg, Buffer.concat([r, Buffer.alloc(32)]), { format: 'raw' })).toBe(false);
    const nBytes = Buffer.from(N.toString(16), 'hex');
    expect(sm2Verify(pair.publicKey, msg, Buffer.concat([r, nBytes]), { format: 'raw' })).toBe(false);
  });

  it('deterministic mode repeats; the default (hedged) does not', () => {
    expect(sm2Sign(pair.privateKey, 'm', { deterministic: true })).toEqual(sm2Sign(pair.privateKey, 'm', { deterministic: true }));
    expect(sm2Sign(pair.privateKey, 'm').equals(sm2Sign(pair.privateKey, 'm'))).toBe(false);
  });

  it('gives the same answers once a key has its own precomputed table (after repeated verifications)', () => {
    const p = generateSm2KeyPair();
    const msgs = Array.from({ length: 20 }, (_, i) => `msg ${i}`);
    const sigs = msgs.map((m) => sm2Sign(p.privateKey, m));
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < msgs.length; i++) {
        expect(sm2Verify(p.publicKey, msgs[i], sigs[i])).toBe(true);
        expect(sm2Verify(p.publicKey, msgs[i], sigs[(i + 1) % msgs.length])).toBe(false);
      }
    }
  });

  it('accepts the key as PEM, DER, raw bytes or a KeyObject', () => {
    const sig = sm2Sign(pair.privateKeyPem, 'm');
    for (const pub of [pair.publicKeyPem, pair.publicKeyDer, pair.publicKeyRaw, pair.publicKeyRaw.subarray(1)]) {
      expect(sm2Verify(pub, 'm', sig)).toBe(true);
    }
    expect(sm2Verify(pair.publicKey, 'm', sm2Sign(pair.privateKeyDer, 'm'))).toBe(true);
    expect(sm2Verify(pair.publicKey, 'm', sm2Sign(pair.privateKeyRaw, 'm'))).toBe(true);
  });
});

describe('SM2 keys', () => {
  it('exports PKCS#8 / SPKI with the SM2 curve OID and re-imports them', () => {
    const p = generateSm2KeyPair();
    expect(p.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqBHM9VAYItBG0wawIBAQQg/);
    expect(p.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAE/);
    expect(importSm2PrivateKey(p.privateKeyPem).toRaw()).toEqual(p.privateKeyRaw);
    expect(importSm2PublicKey(p.publicKeyPem).toRaw()).toEqual(p.publicKeyRaw);
    expect(importSm2PrivateKey(p.privateKeyRaw).publicKey.toRaw()).toEqual(p.publicKeyRaw);
    expect(p.privateKeyRaw.length).toBe(32);
    expect(p.publicKeyRaw.length).toBe(65);
  });

  it('imports node KeyObjects on the SM2 curve and compressed points', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const priv = importSm2PrivateKey(privateKey);
    expect(importSm2PublicKey(publicKey).equals(priv.publicKey)).toBe(true);
    const raw = priv.publicKey.toRaw();
    const compressed = Buffer.concat([Buffer.from([2 + (raw[64] & 1)]), raw.subarray(1, 33)]);
    expect(importSm2PublicKey(compressed).equals(priv.publicKey)).toBe(true);
  });

  it('imports SEC1 "EC PRIVATE KEY" PEM', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const sec1 = privateKey.export({ type: 'sec1', format: 'pem' }) as string;
    expect(sec1).toContain('BEGIN EC PRIVATE KEY');
    expect(importSm2PrivateKey(sec1).toDer()).toEqual(importSm2PrivateKey(privateKey).toDer());
  });

  it('refuses points off the curve, scalars out of range, other curves and mismatched key files', () => {
    const bad = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return isGmError(e, 'sm2_invalid_key');
      }
      return false;
    };
    const raw = Buffer.from(PUB, 'hex');
    raw[64] ^= 1;
    expect(bad(() => importSm2PublicKey(raw))).toBe(true);
    expect(bad(() => importSm2PrivateKey(Buffer.alloc(32)))).toBe(true);
    expect(bad(() => new Sm2PrivateKey(N - 1n))).toBe(true);
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(bad(() => importSm2PrivateKey(p256.privateKey))).toBe(true);
    expect(bad(() => importSm2PublicKey(p256.publicKey.export({ type: 'spki', format: 'pem' }) as string))).toBe(true);
    // A PKCS#8 file whose public half belongs to another key.
    const a = generateSm2KeyPair();
    const b = generateSm2KeyPair();
    const spliced = Buffer.concat([a.privateKeyDer.subarray(0, a.privateKeyDer.length - 65), b.publicKeyRaw]);
    expect(bad(() => importSm2PrivateKey(spliced))).toBe(true);
    expect(bad(() => importSm2PrivateKey('-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n'))).toBe(true);
  });

  it('does not show the private scalar when the key object is printed', () => {
    const p = generateSm2KeyPair();
    const hex = p.privateKeyRaw.toString('hex');
    expect(JSON.stringify(p.privateKey)).not.toContain(hex);
    const printed = inspect(p.privateKey, { depth: 10 });
    expect(printed).not.toContain(BigInt(`0x${hex}`).toString());
    expect(printed).not.toContain(hex);
  });
});

describe('SM2 encryption (GB/T 32918.4)', () => {
  it('encrypts "encryption standard" with the example nonce to the example ciphertext (ASN.1 as OpenSSL)', () => {
    const ct = encryptWithNonce(example.publicKey, Buffer.from('encryption standard'), () => K);
    expect(ct.toString('hex')).toBe(
      '307c022004ebfc718e8d1798620432268e77feb6415e2ede0e073c0f4f640ecd2e149a73022100e858f9d81e5430a57b36daab8f950a3c64e6ee6a63094d99283aff767e124df0' +
        '042059983c18f809e262923c53aec295d30383b54e39d609d160afcb1908d0bd8766041321886ca989ca9c7d58087307ca93092d651efa',
    );
    expect(sm2Decrypt(example, ct).toString()).toBe('encryption standard');
    const raw = encryptWithNonce(example.publicKey, Buffer.from('encryption standard'), () => K, 'c1c3c2');
    expect(raw.subarray(1, 33).toString('hex')).toBe('04ebfc718e8d1798620432268e77feb6415e2ede0e073c0f4f640ecd2e149a73');
    expect(sm2Decrypt(example, raw, { format: 'c1c3c2' }).toString()).toBe('encryption standard');
  });

  it('round-trips 1 byte to 10 kB in both formats', () => {
    const p = generateSm2KeyPair();
    for (const len of [1, 31, 32, 33, 10_000]) {
      const m = Buffer.alloc(len, len & 0xff);
      expect(sm2Decrypt(p.privateKey, sm2Encrypt(p.publicKey, m))).toEqual(m);
      expect(sm2Decrypt(p.privateKey, sm2Encrypt(p.publicKey, m, { format: 'c1c3c2' }), { format: 'c1c3c2' })).toEqual(m);
    }
  });

  it('any changed byte, the wrong key or the wrong format fails with sm2_decrypt_failed', () => {
    const p = generateSm2KeyPair();
    const ct = sm2Encrypt(p.publicKey, 'secret');
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return isGmError(e, 'sm2_decrypt_failed');
      }
      return false;
    };
    for (let i = 0; i < ct.length; i++) {
      const bad = Buffer.from(ct);
      bad[i] ^= 0x04;
      expect(
        code(() => sm2Decrypt(p.privateKey, bad)),
        `byte ${i}`,
      ).toBe(true);
    }
    expect(code(() => sm2Decrypt(generateSm2KeyPair().privateKey, ct))).toBe(true);
    expect(code(() => sm2Decrypt(p.privateKey, ct, { format: 'c1c3c2' }))).toBe(true);
  });

  it('refuses an empty message', () => {
    expect(() => sm2Encrypt(example.publicKey, '')).toThrow(/empty/);
  });
});
