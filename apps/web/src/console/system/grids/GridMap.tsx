import { Empty } from 'antd';
import { useMemo } from 'react';
import { EChart } from './EChart.tsx';
import { echarts, escapeHtml, SELECTED_COLOR } from './echarts.ts';
import type { Position } from './geometry.ts';

/** One region on the map: a grid (or a boundary being drawn) with what the tooltip tells about it. */
export interface MapRegion {
  /** Unique on the map: regions are joined to their data by code (`nameProperty`). */
  code: string;
  name: string;
  coordinates: Position[][];
  color: string;
  /** Shown in the tooltip, e.g. the owning 所 and the entity count. */
  lines: string[];
  id?: number;
}

let registered = 0;

/**
 * An ECharts `map` series drawn from GeoJSON polygons (`echarts.registerMap`). Each data change registers a new
 * map name, because a registered map is cached by name. Clicking a region reports its id.
 */
export function GridMap(props: {
  regions: readonly MapRegion[];
  selectedCode?: string | null;
  onSelect?: (id: number) => void;
  height: number;
  roam?: boolean;
  testId?: string;
}) {
  const { regions, selectedCode, onSelect, height } = props;
  const mapName = useMemo(() => {
    if (regions.length === 0) return null;
    const name = `rj-grids-${++registered}`;
    echarts.registerMap(name, {
      type: 'FeatureCollection',
      features: regions.map((r) => ({
        type: 'Feature',
        properties: { code: r.code, name: r.name },
        geometry: { type: 'Polygon', coordinates: r.coordinates },
      })),
    } as unknown as Parameters<typeof echarts.registerMap>[1]);
    return name;
  }, [regions]);

  const option = useMemo(() => {
    const lats = regions.flatMap((r) => r.coordinates[0]?.map((p) => p[1]) ?? []);
    const meanLat = lats.length ? lats.reduce((s, v) => s + v, 0) / lats.length : 30;
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: { data?: { fullName: string; lines: string[] }; name: string }) =>
          p.data
            ? [`<b>${escapeHtml(p.data.fullName)}</b>`, ...p.data.lines.map(escapeHtml)].join('<br/>')
            : escapeHtml(p.name),
      },
      series: [
        {
          type: 'map',
          map: mapName,
          nameProperty: 'code',
          roam: props.roam ?? true,
          // Fill the box (the aspect ratio is kept, so one side has margins).
          left: 8,
          right: 8,
          top: 8,
          bottom: 8,
          // Degrees of longitude are shorter than degrees of latitude away from the equator.
          aspectScale: Math.cos((meanLat * Math.PI) / 180),
          selectedMode: onSelect ? 'single' : false,
          label: { show: false },
          itemStyle: { borderColor: '#ffffff', borderWidth: 1 },
          emphasis: {
            label: { show: true, formatter: (p: { data?: { fullName: string } }) => p.data?.fullName ?? '' },
            itemStyle: { areaColor: '#ffd666' },
          },
          select: {
            label: {
              show: true,
              color: '#ffffff',
              fontWeight: 'bold',
              formatter: (p: { data?: { fullName: string } }) => p.data?.fullName ?? '',
            },
            itemStyle: { areaColor: SELECTED_COLOR },
          },
          data: regions.map((r) => ({
            name: r.code,
            fullName: r.name,
            lines: r.lines,
            gridId: r.id,
            selected: r.code === selectedCode,
            itemStyle: { areaColor: r.color },
          })),
        },
      ],
    };
  }, [regions, mapName, selectedCode, onSelect, props.roam]);

  const events = useMemo(
    () => ({
      click: (p: { data?: { gridId?: number } }) => {
        if (p.data?.gridId !== undefined) onSelect?.(p.data.gridId);
      },
    }),
    [onSelect],
  );

  if (!mapName) {
    return (
      <div style={{ height, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
        <Empty description="没有可显示的网格" />
      </div>
    );
  }
  return (
    <div data-testid={props.testId}>
      <EChart option={option} style={{ height }} onEvents={events} />
    </div>
  );
}
