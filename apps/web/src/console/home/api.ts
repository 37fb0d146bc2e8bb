import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api/client.ts';

/** `GET /api/overview`: the county (or, by data scope, the user's part of it) at a glance. */
export interface Overview {
  entities: {
    total: number;
    byType: { type: string; label: string; count: number }[];
    byStation: { stationId: number; stationName: string; count: number }[];
    byRisk: { riskClass: 'A' | 'B' | 'C' | 'D' | null; count: number }[];
  };
  departments: number;
  stations: number;
  grids: number;
  staff: number;
}

export const overviewKeys = { all: ['overview'] as const };

export function useOverview(enabled = true) {
  return useQuery({
    queryKey: overviewKeys.all,
    queryFn: ({ signal }) => api.get<Overview>('/api/overview', undefined, signal),
    enabled,
    staleTime: 60_000,
  });
}
