// Typed errors of the gm engine (PRT-5). Messages are fixed strings: they never carry key material,
// plaintext or ciphertext bytes, so callers may log them.

export type GmErrorCode =
  /** A caller passed an argument of the wrong size or shape (key length, IV length, frame size …). */
  | 'invalid_argument'
  /** The envelope is not one: wrong prefix or magic, too short, a header that does not parse. */
  | 'envelope_malformed'
  /** The envelope names a format version or algorithm suite this code does not know. */
  | 'envelope_version'
  /** The key resolver has no key for the envelope's key ID. */
  | 'envelope_unknown_key'
  /** The MAC does not match: the envelope, its AAD or its key is not the one it was sealed with. */
  | 'envelope_tampered'
  /** SM4-CBC: the padding is wrong (wrong key or modified ciphertext; CBC alone is not authenticated). */
  | 'sm4_decrypt_failed'
  /** An SM2 key does not parse, is not on the SM2 curve, or is out of range. */
  | 'sm2_invalid_key'
  /** SM2 decryption failed (malformed ciphertext, a point not on the curve, or a C3 hash mismatch). */
  | 'sm2_decrypt_failed';

export class GmError extends Error {
  readonly code: GmErrorCode;

  constructor(code: GmErrorCode, message: string) {
    super(message);
    this.name = 'GmError';
    this.code = code;
  }
}

export function isGmError(e: unknown, code?: GmErrorCode): e is GmError {
  return e instanceof GmError && (code === undefined || e.code === code);
}
