import type { PolygonGeometry } from '@rongjian/shared/api';
import { ScatterChart } from 'echarts/charts';
import { useMemo } from 'react';
import { EChart } from '../system/grids/EChart.tsx';
import { echarts, SELECTED_COLOR } from '../system/grids/echarts.ts';

// The grid maps register only the `map` series; the entity's own position is a scatter point on the same geo.
echarts.use([ScatterChart]);

let registered = 0;

/**
 * The entity's grid boundary and its location, drawn offline from the profile's own data (business users do
 * not hold the grid-administration permission that serves all grid polygons).
 */
export function EntityMap(props: {
  name: string;
  gridName: string | null;
  geometry: PolygonGeometry | null;
  lon: number | null;
  lat: number | null;
  height?: number;
}) {
  const { name, gridName, geometry, lon, lat } = props;
  const mapName = useMemo(() => {
    if (!geometry) return null;
    const n = `rj-entity-grid-${++registered}`;
    echarts.registerMap(n, {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { name: gridName ?? '网格' }, geometry }],
    } as unknown as Parameters<typeof echarts.registerMap>[1]);
    return n;
  }, [geometry, gridName]);

  const option = useMemo(() => {
    if (!mapName) return null;
    const lats = geometry?.coordinates[0]?.map((p) => p[1] ?? 0) ?? [];
    const meanLat = lats.length ? lats.reduce((s, v) => s + v, 0) / lats.length : 30;
    return {
      tooltip: { trigger: 'item' },
      geo: {
        map: mapName,
        roam: true,
        left: 8,
        right: 8,
        top: 8,
        bottom: 8,
        aspectScale: Math.cos((meanLat * Math.PI) / 180),
        label: { show: true, color: '#595959' },
        itemStyle: { areaColor: '#e6f4ff', borderColor: SELECTED_COLOR, borderWidth: 1.5 },
        emphasis: { disabled: true },
      },
      series:
        lon !== null && lat !== null
          ? [
              {
                type: 'scatter',
                coordinateSystem: 'geo',
                symbolSize: 14,
                itemStyle: { color: '#cf1322' },
                tooltip: { formatter: echarts.format.encodeHTML(name) },
                data: [{ name, value: [lon, lat] }],
              },
            ]
          : [],
    };
  }, [mapName, geometry, lon, lat, name]);

  if (!option) return null;
  return <EChart option={option} style={{ height: props.height ?? 280, width: '100%' }} />;
}
