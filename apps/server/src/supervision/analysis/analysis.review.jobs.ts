import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { json } from '../../platform/db/json.ts';
import { systemActor } from '../../platform/ledger/ledger.service.ts';
import { generateReview, MONTHLY_JOB, previousMonth, REVIEW_JOB } from './analysis.review.ts';

/**
 * 研判复盘 runs as jobs: the figures are quick, but the improvement loop trains a model (seconds to a minute of
 * CPU). `analysis.review.generate` fills a report someone asked for; `analysis.review.monthly` (04:00 on the 1st,
 * China time) writes the previous month's report. One attempt each: a failed report says so on the page.
 */
export function registerAnalysisReviewJobs(ctx: AppContext): void {
  ctx.jobs.define({
    name: REVIEW_JOB,
    payload: z.object({ reportId: z.number().int().positive() }),
    maxAttempts: 1,
    async handler(p, run) {
      await generateReview(run.ctx, p.reportId, run.job.id);
    },
  });
  ctx.jobs.define({
    name: MONTHLY_JOB,
    /** `asOf`: the moment the month is counted back from (default: now). */
    payload: z.object({ asOf: z.iso.datetime({ offset: true }).optional() }),
    maxAttempts: 1,
    cron: '0 4 1 * *',
    async handler(p, run) {
      const { from, to } = previousMonth(p.asOf ? new Date(p.asOf) : new Date());
      const row = await run.ctx.db
        .insertInto('analysis_review_report')
        .values({
          period_from: from,
          period_to: to,
          trigger: 'monthly',
          job_id: run.job.id,
          generated_by: systemActor.id,
          generated_by_name: systemActor.name,
          figures: json(null),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await generateReview(run.ctx, Number(row.id), run.job.id);
    },
  });
}
