import { ENTITY_TYPES, type EntityTypeCode, RISK_CLASSES, type RiskClass } from '@rongjian/shared';
import { overviewSchema } from '@rongjian/shared/api';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app.ts';
import { requireUser } from '../../platform/http/auth-hooks.ts';
import { countEntities, countOrg, listStationsInScope } from './overview.repo.ts';

export function registerOverviewRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/overview',
    {
      config: { policy: { permission: 'overview:county:read' } },
      schema: {
        tags: ['数据融合'],
        summary: '全县概览（按数据权限范围统计经营主体、部门、网格和人员）',
        response: { 200: overviewSchema },
      },
    },
    async (req) => {
      const { scope } = requireUser(req);
      const [entities, stations, org] = await Promise.all([
        countEntities(ctx.db, scope),
        listStationsInScope(ctx.db, scope),
        countOrg(ctx.db, scope),
      ]);
      const unclassified = entities.byRisk.get(null) ?? 0;
      return {
        entities: {
          total: entities.total,
          byType: (Object.keys(ENTITY_TYPES) as EntityTypeCode[]).map((type) => ({
            type,
            label: ENTITY_TYPES[type],
            count: entities.byType.get(type) ?? 0,
          })),
          byStation: stations.map((s) => ({
            stationId: s.id,
            stationName: s.name,
            count: entities.byStation.get(s.id) ?? 0,
          })),
          byRisk: [
            ...(Object.keys(RISK_CLASSES) as RiskClass[]).map((riskClass) => ({
              riskClass,
              count: entities.byRisk.get(riskClass) ?? 0,
            })),
            ...(unclassified ? [{ riskClass: null, count: unclassified }] : []),
          ],
        },
        ...org,
      };
    },
  );
}
