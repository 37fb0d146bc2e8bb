import type { MapLayerData, UnlocatedPage, UnlocatedReason } from '@rongjian/shared/api';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api/client.ts';
import type { Viewport } from '../../shared/map/MapView.tsx';

// Server contract: `@rongjian/shared/api` (map.ts).

export type { UnlocatedEntity, UnlocatedPage, UnlocatedReason } from '@rongjian/shared/api';

/** The entity layer's filters: the same as the entity search (`/api/entities`). */
export interface MapFilter {
  q?: string | undefined;
  stationId?: number | undefined;
  gridId?: number | undefined;
  type?: 'enterprise' | 'individual' | 'cooperative' | undefined;
  businessLine?: string | undefined;
  riskClass?: 'A' | 'B' | 'C' | 'D' | undefined;
  licenceStatus?: 'expired' | 'within30' | 'within60' | 'within90' | undefined;
}

export const mapPageKeys = {
  layer: (key: string, v: Viewport | null, f: MapFilter) => ['map', 'layer', key, v, f] as const,
  unlocated: (reason: UnlocatedReason | undefined, after: number | undefined) =>
    ['map', 'unlocated', reason ?? null, after ?? null] as const,
};

/** One layer's features (or per-grid counts) in the viewport. */
export function useLayerData(key: string, viewport: Viewport | null, filter: MapFilter) {
  return useQuery({
    queryKey: mapPageKeys.layer(key, viewport, filter),
    queryFn: ({ signal }) =>
      api.get<MapLayerData>(
        `/api/map/layers/${key}`,
        { ...filter, bbox: viewport!.bbox, zoom: viewport!.zoom },
        signal,
      ),
    enabled: viewport !== null,
    placeholderData: keepPreviousData,
  });
}

export function useUnlocated(reason: UnlocatedReason | undefined, after: number | undefined, limit: number) {
  return useQuery({
    queryKey: [...mapPageKeys.unlocated(reason, after), limit],
    queryFn: ({ signal }) => api.get<UnlocatedPage>('/api/map/unlocated', { reason, after, limit }, signal),
    placeholderData: keepPreviousData,
  });
}
