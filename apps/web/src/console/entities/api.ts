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
};

export function useEntities(f: EntityFilter, after: number | undefined, limit: number) {
  return useQuery({
    queryKey: entityKeys.list(f, after, limit),
    queryFn: ({ signal }) => api.get<EntityPage>('/api/entities', { ...f, after, limit }, signal),
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
