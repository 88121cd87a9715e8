// AUD-2: the platform's SM2 key that signs audit checkpoints and archive records. The private key lives in
// platform_keys (purpose 'audit.signing') wrapped by the KEK; the public key is stored in clear and its
// fingerprint is what the authority publishes for regulators (`shuan audit public-key`).
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { keyFingerprint } from '../../engines/audit-chain/index.ts';
import { generateSm2KeyPair, importSm2PrivateKey, importSm2PublicKey, type Sm2PrivateKey, type Sm2PublicKey } from '../../engines/gm/index.ts';
import type { Kek } from '../protection/kek.ts';

export const AUDIT_SIGNING = 'audit.signing';
const aad = (version: number) => `platform_keys:${AUDIT_SIGNING}:${version}`;

export interface SigningKey {
  version: number;
  key: Sm2PrivateKey;
  fingerprint: string;
}

export class AuditSigningKeys {
  private active: SigningKey | null = null;

  constructor(
    private readonly db: Db,
    private readonly kek: () => Kek,
  ) {}

  /** The active signing key; the first call on a new database creates version 1 (two processes: one wins). */
  async signingKey(): Promise<SigningKey> {
    if (this.active) return this.active;
    let row = await this.activeRow();
    if (!row) {
      const pair = generateSm2KeyPair();
      const kek = this.kek();
      await sql`
        INSERT INTO platform_keys (purpose, version, status, algorithm, public_key, kek_id, wrapped)
        VALUES (${AUDIT_SIGNING}, 1, 'active', 'SM2', ${pair.publicKey.toPem()}, ${kek.id}, ${kek.wrap(pair.privateKey.toDer(), aad(1))})
        ON CONFLICT DO NOTHING`.execute(this.db);
      row = await this.activeRow();
      if (!row) throw new Error('audit signing key: none active after creation');
    }
    const key = importSm2PrivateKey(this.kek().unwrap(row.wrapped, aad(row.version)));
    this.active = { version: row.version, key, fingerprint: keyFingerprint(key.publicKey) };
    return this.active;
  }

  /** Every version's public key (old checkpoints stay verifiable after a key change). */
  async publicKeys(): Promise<Map<number, Sm2PublicKey>> {
    const rows = await this.db.selectFrom('platform_keys').select(['version', 'public_key']).where('purpose', '=', AUDIT_SIGNING).orderBy('version').execute();
    return new Map(rows.filter((r) => r.public_key).map((r) => [r.version, importSm2PublicKey(r.public_key as string)]));
  }

  private activeRow() {
    return this.db
      .selectFrom('platform_keys')
      .select(['version', 'wrapped'])
      .where('purpose', '=', AUDIT_SIGNING)
      .where('status', '=', 'active')
      .executeTakeFirst();
  }
}
