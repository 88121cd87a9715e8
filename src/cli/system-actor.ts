// The operator at the machine. CLI commands run with the database's credentials, so they act with
// platform-wide reach; they still go through the services (same rules, same audit events), recorded as
// the OS user who ran them (`cli:<user>`), with no platform user id.
import os from 'node:os';
import type { Actor } from '../modules/org/actor.ts';
import { PERMISSIONS, type Permission } from '../modules/org/roles.ts';

export function systemActor(rootInstitutionId: string | null): Actor {
  let who = 'operator';
  try {
    who = os.userInfo().username;
  } catch {
    // no passwd entry (containers): keep the generic name
  }
  return {
    // No platform account stands behind the CLI: audit rows carry a null user id and this name.
    userId: null as unknown as string,
    username: `cli:${who}`,
    displayName: `命令行 (${who})`,
    institutionId: rootInstitutionId as string,
    institutionKind: 'authority',
    roles: rootInstitutionId ? [{ id: 'cli', role: 'platform_admin', institutionId: rootInstitutionId }] : [],
    permissions: new Map(PERMISSIONS.map((p) => [p, 'all'] as [Permission, 'all'])),
    visible: 'all',
    tokenScopes: null,
    sessionId: null,
    ip: null,
    requestId: null,
    lang: 'zh',
  };
}
