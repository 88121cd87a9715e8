// AUD-2: the export bundle a regulator verifies offline. One record per line, in this order: one header, the
// public keys, the checkpoints of the range (JSON objects), the events in chain order, one footer (its count
// catches a cut file). An event line is `E <hash hex> <canonical array>`: the array is JSON (position, id,
// time, actor, action, target, outcome, ip, request id, details) and its bytes are exactly what was hashed
// after the prefix "SHUAN-AUDIT-EVENT-v1\n", so a verifier hashes the line as read, with no re-encoding:
// the fields a regulator reads are the hashed bytes themselves, so they cannot disagree with the chain.
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

/** Two ASCII characters read as one big-endian 16-bit value → the byte they spell in lowercase hex, or -1. */
const HEX_PAIR = new Int16Array(65536).fill(-1);
for (let i = 0; i < 256; i++) HEX_PAIR[('0123456789abcdef'.charCodeAt(i >> 4) << 8) | '0123456789abcdef'.charCodeAt(i & 15)] = i;

/**
 * 64 lowercase hex digits at `from` decoded into 8 big-endian words (no string, no bytes), two digits per
 * lookup; null when they are not hex.
 */
function hexWordsInto(view: DataView, from: number, out: Int32Array): Int32Array | null {
  let bad = 0;
  for (let k = 0, p = from; k < 8; k++, p += 8) {
    const b0 = HEX_PAIR[view.getUint16(p)] as number;
    const b1 = HEX_PAIR[view.getUint16(p + 2)] as number;
    const b2 = HEX_PAIR[view.getUint16(p + 4)] as number;
    const b3 = HEX_PAIR[view.getUint16(p + 6)] as number;
    bad |= b0 | b1 | b2 | b3;
    out[k] = (b0 << 24) | (b1 << 16) | (b2 << 8) | b3;
  }
  return bad < 0 ? null : out;
}
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
  const reader = new BundleReader(opts);
  for await (const raw of lines) {
    const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    const early = reader.line(bytes, viewOf(bytes), 0, bytes.length);
    if (early) return early;
  }
  return reader.finish();
}

/**
 * Verifies a bundle from its bytes (a file stream): lines are found with indexOf(0x0a) and checked
 * synchronously in the chunk they were read into, as ranges of it (one DataView per chunk, no copy per line);
 * only a line cut by a chunk boundary is copied, joined with its end from the next chunk.
 */
export async function verifyBundleStream(chunks: AsyncIterable<Buffer | string>, opts: { expectFingerprint?: string } = {}): Promise<BundleOutcome> {
  const reader = new BundleReader(opts);
  /** The start of a line cut by the chunk boundary (every part since its last newline). */
  let rest: Buffer[] = [];
  const lineEnd = (data: Buffer, nl: number, start: number) => (nl > start && data[nl - 1] === 0x0d ? nl - 1 : nl);
  for await (const chunk of chunks) {
    const data: Buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    let nl = data.indexOf(0x0a);
    if (rest.length > 0) {
      if (nl === -1) {
        rest.push(Buffer.from(data));
        continue;
      }
      const joined = Buffer.concat([...rest, data.subarray(0, nl + 1)]);
      rest = [];
      const early = reader.line(joined, viewOf(joined), 0, lineEnd(joined, joined.length - 1, 0));
      if (early) return early;
      start = nl + 1;
      nl = data.indexOf(0x0a, start);
    }
    const view = viewOf(data);
    for (; nl !== -1; nl = data.indexOf(0x0a, start)) {
      const early = reader.line(data, view, start, lineEnd(data, nl, start));
      if (early) return early;
      start = nl + 1;
    }
    // The stream may reuse its buffer for the next chunk: keep a copy of the unfinished line.
    if (start < data.length) rest.push(Buffer.from(data.subarray(start)));
  }
  if (rest.length > 0) {
    const last = Buffer.concat(rest);
    const early = reader.line(last, viewOf(last), 0, last.length);
    if (early) return early;
  }
  return reader.finish();
}

const viewOf = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** One bundle's reading state: `line` for each line in order (an outcome when the bundle is malformed), then `finish`. */
class BundleReader {
  private header: Extract<BundleLine, { type: 'header' }> | null = null;
  private readonly keys = new Map<number, Sm2PublicKey>();
  private readonly keyList: { version: number; fingerprint: string }[] = [];
  private readonly checkpoints: Checkpoint[] = [];
  private verifier: ChainVerifier | null = null;
  private events = 0;
  private footer: number | null = null;
  private lineNo = 0;
  /** The stored hash of the event line being checked, as words (only compared, never kept). */
  private readonly stored = new Int32Array(8);

  constructor(private readonly opts: { expectFingerprint?: string }) {}

  private malformed(zh: string, en: string): BundleOutcome {
    const v = this.verifier ?? new ChainVerifier({ anchor: { position: 0, hash: Buffer.alloc(32) }, keys: this.keys, checkpoints: [] });
    v.fail({ kind: 'bundle_malformed', position: null, zh: `第 ${this.lineNo} 行：${zh}`, en: `line ${this.lineNo}: ${en}` });
    return { ...v.finish(), keys: this.keyList, from: this.header?.from ?? null, to: this.header?.to ?? null, exportedAt: this.header?.exportedAt ?? null };
  }

  /** The line data[start, end) (without its newline); `view` is a DataView over `data`. */
  line(data: Buffer, view: DataView, start: number, end: number): BundleOutcome | null {
    this.lineNo++;
    if (end === start) return null;
    const header = this.header;
    if (data[start] === E && data[start + 1] === SPACE) {
      // The event fast path: position from the array's first element, the hash, the array's bytes.
      if (!header || this.footer !== null) return this.malformed('事件行位置不对', 'an event line out of place');
      if (end - start < 70 || data[start + 66] !== SPACE || data[start + 67] !== OPEN) return this.malformed('事件行格式无效', 'invalid event line');
      const stored = hexWordsInto(view, start + 2, this.stored);
      let position = 0;
      let i = start + 68;
      for (; i < end && data[i] !== COMMA; i++) {
        const d = (data[i] as number) - 0x30;
        if (d < 0 || d > 9 || i > start + 84) return this.malformed('事件行位置无效', 'invalid event position');
        position = position * 10 + d;
      }
      if (!stored || i === start + 68 || i >= end) return this.malformed('事件行格式无效', 'invalid event line');
      this.verifier ??= new ChainVerifier({
        anchor: { position: header.anchor.position, hash: Buffer.from(header.anchor.hash, 'hex') },
        keys: this.keys,
        checkpoints: this.checkpoints,
      });
      this.events++;
      this.verifier.pushEncodedRange(position, stored, data, view, start + 67, end);
      return null;
    }
    const bytes = data.subarray(start, end);
    let line: BundleLine;
    try {
      line = JSON.parse(bytes.toString('utf8')) as BundleLine;
    } catch {
      return this.malformed('不是有效的 JSON', 'not valid JSON');
    }
    if (!line || typeof line !== 'object') return this.malformed('不是记录', 'not a record');
    if (this.footer !== null) return this.malformed('结束行之后还有内容', 'content after the footer');
    if (!header) {
      if (line.type !== 'header' || line.format !== BUNDLE_FORMAT) return this.malformed('不是数安审计导出包', 'not a Shu’an audit bundle');
      if (line.version !== BUNDLE_VERSION) return this.malformed(`不支持的版本 ${line.version}`, `unsupported version ${line.version}`);
      const anchorHash = hex(line.anchor?.hash, 32);
      if (!anchorHash || !Number.isInteger(line.anchor?.position)) return this.malformed('起点无效', 'invalid anchor');
      this.header = line;
      return null;
    }
    switch (line.type) {
      case 'key': {
        if (this.verifier) return this.malformed('密钥行须在事件之前', 'keys must come before events');
        let key: Sm2PublicKey;
        try {
          key = importSm2PublicKey(line.publicKey);
        } catch {
          return this.malformed('公钥无效', 'invalid public key');
        }
        this.keys.set(line.version, key);
        this.keyList.push({ version: line.version, fingerprint: keyFingerprint(key) });
        return null;
      }
      case 'checkpoint': {
        if (this.verifier) return this.malformed('检查点行须在事件之前', 'checkpoints must come before events');
        const headHash = hex(line.headHash, 32);
        const signature = hex(line.signature);
        if (!headHash || !signature || !Number.isInteger(line.position)) return this.malformed('检查点无效', 'invalid checkpoint');
        this.checkpoints.push({ position: line.position, headHash, signedAt: line.signedAt, keyVersion: line.keyVersion, signature });
        return null;
      }
      case 'footer':
        this.footer = line.events;
        return null;
      default:
        return this.malformed('未知的行类型', 'unknown line type');
    }
  }

  finish(): BundleOutcome {
    const header = this.header;
    if (!header) {
      this.lineNo = 0;
      return this.malformed('文件为空', 'the file is empty');
    }
    const v =
      this.verifier ??
      new ChainVerifier({
        anchor: { position: header.anchor.position, hash: Buffer.from(header.anchor.hash, 'hex') },
        keys: this.keys,
        checkpoints: this.checkpoints,
      });
    const { footer, events } = this;
    if (footer === null || footer !== events) {
      v.fail({
        kind: 'bundle_truncated',
        position: null,
        zh: `导出包不完整：结束行${footer === null ? '缺失' : `记录 ${footer} 条，实有 ${events} 条`}`,
        en: `the bundle is incomplete: ${footer === null ? 'no footer' : `footer says ${footer} events, found ${events}`}`,
      });
    }
    if (this.opts.expectFingerprint) {
      const want = this.opts.expectFingerprint.toLowerCase();
      if (!this.keyList.some((k) => k.fingerprint === want) || this.checkpoints.some((c) => keyFingerprintOf(this.keys, c.keyVersion) !== want)) {
        v.fail({ kind: 'key_fingerprint', position: null, zh: '签名密钥与公布的指纹不符', en: 'the signing key does not match the published fingerprint' });
      }
    }
    return { ...v.finish({ requireCoverage: true }), keys: this.keyList, from: header.from, to: header.to, exportedAt: header.exportedAt };
  }
}

function keyFingerprintOf(keys: ReadonlyMap<number, Sm2PublicKey>, version: number): string | null {
  const k = keys.get(version);
  return k ? keyFingerprint(k) : null;
}
