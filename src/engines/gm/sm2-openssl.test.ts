// SM2 interoperability with the machine's OpenSSL 3, both ways (domain.md §6: "interoperability with other
// implementations must be tested"). PRT-5.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sm2Sign, sm2Verify } from './sm2.ts';
import { sm2Decrypt, sm2Encrypt } from './sm2-encrypt.ts';
import { generateSm2KeyPair, importSm2PrivateKey, importSm2PublicKey } from './sm2-keys.ts';
import { OpensslDir } from './test-openssl.ts';

const ossl = new OpensslDir();
afterAll(() => ossl.cleanup());

const DISTID = 'distid:1234567812345678';

// A key made by OpenSSL and one made by us.
const ours = generateSm2KeyPair();
beforeAll(() => {
  ossl.run('genpkey', '-algorithm', 'SM2', '-out', 'ossl.key');
  ossl.run('pkey', '-in', 'ossl.key', '-pubout', '-out', 'ossl.pub');
  ossl.write('ours.key', ours.privateKeyPem);
  ossl.write('ours.pub', ours.publicKeyPem);
});

describe('SM2 keys ↔ openssl pkey', () => {
  it('openssl reads our PEM keys and writes back the same public key', () => {
    const text = ossl.run('pkey', '-in', 'ours.key', '-noout', '-text').toString();
    expect(text).toMatch(/ASN1 OID: SM2/);
    expect(ossl.run('pkey', '-in', 'ours.key', '-pubout').toString()).toBe(ours.publicKeyPem);
    expect(ossl.run('pkey', '-pubin', '-in', 'ours.pub', '-pubout').toString()).toBe(ours.publicKeyPem);
    expect(ossl.run('pkey', '-in', 'ours.key').toString()).toBe(ours.privateKeyPem);
  });

  it('we read OpenSSL PEM keys and export them byte for byte as OpenSSL does', () => {
    const key = importSm2PrivateKey(ossl.read('ossl.key').toString());
    expect(key.toPem()).toBe(ossl.read('ossl.key').toString());
    expect(key.publicKey.toPem()).toBe(ossl.read('ossl.pub').toString());
    expect(importSm2PublicKey(ossl.read('ossl.pub').toString()).equals(key.publicKey)).toBe(true);
  });
});

describe('SM2 signatures ↔ openssl (user ID 1234567812345678)', () => {
  it('openssl dgst and pkeyutl verify our signatures; a different distid fails', () => {
    for (const [i, msg] of [Buffer.from('数据共享协议'), randomBytes(1), randomBytes(5000)].entries()) {
      ossl.write(`m${i}`, msg);
      ossl.write(`s${i}`, sm2Sign(ours.privateKey, msg));
      expect(ossl.ok('dgst', '-sm3', '-verify', 'ours.pub', '-sigopt', DISTID, '-signature', `s${i}`, `m${i}`), `dgst msg ${i}`).toBe(true);
      expect(
        ossl.ok('pkeyutl', '-verify', '-pubin', '-inkey', 'ours.pub', '-rawin', '-digest', 'sm3', '-pkeyopt', DISTID, '-in', `m${i}`, '-sigfile', `s${i}`),
        `pkeyutl msg ${i}`,
      ).toBe(true);
      expect(ossl.ok('dgst', '-sm3', '-verify', 'ours.pub', '-sigopt', 'distid:1234567812345679', '-signature', `s${i}`, `m${i}`)).toBe(false);
    }
  });

  it('openssl verifies a signature with a custom user ID given the same distid', () => {
    ossl.write('mc', 'custom');
    ossl.write('sc', sm2Sign(ours.privateKey, 'custom', { userId: 'shuan@example.cn' }));
    expect(ossl.ok('dgst', '-sm3', '-verify', 'ours.pub', '-sigopt', 'distid:shuan@example.cn', '-signature', 'sc', 'mc')).toBe(true);
    expect(ossl.ok('dgst', '-sm3', '-verify', 'ours.pub', '-sigopt', DISTID, '-signature', 'sc', 'mc')).toBe(false);
  });

  it('we verify signatures made by openssl dgst and pkeyutl, and reject them under another user ID', () => {
    const key = ossl.read('ossl.pub').toString();
    for (let i = 0; i < 5; i++) {
      const msg = randomBytes(10 + i * 100);
      ossl.write('om', msg);
      ossl.run('dgst', '-sm3', '-sign', 'ossl.key', '-sigopt', DISTID, '-out', 'os1', 'om');
      ossl.run('pkeyutl', '-sign', '-inkey', 'ossl.key', '-rawin', '-digest', 'sm3', '-pkeyopt', DISTID, '-in', 'om', '-out', 'os2');
      for (const sig of [ossl.read('os1'), ossl.read('os2')]) {
        expect(sm2Verify(key, msg, sig)).toBe(true);
        expect(sm2Verify(key, msg, sig, { userId: 'another-id' })).toBe(false);
      }
    }
  });
});

describe('SM2 encryption ↔ openssl pkeyutl', () => {
  it('openssl decrypts what we encrypt', () => {
    for (const len of [1, 32, 1000]) {
      const m = randomBytes(len);
      ossl.write('ct', sm2Encrypt(ours.publicKey, m));
      ossl.run('pkeyutl', '-decrypt', '-inkey', 'ours.key', '-in', 'ct', '-out', 'pt');
      expect(ossl.read('pt'), `length ${len}`).toEqual(m);
    }
  });

  it('we decrypt what openssl encrypts', () => {
    const key = importSm2PrivateKey(ossl.read('ossl.key').toString());
    for (const len of [1, 32, 1000]) {
      const m = randomBytes(len);
      ossl.write('pt2', m);
      ossl.run('pkeyutl', '-encrypt', '-pubin', '-inkey', 'ossl.pub', '-in', 'pt2', '-out', 'ct2');
      expect(sm2Decrypt(key, ossl.read('ct2')), `length ${len}`).toEqual(m);
    }
  });
});
