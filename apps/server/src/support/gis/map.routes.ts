import {
  gridFeatureCollectionSchema,
  type MapConfig,
  mapConfigSchema,
  mapLayerDataSchema,
  unlocatedPageSchema,
  unlocatedReasonSchema,
} from '@rongjian/shared/api';
import { z } from 'zod';
import { hasPermission } from '../../platform/auth/permissions.ts';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app.ts';
import { requireUser } from '../../platform/http/auth-hooks.ts';
import { idParams, pageQuery } from '../../platform/org/org.schemas.ts';
import { gisTilesSetting } from './gis.settings.ts';
import { createGisService } from './gis.service.ts';
import { createGridService } from './grids.service.ts';
import { MAX_POINTS, mapLayers, POINT_ZOOM } from './map.layers.ts';
import { cleanFilter, viewportQuery } from './map.schemas.ts';

const TAGS = ['一张图'];

/** 一张图 (support/gis): map settings, grid polygons, the registered layers and the 未落格 list, all data-scoped. */
export function registerMapRoutes(app: App, ctx: AppContext): void {
  const grids = createGridService({ db: ctx.db, jobs: ctx.jobs });
  const gis = createGisService(ctx);
  const layers = mapLayers(ctx);

  app.get(
    '/api/map/config',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: '地图配置：底图瓦片（未配置则离线）与可见图层',
        response: { 200: mapConfigSchema },
      },
    },
    async (req): Promise<MapConfig> => {
      const user = requireUser(req);
      const t = ctx.settings.get(gisTilesSetting);
      const fill = (url: string) => url.replaceAll('{tk}', encodeURIComponent(t.tk));
      return {
        tiles: t.url
          ? {
              url: fill(t.url),
              labelUrl: t.labelUrl ? fill(t.labelUrl) : null,
              subdomains: [...t.subdomains],
              attribution: t.attribution,
              maxZoom: t.maxZoom,
            }
          : null,
        layers: layers.filter((l) => hasPermission(user.permissions, l.permission)).map((l) => l.info),
        pointZoom: POINT_ZOOM,
        maxPoints: MAX_POINTS,
      };
    },
  );

  app.get(
    '/api/map/grids',
    {
      config: { policy: { permission: 'entity:map:read' } },
      schema: {
        tags: TAGS,
        summary: '可见网格的边界（GeoJSON，按数据权限）',
        querystring: z.strictObject({ stationId: idParams.shape.id.optional() }),
        response: { 200: gridFeatureCollectionSchema },
      },
    },
    async (req) => grids.featureCollection(requireUser(req), req.query),
  );

  for (const layer of layers) {
    app.get(
      `/api/map/layers/${layer.info.key}`,
      {
        config: { policy: { permission: layer.permission } },
        schema: {
          tags: TAGS,
          summary: `图层「${layer.info.label}」：视野内的点位，缩小或过密时为按网格汇总的数量`,
          querystring: layer.filters.extend(viewportQuery),
          response: { 200: mapLayerDataSchema },
        },
      },
      async (req) => {
        const { bbox, zoom, ...filters } = req.query as z.infer<typeof layer.filters> & {
          bbox: [number, number, number, number];
          zoom: number;
        };
        return layer.load(requireUser(req), { bbox, zoom }, cleanFilter(filters));
      },
    );
  }

  app.get(
    '/api/map/unlocated',
    {
      config: { policy: { permission: 'entity:map:read' } },
      schema: {
        tags: TAGS,
        summary: '未落格的经营主体（无坐标、坐标不在任何网格内、待落格），按数据权限',
        querystring: z.strictObject({ reason: unlocatedReasonSchema.optional(), ...pageQuery }),
        response: { 200: unlocatedPageSchema },
      },
    },
    async (req) => gis.unlocated(requireUser(req), req.query),
  );
}
