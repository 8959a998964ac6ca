/** Who is signed in (GET /api/v1/me with the session cookie), sign-in and sign-out. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { ApiError, call, setCsrfToken } from '../api/client';

export const ROLES = ['unit_officer', 'coordinator', 'leader', 'police_liaison', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Me {
  userId: string;
  name: string;
  role: Role;
  unitId: string | null;
  locale: string;
}

interface MeAnswer {
  userId?: string;
  id?: string;
  name: string;
  role: Role;
  unitId: string | null;
  locale: string;
  csrfToken?: string;
}

const toMe = (a: MeAnswer): Me => ({
  userId: a.userId ?? a.id ?? '',
  name: a.name,
  role: a.role,
  unitId: a.unitId,
  locale: a.locale,
});

export const ME_KEY = ['me'] as const;

/** The signed-in person, or null when signed out. */
export async function fetchMe(): Promise<Me | null> {
  try {
    const a = await call<MeAnswer>('GET', '/api/v1/me');
    if (a.csrfToken) setCsrfToken(a.csrfToken);
    return toMe(a);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** undefined while loading, null when signed out. */
export function useMe(): { me: Me | null | undefined; error: unknown } {
  const q = useQuery({
    queryKey: ME_KEY,
    queryFn: fetchMe,
    staleTime: Infinity,
    retry: false,
  });
  return { me: q.data, error: q.error };
}

export function useSignIn() {
  const qc = useQueryClient();
  return useCallback(
    async (username: string, password: string): Promise<Me> => {
      const a = await call<{ user: MeAnswer; csrfToken: string }>('POST', '/api/v1/session', {
        username,
        password,
      });
      setCsrfToken(a.csrfToken);
      const me = toMe(a.user);
      qc.clear();
      qc.setQueryData(ME_KEY, me);
      return me;
    },
    [qc],
  );
}

export function useSignOut() {
  const qc = useQueryClient();
  return useCallback(async () => {
    try {
      await call('DELETE', '/api/v1/session');
    } finally {
      setCsrfToken(null);
      qc.clear();
      qc.setQueryData(ME_KEY, null);
    }
  }, [qc]);
}

/** Where each role's work is. */
export function homeOf(role: Role): string {
  switch (role) {
    case 'unit_officer':
      return '/my-work';
    case 'coordinator':
      return '/reviews/plans';
    case 'leader':
      return '/escalations';
    case 'police_liaison':
      return '/referrals';
    case 'admin':
      return '/admin';
  }
}

/** A `next` target from the address bar, kept only if it is a path of this site. */
export function safeNext(raw: string | null): string | null {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return null;
  if (raw.startsWith('/sign-in')) return null;
  return raw;
}
