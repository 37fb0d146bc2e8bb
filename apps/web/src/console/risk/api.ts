import type { EntityRiskView, RiskOverview, RiskRecomputeQueued } from '@rongjian/shared/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api/client.ts';
import { entityKeys } from '../entities/api.ts';

// Server contract: `@rongjian/shared/api` (risk.ts).
export type { EntityRisk, RiskContribution, RiskOverview } from '@rongjian/shared/api';

export const riskKeys = { overview: ['risk', 'overview'] as const };

/** The A/B/C/D distribution in the user's data scope, the indicators' hits and the model in force. */
export function useRiskOverview() {
  return useQuery({
    queryKey: riskKeys.overview,
    queryFn: ({ signal }) => api.get<RiskOverview>('/api/risk/overview', undefined, signal),
    // While a full recomputation waits or runs, look again now and then.
    refetchInterval: (q) =>
      q.state.data?.lastRun && ['pending', 'running'].includes(q.state.data.lastRun.status) ? 5000 : false,
  });
}

/** Queue the recomputation of every entity (or join the one already queued). */
export function useRecomputeAll() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<RiskRecomputeQueued>('/api/risk/recompute'),
    onSuccess: () => qc.invalidateQueries({ queryKey: riskKeys.overview }),
  });
}

/** Recompute one entity now; its profile (class, explanation, timeline) is read again. */
export function useRecomputeEntity(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<EntityRiskView>(`/api/entities/${id}/risk/recompute`),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: entityKeys.detail(id) }),
        qc.invalidateQueries({ queryKey: riskKeys.overview }),
      ]),
  });
}

/** Colours of the four classes (as the home page's distribution), for bars and markers. */
export const RISK_COLORS = { A: '#52c41a', B: '#1677ff', C: '#fa8c16', D: '#f5222d' } as const;

/** `default` → 系统默认模型; a date → the version in force from that day. */
export function modelVersionLabel(version: string): string {
  return version === 'default' ? '系统默认模型' : `${version} 起生效的模型`;
}
