// First set-up of a real deployment: the city authority (root of the tree) and its first platform
// administrator, who must change the generated password and enrol TOTP at first login.
import type { Db } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { setPassword } from '../auth/password-store.ts';
import { generatePassword } from '../auth/passwords.ts';
import type { SecurityPolicy } from '../settings/security-policy.ts';
import { DatabaseNotEmptyError } from './demo-seed.ts';

export interface BootstrapInput {
  authorityName: string;
  adminUsername: string;
  adminDisplayName: string;
  operator: string;
}

export async function bootstrapCity(db: Db, policy: SecurityPolicy, input: BootstrapInput) {
  const password = generatePassword();
  return db.transaction().execute(async (trx) => {
    if (await trx.selectFrom('institutions').select('id').limit(1).executeTakeFirst()) throw new DatabaseNotEmptyError();
    const institutionId = uuidv7();
    await trx
      .insertInto('institutions')
      .values({
        id: institutionId,
        parent_id: null,
        kind: 'authority',
        name: input.authorityName,
        short_name: null,
        code: null,
        admin_level: 'city',
        sector: 'data_management',
        profile: '{}',
      })
      .execute();
    const userId = uuidv7();
    await trx
      .insertInto('users')
      .values({
        id: userId,
        username: input.adminUsername,
        display_name: input.adminDisplayName,
        institution_id: institutionId,
        password_hash: '!',
        email: null,
        phone: null,
      })
      .execute();
    await setPassword(trx, { id: userId, username: input.adminUsername }, password, policy, { mustChange: true, checkHistory: false });
    await trx
      .insertInto('role_assignments')
      .values({ id: uuidv7(), user_id: userId, role: 'platform_admin', institution_id: institutionId, granted_by: null })
      .execute();
    await recordAudit(
      trx,
      { userId: null, username: input.operator, institutionId: null, ip: null, requestId: null },
      {
        action: 'system.setup',
        target: { type: 'institution', id: institutionId, institutionId },
        details: { authority: input.authorityName, admin: input.adminUsername },
      },
    );
    return { institutionId, userId, username: input.adminUsername, initialPassword: password };
  });
}
