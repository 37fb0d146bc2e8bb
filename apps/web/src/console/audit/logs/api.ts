import type { AuditLogDetail, AuditLogPage, AuditResult, AuditVerify } from '@rongjian/shared/api';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../../shared/api/client.ts';

// Server contract: `@rongjian/shared/api` (audit.ts), `GET /api/audit/logs*` and `GET /api/audit/verify`.
export type { AuditLog, AuditLogDetail, AuditLogPage, AuditVerify } from '@rongjian/shared/api';

export type AuditLogQuery = {
  from?: string | undefined;
  to?: string | undefined;
  actor?: string | undefined;
  /** Prefix of the action, e.g. `system:user` or `POST /api/auth`. */
  action?: string | undefined;
  objectType?: string | undefined;
  objectId?: string | undefined;
  result?: AuditResult | undefined;
  keyword?: string | undefined;
  after?: number | undefined;
  limit: number;
};

export function useAuditLogs(q: AuditLogQuery) {
  return useQuery({
    queryKey: ['audit', 'logs', q],
    queryFn: ({ signal }) => api.get<AuditLogPage>('/api/audit/logs', q, signal),
    placeholderData: (prev) => prev,
  });
}

export function useAuditLog(id: number | null) {
  return useQuery({
    queryKey: ['audit', 'log', id],
    queryFn: ({ signal }) => api.get<AuditLogDetail>(`/api/audit/logs/${id}`, undefined, signal),
    enabled: id !== null,
  });
}

/** Walks the whole chain on the server; a button action rather than a background query. */
export function useVerifyChain() {
  return useMutation({ mutationFn: () => api.get<AuditVerify>('/api/audit/verify') });
}
