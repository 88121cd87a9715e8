// Setting a password: policy, no reuse of the last N (history), hash, history row. Used by the user's
// own change, administrator resets and account creation, so the rules cannot differ between them.
import type { Transaction } from 'kysely';
import { ruleViolation } from '../../app/errors.ts';
import { uuidv7 } from '../../db/ids.ts';
import type { Database } from '../../db/schema.ts';
import type { SecurityPolicy } from '../settings/security-policy.ts';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.ts';

export function assertPasswordPolicy(password: string, policy: SecurityPolicy, username: string): void {
  const violations = checkPasswordPolicy(password, { minLength: policy.passwordMinLength, username });
  if (violations.length > 0) {
    throw ruleViolation(
      'PASSWORD_POLICY',
      `密码不符合要求：${violations.map((v) => v.zh).join('；')}`,
      `Password does not meet the policy: ${violations.map((v) => v.en).join('; ')}`,
      { violations: violations.map((v) => v.code) },
    );
  }
}

export async function setPassword(
  trx: Transaction<Database>,
  user: { id: string; username: string },
  password: string,
  policy: SecurityPolicy,
  opts: { mustChange: boolean; checkHistory: boolean },
): Promise<void> {
  assertPasswordPolicy(password, policy, user.username);
  if (opts.checkHistory) {
    const recent = await trx
      .selectFrom('password_history')
      .select('password_hash')
      .where('user_id', '=', user.id)
      .orderBy('created_at', 'desc')
      .limit(policy.passwordHistory)
      .execute();
    for (const r of recent) {
      if (await verifyPassword(password, r.password_hash)) {
        throw ruleViolation(
          'PASSWORD_REUSED',
          `新密码不得与最近 ${policy.passwordHistory} 次使用过的密码相同`,
          `The new password must differ from the last ${policy.passwordHistory} passwords`,
        );
      }
    }
  }
  const hash = await hashPassword(password);
  const now = new Date();
  await trx
    .updateTable('users')
    .set({ password_hash: hash, password_changed_at: now, must_change_password: opts.mustChange, updated_at: now })
    .where('id', '=', user.id)
    .execute();
  await trx.insertInto('password_history').values({ id: uuidv7(), user_id: user.id, password_hash: hash }).execute();
}
