import type { DictOption } from '@rongjian/shared/api';
import { useQuery } from '@tanstack/react-query';
import { api } from './client.ts';

/**
 * A code table (码表) for any signed-in page: options for forms (`enabled` ones) and labels for stored values
 * (all, disabled included). The key sits under `dicts`, so the administrators' changes refresh it.
 */
export function useDict(type: string) {
  const query = useQuery({
    queryKey: ['dicts', 'options', type],
    queryFn: ({ signal }) =>
      api.get<{ items: DictOption[] }>(`/api/dicts/${encodeURIComponent(type)}`, undefined, signal),
    staleTime: 5 * 60_000,
  });
  const items = query.data?.items ?? [];
  return {
    ...query,
    items,
    options: items.filter((i) => i.enabled).map((i) => ({ value: i.value, label: i.label })),
    label: (value: string) => items.find((i) => i.value === value)?.label ?? value,
  };
}
