import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { runDetectors } from './analysis.findings.ts';

/** The detectors' nightly run (after the risk recompute and the resolution re-fuse, before the working day). */
export const DETECT_JOB = 'analysis.detect';

export function registerAnalysisFindingJobs(ctx: AppContext): void {
  ctx.jobs.define({
    name: DETECT_JOB,
    payload: z.object({}),
    cron: '15 4 * * *',
    async handler(_payload, run) {
      await runDetectors(run.ctx);
    },
  });
}
