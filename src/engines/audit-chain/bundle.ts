// AUD-2: the export bundle a regulator verifies offline. One record per line, in this order: one header, the
// public keys, the checkpoints of the range (JSON objects), the events in chain order, one footer (its count
// catches a cut file). An event line is `E <hash hex> <canonical array>`: the array is JSON (position, id,
// time, actor, action, target, outcome, ip, request id, details) and its bytes are exactly what was hashed
// after the prefix "SHUAN-AUDIT-EVENT-v1\n", so a verifier hashes the line as read, with no re-encoding.
// The bundle's last event is always covered by a signed checkpoint (the export signs one if needed).
import { importSm2PublicKey, type Sm2PublicKey } from '../gm/index.ts';
import { type ChainEvent, canonicalArray } from './canonical.ts';
import { type Checkpoint, keyFingerprint } from './checkpoint.ts';
import { ChainVerifier, type VerifyOutcome } from './verify.ts';

export const BUNDLE_FORMAT = 'shuan-audit-bundle';
export const BUNDLE_VERSION = 1;

export type BundleLine =
  | { type: 'header'; format: string; version: number; exportedAt: string; from: string | null; to: string | null; anchor: { position: number; hash: string } }
  | { type: 'key'; version: number; publicKey: string; fingerprint: string }
  | { type: 'checkpoint'; position: number; headHash: string; signedAt: string; keyVersion: number; signature: string }
  | { type: 'footer'; events: number };

/** An event line: `E <hash hex> <canonical array>`. */
export function eventLine(position: number, hash: Buffer, event: ChainEvent): string {
  return `E ${hash.toString('hex')} ${canonicalArray(position, event)}`;
}

const E = 0x45;
const SPACE = 0x20;
const OPEN = 0x5b;
const COMMA = 0x2c;

/** Splits a byte stream into lines without decoding it (CRLF tolerated). */
export async function* byteLines(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  let rest: Buffer | null = null;
  for await (const chunk of chunks) {
    const buf: Buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const data: Buffer = rest ? Buffer.concat([rest, buf]) : buf;
    let start = 0;
    for (let nl = data.indexOf(0x0a, start); nl !== -1; nl = data.indexOf(0x0a, start)) {
      yield data.subarray(start, nl > start && data[nl - 1] === 0x0d ? nl - 1 : nl);
      start = nl + 1;
    }
    rest = start < data.length ? Buffer.from(data.subarray(start)) : null;
  }
  if (rest?.length) yield rest;
}

export function checkpointLine(c: Checkpoint): BundleLine {
  return {
    type: 'checkpoint',
    position: c.position,
    headHash: c.headHash.toString('hex'),
    signedAt: c.signedAt,
    keyVersion: c.keyVersion,
    signature: c.signature.toString('hex'),
  };
}

export function keyLine(version: number, key: Sm2PublicKey): BundleLine {
  return { type: 'key', version, publicKey: key.toPem(), fingerprint: keyFingerprint(key) };
}

export interface BundleOutcome extends VerifyOutcome {
  keys: { version: number; fingerprint: string }[];
  from: string | null;
  to: string | null;
  exportedAt: string | null;
}

const HEX = /^[0-9a-f]*$/;
const hex = (v: unknown, bytes?: number): Buffer | null =>
  typeof v === 'string' && HEX.test(v) && v.length % 2 === 0 && (bytes === undefined || v.length === bytes * 2) ? Buffer.from(v, 'hex') : null;

/**
 * Verifies a bundle from its lines. `expectFingerprint`: the key fingerprint the authority published; a
 * bundle signed with any other key fails even if it is internally consistent.
 */
export async function verifyBundleLines(
  lines: AsyncIterable<string | Buffer> | Iterable<string | Buffer>,
  opts: { expectFingerprint?: string } = {},
): Promise<BundleOutcome> {
  let header: Extract<BundleLine, { type: 'header' }> | null = null;
  const keys = new Map<number, Sm2PublicKey>();
  const keyList: { version: number; fingerprint: string }[] = [];
  const checkpoints: Checkpoint[] = [];
  let verifier: ChainVerifier | null = null;
  let events = 0;
  let footer: number | null = null;
  let lineNo = 0;
  const malformed = (zh: string, en: string): BundleOutcome => {
    const v = verifier ?? new ChainVerifier({ anchor: { position: 0, hash: Buffer.alloc(32) }, keys, checkpoints: [] });
    v.fail({ kind: 'bundle_malformed', position: null, zh: `第 ${lineNo} 行：${zh}`, en: `line ${lineNo}: ${en}` });
    return { ...v.finish(), keys: keyList, from: header?.from ?? null, to: header?.to ?? null, exportedAt: header?.exportedAt ?? null };
  };
  for await (const raw of lines) {
    lineNo++;
    const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    if (bytes.length === 0) continue;
    if (bytes[0] === E && bytes[1] === SPACE) {
      // The event fast path: position from the array's first element, the hash, the array's bytes.
      if (!header || footer !== null) return malformed('事件行位置不对', 'an event line out of place');
      if (bytes.length < 70 || bytes[66] !== SPACE || bytes[67] !== OPEN) return malformed('事件行格式无效', 'invalid event line');
      const hash = hex(bytes.toString('latin1', 2, 66), 32);
      let position = 0;
      let i = 68;
      for (; i < bytes.length && bytes[i] !== COMMA; i++) {
        const d = (bytes[i] as number) - 0x30;
        if (d < 0 || d > 9 || i > 84) return malformed('事件行位置无效', 'invalid event position');
        position = position * 10 + d;
      }
      if (!hash || i === 68 || i >= bytes.length) return malformed('事件行格式无效', 'invalid event line');
      verifier ??= new ChainVerifier({
        anchor: { position: header.anchor.position, hash: Buffer.from(header.anchor.hash, 'hex') },
        keys,
        checkpoints,
      });
      events++;
      verifier.pushEncoded(position, hash, bytes.subarray(67));
      continue;
    }
    let line: BundleLine;
    try {
      line = JSON.parse(bytes.toString('utf8')) as BundleLine;
    } catch {
      return malformed('不是有效的 JSON', 'not valid JSON');
    }
    if (!line || typeof line !== 'object') return malformed('不是记录', 'not a record');
    if (footer !== null) return malformed('结束行之后还有内容', 'content after the footer');
    if (!header) {
      if (line?.type !== 'header' || line.format !== BUNDLE_FORMAT) return malformed('不是数安审计导出包', 'not a Shu’an audit bundle');
      if (line.version !== BUNDLE_VERSION) return malformed(`不支持的版本 ${line.version}`, `unsupported version ${line.version}`);
      const anchorHash = hex(line.anchor?.hash, 32);
      if (!anchorHash || !Number.isInteger(line.anchor?.position)) return malformed('起点无效', 'invalid anchor');
      header = line;
      continue;
    }
    switch (line.type) {
      case 'key': {
        if (verifier) return malformed('密钥行须在事件之前', 'keys must come before events');
        let key: Sm2PublicKey;
        try {
          key = importSm2PublicKey(line.publicKey);
        } catch {
          return malformed('公钥无效', 'invalid public key');
        }
        keys.set(line.version, key);
        keyList.push({ version: line.version, fingerprint: keyFingerprint(key) });
        break;
      }
      case 'checkpoint': {
        if (verifier) return malformed('检查点行须在事件之前', 'checkpoints must come before events');
        const headHash = hex(line.headHash, 32);
        const signature = hex(line.signature);
        if (!headHash || !signature || !Number.isInteger(line.position)) return malformed('检查点无效', 'invalid checkpoint');
        checkpoints.push({ position: line.position, headHash, signedAt: line.signedAt, keyVersion: line.keyVersion, signature });
        break;
      }
      case 'footer':
        footer = line.events;
        break;
      default:
        return malformed('未知的行类型', 'unknown line type');
    }
  }
  if (!header) {
    lineNo = 0;
    return malformed('文件为空', 'the file is empty');
  }
  const v = verifier ?? new ChainVerifier({ anchor: { position: header.anchor.position, hash: Buffer.from(header.anchor.hash, 'hex') }, keys, checkpoints });
  if (footer === null || footer !== events) {
    v.fail({
      kind: 'bundle_truncated',
      position: null,
      zh: `导出包不完整：结束行${footer === null ? '缺失' : `记录 ${footer} 条，实有 ${events} 条`}`,
      en: `the bundle is incomplete: ${footer === null ? 'no footer' : `footer says ${footer} events, found ${events}`}`,
    });
  }
  if (opts.expectFingerprint) {
    const want = opts.expectFingerprint.toLowerCase();
    if (!keyList.some((k) => k.fingerprint === want) || checkpoints.some((c) => keyFingerprintOf(keys, c.keyVersion) !== want)) {
      v.fail({ kind: 'key_fingerprint', position: null, zh: '签名密钥与公布的指纹不符', en: 'the signing key does not match the published fingerprint' });
    }
  }
  return { ...v.finish({ requireCoverage: true }), keys: keyList, from: header.from, to: header.to, exportedAt: header.exportedAt };
}

function keyFingerprintOf(keys: ReadonlyMap<number, Sm2PublicKey>, version: number): string | null {
  const k = keys.get(version);
  return k ? keyFingerprint(k) : null;
}
