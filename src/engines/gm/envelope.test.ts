import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { envelopeKeyId, isEnvelopeText, openEnvelope, openEnvelopeText, sealEnvelope, sealEnvelopeText } from './envelope.ts';
import type { EnvelopeKey } from './envelope-format.ts';
import { GmError, type GmErrorCode } from './errors.ts';
import { hmacSm3, sm3Kdf } from './sm3.ts';
import { sm4Ctr } from './sm4.ts';

const k1: EnvelopeKey = { id: 'dk-2025-01', secret: randomBytes(32) };
const k2: EnvelopeKey = { id: 'dk-2026-01', secret: randomBytes(32) };
const keyring = new Map([k1, k2].map((k) => [k.id, k]));
const resolve = (id: string) => keyring.get(id);

function codeOf(fn: () => unknown): GmErrorCode | 'no error' {
  try {
    fn();
  } catch (e) {
    if (e instanceof GmError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('sealEnvelope / openEnvelope — PRT-5, FZ-12', () => {
  it('round-trips empty, text and binary plaintexts, with and without AAD', () => {
    for (const pt of [Buffer.alloc(0), Buffer.from('身份证号 110101199003074514'), randomBytes(1), randomBytes(100_000)]) {
      expect(openEnvelope(resolve, sealEnvelope(k1, pt))).toEqual(pt);
      expect(openEnvelope(resolve, sealEnvelope(k1, pt, 'row:42'), 'row:42')).toEqual(pt);
    }
    expect(openEnvelope(resolve, sealEnvelope(k1, '中文')).toString('utf8')).toBe('中文');
  });

  it('uses a fresh IV each time (same plaintext, different envelopes)', () => {
    expect(sealEnvelope(k1, 'same').equals(sealEnvelope(k1, 'same'))).toBe(false);
  });

  it('has the documented layout: header, IV, SM4-CTR under the derived key, HMAC-SM3 over header‖IV‖ct‖AAD‖len', () => {
    const pt = Buffer.from('layout check');
    const aad = Buffer.from('table=people;col=id_no');
    const env = sealEnvelope(k1, pt, aad);
    const id = Buffer.from(k1.id);
    const header = Buffer.concat([Buffer.from([0x53, 0x41, 1, 1, id.length]), id]);
    expect(env.subarray(0, header.length)).toEqual(header);
    const iv = env.subarray(header.length, header.length + 16);
    const ct = env.subarray(header.length + 16, env.length - 32);
    const encKey = sm3Kdf(Buffer.concat([k1.secret, Buffer.from('SA1|ONESHOT|SM4-CTR')]), 16);
    const macKey = sm3Kdf(Buffer.concat([k1.secret, Buffer.from('SA1|ONESHOT|HMAC-SM3')]), 32);
    expect(ct).toEqual(sm4Ctr(encKey, iv, pt));
    const len = Buffer.alloc(8);
    len.writeBigUInt64BE(BigInt(aad.length));
    expect(env.subarray(env.length - 32)).toEqual(hmacSm3(macKey, Buffer.concat([header, iv, ct, aad, len])));
  });

  it('wrong AAD, missing AAD and extra AAD fail as tampered', () => {
    const env = sealEnvelope(k1, 'secret', 'row:1');
    expect(codeOf(() => openEnvelope(resolve, env, 'row:2'))).toBe('envelope_tampered');
    expect(codeOf(() => openEnvelope(resolve, env))).toBe('envelope_tampered');
    expect(codeOf(() => openEnvelope(resolve, sealEnvelope(k1, 'secret'), 'row:1'))).toBe('envelope_tampered');
  });

  it('a wrong key under the right ID fails as tampered; an unknown ID as envelope_unknown_key', () => {
    const env = sealEnvelope(k1, 'secret');
    expect(codeOf(() => openEnvelope(() => ({ id: k1.id, secret: randomBytes(32) }), env))).toBe('envelope_tampered');
    expect(codeOf(() => openEnvelope(() => undefined, env))).toBe('envelope_unknown_key');
  });

  it('every single-bit flip (header, IV, ciphertext, tag) fails, and never returns plaintext', () => {
    const env = sealEnvelope(k1, 'a secret value', 'aad');
    const headerLen = 5 + k1.id.length;
    // A resolver that hands out k1 for ANY id, so a flipped key-ID byte must be caught by the MAC.
    const permissive = () => k1;
    for (let bit = 0; bit < env.length * 8; bit++) {
      const bad = Buffer.from(env);
      bad[bit >> 3] ^= 1 << (bit & 7);
      const byte = bit >> 3;
      const code = codeOf(() => openEnvelope(permissive, bad, 'aad'));
      if (byte < 2) expect(code, `bit ${bit}`).toBe('envelope_malformed');
      else if (byte < 4) expect(code, `bit ${bit}`).toBe('envelope_version');
      // Key-ID length and key-ID bytes: a header that no longer parses (length, UTF-8) or a MAC failure.
      else if (byte < headerLen) expect(['envelope_malformed', 'envelope_tampered'], `bit ${bit}`).toContain(code);
      else expect(code, `bit ${bit} (IV/ciphertext/tag)`).toBe('envelope_tampered');
    }
  });

  it('truncation and extension fail', () => {
    const env = sealEnvelope(k1, 'a secret value');
    for (let len = 0; len < env.length; len++) {
      expect(['envelope_malformed', 'envelope_tampered']).toContain(codeOf(() => openEnvelope(resolve, env.subarray(0, len))));
    }
    expect(codeOf(() => openEnvelope(resolve, Buffer.concat([env, Buffer.from([0])])))).toBe('envelope_tampered');
  });

  it('unknown versions and suites are envelope_version', () => {
    const env = sealEnvelope(k1, 'x');
    const v2 = Buffer.from(env);
    v2[2] = 2;
    expect(codeOf(() => openEnvelope(resolve, v2))).toBe('envelope_version');
    const s9 = Buffer.from(env);
    s9[3] = 9;
    expect(codeOf(() => openEnvelope(resolve, s9))).toBe('envelope_version');
  });

  it('key rotation: envelopeKeyId names the sealing key, and old envelopes open after a new key is added', () => {
    const old = sealEnvelope(k1, 'old value');
    const fresh = sealEnvelope(k2, 'new value');
    expect(envelopeKeyId(old)).toBe('dk-2025-01');
    expect(envelopeKeyId(fresh)).toBe('dk-2026-01');
    // Re-encryption job: open with whatever key the envelope names, seal with the current key.
    const resealed = sealEnvelope(k2, openEnvelope(resolve, old));
    expect(envelopeKeyId(resealed)).toBe('dk-2026-01');
    expect(openEnvelope(resolve, resealed).toString()).toBe('old value');
  });

  it('refuses bad keys when sealing (GmError invalid_argument)', () => {
    expect(codeOf(() => sealEnvelope({ id: 'k', secret: randomBytes(16) }, 'x'))).toBe('invalid_argument');
    expect(codeOf(() => sealEnvelope({ id: '', secret: randomBytes(32) }, 'x'))).toBe('invalid_argument');
    expect(codeOf(() => sealEnvelope({ id: 'x'.repeat(256), secret: randomBytes(32) }, 'x'))).toBe('invalid_argument');
  });

  it('error messages carry no plaintext', () => {
    const env = sealEnvelope(k1, 'PLAINTEXT-MARKER');
    const bad = Buffer.from(env);
    bad[bad.length - 40] ^= 1;
    try {
      openEnvelope(resolve, bad);
      expect.unreachable();
    } catch (e) {
      expect(String((e as Error).message)).not.toContain('PLAINTEXT');
    }
  });
});

describe('text form "sa1.<base64url>"', () => {
  it('round-trips and names its key', () => {
    const text = sealEnvelopeText(k2, '13800138000', 'phone');
    expect(text.startsWith('sa1.')).toBe(true);
    expect(isEnvelopeText(text)).toBe(true);
    expect(/^sa1\.[A-Za-z0-9_-]+$/.test(text)).toBe(true);
    expect(openEnvelopeText(resolve, text, 'phone').toString()).toBe('13800138000');
    expect(envelopeKeyId(text)).toBe(k2.id);
  });

  it('a changed character, a wrong prefix or non-canonical base64url fails', () => {
    const text = sealEnvelopeText(k1, 'value');
    const body = text.slice(4);
    for (let i = 0; i < body.length; i++) {
      const c = body[i] === 'A' ? 'B' : 'A';
      const bad = `sa1.${body.slice(0, i)}${c}${body.slice(i + 1)}`;
      expect(['envelope_malformed', 'envelope_version', 'envelope_tampered', 'envelope_unknown_key'], `char ${i}`).toContain(
        codeOf(() => openEnvelopeText(resolve, bad)),
      );
    }
    expect(codeOf(() => openEnvelopeText(resolve, `sa2.${body}`))).toBe('envelope_malformed');
    expect(codeOf(() => openEnvelopeText(resolve, `sa1.${body}=`))).toBe('envelope_malformed');
    expect(codeOf(() => openEnvelopeText(resolve, 'plain text'))).toBe('envelope_malformed');
    expect(isEnvelopeText('sa1.')).toBe(false);
  });
});
