// The logged-in session: `GET /api/me` through TanStack Query, the CSRF token it carries, and helpers.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, setCsrfToken } from './api.ts';
import type { Me, Permission, SessionInfo } from './types.ts';

export const ME_KEY = ['me'] as const;

export async function fetchSession(): Promise<SessionInfo> {
  const s = await api.get<SessionInfo>('/api/me', undefined, { noAuthRedirect: true });
  setCsrfToken(s.csrfToken);
  return s;
}

export function useSessionQuery() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchSession, retry: false, staleTime: 60_000 });
}

/** The current user; only call below <RequireAuth>, where the session is known to exist. */
export function useMe(): Me {
  const { data } = useSessionQuery();
  if (!data) throw new Error('useMe() outside an authenticated route');
  return data.user;
}

export function useCan(): (perm: Permission) => boolean {
  const { data } = useSessionQuery();
  const perms = data?.user.permissions;
  return useCallback((perm: Permission) => !!perms?.includes(perm), [perms]);
}

/** Stores a fresh session (after login) in the cache so guards see it at once. */
export function useAcceptSession(): (s: SessionInfo) => void {
  const qc = useQueryClient();
  return useCallback(
    (s: SessionInfo) => {
      setCsrfToken(s.csrfToken);
      qc.setQueryData(ME_KEY, s);
    },
    [qc],
  );
}

/** Where a user must go first, if anywhere (forced password change, forced TOTP enrolment). */
export function forcedPath(me: Me): string | null {
  if (me.mustChangePassword) return '/change-password';
  if (me.totpEnrolmentRequired) return '/totp-setup';
  return null;
}

/** Only same-app paths are accepted as a post-login target (no open redirect). */
export function safeNext(next: string | null | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/login')) return '/';
  return next;
}
