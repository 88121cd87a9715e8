// Minimal strict DER (X.690) reading and writing for SM2 keys, signatures and ciphertexts: single-byte
// tags, definite minimal lengths, minimal non-negative INTEGERs. Anything else is refused.

export const TAG_INTEGER = 0x02;
export const TAG_BIT_STRING = 0x03;
export const TAG_OCTET_STRING = 0x04;
export const TAG_OID = 0x06;
export const TAG_SEQUENCE = 0x30;

export class DerError extends Error {}

export interface Tlv {
  tag: number;
  /** First content byte. */
  start: number;
  /** One past the last content byte (= offset of the next element). */
  end: number;
}

export function readTlv(buf: Uint8Array, off: number, limit = buf.length): Tlv {
  if (off + 2 > limit) throw new DerError('truncated');
  const tag = buf[off];
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tag');
  let len = buf[off + 1];
  let start = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > limit) throw new DerError('bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i];
    if (len < 0x80 || buf[start] === 0) throw new DerError('non-minimal length');
    start += n;
  }
  const end = start + len;
  if (end > limit) throw new DerError('truncated');
  return { tag, start, end };
}

export function expectTlv(buf: Uint8Array, off: number, tag: number, limit = buf.length): Tlv {
  const t = readTlv(buf, off, limit);
  if (t.tag !== tag) throw new DerError(`expected tag ${tag}`);
  return t;
}

/** Reads a non-negative, minimally encoded INTEGER. */
export function readUnsignedInteger(buf: Uint8Array, t: Tlv): bigint {
  const len = t.end - t.start;
  if (t.tag !== TAG_INTEGER || len === 0) throw new DerError('bad integer');
  if (buf[t.start] & 0x80) throw new DerError('negative integer');
  if (len > 1 && buf[t.start] === 0 && !(buf[t.start + 1] & 0x80)) throw new DerError('non-minimal integer');
  return bytesToBigInt(buf.subarray(t.start, t.end));
}

function encodeLength(len: number): Buffer {
  if (len < 0x80) return Buffer.from([len]);
  const bytes: number[] = [];
  for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body]);
}

export function encodeUnsignedInteger(v: bigint): Buffer {
  if (v < 0n) throw new DerError('negative integer');
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  return tlv(TAG_INTEGER, Buffer.from(hex, 'hex'));
}

export function bytesToBigInt(b: Uint8Array): bigint {
  if (b.length === 0) return 0n;
  return BigInt(`0x${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')}`);
}

/** Big-endian, left-padded to `size` bytes (the value must fit). */
export function bigIntToBytes(v: bigint, size = 32): Buffer {
  const hex = v.toString(16);
  if (hex.length > size * 2) throw new DerError('integer too large');
  return Buffer.from(hex.padStart(size * 2, '0'), 'hex');
}
