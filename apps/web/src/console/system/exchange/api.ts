import type {
  ExchangeHttpConfigInput,
  ExchangeImportResult,
  ExchangeQuality,
  ExchangeRunDetail,
  ExchangeRunPage,
  ExchangeSource,
  ExchangeSyncResult,
} from '@rongjian/shared/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../../shared/api/client.ts';

// Server contract: `@rongjian/shared/api` (exchange.ts).
export type {
  ExchangeFieldQuality,
  ExchangeHttpConfigInput,
  ExchangeImportResult,
  ExchangeQuality,
  ExchangeRun,
  ExchangeRunDetail,
  ExchangeRunError,
  ExchangeSource,
} from '@rongjian/shared/api';
export { downloadFile } from '../users/api.ts';

export const exchangeKeys = {
  all: ['exchange'] as const,
  sources: ['exchange', 'sources'] as const,
  runs: (q: { source?: string; after?: number; limit: number }) => ['exchange', 'runs', q] as const,
  run: (id: number) => ['exchange', 'run', id] as const,
  quality: (name: string) => ['exchange', 'quality', name] as const,
};

export function useExchangeSources() {
  return useQuery({
    queryKey: exchangeKeys.sources,
    queryFn: ({ signal }) => api.get<ExchangeSource[]>('/api/exchange/sources', undefined, signal),
  });
}

/**
 * Runs, newest first. A run in progress (an import elsewhere, a background sync) is followed until it ends, and so
 * is the list while `follow` is set (a sync was just queued: its run has not started yet).
 */
export function useExchangeRuns(q: { source?: string; after?: number; limit: number }, follow = false) {
  return useQuery({
    queryKey: exchangeKeys.runs(q),
    queryFn: ({ signal }) => api.get<ExchangeRunPage>('/api/exchange/runs', q, signal),
    placeholderData: (prev) => prev,
    refetchInterval: (query) =>
      follow || query.state.data?.items.some((r) => r.status === 'running') ? 2000 : false,
  });
}

export function useExchangeRun(id: number | null) {
  return useQuery({
    queryKey: exchangeKeys.run(id ?? 0),
    queryFn: ({ signal }) => api.get<ExchangeRunDetail>(`/api/exchange/runs/${id}`, undefined, signal),
    enabled: id !== null,
  });
}

export function useUpdateMapping() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ name, mapping }: { name: string; mapping: Record<string, string> }) =>
      api.put<ExchangeSource>(`/api/exchange/sources/${encodeURIComponent(name)}`, { mapping }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: exchangeKeys.sources }),
  });
}

export function useExchangeQuality(name: string | null) {
  return useQuery({
    queryKey: exchangeKeys.quality(name ?? ''),
    queryFn: ({ signal }) =>
      api.get<ExchangeQuality>(
        `/api/exchange/sources/${encodeURIComponent(name!)}/quality`,
        undefined,
        signal,
      ),
    enabled: name !== null,
  });
}

export function useUpdateHttpConfig() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ name, config }: { name: string; config: ExchangeHttpConfigInput }) =>
      api.put<ExchangeSource>(`/api/exchange/sources/${encodeURIComponent(name)}/http`, config),
    onSuccess: () => void qc.invalidateQueries({ queryKey: exchangeKeys.sources }),
  });
}

/** 立即同步: the sync runs as a background job; its run appears in the list when it starts. */
export function useSyncNow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) =>
      api.post<ExchangeSyncResult>(`/api/exchange/sources/${encodeURIComponent(name)}/sync`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: exchangeKeys.all }),
  });
}

/** Multipart upload: the JSON client cannot send a file, so this one call builds its own request (same CSRF rule). */
export function useImportFile(csrfToken: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ source, file }: { source: string; file: File }) => {
      const body = new FormData();
      body.append('file', file);
      const res = await fetch(`/api/exchange/sources/${encodeURIComponent(source)}/import`, {
        method: 'POST',
        headers: { 'x-csrf-token': csrfToken, accept: 'application/json' },
        credentials: 'same-origin',
        body,
      }).catch(() => {
        throw new ApiError(0, 'NETWORK_ERROR', '无法连接服务器，请检查网络后重试');
      });
      const data = (await res.json().catch(() => ({}))) as Partial<ExchangeImportResult> & {
        code?: string;
        message?: string;
      };
      if (!res.ok) {
        throw new ApiError(res.status, data.code ?? `HTTP_${res.status}`, data.message ?? '导入失败');
      }
      return data as ExchangeImportResult;
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: exchangeKeys.all }),
  });
}
