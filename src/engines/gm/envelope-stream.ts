// The envelope for files of any size, with bounded memory (PRT-5: the dataset store encrypts files as it
// streams them). Layout: header (suite 2, with the frame size) ‖ IV ‖ frame₀ ‖ frame₁ ‖ … where each frame
// is ciphertext (frameSize bytes; the final frame 0 … frameSize bytes) ‖ 32-byte tag.
//
// One SM4-CTR keystream runs over the whole plaintext (counter = IV + block number, as `openssl enc
// -sm4-ctr` would produce for the whole file). Tags:
//   h      = HMAC-SM3(macKey, header ‖ IV ‖ AAD ‖ uint64be(AAD length))      (never stored)
//   tag_i  = HMAC-SM3(macKey, h ‖ ciphertext_i ‖ uint64be(i) ‖ final_i)       final_i = 1 on the last frame
// so frames cannot be reordered, dropped, duplicated or moved to another stream, and a stream cut at a
// frame boundary (no final frame) or extended after the final frame fails. The opener verifies each
// frame's tag before decrypting it; the output of earlier frames is already released when a later frame
// fails, so write to a temporary file and keep it only if the stream ends without error.
import { type Cipher, createCipheriv, createDecipheriv, createHmac, type Hmac, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import {
  checkEnvelopeKey,
  deriveWorkingKeys,
  type EnvelopeHeader,
  type EnvelopeKey,
  type EnvelopeKeyResolver,
  encodeHeader,
  IV_BYTES,
  MAX_FRAME_BYTES,
  MIN_FRAME_BYTES,
  parseHeader,
  resolveEnvelopeKey,
  SUITE_FRAMED,
  TAG_BYTES,
  uint64be,
} from './envelope-format.ts';
import { GmError } from './errors.ts';
import { constantTimeEqual } from './sm3.ts';

export const DEFAULT_FRAME_BYTES = 64 * 1024;

export interface SealStreamOptions {
  /** Authenticated, not stored; the opener must pass the same bytes. */
  aad?: Uint8Array | string;
  /** Plaintext bytes per frame: a multiple of 16, 16 B … 16 MiB (default 64 KiB). */
  frameSize?: number;
}

export interface OpenStreamOptions {
  aad?: Uint8Array | string;
}

function aadBytes(aad: Uint8Array | string | undefined): Uint8Array {
  if (aad === undefined) return Buffer.alloc(0);
  return typeof aad === 'string' ? Buffer.from(aad, 'utf8') : aad;
}

function headerKey(macKey: Buffer, headerAndIv: Uint8Array, aad: Uint8Array): Buffer {
  return createHmac('sm3', macKey).update(headerAndIv).update(aad).update(uint64be(aad.byteLength)).digest();
}

function frameTrailer(index: number, final: boolean): Buffer {
  const b = Buffer.alloc(9);
  b.writeBigUInt64BE(BigInt(index));
  b[8] = final ? 1 : 0;
  return b;
}

/** A Transform that seals whatever is piped through it (see the file comment for the format). */
export function createSealStream(key: EnvelopeKey, options: SealStreamOptions = {}): Transform {
  checkEnvelopeKey(key);
  const frameSize = options.frameSize ?? DEFAULT_FRAME_BYTES;
  if (!Number.isInteger(frameSize) || frameSize < MIN_FRAME_BYTES || frameSize > MAX_FRAME_BYTES || frameSize % 16 !== 0) {
    throw new GmError('invalid_argument', 'frame size must be a multiple of 16 between 16 B and 16 MiB');
  }
  const { encKey, macKey } = deriveWorkingKeys(key.secret, SUITE_FRAMED);
  const iv = randomBytes(IV_BYTES);
  const headerAndIv = Buffer.concat([encodeHeader(SUITE_FRAMED, key.id, frameSize), iv]);
  const h = headerKey(macKey, headerAndIv, aadBytes(options.aad));
  const cipher = createCipheriv('sm4-ctr', encKey, iv);
  let started = false;
  let index = 0;
  let fill = 0; // ciphertext bytes in the current frame
  let mac: Hmac = createHmac('sm3', macKey).update(h);

  const start = (t: Transform) => {
    if (!started) t.push(headerAndIv);
    started = true;
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      start(this);
      const ct = cipher.update(chunk);
      let off = 0;
      while (off < ct.length) {
        if (fill === frameSize) {
          // The current frame is full and more data follows, so it is not the final one.
          this.push(mac.update(frameTrailer(index, false)).digest());
          index++;
          fill = 0;
          mac = createHmac('sm3', macKey).update(h);
        }
        const part = ct.subarray(off, off + Math.min(frameSize - fill, ct.length - off));
        mac.update(part);
        this.push(part);
        fill += part.length;
        off += part.length;
      }
      done();
    },
    flush(done: TransformCallback) {
      start(this);
      const rest = cipher.final(); // CTR: always empty
      if (rest.length > 0) return done(new Error('unexpected SM4-CTR final block'));
      this.push(mac.update(frameTrailer(index, true)).digest());
      done();
    },
  });
}

/** Byte queue that hands out exact-length slices with few copies. */
class Queue {
  private parts: Buffer[] = [];
  length = 0;

  push(b: Buffer): void {
    if (b.length === 0) return;
    this.parts.push(b);
    this.length += b.length;
  }

  peek(n: number): Buffer {
    return this.parts.length === 1 ? this.parts[0].subarray(0, n) : Buffer.concat(this.parts, this.length).subarray(0, n);
  }

  take(n: number): Buffer {
    let out: Buffer;
    const first = this.parts[0];
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.parts.shift();
      else this.parts[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let got = 0;
      while (got < n) {
        const p = this.parts[0];
        const k = Math.min(p.length, n - got);
        p.copy(out, got, 0, k);
        got += k;
        if (k === p.length) this.parts.shift();
        else this.parts[0] = p.subarray(k);
      }
    }
    this.length -= n;
    return out;
  }
}

/**
 * A Transform that opens a sealed stream: it resolves the key named in the header, verifies each frame's
 * tag before decrypting it, and fails (GmError) on a truncated, extended, reordered or modified stream.
 */
export function createOpenStream(resolveKey: EnvelopeKeyResolver, options: OpenStreamOptions = {}): Transform {
  const aad = aadBytes(options.aad);
  const q = new Queue();
  let header: EnvelopeHeader | undefined;
  let frameSize = 0;
  let macKey: Buffer | undefined;
  let h: Buffer | undefined;
  let decipher: Cipher | undefined;
  let index = 0;

  const tampered = () => new GmError('envelope_tampered', 'stream authentication failed (modified, truncated, reordered, wrong key or wrong AAD)');

  // Reads the header and IV once enough bytes have arrived; returns false while waiting for more.
  const readHeader = (): boolean => {
    if (decipher) return true;
    if (q.length === 0) return false;
    const head = q.peek(Math.min(q.length, 5 + 255 + 4));
    header = parseHeader(head);
    if (header === undefined || q.length < header.length + IV_BYTES) return false;
    if (header.suite !== SUITE_FRAMED) throw new GmError('envelope_malformed', 'a one-shot envelope: open it with openEnvelope');
    frameSize = header.frameSize!;
    const key = resolveEnvelopeKey(resolveKey, header.keyId);
    const keys = deriveWorkingKeys(key.secret, SUITE_FRAMED);
    macKey = keys.macKey;
    const headerAndIv = q.take(header.length + IV_BYTES);
    h = headerKey(macKey, headerAndIv, aad);
    decipher = createDecipheriv('sm4-ctr', keys.encKey, headerAndIv.subarray(header.length));
    return true;
  };

  const openFrame = (t: Transform, frame: Buffer, final: boolean) => {
    const ct = frame.subarray(0, frame.length - TAG_BYTES);
    const tag = createHmac('sm3', macKey!).update(h!).update(ct).update(frameTrailer(index, final)).digest();
    if (!constantTimeEqual(tag, frame.subarray(ct.length))) throw tampered();
    index++;
    if (ct.length > 0) t.push(decipher!.update(ct));
  };

  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      try {
        q.push(chunk);
        if (!readHeader()) return done();
        // A frame is known not to be the final one only when more bytes follow it.
        while (q.length > frameSize + TAG_BYTES) openFrame(this, q.take(frameSize + TAG_BYTES), false);
        done();
      } catch (e) {
        done(e as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        if (!readHeader()) throw new GmError('envelope_malformed', 'stream ends inside its header');
        if (q.length < TAG_BYTES) throw tampered();
        openFrame(this, q.take(q.length), true);
        done();
      } catch (e) {
        done(e as Error);
      }
    },
  });
}
