import {
  entityPageSchema,
  entityProfileSchema,
  entityTypeSchema,
  licenceStatusFilterSchema,
  riskClassSchema,
} from '@rongjian/shared/api';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app.ts';
import { requireUser } from '../../platform/http/auth-hooks.ts';
import { filterText, idParams, pageQuery } from '../../platform/org/org.schemas.ts';
import { XLSX_MIME } from '../../platform/org/users.excel.ts';
import { buildEntityExport } from './entities.excel.ts';
import { createEntityService, type EntityQuery } from './entities.service.ts';

const TAGS = ['数据融合'];

const filters = {
  q: filterText(64).optional().describe('名称片段（模糊匹配，两个字即可）'),
  uscc: filterText(18).optional().describe('统一社会信用代码前缀'),
  address: filterText(100).optional().describe('地址片段'),
  gridId: idParams.shape.id.optional(),
  stationId: idParams.shape.id.optional(),
  type: entityTypeSchema.optional(),
  businessLine: filterText(40).optional().describe('业务条线（如 食品）'),
  riskClass: riskClassSchema.optional(),
  licenceStatus: licenceStatusFilterSchema
    .optional()
    .describe('许可证状态：已过期，或在第一/二/三档预警天数内到期（按“许可证到期预警”设置）'),
};
const filterQuery = z.strictObject(filters);

/** Blank text filters mean "no filter" (a cleared search box sends `q=`). */
function cleanFilter<T extends EntityQuery>(f: T): T {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== '')) as T;
}

const stamp = () =>
  new Date().toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).replace(/\D/g, '').slice(0, 12);

/** 经营主体 search, 一户一档 profile and export (fusion/entities). */
export function registerEntityRoutes(app: App, ctx: AppContext): void {
  const entities = createEntityService({ db: ctx.db, pii: ctx.pii, settings: ctx.settings });

  app.get(
    '/api/entities',
    {
      config: { policy: { permission: 'entity:profile:read' } },
      schema: {
        tags: TAGS,
        summary: '经营主体检索（按数据权限；键集分页）',
        querystring: z.strictObject({
          ...filters,
          ...pageQuery,
          similar: z
            .literal('1')
            .optional()
            .describe('没有名称包含 q 的主体时，改为返回名称相近的主体（一页，按相似度；similar 为 true）'),
        }),
        response: { 200: entityPageSchema },
      },
    },
    async (req) => entities.list(requireUser(req), cleanFilter(req.query)),
  );

  app.get(
    '/api/entities/export',
    {
      config: { policy: { permission: 'entity:profile:export' } },
      schema: { tags: TAGS, summary: '导出经营主体检索结果（xlsx，记入审计）', querystring: filterQuery },
    },
    async (req, reply) => {
      const viewer = requireUser(req);
      const filter = cleanFilter(req.query);
      const rows = await entities.exportRows(viewer, filter);
      // A bulk copy of the register is a security event: recorded although it is a GET.
      const detail = `导出经营主体 ${rows.length} 条；筛选条件：${JSON.stringify(filter)}`;
      await ctx.audit.record(ctx.db, {
        actor: { id: viewer.id, name: viewer.displayName },
        ip: req.ip,
        action: 'entity.export',
        objectType: 'entity',
        result: 'success',
        detail,
      });
      return reply
        .type(XLSX_MIME)
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(`经营主体-${stamp()}.xlsx`)}`,
        )
        .header('cache-control', 'no-store')
        .send(await buildEntityExport(rows));
    },
  );

  app.get(
    '/api/entities/:id',
    {
      config: { policy: { permission: 'entity:profile:read' } },
      schema: {
        tags: TAGS,
        summary:
          '一户一档：登记信息、许可证（到期预警）、信用记录、人员（脱敏）、网格与位置、风险分类、流转时间线',
        params: idParams,
        response: { 200: entityProfileSchema },
      },
    },
    async (req) => entities.get(requireUser(req), req.params.id),
  );
}
