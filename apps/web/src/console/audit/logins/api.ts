import type { AuditResult, LoginLogPage } from '@rongjian/shared/api';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../shared/api/client.ts';

// Server contract: `@rongjian/shared/api` (audit.ts), `GET /api/audit/logins`.
export type { LoginLog, LoginLogPage } from '@rongjian/shared/api';

export type LoginLogQuery = {
  from?: string | undefined;
  to?: string | undefined;
  username?: string | undefined;
  ip?: string | undefined;
  result?: AuditResult | undefined;
  after?: number | undefined;
  limit: number;
};

export function useLoginLogs(q: LoginLogQuery) {
  return useQuery({
    queryKey: ['audit', 'logins', q],
    queryFn: ({ signal }) => api.get<LoginLogPage>('/api/audit/logins', q, signal),
    placeholderData: (prev) => prev,
  });
}
