// Loads the demo city (demo-city.ts) in one transaction. Refuses a database that already has institutions,
// so it can never mix demo accounts into a real deployment's data.
import type { Db } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { hashPassword } from '../auth/passwords.ts';
import { DATA_PULL_HOSTS_KEY } from '../settings/data-pull-hosts.ts';
import { DEMO_DATA_PULL_HOSTS, DEMO_INSTITUTIONS, DEMO_PASSWORD, DEMO_READ_GRANTS, DEMO_TOTP_SECRET, DEMO_USERS } from './demo-city.ts';
import { requiresTotp } from './roles.ts';

export interface DemoCredentials {
  username: string;
  displayName: string;
  password: string;
  roles: string[];
  totpSecret: string | null;
}

export class DatabaseNotEmptyError extends Error {
  constructor() {
    super('The database already has institutions; the demo city is only loaded into an empty database');
  }
}

export async function seedDemoCity(db: Db): Promise<DemoCredentials[]> {
  const hashes = await Promise.all(DEMO_USERS.map(() => hashPassword(DEMO_PASSWORD)));
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('institutions').select('id').limit(1).executeTakeFirst();
    if (existing) throw new DatabaseNotEmptyError();
    const ids = new Map<string, string>();
    for (const inst of DEMO_INSTITUTIONS) {
      const id = uuidv7();
      ids.set(inst.key, id);
      await trx
        .insertInto('institutions')
        .values({
          id,
          parent_id: inst.parent ? (ids.get(inst.parent) as string) : null,
          kind: inst.kind,
          name: inst.name,
          code: inst.code,
          admin_level: inst.adminLevel,
          sector: inst.sector,
          profile: JSON.stringify(inst.profile),
          short_name: null,
        })
        .execute();
    }
    const out: DemoCredentials[] = [];
    const now = new Date();
    for (const [i, u] of DEMO_USERS.entries()) {
      const id = uuidv7();
      const withTotp = requiresTotp(u.roles.map((r) => r.role));
      const hash = hashes[i] as string;
      await trx
        .insertInto('users')
        .values({
          id,
          username: u.username,
          display_name: u.displayName,
          institution_id: ids.get(u.home) as string,
          password_hash: hash,
          email: `${u.username}@demo.shuan.invalid`,
          phone: null,
          // Pre-enrolled TOTP: only the demo city does this, so a newcomer can log in at once.
          totp_secret: withTotp ? DEMO_TOTP_SECRET : null,
          totp_enabled_at: withTotp ? now : null,
          totp_last_step: null,
        })
        .execute();
      await trx.insertInto('password_history').values({ id: uuidv7(), user_id: id, password_hash: hash }).execute();
      for (const r of u.roles) {
        await trx
          .insertInto('role_assignments')
          .values({ id: uuidv7(), user_id: id, role: r.role, institution_id: ids.get(r.at) as string, granted_by: null })
          .execute();
      }
      out.push({
        username: u.username,
        displayName: u.displayName,
        password: DEMO_PASSWORD,
        roles: u.roles.map((r) => r.role),
        totpSecret: withTotp ? DEMO_TOTP_SECRET : null,
      });
    }
    for (const g of DEMO_READ_GRANTS) {
      await trx
        .insertInto('regulator_read_grants')
        .values({
          id: uuidv7(),
          regulator_id: ids.get(g.regulator) as string,
          institution_id: ids.get(g.institution) as string,
          note: '演示数据',
          granted_by: null,
        })
        .execute();
    }
    // Table pulls from this machine's databases (the demo dataset flows); kept if the list was already set.
    await trx
      .insertInto('settings')
      .values({ key: DATA_PULL_HOSTS_KEY, value: JSON.stringify({ hosts: DEMO_DATA_PULL_HOSTS }), updated_by: null })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    await recordAudit(
      trx,
      { userId: null, username: 'system', institutionId: null, ip: null, requestId: null },
      {
        action: 'system.seed_demo',
        details: { institutions: DEMO_INSTITUTIONS.length, users: DEMO_USERS.length, dataPullHosts: DEMO_DATA_PULL_HOSTS },
      },
    );
    return out;
  });
}
