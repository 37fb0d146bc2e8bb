import { sql } from 'kysely';
import { z } from 'zod';
import { registerAuditJobs } from '../audit/audit.archive.ts';
import type { AppContext } from '../context.ts';
import { registerDeadlineJobs } from '../deadlines/deadlines.jobs.ts';
import { registerEntityJobs } from '../../fusion/entities/entities.jobs.ts';
import { registerExchangeJobs } from '../../support/exchange/exchange.jobs.ts';
import { registerWorkOrderJobs } from '../../supervision/clues/clues.workorders.jobs.ts';
import { registerGisJobs } from '../../support/gis/gis.jobs.ts';
import { registerClueChannelJobs } from '../../supervision/clues/clues.public.ts';
import { registerRiskJobs } from '../../fusion/risk/risk.jobs.ts';
import { registerResolutionJobs } from '../../fusion/resolution/resolution.jobs.ts';
import { registerAnalysisFindingJobs } from '../../supervision/analysis/analysis.findings.jobs.ts';
import { registerAnalysisReviewJobs } from '../../supervision/analysis/analysis.review.jobs.ts';
import { registerDispatchJobs } from '../../supervision/dispatch/dispatch.jobs.ts';
import { registerAnalysisModelJobs } from '../../supervision/analysis/analysis.model.jobs.ts';

/** Finished jobs are kept this long for the admin page (and for their dedupe keys), then removed. */
const SUCCEEDED_RETENTION_DAYS = 14;

/**
 * Every job definition in the process, registered once at start-up. Synchronous on purpose: schedules (`cron`)
 * are written to the database by `startWorker`, not here.
 */
export function registerAllJobs(ctx: AppContext): void {
  registerAuditJobs(ctx);
  registerDeadlineJobs(ctx);
  registerEntityJobs(ctx);
  registerResolutionJobs(ctx);
  registerExchangeJobs(ctx);
  registerWorkOrderJobs(ctx);
  registerGisJobs(ctx);
  registerRiskJobs(ctx);
  registerClueChannelJobs(ctx);
  registerAnalysisFindingJobs(ctx);
  registerAnalysisReviewJobs(ctx);
  registerDispatchJobs(ctx);
  registerAnalysisModelJobs(ctx);
  ctx.jobs.define({
    name: 'platform.session.cleanup',
    payload: z.object({}),
    cron: '*/10 * * * *',
    async handler(_payload, run) {
      // The 会话超时 security setting, else the server's environment (same limits as ctx.auth.resolve).
      const { idleMinutes } = run.ctx.auth.sessionLimits();
      await run.ctx.db
        .deleteFrom('session')
        .where((eb) =>
          eb.or([
            eb('expires_at', '<', sql<Date>`now()`),
            eb('last_seen_at', '<', sql<Date>`now() - make_interval(mins => ${idleMinutes})`),
          ]),
        )
        .execute();
    },
  });

  ctx.jobs.define({
    name: 'platform.jobs.purge',
    payload: z.object({}),
    cron: '30 3 * * *',
    async handler(_payload, run) {
      await run.ctx.db
        .deleteFrom('job')
        .where('status', '=', 'succeeded')
        .where('finished_at', '<', sql<Date>`now() - make_interval(days => ${SUCCEEDED_RETENTION_DAYS})`)
        .execute();
    },
  });
}
