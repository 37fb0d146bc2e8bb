import { RISK_CLASSES } from '@rongjian/shared';
import { entityRiskViewSchema, riskOverviewSchema, riskRecomputeQueuedSchema } from '@rongjian/shared/api';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app.ts';
import { requireUser } from '../../platform/http/auth-hooks.ts';
import { idParams } from '../../platform/http/schemas.ts';
import { reactToEntityEvents } from './risk.jobs.ts';
import { createRiskService } from './risk.service.ts';

const TAGS = ['数据融合'];

/** 信用风险分类 (fusion/risk): explanation per entity, recomputation, distribution in the caller's scope. */
export function registerRiskRoutes(app: App, ctx: AppContext): void {
  const risk = createRiskService(ctx);
  const stopReacting = reactToEntityEvents(ctx);
  app.addHook('onClose', async () => stopReacting());

  app.get(
    '/api/entities/:id/risk',
    {
      config: { policy: { permission: 'entity:profile:read' } },
      schema: {
        tags: TAGS,
        summary: '经营主体的信用风险分类及依据：分值、各指标得分与原因、模型版本、计算时间',
        params: idParams,
        response: { 200: entityRiskViewSchema },
      },
    },
    async (req) => risk.explain(requireUser(req), req.params.id),
  );

  app.post(
    '/api/entities/:id/risk/recompute',
    {
      config: { policy: { permission: 'entity:risk:recompute' } },
      schema: {
        tags: TAGS,
        summary: '立即重新计算一个经营主体的信用风险分类（按今日有效的模型）',
        params: idParams,
        response: { 200: entityRiskViewSchema },
      },
    },
    async (req) => {
      const { entityName, changed, ...view } = await risk.recomputeOne(requireUser(req), req.params.id);
      const result = view.risk
        ? `${view.risk.riskClass} 类（${RISK_CLASSES[view.risk.riskClass]}，${view.risk.score} 分）`
        : '未分类';
      req.auditDetail({
        objectType: 'entity',
        objectId: req.params.id,
        detail: `重新计算信用风险分类：${entityName}，结果 ${result}${changed ? '' : '，与原结果相同'}`,
      });
      return view;
    },
  );

  app.get(
    '/api/risk/overview',
    {
      config: { policy: { permission: 'entity:profile:read' } },
      schema: {
        tags: TAGS,
        summary: '信用风险分类分布（按数据权限）：各类数量、各所分布、各指标命中数、现行模型',
        response: { 200: riskOverviewSchema },
      },
    },
    async (req) => risk.overview(requireUser(req)),
  );

  app.post(
    '/api/risk/recompute',
    {
      config: { policy: { permission: 'entity:risk:recompute' } },
      schema: {
        tags: TAGS,
        summary: '提交全部经营主体的信用风险分类重新计算（后台任务；已有排队或运行中的任务时返回该任务）',
        response: { 200: riskRecomputeQueuedSchema },
      },
    },
    async (req) => {
      const r = await risk.requestFullRun();
      req.auditDetail({
        objectType: 'job',
        objectId: r.jobId,
        detail: r.queued
          ? '提交全部经营主体信用风险分类重新计算'
          : '重新计算任务已在排队或运行中，未重复提交',
      });
      return r;
    },
  );
}
