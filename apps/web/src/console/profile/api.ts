import type { TotpEnrollment } from '@rongjian/shared/api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api/client.ts';
import { meKey } from '../../shared/auth/api.ts';
import type { SessionUser } from '../../shared/auth/types.ts';

// Server contract: `@rongjian/shared/api` (auth.ts), routes /api/auth/totp/*.

export type { TotpEnrollment } from '@rongjian/shared/api';

/** A new secret (QR code + text) waiting for its first code; replaces an unfinished enrollment. */
export function useEnrollTotp() {
  return useMutation({ mutationFn: () => api.post<TotpEnrollment>('/api/auth/totp/enroll') });
}

/** Every TOTP change answers with the user, whose `mfaEnabled` and `restriction` the app shows at once. */
function useAccountMutation<V>(fn: (vars: V) => Promise<{ user: SessionUser }>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: ({ user }) => qc.setQueryData(meKey, user) });
}

export function useActivateTotp() {
  return useAccountMutation((code: string) =>
    api.post<{ user: SessionUser }>('/api/auth/totp/activate', { code }),
  );
}

export function useDisableTotp() {
  return useAccountMutation((input: { password: string; code: string }) =>
    api.post<{ user: SessionUser }>('/api/auth/totp/disable', input),
  );
}

/** `JBSW Y3DP …`: groups of four are easier to type into an app by hand. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}
