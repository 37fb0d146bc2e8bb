import { z } from 'zod';
import { polygonSchema } from './grids.ts';

/**
 * 一张图 (`/api/map/*`) and locations (`/api/gis/*`). Coordinates are CGCS2000 / WGS-84 `[lon, lat]` (no GCJ-02
 * shift). The map draws layers from a registry: every layer answers with the same feature shape, so the clue and
 * alarm layers of later modules need no new map code.
 */

/** Optional raster tiles under the grids (setting 地图底图); null = offline, the browser asks nobody else. */
export const mapTilesSchema = z.object({
  /** URL template with {z}/{x}/{y} and optionally {s}; the key is already filled in. */
  url: z.string(),
  /** An annotation layer drawn over the base, or null. */
  labelUrl: z.string().nullable(),
  subdomains: z.array(z.string()),
  attribution: z.string(),
  maxZoom: z.number(),
});
export type MapTiles = z.infer<typeof mapTilesSchema>;

export const mapLegendItemSchema = z.object({ value: z.string(), label: z.string(), color: z.string() });
export type MapLegendItem = z.infer<typeof mapLegendItemSchema>;

export const mapLayerInfoSchema = z.object({
  key: z.string(),
  label: z.string(),
  /** Colours by feature category, in legend order. */
  legend: z.array(mapLegendItemSchema),
  /** Label of the popup's link to the feature's page, e.g. 查看一户一档. */
  linkLabel: z.string(),
});
export type MapLayerInfo = z.infer<typeof mapLayerInfoSchema>;

export const mapConfigSchema = z.object({
  tiles: mapTilesSchema.nullable(),
  /** Layers the caller may see. */
  layers: z.array(mapLayerInfoSchema),
  /** Below this zoom level layers answer with per-grid counts instead of points. */
  pointZoom: z.number(),
  /** A viewport with more features than this is answered with per-grid counts too. */
  maxPoints: z.number(),
});
export type MapConfig = z.infer<typeof mapConfigSchema>;

export const mapFeatureSchema = z.object({
  id: z.number(),
  lon: z.number(),
  lat: z.number(),
  title: z.string(),
  /** Legend value (for entities: the risk class, `none` when unclassified). */
  category: z.string(),
  /** Web path of the feature's page. */
  link: z.string().nullable(),
  /** Popup lines. */
  fields: z.array(z.object({ label: z.string(), value: z.string() })),
});
export type MapFeature = z.infer<typeof mapFeatureSchema>;

export const mapCellSchema = z.object({
  /** Null: features with a point in no grid (未落格), placed at their mean position. */
  gridId: z.number().nullable(),
  name: z.string(),
  lon: z.number(),
  lat: z.number(),
  count: z.number(),
  byCategory: z.record(z.string(), z.number()),
});
export type MapCell = z.infer<typeof mapCellSchema>;

export const mapLayerDataSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('points'), total: z.number(), features: z.array(mapFeatureSchema) }),
  z.object({ mode: z.literal('grids'), total: z.number(), cells: z.array(mapCellSchema) }),
]);
export type MapLayerData = z.infer<typeof mapLayerDataSchema>;

/** Why an entity is 未落格. */
export const unlocatedReasonSchema = z.enum(['no_point', 'outside', 'pending']);
export type UnlocatedReason = z.infer<typeof unlocatedReasonSchema>;
export const UNLOCATED_REASON_LABELS: Record<UnlocatedReason, string> = {
  no_point: '无坐标（地址未能解析）',
  outside: '坐标不在任何网格内',
  pending: '待落格',
};

export const unlocatedEntitySchema = z.object({
  id: z.number(),
  name: z.string(),
  uscc: z.string().nullable(),
  address: z.string(),
  stationName: z.string().nullable(),
  reason: unlocatedReasonSchema,
  lon: z.number().nullable(),
  lat: z.number().nullable(),
});
export type UnlocatedEntity = z.infer<typeof unlocatedEntitySchema>;

export const assignmentRunSchema = z.object({
  id: z.number(),
  trigger: z.enum(['import', 'grid', 'schedule', 'manual']),
  finishedAt: z.string().nullable(),
  counts: z.record(z.string(), z.union([z.number(), z.string()])),
});
export type AssignmentRun = z.infer<typeof assignmentRunSchema>;

export const unlocatedPageSchema = z.object({
  items: z.array(unlocatedEntitySchema),
  /** Matching the reason filter (if any) within the caller's data scope. */
  total: z.number(),
  counts: z.object({ noPoint: z.number(), outside: z.number(), pending: z.number() }),
  nextAfter: z.number().nullable(),
  /** The latest assignment run that did anything. */
  lastRun: assignmentRunSchema.nullable(),
});
export type UnlocatedPage = z.infer<typeof unlocatedPageSchema>;

export const geoSourceSchema = z.enum(['import', 'geocoder', 'manual']);
export const geoPrecisionSchema = z.enum(['point', 'door', 'road', 'village', 'town']);
export type GeoPrecision = z.infer<typeof geoPrecisionSchema>;
export const GEO_SOURCE_LABELS: Record<z.infer<typeof geoSourceSchema>, string> = {
  import: '源数据坐标',
  geocoder: '地址解析',
  manual: '人工校正',
};
export const GEO_PRECISION_LABELS: Record<GeoPrecision, string> = {
  point: '精确坐标',
  door: '门牌',
  road: '道路',
  village: '村社区',
  town: '乡镇',
};
export const GEO_PROVIDER_LABELS: Record<string, string> = { local: '本地地名库', tianditu: '天地图' };

/** `GET/PUT /api/gis/entities/:id/location`: an entity's point, where it came from, and its grid. */
export const entityLocationSchema = z.object({
  entityId: z.number(),
  name: z.string(),
  lon: z.number().nullable(),
  lat: z.number().nullable(),
  source: geoSourceSchema.nullable(),
  provider: z.string().nullable(),
  precision: geoPrecisionSchema.nullable(),
  gridId: z.number().nullable(),
  gridName: z.string().nullable(),
  stationName: z.string().nullable(),
  /** When the grid was last assigned from the point. */
  locatedAt: z.string().nullable(),
  gridGeometry: polygonSchema.nullable(),
});
export type EntityLocation = z.infer<typeof entityLocationSchema>;

export const geocodeResultSchema = z.object({
  lon: z.number(),
  lat: z.number(),
  precision: z.enum(['door', 'road', 'village', 'town']),
  provider: z.string(),
});
export type GeocodeResult = z.infer<typeof geocodeResultSchema>;
