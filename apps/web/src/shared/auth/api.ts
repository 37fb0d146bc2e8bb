import type { PasswordRulesView } from '@rongjian/shared/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, request, setCsrfToken } from '../api/client.ts';
import type { SessionUser } from './types.ts';

export const meKey = ['auth', 'me'] as const;

/** The signed-in user, or null when there is no valid session. */
export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: async ({ signal }) => {
      try {
        const { user } = await request<{ user: SessionUser }>('GET', '/api/auth/me', {
          signal,
          quiet401: true,
        });
        setCsrfToken(user.csrfToken);
        return user;
      } catch (err) {
        if ((err as { status?: number }).status === 401) {
          setCsrfToken(null);
          return null;
        }
        throw err;
      }
    },
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** The user inside the console, where the route guard has already ensured there is one. */
export function useCurrentUser(): SessionUser {
  const { data } = useMe();
  if (!data) throw new Error('useCurrentUser() used outside the signed-in console');
  return data;
}

/**
 * Where a restricted session must go first (change the password, enroll TOTP); null for a normal session.
 * The server refuses every other route to such a session, so the app does not even try.
 */
export function restrictedPath(user: Pick<SessionUser, 'restriction'>): string | null {
  switch (user.restriction) {
    case 'password_change':
      return '/change-password';
    case 'mfa_enroll':
      return '/profile?enroll=1';
    default:
      return null;
  }
}

export interface LoginInput {
  username: string;
  password: string;
  /** The 6-digit code of the authenticator app, once the server asked for it (MFA_REQUIRED). */
  totp?: string;
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: LoginInput) => api.post<{ user: SessionUser }>('/api/auth/login', input),
    onSuccess: ({ user }) => {
      qc.clear();
      setCsrfToken(user.csrfToken);
      qc.setQueryData(meKey, user);
    },
  });
}

/** Ends the session; the page goes to /login first so that no console page re-renders without a user. */
export function useLogout() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => api.post<void>('/api/auth/logout'),
    onSettled: async () => {
      await navigate('/login', { replace: true });
      setCsrfToken(null);
      qc.clear();
      qc.setQueryData(meKey, null);
    },
  });
}

/** The rules a new password must meet (密码策略), for hints and the live checklist. */
export function usePasswordRules() {
  return useQuery({
    queryKey: ['auth', 'password-policy'],
    queryFn: ({ signal }) => api.get<PasswordRulesView>('/api/auth/password-policy', undefined, signal),
    staleTime: 5 * 60_000,
  });
}

export interface ChangePasswordInput {
  currentPassword: string;
  newPassword: string;
}

/** Change one's own password; the answer is the user with the session's new restriction (usually none). */
export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ChangePasswordInput) => api.post<{ user: SessionUser }>('/api/auth/password', input),
    onSuccess: ({ user }) => qc.setQueryData(meKey, user),
  });
}
