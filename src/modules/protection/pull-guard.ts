// The table-pull check (数据汇聚白名单): before POST /api/resources/:id/dataset/pull connects anywhere, the
// caller must be allowed to load the resource's dataset and the database server must be on the allow-list a
// platform administrator (settings.manage) keeps in 系统设置 → 数据汇聚白名单 (setting `data_pull_hosts`; matching in src/engines/pull-hosts).
// Without it the platform's server would connect to whatever host and port a steward names (probing the
// internal network, reaching databases nobody approved).
//
// The host is resolved once (every address); the pull then connects to an address that was checked
// (`connectHost`; the next one if the first cannot be reached), so a DNS answer that changes between the check and the connection cannot redirect it.
// A refusal is 422 PULL_HOST_NOT_ALLOWED, audited (protection.dataset.pull_denied, outcome denied), and
// no connection is attempted. The CLI (`shuan dataset load`, `shuan scan`) is run by the operator and is
// not subject to this list.
import { lookup } from 'node:dns/promises';
import { badRequest, ruleViolation } from '../../app/errors.ts';
import type { Db } from '../../db/database.ts';
import { checkPullTarget, mayAllow, parseAddress } from '../../engines/pull-hosts/index.ts';
import { parseDbUrl } from '../../sources/db-url.ts';
import { SourceError } from '../../sources/types.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { assertCan } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import { sourceFailure } from './dataset-sources.ts';
import type { ProfileSource } from './datasets.service.ts';

const RESOURCE = { zh: '数据资源', en: 'Data resource' };
const DEFAULT_PORT = { postgres: 5432, mysql: 3306 } as const;
/**
 * The only connection-string options a pull through the API may carry. pg reads `?host=`, `?hostaddr=` and
 * `?port=` over the URL's own host and port (a way around the check), and `?sslrootcert=`, `?sslcert=`,
 * `?sslkey=` make the server read files at paths the caller names; the operator's CLI is not limited.
 */
const ALLOWED_PARAMS = new Set(['ssl', 'sslmode']);

/** Every address a host name resolves to (the system resolver, as the database drivers use it). */
export type Resolver = (host: string) => Promise<string[]>;

export const systemResolver: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export interface PullHostsSource {
  dataPullHosts(): Promise<string[]>;
}

export interface CheckedPull {
  /** The addresses to connect to (in the resolver's order): the ones that were checked. */
  addresses: string[];
}

export class PullGuard {
  constructor(
    private readonly db: Db,
    private readonly resources: ProfileSource,
    private readonly settings: PullHostsSource,
    private readonly resolve: Resolver = systemResolver,
  ) {}

  /** Checks a pull before any connection; returns the address to connect to, or throws (a refusal is audited). */
  async check(actor: Actor, resourceId: string, url: URL): Promise<CheckedPull> {
    // Who may pull decides first: nobody without dataset.manage on the resource makes the server connect anywhere.
    const profile = await this.resources.protectionProfile(actor, resourceId);
    assertCan(actor, 'dataset.manage', profile.institutionId, RESOURCE);
    let target: ReturnType<typeof parseDbUrl>;
    try {
      target = parseDbUrl(url);
    } catch (err) {
      throw sourceFailure(err);
    }
    const refused = [...new Set(target.params.keys())].filter((k) => !ALLOWED_PARAMS.has(k.toLowerCase()));
    if (refused.length > 0) {
      throw badRequest(
        'VALIDATION_FAILED',
        `url 的查询参数只允许 table、schema、ssl 与 sslmode（不允许：${refused.join('、')}）：主机和端口只能写在地址中`,
        `The url's query may carry only table, schema, ssl and sslmode (not: ${refused.join(', ')}); give the host and port in the address itself`,
        { field: 'url', params: refused },
      );
    }
    const port = target.port ?? DEFAULT_PORT[target.kind];
    const list = await this.settings.dataPullHosts();
    const literal = parseAddress(target.host) !== null;
    // Resolve only when an entry could allow it: an empty list (the default) refuses without even a DNS query.
    const couldMatch = mayAllow(list, target.host);
    let addresses: string[] = [];
    let unresolved = false;
    if (literal) addresses = [target.host];
    else if (couldMatch) {
      try {
        addresses = await this.resolve(target.host);
      } catch {
        unresolved = true;
      }
    }
    const decision = couldMatch ? checkPullTarget(list, { host: target.host, port, addresses }) : ({ allowed: false, outside: addresses } as const);
    if (!decision.allowed) {
      const shown = target.describe.replace(/\?.*$/, '');
      const err = ruleViolation(
        'PULL_HOST_NOT_ALLOWED',
        `不允许连接数据库服务器 ${target.host}:${port}：它不在数据汇聚白名单中。须由平台管理员在“系统设置 → 数据汇聚白名单”中添加该数据库服务器。`,
        `The database server ${target.host}:${port} is not on the table-pull allow-list. A platform administrator must add it under System settings → Table-pull allow-list (系统设置 → 数据汇聚白名单).`,
        { host: target.host, port },
      );
      await recordAudit(this.db, actor, {
        action: 'protection.dataset.pull_denied',
        outcome: 'denied',
        target: { type: 'data_resource', id: resourceId, institutionId: profile.institutionId },
        details: {
          code: err.code,
          url: shown,
          host: target.host,
          port,
          addresses,
          ...(decision.outside.length > 0 ? { outside: decision.outside } : {}),
          ...(unresolved ? { unresolved: true } : {}),
        },
      });
      throw err;
    }
    if (addresses.length === 0) {
      // Allowed by name but the name does not resolve: nothing to connect to.
      throw sourceFailure(
        new SourceError('CONNECTION', `无法解析数据库服务器的主机名 ${target.host}`, `Cannot resolve the database server's host name ${target.host}`),
      );
    }
    return { addresses };
  }
}
