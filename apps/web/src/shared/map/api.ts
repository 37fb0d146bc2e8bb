import type { GridFeatureCollection, MapConfig } from '@rongjian/shared/api';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';

// Server contract: `@rongjian/shared/api` (map.ts).

export type { MapConfig, MapFeature, MapLayerData, MapLayerInfo, MapLegendItem } from '@rongjian/shared/api';

export const mapKeys = {
  config: ['map', 'config'] as const,
  grids: (stationId: number | undefined) => ['map', 'grids', stationId ?? null] as const,
};

/** Tile service (null = offline) and the layers the user may see; changes rarely. */
export function useMapConfig() {
  return useQuery({
    queryKey: mapKeys.config,
    queryFn: ({ signal }) => api.get<MapConfig>('/api/map/config', undefined, signal),
    staleTime: 5 * 60_000,
  });
}

/** The user's grids with their boundaries (needs 一张图 permission). */
export function useMapGrids(enabled = true, stationId?: number) {
  return useQuery({
    queryKey: mapKeys.grids(stationId),
    queryFn: ({ signal }) => api.get<GridFeatureCollection>('/api/map/grids', { stationId }, signal),
    staleTime: 60_000,
    enabled,
  });
}
