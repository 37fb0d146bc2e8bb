import {
  activateModelInputSchema,
  classifyInputSchema,
  modelDetailSchema,
  modelListSchema,
  trainingStatusSchema,
  trainModelAcceptedSchema,
  trainModelInputSchema,
  triagePredictionSchema,
} from '@rongjian/shared/api';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireUser } from '../../platform/http/auth-hooks.ts';
import { idParams } from '../../platform/http/schemas.ts';
import { TRAIN_JOB } from './analysis.model.jobs.ts';
import { activateModel, getModel, listModels } from './analysis.model.registry.ts';
import {
  ensureTriageModel,
  invalidateTriageModel,
  ModelMissingError,
  predictTriage,
} from './analysis.triage.ts';

const TAGS = ['综合研判'];

const jobParams = z.strictObject({
  jobId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

/** 模型评估: versions and figures, 训练新版本 (a job), 启用, and 试一试 (classify one text). */
export function registerAnalysisModelRoutes(app: App, ctx: AppContext): void {
  // Another node activated a version: reload on the next use instead of waiting for the 30 s check.
  ctx.events.subscribe((e) => {
    if (e.kind === 'analysis.model.activated') invalidateTriageModel();
  });
  const actorOf = (req: Parameters<typeof requireUser>[0]) => {
    const u = requireUser(req);
    return { id: u.id, name: u.displayName };
  };

  app.get(
    '/api/analysis/models',
    {
      config: { policy: { permission: 'analysis:model:read' } },
      schema: { tags: TAGS, summary: '分拣模型版本（新的在前）', response: { 200: modelListSchema } },
    },
    async () => ({ items: await listModels(ctx.db) }),
  );

  app.get(
    '/api/analysis/models/:id',
    {
      config: { policy: { permission: 'analysis:model:read' } },
      schema: {
        tags: TAGS,
        summary: '分拣模型版本详情（留出集上的逐类指标与混淆矩阵）',
        params: idParams,
        response: { 200: modelDetailSchema },
      },
    },
    async (req) => getModel(ctx.db, req.params.id),
  );

  app.post(
    '/api/analysis/models/train',
    {
      config: { policy: { permission: 'analysis:model:train' } },
      schema: {
        tags: TAGS,
        summary: '训练新版本（后台任务；更好才自动启用）',
        body: trainModelInputSchema,
        response: { 202: trainModelAcceptedSchema },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      // One training at a time: a second request while one is queued or running is refused.
      const busy = await ctx.db
        .selectFrom('job')
        .select('id')
        .where('name', '=', TRAIN_JOB)
        .where('status', 'in', ['pending', 'running'])
        .executeTakeFirst();
      if (busy) {
        throw new AppError('MODEL_TRAINING_BUSY', `已有训练任务在进行（任务 ${busy.id}），请等待其完成`, {
          status: 409,
        });
      }
      const jobId = await ctx.jobs.enqueue(ctx.db, TRAIN_JOB, {
        actorId: actor.id,
        actorName: actor.name,
        reason: req.body.reason,
        includeCorrections: req.body.includeCorrections,
      });
      req.auditDetail({
        objectType: 'job',
        objectId: jobId ?? 0,
        detail: `提交分拣模型训练：${req.body.reason}`,
      });
      return reply.code(202).send({ jobId: jobId ?? 0 });
    },
  );

  app.get(
    '/api/analysis/models/training/:jobId',
    {
      config: { policy: { permission: 'analysis:model:read' } },
      schema: {
        tags: TAGS,
        summary: '训练任务的进度与结果',
        params: jobParams,
        response: { 200: trainingStatusSchema },
      },
    },
    async (req) => {
      const job = await ctx.db
        .selectFrom('job')
        .select(['id', 'status', 'last_error'])
        .where('id', '=', req.params.jobId)
        .where('name', '=', TRAIN_JOB)
        .executeTakeFirst();
      if (!job) throw notFound('训练任务');
      const row = await ctx.db
        .selectFrom('analysis_model')
        .select(['id', 'version', 'decision', 'auto_activated'])
        .where('job_id', '=', req.params.jobId)
        .executeTakeFirst();
      return {
        jobId: Number(job.id),
        status: job.status,
        error: job.status === 'dead' ? (job.last_error ?? '训练失败') : null,
        result: row
          ? {
              modelId: Number(row.id),
              version: row.version,
              activated: row.auto_activated,
              why: row.decision,
            }
          : null,
      };
    },
  );

  app.post(
    '/api/analysis/models/:id/activate',
    {
      config: { policy: { permission: 'analysis:model:activate' } },
      schema: {
        tags: TAGS,
        summary: '启用模型版本（手动切换，留痕）',
        params: idParams,
        body: activateModelInputSchema.optional(),
        response: { 200: modelDetailSchema },
      },
    },
    async (req) => {
      const r = await activateModel(ctx, req.params.id, actorOf(req), req.body?.reason);
      req.auditDetail({
        objectType: 'analysis_model',
        objectId: req.params.id,
        before: { version: r.previousVersion },
        after: { version: r.version },
        detail: `启用分拣模型 ${r.version}（原为 ${r.previousVersion ?? '无'}）`,
      });
      return getModel(ctx.db, req.params.id);
    },
  );

  app.post(
    '/api/analysis/classify',
    {
      config: { policy: { permission: 'analysis:judgment:read' } },
      schema: {
        tags: TAGS,
        summary: '用当前启用的模型给一段文字分类（线索类型、业务条线、12315 分类、处置建议）',
        body: classifyInputSchema,
        response: { 200: triagePredictionSchema },
      },
    },
    async (req) => {
      try {
        await ensureTriageModel(ctx.db);
        return predictTriage(req.body.text);
      } catch (err) {
        if (err instanceof ModelMissingError)
          throw new AppError('MODEL_UNAVAILABLE', err.message, { status: 503 });
        throw err;
      }
    },
  );
}
