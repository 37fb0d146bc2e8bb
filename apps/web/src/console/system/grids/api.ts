import type { GridDetail, GridFeatureCollection, StationOption } from '@rongjian/shared/api';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api/client.ts';

// Server contract: `@rongjian/shared/api` (grids.ts). Coordinates are WGS-84 `[lon, lat]`.

export type { GridDetail, GridFeatureCollection, PolygonGeometry, StationOption } from '@rongjian/shared/api';
export type GridFeature = GridFeatureCollection['features'][number];

export interface GridFilter {
  stationId?: number | undefined;
  keyword?: string | undefined;
}

export interface GridInput {
  code: string;
  name: string;
  stationId: number;
  geometry: unknown;
}

export const gridKeys = {
  all: ['system', 'grids'] as const,
  geojson: (f: GridFilter) => ['system', 'grids', 'geojson', f.stationId ?? null, f.keyword ?? ''] as const,
  detail: (id: number) => ['system', 'grids', 'detail', id] as const,
  stations: ['system', 'grids', 'stations'] as const,
};

/** Every visible grid with its boundary: the map and the table beside it show the same set. */
export function useGridFeatures(f: GridFilter) {
  return useQuery({
    queryKey: gridKeys.geojson(f),
    queryFn: ({ signal }) =>
      api.get<GridFeatureCollection>(
        '/api/system/grids/geojson',
        { stationId: f.stationId, keyword: f.keyword || undefined },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}

export function useGrid(id: number | null) {
  return useQuery({
    queryKey: gridKeys.detail(id ?? 0),
    queryFn: ({ signal }) => api.get<GridDetail>(`/api/system/grids/${id}`, undefined, signal),
    enabled: id !== null,
  });
}

export function useStations() {
  return useQuery({
    queryKey: gridKeys.stations,
    queryFn: ({ signal }) =>
      api.get<{ items: StationOption[] }>('/api/system/grids/stations', undefined, signal),
    staleTime: 60_000,
  });
}

function useGridMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: gridKeys.all }) });
}

export const useCreateGrid = () =>
  useGridMutation((input: GridInput) => api.post<GridDetail>('/api/system/grids', input));

export const useUpdateGrid = () =>
  useGridMutation(({ id, ...input }: GridInput & { id: number }) =>
    api.put<GridDetail>(`/api/system/grids/${id}`, input),
  );

export const useDeleteGrid = () => useGridMutation((id: number) => api.delete(`/api/system/grids/${id}`));

/** Queue a locator run now: geocode entities without a point and place every point in its grid. */
export const useRequestLocate = () =>
  useMutation({ mutationFn: () => api.post<{ jobId: number | null }>('/api/gis/locate', {}) });
