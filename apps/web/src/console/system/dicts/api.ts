import type { DictItem, DictType } from '@rongjian/shared/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api/client.ts';

// Server contract: `@rongjian/shared/api` (dicts.ts).
export type { DictItem, DictOption, DictType } from '@rongjian/shared/api';
export { DICT_CODE_PATTERN } from '@rongjian/shared/api';

export interface DictTypeInput {
  code: string;
  name: string;
  description: string;
}

export interface DictItemInput {
  value: string;
  label: string;
  parentValue: string | null;
  sort: number;
  enabled: boolean;
  color: string | null;
}

/** A new item may leave its order to the server (after the last one). */
export type NewDictItem = Omit<DictItemInput, 'sort'> & { sort?: number };

export const dictKeys = {
  all: ['dicts'] as const,
  types: (keyword: string) => ['dicts', 'types', keyword] as const,
  items: (code: string, filter: { keyword?: string; enabled?: string }) =>
    ['dicts', 'items', code, filter] as const,
};

export function useDictTypes(keyword: string) {
  return useQuery({
    queryKey: dictKeys.types(keyword),
    queryFn: ({ signal }) => api.get<{ items: DictType[] }>('/api/system/dicts', { keyword }, signal),
    placeholderData: (prev) => prev,
  });
}

export function useDictItems(code: string | null, filter: { keyword?: string; enabled?: string }) {
  return useQuery({
    queryKey: dictKeys.items(code ?? '', filter),
    queryFn: ({ signal }) =>
      api.get<{ items: DictItem[] }>(
        `/api/system/dicts/${encodeURIComponent(code ?? '')}/items`,
        filter,
        signal,
      ),
    enabled: code !== null,
    placeholderData: (prev) => prev,
  });
}

/** Every dictionary change may alter any list or option list, so all dictionary queries are refreshed. */
function useDictMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: dictKeys.all }) });
}

export const useCreateType = () =>
  useDictMutation((t: DictTypeInput) => api.post<DictType>('/api/system/dicts', t));
export const useUpdateType = () =>
  useDictMutation(({ code, ...body }: DictTypeInput) =>
    api.put<DictType>(`/api/system/dicts/${encodeURIComponent(code)}`, {
      name: body.name,
      description: body.description,
    }),
  );
export const useDeleteType = () =>
  useDictMutation((code: string) => api.delete(`/api/system/dicts/${encodeURIComponent(code)}`));

export const useCreateItem = () =>
  useDictMutation(({ code, item }: { code: string; item: NewDictItem }) =>
    api.post<DictItem>(`/api/system/dicts/${encodeURIComponent(code)}/items`, item),
  );
export const useUpdateItem = () =>
  useDictMutation(({ code, id, item }: { code: string; id: number; item: Partial<DictItemInput> }) =>
    api.put<DictItem>(`/api/system/dicts/${encodeURIComponent(code)}/items/${id}`, item),
  );
export const useDeleteItem = () =>
  useDictMutation(({ code, id }: { code: string; id: number }) =>
    api.delete(`/api/system/dicts/${encodeURIComponent(code)}/items/${id}`),
  );

/** Preset tag colours offered in the item form (antd preset names). */
export const COLOR_OPTIONS = [
  { value: 'default', label: '默认' },
  { value: 'blue', label: '蓝' },
  { value: 'green', label: '绿' },
  { value: 'orange', label: '橙' },
  { value: 'red', label: '红' },
  { value: 'purple', label: '紫' },
  { value: 'cyan', label: '青' },
  { value: 'gold', label: '金' },
];
