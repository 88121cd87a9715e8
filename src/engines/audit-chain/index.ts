export {
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  type BundleLine,
  type BundleOutcome,
  checkpointLine,
  eventLine,
  keyLine,
  verifyBundleLines,
  verifyBundleStream,
} from './bundle.ts';
export {
  type ChainEvent,
  canonicalArray,
  canonicalEvent,
  chainMac,
  EVENT_PREFIX_BYTES,
  formatChainTime,
  GENESIS_HASH,
  linkHash,
  stableJson,
} from './canonical.ts';
export { type ArchiveRecord, archiveMessage, type Checkpoint, checkpointMessage, keyFingerprint, signCheckpoint, verifyCheckpoint } from './checkpoint.ts';
export { type ChainEntry, type ChainProblem, type ChainProblemKind, ChainVerifier, MAX_MAC_GAP, type VerifierOptions, type VerifyOutcome } from './verify.ts';
