import { useEffect, useMemo, useState } from 'react';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { useMapGrids } from '../../shared/map/api.ts';

/** `value`, once it has stopped changing for `ms` (typing in a search box). */
export function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

/**
 * Grids and the 所 that own them, for the clue forms' selects. They come from the map's grid list (every business
 * role may read it), so a clerk without department administration still gets the choices of their data scope.
 */
export function useGridOptions() {
  const user = useCurrentUser();
  const grids = useMapGrids(can(user, 'entity:map:read'));
  return useMemo(() => {
    const features = grids.data?.features ?? [];
    const stations = new Map<number, string>();
    for (const f of features) stations.set(f.properties.stationId, f.properties.stationName);
    return {
      loading: grids.isPending && grids.fetchStatus !== 'idle',
      features,
      grids: features
        .map((f) => ({
          value: f.properties.id,
          label: `${f.properties.name}（${f.properties.stationName}）`,
        }))
        .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN')),
      stations: [...stations.entries()]
        .map(([value, label]) => ({ value, label }))
        .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN')),
    };
  }, [grids.data, grids.isPending, grids.fetchStatus]);
}
