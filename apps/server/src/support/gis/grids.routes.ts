import {
  gridDetailSchema,
  gridFeatureCollectionSchema,
  gridPageSchema,
  stationOptionSchema,
} from '@rongjian/shared/api';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app.ts';
import { requireUser } from '../../platform/http/auth-hooks.ts';
import { filterText, idParams, pageQuery } from '../../platform/org/org.schemas.ts';
import { createGridService } from './grids.service.ts';

const TAGS = ['系统管理'];

const gridBody = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, '网格编码为 1–32 位字母、数字、下划线或短横线'),
  name: z.string().trim().min(1, '请输入网格名称').max(40, '网格名称最多 40 个字'),
  stationId: idParams.shape.id,
  // Only the outline is typed here; the geometry rules (closed rings, bounds, no self-intersection) are checked
  // by the service with Chinese explanations per coordinate.
  geometry: z
    .object({ type: z.string().max(40), coordinates: z.array(z.unknown()).max(100) })
    .describe('GeoJSON Polygon 或 MultiPolygon（WGS-84 经纬度，[经度, 纬度]）'),
});

const filters = {
  stationId: idParams.shape.id.optional(),
  keyword: filterText(64).optional(),
};

/** 网格管理 (support/gis): grids owned by a 市场监管所, with GeoJSON boundaries for the map. */
export function registerGridRoutes(app: App, ctx: AppContext): void {
  const grids = createGridService({ db: ctx.db, jobs: ctx.jobs });

  app.get(
    '/api/system/grids',
    {
      config: { policy: { permission: 'system:grid:read' } },
      schema: {
        tags: TAGS,
        summary: '网格列表（按数据权限）',
        querystring: z.strictObject({ ...filters, ...pageQuery }),
        response: { 200: gridPageSchema },
      },
    },
    async (req) => grids.list(requireUser(req), { ...req.query, keyword: req.query.keyword || undefined }),
  );

  app.get(
    '/api/system/grids/geojson',
    {
      config: { policy: { permission: 'system:grid:read' } },
      schema: {
        tags: TAGS,
        summary: '可见网格的 GeoJSON FeatureCollection（地图用）',
        querystring: z.strictObject(filters),
        response: { 200: gridFeatureCollectionSchema },
      },
    },
    async (req) =>
      grids.featureCollection(requireUser(req), { ...req.query, keyword: req.query.keyword || undefined }),
  );

  app.get(
    '/api/system/grids/stations',
    {
      config: { policy: { permission: 'system:grid:read' } },
      schema: {
        tags: TAGS,
        summary: '可选的所属市场监管所（按数据权限）',
        response: { 200: z.object({ items: z.array(stationOptionSchema) }) },
      },
    },
    async (req) => ({ items: await grids.stations(requireUser(req)) }),
  );

  app.get(
    '/api/system/grids/:id',
    {
      config: { policy: { permission: 'system:grid:read' } },
      schema: {
        tags: TAGS,
        summary: '网格详情（含边界）',
        params: idParams,
        response: { 200: gridDetailSchema },
      },
    },
    async (req) => grids.get(requireUser(req), req.params.id),
  );

  app.post(
    '/api/system/grids',
    {
      config: { policy: { permission: 'system:grid:create' } },
      schema: { tags: TAGS, summary: '新增网格', body: gridBody, response: { 200: gridDetailSchema } },
    },
    async (req) => {
      const r = await grids.create(requireUser(req), req.body);
      req.auditDetail({ objectType: 'grid', objectId: r.grid.id, after: r.after });
      return r.grid;
    },
  );

  app.put(
    '/api/system/grids/:id',
    {
      config: { policy: { permission: 'system:grid:update' } },
      schema: {
        tags: TAGS,
        summary: '修改网格（名称、所属所、边界）',
        params: idParams,
        body: gridBody,
        response: { 200: gridDetailSchema },
      },
    },
    async (req) => {
      const r = await grids.update(requireUser(req), req.params.id, req.body);
      req.auditDetail({ objectType: 'grid', objectId: r.grid.id, before: r.before, after: r.after });
      return r.grid;
    },
  );

  app.delete(
    '/api/system/grids/:id',
    {
      config: { policy: { permission: 'system:grid:delete' } },
      schema: { tags: TAGS, summary: '删除网格（仍有经营主体时拒绝）', params: idParams },
    },
    async (req, reply) => {
      const r = await grids.remove(requireUser(req), req.params.id);
      req.auditDetail({ objectType: 'grid', objectId: req.params.id, before: r.before });
      return reply.status(204).send();
    },
  );
}
