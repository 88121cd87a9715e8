import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { constantTimeEqual, hmacSm3, sm3, sm3Kdf } from './sm3.ts';
import { OpensslDir } from './test-openssl.ts';

const ossl = new OpensslDir();
afterAll(() => ossl.cleanup());

describe('SM3 (GB/T 32905) — PRT-5, domain.md §6 vectors', () => {
  it('"abc"', () => {
    expect(sm3('abc').toString('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('"abcd" × 16 (bytes and string give the same digest)', () => {
    const expected = 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732';
    expect(sm3('abcd'.repeat(16)).toString('hex')).toBe(expected);
    expect(sm3(Buffer.from('abcd'.repeat(16))).toString('hex')).toBe(expected);
  });
});

describe('HMAC-SM3 against openssl dgst', () => {
  it('text key (openssl dgst -sm3 -hmac)', () => {
    const data = randomBytes(1000);
    ossl.write('hmac-in', data);
    const out = ossl.run('dgst', '-sm3', '-hmac', 'shuan-key', 'hmac-in').toString();
    expect(out.trim().split('= ')[1]).toBe(hmacSm3(Buffer.from('shuan-key'), data).toString('hex'));
  });

  it('binary keys shorter and longer than the 64-byte block (openssl dgst -mac HMAC -macopt hexkey)', () => {
    ossl.write('hmac-in2', 'the quick brown fox');
    for (const len of [1, 32, 64, 65, 100]) {
      const key = randomBytes(len);
      const out = ossl.run('dgst', '-sm3', '-mac', 'HMAC', '-macopt', `hexkey:${key.toString('hex')}`, 'hmac-in2').toString();
      expect(out.trim().split('= ')[1], `key length ${len}`).toBe(hmacSm3(key, 'the quick brown fox').toString('hex'));
    }
  });
});

describe('SM3 KDF (GB/T 32918.4 §5.4.3)', () => {
  it('equals ANSI X9.63 KDF with SM3 and no shared info (openssl kdf X963KDF)', () => {
    const z = randomBytes(64);
    for (const klen of [1, 16, 32, 33, 100]) {
      const out = ossl.run('kdf', '-keylen', String(klen), '-kdfopt', 'digest:SM3', '-kdfopt', `hexsecret:${z.toString('hex')}`, 'X963KDF');
      const hex = out.toString().trim().replace(/:/g, '').toLowerCase();
      expect(sm3Kdf(z, klen).toString('hex'), `klen ${klen}`).toBe(hex);
    }
  });

  it('is the counter construction H(Z ‖ 00000001) ‖ H(Z ‖ 00000002) …, truncated', () => {
    const z = Buffer.from('shuan');
    const k = sm3Kdf(z, 40);
    expect(k.subarray(0, 32)).toEqual(sm3(Buffer.concat([z, Buffer.from([0, 0, 0, 1])])));
    expect(k.subarray(32)).toEqual(sm3(Buffer.concat([z, Buffer.from([0, 0, 0, 2])])).subarray(0, 8));
    expect(sm3Kdf(z, 0).length).toBe(0);
  });

  it('refuses negative or fractional lengths', () => {
    expect(() => sm3Kdf(Buffer.from('z'), -1)).toThrow(/klen/);
    expect(() => sm3Kdf(Buffer.from('z'), 1.5)).toThrow(/klen/);
  });
});

describe('constantTimeEqual', () => {
  it('compares contents, and is false (not a throw) when the lengths differ', () => {
    expect(constantTimeEqual(Buffer.from('abc'), Buffer.from('abc'))).toBe(true);
    expect(constantTimeEqual(Buffer.from('abc'), Buffer.from('abd'))).toBe(false);
    expect(constantTimeEqual(Buffer.from('abc'), Buffer.from('abcd'))).toBe(false);
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });
});
