import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api/client.ts';

import type { Overview } from '@rongjian/shared/api';

export type { Overview } from '@rongjian/shared/api';

export const overviewKeys = { all: ['overview'] as const };

export function useOverview(enabled = true) {
  return useQuery({
    queryKey: overviewKeys.all,
    queryFn: ({ signal }) => api.get<Overview>('/api/overview', undefined, signal),
    enabled,
    staleTime: 60_000,
  });
}
