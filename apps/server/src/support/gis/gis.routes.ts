import { entityLocationSchema, geocodeResultSchema } from '@rongjian/shared/api';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app.ts';
import { requireUser } from '../../platform/http/auth-hooks.ts';
import { idParams } from '../../platform/org/org.schemas.ts';
import { createGisService } from './gis.service.ts';
import { geocodeBody, relocateBody } from './map.schemas.ts';

const TAGS = ['一张图'];

/** Entity locations (support/gis): read, correct by hand (audited, on the entity's timeline), locator runs. */
export function registerGisRoutes(app: App, ctx: AppContext): void {
  const gis = createGisService(ctx);

  app.get(
    '/api/gis/entities/:id/location',
    {
      config: { policy: { permission: 'entity:profile:read' } },
      schema: {
        tags: TAGS,
        summary: '经营主体的位置：坐标、来源与精度、所在网格（含边界）',
        params: idParams,
        response: { 200: entityLocationSchema },
      },
    },
    async (req) => gis.location(requireUser(req), req.params.id),
  );

  app.put(
    '/api/gis/entities/:id/location',
    {
      config: { policy: { permission: 'entity:map:locate' } },
      schema: {
        tags: TAGS,
        summary: '人工校正经营主体的位置（须填写原因；立即重新落格，记入审计与主体时间线）',
        params: idParams,
        body: relocateBody,
        response: { 200: entityLocationSchema },
      },
    },
    async (req) => {
      const r = await gis.relocate(requireUser(req), req.params.id, req.body);
      req.auditDetail({
        objectType: 'entity',
        objectId: req.params.id,
        before: r.before,
        after: { ...r.after, reason: req.body.reason },
        detail: `校正经营主体「${r.location.name}」的位置：${r.after.lon}, ${r.after.lat}（${r.after.gridName ?? '未落格'}）；原因：${req.body.reason}`,
      });
      return r.location;
    },
  );

  app.post(
    '/api/gis/locate',
    {
      config: { policy: { permission: 'system:grid:update' } },
      schema: {
        tags: TAGS,
        summary: '立即排队执行一次地址解析与落格（每晚也会自动执行）',
        body: z.strictObject({}).optional(),
        response: { 200: z.object({ jobId: z.number().nullable() }) },
      },
    },
    async (req) => {
      const r = await gis.requestLocate();
      req.auditDetail({
        objectType: 'job',
        objectId: r.jobId ?? undefined,
        detail: '排队执行地址解析与落格',
      });
      return r;
    },
  );

  app.post(
    '/api/gis/geocode',
    {
      config: { policy: { permission: 'system:grid:update' } },
      schema: {
        tags: TAGS,
        summary: '按当前地理编码设置解析一个地址（检查本地地名库与天地图密钥）',
        body: geocodeBody,
        response: { 200: z.object({ result: geocodeResultSchema.nullable() }) },
      },
    },
    async (req) => gis.geocode(req.body.address),
  );
}
