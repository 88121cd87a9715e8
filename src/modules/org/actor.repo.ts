// Builds an Actor from the database: the user, their role grants and the reach of each grant.
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Actor, RequestInfo, RoleGrant } from './actor.ts';
import { isRole, type Permission, ROLE_PERMISSIONS } from './roles.ts';

/** For each root, the set of institutions in its subtree (root included). One recursive query. */
export async function subtreesOf(db: Db, roots: string[]): Promise<Map<string, Set<string>>> {
  const result = new Map<string, Set<string>>();
  if (roots.length === 0) return result;
  const rows = await sql<{ root: string; id: string }>`
    WITH RECURSIVE sub(root, id) AS (
      SELECT i.id, i.id FROM institutions i WHERE i.id = ANY(${roots}::uuid[])
      UNION
      SELECT sub.root, c.id FROM institutions c JOIN sub ON c.parent_id = sub.id
    )
    SELECT root::text AS root, id::text AS id FROM sub`.execute(db);
  for (const r of rows.rows) {
    const set = result.get(r.root) ?? new Set<string>();
    set.add(r.id);
    result.set(r.root, set);
  }
  return result;
}

export async function loadActor(
  db: Db,
  userId: string,
  info: RequestInfo,
  opts: { tokenScopes: readonly Permission[] | null; sessionId: string | null },
): Promise<Actor | null> {
  const user = await db
    .selectFrom('users as u')
    .innerJoin('institutions as i', 'i.id', 'u.institution_id')
    .select(['u.id', 'u.username', 'u.display_name', 'u.institution_id', 'u.status', 'i.kind'])
    .where('u.id', '=', userId)
    .executeTakeFirst();
  if (user?.status !== 'active') return null;

  const grantRows = await db
    .selectFrom('role_assignments as r')
    .innerJoin('institutions as i', 'i.id', 'r.institution_id')
    .select(['r.id', 'r.role', 'r.institution_id', 'i.kind'])
    .where('r.user_id', '=', userId)
    .execute();
  const roles: RoleGrant[] = grantRows
    .filter((g) => isRole(g.role))
    .map((g) => ({ id: g.id, role: g.role as RoleGrant['role'], institutionId: g.institution_id }));

  // Regulators' auditors read what the authority granted them, on top of their own institution.
  const regulatorIds = grantRows.filter((g) => g.role === 'auditor' && g.kind === 'regulator').map((g) => g.institution_id);
  const readGrants = regulatorIds.length
    ? await db.selectFrom('regulator_read_grants').select(['regulator_id', 'institution_id']).where('regulator_id', 'in', regulatorIds).execute()
    : [];

  const roots = new Set<string>([user.institution_id, ...roles.map((r) => r.institutionId)]);
  for (const g of readGrants) roots.add(g.institution_id);
  const trees = await subtreesOf(db, [...roots]);

  const permissions = new Map<Permission, Set<string> | 'all'>();
  let visible: Set<string> | 'all' = new Set([user.institution_id]);
  for (const grant of roles) {
    const platformWide = grant.role === 'platform_admin';
    const reach = new Set<string>(trees.get(grant.institutionId) ?? []);
    if (grant.role === 'auditor') {
      for (const g of readGrants) {
        if (g.regulator_id === grant.institutionId) for (const id of trees.get(g.institution_id) ?? []) reach.add(id);
      }
    }
    if (platformWide) visible = 'all';
    else if (visible !== 'all') for (const id of reach) visible.add(id);
    for (const p of ROLE_PERMISSIONS[grant.role]) {
      if (opts.tokenScopes && !opts.tokenScopes.includes(p)) continue;
      const current = permissions.get(p);
      if (platformWide || current === 'all') {
        permissions.set(p, 'all');
        continue;
      }
      const merged = current ?? new Set<string>();
      for (const id of reach) merged.add(id);
      permissions.set(p, merged);
    }
  }

  return {
    ...info,
    userId: user.id,
    username: user.username,
    displayName: user.display_name,
    institutionId: user.institution_id,
    institutionKind: user.kind,
    roles,
    permissions,
    visible,
    tokenScopes: opts.tokenScopes,
    sessionId: opts.sessionId,
  };
}
