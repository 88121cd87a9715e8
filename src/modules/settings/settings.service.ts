// Run-time settings (configuration). Every change is an audit event in the same transaction (AUD-1).
import type { Db } from '../../db/database.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { assertCanAnywhere } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import { DEFAULT_SECURITY_POLICY, type SecurityPolicy } from './security-policy.ts';

const POLICY_KEY = 'security_policy';

export class SettingsService {
  constructor(private readonly db: Db) {}

  /** Internal read used by authentication; callers with an actor use getSecurityPolicyFor. */
  async securityPolicy(): Promise<SecurityPolicy> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', POLICY_KEY).executeTakeFirst();
    return { ...DEFAULT_SECURITY_POLICY, ...((row?.value as Partial<SecurityPolicy>) ?? {}) };
  }

  async getSecurityPolicy(actor: Actor): Promise<SecurityPolicy> {
    assertCanAnywhere(actor, 'settings.read');
    return this.securityPolicy();
  }

  async updateSecurityPolicy(actor: Actor, next: SecurityPolicy): Promise<SecurityPolicy> {
    assertCanAnywhere(actor, 'settings.manage');
    return this.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('settings').select('value').where('key', '=', POLICY_KEY).forUpdate().executeTakeFirst();
      const previous = { ...DEFAULT_SECURITY_POLICY, ...((before?.value as Partial<SecurityPolicy>) ?? {}) };
      await trx
        .insertInto('settings')
        .values({ key: POLICY_KEY, value: JSON.stringify(next), updated_by: actor.userId })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(next), updated_by: actor.userId, updated_at: new Date() }))
        .execute();
      const changed = Object.fromEntries(
        (Object.keys(next) as (keyof SecurityPolicy)[]).filter((k) => previous[k] !== next[k]).map((k) => [k, { from: previous[k], to: next[k] }]),
      );
      await recordAudit(trx, actor, {
        action: 'settings.security_policy.update',
        target: { type: 'settings', id: POLICY_KEY },
        details: { changed },
      });
      return next;
    });
  }
}
