import { randomBytes } from 'node:crypto';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { envelopeKeyId, openEnvelope, sealEnvelope } from './envelope.ts';
import type { EnvelopeKey, EnvelopeKeyResolver } from './envelope-format.ts';
import { createOpenStream, createSealStream } from './envelope-stream.ts';
import { GmError } from './errors.ts';
import { sm3Kdf } from './sm3.ts';
import { sm4Ctr } from './sm4.ts';

const key: EnvelopeKey = { id: 'files-1', secret: randomBytes(32) };
const resolve: EnvelopeKeyResolver = (id) => (id === key.id ? key : undefined);
const F = 16; // small frames so tests can touch every frame
const HEADER = 5 + key.id.length + 4 + 16; // header with frame size, then the IV

function chunked(data: Buffer, max = 37): Buffer[] {
  const out: Buffer[] = [];
  for (let off = 0; off < data.length; ) {
    const n = 1 + Math.floor(Math.random() * max);
    out.push(data.subarray(off, off + n));
    off += n;
  }
  return out;
}

async function run(t: Transform, input: Buffer, max?: number): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunked(input, max)), t, async (source: AsyncIterable<Buffer>) => {
    for await (const c of source) out.push(c);
  });
  return Buffer.concat(out);
}

const seal = (data: Buffer, opts: { aad?: string; frameSize?: number } = { frameSize: F }) => run(createSealStream(key, opts), data);
const open = (data: Buffer, aad?: string, r: EnvelopeKeyResolver = resolve) => run(createOpenStream(r, { aad }), data);

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof GmError ? e.code : `other: ${(e as Error).message}`;
  }
  return 'no error';
}

describe('sealed streams (framed SM4-CTR + HMAC-SM3) — PRT-5, FZ-12', () => {
  it('round-trips lengths around the frame size, whatever the chunking', async () => {
    for (const n of [0, 1, 15, 16, 17, 47, 48, 49, 1000]) {
      const data = randomBytes(n);
      const sealed = await seal(data);
      const frames = n === 0 ? 1 : Math.ceil(n / F);
      expect(sealed.length, `n=${n}`).toBe(HEADER + n + 32 * frames);
      expect(await open(sealed), `n=${n}`).toEqual(data);
    }
  });

  it('round-trips 1 MB with the default 64 KiB frames and AAD', async () => {
    const data = randomBytes(1_000_000);
    const sealed = await run(createSealStream(key, { aad: 'dataset:7' }), data, 100_000);
    expect(await run(createOpenStream(resolve, { aad: 'dataset:7' }), sealed, 70_000)).toEqual(data);
  });

  it('the frames carry one SM4-CTR keystream over the whole input (what openssl enc -sm4-ctr gives)', async () => {
    const data = randomBytes(100);
    const sealed = await seal(data);
    const iv = sealed.subarray(HEADER - 16, HEADER);
    let ct = Buffer.alloc(0);
    for (let off = HEADER; off < sealed.length; off += F + 32) ct = Buffer.concat([ct, sealed.subarray(off, Math.min(off + F, sealed.length - 32))]);
    const encKey = sm3Kdf(Buffer.concat([key.secret, Buffer.from('SA1|FRAMED|SM4-CTR')]), 16);
    expect(ct).toEqual(sm4Ctr(encKey, iv, data));
  });

  it('truncation anywhere fails (including exactly at a frame boundary)', async () => {
    const sealed = await seal(randomBytes(40)); // frames of 16, 16, 8
    for (let len = 0; len < sealed.length; len++) {
      expect(['envelope_malformed', 'envelope_tampered'], `cut at ${len}`).toContain(await failure(open(sealed.subarray(0, len))));
    }
  });

  it('extension, reordering, dropping and duplicating frames fail as tampered', async () => {
    const sealed = await seal(randomBytes(40));
    const head = sealed.subarray(0, HEADER);
    const f = [0, 1, 2].map((i) => sealed.subarray(HEADER + i * (F + 32), Math.min(HEADER + (i + 1) * (F + 32), sealed.length)));
    expect(Buffer.concat([head, ...f])).toEqual(sealed);
    const cases: Record<string, Buffer> = {
      'one extra byte': Buffer.concat([sealed, Buffer.from([0])]),
      'final frame repeated': Buffer.concat([sealed, f[2]]),
      'frames 0 and 1 swapped': Buffer.concat([head, f[1], f[0], f[2]]),
      'frame 1 dropped': Buffer.concat([head, f[0], f[2]]),
      'frame 0 duplicated': Buffer.concat([head, f[0], f[0], f[1], f[2]]),
    };
    for (const [name, bad] of Object.entries(cases)) expect(await failure(open(bad)), name).toBe('envelope_tampered');
  });

  it('a frame from another stream under the same key fails (tags are bound to the header and IV)', async () => {
    const a = await seal(randomBytes(40));
    const b = await seal(randomBytes(40));
    const spliced = Buffer.concat([a.subarray(0, HEADER + F + 32), b.subarray(HEADER + F + 32)]);
    expect(await failure(open(spliced))).toBe('envelope_tampered');
  });

  it('every single-bit flip fails', async () => {
    const sealed = await seal(randomBytes(40));
    const permissive = () => key;
    for (let bit = 0; bit < sealed.length * 8; bit++) {
      const bad = Buffer.from(sealed);
      bad[bit >> 3] ^= 1 << (bit & 7);
      const code = await failure(open(bad, undefined, permissive));
      // IV, frame ciphertexts and tags: the MAC. Header bytes (magic, version, suite, key ID, frame size):
      // a header that no longer parses, or the MAC (every frame tag depends on the header).
      if (bit >> 3 >= HEADER - 16) expect(code, `bit ${bit}`).toBe('envelope_tampered');
      else expect(['envelope_malformed', 'envelope_version', 'envelope_tampered'], `bit ${bit}`).toContain(code);
    }
  });

  it('wrong AAD is tampered; an unknown key is envelope_unknown_key', async () => {
    const sealed = await seal(randomBytes(40), { aad: 'a', frameSize: F });
    expect(await failure(open(sealed, 'b'))).toBe('envelope_tampered');
    expect(await failure(open(sealed))).toBe('envelope_tampered');
    expect(await failure(open(sealed, 'a', () => undefined))).toBe('envelope_unknown_key');
  });

  it('one-shot envelopes and streams are not confused; envelopeKeyId reads a stream header', async () => {
    const sealed = await seal(randomBytes(40));
    expect(() => openEnvelope(resolve, sealed)).toThrow(/stream/);
    expect(await failure(open(sealEnvelope(key, 'x')))).toBe('envelope_malformed');
    expect(envelopeKeyId(sealed.subarray(0, HEADER))).toBe(key.id);
  });

  it('works with bounded memory: plaintext comes out before the input ends', async () => {
    const data = randomBytes(10 * F);
    const sealed = await seal(data);
    const opener = createOpenStream(resolve);
    const got: Buffer[] = [];
    opener.on('data', (c: Buffer) => got.push(c));
    opener.write(sealed.subarray(0, HEADER + 3 * (F + 32) + 1));
    await tick();
    expect(Buffer.concat(got)).toEqual(data.subarray(0, 3 * F)); // three frames verified and released
    const done = new Promise((r) => opener.on('end', r));
    opener.end(sealed.subarray(HEADER + 3 * (F + 32) + 1));
    await done;
    expect(Buffer.concat(got)).toEqual(data);

    const sealer = createSealStream(key, { frameSize: F });
    const out: Buffer[] = [];
    sealer.on('data', (c: Buffer) => out.push(c));
    sealer.write(randomBytes(5 * F));
    await tick();
    expect(Buffer.concat(out).length).toBeGreaterThanOrEqual(HEADER + 4 * (F + 32));
    sealer.destroy();
  });

  it('refuses frame sizes that are not a multiple of 16 in 16 B … 16 MiB, and headers that claim one', async () => {
    for (const frameSize of [0, 8, 24, 32 * 1024 * 1024]) expect(() => createSealStream(key, { frameSize })).toThrow(/frame size/);
    const sealed = Buffer.from(await seal(randomBytes(10)));
    sealed.writeUInt32BE(24, 5 + key.id.length);
    expect(await failure(open(sealed))).toBe('envelope_malformed');
  });
});
