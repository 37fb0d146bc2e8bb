import type { EntityPage, EntityProfile } from '@rongjian/shared/api';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api/client.ts';

// Server contract: `@rongjian/shared/api` (entities.ts).

export type { EntityPage, EntityProfile, EntitySummary } from '@rongjian/shared/api';
export { downloadFile } from '../system/users/api.ts';

export interface EntityFilter {
  q?: string | undefined;
  uscc?: string | undefined;
  address?: string | undefined;
  stationId?: number | undefined;
  gridId?: number | undefined;
  type?: 'enterprise' | 'individual' | 'cooperative' | undefined;
  businessLine?: string | undefined;
  riskClass?: 'A' | 'B' | 'C' | 'D' | undefined;
  licenceStatus?: 'expired' | 'within30' | 'within60' | 'within90' | undefined;
}

export const entityKeys = {
  all: ['entities'] as const,
  list: (f: EntityFilter, after: number | undefined, limit: number) =>
    ['entities', 'list', f, after ?? null, limit] as const,
  detail: (id: number) => ['entities', 'detail', id] as const,
  licenceExpiryDays: ['entities', 'licenceExpiryDays'] as const,
};

/** The search page's list: when no name contains `q` as typed, the server answers the names most like it. */
export function useEntities(f: EntityFilter, after: number | undefined, limit: number) {
  return useQuery({
    queryKey: entityKeys.list(f, after, limit),
    queryFn: ({ signal }) =>
      api.get<EntityPage>('/api/entities', { ...f, after, limit, similar: f.q ? '1' : undefined }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useEntity(id: number) {
  return useQuery({
    queryKey: entityKeys.detail(id),
    queryFn: ({ signal }) => api.get<EntityProfile>(`/api/entities/${id}`, undefined, signal),
    enabled: Number.isInteger(id) && id > 0,
  });
}

/**
 * The day counts of the three 许可证到期预警 tiers the search's licence-status filter applies (first/second/third
 * tier = within30/60/90), as the search answers them; undefined until known or without search permission.
 */
export function useLicenceExpiryDays(enabled = true) {
  return useQuery({
    queryKey: entityKeys.licenceExpiryDays,
    queryFn: ({ signal }) => api.get<EntityPage>('/api/entities', { limit: 1 }, signal),
    select: (page) => page.licenceExpiryDays,
    staleTime: 60_000,
    enabled,
  });
}
