// National cryptography (src/engines/gm) against OpenSSL on this machine, same work, same run:
// (a) the SM4 envelope (SM4-CTR + HMAC-SM3, seal then open) over a 64 MiB file, in memory and streamed
//     file to file, against `openssl enc -sm4-ctr` + `openssl dgst -sm3 -mac HMAC` (twice: seal and open)
//     + `openssl enc -d` as child processes on the same files; CPU seconds on both sides (Linux /proc for
//     the children), best of two rounds;
// (b) SM2 signatures with the standard user ID, and verifications, against `openssl speed -seconds 3 sm2`; both
//     sides in operations per CPU second (openssl speed's default measure), so a busy machine skews neither.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ChainVerifier } from '../src/engines/audit-chain/index.ts';
import {
  createOpenStream,
  createSealStream,
  type EnvelopeKey,
  generateSm2KeyPair,
  openEnvelope,
  sealEnvelope,
  sm2Sign,
  sm2Verify,
  sm3Kdf,
} from '../src/engines/gm/index.ts';
import { sm3Parts } from '../src/engines/gm/sm3-fast.ts';
import type { BenchResult } from './run.ts';

const MIB = 1024 * 1024;
const FILE_BYTES = 64 * MIB;

function result(name: string, description: string, ours: BenchResult['ours'], anchor: BenchResult['anchor'], checked: string): BenchResult {
  return { name, description, ours, anchor, ratio: ours.opsPerSecond / anchor.opsPerSecond, checked, node: process.version, at: new Date().toISOString() };
}

// CPU seconds (user + system) spent by this process in fn: what openssl speed reports, and robust to other
// work on a shared machine.
function seconds(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

async function secondsAsync(fn: () => Promise<void>): Promise<number> {
  const start = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

// CPU seconds of the child processes fn runs and waits for (Linux: cutime + cstime in /proc/self/stat).
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
function childTicks(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return Number(fields[13]) + Number(fields[14]);
}
function childSeconds(fn: () => void): number {
  const start = childTicks();
  fn();
  return (childTicks() - start) / CLK_TCK;
}

function workingKeys(secret: Buffer, suite: 'ONESHOT' | 'FRAMED') {
  const z = (part: string) => Buffer.concat([secret, Buffer.from(`SA1|${suite}|${part}`)]);
  return { encKey: sm3Kdf(z('SM4-CTR'), 16), macKey: sm3Kdf(z('HMAC-SM3'), 32) };
}

async function envelopeBench(dir: string): Promise<BenchResult[]> {
  const key: EnvelopeKey = { id: 'bench-key', secret: randomBytes(32) };
  const resolve = () => key;
  const aad = Buffer.from('dataset:bench');
  const plain = randomBytes(FILE_BYTES);
  const file = (n: string) => join(dir, n);
  writeFileSync(file('plain'), plain);

  const headerLen = 5 + key.id.length;
  const { encKey, macKey } = workingKeys(key.secret, 'ONESHOT');
  const len = Buffer.alloc(8);
  len.writeBigUInt64BE(BigInt(aad.length));
  const ossl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, maxBuffer: 1024 });
  const mac = () =>
    ossl('dgst', '-sm3', '-mac', 'HMAC', '-macopt', `hexkey:${macKey.toString('hex')}`, 'macinput')
      .toString()
      .trim()
      .split('= ')[1];

  // CPU seconds (ours: this process; openssl: its child processes), best of two interleaved rounds.
  let env: Buffer = Buffer.alloc(0);
  let opened: Buffer = Buffer.alloc(0);
  let tags: string[] = [];
  let oursBuffer = Number.POSITIVE_INFINITY;
  let oursStream = Number.POSITIVE_INFINITY;
  let anchor = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 2; round++) {
    // Ours, in memory: one envelope over the whole buffer.
    oursBuffer = Math.min(
      oursBuffer,
      seconds(() => {
        env = sealEnvelope(key, plain, aad);
        opened = openEnvelope(resolve, env, aad);
      }),
    );
    // Ours, streamed file to file in 64 KiB frames.
    oursStream = Math.min(
      oursStream,
      await secondsAsync(async () => {
        await pipeline(createReadStream(file('plain')), createSealStream(key, { aad }), createWriteStream(file('sealed')));
        await pipeline(createReadStream(file('sealed')), createOpenStream(resolve, { aad }), createWriteStream(file('opened')));
      }),
    );
    // OpenSSL doing the same work on the same bytes, with the envelope's key and IV: encrypt, MAC the
    // envelope's MAC input (seal), MAC it again (open), decrypt.
    const iv = env.subarray(headerLen, headerLen + 16);
    writeFileSync(file('macinput'), Buffer.concat([env.subarray(0, env.length - 32), aad, len]));
    anchor = Math.min(
      anchor,
      childSeconds(() => {
        ossl('enc', '-sm4-ctr', '-K', encKey.toString('hex'), '-iv', iv.toString('hex'), '-in', 'plain', '-out', 'ossl-ct');
        tags = [mac(), mac()];
        ossl('enc', '-d', '-sm4-ctr', '-K', encKey.toString('hex'), '-iv', iv.toString('hex'), '-in', 'ossl-ct', '-out', 'ossl-pt');
      }),
    );
  }

  // Same results: OpenSSL's ciphertext and tag equal the envelope's; both round trips give the input back.
  const osslCt = readFileSync(file('ossl-ct'));
  const sameCt = osslCt.equals(env.subarray(headerLen + 16, env.length - 32));
  const sameTag = tags[0] === env.subarray(env.length - 32).toString('hex');
  const roundTrips = opened.equals(plain) && readFileSync(file('ossl-pt')).equals(plain) && readFileSync(file('opened')).equals(plain);
  // The stream's frames carry one SM4-CTR keystream: their ciphertext is what openssl enc gives with the stream's key and IV.
  const sealed = readFileSync(file('sealed'));
  const sHeader = headerLen + 4;
  const sKeys = workingKeys(key.secret, 'FRAMED');
  const sIv = sealed.subarray(sHeader, sHeader + 16);
  const frames: Buffer[] = [];
  for (let off = sHeader + 16; off < sealed.length; off += 64 * 1024 + 32) frames.push(sealed.subarray(off, Math.min(off + 64 * 1024, sealed.length - 32)));
  ossl('enc', '-sm4-ctr', '-K', sKeys.encKey.toString('hex'), '-iv', sIv.toString('hex'), '-in', 'plain', '-out', 'ossl-sct');
  const sameStreamCt = Buffer.concat(frames).equals(readFileSync(file('ossl-sct')));
  const checked =
    sameCt && sameTag && roundTrips && sameStreamCt
      ? 'same SM4-CTR ciphertext and HMAC-SM3 tag as openssl; all round trips return the 64 MiB input'
      : `MISMATCH: ciphertext ${sameCt}, tag ${sameTag}, round trips ${roundTrips}, stream ciphertext ${sameStreamCt}`;

  const mibs = (s: number) => FILE_BYTES / MIB / s;
  const anchorSide = { label: 'openssl enc -sm4-ctr + 2× dgst -sm3 HMAC + enc -d (child processes, files; CPU time)', opsPerSecond: mibs(anchor) };
  const description = 'SM4-CTR + HMAC-SM3 envelope: seal then open 64 MiB; ops = MiB/s of plaintext';
  return [
    result(
      'gm-envelope-buffer',
      description,
      { label: 'sealEnvelope + openEnvelope (in memory; CPU time)', opsPerSecond: mibs(oursBuffer) },
      anchorSide,
      checked,
    ),
    result(
      'gm-envelope-stream',
      description,
      { label: 'createSealStream + createOpenStream (file to file, 64 KiB frames; CPU time)', opsPerSecond: mibs(oursStream) },
      anchorSide,
      checked,
    ),
  ];
}

// Operations per CPU second of this process (user + system), the measure `openssl speed` reports by default,
// so that other work on a shared machine slows neither side's figure.
function cpuOps(fn: () => void, minCpuMs: number): number {
  fn();
  let ops = 0;
  const start = process.cpuUsage();
  let cpuMs = 0;
  while (cpuMs < minCpuMs) {
    fn();
    ops++;
    const used = process.cpuUsage(start);
    cpuMs = (used.user + used.system) / 1000;
  }
  return (ops * 1000) / cpuMs;
}

function sm2Bench(dir: string): BenchResult[] {
  const pair = generateSm2KeyPair();
  const msg = randomBytes(32);
  const ossl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

  // Same results: OpenSSL verifies our signature with the standard distid; we verify OpenSSL's.
  writeFileSync(join(dir, 'key.pem'), pair.privateKeyPem);
  writeFileSync(join(dir, 'pub.pem'), pair.publicKeyPem);
  writeFileSync(join(dir, 'msg'), msg);
  writeFileSync(join(dir, 'sig'), sm2Sign(pair.privateKey, msg));
  let osslVerifies = true;
  try {
    ossl('dgst', '-sm3', '-verify', 'pub.pem', '-sigopt', 'distid:1234567812345678', '-signature', 'sig', 'msg');
  } catch {
    osslVerifies = false;
  }
  ossl('dgst', '-sm3', '-sign', 'key.pem', '-sigopt', 'distid:1234567812345678', '-out', 'osig', 'msg');
  const weVerify = sm2Verify(pair.publicKey, msg, readFileSync(join(dir, 'osig')));
  const checked =
    osslVerifies && weVerify
      ? 'openssl dgst -sm3 -sigopt distid:1234567812345678 verifies our signature and we verify its'
      : `MISMATCH: openssl verifies ours ${osslVerifies}, we verify openssl's ${weVerify}`;

  const signs = cpuOps(() => sm2Sign(pair.privateKey, msg), 3000);
  const sig = sm2Sign(pair.privateKey, msg);
  const warm = cpuOps(() => sm2Verify(pair.publicKey, msg, sig), 3000);
  // Cold: every verification with a key seen for the first time (no per-key table).
  const pool = Array.from({ length: 300 }, () => {
    const p = generateSm2KeyPair();
    return { pub: p.publicKeyRaw, sig: sm2Sign(p.privateKey, msg) };
  });
  const coldStart = process.cpuUsage();
  for (const { pub, sig } of pool) sm2Verify(pub, msg, sig);
  const coldCpu = process.cpuUsage(coldStart);
  const cold = (pool.length * 1e6) / (coldCpu.user + coldCpu.system);

  const speed = ossl('speed', '-seconds', '3', 'sm2').toString();
  const m = /SM2 \(CurveSM2\)\s+[\d.]+s\s+[\d.]+s\s+([\d.]+)\s+([\d.]+)/.exec(speed);
  if (!m) throw new Error(`could not parse openssl speed sm2 output:\n${speed}`);
  const osslSign = Number(m[1]);
  const osslVerify = Number(m[2]);
  return [
    result(
      'gm-sm2-sign',
      'SM2 signature of a 32-byte message with Z from the default user ID (ours includes SM3(Z‖M); openssl speed signs a ready digest)',
      { label: 'sm2Sign (k·G by OpenSSL ECDH, hedged RFC 6979 nonce; CPU time)', opsPerSecond: signs },
      { label: 'openssl speed -seconds 3 sm2 (sign/s, CPU time)', opsPerSecond: osslSign },
      checked,
    ),
    result(
      'gm-sm2-verify',
      'SM2 verification, key used repeatedly (its precomputed table built)',
      { label: 'sm2Verify, warm key (CPU time)', opsPerSecond: warm },
      { label: 'openssl speed -seconds 3 sm2 (verify/s, CPU time)', opsPerSecond: osslVerify },
      checked,
    ),
    result(
      'gm-sm2-verify-cold',
      'SM2 verification, each of 300 keys verified once (raw public key bytes, no per-key table: wNAF)',
      { label: 'sm2Verify, cold key (CPU time)', opsPerSecond: cold },
      { label: 'openssl speed -seconds 3 sm2 (verify/s, CPU time)', opsPerSecond: osslVerify },
      checked,
    ),
  ];
}

// (c) `npm run bench -- sm3`: SM3 over many small messages (issue 6: the audit chain hashes, per event,
//     SM3(previous hash ‖ "SHUAN-AUDIT-EVENT-v1\n" ‖ event)). sm3Parts (sm3-fast.ts, pure TypeScript, no
//     allocation per message) against createHash('sm3') per message, on a chain of 60,000 messages of 250–450
//     bytes (350 on average); both, and the chain verifier built on sm3Parts, against `openssl dgst -sm3` over
//     one 64 MiB file (a child process; its CPU time). CPU seconds of this process on our side, best of rounds.
const SM3_MESSAGES = 60_000;
const SM3_FILE_BYTES = 64 * MIB;
const SM3_PREFIX = Buffer.from('SHUAN-AUDIT-EVENT-v1\n');

export function sm3Bench(): BenchResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'shuan-sm3-bench-'));
  try {
    // Event bytes of 197–397 bytes, so that previous hash ‖ prefix ‖ event is 250–450 bytes, 350 on average.
    const events = Array.from({ length: SM3_MESSAGES }, (_, i) => randomBytes(197 + ((i * 7919) % 201)));
    let messageBytes = 0;
    for (const e of events) messageBytes += 32 + SM3_PREFIX.length + e.length;

    // The chain the verifier walks: hash(p) = SM3(hash(p-1) ‖ prefix ‖ event p), by createHash, one call per link.
    const byNode = (keep?: Buffer[]): Buffer => {
      let prev = Buffer.alloc(32);
      for (const e of events) {
        prev = createHash('sm3').update(prev).update(SM3_PREFIX).update(e).digest();
        keep?.push(prev);
      }
      return prev;
    };
    const hashes: Buffer[] = [];
    const nodeHead = byNode(hashes).toString('hex');
    // The same chain by sm3Parts into two alternating preallocated outputs (what ChainVerifier does).
    const byParts = (): string => {
      let prev = new Uint8Array(32);
      let next = new Uint8Array(32);
      for (const e of events) {
        sm3Parts([prev, SM3_PREFIX, e], next);
        const done = next;
        next = prev;
        prev = done;
      }
      return Buffer.from(prev).toString('hex');
    };
    let nodeSame = true;
    let partsSame = true;
    let verifiedOk = true;
    let nodeSeconds = Number.POSITIVE_INFINITY;
    let partsSeconds = Number.POSITIVE_INFINITY;
    let verifySeconds = Number.POSITIVE_INFINITY;
    // Ours first in each round: createHash's garbage (a Hash object and a Buffer per message) is then
    // collected in its own measurement, not in ours.
    for (let round = 0; round < 5; round++) {
      partsSeconds = Math.min(
        partsSeconds,
        seconds(() => {
          partsSame &&= byParts() === nodeHead;
        }),
      );
      verifySeconds = Math.min(
        verifySeconds,
        seconds(() => {
          const v = new ChainVerifier({ anchor: { position: 0, hash: Buffer.alloc(32) }, keys: new Map(), checkpoints: [] });
          for (let i = 0; i < events.length; i++) v.pushEncoded(i + 1, hashes[i], events[i]);
          const outcome = v.finish();
          verifiedOk &&= outcome.ok && outcome.checkedEvents === SM3_MESSAGES && outcome.head?.hash === nodeHead;
        }),
      );
      nodeSeconds = Math.min(
        nodeSeconds,
        seconds(() => {
          nodeSame &&= byNode().toString('hex') === nodeHead;
        }),
      );
    }

    // One large input: sm3Parts in this process, openssl dgst -sm3 as a child process on the same bytes.
    const big = randomBytes(SM3_FILE_BYTES);
    const file = join(dir, 'big');
    writeFileSync(file, big);
    let bigHex = '';
    let osslHex = '';
    let bigSeconds = Number.POSITIVE_INFINITY;
    let osslSeconds = Number.POSITIVE_INFINITY;
    for (let round = 0; round < 3; round++) {
      bigSeconds = Math.min(
        bigSeconds,
        seconds(() => (bigHex = Buffer.from(sm3Parts([big])).toString('hex'))),
      );
      osslSeconds = Math.min(
        osslSeconds,
        childSeconds(() => {
          osslHex = execFileSync('openssl', ['dgst', '-sm3', file]).toString().trim().split('= ')[1];
        }),
      );
    }

    const sameChain = partsSame && nodeSame;
    const sameBig = bigHex === osslHex && bigHex === createHash('sm3').update(big).digest('hex');
    const checked =
      sameChain && sameBig && verifiedOk
        ? `sm3Parts gives createHash('sm3')'s chain head over ${SM3_MESSAGES} links and openssl's digest of 64 MiB; ChainVerifier.pushEncoded verifies the chain`
        : `MISMATCH: chain head ${sameChain}, 64 MiB digest ${sameBig}, verifier ${verifiedOk}`;
    const mibs = (bytes: number, s: number) => bytes / MIB / s;
    const small = `${SM3_MESSAGES} chained messages of 250–450 bytes (prev hash ‖ prefix ‖ event); ops = MiB/s of message bytes`;
    const partsSide = { label: 'sm3Parts per message (CPU time)', opsPerSecond: mibs(messageBytes, partsSeconds) };
    const osslSide = { label: 'openssl dgst -sm3 over a 64 MiB file (child process, CPU time)', opsPerSecond: mibs(SM3_FILE_BYTES, osslSeconds) };
    return [
      result(
        'gm-sm3-small',
        `SM3 of ${small}`,
        partsSide,
        { label: "createHash('sm3') per message: update ×3 + digest (CPU time)", opsPerSecond: mibs(messageBytes, nodeSeconds) },
        checked,
      ),
      result('gm-sm3-small-vs-openssl', `SM3 of ${small}, against openssl hashing one large file (issue 6 goal: ≥ 0.5)`, partsSide, osslSide, checked),
      result(
        'gm-sm3-chain-verify',
        `ChainVerifier.pushEncoded over the same ${SM3_MESSAGES} links (what verify-bundle does per event line), against openssl over one large file`,
        { label: 'ChainVerifier.pushEncoded (CPU time)', opsPerSecond: mibs(messageBytes, verifySeconds) },
        osslSide,
        checked,
      ),
      result(
        'gm-sm3-large',
        'SM3 of one 64 MiB input; ops = MiB/s',
        { label: 'sm3Parts over a 64 MiB buffer (CPU time)', opsPerSecond: mibs(SM3_FILE_BYTES, bigSeconds) },
        osslSide,
        checked,
      ),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function gmBench(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'shuan-gm-bench-'));
  try {
    return [...(await envelopeBench(dir)), ...sm2Bench(dir)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
