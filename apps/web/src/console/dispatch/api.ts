import type {
  DispatchActionInput,
  DispatchBoard,
  DispatchModule,
  DispatchOfficer,
  DispatchOrderCreate,
  DispatchOrderDetail,
  DispatchQueue,
  DispatchRule,
  DispatchRuleInput,
  DispatchSuggestion,
  OfficerConflict,
  OfficerConflictInput,
  OfficerLeave,
  OfficerLeaveInput,
} from '@rongjian/shared/api';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api/client.ts';

// Server contract: `@rongjian/shared/api` (dispatch.ts), `/api/dispatch*`.

export const dispatchKeys = {
  all: ['dispatch'] as const,
  board: (f: BoardFilter) => ['dispatch', 'board', f] as const,
  queue: (q: string) => ['dispatch', 'queue', q] as const,
  order: (id: number) => ['dispatch', 'order', id] as const,
  suggest: (clueId: number, module: DispatchModule, departmentId: number | undefined) =>
    ['dispatch', 'suggest', clueId, module, departmentId ?? null] as const,
  rules: ['dispatch', 'rules'] as const,
  options: ['dispatch', 'options'] as const,
  leaves: ['dispatch', 'leaves'] as const,
  conflicts: ['dispatch', 'conflicts'] as const,
  officers: (departmentId: number) => ['dispatch', 'officers', departmentId] as const,
};

export interface BoardFilter {
  status?: 'open' | 'pending' | 'signed' | 'handling' | 'completed' | 'returned' | 'all';
  module?: DispatchModule | undefined;
  departmentId?: number | undefined;
  deadlineState?: 'normal' | 'warning' | 'overdue' | undefined;
  q?: string | undefined;
}

export function useBoard(f: BoardFilter) {
  return useQuery({
    queryKey: dispatchKeys.board(f),
    queryFn: ({ signal }) => api.get<DispatchBoard>('/api/dispatch/orders', { ...f, limit: 200 }, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
}

export function useQueue(q: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: dispatchKeys.queue(q),
    queryFn: ({ signal }) => api.get<DispatchQueue>('/api/dispatch/queue', { q, limit: 100 }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useOrder(id: number) {
  return useQuery({
    queryKey: dispatchKeys.order(id),
    queryFn: ({ signal }) => api.get<DispatchOrderDetail>(`/api/dispatch/orders/${id}`, undefined, signal),
  });
}

export function useSuggestion(clueId: number | null, module: DispatchModule, departmentId?: number) {
  return useQuery({
    enabled: clueId !== null,
    queryKey: dispatchKeys.suggest(clueId ?? 0, module, departmentId),
    queryFn: ({ signal }) =>
      api.get<DispatchSuggestion>('/api/dispatch/suggest', { clueId, module, departmentId }, signal),
  });
}

export interface DispatchOptions {
  departments: { id: number; name: string; kind: string }[];
  grids: { id: number; name: string; stationId: number }[];
}
export function useDispatchOptions() {
  return useQuery({
    queryKey: dispatchKeys.options,
    queryFn: () => api.get<DispatchOptions>('/api/dispatch/options'),
    staleTime: 5 * 60_000,
  });
}

export function useCreateOrder() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DispatchOrderCreate) =>
      api.post<{ id: number; number: string }>('/api/dispatch/orders', body),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: dispatchKeys.all });
      void qc.invalidateQueries({ queryKey: ['clues'] });
    },
  });
}

export function useOrderAction(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DispatchActionInput) =>
      api.post<DispatchOrderDetail>(`/api/dispatch/orders/${id}/actions`, body),
    onSuccess: (detail) => qc.setQueryData(dispatchKeys.order(id), detail),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: dispatchKeys.all });
      void qc.invalidateQueries({ queryKey: ['clues'] });
      void qc.invalidateQueries({ queryKey: ['inbox'] });
    },
  });
}

export function useRules() {
  return useQuery({
    queryKey: dispatchKeys.rules,
    queryFn: () => api.get<{ items: DispatchRule[] }>('/api/dispatch/rules'),
  });
}

export function useSaveRule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: DispatchRuleInput }) =>
      id === null
        ? api.post<DispatchRule>('/api/dispatch/rules', body)
        : api.put<DispatchRule>(`/api/dispatch/rules/${id}`, body),
    onSettled: () => qc.invalidateQueries({ queryKey: dispatchKeys.rules }),
  });
}

export function useDeleteRule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete(`/api/dispatch/rules/${id}`),
    onSettled: () => qc.invalidateQueries({ queryKey: dispatchKeys.rules }),
  });
}

export function useOfficers(departmentId: number | undefined) {
  return useQuery({
    enabled: departmentId !== undefined,
    queryKey: dispatchKeys.officers(departmentId ?? 0),
    queryFn: () => api.get<{ items: DispatchOfficer[] }>('/api/dispatch/officers', { departmentId }),
  });
}

export function useLeaves() {
  return useQuery({
    queryKey: dispatchKeys.leaves,
    queryFn: () => api.get<{ items: OfficerLeave[] }>('/api/dispatch/leaves', { current: 'true' }),
  });
}
export function useConflicts() {
  return useQuery({
    queryKey: dispatchKeys.conflicts,
    queryFn: () => api.get<{ items: OfficerConflict[] }>('/api/dispatch/conflicts'),
  });
}

export function useAvailabilityMutations() {
  const qc = useQueryClient();
  const done = () => qc.invalidateQueries({ queryKey: dispatchKeys.all });
  return {
    addLeave: useMutation({
      mutationFn: (body: OfficerLeaveInput) => api.post<OfficerLeave>('/api/dispatch/leaves', body),
      onSettled: done,
    }),
    removeLeave: useMutation({
      mutationFn: (id: number) => api.delete(`/api/dispatch/leaves/${id}`),
      onSettled: done,
    }),
    addConflict: useMutation({
      mutationFn: (body: OfficerConflictInput) => api.post<OfficerConflict>('/api/dispatch/conflicts', body),
      onSettled: done,
    }),
    removeConflict: useMutation({
      mutationFn: (id: number) => api.delete(`/api/dispatch/conflicts/${id}`),
      onSettled: done,
    }),
  };
}
