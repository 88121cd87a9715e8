// Public API of the national-cryptography (gm) engine: SM3, HMAC-SM3, SM3-KDF, SM4, the authenticated
// SM4 envelope (one-shot and streaming) and SM2 signatures/encryption. Pure: node:crypto only. PRT-5, FZ-12.

export { ENVELOPE_TEXT_PREFIX, envelopeKeyId, isEnvelopeText, openEnvelope, openEnvelopeText, sealEnvelope, sealEnvelopeText } from './envelope.ts';
export type { EnvelopeKey, EnvelopeKeyResolver } from './envelope-format.ts';
export { createOpenStream, createSealStream, DEFAULT_FRAME_BYTES, type OpenStreamOptions, type SealStreamOptions } from './envelope-stream.ts';
export { GmError, type GmErrorCode, isGmError } from './errors.ts';
export { SM2_DEFAULT_USER_ID, type Sm2SignOptions, type Sm2VerifyOptions, sm2Sign, sm2Verify, sm2Z } from './sm2.ts';
export { type Sm2CipherOptions, sm2Decrypt, sm2Encrypt } from './sm2-encrypt.ts';
export {
  generateSm2KeyPair,
  importSm2PrivateKey,
  importSm2PublicKey,
  type Sm2KeyPair,
  Sm2PrivateKey,
  type Sm2PrivateKeyInput,
  Sm2PublicKey,
  type Sm2PublicKeyInput,
} from './sm2-keys.ts';
export { type BytesOrText, constantTimeEqual, hmacSm3, sm3, sm3Kdf } from './sm3.ts';
export {
  createSm4CbcDecryptStream,
  createSm4CbcEncryptStream,
  createSm4CtrStream,
  SM4_BLOCK_BYTES,
  SM4_KEY_BYTES,
  sm4CbcDecrypt,
  sm4CbcEncrypt,
  sm4Ctr,
} from './sm4.ts';
