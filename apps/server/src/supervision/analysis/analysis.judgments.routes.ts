import {
  analysisQueuePageSchema,
  analysisQueueQuerySchema,
  judgmentInputSchema,
  judgmentListSchema,
  judgmentResultSchema,
  workbenchSchema,
} from '@rongjian/shared/api';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app.ts';
import { requireUser } from '../../platform/http/auth-hooks.ts';
import { idParams } from '../../platform/org/org.schemas.ts';
import { analysisQueue, judge, judgmentsOfClue, workbench } from './analysis.judgments.ts';

const TAGS = ['综合研判'];

/** 研判工作台: the 待研判 queue, one clue's workbench, judging (one clue or a group), a clue's judgments. */
export function registerAnalysisJudgmentRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/analysis/queue',
    {
      config: { policy: { permission: 'analysis:judgment:read' } },
      schema: {
        tags: TAGS,
        summary: '待研判队列（按数据权限；收到最早的在前，键集分页；附模型建议与置信度）',
        querystring: analysisQueueQuerySchema,
        response: { 200: analysisQueuePageSchema },
      },
    },
    async (req) => analysisQueue(ctx.db, requireUser(req), req.query),
  );

  app.get(
    '/api/analysis/clues/:id/workbench',
    {
      config: { policy: { permission: 'analysis:judgment:read' } },
      schema: {
        tags: TAGS,
        summary: '研判工作台：线索、模型与规则建议、主体画像或候选主体、主体历史、相似线索及其结果、已有研判',
        params: idParams,
        response: { 200: workbenchSchema },
      },
    },
    async (req) => workbench(ctx, requireUser(req), req.params.id),
  );

  app.get(
    '/api/analysis/clues/:id/judgments',
    {
      config: { policy: { permission: 'analysis:judgment:read' } },
      schema: {
        tags: TAGS,
        summary: '线索的研判记录',
        params: idParams,
        response: { 200: judgmentListSchema },
      },
    },
    async (req) => ({ items: await judgmentsOfClue(ctx.db, requireUser(req), req.params.id) }),
  );

  app.post(
    '/api/analysis/judgments',
    {
      config: { policy: { permission: 'analysis:judgment:create' } },
      schema: {
        tags: TAGS,
        summary:
          '研判（一条或多条线索一并研判；全部成功或全部不保存）：记录结论与依据，按处置方式转调度、直接办结、不予受理或转办',
        body: judgmentInputSchema,
        response: { 201: judgmentResultSchema },
      },
    },
    async (req, reply) => {
      const result = await judge(ctx, requireUser(req), req.body);
      return reply.code(201).send(result);
    },
  );
}
