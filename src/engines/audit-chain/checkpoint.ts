// AUD-2: what a checkpoint (and an archive record) signs, and the key fingerprint a regulator compares
// with the one the authority publishes.
import { type Sm2PrivateKey, type Sm2PublicKey, sm2Sign, sm2Verify, sm3 } from '../gm/index.ts';

export interface Checkpoint {
  position: number;
  headHash: Buffer;
  signedAt: string; // ISO, milliseconds
  keyVersion: number;
  signature: Buffer;
}

/** SM3 hex of the public key's uncompressed point (04 ‖ x ‖ y). */
export function keyFingerprint(key: Sm2PublicKey): string {
  return sm3(key.toRaw()).toString('hex');
}

export function checkpointMessage(c: { position: number; headHash: Uint8Array; signedAt: string }, fingerprint: string): Buffer {
  return Buffer.from(`SHUAN-AUDIT-CHECKPOINT-v1\n${c.position}\n${Buffer.from(c.headHash).toString('hex')}\n${c.signedAt}\n${fingerprint}`, 'utf8');
}

export function signCheckpoint(key: Sm2PrivateKey, keyVersion: number, c: { position: number; headHash: Buffer; signedAt: string }): Checkpoint {
  const signature = sm2Sign(key, checkpointMessage(c, keyFingerprint(key.publicKey)));
  return { ...c, keyVersion, signature };
}

export function verifyCheckpoint(key: Sm2PublicKey, c: Checkpoint): boolean {
  return sm2Verify(key, checkpointMessage(c, keyFingerprint(key)), c.signature);
}

/** An archive record: the range [first, last] with the chain hash at `last` and the bundle's SM3. */
export interface ArchiveRecord {
  firstPosition: number;
  lastPosition: number;
  lastHash: Buffer;
  before: string;
  events: number;
  bundleSm3: Buffer;
}

export function archiveMessage(a: ArchiveRecord, fingerprint: string): Buffer {
  return Buffer.from(
    `SHUAN-AUDIT-ARCHIVE-v1\n${a.firstPosition}\n${a.lastPosition}\n${a.lastHash.toString('hex')}\n${a.before}\n${a.events}\n${a.bundleSm3.toString('hex')}\n${fingerprint}`,
    'utf8',
  );
}
