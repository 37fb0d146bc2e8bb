import { MapChart } from 'echarts/charts';
import { GeoComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

/** ECharts with only what the grid maps draw (a `map` series of GeoJSON polygons), to keep the chunk small. */
echarts.use([MapChart, GeoComponent, TooltipComponent, CanvasRenderer]);

export { echarts };

/**
 * Distinct colours per 市场监管所 (from ECharts' default palette). Blue is left out: it marks the selected grid
 * and the boundary being edited.
 */
export const STATION_COLORS = [
  '#91cc75',
  '#fac858',
  '#ee6666',
  '#73c0de',
  '#9a60b4',
  '#3ba272',
  '#fc8452',
  '#ea7ccc',
  '#b6a2de',
];

/** The selected grid, and a grid being drawn. */
export const SELECTED_COLOR = '#1677ff';

export const stationColor = (index: number): string => STATION_COLORS[index % STATION_COLORS.length]!;

/** Text that goes into a tooltip's HTML. */
export const escapeHtml = (s: string): string => echarts.format.encodeHTML(s);
