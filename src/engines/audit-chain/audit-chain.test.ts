import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../gm/index.ts';
import {
  type BundleLine,
  type ChainEntry,
  type ChainEvent,
  ChainVerifier,
  type Checkpoint,
  canonicalArray,
  canonicalEvent,
  chainMac,
  checkpointLine,
  eventLine,
  formatChainTime,
  GENESIS_HASH,
  keyLine,
  linkHash,
  signCheckpoint,
  stableJson,
  verifyBundleLines,
  verifyBundleStream,
} from './index.ts';

const pair = generateSm2KeyPair();
const macKey = Buffer.alloc(32, 7);

function event(i: number, over: Partial<ChainEvent> = {}): ChainEvent {
  return {
    seq: i,
    id: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
    occurredAt: formatChainTime(new Date(Date.UTC(2026, 10, 26, 5, 0, i))),
    actorUserId: null,
    actorUsername: i % 2 ? 'zhang.san' : '李四',
    actingInstitutionId: null,
    action: i % 3 ? 'auth.login' : 'catalog.resource.update',
    targetType: 'data_resource',
    targetId: String(i),
    targetInstitutionId: null,
    outcome: 'success',
    ip: '10.0.0.1',
    requestId: null,
    details: { rows: i, nested: { b: 1, a: [1, 'x', null] } },
    ...over,
  };
}

function build(n: number, checkpointAt: number[] = []) {
  let hash: Buffer = GENESIS_HASH;
  const entries: ChainEntry[] = [];
  const checkpoints: Checkpoint[] = [];
  for (let p = 1; p <= n; p++) {
    const e = event(p);
    hash = linkHash(hash, p, e);
    entries.push({ position: p, hash, mac: chainMac(macKey, p, hash), event: e });
    if (checkpointAt.includes(p)) checkpoints.push(signCheckpoint(pair.privateKey, 1, { position: p, headHash: hash, signedAt: '2026-11-26T05:00:00.000Z' }));
  }
  return { entries, checkpoints };
}

const keys = new Map([[1, pair.publicKey]]);

function run(entries: ChainEntry[], checkpoints: Checkpoint[], withMac = true) {
  const v = new ChainVerifier({ anchor: { position: 0, hash: GENESIS_HASH }, keys, checkpoints, ...(withMac ? { macKey } : {}) });
  for (const e of entries) if (!v.push(e)) break;
  return v.finish();
}

describe('canonical encoding (AUD-2)', () => {
  it('does not depend on the key order of details, and differs for any field', () => {
    const a = event(1, { details: { b: 1, a: { y: 2, x: 1 } } });
    const b = event(1, { details: { a: { x: 1, y: 2 }, b: 1 } });
    expect(canonicalEvent(1, a).equals(canonicalEvent(1, b))).toBe(true);
    expect(stableJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
    for (const over of [{ action: 'x' }, { outcome: 'failure' }, { ip: null }, { details: { rows: 2 } }, { occurredAt: '2026-11-26T05:00:01.000001Z' }]) {
      expect(canonicalEvent(1, event(1, over)).equals(canonicalEvent(1, a))).toBe(false);
    }
    expect(canonicalEvent(2, a).equals(canonicalEvent(1, a))).toBe(false);
  });

  it('writes times as PostgreSQL stores them (microseconds, UTC)', () => {
    expect(formatChainTime(new Date('2026-11-26T13:45:01.123+08:00'))).toBe('2026-11-26T05:45:01.123000Z');
  });

  it("links are SM3(previous ‖ canonical event) as node's createHash('sm3') computes them (linkHash and the verifier use sm3-fast)", () => {
    let hash: Buffer = GENESIS_HASH;
    const v = new ChainVerifier({ anchor: { position: 0, hash: GENESIS_HASH }, keys, checkpoints: [] });
    const w = new ChainVerifier({ anchor: { position: 0, hash: GENESIS_HASH }, keys, checkpoints: [] });
    for (let p = 1; p <= 200; p++) {
      // Every 50th event carries up to 48 KB of CJK text: linkHash's reused buffer grows, and stays right after.
      const e = event(p, { details: { rows: p, pad: p % 50 === 0 ? '审计日志'.repeat(p * 20) : 'x'.repeat(p * 3) } });
      const expected = createHash('sm3').update(hash).update(canonicalEvent(p, e)).digest();
      expect(linkHash(hash, p, e).equals(expected), `position ${p}`).toBe(true);
      hash = expected;
      expect(v.push({ position: p, hash, event: e })).toBe(true);
      expect(w.pushEncoded(p, hash, Buffer.from(canonicalArray(p, e)))).toBe(true);
    }
    expect(v.finish()).toMatchObject({ ok: true, checkedEvents: 200, head: { hash: hash.toString('hex') } });
    expect(w.finish()).toMatchObject({ ok: true, checkedEvents: 200, head: { hash: hash.toString('hex') } });
  });
});

describe('ChainVerifier', () => {
  it('accepts an intact chain and verifies each checkpoint on the way', () => {
    const { entries, checkpoints } = build(50, [20, 50]);
    const out = run(entries, checkpoints);
    expect(out).toMatchObject({ ok: true, checkedEvents: 50, checkpointsVerified: 2, head: { position: 50 }, lastCheckpoint: { position: 50 } });
  });

  it('finds an edited event at its position', () => {
    const { entries, checkpoints } = build(30, [30]);
    (entries[11] as { event: ChainEvent }).event = event(12, { actorUsername: 'mallory' });
    expect(run(entries, checkpoints).problem).toMatchObject({ kind: 'hash_mismatch', position: 12 });
  });

  it('finds a recomputed chain by its MAC, and without the MAC key at the next checkpoint', () => {
    const { entries, checkpoints } = build(30, [10, 30]);
    let hash = entries[14]?.hash as Buffer;
    const forged = entries.map((e) => ({ ...e }));
    forged[15] = { ...forged[15], event: event(16, { outcome: 'denied' }) } as (typeof forged)[number];
    for (let p = 16; p <= 30; p++) {
      hash = linkHash(hash, p, forged[p - 1]?.event as ChainEvent);
      (forged[p - 1] as { hash: Buffer }).hash = hash;
    }
    expect(run(forged, checkpoints).problem).toMatchObject({ kind: 'mac_mismatch', position: 16 });
    expect(run(forged, checkpoints, false).problem).toMatchObject({ kind: 'checkpoint_mismatch', position: 30 });
  });

  it('finds gaps, missing events, truncation and forged signatures', () => {
    const { entries, checkpoints } = build(20, [20]);
    expect(run([...entries.slice(0, 5), ...entries.slice(6)], checkpoints).problem).toMatchObject({ kind: 'position_gap', position: 6 });
    expect(
      run(
        entries.map((e, i) => (i === 3 ? { ...e, event: null } : e)),
        checkpoints,
      ).problem,
    ).toMatchObject({ kind: 'missing_event', position: 4 });
    expect(run(entries.slice(0, 15), checkpoints).problem).toMatchObject({ kind: 'checkpoint_beyond_head', position: 16 });
    // One bit flipped (setting a byte to a fixed value left the signature intact when it already held it: 1 run in 256).
    const bad = checkpoints.map((c) => {
      const signature = Buffer.from(c.signature);
      signature[10] = (signature[10] as number) ^ 1;
      return { ...c, signature };
    });
    expect(run(entries, bad).problem?.kind).toBe('checkpoint_signature');
    const other = generateSm2KeyPair();
    const byOther = [signCheckpoint(other.privateKey, 1, { position: 20, headHash: entries[19]?.hash as Buffer, signedAt: '2026-11-26T05:00:00.000Z' })];
    expect(run(entries, byOther).problem?.kind).toBe('checkpoint_signature');
    expect(run(entries, [{ ...(checkpoints[0] as Checkpoint), keyVersion: 9 }]).problem?.kind).toBe('checkpoint_unknown_key');
  });

  it('finds swapped events', () => {
    const { entries, checkpoints } = build(10, [10]);
    const swapped = entries.map((e) => ({ ...e }));
    const a = swapped[3]?.event as ChainEvent;
    (swapped[3] as { event: ChainEvent }).event = swapped[6]?.event as ChainEvent;
    (swapped[6] as { event: ChainEvent }).event = a;
    expect(run(swapped, checkpoints).problem).toMatchObject({ kind: 'hash_mismatch', position: 4 });
  });
});

describe('export bundles (offline verification)', () => {
  function bundle(n: number, cps: number[]): string[] {
    const { entries, checkpoints } = build(n, cps);
    const lines: (BundleLine | string)[] = [
      {
        type: 'header',
        format: 'shuan-audit-bundle',
        version: 1,
        exportedAt: '2026-11-26T06:00:00.000Z',
        from: null,
        to: null,
        anchor: { position: 0, hash: GENESIS_HASH.toString('hex') },
      },
      keyLine(1, pair.publicKey),
      ...checkpoints.map(checkpointLine),
      ...entries.map((e) => eventLine(e.position, e.hash, e.event as ChainEvent)),
      { type: 'footer', events: n },
    ];
    return lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l)));
  }

  it('verifies an intact bundle and checks the published fingerprint', async () => {
    const lines = bundle(40, [25, 40]);
    const out = await verifyBundleLines(lines);
    expect(out).toMatchObject({ ok: true, checkedEvents: 40, checkpointsVerified: 2 });
    const fp = out.keys[0]?.fingerprint as string;
    expect((await verifyBundleLines(lines, { expectFingerprint: fp })).ok).toBe(true);
    expect((await verifyBundleLines(lines, { expectFingerprint: 'ab'.repeat(32) })).problem?.kind).toBe('key_fingerprint');
  });

  it('refuses edited, cut, uncovered and malformed bundles', async () => {
    const lines = bundle(40, [40]);
    expect(lines[10]).toMatch(/^E [0-9a-f]{64} \[8,/);
    const edited = lines.map((l, i) => (i === 10 ? l.replace('"success"', '"failure"') : l));
    expect((await verifyBundleLines(edited)).problem?.kind).toBe('hash_mismatch');
    expect((await verifyBundleLines(lines.slice(0, -1))).problem?.kind).toBe('bundle_truncated');
    expect((await verifyBundleLines(lines.filter((_, i) => i !== 20))).problem?.kind).toBe('position_gap');
    expect((await verifyBundleLines(bundle(40, [30]))).problem).toMatchObject({ kind: 'uncovered_tail', position: 31 });
    expect((await verifyBundleLines(['{not json'])).problem?.kind).toBe('bundle_malformed');
    expect((await verifyBundleLines([])).problem?.kind).toBe('bundle_malformed');
    expect((await verifyBundleLines([JSON.stringify({ type: 'header', format: 'x' })])).problem?.kind).toBe('bundle_malformed');
    expect((await verifyBundleLines(lines.map((l, i) => (i === 12 ? l.replace(/^E ([0-9a-f]{64}) \[10,/, 'E $1 [1x,') : l)))).problem?.kind).toBe(
      'bundle_malformed',
    );
    // Read as bytes from a stream cut anywhere, with CRLF line ends: the same answer.
    const text = `${lines.join('\r\n')}\r\n`;
    const cut = (t: string, size = 61) =>
      (async function* () {
        for (let i = 0; i < t.length; i += size) yield Buffer.from(t.slice(i, i + size), 'utf8');
      })();
    expect((await verifyBundleStream(cut(text, 97))).ok).toBe(true);
    expect((await verifyBundleStream(cut(text))).ok).toBe(true);
    expect((await verifyBundleStream(cut(text.replace('"success"', '"denied"')))).problem?.kind).toBe('hash_mismatch');
    expect((await verifyBundleStream(cut(text.slice(0, text.lastIndexOf('{"type":"footer"'))))).problem?.kind).toBe('bundle_truncated');
  });

  it('reads event lines as ranges of the chunk: any cut, a reused read buffer, stored hashes that are not lowercase hex', async () => {
    const lines = bundle(12, [12]);
    const text = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    // Like fs.read into one buffer: each chunk is overwritten once the next is asked for.
    const reused = (t: Buffer, size: number) =>
      (async function* () {
        const buf = Buffer.alloc(size);
        for (let i = 0; i < t.length; i += size) {
          const n = t.copy(buf, 0, i, i + size);
          yield buf.subarray(0, n);
          buf.fill(0x5a);
        }
      })();
    for (const size of [1, 2, 3, 7, 64, 65, 66, 67, 68, 100, 333, 4096]) {
      expect(await verifyBundleStream(reused(text, size)), `chunks of ${size}`).toMatchObject({ ok: true, checkedEvents: 12, checkpointsVerified: 1 });
    }
    const at = lines.findIndex((l) => l.startsWith('E '));
    const withHash = (h: (hex: string) => string) =>
      lines.map((l, i) => (i === at + 4 ? l.replace(/^E ([0-9a-f]{64})/, (_, hex: string) => `E ${h(hex)}`) : l));
    expect((await verifyBundleLines(withHash((h) => h.toUpperCase()))).problem).toMatchObject({ kind: 'bundle_malformed' });
    expect((await verifyBundleLines(withHash((h) => `${h.slice(0, 63)}g`))).problem).toMatchObject({ kind: 'bundle_malformed' });
    expect((await verifyBundleLines(withHash((h) => `${h.slice(0, 63)}${h[63] === '0' ? '1' : '0'}`))).problem).toMatchObject({
      kind: 'hash_mismatch',
      position: 5,
    });
    // An edit stops the chain at its position: the head stays the last trusted link.
    const edited = await verifyBundleLines(lines.map((l, i) => (i === at + 6 ? l.replace('"success"', '"failure"') : l)));
    expect(edited).toMatchObject({ ok: false, checkedEvents: 6, head: { position: 6 }, problem: { kind: 'hash_mismatch', position: 7 } });
    expect(edited.head?.hash).toBe(lines[at + 5]?.slice(2, 66));
  });
});
