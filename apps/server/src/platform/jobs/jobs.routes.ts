import { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { App } from '../http/app.ts';
import { keysetQuery, idParams } from '../http/schemas.ts';

const jobStatus = z.enum(['pending', 'running', 'succeeded', 'dead']);

const jobSchema = z.object({
  id: z.number(),
  name: z.string(),
  payload: z.record(z.string(), z.unknown()),
  status: jobStatus,
  attempts: z.number(),
  maxAttempts: z.number(),
  runAt: z.string(),
  lockedBy: z.string().nullable(),
  lastError: z.string().nullable(),
  dedupeKey: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

/** The administrator's view of the queue: browse jobs (newest first) and send dead-lettered ones back. */
export function registerJobRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/system/jobs',
    {
      config: { policy: { permission: 'system:job:read' } },
      schema: {
        tags: ['系统管理'],
        summary: '后台任务列表（按编号倒序；after 为上一页最后一条的编号）',
        querystring: keysetQuery.extend({ status: jobStatus.optional() }),
        response: { 200: z.object({ items: z.array(jobSchema) }) },
      },
    },
    async (req) => ({
      items: await ctx.jobs.list({
        status: req.query.status,
        limit: req.query.limit,
        after: req.query.after,
      }),
    }),
  );

  app.post(
    '/api/system/jobs/:id/retry',
    {
      config: { policy: { permission: 'system:job:update' } },
      schema: {
        tags: ['系统管理'],
        summary: '重试失败（死信）任务',
        params: idParams,
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
    },
    async (req) => {
      await ctx.jobs.retryDead(req.params.id);
      return { ok: true as const };
    },
  );
}
