import type {
  Finding,
  FindingDetector,
  FindingPage,
  FindingRunResult,
  FindingStatus,
} from '@rongjian/shared/api';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api/client.ts';

// Server contract: `@rongjian/shared/api` (analysis-findings.ts), `/api/analysis/findings*`.
export type { Finding, FindingDetector, FindingStatus } from '@rongjian/shared/api';

export interface FindingFilter {
  detector?: FindingDetector | undefined;
  status?: FindingStatus | undefined;
  businessLine?: string | undefined;
  gridId?: number | undefined;
}

export const findingKeys = {
  all: ['analysis', 'findings'] as const,
  list: (f: FindingFilter, after: number | undefined, limit: number) =>
    ['analysis', 'findings', f, after ?? null, limit] as const,
};

export function useFindings(f: FindingFilter, after: number | undefined, limit: number) {
  return useQuery({
    queryKey: findingKeys.list(f, after, limit),
    queryFn: ({ signal }) => api.get<FindingPage>('/api/analysis/findings', { ...f, after, limit }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useRunDetectors() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<FindingRunResult>('/api/analysis/findings/run', {}),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: findingKeys.all });
      void qc.invalidateQueries({ queryKey: ['clues'] });
      void qc.invalidateQueries({ queryKey: ['analysis', 'queue'] });
    },
    retry: false,
  });
}

export function useHandleFinding() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number; action: 'confirm' | 'dismiss'; note: string }) =>
      api.post<Finding>(`/api/analysis/findings/${v.id}/${v.action}`, { note: v.note }),
    onSettled: () => void qc.invalidateQueries({ queryKey: findingKeys.all }),
    retry: false,
  });
}
