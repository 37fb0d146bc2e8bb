import type { AnalysisQueuePage, JudgmentInput, JudgmentResult, Workbench } from '@rongjian/shared/api';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api/client.ts';

// Server contract: `@rongjian/shared/api` (analysis-judgments.ts), `/api/analysis/queue|clues|judgments`.
export type {
  AnalysisQueueItem,
  Judgment,
  JudgmentInput,
  Workbench,
  WorkbenchSimilar,
  WorkbenchSuggestion,
} from '@rongjian/shared/api';

export interface QueueFilter {
  businessLine?: string | undefined;
  kind?: string | undefined;
  channel?: string | undefined;
}

export const analysisKeys = {
  all: ['analysis'] as const,
  queue: (f: QueueFilter) => ['analysis', 'queue', f] as const,
  workbench: (id: number) => ['analysis', 'workbench', id] as const,
};

export function useAnalysisQueue(f: QueueFilter) {
  return useInfiniteQuery({
    queryKey: analysisKeys.queue(f),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      api.get<AnalysisQueuePage>('/api/analysis/queue', { ...f, after: pageParam, limit: 30 }, signal),
    getNextPageParam: (last) => last.nextAfter ?? undefined,
  });
}

export function useWorkbench(id: number | null) {
  return useQuery({
    queryKey: analysisKeys.workbench(id ?? 0),
    queryFn: ({ signal }) => api.get<Workbench>(`/api/analysis/clues/${id}/workbench`, undefined, signal),
    enabled: id !== null && id > 0,
  });
}

export function useJudge() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: JudgmentInput) => api.post<JudgmentResult>('/api/analysis/judgments', body),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: analysisKeys.all });
      void qc.invalidateQueries({ queryKey: ['clues'] });
      void qc.invalidateQueries({ queryKey: ['inbox'] });
    },
    retry: false,
  });
}
