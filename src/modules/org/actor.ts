// The actor: who is calling, for which institution, with which roles and reach. Every service call takes
// one. Reach is computed once per request from the institution tree (ORG-6): a role reaches the subtree
// of the institution it is scoped to; an auditor at a regulator also reaches what its read grants cover.
import type { Lang } from '../../app/errors.ts';
import type { Permission, Role } from './roles.ts';

export interface RoleGrant {
  id: string;
  role: Role;
  institutionId: string;
}

export interface RequestInfo {
  ip: string | null;
  requestId: string | null;
  lang: Lang;
  userAgent?: string | null;
}

export interface Actor extends RequestInfo {
  userId: string;
  username: string;
  displayName: string;
  /** The person's own institution (employer). */
  institutionId: string;
  institutionKind: string;
  roles: RoleGrant[];
  /** Institutions where each permission holds; 'all' for platform-wide reach. */
  permissions: Map<Permission, Set<string> | 'all'>;
  /** Institutions whose records the actor may know exist: union of all reaches plus their own. */
  visible: Set<string> | 'all';
  /** API-token callers carry the token's scopes; browser sessions have none (null). */
  tokenScopes: readonly Permission[] | null;
  sessionId: string | null;
}
