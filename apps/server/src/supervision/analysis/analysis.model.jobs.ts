import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { collectCorrections, trainCandidate } from './analysis.model.registry.ts';

export const TRAIN_JOB = 'analysis.model.train';

export const trainJobPayload = z.object({
  actorId: z.number().nullable(),
  actorName: z.string(),
  reason: z.string(),
  includeCorrections: z.boolean(),
});
export type TrainJobPayload = z.infer<typeof trainJobPayload>;

/**
 * 训练新版本 runs as a job: training takes seconds to a minute of CPU, longer than a request should. The page
 * polls `/api/analysis/models/training/:jobId`; the new row carries the job id. One attempt: a failed training is
 * reported, not silently retried (the inputs would be the same).
 */
export function registerAnalysisModelJobs(ctx: AppContext): void {
  ctx.jobs.define({
    name: TRAIN_JOB,
    payload: trainJobPayload,
    maxAttempts: 1,
    async handler(p, run) {
      const corrections = p.includeCorrections ? await collectCorrections(run.ctx.db) : [];
      await trainCandidate(run.ctx, {
        corrections,
        actor: { id: p.actorId, name: p.actorName },
        reason: p.reason,
        jobId: run.job.id,
      });
    },
  });
}
