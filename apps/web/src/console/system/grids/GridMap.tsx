import { Empty } from 'antd';
import { useMemo } from 'react';
import type { Geometry } from '../../../shared/map/geo.ts';
import { boundsOf } from '../../../shared/map/geo.ts';
import { GridLayer, type MapGrid } from '../../../shared/map/GridLayer.tsx';
import { MapView } from '../../../shared/map/MapView.tsx';

/** One region on the map: a grid (or a boundary being drawn) with what the tooltip tells about it. */
export interface MapRegion {
  /** Unique on the map. */
  code: string;
  name: string;
  geometry: Geometry;
  color: string;
  /** Shown in the tooltip, e.g. the owning 所 and the entity count. */
  lines: string[];
  id?: number | undefined;
}

/**
 * The grids page's map: grid polygons on the platform's shared map (offline unless a tile service is set).
 * Clicking a region reports its id; `focusCode` fits the map to one region (the boundary being edited).
 */
export function GridMap(props: {
  regions: readonly MapRegion[];
  selectedCode?: string | null;
  onSelect?: (id: number) => void;
  focusCode?: string;
  height: number;
  testId?: string;
}) {
  const { regions } = props;
  const grids = useMemo<MapGrid[]>(
    () =>
      regions.map((r) => ({
        key: r.code,
        id: r.id,
        name: r.name,
        geometry: r.geometry,
        color: r.color,
        lines: r.lines,
      })),
    [regions],
  );
  const focus = regions.find((r) => r.code === props.focusCode);
  const bounds = boundsOf(focus ? [focus.geometry] : regions.map((r) => r.geometry));

  if (regions.length === 0) {
    return (
      <div style={{ height: props.height, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
        <Empty description="没有可显示的网格" />
      </div>
    );
  }
  return (
    <MapView
      height={props.height}
      bounds={bounds}
      fitKey={bounds ? bounds.flat().join(',') : ''}
      testId={props.testId}
    >
      <GridLayer grids={grids} selectedKey={props.selectedCode ?? null} onSelect={props.onSelect} />
    </MapView>
  );
}
