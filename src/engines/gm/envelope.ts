// The authenticated SM4 envelope for single values (PRT-5, FZ-12: important data encrypted at rest with
// national cryptography). Encrypt-then-MAC: SM4-CTR with a random 16-byte IV, then HMAC-SM3 over
//   header ‖ IV ‖ ciphertext ‖ AAD ‖ uint64be(AAD length)
// (the AAD length goes last, as in RFC 7518 §5.2.2.1, so the MAC input parses one way only). The tag is
// the full 32-byte HMAC-SM3. Layout: header ‖ IV ‖ ciphertext ‖ tag; see envelope-format.ts for the header
// and the key derivation. Opening checks the tag in constant time before anything is decrypted.
//
// Text form (for text columns): "sa1." + base64url(envelope), no padding.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import {
  checkEnvelopeKey,
  deriveWorkingKeys,
  type EnvelopeKey,
  type EnvelopeKeyResolver,
  encodeHeader,
  IV_BYTES,
  parseHeader,
  resolveEnvelopeKey,
  SUITE_FRAMED,
  SUITE_ONESHOT,
  TAG_BYTES,
  uint64be,
} from './envelope-format.ts';
import { GmError } from './errors.ts';
import { constantTimeEqual } from './sm3.ts';

export type { EnvelopeKey, EnvelopeKeyResolver } from './envelope-format.ts';

export const ENVELOPE_TEXT_PREFIX = 'sa1.';

type Bytes = Uint8Array | string;
const EMPTY = Buffer.alloc(0);

function bytes(data: Bytes | undefined): Uint8Array {
  if (data === undefined) return EMPTY;
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

function tagOf(macKey: Buffer, headerAndIv: Uint8Array, ciphertext: Uint8Array, aad: Uint8Array): Buffer {
  return createHmac('sm3', macKey).update(headerAndIv).update(ciphertext).update(aad).update(uint64be(aad.byteLength)).digest();
}

/** Seals `plaintext` (strings as UTF-8) under `key`; `aad` is authenticated but not stored. */
export function sealEnvelope(key: EnvelopeKey, plaintext: Bytes, aad?: Bytes): Buffer {
  checkEnvelopeKey(key);
  const { encKey, macKey } = deriveWorkingKeys(key.secret, SUITE_ONESHOT);
  const header = encodeHeader(SUITE_ONESHOT, key.id);
  const iv = randomBytes(IV_BYTES);
  const c = createCipheriv('sm4-ctr', encKey, iv);
  const ct = Buffer.concat([c.update(bytes(plaintext)), c.final()]);
  const headerAndIv = Buffer.concat([header, iv]);
  const tag = tagOf(macKey, headerAndIv, ct, bytes(aad));
  return Buffer.concat([headerAndIv, ct, tag]);
}

/**
 * Opens an envelope: parses the header, asks `resolveKey` for the key it names, checks the tag (constant
 * time) and only then decrypts. Errors: GmError envelope_malformed | envelope_version |
 * envelope_unknown_key | envelope_tampered (wrong AAD, wrong key or modified bytes).
 */
export function openEnvelope(resolveKey: EnvelopeKeyResolver, envelope: Uint8Array, aad?: Bytes): Buffer {
  const env = Buffer.from(envelope.buffer, envelope.byteOffset, envelope.byteLength);
  const header = parseHeader(env);
  if (header === undefined) throw new GmError('envelope_malformed', 'envelope is truncated');
  if (header.suite === SUITE_FRAMED) throw new GmError('envelope_malformed', 'a framed stream envelope: open it with createOpenStream');
  const ctStart = header.length + IV_BYTES;
  const ctEnd = env.length - TAG_BYTES;
  if (ctEnd < ctStart) throw new GmError('envelope_malformed', 'envelope is truncated');
  const key = resolveEnvelopeKey(resolveKey, header.keyId);
  const { encKey, macKey } = deriveWorkingKeys(key.secret, SUITE_ONESHOT);
  const ct = env.subarray(ctStart, ctEnd);
  const expected = tagOf(macKey, env.subarray(0, ctStart), ct, bytes(aad));
  if (!constantTimeEqual(expected, env.subarray(ctEnd))) {
    throw new GmError('envelope_tampered', 'envelope authentication failed (modified, wrong key or wrong AAD)');
  }
  const d = createDecipheriv('sm4-ctr', encKey, env.subarray(header.length, ctStart));
  return Buffer.concat([d.update(ct), d.final()]);
}

/** The key ID an envelope (binary or text form, one-shot or stream header) was sealed with, without decrypting. */
export function envelopeKeyId(envelope: Uint8Array | string): string {
  const env = typeof envelope === 'string' ? decodeEnvelopeText(envelope) : envelope;
  const header = parseHeader(env);
  if (header === undefined) throw new GmError('envelope_malformed', 'envelope is truncated');
  return header.keyId;
}

/** sealEnvelope in the text form "sa1.<base64url>". */
export function sealEnvelopeText(key: EnvelopeKey, plaintext: Bytes, aad?: Bytes): string {
  return ENVELOPE_TEXT_PREFIX + sealEnvelope(key, plaintext, aad).toString('base64url');
}

/** openEnvelope for the text form. */
export function openEnvelopeText(resolveKey: EnvelopeKeyResolver, text: string, aad?: Bytes): Buffer {
  return openEnvelope(resolveKey, decodeEnvelopeText(text), aad);
}

/** True when `value` looks like a text-form envelope (prefix and alphabet only; nothing is verified). */
export function isEnvelopeText(value: string): boolean {
  return value.startsWith(ENVELOPE_TEXT_PREFIX) && BASE64URL.test(value.slice(ENVELOPE_TEXT_PREFIX.length));
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function decodeEnvelopeText(text: string): Buffer {
  if (typeof text !== 'string' || !isEnvelopeText(text)) throw new GmError('envelope_malformed', 'not an sa1. text envelope');
  const body = text.slice(ENVELOPE_TEXT_PREFIX.length);
  const buf = Buffer.from(body, 'base64url');
  // Buffer's decoder is lenient; only the canonical encoding is accepted, so one envelope has one text form.
  if (buf.toString('base64url') !== body) throw new GmError('envelope_malformed', 'envelope text is not canonical base64url');
  return buf;
}
