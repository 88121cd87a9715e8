// LIF-4 (HZ-22): each person's SM2 key for signing sharing agreements. One active key per user in
// signing_keys, created on first use; the private key is stored only wrapped by the KEK, with an AAD naming
// the key's row and its owner, so a wrapped key copied onto another row or another person fails to open.
// The platform signs with it only after the person re-authenticates (agreements.service.ts).
import type { Executor } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import { keyFingerprint } from '../../engines/audit-chain/index.ts';
import { generateSm2KeyPair, importSm2PrivateKey, type Sm2PrivateKey } from '../../engines/gm/index.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import type { Actor } from '../org/actor.ts';
import type { Kek } from '../protection/kek.ts';

const aad = (keyId: string, userId: string) => `signing_keys:${keyId}:${userId}`;

export interface PersonalSigningKey {
  id: string;
  privateKey: Sm2PrivateKey;
  publicKeyPem: string;
  fingerprint: string;
}

export class SigningKeys {
  constructor(private readonly kek: () => Kek) {}

  /**
   * The actor's active signing key; created (and audited) in the caller's transaction when there is none.
   * Two first signatures at once: the unique index lets one insert win, the other reads the winner's key.
   */
  async keyFor(trx: Executor, actor: Actor): Promise<PersonalSigningKey> {
    let row = await this.activeRow(trx, actor.userId);
    if (!row) {
      const kek = this.kek();
      const pair = generateSm2KeyPair();
      const id = uuidv7();
      const fingerprint = keyFingerprint(pair.publicKey);
      const inserted = await trx
        .insertInto('signing_keys')
        .values({
          id,
          user_id: actor.userId,
          public_key: pair.publicKeyPem,
          fingerprint,
          kek_id: kek.id,
          wrapped: kek.wrap(pair.privateKey.toDer(), aad(id, actor.userId)),
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) {
        await recordAudit(trx, actor, {
          action: 'sharing.signing_key.create',
          target: { type: 'signing_key', id, institutionId: actor.institutionId },
          details: { algorithm: 'SM2', fingerprint },
        });
      }
      row = await this.activeRow(trx, actor.userId);
      if (!row) throw new Error('signing key: none active after creation');
    }
    const privateKey = importSm2PrivateKey(this.kek().unwrap(row.wrapped, aad(row.id, actor.userId)));
    return { id: row.id, privateKey, publicKeyPem: row.public_key, fingerprint: row.fingerprint };
  }

  private activeRow(db: Executor, userId: string) {
    return db
      .selectFrom('signing_keys')
      .select(['id', 'public_key', 'fingerprint', 'wrapped'])
      .where('user_id', '=', userId)
      .where('status', '=', 'active')
      .executeTakeFirst();
  }
}
