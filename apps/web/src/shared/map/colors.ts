/**
 * Map colours. Distinct colours per 市场监管所 (from ECharts' default palette, so the grid page looks as before);
 * blue is left out: it marks the selected grid and the boundary being edited.
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

/** The selected grid, a grid being drawn, an entity's own grid. */
export const SELECTED_COLOR = '#1677ff';
/** Grids drawn as background (context around a preview, the 一张图 base). */
export const MUTED_COLOR = '#d9d9d9';

export const stationColor = (index: number): string => STATION_COLORS[index % STATION_COLORS.length]!;
