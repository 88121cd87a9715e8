// Run-time settings (configuration). Every change is an audit event in the same transaction (AUD-1).

import type { Transaction } from 'kysely';
import { badRequest } from '../../app/errors.ts';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { MAX_PULL_HOST_ENTRIES, validatePullHosts } from '../../engines/pull-hosts/index.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { assertCanAnywhere } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import { DATA_PULL_HOSTS_KEY, type DataPullHosts } from './data-pull-hosts.ts';
import { DEFAULT_SECURITY_POLICY, type SecurityPolicy } from './security-policy.ts';

const POLICY_KEY = 'security_policy';

/** Writes a setting (inside the caller's transaction, which also records the change) and returns its value before. */
async function replaceSetting(trx: Transaction<Database>, actor: Actor, key: string, value: unknown): Promise<unknown> {
  const before = await trx.selectFrom('settings').select('value').where('key', '=', key).forUpdate().executeTakeFirst();
  await trx
    .insertInto('settings')
    .values({ key, value: JSON.stringify(value), updated_by: actor.userId })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_by: actor.userId, updated_at: new Date() }))
    .execute();
  return before?.value;
}

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
      const previous = { ...DEFAULT_SECURITY_POLICY, ...((await replaceSetting(trx, actor, POLICY_KEY, next)) as Partial<SecurityPolicy> | undefined) };
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

  /** Internal read used by the table-pull check; never saved → [] (every pull refused). */
  async dataPullHosts(): Promise<string[]> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', DATA_PULL_HOSTS_KEY).executeTakeFirst();
    const hosts = (row?.value as Partial<DataPullHosts> | undefined)?.hosts;
    return Array.isArray(hosts) ? hosts.filter((h): h is string => typeof h === 'string') : [];
  }

  /** GET /api/settings/data-pull-hosts: 数据汇聚白名单, read as the security policy is. */
  async getDataPullHosts(actor: Actor): Promise<DataPullHosts> {
    assertCanAnywhere(actor, 'settings.read');
    return { hosts: await this.dataPullHosts() };
  }

  /** PUT /api/settings/data-pull-hosts: entries validated and normalized; the change audited with before/after (AUD-1). */
  async updateDataPullHosts(actor: Actor, next: DataPullHosts): Promise<DataPullHosts> {
    assertCanAnywhere(actor, 'settings.manage');
    if (next.hosts.length > MAX_PULL_HOST_ENTRIES) {
      throw badRequest('VALIDATION_FAILED', `数据汇聚白名单最多 ${MAX_PULL_HOST_ENTRIES} 条`, `The allow-list holds at most ${MAX_PULL_HOST_ENTRIES} entries`, {
        field: 'hosts',
        limit: MAX_PULL_HOST_ENTRIES,
      });
    }
    const { entries, errors } = validatePullHosts(next.hosts);
    const first = errors[0];
    if (first) {
      throw badRequest(
        'VALIDATION_FAILED',
        `数据汇聚白名单第 ${first.index + 1} 条“${first.entry}”无效：${first.reason.zh}`,
        `Allow-list entry ${first.index + 1} "${first.entry}" is not valid: ${first.reason.en}`,
        { field: 'hosts', index: first.index, entry: first.entry, errors: errors.map((e) => ({ index: e.index, entry: e.entry, reason: e.reason })) },
      );
    }
    const value = { hosts: entries };
    return this.db.transaction().execute(async (trx) => {
      const previous = ((await replaceSetting(trx, actor, DATA_PULL_HOSTS_KEY, value)) as Partial<DataPullHosts> | undefined)?.hosts ?? [];
      await recordAudit(trx, actor, {
        action: 'settings.data_pull_hosts.update',
        target: { type: 'settings', id: DATA_PULL_HOSTS_KEY },
        details: {
          before: previous,
          after: entries,
          added: entries.filter((e) => !previous.includes(e)),
          removed: previous.filter((e) => !entries.includes(e)),
        },
      });
      return value;
    });
  }
}
