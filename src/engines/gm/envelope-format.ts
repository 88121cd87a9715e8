// The binary layout shared by the one-shot envelope (envelope.ts) and the framed stream
// (envelope-stream.ts), and the derivation of their working keys. PRT-5, FZ-12.
//
// Header (both forms):
//   0  2   magic 'S' 'A' (0x53 0x41)
//   2  1   format version: 1
//   3  1   algorithm suite: 1 = SM4-CTR + HMAC-SM3, one shot; 2 = the same, in MAC'd frames (stream)
//   4  1   key-ID length L (1 … 255)
//   5  L   key ID (UTF-8): names the data key, so keys can rotate and old envelopes still open
//   suite 2 only: 4 bytes frame size (big-endian, a multiple of 16, 16 B … 16 MiB)
// then the 16-byte random IV (the initial SM4-CTR counter block).
//
// Working keys (from the 32-byte data key `secret`, with the SM3 KDF of GB/T 32918.4, see sm3Kdf):
//   SM4 key  (16 bytes) = KDF(secret ‖ "SA1|<suite label>|SM4-CTR", 16)
//   MAC key  (32 bytes) = KDF(secret ‖ "SA1|<suite label>|HMAC-SM3", 32)
// with suite label "ONESHOT" (suite 1) or "FRAMED" (suite 2), so the two forms never share keys.
import { GmError } from './errors.ts';
import { sm3Kdf } from './sm3.ts';

/** A data key: `secret` is 32 random bytes; `id` is recorded in every envelope sealed with it. */
export interface EnvelopeKey {
  id: string;
  secret: Buffer;
}

/** Finds the data key an envelope names (undefined: unknown key → GmError 'envelope_unknown_key'). */
export type EnvelopeKeyResolver = (keyId: string) => EnvelopeKey | undefined;

export const ENVELOPE_MAGIC = Buffer.from('SA', 'latin1');
export const ENVELOPE_VERSION = 1;
export const SUITE_ONESHOT = 1;
export const SUITE_FRAMED = 2;
export const IV_BYTES = 16;
export const TAG_BYTES = 32;
export const SECRET_BYTES = 32;
export const MAX_KEY_ID_BYTES = 255;
export const MIN_FRAME_BYTES = 16;
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

const SUITE_LABEL: Record<number, string> = { [SUITE_ONESHOT]: 'ONESHOT', [SUITE_FRAMED]: 'FRAMED' };

export interface EnvelopeHeader {
  version: number;
  suite: number;
  keyId: string;
  /** Suite 2 only. */
  frameSize?: number;
  /** Bytes of the header (not counting the IV). */
  length: number;
}

export interface WorkingKeys {
  encKey: Buffer;
  macKey: Buffer;
}

export function checkEnvelopeKey(key: EnvelopeKey): void {
  if (!key || typeof key.id !== 'string' || !Buffer.isBuffer(key.secret) || key.secret.length !== SECRET_BYTES) {
    throw new GmError('invalid_argument', 'an envelope key needs an id and a 32-byte secret');
  }
}

export function deriveWorkingKeys(secret: Buffer, suite: number): WorkingKeys {
  const label = SUITE_LABEL[suite];
  const z = (part: string) => Buffer.concat([secret, Buffer.from(`SA1|${label}|${part}`, 'latin1')]);
  return { encKey: sm3Kdf(z('SM4-CTR'), 16), macKey: sm3Kdf(z('HMAC-SM3'), 32) };
}

export function encodeHeader(suite: number, keyId: string, frameSize?: number): Buffer {
  const id = Buffer.from(keyId, 'utf8');
  if (id.length < 1 || id.length > MAX_KEY_ID_BYTES) {
    throw new GmError('invalid_argument', 'an envelope key id must be 1 … 255 bytes of UTF-8');
  }
  const extra = suite === SUITE_FRAMED ? 4 : 0;
  const h = Buffer.alloc(5 + id.length + extra);
  ENVELOPE_MAGIC.copy(h, 0);
  h[2] = ENVELOPE_VERSION;
  h[3] = suite;
  h[4] = id.length;
  id.copy(h, 5);
  if (suite === SUITE_FRAMED) h.writeUInt32BE(frameSize ?? 0, 5 + id.length);
  return h;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses the header at the start of `buf`. Returns undefined when `buf` is a valid prefix that is too
 * short to hold the whole header (streams call again with more bytes); throws on anything invalid.
 */
export function parseHeader(buf: Uint8Array): EnvelopeHeader | undefined {
  const prefix = Math.min(buf.length, 2);
  for (let i = 0; i < prefix; i++) {
    if (buf[i] !== ENVELOPE_MAGIC[i]) throw new GmError('envelope_malformed', 'not an SA envelope (bad magic)');
  }
  if (buf.length < 5) return undefined;
  const version = buf[2];
  const suite = buf[3];
  if (version !== ENVELOPE_VERSION) throw new GmError('envelope_version', `unsupported envelope version ${version}`);
  if (suite !== SUITE_ONESHOT && suite !== SUITE_FRAMED) throw new GmError('envelope_version', `unsupported envelope suite ${suite}`);
  const idLen = buf[4];
  if (idLen === 0) throw new GmError('envelope_malformed', 'envelope key id is empty');
  const length = 5 + idLen + (suite === SUITE_FRAMED ? 4 : 0);
  if (buf.length < length) return undefined;
  let keyId: string;
  try {
    keyId = utf8.decode(buf.subarray(5, 5 + idLen));
  } catch {
    throw new GmError('envelope_malformed', 'envelope key id is not UTF-8');
  }
  if (suite !== SUITE_FRAMED) return { version, suite, keyId, length };
  const frameSize = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).readUInt32BE(5 + idLen);
  if (frameSize < MIN_FRAME_BYTES || frameSize > MAX_FRAME_BYTES || frameSize % 16 !== 0) {
    throw new GmError('envelope_malformed', 'envelope frame size out of range');
  }
  return { version, suite, keyId, frameSize, length };
}

export function resolveEnvelopeKey(resolveKey: EnvelopeKeyResolver, keyId: string): EnvelopeKey {
  const key = resolveKey(keyId);
  if (key === undefined) throw new GmError('envelope_unknown_key', 'no data key for the envelope key id');
  checkEnvelopeKey(key);
  return key;
}

export function uint64be(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}
