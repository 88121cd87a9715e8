// Who may record asset checks and resolve their findings (AST-3), as the server decides it: system.manage
// at the check's institution (SystemsService.createCheck / resolveFinding), where a role reaches the subtree
// of the institution it is held at (ORG-6). The server stays the judge; this only decides which buttons show.
import { useMemo } from 'react';
import { ROLE_PERMISSIONS } from '../../../../src/modules/org/roles.ts';
import { useInstitutionTree } from '../../components/institutions.tsx';
import { useMe } from '../../session.tsx';
import type { Permission } from '../../types.ts';

export interface Reach {
  /** The permission holds at this institution (a role at it or at an ancestor). */
  at: (institutionId: string) => boolean;
  /** The permission holds somewhere. */
  any: boolean;
  /** The institutions the roles granting it are held at. */
  roots: string[];
}

export function useReach(perm: Permission): Reach {
  const me = useMe();
  const tree = useInstitutionTree();
  return useMemo(() => {
    const roots = new Set(me.roles.filter((r) => (ROLE_PERMISSIONS[r.role] as readonly string[]).includes(perm)).map((r) => r.institutionId));
    const parent = new Map((tree.data ?? []).map((n) => [n.id, n.parentId ?? null]));
    const at = (institutionId: string) => {
      const seen = new Set<string>();
      for (let id: string | null | undefined = institutionId; id && !seen.has(id); id = parent.get(id)) {
        if (roots.has(id)) return true;
        seen.add(id);
      }
      return false;
    };
    return { at, any: roots.size > 0, roots: [...roots] };
  }, [me.roles, tree.data, perm]);
}
