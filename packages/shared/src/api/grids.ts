import { z } from 'zod';

/**
 * 网格 (grids) owned by a 市场监管所 (`/api/system/grids*`). Coordinates are WGS-84 `[lon, lat]`. A boundary is a
 * GeoJSON Polygon, or a MultiPolygon for a grid in several parts.
 */
export const polygonSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(z.array(z.number()))) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(z.array(z.number())))) }),
]);
export type PolygonGeometry = z.infer<typeof polygonSchema>;

export const gridSummarySchema = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  stationId: z.number(),
  stationName: z.string(),
  centerLon: z.number(),
  centerLat: z.number(),
  /** 经营主体 located in the grid. */
  entityCount: z.number(),
});
export type GridSummary = z.infer<typeof gridSummarySchema>;

export const gridDetailSchema = gridSummarySchema.extend({
  geometry: polygonSchema,
  areaKm2: z.number(),
});
export type GridDetail = z.infer<typeof gridDetailSchema>;

export const gridPageSchema = z.object({
  items: z.array(gridSummarySchema),
  /** Grids matching the filters within the caller's data scope. */
  total: z.number(),
  nextAfter: z.number().nullable(),
});
export type GridPage = z.infer<typeof gridPageSchema>;

export const stationOptionSchema = z.object({ id: z.number(), name: z.string() });
export type StationOption = z.infer<typeof stationOptionSchema>;

export const gridFeatureCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      id: z.number(),
      geometry: polygonSchema,
      properties: z.object({
        id: z.number(),
        code: z.string(),
        /** Not necessarily unique: maps should join regions by `code` (ECharts `nameProperty: 'code'`). */
        name: z.string(),
        stationId: z.number(),
        stationName: z.string(),
        entityCount: z.number(),
      }),
    }),
  ),
});
export type GridFeatureCollection = z.infer<typeof gridFeatureCollectionSchema>;
